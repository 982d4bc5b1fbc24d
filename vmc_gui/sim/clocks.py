"""Periodic clocks: heartbeats, status posts and control loops that tick at their own offset.

A healthy node's heartbeats are not simulated one by one: only the ticks that matter after a
failure are, and they are found from the clock's offset and period.
"""

from __future__ import annotations

import math


def last_tick(offset: float, period: float, now: float) -> float:
    """The last tick at or before ``now`` of a clock ticking at ``offset + k * period``."""
    tick = offset + math.floor((now - offset) / period) * period
    return tick - period if tick > now else tick


def first_tick_after(offset: float, period: float, after: float) -> float:
    """The first tick strictly after ``after`` of a clock ticking at ``offset + k * period``."""
    tick = offset + math.ceil((after - offset) / period) * period
    return tick + period if tick <= after else tick


def first_tick_from(offset: float, period: float, at: float) -> float:
    """The first tick at or after ``at``; a tick within a nanosecond of ``at`` counts (sums
    of periods are not exact in floating point)."""
    tick = offset + math.ceil((at - offset) / period - 1e-9) * period
    return tick + period if tick < at - 1e-9 else tick
