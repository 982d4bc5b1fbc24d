"""What one failure did to one world, as the survey reports it (issue 21, §4): how many
replicas it took down, how many are still not ready when the watch ends (pending a host,
held back by the platform, or still starting), which services they belong to, and how long
the world took to get back, where that was simulated.

An :class:`Outcome` comes from a simulated run (:func:`outcomes_of`) or from the capacity
analysis (:mod:`vmc_gui.sim.capacity`); both are plain values that cross a process
boundary as JSON-able dicts (:meth:`Outcome.to_json`, :meth:`Outcome.from_json`).

Everything is counted against the moment before the failure, not against the services'
desired counts: a replica that had no room before the failure (an imported cluster's
unscheduled pod) is the cluster's, not the failure's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from vmc_gui.sim.timeline import Timeline, WorldTimeline

#: How an outcome was found.
CAPACITY = "capacity"
SIMULATION = "simulation"


@dataclass(frozen=True, slots=True)
class Outcome:
    """One failure in one world."""

    #: ``"capacity"`` (the analysis) or ``"simulation"`` (a run).
    method: str
    #: Replicas that were running on the failed hosts.
    lost: int
    #: Of those (or their replacements), by service, the ones not ready when the watch ends:
    #: waiting for a host with room (or for their data on a failed host's disk)...
    pending: dict[str, int] = field(default_factory=dict)
    #: ... held back by the platform (a StatefulSet pod left Terminating, a zone that stopped
    #: evicting) ...
    held_back: dict[str, int] = field(default_factory=dict)
    #: ... or still on their way (a run that ended before they were ready).
    starting: dict[str, int] = field(default_factory=dict)
    #: From the failure until every service is back to its replicas before it; None when it
    #: never is within the watch, or when nothing was simulated.
    recovery_s: float | None = None
    #: Why the commonest of the replicas not ready is not, in the platform's words.
    reason: str | None = None
    #: False where the analysis may differ from the simulation (see capacity.py): the survey
    #: simulates such a failure where it can.
    exact: bool = True

    @property
    def short(self) -> int:
        """Replicas not ready when the watch ends that were ready before the failure."""
        return (
            sum(self.pending.values()) + sum(self.held_back.values()) + sum(self.starting.values())
        )

    @property
    def survives(self) -> bool:
        """Every replica ready before the failure is ready again: full capacity."""
        return self.short == 0

    @property
    def simulated(self) -> bool:
        return self.method == SIMULATION

    def services(self) -> dict[str, int]:
        """The replicas not ready, by service, the most first (then by name)."""
        total: Counter[str] = Counter()
        for part in (self.pending, self.held_back, self.starting):
            total.update(part)
        return dict(sorted(total.items(), key=lambda item: (-item[1], item[0])))

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "survives": self.survives,
            "lost": self.lost,
            "short": self.short,
            "pending": dict(self.pending),
            "held_back": dict(self.held_back),
            "starting": dict(self.starting),
            "recovery_s": None if self.recovery_s is None else round(self.recovery_s, 6),
            "reason": self.reason,
            "exact": self.exact,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Outcome:
        """The outcome a worker sent (what :meth:`to_json` wrote)."""
        recovery = data["recovery_s"]
        return cls(
            method=str(data["method"]),
            lost=int(data["lost"]),
            pending={str(k): int(v) for k, v in data["pending"].items()},
            held_back={str(k): int(v) for k, v in data["held_back"].items()},
            starting={str(k): int(v) for k, v in data["starting"].items()},
            recovery_s=None if recovery is None else float(recovery),
            reason=None if data["reason"] is None else str(data["reason"]),
            exact=bool(data["exact"]),
        )


def outcomes_of(timeline: Timeline, at_s: float) -> dict[str, Outcome]:
    """Each world's outcome of the failure injected at ``at_s`` in ``timeline``'s run, the
    watch ending where the run does."""
    return {world.value: world_outcome(wt, at_s) for world, wt in timeline.worlds.items()}


def world_outcome(wt: WorldTimeline, at_s: float) -> Outcome:
    """One world's outcome (see :func:`outcomes_of`)."""
    run = wt.run
    changes = wt.changes
    times, services, ready = changes.phase_times, changes.phase_service, changes.ready
    names = run.service_names
    lost = 0
    recovery = 0.0
    short: dict[int, int] = {}
    for s in range(len(names)):
        mask = services == s
        t = times[mask]
        total = np.cumsum(ready[mask])
        # Rows at the failure's own instant come after it (it is injected first).
        before_i = int(np.searchsorted(t, at_s, side="left")) - 1
        before = float(total[before_i]) if before_i >= 0 else 0.0
        after = total[before_i + 1 :]
        if not len(after):
            continue
        dip = before - float(after.min())
        if dip <= 0:
            continue
        lost += round(dip)
        end = float(after[-1])
        if end < before:
            short[s] = round(before - end)
            continue
        # Back for good: the change after the last moment it was below its count before.
        below = np.flatnonzero(after < before)
        back_at = float(t[before_i + 1 + int(below[-1]) + 1])
        recovery = max(recovery, back_at - at_s)
    if not short:
        return Outcome(SIMULATION, lost, recovery_s=recovery)
    return _shortfall(wt, at_s, lost, short)


def _shortfall(wt: WorldTimeline, at_s: float, lost: int, short: dict[int, int]) -> Outcome:
    """Split each service's missing replicas into pending, held back and starting, by what
    the platform says of the workloads the failure touched (those whose last logged change
    came at or after it: a replica pending since before is not the failure's)."""
    run = wt.run
    log = run.log
    workload = np.fromiter(log.workload, dtype=np.int64, count=len(log.workload))
    rows = np.flatnonzero(workload >= 0)
    last_change = np.full(len(run.workload_service), -np.inf)
    # The log is in time order: the last row written for a workload wins.
    last_change[workload[rows]] = wt.times[rows]
    touched = last_change >= at_s
    reasons: Counter[str] = Counter()

    def count(found: dict[int, str]) -> dict[int, int]:
        by_service: Counter[int] = Counter()
        for w, why in found.items():
            if touched[w]:
                by_service[run.workload_service[w]] += 1
                reasons[why] += 1
        return dict(by_service)

    pending_n = count(run.pending_reasons)
    held_n = count(run.stalled_reasons)
    names = run.service_names
    pending: dict[str, int] = {}
    held: dict[str, int] = {}
    starting: dict[str, int] = {}
    for s, missing in short.items():
        p = min(missing, pending_n.get(s, 0))
        h = min(missing - p, held_n.get(s, 0))
        rest = missing - p - h
        for part, n in ((pending, p), (held, h), (starting, rest)):
            if n:
                part[names[s]] = n
    reason = reasons.most_common(1)[0][0] if reasons else None
    if reason is None and starting:
        reason = "still on their way back when the watch ended"
    return Outcome(SIMULATION, lost, pending, held, starting, None, reason)
