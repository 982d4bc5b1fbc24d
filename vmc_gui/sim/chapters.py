"""A lesson's run cut into chapters at the moments that matter, from its Timeline.

A chapter starts at the run's beginning, at each event of the scenario (a host fails, the
update is released), the first time each world enters a kind of phase (detection, the wait,
the boot: a batch's second boot is the same chapter as its first), and when each world
reaches its result (the headline's final moment).  Moments closer than ``MERGE_S`` share a
chapter.  Nothing is hand-timed, so a changed setting moves the chapters with the run.  The
captions are the lesson model's (``model.captions``).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from vmc_gui.model.captions import EVENTS, OPENING, PHASES, RESULT, phase_kind
from vmc_gui.sim.headline import headlines
from vmc_gui.sim.timeline import Timeline

#: Moments this close (simulated seconds) are one chapter: a phase that starts as another
#: ends, two worlds reacting to the same event.
MERGE_S = 0.5
#: Where a caption's sentences part: after a full stop and a space.
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True, slots=True)
class Chapter:
    """From ``start_s`` on, the lesson is at ``title``; ``caption`` says it for a student."""

    start_s: float
    title: str
    caption: str

    def to_json(self) -> dict[str, object]:
        return {"start_s": round(self.start_s, 3), "title": self.title, "caption": self.caption}


def _world_name(display_name: str) -> str:
    """A world's short name: "VM world" of "VM world: Hyper-V failover cluster"."""
    return display_name.split(":")[0]


def _moments(timeline: Timeline) -> list[tuple[float, int, str, str]]:
    """Every moment a chapter may start: (time, order, title, caption)."""
    moments: list[tuple[float, int, str, str]] = [(0.0, 0, "the start", OPENING)]
    for event in timeline.scenario.events:
        if event.kind not in EVENTS or event.at_s <= 0.0:
            continue
        title, caption = EVENTS[event.kind]
        # Each title names its event's own fields ("{host} fails", "{switch} fails").
        fields = {f.name: getattr(event, f.name) for f in dataclasses.fields(event)}
        moments.append((event.at_s, 1, title.format_map(fields), caption))
    for order, world in enumerate(timeline.worlds, start=2):
        name = _world_name(world.display_name)
        seen: set[str] = set()
        for span in timeline.summary[world.value].phases:
            kind = phase_kind(span.name)
            if kind in seen or kind not in PHASES:
                continue
            seen.add(kind)
            moments.append((span.start_s, order, f"{name}: {kind}", PHASES[kind]))
    lines = headlines(timeline)
    for order, world in enumerate(timeline.worlds, start=2):
        final = lines[world.value].final() if world.value in lines else None
        if final is None:
            continue
        name = _world_name(world.display_name)
        caption = RESULT.format(world=name, result=final[1])
        moments.append((final[0], order, f"{name}: {final[1]}", caption))
    return sorted(moments, key=lambda m: (m[0], m[1]))


def chapters(timeline: Timeline) -> list[Chapter]:
    """The run's chapters in time order, the first at 0 s (none for a run that does not run)."""
    if not timeline.scenario.runs:
        return []
    out: list[Chapter] = []
    for at, _, title, caption in _moments(timeline):
        at = min(at, timeline.duration_s)
        if out and at - out[-1].start_s < MERGE_S:
            last = out[-1]
            if title in last.title:
                continue
            out[-1] = Chapter(
                last.start_s, f"{last.title} · {title}", _joined(last.caption, caption)
            )
            continue
        out.append(Chapter(at, title, caption))
    return out


def _joined(caption: str, more: str) -> str:
    """``caption`` and the sentences of ``more`` it does not say already (two worlds in the
    same kind of phase at once share its sentence; two results, the one on comparing)."""
    new = [s for s in _SENTENCE.split(more) if s and s not in caption]
    return " ".join([caption, *new])


def chapter_at(found: list[Chapter], t: float) -> int:
    """The index of the chapter under way at ``t`` (0 before the first's start)."""
    index = 0
    for i, chapter in enumerate(found):
        if chapter.start_s <= t + 1e-9:
            index = i
    return index
