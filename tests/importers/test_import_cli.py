"""``vmc-gui import``: an export becomes a scenario that loads, simulates and says what was
left out; a bad export writes nothing and says why in one line."""

from __future__ import annotations

import io
from pathlib import Path

from vmc_gui.cli import main
from vmc_gui.model.loader import load_scenario
from vmc_gui.sim import simulate

FIXTURES = Path(__file__).parents[1] / "import"


def run(*argv: str) -> tuple[int, str, str]:
    import contextlib

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


def test_a_hyperv_export_becomes_a_scenario_that_runs(tmp_path):
    files = sorted(str(p) for p in (FIXTURES / "hyperv" / "ps51").glob("*.json"))
    target = tmp_path / "my-cluster.toml"
    status, out, err = run("import", "hyperv", *files, "--out", str(target))
    assert status == 0, err
    # 10 VMs: one not clustered is its host's fixed load, two off or saved are left out.
    assert f"wrote {target} (4 hosts, 7 services)" in out
    assert "1 VMs not clustered kept on their hosts" in out
    assert "1 hosts not ready, failed at the start of the run" in out
    scenario = load_scenario(target)
    assert scenario.name == "my-cluster"
    assert scenario.cluster.host_names() == ["hv01", "hv02", "hv03", "hv04"]
    assert [h.cores for h in scenario.cluster.hosts] == [
        63.0,
        64.0,
        48.0,
        0.001,
    ]  # hv01 less its VM that is not clustered
    assert sum(s.replicas for s in scenario.services) == 7
    assert [(e.kind.value, e.host) for e in scenario.events] == [("host_fail", "hv04")]
    timeline = simulate(scenario)
    assert set(timeline.worlds) == set(scenario.worlds)
    # A VM's notes (administrators' free text) never reach the scenario.
    assert "Notes" not in target.read_text()


def test_a_bad_export_writes_nothing_and_says_why(tmp_path):
    bad = tmp_path / "vms.json"
    bad.write_text('[{"Name": "web", "State": 2, "MemoryAssigned": "4 GB"}]')
    target = tmp_path / "out.toml"
    status, out, err = run("import", "hyperv", str(bad), "--out", str(target))
    assert status == 2 and not target.exists() and not out
    (line,) = err.strip().splitlines()
    assert line.startswith("vmc-gui: ") and "vms.json" in line and "MemoryAssigned" in line


def test_the_out_file_must_be_a_scenario_in_a_folder_that_is_there(tmp_path):
    files = [str(p) for p in (FIXTURES / "hyperv" / "ps51").glob("*.json")]
    status, _, err = run("import", "hyperv", *files, "--out", str(tmp_path / "x.json"))
    assert status == 2 and "does not end in .toml" in err
    status, _, err = run("import", "hyperv", *files, "--out", str(tmp_path / "no" / "x.toml"))
    assert status == 2 and "no folder" in err
    assert not list(tmp_path.iterdir())
