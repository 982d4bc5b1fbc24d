"""The Timeline: state at any time, sampled series, and the event list."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.scenarios import failover
from vmc_gui.model.scenario import World
from vmc_gui.sim import simulate
from vmc_gui.sim import timeline as timeline_module
from vmc_gui.sim.records import NOT_CREATED


@pytest.fixture(scope="module")
def rack_timeline():
    scenario = failover(
        replicas=60, events='[[events]]\nat_s = 60\nkind = "rack_fail"\nrack = 2\n', duration_s=500
    )
    return simulate(scenario)


def _replayed_from_zero(wt, t):
    """The slow, obvious answer: apply every event up to t to an empty world."""
    log = wt.run.log
    phase = np.full(len(wt.run.workload_names), NOT_CREATED)
    host = np.full(len(wt.run.workload_names), -1)
    status = np.zeros(len(wt.run.host_names), dtype=int)
    for i in range(len(log)):
        if log.time[i] > t:
            break
        if log.value[i] < 0:
            continue
        if log.workload[i] >= 0:
            phase[log.workload[i]] = log.value[i]
            host[log.workload[i]] = log.host[i]
        elif log.host[i] >= 0:
            status[log.host[i]] = log.value[i]
    return phase, host, status


@settings(max_examples=40, deadline=None)
@given(t=st.floats(min_value=0.0, max_value=500.0, allow_nan=False))
def test_state_at_equals_a_replay_from_zero(rack_timeline, t):
    for wt in rack_timeline.worlds.values():
        state = wt.state_at(t)
        phase, host, status = _replayed_from_zero(wt, t)
        np.testing.assert_array_equal(state.workload_phase, phase)
        np.testing.assert_array_equal(state.workload_host, host)
        np.testing.assert_array_equal(state.host_status, status)


def test_snapshots_are_used_for_long_logs(monkeypatch):
    monkeypatch.setattr(timeline_module, "SNAPSHOT_EVERY", 7)
    timeline = simulate(failover(replicas=40))
    wt = timeline.worlds[World.CONTAINER]
    assert wt.snapshot_every == 7
    # Made as far as asked: a state at a minute needs the snapshots up to it only.
    wt.state_at(60.0)
    early = len(wt._snapshots)
    wt.state_at(wt.run.duration_s)
    assert len(wt._snapshots) > max(5, early)
    assert len(wt._snapshots) == len(wt.times) // 7 + 1
    for t in (0.0, 60.0, 61.0, 300.0, 407.0, 420.0, 600.0):
        phase, host, status = _replayed_from_zero(wt, t)
        state = wt.state_at(t)
        np.testing.assert_array_equal(state.workload_phase, phase)
        np.testing.assert_array_equal(state.workload_host, host)
        np.testing.assert_array_equal(state.host_status, status)


def test_snapshots_stay_within_their_memory_budget(monkeypatch):
    monkeypatch.setattr(timeline_module, "SNAPSHOT_EVERY", 1)
    monkeypatch.setattr(timeline_module, "SNAPSHOT_BUDGET", 2_000)
    timeline = simulate(failover(replicas=200, cpu=0.1, memory_mb=100))
    wt = timeline.worlds[World.VM]
    wt.state_at(wt.run.duration_s)  # every snapshot made
    held = sum(p.size + h.size + s.size for _, p, h, s in wt._snapshots)
    assert wt.snapshot_every > 10
    assert len(wt._snapshots) > 3
    assert held <= 2_000 + 3 * (len(wt.run.workload_names) * 2 + 12)
    for t in (0.0, 65.0, 120.0, 600.0):
        phase, host, status = _replayed_from_zero(wt, t)
        state = wt.state_at(t)
        np.testing.assert_array_equal(state.workload_phase, phase)
        np.testing.assert_array_equal(state.workload_host, host)
        np.testing.assert_array_equal(state.host_status, status)


def test_scrubbing_backwards_gives_the_same_state(rack_timeline):
    wt = rack_timeline.worlds[World.VM]
    later = wt.state_at(400.0)
    earlier = wt.state_at(70.0)
    again = wt.state_at(400.0)
    np.testing.assert_array_equal(later.workload_phase, again.workload_phase)
    assert not np.array_equal(earlier.workload_phase, later.workload_phase)


def test_host_resources_follow_the_workloads(rack_timeline):
    state = rack_timeline.state_at(30.0)["container"]
    assert float(state.host_cpu.sum()) == pytest.approx(60 * 2.0)
    # 4096 MB each plus the 40 MB a Nano Server container's own system processes take.
    assert float(state.host_memory_gb.sum()) == pytest.approx(60 * 4136 / 1024)
    after = rack_timeline.state_at(61.0)["container"]
    for h, name in enumerate(after.host_names):
        if name.startswith("r2-"):
            assert after.host_cpu[h] == 0.0
            assert after.host(name).status == "failed"


def test_ready_series_dips_and_recovers(rack_timeline):
    vm = rack_timeline.series("vm/service/web/ready")
    desired = rack_timeline.series("vm/service/web/desired")
    assert vm.values.shape == vm.times.shape == (501,)
    assert vm.times[1] - vm.times[0] == 1.0
    assert vm.values[0] == 60 and desired.values[0] == 60
    assert vm.values[100] == 40  # rack 2 held a third of the replicas
    assert vm.values[-1] == 60
    container = rack_timeline.series("container/service/web/ready")
    assert container.values[100] == 40 and container.values[-1] == 60


def test_host_series_and_memory_used(rack_timeline):
    host = rack_timeline.series("vm/host/r2-h01/memory")
    assert host.values[0] > 0 and host.values[100] == 0
    total = rack_timeline.series("vm/memory_used")
    # Each VM holds its app's 4 GB plus the guest's 0.5 GB.
    assert total.values[0] == pytest.approx(60 * 4.5)
    survivor = rack_timeline.series("vm/host/r1-h01/cpu")
    assert survivor.values[-1] > survivor.values[0]


def test_every_listed_series_exists(rack_timeline):
    names = rack_timeline.series_names()
    assert "container/host/r3-h04/cpu" in names
    for name in names[:: max(1, len(names) // 20)]:
        series = rack_timeline.series(name)
        assert series.values.dtype == np.float64
        assert len(series.values) == len(rack_timeline.sample_times)


@pytest.mark.parametrize("name", ["vm/host/nope/cpu", "moon/memory_used", "vm/service/web/x", "vm"])
def test_unknown_series_is_a_key_error(rack_timeline, name):
    with pytest.raises(KeyError):
        rack_timeline.series(name)


def test_events_are_time_ordered_and_typed(rack_timeline):
    times = [e.time_s for e in rack_timeline.events]
    assert times == sorted(times)
    assert {e.world for e in rack_timeline.events} == {World.VM, World.CONTAINER}
    assert len(rack_timeline.events) == rack_timeline.event_count()


def test_workload_lookup_before_it_exists():
    timeline = simulate(failover())
    state = timeline.state_at(100.0)["container"]
    with pytest.raises(KeyError):
        state.workload("web-8")


def test_the_views_queries_answer_from_the_log():
    """``rows``, ``has``, ``migrations`` and ``moved_live`` say what the views used to work
    out from the raw log, and ``summary`` is worked out once."""
    from vmc_gui.model.library import resolve
    from vmc_gui.sim.records import EventType
    from vmc_gui.sim.summary import summarize

    timeline = simulate(resolve("rebalance"))
    vm, containers = timeline.worlds[World.VM], timeline.worlds[World.CONTAINER]
    kinds = (EventType.MIGRATION_STARTED, EventType.POD_EVICTED)
    for wt in (vm, containers):
        expected = [i for i in range(len(wt)) if wt.event(i).type in kinds]
        assert wt.rows(*kinds).tolist() == expected
        assert wt.has(EventType.MIGRATION_ROUND) == any(
            wt.event(i).type is EventType.MIGRATION_ROUND for i in range(len(wt))
        )
    assert vm.migrations and not containers.migrations
    moved = vm.moved_live()
    assert moved and all(m.outcome == "moved" for m in moved)
    assert [m.end_s for m in moved] == sorted(m.end_s for m in moved)
    assert timeline.summary is timeline.summary  # cached
    assert timeline.summary == summarize(timeline)


@pytest.fixture(scope="module")
def migrating_timeline():
    """Live migrations hold room on their targets (rows that change a host's memory)."""
    from vmc_gui.model.library import resolve

    return simulate(resolve("rebalance"))


@settings(max_examples=60, deadline=None)
@given(
    times=st.lists(st.floats(0.0, 1.0, allow_nan=False), min_size=1, max_size=30),
    which=st.sampled_from(["rack", "migrating"]),
)
def test_a_state_or_phase_window_handed_again_is_the_one_worked_out_afresh(
    rack_timeline, migrating_timeline, times, which
):
    """Playback asks for nearby times frame after frame, and the timeline hands the last
    answer again while no change lies between: whatever the order of the times asked, each
    answer equals the one worked out from scratch."""
    timeline = rack_timeline if which == "rack" else migrating_timeline
    times = [f * timeline.duration_s for f in times]
    for wt in timeline.worlds.values():
        # Some exactly at an event, where "at or before" matters.
        exact = [float(x) for x in wt.times[:: max(1, len(wt.times) // 7)]]
        for t in [*times, *exact, *sorted(times), *reversed(exact)]:
            state = wt.state_at(t)
            upto = int(np.searchsorted(wt.times, t, side="right"))
            fresh = wt._state_at(t, upto)
            assert state.time_s == t
            for field in (
                "host_status",
                "host_cpu",
                "host_memory_gb",
                "workload_host",
                "workload_phase",
                "service_ready",
                "service_desired",
            ):
                assert np.array_equal(getattr(state, field), getattr(fresh, field)), field
            start, end = wt.phase_window(t)
            fresh_start, fresh_end = wt._phase_window(t)
            assert np.array_equal(start, fresh_start, equal_nan=True)
            assert np.array_equal(end, fresh_end, equal_nan=True)
