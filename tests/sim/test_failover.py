"""The failover race: the phases add up to the platforms' documented defaults."""

from __future__ import annotations

import pytest

from tests.scenarios import failover
from vmc_gui.model.library import resolve
from vmc_gui.model.parameters import ParameterSet
from vmc_gui.sim import simulate
from vmc_gui.sim.records import EventType, HostStatus
from vmc_gui.sim.summary import summarize

DEFAULTS = ParameterSet()
FAULT_AT = 60.0


def phases(summary):
    return {p.name: p for p in summary.phases}


def test_bundled_failover_scenario_matches_the_design():
    scenario = resolve("failover")
    assert scenario.cluster.racks == 3 and scenario.cluster.hosts_per_rack == 4
    assert [e.at_s for e in scenario.events] == [FAULT_AT]
    result = summarize(simulate(scenario))
    # DESIGN.md: both platforms wait out "maybe it is only cut off": about 5 min for VMs
    # (detection, the 240 s resiliency period, boot), about 5.9 min for containers.
    assert 290 < result["vm"].recovery_s < 310
    assert 330 < result["container"].recovery_s < 370
    assert result["vm"].recovery_s < result["container"].recovery_s


def test_vm_recovery_is_threshold_times_delay_plus_boot_plus_app_start():
    result = summarize(simulate(failover()))["vm"]
    delay = DEFAULTS.seconds("hyperv.same_subnet_delay_ms")
    expected = (
        DEFAULTS["hyperv.same_subnet_threshold"] * delay
        + DEFAULTS.seconds("hyperv.resiliency_default_period_s")
        + DEFAULTS.seconds("vm.guest_boot_s")
        + DEFAULTS.seconds("vm.app_start_s")
    )
    # The crash falls somewhere between two heartbeats: within one delay of the sum.
    assert expected - delay <= result.recovery_s <= expected
    named = phases(result)
    assert list(named) == [
        "heartbeat detection",
        "isolated: VMs unmonitored",
        "guest boot",
        "app start",
    ]
    assert named["isolated: VMs unmonitored"].duration_s == pytest.approx(240.0)
    assert named["guest boot"].duration_s == pytest.approx(45.0)
    assert named["app start"].duration_s == pytest.approx(5.0)
    assert named["heartbeat detection"].start_s == FAULT_AT


def test_container_recovery_is_grace_plus_toleration_plus_start_within_one_status_period():
    result = summarize(simulate(failover()))["container"]
    grace = DEFAULTS.seconds("kubernetes.node_monitor_grace_period_s")
    toleration = DEFAULTS.seconds("kubernetes.default_unreachable_toleration_s")
    start = DEFAULTS.seconds("container.nanoserver_start_s")
    named = phases(result)
    pull = named["image pull"].duration_s if "image pull" in named else 0.0
    expected = grace + toleration + pull + start
    # The last lease renewal falls up to one renewal (10 s) before the crash, and the
    # controller's pass that saw it up to one monitor period (5 s) after it.
    renewal = DEFAULTS.seconds("kubernetes.node_lease_duration_s") / 4
    period = DEFAULTS.seconds("kubernetes.node_monitor_period_s")
    assert expected - renewal <= result.recovery_s <= expected + period
    assert list(named) == [
        "node-monitor grace period",
        "unreachable toleration",
        "scheduling",
        "image pull",
        "container start",
    ]
    assert named["unreachable toleration"].duration_s == pytest.approx(toleration)
    assert named["container start"].duration_s == pytest.approx(start)
    # 101 MB of Nano Server downloaded at 1 Gbit/s (0.85 s), then extracted at 14 MB/s of
    # the compressed image (7.2 s).
    assert pull == pytest.approx(101 * 8 * 2**20 / 1e9 + 101 / 14)


def test_tuning_the_eviction_timers_flips_the_ordering():
    default = summarize(simulate(failover()))
    assert default["vm"].recovery_s < default["container"].recovery_s
    tuned = summarize(
        simulate(
            failover().with_parameters(
                {
                    "kubernetes.node_monitor_grace_period_s": 20,
                    "kubernetes.default_unreachable_toleration_s": 5,
                }
            )
        )
    )
    assert tuned["container"].recovery_s < tuned["vm"].recovery_s
    assert tuned["vm"].recovery_s == pytest.approx(default["vm"].recovery_s)


def test_heartbeat_settings_change_vm_detection():
    slow = summarize(simulate(failover(parameters='"hyperv.same_subnet_threshold" = 20')))["vm"]
    fast = summarize(simulate(failover(parameters='"hyperv.same_subnet_threshold" = 5')))["vm"]
    assert slow.recovery_s - fast.recovery_s == pytest.approx(15.0, abs=1.0)


def test_capacity_shortfall_leaves_replicas_pending_with_a_reason():
    # 12 hosts of 16 GB; 12 replicas that each need nearly all of one host.
    scenario = failover(replicas=12, memory_gb=16, memory_mb=14000)
    result = summarize(simulate(scenario))
    for world in ("vm", "container"):
        assert result[world].recovery_s is None
        assert result[world].pending == 1
        assert result[world].reason
    assert "memory" in result["vm"].reason
    assert "Insufficient memory" in result["container"].reason
    assert result["vm"].phases[0].name == "heartbeat detection"


def test_a_host_back_before_detection_restarts_its_vms_in_place():
    events = (
        '[[events]]\nat_s = 60\nkind = "host_fail"\nhost = "r1-h01"\n'
        '[[events]]\nat_s = 63\nkind = "host_recover"\nhost = "r1-h01"\n'
    )
    timeline = simulate(failover(events=events))
    kinds = [e.type for e in timeline.events if e.world.value == "vm"]
    assert EventType.NODE_REMOVED not in kinds
    state = timeline.state_at(200.0)["vm"]
    assert state.workload("web-0").host == "r1-h01"
    assert state.workload("web-0").phase == "ready"


def test_a_node_back_during_the_toleration_keeps_its_pods():
    events = (
        '[[events]]\nat_s = 60\nkind = "host_fail"\nhost = "r1-h01"\n'
        '[[events]]\nat_s = 200\nkind = "host_recover"\nhost = "r1-h01"\n'
    )
    timeline = simulate(failover(events=events))
    container = [e.type for e in timeline.events if e.world.value == "container"]
    assert EventType.NODE_NOT_READY in container
    assert EventType.POD_EVICTED not in container
    state = timeline.state_at(300.0)["container"]
    assert state.workload("web-0").host == "r1-h01"
    assert state.workload("web-0").phase == "ready"
    # Its pods never stopped: only the restarted node's kubelet starts them again.
    start = DEFAULTS.seconds("container.nanoserver_start_s")
    assert summarize(timeline)["container"].recovery_s == pytest.approx(140.0 + start)


def test_rack_failure_moves_every_workload_off_the_rack():
    scenario = failover(events='[[events]]\nat_s = 60\nkind = "rack_fail"\nrack = 1\n', replicas=24)
    timeline = simulate(scenario)
    state = timeline.state_at(scenario.duration_s)
    # The VM world marks them down; the container world has tainted them (rack 1 is a zone with
    # every node down: fully disrupted, so tainted at the normal rate, one every 10 s).
    for world, down in (("vm", "down"), ("container", "tainted")):
        ws = state[world]
        racks = {ws.host(h).name for h in ws.host_names if ws.host(h).status == down}
        assert racks == {"r1-h01", "r1-h02", "r1-h03", "r1-h04"}
        for workload in ws.workloads():
            if workload.phase == "ready":
                assert not workload.host.startswith("r1-")
        assert int(ws.service_ready[0]) == 24


def test_failed_host_status_goes_failed_then_down():
    timeline = simulate(failover())
    vm = timeline.worlds[next(iter(timeline.worlds))]
    assert vm.state_at(59.0).host_status[0] == HostStatus.UP
    assert vm.state_at(60.0).host_status[0] == HostStatus.FAILED
    # Out of membership after ten missed heartbeats: isolated for the 240 s resiliency period.
    assert vm.state_at(75.0).host_status[0] == HostStatus.ISOLATED
    assert vm.state_at(305.0).host_status[0] == HostStatus.ISOLATED
    assert vm.state_at(315.0).host_status[0] == HostStatus.DOWN


def test_vms_restart_as_the_same_vm_but_pods_are_replaced():
    state = simulate(failover()).state_at(600.0)
    vm_names = {w.name for w in state["vm"].workloads()}
    assert vm_names == {f"web-{i}" for i in range(8)}
    container = {w.name: w for w in state["container"].workloads()}
    # Evicted with the default 30 s grace period its dead kubelet cannot confirm: Terminating.
    assert container["web-0"].phase == "terminating"
    assert container["web-8"].phase == "ready"


def test_failover_respects_memory_on_survivors():
    # Every host can take exactly two replicas; 22 replicas on 12 hosts leave room for two.
    scenario = failover(replicas=22, memory_gb=10, memory_mb=4500)
    state = simulate(scenario).state_at(600.0)["vm"]
    assert float(state.host_memory_gb.max()) <= 10.0 + 1e-9


def _set(at: float, name: str, value: float) -> str:
    return f'[[events]]\nat_s = {at}\nkind = "set"\nparameter = "{name}"\nvalue = {value}\n'


FAIL = '[[events]]\nat_s = 60\nkind = "host_fail"\nhost = "r1-h01"\n'


def test_a_setting_changed_before_the_fault_changes_the_race():
    tuned = failover(
        events=FAIL
        + _set(30, "kubernetes.node_monitor_grace_period_s", 20)
        + _set(30, "hyperv.resiliency_default_period_s", 10)
    )
    plain = summarize(simulate(failover()))
    result = summarize(simulate(tuned))
    # The controllers decide with the new values from then on.
    assert result["container"].recovery_s < plain["container"].recovery_s - 25
    assert result["vm"].recovery_s == pytest.approx(plain["vm"].recovery_s - 230)
    timeline = simulate(tuned)
    changes = [e for e in timeline.events if e.type == EventType.SETTING_CHANGED]
    assert [e.detail for e in changes if e.world.value == "container"] == [
        "kubernetes.node_monitor_grace_period_s = 20",
        "hyperv.resiliency_default_period_s = 10",
    ]


def test_a_pod_keeps_the_toleration_it_was_admitted_with():
    # The admission plugin's default is written into each pod when it is created: a changed
    # default is for pods created after it, such as the replacements.
    changed = failover(events=FAIL + _set(30, "kubernetes.default_unreachable_toleration_s", 5))
    assert summarize(simulate(changed))["container"].recovery_s == pytest.approx(
        summarize(simulate(failover()))["container"].recovery_s
    )


def test_a_timer_already_running_keeps_its_setting():
    # NotReady comes at about 107 s; the 300 s toleration is already running at 200 s.
    late = failover(events=FAIL + _set(200, "kubernetes.default_unreachable_toleration_s", 5))
    assert summarize(simulate(late))["container"].recovery_s == pytest.approx(
        summarize(simulate(failover()))["container"].recovery_s
    )


def test_raising_a_limit_lets_pending_replicas_start():
    # Every node takes 3 pods at most: 36 replicas fill the 12 nodes, and the failed node's
    # pods have nowhere to go until the limit is raised at 500 s.
    scenario = failover(
        replicas=36,
        cpu=1.0,
        memory_mb=1000,
        parameters='"kubernetes.max_pods_per_node" = 3',
        events=FAIL + _set(500, "kubernetes.max_pods_per_node", 110),
    )
    timeline = simulate(scenario)
    assert timeline.state_at(499.0)["container"].service_ready[0] == 33
    assert timeline.state_at(600.0)["container"].service_ready[0] == 36
    result = summarize(timeline)["container"]
    assert 440 < result.recovery_s < 445  # placed at 500 s, then pull and start


def test_pending_replicas_are_placed_when_a_host_returns_and_logged_once():
    # 12 hosts that each hold one replica; the failed host's replica waits for it to return.
    events = FAIL + '[[events]]\nat_s = 300\nkind = "host_recover"\nhost = "r2-h02"\n'
    events += '[[events]]\nat_s = 450\nkind = "host_recover"\nhost = "r1-h01"\n'
    scenario = failover(replicas=12, memory_gb=16, memory_mb=14000, events=events)
    timeline = simulate(scenario)
    for world in ("vm", "container"):
        refused = [
            e
            for e in timeline.events
            if e.world.value == world and e.type == EventType.WORKLOAD_UNSCHEDULABLE
        ]
        assert len(refused) == 1, world
        assert timeline.state_at(600.0)[world].service_ready[0] == 12
    result = summarize(timeline)
    assert result["vm"].recovery_s == pytest.approx(450 - 60 + 45 + 5)
