"""Progress reports from a run: the engine's hook, simulate()'s reports and Cancelled.

The reports are for a progress bar: they must come in order, cost nothing when nobody
listens, change nothing in the run, and let the listener stop it."""

from __future__ import annotations

import pytest

from vmc_gui.model.library import resolve
from vmc_gui.model.scenario import World
from vmc_gui.sim import simulate
from vmc_gui.sim.engine import REPORT_EVERY, Engine, Priority
from vmc_gui.sim.simulate import Cancelled, Progress


def _busy_engine(events: int) -> Engine:
    engine = Engine()
    for i in range(events):
        engine.at(i * 0.01, Priority.PROGRESS, lambda: None)
    return engine


def test_the_engine_reports_its_clock_in_order_every_few_thousand_events():
    engine = _busy_engine(3 * REPORT_EVERY + 5)
    times: list[float] = []
    engine.progress = times.append
    engine.run(1000.0)
    assert engine.processed == 3 * REPORT_EVERY + 5
    assert times[0] == 0.0 and times[-1] == 1000.0  # as it starts, and as it ends
    assert times == sorted(times)
    # One report a batch of events, plus the start and the end.
    assert len(times) >= 3 + 2
    assert times[1] == pytest.approx((REPORT_EVERY - 1) * 0.01)


def test_raising_from_the_hook_stops_the_run():
    engine = _busy_engine(10 * REPORT_EVERY)
    reports: list[float] = []

    def stop_at_the_third(now: float) -> None:
        reports.append(now)
        if len(reports) == 3:
            raise Cancelled

    engine.progress = stop_at_the_third
    with pytest.raises(Cancelled):
        engine.run(1e9)
    assert engine.processed == 2 * REPORT_EVERY  # nothing ran after the report that stopped it


def test_without_a_hook_nothing_is_reported_and_the_run_is_the_same():
    plain, reported = _busy_engine(REPORT_EVERY + 1), _busy_engine(REPORT_EVERY + 1)
    reported.progress = lambda now: None
    plain.run(50.0)
    reported.run(50.0)
    assert (plain.now, plain.processed) == (reported.now, reported.processed)


def test_simulate_reports_each_world_then_its_clock_and_the_run_is_byte_identical():
    scenario = resolve("density")  # three worlds
    reports: list[Progress] = []
    timeline = simulate(scenario, reports.append)
    assert timeline.digest == simulate(scenario).digest
    worlds = [r.world for r in reports if r.placing]
    assert worlds == list(scenario.worlds)
    for index, world in enumerate(scenario.worlds):
        mine = [r for r in reports if r.world is world]
        assert mine[0].placing and not any(r.placing for r in mine[1:])
        assert all(r.index == index and r.worlds == len(scenario.worlds) for r in mine)
        clock = [r.now_s for r in mine[1:]]
        assert clock == sorted(clock) and clock[-1] == scenario.duration_s
    fractions = [r.fraction for r in reports]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0


def test_cancelled_from_a_report_stops_simulate_in_the_world_it_was_in():
    scenario = resolve("failover")
    seen: list[Progress] = []

    def cancel_in_the_second_world(progress: Progress) -> None:
        seen.append(progress)
        if progress.world is World.CONTAINER and not progress.placing:
            raise Cancelled

    with pytest.raises(Cancelled):
        simulate(scenario, cancel_in_the_second_world)
    assert seen[-1].world is World.CONTAINER and seen[-1].now_s == 0.0


def test_the_fraction_counts_each_world_as_an_equal_share():
    assert Progress(World.VM, 0, 2, 0.0, 900.0, placing=True).fraction == 0.0
    assert Progress(World.VM, 0, 2, 450.0, 900.0).fraction == 0.25
    assert Progress(World.CONTAINER, 1, 2, 900.0, 900.0).fraction == 1.0
