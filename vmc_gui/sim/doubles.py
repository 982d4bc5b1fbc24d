"""Which workloads run twice at a time, where each of their copies is, and which copies a
platform left behind on hosts it no longer hears, from a world's log.

The engine logs a ``DUPLICATES`` row each time a workload starts or stops running twice; its
detail names the workload ("web-9 runs twice", "web-9 runs once again") and its value is the
count (see ``sim/copies.py``).  The workload named carries the identity on: a VM, or a
StatefulSet pod, keeps its own index and its left copy runs where it was before; a
Deployment's replacement is a new pod (its ``WORKLOAD_CREATED`` row says "replaces web-3"),
and the old pod is the copy left behind, Terminating on the host that is cut off.  The views
mark both copies where both are drawn.

A copy left behind under the workload's own index (a VM the quorum side restarted while its
paused copy stays on the isolated host) has no glyph of its own: the workload's rows follow
the new copy.  Its ``COPY_STOPPED`` row names the workload and the host; the copy was there
from the workload's first row elsewhere, in the phase of its last row there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vmc_gui.sim.records import NOT_CREATED, EventType, Phase
from vmc_gui.sim.timeline import WorldState, WorldTimeline

_TWICE = " runs twice"
_ONCE = " runs once again"
_REPLACES = "replaces "


@dataclass(frozen=True, slots=True)
class Twice:
    """A workload running twice at a time, and where its copies are."""

    #: The workload the engine names (the one that carries the identity on).
    key: int
    name: str
    #: Each copy as (host, workload drawn there, or -1 where the copy has no glyph of its own:
    #: a VM's or a StatefulSet pod's copy left on the host it was on).
    copies: tuple[tuple[int, int], ...]


class Doubles:
    """The spans during which each workload of a world runs twice."""

    def __init__(self, wt: WorldTimeline) -> None:
        self._wt = wt
        log = wt.run.log
        names = wt.run.workload_names
        by_name: dict[str, list[int]] = {}
        for w, name in enumerate(names):
            by_name.setdefault(name, []).append(w)
        #: Each span of running twice: (start, end, workload); end is inf while it lasts.
        self.spans: list[tuple[float, float, int]] = []
        open_at: dict[int, float] = {}
        for i in wt.rows(EventType.DUPLICATES).tolist():
            detail = log.detail[i]
            twice = detail.endswith(_TWICE)
            if not twice and not detail.endswith(_ONCE):
                continue
            name = detail.removesuffix(_TWICE if twice else _ONCE)
            found = by_name.get(name)
            if not found:
                continue
            w = found[-1]
            if twice:
                open_at.setdefault(w, log.time[i])
            elif w in open_at:
                self.spans.append((open_at.pop(w), log.time[i], w))
        self.spans += [(start, float("inf"), w) for w, start in open_at.items()]
        self.spans.sort()
        #: A Deployment's replacement -> the pod it replaces (the copy left behind).
        self.replaces: dict[int, int] = {}
        for i in wt.rows(EventType.WORKLOAD_CREATED).tolist():
            detail = log.detail[i]
            w = log.workload[i]
            if w < 0 or not detail.startswith(_REPLACES):
                continue
            earlier = [o for o in by_name.get(detail.removeprefix(_REPLACES), []) if o < w]
            if earlier:
                self.replaces[w] = earlier[-1]

    def __len__(self) -> int:
        return len(self.spans)

    def keys_at(self, t: float) -> list[int]:
        """The workloads running twice at ``t``."""
        return [w for start, end, w in self.spans if start <= t < end]

    def at(self, t: float, state: WorldState) -> list[Twice]:
        """Each workload running twice at ``t`` (``state`` is the world's at ``t``), with its
        copies."""
        out = []
        names = self._wt.run.workload_names
        for key in self.keys_at(t):
            copies: list[tuple[int, int]] = []
            here = int(state.workload_host[key]) if _drawn(state, key) else -1
            if here >= 0:
                copies.append((here, key))
            old = self.replaces.get(key)
            if old is not None and _drawn(state, old):
                copies.append((int(state.workload_host[old]), old))
            else:
                left = self._wt.host_before(key, t, here)
                if left >= 0:
                    copies.append((left, -1))
            out.append(Twice(key, names[key], tuple(copies)))
        return out


@dataclass(frozen=True, slots=True)
class LeftCopy:
    """A copy a platform left behind on a host it no longer heard, until it was turned off."""

    workload: int
    host: int
    #: The phase it was left in (Paused-Critical, or running on).
    phase: int
    start: float
    end: float


class LeftCopies:
    """Every copy left behind under its workload's own index, from a world's log."""

    def __init__(self, wt: WorldTimeline) -> None:
        log = wt.run.log
        stops = [
            (log.time[i], log.workload[i], log.host[i])
            for i in wt.rows(EventType.COPY_STOPPED).tolist()
        ]
        wanted = {w for _, w, h in stops if w >= 0 and h >= 0}
        #: Each wanted workload's phase rows: (time, host, phase).
        rows: dict[int, list[tuple[float, int, int]]] = {w: [] for w in wanted}
        if wanted:
            for i in np.flatnonzero(np.isin(np.asarray(log.workload), list(wanted))).tolist():
                if log.value[i] >= 0:
                    rows[log.workload[i]].append((log.time[i], log.host[i], log.value[i]))
        self.copies: list[LeftCopy] = []
        for end, w, h in stops:
            if w not in rows:
                continue
            history = [r for r in rows[w] if r[0] <= end]
            last = max((k for k, r in enumerate(history) if r[1] == h), default=None)
            if last is None:
                continue
            moved = next((r for r in history[last + 1 :] if r[1] != h), None)
            if moved is not None:  # else the copy is the workload's own glyph
                self.copies.append(LeftCopy(w, h, history[last][2], moved[0], end))

    def __len__(self) -> int:
        return len(self.copies)

    def at(self, t: float) -> list[LeftCopy]:
        """The copies left behind at ``t``."""
        return [c for c in self.copies if c.start <= t < c.end]


def _drawn(state: WorldState, w: int) -> bool:
    """Whether workload ``w`` has a glyph at the state's time (created, not stopped, placed)."""
    phase = int(state.workload_phase[w])
    return phase not in (NOT_CREATED, int(Phase.STOPPED)) and bool(
        np.asarray(state.workload_host)[w] >= 0
    )
