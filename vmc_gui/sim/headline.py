"""Each world's result in a few words, as it stands at any moment of the run.

A lesson names its headline metric (``model.lessons.Row.headline``): how long recovery
took, how many instances fit, how long the update took, how a workload moved, how far an
exploit reached.  :func:`headline` turns a world's timeline into a :class:`Headline`: a list
of moments at which the words change.  Between two moments the words may count
("down 1 min 20 s"); from the moment the lesson's figure is reached they freeze ("recovered
in 5 min 0 s").  The views show :meth:`Headline.at`; before that moment the answer is not
given away.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from vmc_gui.model.lessons import ROWS
from vmc_gui.model.scenario import EventKind, Platform, Scenario
from vmc_gui.report import duration
from vmc_gui.sim.records import EventType
from vmc_gui.sim.summary import WorldSummary
from vmc_gui.sim.timeline import Timeline, WorldTimeline


class Tone(StrEnum):
    """How a headline reads: neutral, good news, or bad news (the views colour it)."""

    NEUTRAL = "neutral"
    GOOD = "good"
    ALARM = "alarm"


class Metric(StrEnum):
    """What a lesson's headline measures."""

    RECOVERY = "recovery"
    INSTANCES = "instances"
    CAPACITY = "capacity"
    UPDATE = "update"
    MOVES = "moves"
    REACH = "reach"
    #: A network partition: how long clients were cut off, and what ran twice.
    PARTITION = "partition"


@dataclass(frozen=True, slots=True)
class Moment:
    """From ``start_s`` on, the headline says ``text``; ``{elapsed}`` in it counts the time
    since ``since_s``.  ``final``: the lesson's figure is reached and the words freeze."""

    start_s: float
    text: str
    tone: Tone = Tone.NEUTRAL
    final: bool = False
    since_s: float = 0.0


@dataclass(frozen=True, slots=True)
class Headline:
    """A world's headline over its run: the moments at which its words change."""

    moments: tuple[Moment, ...]
    #: Each moment's start, for the search a frame makes (derived: not compared).
    starts: tuple[float, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "starts", tuple(m.start_s for m in self.moments))

    def at(self, t: float) -> tuple[str, Tone, bool]:
        """The words at ``t``, their tone, and whether they are the final result."""
        i = bisect.bisect_right(self.starts, t) - 1
        if i < 0:
            return "", Tone.NEUTRAL, False
        moment = self.moments[i]
        text = moment.text
        if "{elapsed}" in text:
            text = text.replace("{elapsed}", duration(max(0.0, t - moment.since_s)))
        return text, moment.tone, moment.final

    def final(self) -> tuple[float, str] | None:
        """When the result is reached, and what it says (None if it never is)."""
        for moment in self.moments:
            if moment.final:
                return moment.start_s, moment.text
        return None


def metric_for(scenario: Scenario) -> Metric | None:
    """The headline a scenario shows: a partition's where the network breaks, else its
    lesson's, or recovery where something fails."""
    if scenario.cuts_network:
        return Metric.PARTITION
    row = ROWS.get(scenario.lesson)
    if row is not None and row.headline:
        return Metric(row.headline)
    if any(e.kind is EventKind.HOST_FAIL for e in scenario.events):
        return Metric.RECOVERY
    return None


def headlines(timeline: Timeline) -> dict[str, Headline]:
    """Each world's headline, by world name (none where the scenario has no metric)."""
    metric = metric_for(timeline.scenario)
    if metric is None:
        return {}
    return {w.value: headline(timeline, wt, metric) for w, wt in timeline.worlds.items()}


def headline(timeline: Timeline, wt: WorldTimeline, metric: Metric) -> Headline:
    """The headline ``metric`` of one world of ``timeline``."""
    makers = {
        Metric.RECOVERY: _recovery,
        Metric.INSTANCES: _instances,
        Metric.CAPACITY: _capacity,
        Metric.UPDATE: _update,
        Metric.MOVES: _moves,
        Metric.REACH: _reach,
        Metric.PARTITION: _partition,
    }
    moments = makers[metric](timeline, wt, timeline.summary[wt.world.value])
    return Headline(tuple(sorted(moments, key=lambda m: m.start_s)))


def _recovery(timeline: Timeline, wt: WorldTimeline, summary: WorldSummary) -> list[Moment]:
    fault = wt.run.first_fault_s
    if fault is None:
        return [Moment(0.0, "nothing fails")]
    moments = [Moment(0.0, "serving"), Moment(fault, "down {elapsed}", Tone.ALARM, since_s=fault)]
    recovery = summary.recovery_s
    if recovery == 0.0:
        moments.append(Moment(fault, "the failure hit no service", Tone.GOOD, final=True))
    elif recovery is not None:
        moments.append(
            Moment(fault + recovery, f"recovered in {duration(recovery)}", Tone.GOOD, final=True)
        )
    else:
        after = max((p.end_s for p in summary.phases), default=fault)
        held = summary.held_back or summary.pending
        what = "held back" if summary.held_back else "pending"
        moments.append(
            Moment(
                after,
                f"not recovered: {held} {what}",
                Tone.ALARM,
                final=True,
            )
        )
    return moments


def _ready_steps(wt: WorldTimeline) -> tuple[np.ndarray, np.ndarray]:
    """The total of ready replicas after each instant at which it changes: (times, totals)."""
    c = wt.changes
    if not len(c.phase_times):
        return np.zeros(0), np.zeros(0)
    totals = np.cumsum(c.ready)
    last = np.append(c.phase_times[1:] != c.phase_times[:-1], True)
    return c.phase_times[last], totals[last]


def _instances(timeline: Timeline, wt: WorldTimeline, summary: WorldSummary) -> list[Moment]:
    times, totals = _ready_steps(wt)
    noun = "VM" if wt.world.platform is Platform.VM else "container"
    moments = [Moment(0.0, f"0 {noun}s running")]
    moments += [
        Moment(float(t), f"{int(n):,} {noun}{'s' * (int(n) != 1)} running")
        for t, n in zip(times.tolist(), totals.tolist(), strict=True)
    ]
    if len(times):
        n = int(totals[-1])
        moments.append(Moment(float(times[-1]), f"{n:,} {noun}{'s' * (n != 1)} fit", final=True))
    return moments


def _capacity(timeline: Timeline, wt: WorldTimeline, summary: WorldSummary) -> list[Moment]:
    times, totals = _ready_steps(wt)
    scaled = [at for at, _, _ in wt.run.desired_changes]
    if not scaled:
        return [Moment(0.0, "nothing scales")]
    first = min(scaled)
    wanted = int(np.sum(wt.desired_at(timeline.duration_s)))
    before = int(totals[np.searchsorted(times, first, side="right") - 1]) if len(times) else 0
    moments = [
        Moment(0.0, f"{before} ready"),
        Moment(first, f"{before} of {wanted} ready · {{elapsed}}", since_s=first),
    ]
    moments += [
        Moment(t, f"{int(n)} of {wanted} ready · {{elapsed}}", since_s=first)
        for t, n in zip(times.tolist(), totals.tolist(), strict=True)
        if t > first
    ]
    took = summary.extra.get("time_to_capacity_s")
    if took is not None:
        moments.append(
            Moment(first + took, f"{wanted} ready in {duration(took)}", Tone.GOOD, final=True)
        )
    return moments


def _update(timeline: Timeline, wt: WorldTimeline, summary: WorldSummary) -> list[Moment]:
    rows = wt.rows(EventType.UPDATE_STARTED)
    if not len(rows):
        return [Moment(0.0, "no update")]
    start = float(wt.run.log.time[int(rows[0])])
    vm = wt.world.platform is Platform.VM
    doing = "patching in place" if vm else "rebuilding and rolling out"
    moments = [
        Moment(0.0, "running the old version"),
        Moment(start, f"{doing} · {{elapsed}}", since_s=start),
    ]
    took = summary.extra.get("update_duration_s")
    if took is not None:
        done = "patched" if vm else "rolled out"
        moments.append(Moment(start + took, f"{done} in {duration(took)}", Tone.GOOD, final=True))
    return moments


def _moves(timeline: Timeline, wt: WorldTimeline, summary: WorldSummary) -> list[Moment]:
    """A VM moves live (its memory copied across); a pod is stopped and started anew."""
    moments = [Moment(0.0, "nothing has moved")]
    if wt.world.platform is Platform.VM:
        moved = wt.moved_live()
        worst = 0.0
        for k, m in enumerate(moved, start=1):
            worst = max(worst, m.blackout_ms or 0.0)
            moments.append(Moment(m.end_s, f"{k} moved live, {worst:.0f} ms blackout", Tone.GOOD))
    else:
        rows = wt.rows(EventType.POD_EVICTED)
        times = [float(wt.run.log.time[int(i)]) for i in rows.tolist()]
        for k, t in enumerate(times, start=1):
            pods = f"{k} pod{'s' * (k > 1)}"
            moments.append(Moment(t, f"{pods} replaced: state lost", Tone.ALARM))
    if len(moments) > 1:
        last = moments[-1]
        moments[-1] = Moment(last.start_s, last.text, last.tone, final=True)
    return moments


def _reach(timeline: Timeline, wt: WorldTimeline, summary: WorldSummary) -> list[Moment]:
    """How many tenants a kernel exploit in one tenant's app reaches."""
    tenants = len(timeline.scenario.services)
    exploits = [e.at_s for e in timeline.scenario.events if e.kind is EventKind.EXPLOIT]
    if not exploits:
        return [Moment(0.0, "no exploit")]
    rows = wt.rows(EventType.WORKLOAD_EXPOSED)
    reached = {wt.run.log.detail[int(i)] for i in rows.tolist()}
    n = len(reached)
    tone = Tone.GOOD if n <= 1 else Tone.ALARM
    return [
        Moment(0.0, f"exploit at {duration(exploits[0])}"),
        Moment(exploits[0], f"reached {n} of {tenants} tenants", tone, final=True),
    ]


def _partition(timeline: Timeline, wt: WorldTimeline, summary: WorldSummary) -> list[Moment]:
    """While the network is cut: how long the clients have been short of a replica, and how
    many workloads run twice.  The result, once every replica is reached again and runs
    once: the time cut off in all, and the most that ran twice at once."""
    log = wt.run.log
    moments = [Moment(0.0, "serving")]
    short: set[int] = set()
    twice = 0
    since = 0.0
    settled_at: float | None = None
    rows = wt.rows(EventType.SERVICE_UNREACHABLE, EventType.SERVICE_REACHABLE, EventType.DUPLICATES)
    for i in rows.tolist():
        t, kind = float(log.time[i]), log.kind[i]
        if kind == EventType.DUPLICATES:
            twice = log.value[i]
        elif kind == EventType.SERVICE_UNREACHABLE:
            if not short:
                since = t
            short.add(log.value[i])
        else:
            short.discard(log.value[i])
        words = []
        if short:
            words.append("clients cut off {elapsed}")
        if twice:
            words.append(f"{twice} running twice")
        settled_at = None if words else t
        text = " · ".join(words) if words else "reached again"
        tone = Tone.ALARM if words else Tone.GOOD
        moments.append(Moment(t, text, tone, since_s=since))
    if settled_at is not None or (not short and not twice):
        cut = duration(summary.unreachable_s)
        ran = summary.max_duplicates
        doubled = f"{ran} ran twice" if ran else "nothing ran twice"
        at = settled_at if settled_at is not None else 0.0
        tone = Tone.GOOD if not ran else Tone.ALARM
        moments.append(Moment(at, f"cut off {cut} · {doubled}", tone, final=True))
    return moments
