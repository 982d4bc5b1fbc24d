"""Placement: the bulk fill equals placing one at a time, least-loaded first."""

from __future__ import annotations

import heapq

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from vmc_gui.sim.placement import Placer, greedy_fill


def _one_at_a_time(start, step, room, count):
    heap = [(start[i], i, 0) for i in range(len(start)) if room[i] > 0]
    heapq.heapify(heap)
    out = []
    while heap and len(out) < count:
        _, host, k = heapq.heappop(heap)
        out.append(host)
        if k + 1 < room[host]:
            heapq.heappush(heap, (start[host] + (k + 1) * step[host], host, k + 1))
    return out


@settings(max_examples=200, deadline=None)
@given(
    hosts=st.lists(
        st.tuples(st.integers(0, 50), st.integers(1, 6), st.integers(0, 12)),
        min_size=1,
        max_size=12,
    ),
    count=st.integers(0, 80),
)
def test_greedy_fill_equals_one_at_a_time(hosts, count):
    # Loads in quarters are exact in binary, so both methods see the same ties.
    start = np.array([h[0] / 4 for h in hosts], dtype=float)
    step = np.array([h[1] / 4 for h in hosts], dtype=float)
    room = np.array([h[2] for h in hosts], dtype=np.int64)
    got = greedy_fill(start, step, room, count).tolist()
    assert got == _one_at_a_time(start, step, room, count)


def test_greedy_fill_spreads_identical_replicas_round_robin():
    got = greedy_fill(np.zeros(4), np.ones(4), np.full(4, 10), 6).tolist()
    assert got == [0, 1, 2, 3, 0, 1]


def test_greedy_fill_stops_when_room_runs_out():
    assert greedy_fill(np.zeros(2), np.ones(2), np.array([1, 2]), 10).tolist() == [0, 1, 1]


def test_placer_picks_least_loaded_that_fits_and_caches_refusals():
    load = [0.5, 0.1, 0.3]
    room = [True, False, True]
    calls = []

    def fits(host, cpu, memory):
        calls.append(host)
        return room[host]

    placer = Placer([0, 0, 0], lambda h: load[h], fits)
    assert placer.pick(0, 1.0, 1.0) == 2  # host 1 is lighter but full
    room[2] = room[0] = False
    assert placer.pick(0, 1.0, 1.0) == -1
    calls.clear()
    assert placer.pick(0, 2.0, 2.0) == -1  # a bigger request is refused without looking
    assert calls == []
    room[0] = True
    placer.freed(0)
    assert placer.pick(0, 1.0, 1.0) == 0
