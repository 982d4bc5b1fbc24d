"""What a kernel exploit has reached, by time: a view's question asked of the log once.

The simulation logs a ``WORKLOAD_EXPOSED`` row for every instance an exploit reaches (the
victim alone where a kernel of its own stands in the way; every instance on the host where
they share the host's kernel).  :func:`exposures` gathers them once per timeline, so a view
drawing frame after frame asks :meth:`Exposures.mask_at` (a binary search) rather than
scanning the log.  Nothing of the future is in the answer: an instance counts as reached from
the moment the exploit reaches it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from vmc_gui.sim.records import EventType
from vmc_gui.sim.timeline import WorldTimeline

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Exposures:
    """Every instance an exploit reached, in the order it was reached (each once)."""

    #: When each was reached, ascending.
    times: FloatArray
    #: Which workload (an index into the world's workloads), in the same order.
    workloads: IntArray
    #: How many workloads the world has (the length of a mask).
    size: int

    def __len__(self) -> int:
        return len(self.workloads)

    def count_at(self, t: float) -> int:
        """How many instances were reached at or before ``t``."""
        return int(np.searchsorted(self.times, t, side="right"))

    def reached_at(self, t: float) -> IntArray:
        """The workloads reached at or before ``t``."""
        return self.workloads[: self.count_at(t)]

    def mask_at(self, t: float) -> npt.NDArray[np.bool_]:
        """Per workload: reached at or before ``t``?"""
        mask = np.zeros(self.size, dtype=bool)
        mask[self.reached_at(t)] = True
        return mask

    def when(self, w: int) -> float | None:
        """When workload ``w`` was reached (None if never)."""
        found = np.flatnonzero(self.workloads == w)
        return float(self.times[found[0]]) if len(found) else None


def exposures(wt: WorldTimeline) -> Exposures:
    """The instances the exploits of a run reached, and when (the first time, if twice)."""
    rows = wt.rows(EventType.WORKLOAD_EXPOSED)
    log = wt.run.log
    times = wt.times[rows]
    workloads = np.asarray([log.workload[int(i)] for i in rows.tolist()], dtype=np.int64)
    # The log is in time order: the first row of each workload is when it was first reached.
    _, first = np.unique(workloads, return_index=True)
    keep = np.sort(first)
    return Exposures(times[keep].astype(np.float64), workloads[keep], len(wt.run.workload_names))
