"""The playback clock: simulated time, play and pause, speed, stepping between events.

One QTimer drives it while playing; each tick advances simulated time by the wall time since
the last tick times the speed.  With "follow the story" on (lessons open with it), the speed
follows what happens: short events the timeline names (a live migration, its blackout) play
in slow motion, long enough to be seen, and quiet stretches with nothing to see pass fast.
Tests never run the timer: they call :meth:`seek`,
:meth:`step_next`, :meth:`step_previous` and :meth:`tick` with a wall-clock interval of their
choosing, so no test waits on the clock.
"""

from __future__ import annotations

import bisect
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from vmc_gui.sim.records import EventType

if TYPE_CHECKING:  # the app's first screen imports this module, and needs no numpy yet
    from vmc_gui.sim.chapters import Chapter
    from vmc_gui.sim.timeline import Timeline

#: Events that only count down to something (a missed heartbeat, a missed status post):
#: stepping skips them, to the moments something changes.
_ROUTINE = frozenset({EventType.HEARTBEAT_MISSED, EventType.LEASE_NOT_RENEWED})

#: The speeds the UI offers (simulated seconds per wall second).
SPEEDS = (1.0, 2.0, 5.0, 10.0, 30.0, 100.0, 300.0, 1000.0)
DEFAULT_SPEED = 10.0
FRAME_MS = 16
#: Follow the story: the wall seconds a live migration lasts at least, and its blackout.
STORY_MIGRATION_S = 3.0
STORY_BLACKOUT_S = 1.0
#: ...how much faster than the chosen speed a quiet stretch passes, and how many wall
#: seconds before the next event the clock is back at the chosen speed.
STORY_QUIET_FACTOR = 6.0
STORY_LEAD_S = 1.0


class PlaybackController(QObject):
    """Owns the current simulated time of a timeline."""

    #: The simulated time, whenever it changes (playing, seeking or stepping).
    time_changed = Signal(float)
    #: Whether the clock runs.
    playing_changed = Signal(bool)
    #: A new timeline (after the user injected something); the time is kept.
    timeline_changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timeline: Timeline | None = None
        self._event_times: list[float] = []
        self._t = 0.0
        self._speed = DEFAULT_SPEED
        self._follow = False
        #: Spans to play slowly: (start, end, the fastest speed there), in start order.
        self._slow: list[tuple[float, float, float]] = []
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._on_timer)
        self._last_wall: float | None = None
        #: The lesson's chapters (``sim.chapters``), worked out when first asked for.
        self._chapters: list[Chapter] | None = None
        #: Whether playing pauses at each chapter's start (a lecturer's pace).
        self._stop_at_chapters = False

    # --- the timeline ------------------------------------------------------------------

    def set_timeline(self, timeline: Timeline, *, keep_time: bool = False) -> None:
        self._timeline = timeline
        self._event_times = _event_times(timeline)
        self._slow = _slow_spans(timeline)
        self._chapters = None  # a changed setting moves them
        self.timeline_changed.emit(timeline)
        self.seek(self._t if keep_time else 0.0, force=True)

    def timeline(self) -> Timeline | None:
        return self._timeline

    def duration(self) -> float:
        return self._timeline.duration_s if self._timeline else 0.0

    def event_times(self) -> list[float]:
        """The distinct times at which something happens: the slider's markers."""
        return list(self._event_times)

    # --- time ----------------------------------------------------------------------------

    def time(self) -> float:
        return self._t

    def seek(self, t: float, *, force: bool = False) -> None:
        t = min(max(0.0, t), self.duration())
        if t != self._t or force:
            self._t = t
            self.time_changed.emit(t)
        if self._t >= self.duration() and self.is_playing():
            self.pause()

    def step_next(self) -> None:
        """Jump to the next moment something happens."""
        i = bisect.bisect_right(self._event_times, self._t + 1e-9)
        self.seek(self._event_times[i] if i < len(self._event_times) else self.duration())

    def step_previous(self) -> None:
        i = bisect.bisect_left(self._event_times, self._t - 1e-9) - 1
        self.seek(self._event_times[i] if i >= 0 else 0.0)

    # --- chapters -------------------------------------------------------------------------

    def chapters(self) -> list[Chapter]:
        """The run's chapters, where its story turns (none before a timeline)."""
        if self._chapters is None:
            from vmc_gui.sim.chapters import chapters

            self._chapters = chapters(self._timeline) if self._timeline is not None else []
        return self._chapters

    def chapter(self) -> Chapter | None:
        """The chapter under way at the clock's time."""
        from vmc_gui.sim.chapters import chapter_at

        found = self.chapters()
        return found[chapter_at(found, self._t)] if found else None

    def next_chapter(self) -> None:
        """Jump to the start of the next chapter (Page Down)."""
        later = [c.start_s for c in self.chapters() if c.start_s > self._t + 1e-9]
        self.seek(later[0] if later else self.duration())

    def previous_chapter(self) -> None:
        """Jump to the start of the chapter under way, or of the one before if the clock is
        at a chapter's start already (Page Up)."""
        earlier = [c.start_s for c in self.chapters() if c.start_s < self._t - 1e-9]
        self.seek(earlier[-1] if earlier else 0.0)

    def set_stop_at_chapters(self, on: bool) -> None:
        """Playing pauses at the start of each chapter it reaches (Play goes on)."""
        self._stop_at_chapters = on

    def stops_at_chapters(self) -> bool:
        return self._stop_at_chapters

    def tick(self, wall_seconds: float) -> None:
        """Advance as ``wall_seconds`` of playing would (the timer calls this)."""
        start = self._t
        target = min(self._advanced(wall_seconds), self.duration())
        if self._stop_at_chapters and target > start:
            # A chapter that starts within this tick: the clock stops on it, never past it
            # (not even for a moment: every view follows the clock).
            reached = [c.start_s for c in self.chapters() if start + 1e-9 < c.start_s <= target]
            if reached:
                self.seek(reached[0])
                self.pause()
                return
        self.seek(target)

    def _advanced(self, wall_seconds: float) -> float:
        """The time ``wall_seconds`` of playing from now reach, at the speed or the story's."""
        if not self._follow:
            return self._t + wall_seconds * self._speed
        t, left, end = self._t, wall_seconds, self.duration()
        # Piece by piece: a tick may cross from a quiet stretch into a slow one.
        for _ in range(8):
            if left <= 1e-12 or t >= end:
                break
            speed, until = self.story_speed(t)
            step = left * speed
            if t + step < until:
                t += step
                break
            left -= (until - t) / speed
            t = until
        return t

    def story_speed(self, t: float) -> tuple[float, float]:
        """Following the story, the speed at ``t`` and the time until which it holds."""
        base = self._speed
        end = self.duration()
        later = [a for a, _, _ in self._slow if a > t]
        until = min([end, *later[:1]])
        inside = [(b, fastest) for a, b, fastest in self._slow if a <= t < b]
        if inside:
            return min(base, *(f for _, f in inside)), min(until, *(b for b, _ in inside))
        i = bisect.bisect_right(self._event_times, t + 1e-9)
        upcoming = self._event_times[i] if i < len(self._event_times) else end
        lead = base * STORY_LEAD_S
        if upcoming - t > 2 * lead:  # quiet: nothing to see for a while
            fast = min(SPEEDS[-1], base * STORY_QUIET_FACTOR)
            return max(base, fast), min(until, upcoming - lead)
        return base, min(until, upcoming) if upcoming > t else until

    def set_follow_story(self, on: bool) -> None:
        self._follow = on

    def follows_story(self) -> bool:
        return self._follow

    # --- play and pause ------------------------------------------------------------------

    def speed(self) -> float:
        return self._speed

    def set_speed(self, speed: float) -> None:
        self._speed = min(max(SPEEDS[0], speed), SPEEDS[-1])

    def is_playing(self) -> bool:
        return self._timer.isActive()

    def play(self) -> None:
        if self._timeline is None or self.is_playing():
            return
        if self._t >= self.duration():
            self.seek(0.0)
        self._last_wall = time.monotonic()
        self._timer.start()
        self.playing_changed.emit(True)

    def pause(self) -> None:
        if self.is_playing():
            self._timer.stop()
            self.playing_changed.emit(False)

    def toggle(self) -> None:
        self.pause() if self.is_playing() else self.play()

    def _on_timer(self) -> None:
        now = time.monotonic()
        last, self._last_wall = self._last_wall, now
        # A stalled frame (a slow re-simulation) must not jump the clock far ahead.
        self.tick(min(0.1, now - (last or now)))


def _event_times(timeline: Timeline) -> list[float]:
    """The distinct times of the events that are not routine, from the logs' columns: a
    thousand hosts' run has a hundred thousand events, too many to make objects of here."""
    import numpy as np  # with the first timeline, not with the first screen

    routine = np.asarray(sorted(_ROUTINE), dtype=np.int32)
    times = [
        wt.times[~np.isin(wt.kinds, routine)] for wt in timeline.worlds.values() if len(wt.times)
    ]
    return np.unique(np.concatenate(times)).tolist() if times else []


def _slow_spans(timeline: Timeline) -> list[tuple[float, float, float]]:
    """What follow-the-story plays slowly: each live migration, and its blackout slower
    still, at the speed that makes it last its wall seconds."""
    spans: list[tuple[float, float, float]] = []
    for wt in timeline.worlds.values():
        for m in wt.migrations:
            if m.end_s > m.start_s:
                spans.append((m.start_s, m.end_s, (m.end_s - m.start_s) / STORY_MIGRATION_S))
            if m.blackout is not None and m.blackout[1] > m.blackout[0]:
                a, b = m.blackout[0], m.blackout[1]
                spans.append((a, b, (b - a) / STORY_BLACKOUT_S))
    return sorted(spans)
