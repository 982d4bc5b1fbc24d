"""How long each instance's process has held its state in memory: what a move keeps or loses.

An instance's *incarnation* is one run of its process: from the moment it is ready to serve
until it stops serving for good.  A live migration keeps it (the VM's process and memory are
copied across while it runs, and it is ready again on the target after the blackout: ready,
migrating, ready is one incarnation).  Anything else that stops it ends it and loses what it
held: a VM that crashes and boots elsewhere, a guest rebooted by an update, and a pod evicted
or replaced, whose replacement is another pod, a new process that starts with nothing.

:func:`incarnations` reads them from the log once per timeline; a view asks what is in
memory at t with a few vectorised sums, not a scan of the log.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from vmc_gui.sim.records import Phase
from vmc_gui.sim.timeline import WorldTimeline

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: The phases in which an instance's process runs with its state in memory.
IN_MEMORY = (int(Phase.READY), int(Phase.MIGRATING))


@dataclass(frozen=True)
class Incarnations:
    """Every incarnation of a run, ordered by (workload, start)."""

    workload: IntArray
    start: FloatArray
    #: When it ended (its state lost); ``inf`` if it still runs at the end of the run.
    end: FloatArray
    #: How many live migrations it went through (each keeping its state), by its end.
    moves: IntArray
    #: When each live migration of the incarnation switched over, per incarnation.
    move_times: tuple[FloatArray, ...]
    #: Every switch-over of the run, in time order (how many by t: one binary search).
    switches: FloatArray

    def __len__(self) -> int:
        return len(self.workload)

    def live_at(self, t: float) -> npt.NDArray[np.bool_]:
        """Per incarnation: running with its state at ``t``?"""
        return (self.start <= t) & (t < self.end)

    def started(self, w: int, t: float) -> float | None:
        """When workload ``w``'s process running at ``t`` started (None if none runs)."""
        lo = int(np.searchsorted(self.workload, w, side="left"))
        hi = int(np.searchsorted(self.workload, w, side="right"))
        for i in range(lo, hi):
            if self.start[i] <= t < self.end[i]:
                return float(self.start[i])
        return None

    def moves_by(self, w: int, t: float) -> int:
        """How many live migrations workload ``w``'s current process went through by ``t``."""
        lo = int(np.searchsorted(self.workload, w, side="left"))
        hi = int(np.searchsorted(self.workload, w, side="right"))
        for i in range(lo, hi):
            if self.start[i] <= t < self.end[i]:
                return int(np.count_nonzero(self.move_times[i] <= t))
        return 0

    def moved_by(self, t: float) -> int:
        """How many live migrations had switched over by ``t``, each keeping its state."""
        return int(np.searchsorted(self.switches, t, side="right"))

    def ages_at(self, t: float, size: int) -> FloatArray:
        """Per workload (``size`` of them): how long its process has held its state at
        ``t``, in seconds; NaN where none runs."""
        ages = np.full(size, np.nan)
        live = self.live_at(t)
        ages[self.workload[live]] = t - self.start[live]
        return ages

    def seconds_at(self, t: float) -> tuple[float, float, int]:
        """At ``t``: the seconds of state held in memory, summed over the running
        incarnations; the seconds of state lost, summed over those that ended; and how
        many ended."""
        live = self.live_at(t)
        held = float(np.sum(t - self.start[live]))
        ended = self.end <= t
        lost = float(np.sum(self.end[ended] - self.start[ended]))
        return held, lost, int(np.count_nonzero(ended))


def incarnations(wt: WorldTimeline) -> Incarnations:
    """Each workload's incarnations: a run of phases in :data:`IN_MEMORY` is one, from its
    first row there to the first row out of it."""
    log = wt.run.log
    workloads = np.asarray(log.workload, dtype=np.int64)
    values = np.asarray(log.value, dtype=np.int64)
    rows = np.flatnonzero((workloads >= 0) & (values >= 0))  # phase changes
    # By workload, then time; rows at the same time keep the log's order (lexsort is stable).
    rows = rows[np.lexsort((wt.times[rows], workloads[rows]))]
    w = workloads[rows]
    t = wt.times[rows]
    inside = np.isin(values[rows], IN_MEMORY)
    before = np.zeros(len(rows), dtype=bool)
    same = np.zeros(len(rows), dtype=bool)
    same[1:] = w[1:] == w[:-1]
    before[1:] = inside[:-1] & same[1:]
    starts = np.flatnonzero(inside & ~before)
    ends = np.flatnonzero(~inside & before)
    # Within a workload, starts and ends alternate, a start first: each start's end is the
    # first end after it of the same workload, if any.
    after = np.searchsorted(ends, starts)
    end = np.full(len(starts), np.inf)
    if len(ends):
        k = np.clip(after, 0, len(ends) - 1)
        found = (after < len(ends)) & (w[ends[k]] == w[starts])
        end[found] = t[ends[k[found]]]
    # A live migration's switch-over is the return to ready from migrating: inside an
    # incarnation, the one whose start is the last before it.
    previous = np.r_[-1, values[rows][:-1]]
    switched = np.flatnonzero((values[rows] == Phase.READY) & same & (previous == Phase.MIGRATING))
    owner = np.searchsorted(starts, switched, side="right") - 1
    moves = np.bincount(owner, minlength=len(starts)).astype(np.int64)
    move_times = tuple(np.split(t[switched], np.cumsum(moves)[:-1])) if len(starts) else ()
    return Incarnations(
        w[starts],
        t[starts],
        end,
        moves,
        move_times,
        np.sort(t[switched]),
    )
