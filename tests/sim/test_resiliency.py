"""Windows Server 2016+ failover clustering: VM compute resiliency and node quarantine."""

from __future__ import annotations

import pytest

from tests.scenarios import failover
from vmc_gui.model.parameters import ParameterSet
from vmc_gui.sim import simulate
from vmc_gui.sim.records import EventType, HostStatus
from vmc_gui.sim.summary import summarize

DEFAULTS = ParameterSet()
DETECTION_S = 10 * 1.0  # SameSubnetThreshold x SameSubnetDelay: the most detection takes
START_S = 45.0 + 5.0  # guest boot and app start (both assumed)


def _events(*rows: tuple[float, str, str]) -> str:
    return "".join(
        f'[[events]]\nat_s = {at}\nkind = "{kind}"\nhost = "{host}"\n' for at, kind, host in rows
    )


def vm_world(scenario):
    timeline = simulate(scenario)
    return timeline, timeline.worlds[next(iter(timeline.worlds))]


def vm_events(timeline, kind):
    return [e for e in timeline.events if e.world.value == "vm" and e.type == kind]


def test_always_isolate_waits_out_the_resiliency_period_even_for_a_crash():
    timeline, vm = vm_world(failover())
    result = summarize(timeline)["vm"]
    period = DEFAULTS.seconds("hyperv.resiliency_default_period_s")
    assert period == 240
    assert period + START_S < result.recovery_s <= period + START_S + DETECTION_S
    # Isolated while its VMs are Unmonitored, then down and failed over.
    removed = vm_events(timeline, EventType.NODE_ISOLATED)[0].time_s
    assert vm.state_at(removed).host_status[0] == HostStatus.ISOLATED
    assert vm.state_at(removed + period - 1).host_status[0] == HostStatus.ISOLATED
    assert vm.state_at(removed + period).host_status[0] == HostStatus.DOWN
    assert "Unmonitored" in vm_events(timeline, EventType.NODE_ISOLATED)[0].detail
    # The VMs do not run meanwhile: the host is off (the cluster only cannot tell).
    assert vm.state_at(removed + 1).service_ready[0] == 7


@pytest.mark.parametrize(
    "setting", [("hyperv.resiliency_level", 1), ("hyperv.resiliency_default_period_s", 0)]
)
def test_isolate_on_special_heartbeat_or_no_period_fails_over_at_once(setting):
    name, value = setting
    timeline, vm = vm_world(failover().with_parameters({name: value}))
    result = summarize(timeline)["vm"]
    assert START_S < result.recovery_s <= START_S + DETECTION_S
    assert not vm_events(timeline, EventType.NODE_ISOLATED)
    assert "isolated: VMs unmonitored" not in {p.name for p in result.phases}
    assert HostStatus.ISOLATED not in {int(vm.state_at(t).host_status[0]) for t in range(55, 130)}


def test_the_period_is_what_the_storage_replica_guide_sets():
    # "(Get-Cluster).ResiliencyDefaultPeriod=10" so that guests do not pause for long.
    result = summarize(
        simulate(failover().with_parameters({"hyperv.resiliency_default_period_s": 10}))
    )
    assert 10 + START_S < result["vm"].recovery_s <= 10 + START_S + DETECTION_S


def test_a_node_back_within_the_period_restarts_its_vms_where_they_were():
    timeline, vm = vm_world(
        failover(events=_events((60, "host_fail", "r1-h01"), (200, "host_recover", "r1-h01")))
    )
    result = summarize(timeline)["vm"]
    assert result.recovery_s == pytest.approx(200 - 60 + START_S)
    assert vm.state_at(300).workload("web-0").host == "r1-h01"
    # The isolation ended when the node came back, not after the full period.
    isolated = next(p for p in result.phases if p.name == "isolated: VMs unmonitored")
    assert isolated.end_s == pytest.approx(200.0)


def _flapping(times: int, gap: float = 1000.0, recover_after: float = 400.0) -> str:
    rows = []
    for k in range(times):
        at = 60 + k * gap
        rows += [(at, "host_fail", "r1-h01"), (at + recover_after, "host_recover", "r1-h01")]
    return _events(*rows)


def test_three_ungraceful_exits_within_an_hour_quarantine_the_node():
    scenario = failover(events=_flapping(3), duration_s=10_000)
    timeline, vm = vm_world(scenario)
    quarantined = vm_events(timeline, EventType.NODE_QUARANTINED)
    assert len(quarantined) == 1 and "3 ungraceful exits within an hour" in quarantined[0].detail
    since = quarantined[0].time_s
    assert 2060 < since < 2071  # removed ten heartbeats after the third crash at 2,060 s
    # Powered on at 2,460 s, it is kept out: it neither rejoins nor hosts VMs.
    assert vm.state_at(2500).host_status[0] == HostStatus.QUARANTINED
    assert vm.state_at(2500).host("r1-h01").workloads == ()
    duration = DEFAULTS.seconds("hyperv.quarantine_duration_s")
    assert duration == 7200
    assert vm.state_at(since + duration - 1).host_status[0] == HostStatus.QUARANTINED
    assert vm.state_at(since + duration + 1).host_status[0] == HostStatus.UP
    assert vm_events(timeline, EventType.QUARANTINE_ENDED)[0].time_s == pytest.approx(
        since + duration
    )


def test_two_exits_or_three_spread_over_more_than_an_hour_do_not():
    for events in (_flapping(2), _flapping(3, gap=2000)):
        timeline, vm = vm_world(failover(events=events, duration_s=9000))
        assert not vm_events(timeline, EventType.NODE_QUARANTINED)
        assert vm.state_at(8999).host_status[0] == HostStatus.UP


def test_at_most_a_quarter_of_the_nodes_one_in_a_small_cluster():
    # Three nodes: one may be quarantined; the second to flap is not.
    rows = []
    for k in range(3):
        for host, offset in (("r1-h01", 0), ("r1-h02", 100)):
            at = 60 + offset + k * 1000
            rows += [(at, "host_fail", host), (at + 400, "host_recover", host)]
    scenario = failover(
        events=_events(*sorted(rows)), racks=1, hosts_per_rack=3, replicas=2, duration_s=4000
    )
    timeline, vm = vm_world(scenario)
    decisions = vm_events(timeline, EventType.NODE_QUARANTINED)
    assert [e.host for e in decisions] == ["r1-h01", "r1-h02"]
    assert decisions[0].detail.startswith("quarantined until")
    assert decisions[1].detail == "not quarantined: 1 of 3 nodes already are (at most 1)"
    assert vm.state_at(3900).host("r1-h02").status == "up"


def test_a_quarantine_threshold_of_four_lets_three_exits_pass():
    scenario = failover(events=_flapping(3), duration_s=4000).with_parameters(
        {"hyperv.quarantine_threshold": 4}
    )
    timeline, _ = vm_world(scenario)
    assert not vm_events(timeline, EventType.NODE_QUARANTINED)


def test_the_out_of_service_taint_has_no_failover_cluster_equivalent():
    plain = summarize(simulate(failover()))["vm"].recovery_s
    events = _events((60, "host_fail", "r1-h01"), (100, "out_of_service", "r1-h01"))
    timeline, _ = vm_world(failover(events=events))
    assert summarize(timeline)["vm"].recovery_s == plain
    (said,) = vm_events(timeline, EventType.NOT_APPLICABLE)
    assert "no documented failover-cluster equivalent" in said.detail
