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
        # Kubernetes: process isolation only, the node's build, Linux pods on Linux nodes.
        (World.CONTAINER, W2022, W2022, Answer.ALLOWED),  # the image matches the node
        (World.CONTAINER, W2025, W2022, Answer.ALLOWED),  # containerd, Microsoft's table
        (World.CONTAINER, W2025, W2019, Answer.REFUSED),  # no Hyper-V isolation to fall back on
        (World.CONTAINER, W2019, W2019, Answer.REFUSED),  # not a supported node OS any more
        (World.CONTAINER, W2022, W2025, Answer.REFUSED),  # newer image
        (World.CONTAINER, W2022, LINUX, Answer.REFUSED),  # Linux pods on Linux nodes only
        (World.CONTAINER, LINUX, W2022, Answer.REFUSED),  # Windows on Linux
        (World.CONTAINER, LINUX, LINUX, Answer.ALLOWED),
        (World.CONTAINER, WIN11, W2022, Answer.REFUSED),  # Windows nodes run Windows Server
        # A standalone host (Docker or containerd): Microsoft's version-compatibility table.
        (World.HYPERV_CONTAINER, W2022, W2022, Answer.ALLOWED),  # process isolation
        (World.HYPERV_CONTAINER, W2025, W2022, Answer.ALLOWED),  # the table allows it
        (World.HYPERV_CONTAINER, WIN11, W2022, Answer.ALLOWED),  # so does Windows 11
        (World.HYPERV_CONTAINER, W2025, W2019, Answer.HYPERV_ISOLATION_ONLY),  # older image
        (World.HYPERV_CONTAINER, W2019, W2025, Answer.REFUSED),  # newer: neither way
        (World.HYPERV_CONTAINER, W2022, LINUX, Answer.REFUSED),  # LCOW is gone
        # Hyper-V VMs: supported guests, and guests that boot but are not supported.
        (World.VM, W2022, LINUX, Answer.ALLOWED),  # a VM brings its own kernel
        (World.VM, W2025, W2019, Answer.ALLOWED),
        (World.VM, W2022, W2025, Answer.ALLOWED),  # 2025 guests are supported on 2022 hosts
        (World.VM, W2019, W2025, Answer.RUNS_UNSUPPORTED),  # boots, but not a listed pair
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


def test_kubernetes_runs_fewest_pairs_and_vms_refuse_none():
    worlds = run("compat")["worlds"]

    def count(name, answer):
        return sum(cell["answer"] == answer for cell in worlds[name]["matrix"])

    assert count("vm", "refused") == 0  # a VM boots its own kernel
    assert count("container", "hyperv-isolation-only") == 0  # Kubernetes has no Hyper-V
    assert count("container", "allowed") < count("hyperv-container", "allowed")


def test_vms_run_more_combinations_than_process_isolated_containers():
    worlds = run("compat")["worlds"]

    def allowed(name):
        return sum(cell["answer"] == "allowed" for cell in worlds[name]["matrix"])

    assert allowed("vm") > allowed("container")
