"""What the cluster's lessons ask of a timeline, without Qt: the instances an exploit reached,
the memory the platform takes, the hosts a balancer calls hot, and how long each process
has held its state."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.scenarios import HOT_HOST
from vmc_gui.model.events import SetParameter
from vmc_gui.model.library import resolve
from vmc_gui.model.scenario import EventKind, Platform, World
from vmc_gui.sim import simulate
from vmc_gui.sim.exposure import exposures
from vmc_gui.sim.hot_hosts import HotHosts, Resource, rule_for
from vmc_gui.sim.incarnations import incarnations
from vmc_gui.sim.memory_split import MemorySplit, platform_memory_gb
from vmc_gui.sim.records import EventType


@pytest.fixture(scope="module")
def isolation():
    return simulate(resolve("isolation"))


@pytest.fixture(scope="module")
def rebalance():
    return simulate(resolve("rebalance"))


# --- the exploit ------------------------------------------------------------------------


def test_the_exploit_reaches_its_victim_alone_or_everyone_on_the_shared_kernel(isolation):
    exploit = next(e.at_s for e in isolation.scenario.events if e.kind is EventKind.EXPLOIT)
    reached = {}
    for world, wt in isolation.worlds.items():
        found = exposures(wt)
        # Nothing of the future: before the exploit nothing is reached.
        assert found.count_at(exploit - 0.01) == 0 and not found.mask_at(exploit - 0.01).any()
        mask = found.mask_at(exploit)
        assert mask.sum() == found.count_at(exploit) == len(found)
        names = [wt.run.workload_names[w] for w in np.flatnonzero(mask)]
        reached[world] = names
        # Each instance at most once, and the same ones the log names.
        rows = wt.rows(EventType.WORKLOAD_EXPOSED)
        assert sorted(names) == sorted(
            {wt.run.workload_names[wt.run.log.workload[i]] for i in rows}
        )
        assert all(found.when(w) == exploit for w in found.workloads.tolist())
    assert reached[World.VM] == ["tenant-a-0"]
    assert reached[World.HYPERV_CONTAINER] == ["tenant-a-0"]
    # The host kernel is shared: every container on the victim's host is reached.
    container = isolation.worlds[World.CONTAINER]
    state = container.state_at(exploit)
    host = state.workload_host[container.run.workload_names.index("tenant-a-0")]
    on_host = np.flatnonzero(state.workload_host == host)
    assert sorted(reached[World.CONTAINER]) == sorted(
        container.run.workload_names[w] for w in on_host
    )
    assert len({name.rsplit("-", 1)[0] for name in reached[World.CONTAINER]}) == 4  # tenants


def test_a_run_without_an_exploit_reaches_nothing(rebalance):
    for wt in rebalance.worlds.values():
        found = exposures(wt)
        assert len(found) == 0 and not found.mask_at(rebalance.duration_s).any()


# --- the memory split ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["density", "failover", "rebalance", HOT_HOST])
def test_each_hosts_split_adds_up_to_the_overhead_chart(name):
    # The cards split per host by the rule the overhead chart counts by over a world.
    timeline = simulate(resolve(name))
    for world, wt in timeline.worlds.items():
        split = MemorySplit(wt)
        overhead = timeline.series(f"{world.value}/overhead_memory")
        apps = timeline.series(f"{world.value}/app_memory")
        for k in range(0, len(overhead.times), 7):
            t = float(overhead.times[k])
            state = wt.state_at(t)
            memory = split.at(state)
            assert memory.platform.sum() == pytest.approx(overhead.values[k], abs=1e-6)
            assert memory.app.sum() == pytest.approx(apps.values[k], abs=1e-6)
            assert np.allclose(memory.app + memory.platform, state.host_memory_gb)


def test_the_density_split_is_the_parameters():
    timeline = simulate(resolve("density"))
    p = timeline.scenario.parameters
    app_mb = timeline.scenario.services[0].memory_mb
    expected = {
        World.VM: float(p["vm.guest_memory_overhead_mb"]),
        World.CONTAINER: float(p["container.memory_overhead_mb"]),
        World.HYPERV_CONTAINER: float(p["container.memory_overhead_mb"])
        + float(p["hyperv_isolation.utility_vm_memory_mb"]),
    }
    for world, wt in timeline.worlds.items():
        memory = MemorySplit(wt).at(wt.state_at(timeline.duration_s))
        share = memory.platform / (memory.app + memory.platform)
        assert np.allclose(share, expected[world] / (expected[world] + app_mb))
    assert platform_memory_gb(3, 512) == pytest.approx(1.5)


def test_room_a_live_migration_holds_counts_as_an_instance():
    timeline = simulate(resolve(HOT_HOST))
    wt = timeline.worlds[World.VM]
    split = MemorySplit(wt)
    state = wt.state_at(37.0)  # app-0 and app-12 pre-copying to r1-h02 and r1-h03
    target = wt.run.host_names.index("r1-h02")
    holding = np.flatnonzero(state.workload_host == target).size
    assert split.instances(state)[target] == holding + 1


# --- hot hosts ----------------------------------------------------------------------------


def _hot_spans(timeline, world, resources=(Resource.CPU,)):
    wt = timeline.worlds[world]
    hot = HotHosts(world, timeline.scenario, wt.run.host_cores, wt.run.host_memory_mb, resources)
    spans: dict[str, list[float]] = {}
    for t in np.arange(0.0, timeline.duration_s + 1, 5.0):
        heat = hot.at(wt.state_at(float(t)))
        for h in np.flatnonzero(heat.hot).tolist():
            spans.setdefault(wt.run.host_names[h], []).append(float(t))
            assert heat.resource[h] == Resource.CPU
    return spans


def test_the_busy_host_is_hot_to_vm_load_balancing_until_its_vm_moves(rebalance):
    spans = _hot_spans(rebalance, World.VM)
    assert list(spans) == ["r2-h01"]
    moved = max(m.end_s for m in rebalance.worlds[World.VM].moved_live())
    busy = next(e.at_s for e in rebalance.scenario.events if e.kind is EventKind.LOAD)
    assert min(spans["r2-h01"]) == pytest.approx(busy, abs=5)
    assert moved - 5 <= max(spans["r2-h01"]) < moved
    wt = rebalance.worlds[World.VM]
    heat = HotHosts(World.VM, rebalance.scenario, wt.run.host_cores, wt.run.host_memory_mb)
    share = heat.at(wt.state_at(1000.0)).share[wt.run.host_names.index("r2-h01")]
    assert share == pytest.approx(0.94, abs=0.01)  # "r2-h01 at 94% CPU" in the balancer's pass


def test_the_descheduler_judges_by_requests_not_use(rebalance):
    spans = _hot_spans(rebalance, World.CONTAINER)
    assert "r2-h01" not in spans  # busy, but its pods request what they did
    # The hosts that took a fourth pod in the drain are overutilized until it is evicted.
    evicted = {
        rebalance.worlds[World.CONTAINER].run.host_names[int(h)]: float(t)
        for t, h, d in zip(
            rebalance.worlds[World.CONTAINER].times,
            rebalance.worlds[World.CONTAINER].run.log.host,
            rebalance.worlds[World.CONTAINER].run.log.detail,
            strict=True,
        )
        if d.startswith("evicted by the descheduler")
    }
    assert set(spans) == {"r1-h02", "r1-h03", "r1-h04"}
    for host, when in evicted.items():
        assert max(spans[host]) < when + 5


def test_no_balancer_no_hot_host():
    timeline = simulate(resolve("density"))
    p = timeline.scenario.parameters
    assert rule_for(Platform.CONTAINER, p) is None  # the descheduler is not installed
    assert rule_for(Platform.VM, p.with_overrides({"hyperv.auto_balancer_mode": 0})) is None
    for world in timeline.worlds:
        assert _hot_spans(timeline, world) == {}  # full by memory, not hot by CPU


def test_the_rule_follows_the_settings_and_their_changes(rebalance):
    p = rebalance.scenario.parameters
    assert rule_for(Platform.VM, p).threshold == 0.80
    assert (
        rule_for(Platform.VM, p.with_overrides({"hyperv.auto_balancer_level": 2})).threshold == 0.70
    )
    relative = rule_for(Platform.VM, p.with_overrides({"hyperv.auto_balancer_level": 3}))
    assert relative.threshold is None and relative.above_average == pytest.approx(0.05)
    assert rule_for(Platform.CONTAINER, p).threshold == pytest.approx(
        float(p["descheduler.target_thresholds_percent"]) / 100
    )
    assert "80 %" in rule_for(Platform.VM, p).describe()
    # A set event changes the rule from its time on, as it changes the balancer's.
    scenario = rebalance.scenario.with_event(
        SetParameter(500.0, parameter="hyperv.auto_balancer_mode", value=0)
    )
    wt = rebalance.worlds[World.VM]
    hot = HotHosts(World.VM, scenario, wt.run.host_cores, wt.run.host_memory_mb)
    assert hot.rule_at(499.0) is not None and hot.rule_at(500.0) is None and hot.ever
    assert not hot.at(wt.state_at(600.0)).hot.any()


# --- incarnations -------------------------------------------------------------------------


def test_a_live_migration_keeps_the_process_a_replaced_pod_starts_anew(rebalance):
    vm = rebalance.worlds[World.VM]
    found = incarnations(vm)
    # No VM lost its process: one incarnation each, from the start, through its moves.
    assert len(found) == len(vm.run.workload_names) and np.all(found.start == 0.0)
    assert np.all(np.isinf(found.end))
    moved = vm.moved_live()
    assert int(found.moves.sum()) == len(moved)
    w = moved[-1].workload
    assert found.started(w, moved[-1].end_s + 1) == 0.0
    assert found.moves_by(w, moved[-1].end_s + 1) == 1
    assert found.moves_by(w, moved[-1].start_s) == 0
    held, lost, ended = found.seconds_at(1000.0)
    assert (lost, ended) == (0.0, 0) and held == pytest.approx(1000.0 * len(found))

    pods = rebalance.worlds[World.CONTAINER]
    found = incarnations(pods)
    evictions = pods.rows(EventType.POD_EVICTED)
    assert int(np.isfinite(found.end).sum()) == len(evictions)
    # An evicted pod's process ends; its replacement is a new pod, from nothing.
    names = pods.run.workload_names
    for i in np.flatnonzero(np.isfinite(found.end)).tolist():
        assert found.started(int(found.workload[i]), float(found.end[i])) is None
    new = [i for i in range(len(found)) if found.start[i] > 0]
    assert len(new) == len(evictions)
    for i in new:
        w = int(found.workload[i])
        assert names[w] not in {names[pods.run.log.workload[int(r)]] for r in evictions}
        ages = found.ages_at(float(found.start[i]) + 10.0, len(names))
        assert ages[w] == pytest.approx(10.0)
    held, lost, ended = found.seconds_at(rebalance.duration_s)
    assert ended == len(evictions) and lost > 0
    ended_ones = np.isfinite(found.end)
    assert lost == pytest.approx(float(np.sum(found.end[ended_ones] - found.start[ended_ones])))


def test_a_vm_restarted_after_a_failure_is_a_new_process():
    timeline = simulate(resolve("failover"))
    vm = timeline.worlds[World.VM]
    found = incarnations(vm)
    fault = vm.run.first_fault_s
    restarted = [w for w in set(found.workload.tolist()) if (found.workload == w).sum() == 2]
    assert len(restarted) == 1
    (w,) = restarted
    first, second = np.flatnonzero(found.workload == w).tolist()
    assert found.end[first] == fault and second > first
    assert found.start[second] > fault and math.isinf(found.end[second])
    assert found.started(w, fault + 1.0) is None  # down between the two
    assert found.started(w, timeline.duration_s) == found.start[second]


def test_the_switch_overs_are_counted_by_time(rebalance):
    found = incarnations(rebalance.worlds[World.VM])
    moved = sorted(m.end_s for m in rebalance.worlds[World.VM].moved_live())
    assert found.moved_by(0.0) == 0 and found.moved_by(rebalance.duration_s) == len(moved)
    assert found.moved_by(moved[-1] - 1.0) == len(moved) - 1
