"""Kubernetes' node lifecycle controller: leases, zones, and the eviction rate per zone state."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from tests.scenarios import failover
from vmc_gui.model.scenario import World
from vmc_gui.sim import simulate
from vmc_gui.sim.records import EventType, HostStatus, ZoneState
from vmc_gui.sim.summary import summarize


def _fail(*hosts: str, at: float = 60) -> str:
    return "".join(f'[[events]]\nat_s = {at}\nkind = "host_fail"\nhost = "{h}"\n' for h in hosts)


def containers(scenario):
    """The container world alone (the VM world plays no part here)."""
    timeline = simulate(dataclasses.replace(scenario, worlds=(World.CONTAINER,)))
    return timeline, timeline.worlds[World.CONTAINER]


def events(timeline, kind):
    return [e for e in timeline.events if e.type == kind]


def taint_times(timeline) -> dict[str, float]:
    return {e.host: e.time_s for e in events(timeline, EventType.NODE_TAINTED)}


def test_a_node_is_judged_by_its_lease_a_grace_period_after_the_pass_that_saw_it():
    timeline, world = containers(failover(duration_s=200))
    (not_ready,) = events(timeline, EventType.NODE_NOT_READY)
    renewals = [e.time_s for e in events(timeline, EventType.LEASE_NOT_RENEWED)]
    # Renewals every 10 s (a quarter of the 40 s lease); judged 50 s after the pass (every
    # 5 s) that saw the last renewal: 40 to 60 s after the crash.
    assert all(b - a == pytest.approx(10.0) for a, b in itertools.pairwise(renewals))
    assert 40 < not_ready.time_s - 60 <= 60
    last_renewal = renewals[0] - 10
    assert 50 < not_ready.time_s - last_renewal <= 55 + 1e-9
    assert world.state_at(not_ready.time_s).host_status[0] == HostStatus.DOWN
    assert world.state_at(not_ready.time_s + 0.1).host_status[0] == HostStatus.TAINTED


def test_a_shorter_lease_does_not_speed_detection_past_the_grace_period():
    slow = events(containers(failover(duration_s=200))[0], EventType.NODE_NOT_READY)[0].time_s
    fast = events(
        containers(
            failover(duration_s=200).with_parameters({"kubernetes.node_lease_duration_s": 20})
        )[0],
        EventType.NODE_NOT_READY,
    )[0].time_s
    assert abs(fast - slow) <= 10


def test_a_single_node_in_a_normal_zone_is_tainted_at_once():
    timeline, _ = containers(failover())
    (not_ready,) = events(timeline, EventType.NODE_NOT_READY)
    (tainted,) = events(timeline, EventType.NODE_TAINTED)
    # The bucket holds its one token: the taint loop's next try, within 100 ms.
    assert 0 < tainted.time_s - not_ready.time_s <= 0.1 + 1e-9
    assert not events(timeline, EventType.ZONE_STATE_CHANGED)


def test_a_whole_rack_is_fully_disrupted_and_tainted_at_the_normal_rate():
    timeline, world = containers(failover(events=_fail("r1-h01", "r1-h02", "r1-h03", "r1-h04")))
    states = [e.detail for e in events(timeline, EventType.ZONE_STATE_CHANGED)]
    assert states[-1].startswith("zone rack-1: full disruption (4 of 4 nodes NotReady)")
    times = sorted(taint_times(timeline).values())
    assert len(times) == 4
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # One node every 10 s (--node-eviction-rate 0.1), on the 100 ms taint loop.
    assert all(10.0 - 1e-6 <= g <= 10.1 + 1e-6 for g in gaps[1:])
    assert summarize(timeline)["container"].recovery_s is not None
    assert world.zones_at(600.0)[0][0] == ZoneState.FULL


def test_three_of_four_nodes_down_stop_evictions_in_a_small_zone():
    timeline, world = containers(
        failover(events=_fail("r1-h01", "r1-h02", "r1-h03"), duration_s=1200)
    )
    result = summarize(timeline)["container"]
    assert result.recovery_s is None
    partial = [e for e in events(timeline, EventType.ZONE_STATE_CHANGED) if "partial" in e.detail]
    assert partial and "3 of 4 nodes NotReady" in partial[0].detail
    assert "eviction rate 0 nodes/s" in partial[0].detail
    tainted = taint_times(timeline)
    # Those tainted before the zone turned partial are evicted; the rest never are.
    assert all(t < partial[0].time_s + 1e-9 for t in tainted.values())
    assert 0 < len(tainted) < 3
    assert result.held_back == 3 - len(tainted)
    assert "partially disrupted" in result.reason
    assert "--large-cluster-size-threshold" in result.reason
    # The reason holds in the JSON and in the zone's state the cluster view draws.
    assert world.zones_at(1200.0)[0] == (ZoneState.PARTIAL, 0.0)


def test_one_zone_for_the_whole_cluster_keeps_it_normal():
    # 3 of 12 nodes NotReady is 25 %, under the 55 % threshold: every node is tainted.
    scenario = failover(events=_fail("r1-h01", "r1-h02", "r1-h03"), duration_s=1200)
    scenario = dataclasses.replace(
        scenario, cluster=dataclasses.replace(scenario.cluster, zones="single")
    )
    timeline, _ = containers(scenario)
    assert len(taint_times(timeline)) == 3
    assert not events(timeline, EventType.ZONE_STATE_CHANGED)
    assert summarize(timeline)["container"].recovery_s is not None


def test_a_large_partially_disrupted_zone_slows_to_the_secondary_rate():
    # With the threshold at 3 the 4-node zone counts as large: 0.01 nodes/s, 100 s apart.
    scenario = failover(
        events=_fail("r1-h01", "r1-h02", "r1-h03"), duration_s=1500
    ).with_parameters({"kubernetes.large_cluster_size_threshold": 3})
    timeline, _ = containers(scenario)
    times = sorted(taint_times(timeline).values())
    assert len(times) == 3
    assert any(100.0 - 1e-6 <= b - a <= 100.1 + 1e-6 for a, b in itertools.pairwise(times))
    assert summarize(timeline)["container"].recovery_s is not None


def test_every_zone_down_stops_all_evictions_and_removes_the_taints():
    rack = ("r1-h01", "r1-h02", "r1-h03", "r1-h04")
    everything = rack + tuple(f"r{r}-h0{h}" for r in (2, 3) for h in range(1, 5))
    timeline, world = containers(failover(events=_fail(*everything)))
    assert not events(timeline, EventType.POD_EVICTED)
    said = [e.detail for e in events(timeline, EventType.ZONE_STATE_CHANGED)]
    assert "every zone is fully disrupted: all evictions stop" in " ".join(said)
    untainted = {e.host for e in events(timeline, EventType.NODE_UNTAINTED)}
    assert untainted == set(taint_times(timeline))  # each taint it applied, removed
    final = world.state_at(600.0)
    assert set(final.host_status.tolist()) == {int(HostStatus.DOWN)}
    assert "every zone is fully disrupted" in summarize(timeline)["container"].reason


def test_a_zone_back_resumes_evictions_after_a_drained_bucket():
    everything = tuple(f"r{r}-h0{h}" for r in (1, 2, 3) for h in range(1, 5))
    back = '[[events]]\nat_s = 200\nkind = "host_recover"\nhost = "r3-h04"\n'
    timeline, _ = containers(failover(events=_fail(*everything) + back, duration_s=1200))
    ready = next(e for e in events(timeline, EventType.NODE_READY) if e.host == "r3-h04")
    resumed = [t for t in taint_times(timeline).values() if t > ready.time_s]
    assert resumed, "evictions resume once a zone has a Ready node"
    # The rate-0 limiter is swapped for a new bucket drained of its token: 10 s first.
    assert min(resumed) - ready.time_s == pytest.approx(10.0, abs=0.1)


def test_a_pods_own_toleration_decides_when_it_is_evicted():
    text = failover().services[0]
    scenario = failover()
    scenario = dataclasses.replace(
        scenario, services=(dataclasses.replace(text, toleration_s=30.0),)
    )
    timeline, _ = containers(scenario)
    (tainted,) = events(timeline, EventType.NODE_TAINTED)
    (evicted,) = events(timeline, EventType.POD_EVICTED)
    assert evicted.time_s - tainted.time_s == pytest.approx(30.0)


def test_a_pod_evicted_from_a_dead_node_stays_terminating_until_its_kubelet_returns():
    back = '[[events]]\nat_s = 500\nkind = "host_recover"\nhost = "r1-h01"\n'
    timeline, world = containers(failover(events=_fail("r1-h01") + back, duration_s=600))
    assert world.state_at(450).workload("web-0").phase == "terminating"
    # The ReplicaSet no longer counts it: its replacement runs meanwhile.
    assert world.state_at(450).workload("web-8").phase == "ready"
    (confirmed,) = events(timeline, EventType.POD_DELETED)
    assert confirmed.time_s == 500 and "kubelet confirmed" in confirmed.detail
    assert world.state_at(550).workload("web-0").phase == "stopped"


def test_grace_zero_deletes_the_evicted_pod_at_once():
    scenario = failover().with_parameters({"kubernetes.termination_grace_period_s": 0})
    timeline, world = containers(scenario)
    (evicted,) = events(timeline, EventType.POD_EVICTED)
    assert "gone at once (grace period 0)" in evicted.detail
    assert world.state_at(evicted.time_s).workload("web-0").phase == "stopped"


def test_the_out_of_service_taint_evicts_at_once_and_replaces_the_pods():
    oos = '[[events]]\nat_s = 120\nkind = "out_of_service"\nhost = "r1-h01"\n'
    timeline, world = containers(failover(events=_fail("r1-h01") + oos))
    assert world.state_at(121).host_status[0] == HostStatus.OUT_OF_SERVICE
    (evicted,) = events(timeline, EventType.POD_EVICTED)
    assert evicted.time_s == 120
    result = summarize(timeline)["container"]
    # The replacement lands on a node without the image: a cold pull, then the start.
    pull = next(p for p in result.phases if p.name == "image pull").duration_s
    assert 120 - 60 < result.recovery_s < 120 - 60 + pull + 5
    # The pod garbage collector force-deletes the Terminating pod on its next run (20 s).
    (collected,) = events(timeline, EventType.POD_DELETED)
    assert 120 < collected.time_s <= 140 and "garbage collector" in collected.detail
