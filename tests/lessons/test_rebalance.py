"""Live migration's mechanics on a hot host (tests/sim/cases/hot-host.toml), and the
load-balancing lesson: VM Load Balancing against the descheduler (rebalance.toml)."""

from __future__ import annotations

import dataclasses

import pytest

from tests.lessons.conftest import default, run, seconds
from tests.scenarios import HOT_HOST
from vmc_gui.model.events import HostFail, HostRecover
from vmc_gui.model.library import resolve
from vmc_gui.model.scenario import World
from vmc_gui.sim import simulate
from vmc_gui.sim.summary import to_json

# app: 8,192 MB + the 512 MB guest = 8,704 MB per VM.
VM_MB = 8192 + 512


def _precopy_by_hand(rate: float) -> tuple[list[float], float]:
    """Each round's seconds and the blackout's, for one VM copied at ``rate`` MB/s with the
    default dirty rate, blackout target and switch-over."""
    dirty, target = default("migration.dirty_rate_mb_s"), seconds("migration.blackout_target_ms")
    rounds, left = [], float(VM_MB)
    while True:
        rounds.append(left / rate)
        left = dirty * rounds[-1]
        if left <= rate * target:
            return rounds, left / rate + seconds("migration.switchover_ms")


def test_precopy_by_hand():
    # Compressed (the default): each of the two copies is held to what the CPU compresses,
    # 500 MB/s, well under its half of 10 GbE (carrying twice as much memory).
    rounds, blackout = _precopy_by_hand(500.0)
    # 8,704 MB in 17.408 s, 870.4 MB dirtied; 1.7408 s, 87.04 MB; 0.17408 s, 8.704 MB: that
    # copies in 17.4 ms, under 50 ms, so the VM pauses: 17.4 ms + the 30 ms switch-over.
    assert rounds == pytest.approx([17.408, 1.7408, 0.17408])
    assert blackout == pytest.approx(0.047408)


def test_a_guest_dirtying_faster_than_the_link_stops_at_the_round_cap():
    vm = run(HOT_HOST, migration__dirty_rate_mb_s=600.0)["worlds"]["vm"]
    assert vm["migration_rounds"] == default("migration.max_rounds")
    # What is left never shrinks below the whole memory: the pause copies all of it.
    assert vm["blackout_ms"] == pytest.approx((VM_MB / 500.0 + 0.030) * 1000, rel=1e-6)


def test_vm_world_moves_both_vms_live_with_the_planned_blackout():
    vm = run(HOT_HOST)["worlds"]["vm"]
    rounds, blackout = _precopy_by_hand(500.0)
    assert vm["blackout_ms"] == pytest.approx(blackout * 1000)
    assert vm["migration_rounds"] == 3
    assert vm["moved"] == 2 and vm["state_kept"] is True
    # Two at a time (Hyper-V's default): both start at once, each to its own target.
    moves = vm["migrations"]
    assert [m["start_s"] for m in moves] == [30.0, 30.0]
    assert len({m["to"] for m in moves}) == 2 and {m["from"] for m in moves} == {"r1-h01"}
    setup = seconds("migration.setup_s")
    for m in moves:
        assert m["end_s"] == pytest.approx(30 + setup + sum(rounds) + blackout)
    # The service is short only during the blackouts (which coincide).
    assert vm["downtime_s"] == pytest.approx(blackout, abs=1e-6)  # JSON rounds


def test_only_so_many_migrations_at_once_the_rest_wait():
    moves = run(HOT_HOST, hyperv__max_simultaneous_live_migrations=1)["worlds"]["vm"]["migrations"]
    assert moves[1]["start_s"] == pytest.approx(moves[0]["end_s"])


def test_transport_choices_on_10_gbe():
    """One migration at a time: compression is held by the CPU on 10 GbE, TCP by one stream,
    SMB by nothing but the adapter, so SMB is fastest there and compression slowest.  Two at
    once fill the adapter either way."""
    took = {}
    for option in ("compression", "tcp", "smb"):
        for at_once in (1, 2):
            vm = run(
                HOT_HOST,
                migration__performance_option=option,
                hyperv__max_simultaneous_live_migrations=at_once,
            )["worlds"]["vm"]
            took[option, at_once] = max(m["end_s"] for m in vm["migrations"])
    assert took["smb", 1] < took["tcp", 1] < took["compression", 1]
    assert took["smb", 2] == pytest.approx(took["tcp", 2])


def test_container_world_replaces_and_moves_nothing():
    container = run(HOT_HOST)["worlds"]["container"]
    assert container["moved"] == 0 and container["replaced"] == 2
    assert container["blackout_ms"] == 0 and container["state_kept"] is False
    assert container["downtime_s"] == 0  # the new pod is ready before the old one stops


@pytest.mark.parametrize(
    ("setting", "value"),
    [("migration__dirty_rate_mb_s", 400.0), ("migration__bandwidth_gbps", 1.0)],
)
def test_more_dirtying_or_less_bandwidth_means_more_rounds_or_a_longer_blackout(setting, value):
    base = run(HOT_HOST)["worlds"]["vm"]
    worse = run(HOT_HOST, **{setting: value})["worlds"]["vm"]
    assert worse["blackout_ms"] > base["blackout_ms"] or (
        worse["migration_rounds"] > base["migration_rounds"]
    )


def test_the_hot_host_ends_lighter_and_nothing_is_double_counted():
    timeline = simulate(resolve(HOT_HOST))
    for world, wt in timeline.worlds.items():
        before, after = wt.state_at(29.0), wt.state_at(timeline.duration_s)
        hot = wt.run.host_names.index("r1-h01")
        per_instance = 8192 + (
            512 if world.value == "vm" else default("container.memory_overhead_mb")
        )
        assert before.host_memory_gb[hot] - after.host_memory_gb[hot] == pytest.approx(
            2 * per_instance / 1024
        )
        assert before.host_memory_gb.sum() == pytest.approx(after.host_memory_gb.sum())


def test_a_migrating_vm_holds_memory_on_both_hosts_until_the_switch_over():
    timeline = simulate(resolve(HOT_HOST))
    vm = timeline.worlds[World.VM]
    before, during = vm.state_at(29.0), vm.state_at(35.0)  # round 1 runs 33.5..50.9 s
    # Both VMs move at once, each held on its source and its target.
    held = 2 * VM_MB / 1024
    assert during.host_memory_gb.sum() - before.host_memory_gb.sum() == pytest.approx(held)
    peak = to_json(timeline)["worlds"]["vm"]["peak_memory_used_gb"]
    assert peak == pytest.approx(before.host_memory_gb.sum() + held)


# --- the lesson: each platform's own balancer (rebalance.toml) ----------------------------


def test_vm_load_balancing_moves_the_busiest_vm_off_the_hot_node_at_its_30_minute_pass():
    vm = run("rebalance")["worlds"]["vm"]
    # r2-h01's three VMs use twice their 2.5 cores: 15 of 16 cores, 94 %, over the 80 % of
    # AutoBalancerLevel 1.  r1-h01 resumed at 600 s does not join, so the pass every 30
    # minutes moves one VM to the emptiest node, r1-h01, which brings r2-h01 to 62.5 %.
    assert vm["balancer_moves"] == 1
    (move,) = [m for m in vm["migrations"] if m["start_s"] >= 600]
    assert (move["from"], move["to"], move["start_s"]) == ("r2-h01", "r1-h01", 1800.0)
    assert move["outcome"] == "moved" and move["blackout_ms"] < 100


def test_only_the_always_mode_makes_periodic_passes():
    timeline = simulate(resolve("rebalance"))
    vm_passes = [
        e for e in timeline.events if e.type.label == "balancer_pass" and e.world is World.VM
    ]
    assert [e.time_s for e in vm_passes] == [1800.0]
    assert "over 80%" in vm_passes[0].detail
    for mode in ("node-join", "disabled"):
        vm = run("rebalance", hyperv__auto_balancer_mode=mode)["worlds"]["vm"]
        assert not any(m["from"] == "r2-h01" for m in vm["migrations"])  # r2-h01 stays hot


def test_a_node_back_from_a_failure_joins_and_is_balanced_onto_at_once():
    scenario = resolve("rebalance")
    events = (
        scenario.events[1],  # r2-h01 gets busy at 120 s
        HostFail(200.0, host="r1-h01"),
        HostRecover(900.0, host="r1-h01"),
    )
    vm = to_json(simulate(dataclasses.replace(scenario, events=events)))["worlds"]["vm"]
    (move,) = [m for m in vm["migrations"] if m["from"] == "r2-h01"]
    assert move["start_s"] == 900.0 and move["to"] == "r1-h01"


def test_the_descheduler_judges_by_requests_and_evicts_one_pod_at_a_time():
    container = run("rebalance")["worlds"]["container"]
    # Requests, not use: r2-h01's busy pods are not hot to it.  The empty node (under 20 %)
    # and the nodes with four pods (10 of 16 cores requested, over 50 %) are.  The disruption
    # budget allows one unavailable: one eviction a run (600 s, 720 s); by 840 s r1-h01 holds
    # two pods (31 % of its CPU requested) and is no longer underutilized.
    assert container["descheduler_evictions"] == 2
    start = seconds("container.nanoserver_start_s")  # the image is on r1-h01 already
    assert container["eviction_gap_s"] == pytest.approx(2 * start)


def test_without_the_descheduler_kubernetes_leaves_the_returned_node_empty():
    container = run("rebalance", descheduler__interval_s=0)["worlds"]["container"]
    assert "descheduler_evictions" not in container
    timeline = simulate(resolve("rebalance").with_parameters({"descheduler.interval_s": 0}))
    state = timeline.worlds[World.CONTAINER].state_at(1800)
    assert state.host("r1-h01").workloads == ()


def test_without_a_budget_the_descheduler_evicts_what_the_empty_node_has_room_for():
    scenario = resolve("rebalance")
    service = scenario.services[0]
    unbudgeted = dataclasses.replace(
        scenario, services=(dataclasses.replace(service, pdb_max_unavailable=None),)
    )
    container = to_json(simulate(unbudgeted))["worlds"]["container"]
    # All three over-target nodes at once at 600 s: 3 pods x 2.5 cores fit the empty node's
    # room up to 50 % (8 cores).
    assert container["descheduler_evictions"] == 3
