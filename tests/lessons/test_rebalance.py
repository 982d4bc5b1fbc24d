"""Load balancing: pre-copy live migration against replacement (rebalance.toml)."""

from __future__ import annotations

import pytest

from tests.lessons.conftest import default, run, seconds
from vmc_gui.model.library import resolve
from vmc_gui.model.scenario import World
from vmc_gui.sim import simulate
from vmc_gui.sim.migration import plan_precopy
from vmc_gui.sim.summary import to_json

# app: 8,192 MB + the 512 MB guest = 8,704 MB per VM.
VM_MB = 8192 + 512


def test_precopy_by_hand():
    rate = 10 * 1000 / 8  # 10 Gbit/s in MB/s = 1,250
    plan = plan_precopy(VM_MB, 10.0, 50.0, 0.050, 10)
    first = VM_MB / rate  # 6.9632 s, during which 50 MB/s dirties 348.16 MB
    second = 50 * first / rate  # 0.278528 s; 13.9264 MB dirtied, 11.1 ms to copy: under 50 ms
    assert plan.round_s == pytest.approx((first, second))
    assert plan.round_mb == pytest.approx((VM_MB, 50 * first))
    assert plan.blackout_s == pytest.approx(50 * second / rate)


def test_a_guest_dirtying_faster_than_the_link_stops_at_the_round_cap():
    plan = plan_precopy(4096, 1.0, 500.0, 0.050, 10)
    assert len(plan.round_s) == 10
    assert plan.blackout_mb == 4096  # what is left never shrinks below the whole memory


def test_vm_world_moves_both_vms_live_with_the_planned_blackout():
    vm = run("rebalance")["worlds"]["vm"]
    plan = plan_precopy(VM_MB, 10.0, 50.0, 0.050, 10)
    assert vm["blackout_ms"] == pytest.approx(plan.blackout_s * 1000)
    assert vm["migration_rounds"] == 2
    assert vm["moved"] == 2 and vm["state_kept"] is True
    names = [p["name"] for p in vm["phases"]]
    steps = ["migration setup", "pre-copy round 1", "pre-copy round 2", "blackout"]
    assert names == [f"app-0: {s}" for s in steps] + [f"app-12: {s}" for s in steps]
    # One VM after the other: the service is short only during the two blackouts.
    assert vm["downtime_s"] == pytest.approx(2 * plan.blackout_s, abs=1e-6)  # JSON rounds
    setup = seconds("migration.setup_s")
    assert vm["phases"][-1]["end_s"] == pytest.approx(30 + 2 * (setup + plan.total_s))


def test_container_world_replaces_and_moves_nothing():
    container = run("rebalance")["worlds"]["container"]
    assert container["moved"] == 0 and container["replaced"] == 2
    assert container["blackout_ms"] == 0 and container["state_kept"] is False
    assert container["downtime_s"] == 0  # the new pod is ready before the old one stops


@pytest.mark.parametrize(
    ("setting", "value"),
    [("migration__dirty_rate_mb_s", 400.0), ("migration__bandwidth_gbps", 1.0)],
)
def test_more_dirtying_or_less_bandwidth_means_more_rounds_or_a_longer_blackout(setting, value):
    base = run("rebalance")["worlds"]["vm"]
    worse = run("rebalance", **{setting: value})["worlds"]["vm"]
    assert worse["blackout_ms"] > base["blackout_ms"] or (
        worse["migration_rounds"] > base["migration_rounds"]
    )


def test_the_hot_host_ends_lighter_and_nothing_is_double_counted():
    timeline = simulate(resolve("rebalance"))
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
    timeline = simulate(resolve("rebalance"))
    vm = timeline.worlds[World.VM]
    before, during = vm.state_at(29.0), vm.state_at(35.0)  # app-0's round 1 runs 34..41 s
    assert during.host_memory_gb.sum() - before.host_memory_gb.sum() == pytest.approx(VM_MB / 1024)
    peak = to_json(timeline)["worlds"]["vm"]["peak_memory_used_gb"]
    assert peak == pytest.approx(before.host_memory_gb.sum() + VM_MB / 1024)
