"""Guest compatibility: the matrix's rules (compat.toml, model/compat.py)."""

from __future__ import annotations

import pytest

from tests.lessons.conftest import run
from vmc_gui.model.compat import SYSTEMS, Answer, verdict
from vmc_gui.model.scenario import World

W2019, W2022, W2025 = (SYSTEMS[f"windows-server-{y}"] for y in (2019, 2022, 2025))
WIN11, LINUX = SYSTEMS["windows-11"], SYSTEMS["linux"]


@pytest.mark.parametrize(
    ("world", "host", "guest", "answer"),
    [
        (World.CONTAINER, W2022, W2022, Answer.ALLOWED),  # same build shares the kernel
        (World.CONTAINER, W2025, W2022, Answer.HYPERV_ISOLATION_ONLY),  # older image
        (World.CONTAINER, W2019, W2022, Answer.REFUSED),  # newer image
        (World.CONTAINER, W2022, LINUX, Answer.HYPERV_ISOLATION_ONLY),  # Linux on Windows
        (World.CONTAINER, LINUX, W2022, Answer.REFUSED),  # Windows on Linux
        (World.CONTAINER, LINUX, LINUX, Answer.ALLOWED),
        (World.CONTAINER, WIN11, W2022, Answer.ALLOWED),  # Windows 11 runs 2022 images
        (World.HYPERV_CONTAINER, W2025, W2019, Answer.ALLOWED),
        (World.HYPERV_CONTAINER, W2019, W2025, Answer.REFUSED),
        (World.VM, W2022, LINUX, Answer.ALLOWED),  # a VM brings its own kernel
        (World.VM, W2025, W2019, Answer.ALLOWED),
        (World.VM, W2019, W2025, Answer.REFUSED),  # not a supported guest of an older host
    ],
)
def test_rules(world, host, guest, answer):
    assert verdict(world, host, guest).answer is answer


def test_the_scenario_prints_a_full_matrix_per_world():
    document = run("compat")
    for name, world in document["worlds"].items():
        matrix = world["matrix"]
        assert len(matrix) == 5 * 4
        for cell in matrix:
            assert cell["answer"] in {a.value for a in Answer}
            assert cell["reason"]
            expected = verdict(World(name), SYSTEMS[cell["host"]], SYSTEMS[cell["guest"]])
            assert cell["answer"] == expected.answer.value


def test_vms_run_more_combinations_than_process_isolated_containers():
    worlds = run("compat")["worlds"]

    def allowed(name):
        return sum(cell["answer"] == "allowed" for cell in worlds[name]["matrix"])

    assert allowed("vm") > allowed("container")
