"""What a partition's run says: the headline, the report's verdicts and decisions, the JSON
keys, and each episode of a phase kept apart."""

from __future__ import annotations

import pytest

from tests.scenarios import failover
from vmc_gui.cli import main
from vmc_gui.model.library import resolve
from vmc_gui.model.scenario import World
from vmc_gui.sim import simulate
from vmc_gui.sim.headline import Metric, Tone, headlines, metric_for
from vmc_gui.sim.summary import to_json

CUT = (
    '[[events]]\nat_s = 60\nkind = "switch_fail"\nswitch = "tor-r1"\n'
    '[[events]]\nat_s = 240\nkind = "switch_recover"\nswitch = "tor-r1"\n'
)


def test_a_network_cut_is_headlined_by_reach_and_copies():
    timeline = simulate(resolve("split-brain"))
    assert metric_for(timeline.scenario) is Metric.PARTITION
    container = headlines(timeline)[World.CONTAINER.value]
    # Before the cut nothing is given away; while cut off it counts; then the copies.
    assert container.at(30.0)[0] == "serving"
    text, tone, final = container.at(100.0)
    assert text == "clients cut off 40.0 s" and tone is Tone.ALARM and not final
    assert container.at(500.0)[0] == "clients cut off 7 min 20.0 s · 4 running twice"  # db-2
    end, words = container.final()
    assert end == pytest.approx(993.5) and words == "cut off 15 min 33.5 s · 4 ran twice"
    vm = headlines(timeline)[World.VM.value]
    assert vm.final() == (pytest.approx(359.573318), "cut off 4 min 59.6 s · nothing ran twice")


def test_a_crash_only_run_keeps_its_figures_and_reach_equals_downtime():
    document = to_json(simulate(failover()))
    for figures in document["worlds"].values():
        assert figures["unreachable_s"] == figures["downtime_s"]
        assert figures["max_duplicates"] == 0
        assert "partition" not in figures
        assert figures["services"] == [{"name": "web", "kind": "deployment"}]


def test_before_any_platform_acts_a_cut_rack_is_out_of_reach_for_the_cut():
    document = to_json(simulate(failover(events=CUT)))
    assert document["worlds"]["vm"]["unreachable_s"] == pytest.approx(180.0)
    # The pods are endpoints again at the first monitor pass after the heal.
    assert 180.0 <= document["worlds"]["container"]["unreachable_s"] <= 186.0


def test_the_report_says_reach_copies_and_who_kept_the_cluster(capsys):
    assert main(["simulate", "quorum"]) == 0
    out = capsys.readouterr().out
    assert "VM world: Hyper-V failover cluster: clients cut off 11 min 39.6 s; nothing ran " in out
    assert "3 workloads ran two copies at once" in out
    assert "at 900.0 s: the failover cluster: no part holds 4 of 7 votes" in out
    assert "at 900.0 s: etcd: 1 of 3 members reached" in out
    assert "stated)" not in out  # the rules' standing stays in the log's detail
    assert "recovered first" not in out  # a partition is not a race to recover


def test_each_cut_is_an_episode_of_its_own():
    phases = {
        p["name"]: (p["start_s"], p["end_s"])
        for p in to_json(simulate(resolve("quorum")))["worlds"]["vm"]["phases"]
    }
    start, end = phases["heartbeat detection"]
    assert (start, round(end, 1)) == (60.0, 69.6)
    start, end = phases["heartbeat detection (2)"]
    assert (start, round(end, 1)) == (900.0, 909.7)
    assert phases["isolated: VMs unmonitored (2)"][1] == 1300.0
