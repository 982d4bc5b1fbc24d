"""The whole bundled library: valid, listed, deterministic, and one file per lesson."""

from __future__ import annotations

import pytest

from vmc_gui.cli import main
from vmc_gui.model.lessons import ROWS
from vmc_gui.model.library import bundled_text, resolve, scenario_names
from vmc_gui.sim import simulate

LESSONS = {
    "failover": "fault-tolerance",
    "scale-out": "deployment",
    "rolling-update": "os-updates",
    "rebalance": "load-balancing",
    "density": "operating-system",
    "storage": "persistent-storage",
    "isolation": "isolation",
    "compat": "guest-compatibility",
    # The fault-tolerance lesson's "crashed or cut off?" scenarios.
    "partition-transient": "fault-tolerance",
    "split-brain": "fault-tolerance",
    "quorum": "fault-tolerance",
    # Its "at scale?" scenario: a rack of 40 fails among 1,000 hosts.
    "at-scale": "fault-tolerance",
}


def test_the_library_has_a_scenario_for_every_timed_row_the_matrix_and_the_partitions():
    assert set(scenario_names()) == set(LESSONS)
    for name, row in LESSONS.items():
        scenario = resolve(name)
        assert scenario.lesson == row and row in ROWS
        assert len(scenario.description) > 200  # a lesson text, not a label


def test_every_bundled_file_validates(tmp_path, capsys):
    paths = []
    for name in scenario_names():
        path = tmp_path / f"{name}.toml"
        path.write_bytes(bundled_text(name))
        paths.append(str(path))
    assert main(["validate", *paths]) == 0
    assert capsys.readouterr().out.count(": ok") == len(paths)


def test_list_shows_every_lesson_title(capsys):
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for name in scenario_names():
        assert f"scenario:{name}\t{resolve(name).title}" in lines


@pytest.mark.parametrize("name", sorted(LESSONS))
def test_each_scenario_simulates_deterministically(name):
    first, second = simulate(resolve(name)), simulate(resolve(name))
    assert first.digest == second.digest
    assert [e.canonical() for e in first.events] == [e.canonical() for e in second.events]


@pytest.mark.parametrize("name", sorted(LESSONS))
def test_each_scenario_prints_its_report(name, capsys):
    assert main(["simulate", name]) == 0
    out = capsys.readouterr().out
    assert resolve(name).title in out and "digest" in out
