"""Determinism: the same scenario and seed give the same log; a change at t keeps the past."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.scenarios import failover
from vmc_gui.model.events import (
    Drain,
    Exploit,
    HostFail,
    HostRecover,
    RackFail,
    Rebalance,
    Scale,
    SetParameter,
    Update,
)
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
    new = simulate(base.with_event(HostFail(t, host="r2-h03")))
    assert old.digest != new.digest
    assert _before(old, t) == _before(new, t)
    assert any(e.time_s >= t and e.subject == "r2-h03" for e in new.events)


actions = st.one_of(
    st.builds(
        lambda host, cls: cls(0.0, host),
        st.sampled_from(["r1-h02", "r2-h01", "r3-h04", "r1-h01"]),
        st.sampled_from([HostFail, HostRecover]),
    ),
    st.builds(lambda rack: RackFail(0.0, rack=rack), st.integers(1, 3)),
    st.builds(
        lambda name, value: SetParameter(0.0, parameter=name, value=value),
        st.sampled_from(
            [
                "kubernetes.node_monitor_grace_period_s",
                "kubernetes.default_unreachable_toleration_s",
                "vm.guest_boot_s",
                "container.nanoserver_start_s",
            ]
        ),
        st.floats(min_value=1.0, max_value=500.0),
    ),
    st.builds(lambda n: Scale(0.0, service="web", replicas=n), st.integers(0, 40)),
    st.just(Update(0.0, service="web")),
    st.builds(
        lambda host: Drain(0.0, host=host),
        st.sampled_from(["r1-h01", "r2-h02"]),
    ),
    st.just(Exploit(0.0, service="web")),
    st.builds(
        lambda host: Rebalance(0.0, host=host, count=1),
        st.sampled_from(["r1-h02", "r2-h01"]),
    ),
)


@settings(max_examples=40, deadline=None)
@given(t=st.floats(min_value=0.0, max_value=590.0, allow_nan=False), action=actions)
def test_any_injected_action_keeps_the_prefix(t, action):
    base = failover()
    old = simulate(base)
    new = simulate(base.with_event(dataclasses.replace(action, at_s=t)))
    assert _before(old, t) == _before(new, t)
