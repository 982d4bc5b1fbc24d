"""The discrete-event core: a clock and a priority queue, with a stable order for ties.

Events at the same simulated time run by priority (faults, then the platform's control loops,
then workload progress) and then in the order they were scheduled, so a run depends only on
its inputs.  There is no wall clock anywhere in the simulation.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from enum import IntEnum
from typing import Any


class Priority(IntEnum):
    """Which of several simultaneous events runs first."""

    #: Injected faults and repairs: the world changes before anyone reacts.
    FAULT = 0
    #: Control loops: detection, eviction, failover decisions.
    CONTROL = 1
    #: A workload finishing a phase (boot done, image pulled, started).
    PROGRESS = 2


class Engine:
    """Runs scheduled callbacks in simulated-time order."""

    __slots__ = ("_queue", "_seq", "now", "processed")

    def __init__(self) -> None:
        self._queue: list[tuple[float, int, int, Callable[..., None], tuple[Any, ...]]] = []
        self._seq = 0
        #: The current simulated time, in seconds.
        self.now = 0.0
        #: How many callbacks have run.
        self.processed = 0

    def at(self, time: float, priority: Priority, action: Callable[..., None], *args: Any) -> None:
        """Run ``action(*args)`` at simulated ``time`` (never earlier than now)."""
        self._seq += 1
        heapq.heappush(self._queue, (max(time, self.now), priority, self._seq, action, args))

    def run(self, until: float) -> None:
        """Run every callback due at or before ``until``; later ones stay queued."""
        queue = self._queue
        pop = heapq.heappop
        while queue and queue[0][0] <= until:
            time, _, _, action, args = pop(queue)
            self.now = time
            self.processed += 1
            action(*args)
        self.now = max(self.now, until)
