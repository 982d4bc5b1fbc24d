"""The event loop: time order, priorities for ties, then scheduling order."""

from __future__ import annotations

from vmc_gui.sim.engine import Engine, Priority


def test_runs_in_time_then_priority_then_schedule_order():
    engine = Engine()
    seen: list[str] = []
    engine.at(5.0, Priority.PROGRESS, seen.append, "progress@5")
    engine.at(5.0, Priority.FAULT, seen.append, "fault@5")
    engine.at(1.0, Priority.PROGRESS, seen.append, "progress@1")
    engine.at(5.0, Priority.CONTROL, seen.append, "control@5 first")
    engine.at(5.0, Priority.CONTROL, seen.append, "control@5 second")
    engine.run(10.0)
    assert seen == ["progress@1", "fault@5", "control@5 first", "control@5 second", "progress@5"]
    assert engine.processed == 5


def test_stops_at_the_horizon_and_keeps_later_events():
    engine = Engine()
    seen: list[float] = []
    for t in (1.0, 2.0, 3.0):
        engine.at(t, Priority.PROGRESS, seen.append, t)
    engine.run(2.0)
    assert seen == [1.0, 2.0] and engine.now == 2.0
    engine.run(5.0)
    assert seen == [1.0, 2.0, 3.0] and engine.now == 5.0


def test_the_past_is_clamped_to_now():
    engine = Engine()
    times: list[float] = []

    def later() -> None:
        engine.at(engine.now - 3.0, Priority.PROGRESS, lambda: times.append(engine.now))

    engine.at(4.0, Priority.PROGRESS, later)
    engine.run(10.0)
    assert times == [4.0]
