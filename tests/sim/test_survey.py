"""The survey (issue 21, §4): which failures it asks about and when, what it simulates, its
worker processes, cancellation, and its JSON and words."""

from __future__ import annotations

import dataclasses
import json
import threading

import pytest

from tests.sim.survey_cases import cluster_scenario, hosts, web
from vmc_gui.model.cluster import ClusterSpec, HostSpec
from vmc_gui.model.events import HostFail, RackFail
from vmc_gui.model.library import resolve
from vmc_gui.sim.survey import Survey, SurveyCancelled, plan_for, survey
from vmc_gui.sim.survey_outcome import Outcome
from vmc_gui.sim.survey_plan import DEFAULT_AT_S, WATCH_S
from vmc_gui.sim.survey_text import survey_report


def _zoned():
    """Three racks: zone "a" spans racks 1 and 2, zone "b" is rack 3 alone."""
    spec = [
        HostSpec(f"{zone}{rack}-{i}", rack, 16, 64, zone=zone)
        for rack, zone in ((1, "a"), (2, "a"), (3, "b"))
        for i in (1, 2)
    ]
    scenario = cluster_scenario(spec, [web(6, 4)])
    return dataclasses.replace(scenario, cluster=ClusterSpec.of_hosts(spec, zones="rack"))


def test_every_host_rack_and_zone_of_several_racks_is_asked_about():
    plan = plan_for(_zoned())
    assert [c.name for c in plan.hosts] == ["a1-1", "a1-2", "a2-1", "a2-2", "b3-1", "b3-2"]
    assert [c.title for c in plan.racks] == ["rack 1 (a)", "rack 2 (a)", "rack 3 (b)"]
    # Zone b is rack 3: asked about once, as the rack.  Zone a spans two racks.
    assert [(c.title, c.hosts, c.what_if(60)) for c in plan.zones] == [("zone a", 4, "zone=a@60")]
    assert (plan.at_s, plan.until_s) == (DEFAULT_AT_S, DEFAULT_AT_S + WATCH_S)


def test_one_rack_is_not_a_rack_failure_worth_asking_about():
    plan = plan_for(cluster_scenario(hosts(3, 10), [web(3, 1)]))
    assert plan.racks == () and plan.zones == ()
    assert plan.notes == ("one rack: its failure would be the whole cluster's",)


def test_the_cluster_as_found_keeps_its_starting_failures_and_drops_its_story():
    lesson = resolve("failover")  # its host fails at 60 s: the lesson's story, not the cluster
    assert lesson.events and all(e.at_s > 0 for e in lesson.events)
    plan = plan_for(lesson)
    assert plan.baseline.events == () and plan.at_s == DEFAULT_AT_S
    # An import's node that was not Ready fails at 0 s: it stays down, is not asked about,
    # and the failures come once its replicas have settled elsewhere, on a whole minute.
    found = dataclasses.replace(lesson, events=(HostFail(0.0, "r1-h01"), RackFail(90.0, 2)))
    plan = plan_for(found)
    assert plan.baseline.events == (HostFail(0.0, "r1-h01"),)
    assert plan.down == ("r1-h01",) and "r1-h01" not in [c.name for c in plan.hosts]
    assert plan.at_s > 300 and plan.at_s % 60 == 0
    assert plan.baseline.duration_s == plan.at_s + WATCH_S


def test_racks_and_zones_are_simulated_and_hosts_analysed():
    result = survey(_zoned(), jobs=1)
    assert all(f.simulated and not f.analysed for f in (*result.racks, *result.zones))
    assert all(set(f.analysed) == {"vm", "container"} for f in result.hosts)
    # The most loaded host of each world is simulated too, so that its time is shown; the
    # two answers agree.
    timed = [f for f in result.hosts if f.simulated]
    assert timed and all("the most loaded host" in f.why_simulated for f in timed)
    assert all(f.agrees(w) for f in timed for w in result.worlds)
    assert result.disagreements() == []
    assert result.simulations == len(result.racks) + len(result.zones) + len(timed)


def test_a_rack_that_takes_two_of_four_hosts_leaves_replicas_pending_with_no_time():
    # Two racks of two 10 GB hosts, 6 replicas of 4 GB: two, two, one and one, each rack
    # holding three.  A rack fails: of its three, one fits on the host left with 6 GB free,
    # and two stay pending.
    scenario = cluster_scenario(hosts(4, 10, racks=2), [web(6, 4)])
    result = survey(scenario, jobs=1)
    for failure in result.racks:
        for world in result.worlds:
            outcome = failure.outcome(world)
            assert outcome.pending == {"web": 2} and outcome.recovery_s is None
    # Each single host: its one or two replicas fit, and the simulated one has its time.
    for failure in result.hosts:
        assert all(failure.outcome(w).survives for w in result.worlds)
    timed = next(f for f in result.hosts if f.simulated)
    assert timed.outcome("vm").recovery_s == pytest.approx(300, abs=1)
    assert timed.outcome("container").recovery_s == pytest.approx(350, abs=10)


def test_two_worker_processes_give_the_same_survey_as_one():
    scenario = _zoned()
    alone = survey(scenario, jobs=1)
    pooled = survey(scenario, jobs=2)
    assert pooled == alone
    assert pooled.to_json() == alone.to_json()


def test_progress_counts_each_task_and_cancel_stops_at_the_next():
    scenario = _zoned()
    heard: list[tuple[int, int, str]] = []
    survey(scenario, jobs=1, progress=lambda *report: heard.append(report))
    # A report as tasks are added (what: ""), then one as each is done.
    assert heard[0] == (0, 2, "")
    heard = [report for report in heard if report[2]]
    assert heard[-1][0] == heard[-1][1] == len(heard)
    assert heard[0][2] == "capacity analysis: VM world"
    assert {"rack 1 (a)", "zone a"} <= {what for _, _, what in heard}

    cancel = threading.Event()
    stopped: list[int] = []

    def cancel_after_two(done: int, total: int, what: str) -> None:
        if what:
            stopped.append(done)
        if done == 2:
            cancel.set()

    with pytest.raises(SurveyCancelled):
        survey(scenario, jobs=1, progress=cancel_after_two, cancel=cancel)
    assert stopped == [1, 2]
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(SurveyCancelled):
        survey(scenario, jobs=1, cancel=cancel)


def test_a_compatibility_matrix_has_nothing_to_survey():
    with pytest.raises(ValueError, match="compatibility matrix"):
        survey(resolve("compat"), jobs=1)


def test_the_json_is_one_object_of_plain_values():
    result = survey(_zoned(), jobs=1)
    document = json.loads(json.dumps(result.to_json()))
    assert document["scenario"] == "hand-built" and document["watch_s"] == WATCH_S
    assert set(document["worlds"]) == {"vm", "container"}
    assert document["worlds"]["vm"]["racks"]["total"] == 3
    assert len(document["failures"]) == len(result.hosts) + 3 + 1
    zone = next(f for f in document["failures"] if f["kind"] == "zone")
    assert zone["what_if"] == "zone=a@60" and zone["hosts"] == 4
    for answer in zone["worlds"].values():
        assert Outcome.from_json(answer).to_json() == {
            k: v for k, v in answer.items() if k not in ("analysis", "agrees")
        }


def test_the_words_count_rather_than_list():
    # Nine hosts in three racks, and a service that fills them: any host or rack failure
    # leaves replicas pending in both worlds.
    scenario = cluster_scenario(hosts(9, 10, racks=3), [web(18, 4)])
    text = survey_report(survey(scenario, jobs=1))
    assert "VM world: Hyper-V failover cluster" in text
    line = next(t for t in text.splitlines() if t.strip().startswith("Single hosts:"))
    assert line.strip().startswith(
        "Single hosts: 9 of 9 leave replicas pending: h1 (2 pending: web"
    )
    assert line.endswith("and 6 more")
    assert "Racks: 3 of 3 leave replicas pending: rack 1 (6 pending: web \u00d76)" in text


def test_a_survey_is_plain_values():
    result = survey(cluster_scenario(hosts(3, 12), [web(6, 4)]), jobs=1)
    assert isinstance(result, Survey)
    assert dataclasses.replace(result) == result


def test_cancel_shuts_the_worker_processes_down_without_waiting_for_them():
    cancel = threading.Event()

    def cancel_at_once(done: int, total: int, what: str) -> None:
        if what:  # once a worker has answered
            cancel.set()

    with pytest.raises(SurveyCancelled):
        survey(_zoned(), jobs=2, progress=cancel_at_once, cancel=cancel)
