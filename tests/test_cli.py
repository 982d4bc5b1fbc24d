"""The command line contract (DESIGN.md): list, simulate, validate, --version, exit codes."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest

from tests.scenarios import failover_text
from vmc_gui import __version__
from vmc_gui.cli import main
from vmc_gui.model.events import HostFail
from vmc_gui.model.library import bundled_text, resolve
from vmc_gui.model.parameters import PARAMETERS
from vmc_gui.model.scenario_toml import dumps_scenario


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def test_list_names_the_lessons_scenarios_and_diagrams(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == [
        "lesson:overview\tContainers vs. virtual machines",
        "lesson:isolation\tIsolation",
    ]
    assert "lesson:fault-tolerance\tFault tolerance" in lines
    assert "scenario:failover\tFault tolerance: the failover race" in lines
    assert "diagram:vm-vs-container\tVirtual machines and containers, side by side" in lines
    lessons = [line for line in lines if line.startswith("lesson:")]
    # The table and its nine rows, then the scenarios that take fault tolerance further.
    assert len([line for line in lessons if "/" not in line.split("\t")[0]]) == 10
    assert "lesson:fault-tolerance/split-brain\tFault tolerance: split brain" in lessons


def test_simulate_prints_a_phase_table_per_world(capsys):
    code, out, err = run(capsys, "simulate", "failover")
    assert code == 0 and not err
    assert "VM world: Hyper-V failover cluster: recovered in 4 min 59.6 s" in out
    assert "Container world: Kubernetes-style orchestrator: recovered in 5 min 56.4 s" in out
    for phase in (
        "heartbeat detection",
        "isolated: VMs unmonitored",
        "guest boot",
        "node-monitor grace period",
        "unreachable toleration",
    ):
        assert phase in out
    assert "The vm world recovered first" in out


def test_simulate_json_has_the_contract_fields(capsys):
    code, out, _ = run(capsys, "simulate", "failover", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["scenario"] == "failover" and doc["seed"] == 42
    assert len(doc["digest"]) == 64
    assert set(doc["worlds"]) == {"vm", "container"}
    for world in doc["worlds"].values():
        assert {"recovery_s", "downtime_s", "phases", "events", "peak_memory_used_gb"} <= set(world)
        assert all({"name", "start_s", "end_s"} == set(p) for p in world["phases"])
        assert world["events"] > 0
    assert doc["fastest_recovery"] == "vm"


def test_set_changes_the_outcome(capsys):
    _, out, _ = run(
        capsys,
        "simulate",
        "failover",
        "--json",
        "--set",
        "kubernetes.node_monitor_grace_period_s=20",
        "--set",
        "kubernetes.default_unreachable_toleration_s=5",
    )
    doc = json.loads(out)
    assert doc["fastest_recovery"] == "container"
    assert doc["parameters"] == {
        "kubernetes.node_monitor_grace_period_s": 20.0,
        "kubernetes.default_unreachable_toleration_s": 5.0,
    }


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["simulate", "failover", "--set", "kubernetes.grace=3"],
            "unknown parameter 'kubernetes.grace'",
        ),
        (["simulate", "failover", "--set", "vm.guest_boot_s=-4"], "outside 1..3600"),
        (["simulate", "failover", "--set", "vm.guest_boot_s"], "--set takes NAME=VALUE"),
        (["simulate", "nope"], "no such scenario"),
        (["simulate"], "the following arguments are required"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(capsys, args, expected):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and not out


def test_simulate_a_file_by_path(capsys, tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(failover_text(replicas=3))
    code, out, _ = run(capsys, "simulate", str(path), "--json")
    assert code == 0 and json.loads(out)["scenario"] == "test-failover"


def test_simulate_a_broken_file_names_file_and_line(capsys, tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text(failover_text().replace("replicas = 8", "replicas = -1"))
    code, _, err = run(capsys, "simulate", str(path))
    assert code == 2
    assert err.startswith(f"vmc-gui: {path}:")
    assert "services[0].replicas" in err


def test_validate_lists_every_problem(capsys, tmp_path):
    good = tmp_path / "good.toml"
    good.write_bytes(bundled_text("failover"))
    bad = tmp_path / "bad.toml"
    bad.write_text(failover_text().replace("cores = 32", "cores = 0\ncors = 1"))
    code, out, err = run(capsys, "validate", str(good), str(bad))
    assert code == 2
    assert f"{good}: ok" in out
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{bad}:") for line in lines)
    assert run(capsys, "validate", str(good))[0] == 0


def test_parameters_lists_defaults_and_sources(capsys):
    code, out, _ = run(capsys, "parameters")
    assert code == 0
    assert "kubernetes.default_unreachable_toleration_s = 300 s" in out
    # Each source is a link a reader can follow.
    assert "<https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/" in out
    assert "hyperv.resiliency_default_period_s = 240 s" in out


def test_parameters_json_gives_every_field_and_a_source_or_a_reason(capsys):
    code, out, _ = run(capsys, "parameters", "--json")
    assert code == 0
    rows = json.loads(out)
    by_name = {row["name"]: row for row in rows}
    assert set(by_name) == set(PARAMETERS)
    keys = {"name", "default", "unit", "min", "max", "assumed", "source_title", "source_url"}
    for row in rows:
        assert keys | {"note"} <= set(row)
        # Every setting can be checked (a link) or says why it cannot (assumed, with a note).
        assert row["source_url"].startswith("https://") or (row["assumed"] and row["note"])
    grace = by_name["kubernetes.node_monitor_grace_period_s"]
    assert (grace["default"], grace["unit"], grace["min"]) == (50.0, "s", 1.0)


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"vmc-gui {__version__}"


def test_the_installed_command_runs():
    result = subprocess.run(
        [sys.executable, "-m", "vmc_gui", "simulate", "failover", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["worlds"]["vm"]["recovery_s"] > 0


def test_show_refuses_an_unknown_diagram(capsys):
    from vmc_gui.cli import main

    assert main(["show", "diagram:nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("vmc-gui: TARGET is cluster:SCENARIO or diagram:NAME, one of: vm,")
    assert err.count("\n") == 1


def test_a_scenario_is_named_as_list_prints_it_or_without_its_kind(capsys):
    with_kind = run(capsys, "simulate", "scenario:failover", "--json")
    without = run(capsys, "simulate", "failover", "--json")
    assert with_kind[0] == 0 and with_kind[1] == without[1]


def test_an_unknown_export_target_kind_is_refused(capsys, tmp_path):
    code, _, err = run(capsys, "export", "foo:vm", "--out", str(tmp_path / "x.png"))
    assert code == 2 and "foo: targets cannot be exported" in err
    assert not (tmp_path / "x.png").exists()


def test_validate_and_simulate_say_what_a_file_had_that_is_ignored(capsys, tmp_path):
    old = tmp_path / "old.toml"
    old.write_text(
        '[scenario]\nname = "old"\ntitle = "Saved by 0.1.0"\nduration_s = 60\n'
        '[[services]]\nname = "web"\nreplicas = 1\ncpu = 1.0\nmemory_mb = 100\n'
        '[parameters]\n"kubernetes.node_status_update_frequency_s" = 4\n'
    )
    code, out, err = run(capsys, "validate", str(old))
    assert code == 0 and out.strip() == f"{old}: ok"
    assert "node_status_update_frequency_s: ignored" in err
    code, _, err = run(capsys, "simulate", str(old))
    assert code == 0 and "ignored" in err


def test_a_tie_is_not_a_race_won(capsys, tmp_path):
    # A host that holds nothing fails at 0 s: both worlds are whole at once.
    scenario = resolve("failover")
    tie = dataclasses.replace(scenario, events=(HostFail(0.0, "r3-h04"),))
    path = tmp_path / "tie.toml"
    path.write_text(dumps_scenario(tie))
    assert main(["simulate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Every world recovered at the same time." in out
    assert "recovered first" not in out
