"""The playback clock: simulated time, play and pause, speed, stepping between events.

One QTimer drives it while playing; each tick advances simulated time by the wall time since
the last tick times the speed.  Tests never run the timer: they call :meth:`seek`,
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
    from vmc_gui.sim.timeline import Timeline

#: Events that only count down to something (a missed heartbeat, a missed status post):
#: stepping skips them, to the moments something changes.
_ROUTINE = frozenset({EventType.HEARTBEAT_MISSED, EventType.LEASE_NOT_RENEWED})

#: The speeds the UI offers (simulated seconds per wall second).
SPEEDS = (1.0, 2.0, 5.0, 10.0, 30.0, 100.0, 300.0, 1000.0)
FRAME_MS = 16


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
        self._speed = 10.0
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._on_timer)
        self._last_wall: float | None = None

    # --- the timeline ------------------------------------------------------------------

    def set_timeline(self, timeline: Timeline, *, keep_time: bool = False) -> None:
        self._timeline = timeline
        self._event_times = sorted({e.time_s for e in timeline.events if e.type not in _ROUTINE})
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

    def tick(self, wall_seconds: float) -> None:
        """Advance as ``wall_seconds`` of playing would (the timer calls this)."""
        self.seek(self._t + wall_seconds * self._speed)

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
