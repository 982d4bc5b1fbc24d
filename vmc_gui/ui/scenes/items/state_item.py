"""How a change leaves part of a stack: an outline around what is gone, new or failed.

The layers inside keep their own look (the scene dims what is gone or failed); the outline
says which: grey dashes for what left, the colour of a ready workload for what the change
brought, the colour of a failure, with a light wash, for a failed host.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from vmc_gui.model.diagram_parts import State
from vmc_gui.sim.records import Phase
from vmc_gui.ui.scenes.items.geometry_object import GeometryObject
from vmc_gui.ui.theme import LIGHT, Theme

_RADIUS = 9.0
#: How far the outline stands off what it surrounds (outside the isolation boundaries).
PAD = 6.0


def state_colour(theme: Theme, state: State) -> QColor:
    if state is State.NEW:
        return theme.phase(Phase.READY)
    if state is State.FAILED:
        return theme.phase(Phase.FAILED)
    return theme.muted


class StateItem(GeometryObject):
    """An outline; it takes no clicks, so the layers beneath stay live."""

    def __init__(self, state: State, theme: Theme = LIGHT) -> None:
        super().__init__()
        self.state = state
        self._theme = theme
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setToolTip(
            {State.GONE: "Gone from here", State.NEW: "New", State.FAILED: "Failed"}[state]
        )

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        colour = state_colour(self._theme, self.state)
        pen = QPen(colour, 2.5 if self.state is not State.GONE else 2.0)
        if self.state is State.GONE:
            pen.setDashPattern([4.0, 3.0])
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(pen)
        if self.state is State.FAILED:
            wash = QColor(colour)
            wash.setAlphaF(0.12)
            painter.setBrush(wash)
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(self._rect.adjusted(1.5, 1.5, -1.5, -1.5), _RADIUS, _RADIUS)
