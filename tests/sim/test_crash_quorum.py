"""A failover cluster that loses a majority of its votes at once stops: nothing fails over
until a majority is back (sim/policies/hyperv_quorum.py; "Configure and manage quorum":
dynamic quorum "does not allow the cluster to sustain a simultaneous failure of a majority
of voting members")."""

from __future__ import annotations

import dataclasses

from vmc_gui.model.cluster import ClusterSpec, HostSpec
from vmc_gui.model.events import Drain, HostFail, HostRecover, Rebalance, ZoneFail
from vmc_gui.model.library import resolve
from vmc_gui.model.scenario import World
from vmc_gui.sim import simulate
from vmc_gui.sim.records import EventType, HostStatus
from vmc_gui.sim.summary import to_json


def _three_zones(*events, witness: float | None = None):
    """Five nodes (rack 1: two, rack 2: two, rack 3: one), each rack its zone."""
    hosts = [
        HostSpec(f"{zone}{i}", rack, 16, 64, zone=f"z{zone}")
        for rack, zone, count in ((1, "a", 2), (2, "b", 2), (3, "c", 1))
        for i in range(1, count + 1)
    ]
    scenario = dataclasses.replace(
        resolve("failover"), cluster=ClusterSpec.of_hosts(hosts), events=tuple(events)
    )
    if witness is not None:
        scenario = scenario.with_parameters({"hyperv.witness": witness})
    return scenario


def _vm(timeline):
    return to_json(timeline)["worlds"][World.VM.value]


def test_a_majority_failing_at_once_stops_the_cluster():
    # Five votes (odd: the witness does not vote); racks 1 and 2 take four at once.
    timeline = simulate(_three_zones(ZoneFail(60.0, "za"), ZoneFail(60.0, "zb")))
    vm = timeline.worlds[World.VM]
    assert _vm(timeline)["recovery_s"] is None and _vm(timeline)["pending"] > 0
    reasons = set(vm.run.pending_reasons.values())
    assert any("has lost quorum (1 of the 3 votes it needs left)" in r for r in reasons)
    # The survivor keeps its VMs running (an assumption), and nothing comes to it.
    assert vm.state_at(590.0).host("c1").status == "up"
    lost = [e for e in timeline.events if e.world == World.VM and e.type == EventType.QUORUM_LOST]
    assert len(lost) == 1 and "their VMs run on (assumption)" in lost[0].detail


def test_the_same_nodes_failing_one_by_one_leave_a_last_man_standing():
    one_by_one = [HostFail(20.0 + 180 * i, name) for i, name in enumerate(("a1", "a2", "b1"))]
    timeline = simulate(_three_zones(*one_by_one))
    vm = timeline.worlds[World.VM]
    assert not any("quorum" in r for r in vm.run.pending_reasons.values())
    assert vm.state_at(590.0).host("c1").status == "up"


def test_a_minority_failing_keeps_quorum():
    timeline = simulate(_three_zones(ZoneFail(60.0, "za")))  # two of five
    assert not any("quorum" in r for r in timeline.worlds[World.VM].run.pending_reasons.values())


def test_quorum_comes_back_with_a_majority_and_what_waited_fails_over():
    events = (
        ZoneFail(60.0, "za"),
        ZoneFail(60.0, "zb"),
        HostRecover(200.0, "a1"),
        HostRecover(200.0, "a2"),
    )
    timeline = simulate(_three_zones(*events))
    kept = [e for e in timeline.events if e.world == World.VM and e.type == EventType.QUORUM_KEPT]
    assert len(kept) == 1 and kept[0].time_s == 200.0
    assert _vm(timeline)["pending"] == 0 and _vm(timeline)["recovery_s"] is not None


def test_the_container_world_has_no_such_rule():
    # Kubernetes' control plane is etcd's (three members here, one per rack): its quorum is
    # about the network, not the nodes' votes.
    timeline = simulate(_three_zones(ZoneFail(60.0, "za"), ZoneFail(60.0, "zb")))
    container = timeline.worlds[World.CONTAINER]
    assert all("lost quorum" not in r for r in container.run.pending_reasons.values())
    statuses = container.state_at(590.0).host_status.tolist()
    assert int(HostStatus.ISOLATED) not in statuses


def test_a_node_back_while_quorum_is_lost_starts_nothing():
    # a1 returns at 100 s, the cluster still without quorum (three of five votes down): its
    # VMs wait with the others ("the cluster must stop running").
    events = (ZoneFail(60.0, "za"), ZoneFail(60.0, "zb"), HostRecover(100.0, "a1"))
    timeline = simulate(_three_zones(*events))
    vm = timeline.worlds[World.VM]
    assert vm.state_at(100.0).host("a1").status == "up"
    assert not vm.state_at(590.0).host("a1").workloads
    assert any("lost quorum" in r for r in vm.run.pending_reasons.values())


def test_without_quorum_a_drain_or_a_hot_host_moves_nothing():
    # Suspend-ClusterNode and live migration are the cluster service's, stopped with quorum.
    events = (
        ZoneFail(60.0, "za"),
        ZoneFail(60.0, "zb"),
        Drain(120.0, "c1"),
        Rebalance(150.0, "c1", 1),
    )
    timeline = simulate(_three_zones(*events))
    vm = timeline.worlds[World.VM]
    refused = [
        e.detail
        for e in timeline.events
        if e.world == World.VM and e.type == EventType.NOT_APPLICABLE
    ]
    assert [d.split(":")[0] for d in refused] == ["cannot be drained", "no live migration"]
    assert all("has lost quorum" in d for d in refused)
    assert vm.state_at(590.0).host("c1").status == "up"  # not paused: nothing was asked
    assert not [
        e for e in timeline.events if e.world == World.VM and e.type.name.startswith("MIGRATION")
    ]
