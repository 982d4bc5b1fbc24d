"""Periodic clocks: the last tick before a failure and the first check after a deadline."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from vmc_gui.sim.clocks import first_tick_after, last_tick

times = st.floats(min_value=0.0, max_value=1e6, allow_nan=False)
periods = st.floats(min_value=0.01, max_value=1000.0, allow_nan=False)


@given(offset=times, period=periods, now=times)
def test_last_tick_is_the_latest_tick_not_after_now(offset, period, now):
    tick = last_tick(offset % period, period, now)
    assert tick <= now
    assert now - tick < period * (1 + 1e-9) + 1e-6
    k = (tick - offset % period) / period
    assert math.isclose(k, round(k), abs_tol=1e-6)


@given(offset=times, period=periods, after=times)
def test_first_tick_after_is_strictly_later_and_within_a_period(offset, period, after):
    tick = first_tick_after(offset % period, period, after)
    assert tick > after
    assert tick - after <= period * (1 + 1e-9) + 1e-6


def test_examples():
    assert last_tick(0.3, 1.0, 60.0) == 59.3
    assert last_tick(0.3, 1.0, 60.3) == 60.3
    assert first_tick_after(2.0, 5.0, 105.0) == 107.0
    assert first_tick_after(2.0, 5.0, 107.0) == 112.0
