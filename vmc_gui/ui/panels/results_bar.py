"""Each world's result in projector type, above the lesson in presentation mode.

The cluster view writes each world's result in its header; zoomed for a lecture hall, the
header may be scrolled out of sight, so presentation mode keeps the results here, always on
screen, side by side: the comparison the lesson is about.  They are the headlines'
(``sim.headline``) at the clock's time, counting and then frozen, never ahead of the clock.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from vmc_gui.model.scenario import World
from vmc_gui.ui.fonts import ui_font
from vmc_gui.ui.session import LessonSession
from vmc_gui.ui.theme import Theme

if TYPE_CHECKING:
    from vmc_gui.sim.compare_runs import Comparison
    from vmc_gui.sim.headline import Headline
    from vmc_gui.ui.playback import PlaybackController

#: One line per world, name and result alike: the height goes to the view.
RESULT_PX = 40
SMALLER_PX = 30


class ResultsBar(QWidget):
    """Each world's name in its colour, then its result; two worlds a line."""

    def __init__(
        self, controller: PlaybackController, theme: Theme, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self._theme = theme
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(8, 4, 8, 4)
        self._layout.setHorizontalSpacing(40)
        self._layout.setVerticalSpacing(0)
        #: Per world (by value): its label, its headline, and what the label says now.
        self._worlds: dict[str, tuple[QLabel, Headline | None]] = {}
        self._said: dict[str, tuple[str, str]] = {}
        #: Each world's result before the last change and now, while the session shows
        #: the run before (its ghost): the bar quotes both, as the cluster's headers do.
        self._comparisons: dict[str, Comparison] = {}
        controller.timeline_changed.connect(self._on_timeline)
        controller.time_changed.connect(self._on_time)
        session = LessonSession.of(controller)
        if session is not None:
            session.ghost_changed.connect(self._on_ghost)
        if controller.timeline() is not None:
            self._on_timeline(controller.timeline())

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._said.clear()
        self._on_time(self.controller.time())

    def result(self, world: str) -> str:
        """What the world's result says now."""
        said = self._said.get(world)
        return said[0] if said is not None else ""

    def _on_timeline(self, timeline: object) -> None:
        from vmc_gui.sim.headline import headlines

        current = self.controller.timeline()
        for label, _ in self._worlds.values():
            label.deleteLater()
        self._worlds.clear()
        self._said.clear()
        if current is None:
            return
        lines = headlines(current)
        # Two worlds share a line at full size; three or four take two lines, smaller.
        size = RESULT_PX if len(current.worlds) <= 2 else SMALLER_PX
        for k, world in enumerate(current.worlds):
            label = QLabel()
            label.setFont(ui_font(size, bold=True))
            label.setTextFormat(Qt.TextFormat.RichText)
            # It wraps rather than widen the window (a long result, a narrow screen).
            label.setWordWrap(True)
            self._layout.addWidget(label, k // 2, k % 2)
            self._worlds[world.value] = (label, lines.get(world.value))
        self._compare()

    def _on_ghost(self, ghost: object) -> None:
        self._compare()

    def _compare(self) -> None:
        """The comparisons with the session's ghost (none without one)."""
        from vmc_gui.sim.compare_runs import compare

        session = LessonSession.of(self.controller)
        ghost = session.ghost if session is not None else None
        now = self.controller.timeline()
        self._comparisons = compare(ghost, now) if ghost is not None and now is not None else {}
        self._said.clear()
        self._on_time(self.controller.time())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._on_time(self.controller.time())  # it skipped the frames it was hidden for

    def _on_time(self, t: float) -> None:
        from vmc_gui.sim.headline import Tone

        timeline = self.controller.timeline()
        # Shown only in presentation mode: off it, the frames owe it nothing.
        if timeline is None or not self.isVisible():
            return
        for world, (label, line) in self._worlds.items():
            text, tone, final = line.at(t) if line is not None else ("", Tone.NEUTRAL, False)
            comparison = self._comparisons.get(world)
            if comparison is not None:
                text = comparison.text(text, final)
            if self._said.get(world) == (text, str(tone)):
                continue  # the clock moves every frame; the words less often
            self._said[world] = (text, str(tone))
            name = World(world).display_name.split(":")[0]
            label.setText(
                f'<span style="color:{self._theme.world(world).name()}">{escape(name)}</span>'
                f'&nbsp;&nbsp;<span style="color:{self._tone_colour(tone).name()}">'
                f"{escape(text or '…')}</span>"
            )

    def _tone_colour(self, tone: object) -> QColor:
        from vmc_gui.sim.headline import Tone
        from vmc_gui.sim.records import Phase

        if tone == Tone.ALARM:
            return self._theme.compromised
        if tone == Tone.GOOD:
            good = self._theme.phase(int(Phase.READY))
            # Green text on white needs to be darker than a green swatch.
            return good.darker(125) if self._theme.name == "light" else good
        return self._theme.text
