"""Least-loaded-first placement over pools of hosts, a heap per pool.

Both platforms place a new instance on the least-loaded host that can take it: Kubernetes'
default scoring prefers the least-allocated node, and Hyper-V failover prefers the node with
the most free memory.  A heap keeps each placement at O(log hosts) instead of a scan, which
is what lets a rack failure on a 1,000-host cluster re-place thousands of instances fast.

Where not every host may take every workload (the container world's node taints, issue 21),
the hosts that admit the same workloads form a *group*, and each pool keeps a heap per group
(:class:`HostGroups`): a workload looks at the heaps of the groups it is allowed, and takes
the least-loaded host that fits among their tops (:meth:`Placer.pick_among`).  A host is in
one heap, so that costs a heap per allowed group, never a scan of the hosts it may not use;
and a cluster with one group (every bundled lesson) has exactly the heaps it had before.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, slots=True)
class HostGroups:
    """Which hosts each service's workloads may run on, as groups of hosts that admit the
    same services (the container world groups its nodes by their NoSchedule and NoExecute
    taints: sim/policies/node_taints.py)."""

    #: Each host's group, 0 to ``count - 1``.
    host_group: list[int]
    #: Per service, the groups its workloads may run on, in increasing order.
    allowed: list[tuple[int, ...]]
    #: Per service, a key: services with equal keys are admitted and refused alike (a cached
    #: explanation of why one waits holds for the other).
    key: list[int]

    @classmethod
    def one(cls, hosts: int, services: int) -> HostGroups:
        """Every host admits every service: one group (the VM world, an untainted cluster)."""
        return cls([0] * hosts, [(0,)] * services, [0] * services)

    @property
    def count(self) -> int:
        return max(self.host_group, default=0) + 1

    @property
    def restricts(self) -> bool:
        """Whether some service may not run on some host (else placement ignores groups)."""
        return self.count > 1 or any(allowed != (0,) for allowed in self.allowed)

    def heaps(self, pool_of: list[int]) -> list[int]:
        """Each host's heap in a :class:`Placer`: its pool's heap for its group (its pool's
        own heap when there is one group, so the heaps are those pools alone would have)."""
        groups = self.count
        if groups == 1:
            return pool_of
        return [pool * groups + group for pool, group in zip(pool_of, self.host_group, strict=True)]

    def service_heaps(self, pools: int) -> list[list[tuple[int, ...]]]:
        """Per service, per pool, the heaps its workloads may be placed from."""
        groups = self.count
        return [
            [tuple(pool * groups + group for group in allowed) for pool in range(pools)]
            for allowed in self.allowed
        ]


class Placer:
    """Picks hosts for workloads; the caller owns the load and fit rules."""

    __slots__ = ("_fits", "_heaps", "_load", "_nofit", "_pool_of", "_version", "epoch")

    def __init__(
        self,
        pool_of: list[int],
        load: Callable[[int], float],
        fits: Callable[[int, float, float], bool],
    ) -> None:
        self._pool_of = pool_of
        self._load = load
        self._fits = fits
        self._version = [0] * len(pool_of)
        self._heaps: list[list[tuple[float, int, int]]] = [
            [] for _ in range(max(pool_of, default=-1) + 1)
        ]
        #: Per pool, the smallest request known not to fit, valid while ``epoch`` is unchanged.
        self._nofit: dict[int, tuple[int, float, float]] = {}
        #: Bumped whenever capacity is freed, which may make a refused request fit.
        self.epoch = 0
        for host in range(len(pool_of)):
            self.update(host)

    def update(self, host: int) -> None:
        """Re-rank ``host`` after its load changed (or after it came back up)."""
        self._version[host] += 1
        heapq.heappush(
            self._heaps[self._pool_of[host]], (self._load(host), host, self._version[host])
        )

    def freed(self, host: int) -> None:
        """``host`` has more room than before: re-rank it and forget cached refusals."""
        self.epoch += 1
        self.update(host)

    def rebuild(self) -> None:
        """Re-rank every host at once (after a bulk deployment)."""
        self._heaps = [[] for _ in self._heaps]
        for host in range(len(self._pool_of)):
            self._version[host] += 1
            self._heaps[self._pool_of[host]].append((self._load(host), host, self._version[host]))
        for heap in self._heaps:
            heapq.heapify(heap)

    def remove(self, host: int) -> None:
        """Take ``host`` out of consideration (its heap entries go stale)."""
        self._version[host] += 1

    def pick(self, pool: int, cpu: float, memory: float) -> int:
        """The least-loaded host in ``pool`` that fits, or -1.  Does not reserve anything."""
        entry = self._best(pool, cpu, memory)
        return -1 if entry is None else entry[1]

    def pick_among(self, pools: Sequence[int], cpu: float, memory: float) -> int:
        """The least-loaded host that fits in any of ``pools`` (a workload allowed several
        groups of hosts), or -1: each heap's best, the least of them by load, then host, as
        one heap of all their hosts would rank them."""
        best: tuple[float, int, int] | None = None
        for pool in pools:
            entry = self._best(pool, cpu, memory)
            if entry is not None and (best is None or entry < best):
                best = entry
        return -1 if best is None else best[1]

    def _best(self, pool: int, cpu: float, memory: float) -> tuple[float, int, int] | None:
        """The heap entry of the least-loaded host in ``pool`` that fits, or None."""
        cached = self._nofit.get(pool)
        if (
            cached is not None
            and cached[0] == self.epoch
            and cpu >= cached[1]
            and memory >= cached[2]
        ):
            return None
        heap = self._heaps[pool]
        version = self._version
        fits = self._fits
        rejected: list[tuple[float, int, int]] = []
        chosen = None
        while heap:
            entry = heap[0]
            if entry[2] != version[entry[1]]:
                heapq.heappop(heap)
                continue
            if fits(entry[1], cpu, memory):
                chosen = entry
                break
            rejected.append(heapq.heappop(heap))
        for entry in rejected:
            heapq.heappush(heap, entry)
        if chosen is None:
            self._nofit[pool] = (self.epoch, cpu, memory)
        return chosen


def greedy_fill(
    start: npt.NDArray[np.float64],
    step: npt.NDArray[np.float64],
    room: npt.NDArray[np.int64],
    count: int,
) -> npt.NDArray[np.int64]:
    """Where ``count`` identical instances land when placed one at a time, least-loaded first.

    Host i has load ``start[i]`` and each instance adds ``step[i]`` (> 0); it takes at most
    ``room[i]`` more.  Placing one by one on the least-loaded host with room (ties to the lower
    index) picks the ``count`` smallest of all the loads ``start[i] + k * step[i]``, k < room[i]:
    this finds them at once.  Returns host positions in placement order (fewer than ``count``
    if the hosts run out of room).
    """
    return greedy_fill_rows(
        np.asarray(start, dtype=np.float64)[None, :],
        np.asarray(step, dtype=np.float64)[None, :],
        np.asarray(room, dtype=np.int64)[None, :],
        np.array([count], dtype=np.int64),
    )[0]


def greedy_fill_rows(
    start: npt.NDArray[np.float64],
    step: npt.NDArray[np.float64],
    room: npt.NDArray[np.int64],
    counts: npt.NDArray[np.int64],
) -> list[npt.NDArray[np.int64]]:
    """:func:`greedy_fill` for several independent pools at once: row r of the 2-D ``start``,
    ``step`` and ``room`` is pool r's hosts (a shorter pool padded with room 0), and
    ``counts[r]`` its instances.  Returns each row's positions in placement order.

    Each row gets exactly what :func:`greedy_fill` gives it alone: every row runs the same
    binary search, the same steps on the same numbers, only side by side.  A 1,000-host
    estate of 16 failover clusters then costs one numpy call per step of the search instead
    of 16, which is most of what deploying a service cost.
    """
    rows, width = room.shape
    counts = np.asarray(counts, dtype=np.int64)
    room = np.minimum(np.maximum(room, 0), counts[:, None]).astype(np.int64)
    counts = np.minimum(counts, room.sum(axis=1))
    active = counts > 0  # a row with nothing to place (or no room) gets nothing
    step = np.maximum(step, 1e-12)
    has_room = room > 0
    # Binary search for the load level below which ``count`` instances fit, so that only
    # about ``count`` candidates are ever built, however much room the hosts have.  Rows
    # with nothing to place start at 0 and are never searched (no inf - inf).
    lo = np.where(active, np.where(has_room, start, np.inf).min(axis=1, initial=np.inf), 1.0)
    lo -= 1.0
    highest = start + (room - 1) * step
    hi = np.where(active, np.where(has_room, highest, -np.inf).max(axis=1, initial=-np.inf), 0.0)
    searching = active.copy()
    for _ in range(100):
        if not searching.any():
            break
        mid = (lo + hi) / 2.0
        taken = _taken(start, step, room, mid[:, None]).sum(axis=1)
        # As greedy_fill did row by row: too many (or exactly enough) lowers ``hi``, too
        # few raises ``lo``; a row stops once exactly enough lie below ``hi``, or once the
        # interval is as narrow as floats allow.  Rows no longer searching keep theirs.
        hi = np.where(searching & (taken >= counts), mid, hi)
        lo = np.where(searching & (taken < counts), mid, lo)
        searching &= taken != counts
        searching &= ~(hi - lo <= 1e-12 * np.maximum(1.0, np.abs(hi)))
    take = np.where(active[:, None], _taken(start, step, room, hi[:, None]), 0).ravel()
    # Every candidate below its row's level, as (row, position, k-th instance there), built
    # in that order...
    cells = np.repeat(np.arange(rows * width, dtype=np.int64), take)
    k = np.arange(len(cells), dtype=np.int64) - np.repeat(np.cumsum(take) - take, take)
    loads = start.ravel()[cells] + k * step.ravel()[cells]
    row, position = np.divmod(cells, width)
    # ...in placement order within each row: the least load first, ties to the lower
    # position, then to the earlier instance.  lexsort is stable, so sorting by load keeps
    # ties in the order built, which is that tie-break.  Each row's first ``count`` are its
    # own: rounding at the level found may leave a row fewer (greedy_fill alone gave those).
    order = np.lexsort((loads, row))
    candidates = take.reshape(rows, width).sum(axis=1)
    first = np.cumsum(candidates) - candidates
    last = first + np.minimum(counts, candidates)
    return [position[order[first[r] : last[r]]] for r in range(rows)]


def _taken(
    start: npt.NDArray[np.float64],
    step: npt.NDArray[np.float64],
    room: npt.NDArray[np.int64],
    level: float | npt.NDArray[np.float64],
) -> npt.NDArray[np.int64]:
    """How many instances each host takes before its load would pass ``level``."""
    below = np.floor((level - start) / step).astype(np.int64) + 1
    # np.clip's own checks cost more than the work on a pool of 60 hosts.
    return np.minimum(np.maximum(below, 0), room)
