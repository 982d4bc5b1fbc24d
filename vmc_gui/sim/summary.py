"""The numbers a world's run comes to: recovery time, downtime, phases, peak memory.

These are what ``vmc-gui simulate`` prints and what the lessons compare.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from vmc_gui.model.compat import matrix
from vmc_gui.sim.records import EventType
from vmc_gui.sim.timeline import Timeline, WorldTimeline


@dataclass(frozen=True, slots=True)
class PhaseSpan:
    """A named stretch of the recovery, from the first workload entering it to the last leaving."""

    name: str
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True, slots=True)
class WorldSummary:
    world: str
    #: From the first injected fault until every service has its desired replicas ready;
    #: None if that never happens within the run.
    recovery_s: float | None
    #: Time during which some service had fewer ready replicas than desired.
    downtime_s: float
    #: Time during which some service had no ready replica at all.
    outage_s: float
    phases: tuple[PhaseSpan, ...]
    events: int
    peak_memory_used_gb: float
    pending: int
    #: Replicas the platform holds back (not pending a host): see WorldRun.stalled_reasons.
    held_back: int
    #: Why recovery_s is None, in words.
    reason: str | None
    #: The lesson's own figures (time to capacity, blackout, exposure...), by JSON name.
    extra: dict[str, Any]
    #: Time during which some service had fewer desired replicas that the clients reach
    #: (cut off by the network, or no longer listed as an endpoint): ``downtime_s`` in a run
    #: without network events.
    unreachable_s: float = 0.0
    #: The most workloads that ran two copies at once (sim/copies.py).
    max_duplicates: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "recovery_s": _round(self.recovery_s),
            "downtime_s": _round(self.downtime_s),
            "outage_s": _round(self.outage_s),
            "unreachable_s": _round(self.unreachable_s),
            "max_duplicates": self.max_duplicates,
            "phases": [
                {"name": p.name, "start_s": _round(p.start_s), "end_s": _round(p.end_s)}
                for p in self.phases
            ],
            "events": self.events,
            "peak_memory_used_gb": _round(self.peak_memory_used_gb),
            "pending": self.pending,
            "held_back": self.held_back,
            "reason": self.reason,
            **{key: _clean(value) for key, value in self.extra.items()},
        }


def _clean(value: Any) -> Any:
    return _round(value) if isinstance(value, float) else value


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _union_length(intervals: list[tuple[float, float]]) -> float:
    total = 0.0
    end = -np.inf
    for start, stop in sorted(intervals):
        if stop <= end:
            continue
        total += stop - max(start, end)
        end = stop
    return total


def _service_outages(wt: WorldTimeline, s: int) -> list[tuple[float, float]]:
    """When service ``s`` had no replica ready while it wanted some."""
    run = wt.run
    duration = run.duration_s
    # When some replicas were wanted: desired > 0, from the start and after each scale event.
    wanted: list[tuple[float, float]] = []
    since: float | None = 0.0 if run.service_desired[s] > 0 else None
    for at, k, n in run.desired_changes:
        if k != s:
            continue
        if n > 0 and since is None:
            since = at
        elif n <= 0 and since is not None:
            wanted.append((since, at))
            since = None
    if since is not None:
        wanted.append((since, duration))
    if not wanted:
        return []

    c = wt.changes
    mask = c.phase_service == s
    times = c.phase_times[mask]
    ready = np.cumsum(c.ready[mask])
    # Ready before any change is zero; keep only the changes that cross zero.
    zero = np.concatenate([[True], ready <= 0])
    flips = np.flatnonzero(zero[1:] != zero[:-1])
    none_ready: list[tuple[float, float]] = []
    start = 0.0
    for t, to_zero in zip(times[flips].tolist(), zero[flips + 1].tolist(), strict=True):
        if to_zero:
            start = t
        else:
            none_ready.append((start, t))
    if zero[-1]:
        none_ready.append((start, duration))
    return [
        (max(a, b), min(c_, d)) for a, c_ in none_ready for b, d in wanted if max(a, b) < min(c_, d)
    ]


def _intervals(
    wt: WorldTimeline, start: EventType, end: EventType
) -> tuple[list[tuple[float, float]], float | None, bool]:
    """Each service's stretches between its ``start`` and ``end`` rows (open ones run to the
    end of the run), the last ``end``, and whether any is still open at the end."""
    run, log = wt.run, wt.run.log
    since: dict[int, float] = {}
    out: list[tuple[float, float]] = []
    last: float | None = None
    for i in wt.rows(start, end).tolist():
        t, kind, s = log.time[i], log.kind[i], log.value[i]
        if kind == start:
            since[s] = t
        else:
            out.append((since.pop(s, 0.0), t))
            last = t
    out += [(t, run.duration_s) for t in since.values()]
    return out, last, bool(since)


def _time_to_capacity(wt: WorldTimeline) -> float | None:
    reached = capacity_reached(wt)
    return None if reached is None else reached[0]


def capacity_reached(wt: WorldTimeline) -> tuple[float, float] | None:
    """For each scaled service, from its first scale event until, after its last, it first has
    the replicas it was asked for; the slowest service counts: (how long it took, when it got
    there).  None if one never gets there.  Other services, and later dips, do not count."""
    asked: dict[int, tuple[float, float, int]] = {}
    for at, s, n in wt.run.desired_changes:
        first = asked[s][0] if s in asked else at
        asked[s] = (first, at, n)
    c = wt.changes
    slowest: tuple[float, float] = (0.0, 0.0)
    for s, (first, last, wanted) in asked.items():
        mask = c.phase_service == s
        times = c.phase_times[mask]
        ready = np.cumsum(c.ready[mask])
        at_last = int(np.searchsorted(times, last, side="right")) - 1
        if (ready[at_last] if at_last >= 0 else 0) >= wanted:
            reached = last
        else:
            later = np.flatnonzero((times > last) & (ready >= wanted))
            if not len(later):
                return None
            reached = float(times[later[0]])
        slowest = max(slowest, (reached - first, reached))
    return slowest


def summarize_world(wt: WorldTimeline) -> WorldSummary:
    run = wt.run
    fault = run.first_fault_s
    duration = run.duration_s

    unreachable = (
        _intervals(wt, EventType.SERVICE_UNREACHABLE, EventType.SERVICE_REACHABLE)[0]
        if run.copies_changes
        else None
    )
    # Degraded intervals per service, from the service events.
    degraded, last_restored, still_degraded = _intervals(
        wt, EventType.SERVICE_DEGRADED, EventType.SERVICE_RESTORED
    )

    # Outage: a service with desired replicas and none ready.
    changes = wt.changes
    outages: list[tuple[float, float]] = []
    for s in range(len(run.service_desired)):
        outages += _service_outages(wt, s)

    pending = len(run.pending_reasons)
    reason: str | None = None
    recovery: float | None
    if fault is None:
        recovery, reason = None, "no fault was injected"
    elif still_degraded:
        recovery = None
        held = len(run.stalled_reasons)
        if held:
            # The platform itself holds them back (a zone that stopped evicting, a pod that
            # stays Terminating): that is the lesson, before any replica pending a host.
            text, _ = Counter(run.stalled_reasons.values()).most_common(1)[0]
            reason = f"{held:,} replica{'s' * (held > 1)} held back: {text}"
        elif pending:
            counts = Counter(run.pending_reasons.values())
            text, _ = counts.most_common(1)[0]
            reason = f"{pending:,} replica{'s' * (pending > 1)} pending: {text}"
        else:
            reason = f"replicas were still starting when the run ended at {duration:g} s"
    elif last_restored is None or last_restored < fault:
        recovery = 0.0
    else:
        recovery = last_restored - fault

    peak = 0.0
    if len(changes.resource_times):
        totals = np.cumsum(changes.memory_gb)
        # The total at the end of each instant: several changes at one time are one step.
        last_of_instant = np.append(changes.resource_times[1:] != changes.resource_times[:-1], True)
        peak = max(0.0, float(totals[last_of_instant].max()))

    extra = dict(run.metrics)
    if run.desired_changes:
        extra["time_to_capacity_s"] = _time_to_capacity(wt)

    phases = tuple(
        PhaseSpan(name, start, end)
        for name, (start, end) in sorted(
            run.spans.items(), key=lambda item: (item[1][0], item[1][1])
        )
    )
    return WorldSummary(
        world=run.world.value,
        recovery_s=recovery,
        downtime_s=_union_length(degraded),
        outage_s=_union_length(outages),
        phases=phases,
        events=len(wt),
        peak_memory_used_gb=peak,
        pending=pending,
        held_back=len(run.stalled_reasons),
        reason=reason,
        extra=extra,
        unreachable_s=_union_length(degraded if unreachable is None else unreachable),
        max_duplicates=run.max_duplicates,
    )


def summarize(timeline: Timeline) -> dict[str, WorldSummary]:
    """Each world's summary (``Timeline.summary`` keeps it, worked out once)."""
    return {world.value: summarize_world(wt) for world, wt in timeline.worlds.items()}


def migrations_json(wt: WorldTimeline) -> list[dict[str, Any]]:
    """Each live migration of a world, in the order each ended (none where pods are
    replaced instead)."""
    run = wt.run
    return [
        {
            "workload": run.workload_names[m.workload],
            "from": run.host_names[m.source],
            "to": run.host_names[m.target],
            "start_s": _round(m.start_s),
            "end_s": _round(m.end_s),
            "rounds": len(m.rounds),
            "blackout_ms": _round(m.blackout_ms),
            "outcome": m.outcome,
        }
        for m in run.migrations
    ]


#: What a partition decides, as the log says it: who keeps the cluster or the control plane.
_PARTITION_ROWS = (
    EventType.QUORUM_KEPT,
    EventType.QUORUM_LOST,
    EventType.CONTROL_PLANE_FROZEN,
    EventType.CONTROL_PLANE_THAWED,
)


def partition_json(wt: WorldTimeline) -> list[dict[str, Any]]:
    """Each decision a partition forced on the platform (quorum kept or lost, the control
    plane frozen or thawed): when, and the log's words."""
    log = wt.run.log
    return [
        {"at_s": _round(log.time[i]), "what": log.detail[i]}
        for i in wt.rows(*_PARTITION_ROWS).tolist()
    ]


def to_json(timeline: Timeline) -> dict[str, Any]:
    """The ``simulate --json`` document."""
    from vmc_gui.sim.chapters import chapters  # they read the headlines, which read this

    scenario = timeline.scenario
    summaries = timeline.summary
    recovered = {w: s.recovery_s for w, s in summaries.items() if s.recovery_s is not None}
    document: dict[str, Any] = {
        "scenario": scenario.name,
        "title": scenario.title,
        "lesson": scenario.lesson,
        "seed": scenario.seed,
        "duration_s": scenario.duration_s,
        "parameters": dict(scenario.parameters.overrides),
        "digest": timeline.digest,
        "fastest_recovery": min(recovered, key=lambda w: recovered[w]) if recovered else None,
        "worlds": {w: s.to_json() for w, s in summaries.items()},
        # The lesson's chapters: where its story turns, and what to say there.
        "chapters": [chapter.to_json() for chapter in chapters(timeline)],
    }
    for world, wt in timeline.worlds.items():
        document["worlds"][world.value]["migrations"] = migrations_json(wt)
        if scenario.cuts_network:
            document["worlds"][world.value]["partition"] = partition_json(wt)
        document["worlds"][world.value]["services"] = [
            {"name": s.name, "kind": s.kind.value} for s in scenario.services if s.runs_in(world)
        ]
    if scenario.compat is not None:
        for world in scenario.worlds:
            document["worlds"][world.value]["matrix"] = matrix(
                world, scenario.compat.hosts, scenario.compat.guests
            )
    return document
