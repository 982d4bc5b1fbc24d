"""The discrete-event core: a clock and a priority queue, with a stable order for ties.

Events at the same simulated time run by priority (faults, then the platform's control loops,
then workload progress) and then in the order they were scheduled, so a run depends only on
its inputs.  There is no wall clock anywhere in the simulation.

A run may report how far it has got (:attr:`Engine.progress`, for a progress bar): the hook
is called with the simulated time every :data:`REPORT_EVERY` events, counted, not timed, so
the reports are the same on every machine; it may raise to stop the run (the app's Cancel).
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


#: Events run between two progress reports: a few milliseconds of work, so a progress bar moves
#: smoothly, and few enough calls that they cost nothing measurable.
REPORT_EVERY = 4096


class Engine:
    """Runs scheduled callbacks in simulated-time order."""

    __slots__ = ("_queue", "_seq", "now", "processed", "progress")

    def __init__(self) -> None:
        self._queue: list[tuple[float, int, int, Callable[..., None], tuple[Any, ...]]] = []
        self._seq = 0
        #: The current simulated time, in seconds.
        self.now = 0.0
        #: How many callbacks have run.
        self.processed = 0
        #: Called with :attr:`now` as :meth:`run` starts, every :data:`REPORT_EVERY` events
        #: and as it ends; None: no reports.  Whatever it raises stops the run and goes
        #: through to :meth:`run`'s caller.
        self.progress: Callable[[float], None] | None = None

    def at(self, time: float, priority: Priority, action: Callable[..., None], *args: Any) -> None:
        """Run ``action(*args)`` at simulated ``time`` (never earlier than now)."""
        self._seq += 1
        heapq.heappush(self._queue, (max(time, self.now), priority, self._seq, action, args))

    def run(self, until: float) -> None:
        """Run every callback due at or before ``until``; later ones stay queued."""
        queue = self._queue
        pop = heapq.heappop
        report = self.progress
        if report is None:
            # The loop every run without a progress bar takes (the CLI, the benchmarks):
            # nothing in it but the events.
            while queue and queue[0][0] <= until:
                time, _, _, action, args = pop(queue)
                self.now = time
                self.processed += 1
                action(*args)
        else:
            report(self.now)
            while queue and queue[0][0] <= until:
                # A batch of events, the same loop as above, then one report.
                for _ in range(REPORT_EVERY):
                    if not queue or queue[0][0] > until:
                        break
                    time, _, _, action, args = pop(queue)
                    self.now = time
                    self.processed += 1
                    action(*args)
                report(self.now)
        self.now = max(self.now, until)
        if report is not None:
            report(self.now)
