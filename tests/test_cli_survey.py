"""``vmc-gui survey SCENARIO [--jobs N] [--json]``: the failures each world survives, in
words or as one JSON object; bad input is one line and exit 2 (issue 21, §4)."""

from __future__ import annotations

import json

import pytest

from tests.sim.survey_cases import cluster_scenario, hosts, web
from tests.test_cli import run
from vmc_gui.model.scenario_toml import dumps_scenario


@pytest.fixture
def tight(tmp_path):
    """Nine 10 GB hosts in three racks, two 4 GB replicas on each: no failure is survived."""
    path = tmp_path / "tight.toml"
    path.write_text(dumps_scenario(cluster_scenario(hosts(9, 10, racks=3), [web(18, 4)])))
    return path


def test_the_words_say_what_each_world_survives(capsys):
    code, out, _ = run(capsys, "survey", "failover", "--jobs", "1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "What survives which failure: Fault tolerance: the failover race"
    assert "VM world: Hyper-V failover cluster" in lines
    assert "Container world: Kubernetes-style orchestrator" in lines
    assert any(
        line.startswith("  Single hosts: all 12 survive at full capacity; simulated: r1-h01")
        for line in lines
    )
    assert any(
        line.startswith("  Racks: all 3 survive at full capacity, back in") for line in lines
    )


def test_failures_that_leave_replicas_pending_are_counted_not_listed(capsys, tight):
    code, out, _ = run(capsys, "survey", str(tight), "--jobs", "1")
    assert code == 0
    hosts_line = next(line for line in out.splitlines() if "Single hosts:" in line)
    assert "9 of 9 leave replicas pending: h1 (2 pending: web \u00d72)" in hosts_line
    assert hosts_line.endswith("and 6 more")


def test_json_is_one_object(capsys, tight):
    code, out, _ = run(capsys, "survey", str(tight), "--json", "--jobs", "1")
    assert code == 0
    document = json.loads(out)
    assert document["scenario"] == "hand-built"
    assert document["worlds"]["vm"]["hosts"] == {
        "total": 9,
        "survive": 0,
        "short": 9,
        "simulated": 1,
        "slowest_recovery_s": None,
    }
    rack = next(f for f in document["failures"] if f["kind"] == "rack")
    assert rack["what_if"] == "rack=1@60"
    assert rack["worlds"]["container"]["pending"] == {"web": 6}
    assert rack["worlds"]["container"]["method"] == "simulation"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("no-such-scenario",), "no-such-scenario: no such scenario"),
        (("compat",), "compat is a compatibility matrix: it has no cluster to fail"),
        (("failover", "--jobs", "0"), "--jobs 0: give 1 or more worker processes"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, args, message):
    code, out, err = run(capsys, "survey", *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err


def test_a_malformed_file_is_one_line(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[scenario]\nname = \n")
    code, _, err = run(capsys, "survey", str(bad))
    assert code == 2 and err.count("\n") == 1 and "bad.toml" in err
