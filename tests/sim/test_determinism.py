"""Determinism: the same scenario and seed give the same log; a change at t keeps the past."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.scenarios import failover
from vmc_gui.model.scenario import EventKind, TimedEvent
from vmc_gui.sim import simulate


def test_same_scenario_same_digest():
    first = simulate(failover())
    second = simulate(failover())
    assert first.digest == second.digest
    assert [e.canonical() for e in first.events] == [e.canonical() for e in second.events]


def test_seed_changes_the_run():
    assert simulate(failover(seed=1)).digest != simulate(failover(seed=2)).digest


def test_digest_covers_every_event():
    timeline = simulate(failover())
    import hashlib

    joined = "".join(line for wt in timeline.worlds.values() for line in wt.canonical_lines())
    assert hashlib.sha256(joined.encode()).hexdigest() == timeline.digest
    assert len(joined.splitlines()) == timeline.event_count()


def _before(timeline, t):
    return [e.canonical() for e in timeline.events if e.time_s < t]


def test_a_failure_injected_at_t_leaves_everything_before_t_unchanged():
    base = failover()
    old = simulate(base)
    t = 150.0
    new = simulate(base.with_event(TimedEvent(t, EventKind.HOST_FAIL, host="r2-h03")))
    assert old.digest != new.digest
    assert _before(old, t) == _before(new, t)
    assert any(e.time_s >= t and e.subject == "r2-h03" for e in new.events)


@settings(max_examples=25, deadline=None)
@given(
    t=st.floats(min_value=0.0, max_value=590.0, allow_nan=False),
    host=st.sampled_from(["r1-h02", "r2-h01", "r3-h04", "r1-h01"]),
    kind=st.sampled_from([EventKind.HOST_FAIL, EventKind.HOST_RECOVER]),
)
def test_any_injected_action_keeps_the_prefix(t, host, kind):
    base = failover()
    old = simulate(base)
    new = simulate(base.with_event(TimedEvent(t, kind, host=host)))
    assert _before(old, t) == _before(new, t)
