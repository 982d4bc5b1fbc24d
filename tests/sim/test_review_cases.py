"""Defects a code review of the resiliency, node-lifecycle and Azure Disk model found, each kept
as a small scenario in tests/sim/cases/review/ and a test that names what broke."""

from __future__ import annotations

from pathlib import Path

import pytest

from vmc_gui.model.loader import load_scenario
from vmc_gui.model.scenario import World
from vmc_gui.sim import simulate
from vmc_gui.sim.records import EventType, HostStatus, Phase
from vmc_gui.sim.summary import summarize

CASES = Path(__file__).resolve().parent / "cases" / "review"


def run(name: str):
    timeline = simulate(load_scenario(CASES / f"{name}.toml"))
    return timeline, summarize(timeline)


def events(timeline, kind, world=None):
    return [
        e for e in timeline.events if e.type == kind and (world is None or e.world.value == world)
    ]


def test_an_eviction_rate_of_zero_stops_tainting_instead_of_dividing_by_zero():
    timeline, result = run("rate_zero")
    assert not events(timeline, EventType.NODE_TAINTED)
    assert result["container"].recovery_s is None
    assert "evicts at 0 nodes/s" in result["container"].reason


def test_a_node_whose_kubelet_came_back_is_not_tainted_and_its_next_crash_counts():
    timeline, result = run("tainted_alive_defaults")
    back, again = 130.05, 133.0
    tainted = [e.time_s for e in events(timeline, EventType.NODE_TAINTED) if e.host == "r1-h02"]
    assert not [t for t in tainted if back <= t < again]
    # After its second crash no pod of it is ready on it, and the service recovers in full.
    world = timeline.worlds[World.CONTAINER]
    final = world.state_at(900.0)
    on_dead = final.workload_host == world.run.host_names.index("r1-h02")
    assert not (on_dead & (final.workload_phase == Phase.READY)).any()
    assert int(final.service_ready[0]) == 8
    assert result["container"].recovery_s is not None


def test_a_second_crash_before_the_controller_saw_the_node_back_is_judged():
    timeline, result = run("fail_twice")
    assert result["container"].recovery_s is not None
    final = timeline.worlds[World.CONTAINER].state_at(1800.0)
    assert int(final.service_ready[0]) == 6


def test_statefulset_pods_terminating_or_gone_count_as_replicas_when_scaling():
    timeline, result = run("sts_scale")
    world = timeline.worlds[World.CONTAINER_DISK_VOLUME]
    for t in range(0, 1801, 50):
        state = world.state_at(float(t))
        assert int(state.service_ready[0]) <= int(state.service_desired[0]), t
    assert result["container-disk-volume"].extra["instances"] == 4


def test_a_pod_waiting_for_its_disk_keeps_waiting_when_its_node_returns():
    timeline, result = run("attaching_restart")
    # The disk leaves the dead r1-h01 only by the forced detach, 6 minutes after the pod went.
    forced = [
        e
        for e in events(timeline, EventType.VOLUME_DETACH_STARTED)
        if e.detail.startswith("force detach: 6 min")
    ]
    assert forced and result["container-disk-volume"].recovery_s > forced[0].time_s - 10


def test_an_out_of_service_taint_on_a_running_node_is_lifted_by_host_recover():
    timeline, _ = run("oos_running")
    world = timeline.worlds[World.CONTAINER]
    assert world.state_at(100.0).host("r1-h01").status == "out_of_service"
    assert world.state_at(121.0).host("r1-h01").status == "up"


def test_a_drain_survives_the_controllers_next_pass():
    timeline, _ = run("drain_after_recover")
    world = timeline.worlds[World.CONTAINER]
    state = world.state_at(600.0)
    assert state.host("r1-h01").status == "draining"
    assert state.host("r1-h01").workloads == ()  # nothing landed on it, scale-out included


def test_a_changed_threshold_judges_the_zones_again():
    timeline, result = run("set_threshold")
    # 3 of 4 NotReady is 75 %: partial at 55 %, normal at 90 %, so evictions resume.
    assert result["container"].recovery_s is not None
    states = [e.detail for e in events(timeline, EventType.ZONE_STATE_CHANGED)]
    assert any("partial disruption" in s for s in states)
    assert any(s.startswith("zone rack-1: normal") for s in states)


def test_a_zone_of_three_with_two_down_stays_normal():
    # More than 2 of its nodes must be NotReady before a zone is partially disrupted.
    timeline, result = run("zone_3_nodes_2_down")
    assert not events(timeline, EventType.ZONE_STATE_CHANGED)
    assert result["container"].recovery_s is not None


def test_a_statefulset_pod_back_on_its_disks_node_keeps_the_disk():
    timeline, _ = run("sts_same_node")
    wanted_again = [e for e in events(timeline, EventType.VOLUME_ATTACHED) if "kept" in e.detail]
    multi = [e for e in timeline.events if "Multi-Attach" in e.detail and e.host == "r1-h01"]
    assert wanted_again and not [e for e in multi if "attached to r1-h01" in e.detail]


def test_held_back_counts_statefulset_pods_waiting_their_turn():
    _, result = run("held_back_undercount")
    world = result["container-disk-volume"]
    assert world.held_back == 2
    assert world.recovery_s is None


def test_pods_keep_the_toleration_they_were_admitted_with():
    timeline, result = run("set_toleration_existing_pods")
    (tainted,) = events(timeline, EventType.NODE_TAINTED)
    evicted = events(timeline, EventType.POD_EVICTED)
    assert evicted and all(e.time_s - tainted.time_s == pytest.approx(300.0) for e in evicted)
    assert result["container"].recovery_s == pytest.approx(345.2, abs=5.0)


def test_a_ready_workload_is_on_a_host_in_service_in_every_case():
    for path in sorted(CASES.glob("*.toml")):
        timeline = simulate(load_scenario(path))
        for world in timeline.worlds.values():
            for t in (50.0, 150.0, 400.0, timeline.duration_s):
                state = world.state_at(t)
                hosts = state.workload_host[state.workload_phase == Phase.READY]
                statuses = [HostStatus(int(s)) for s in state.host_status[hosts]]
                assert all(s.serving for s in statuses), (path.name, world.world.value, t)


# --- found by the review of live migration and OS updates (issue 16) ----------------------


def _vm(timeline):
    return timeline.worlds[World.VM]


def test_a_drain_during_an_update_moves_every_vm_and_the_update_finishes():
    # Downloading and staging were phase changes, which called the migrations off.
    timeline, result = run("lm_e1")
    run_ = _vm(timeline).run
    moves = [m for m in run_.migrations if run_.host_names[m.source] == "r1-h01"]
    assert moves and all(m.outcome == "moved" for m in moves)
    assert _vm(timeline).state_at(timeline.duration_s).host("r1-h01").workloads == ()
    assert result["vm"].extra["update_duration_s"] is not None


def test_a_live_migration_carries_the_guests_download_and_staging_along():
    _timeline, result = run("lm_e5")
    # Staged at 60 + 60 + 600 s whatever moves; the reboots follow (1,010 s in all).
    assert result["vm"].extra["update_duration_s"] == pytest.approx(1010.0)


def test_a_second_rebalance_of_the_same_host_moves_other_vms():
    timeline, _ = run("lm_e10")
    run_ = _vm(timeline).run
    moved = [run_.workload_names[m.workload] for m in run_.migrations if m.outcome == "moved"]
    assert len(moved) == len(set(moved)) == 2


def test_a_copy_late_in_a_long_run_on_a_fast_link_ends():
    # The rest of a copy once rounded back to the same instant, forever.
    timeline, _ = run("lm_hang")
    assert [m.outcome for m in _vm(timeline).run.migrations] == ["moved"]


def test_a_new_vm_whose_host_crashed_during_its_template_copy_still_boots_for_the_first_time():
    _timeline, result = run("lm_e9")
    names = [p.name for p in result["vm"].phases]
    assert "first boot (setup)" in names and "guest boot" not in names
    assert result["vm"].recovery_s == pytest.approx(169.9 - 15.0, abs=0.1)
