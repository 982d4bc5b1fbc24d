"""The base of the scene-wide overlays (progress rings, flights): drawn over the cards, in
the scene's theme, and never in the way of the pointer."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QGraphicsItem

from vmc_gui.ui.theme import LIGHT, Theme


class OverlayItem(QGraphicsItem):
    """An item over the cards at height ``z``; clicks, hovers and the host menu go to the
    cards beneath.  ``self._bounds`` is its rectangle in the scene."""

    def __init__(self, z: float) -> None:
        super().__init__()
        self._bounds = QRectF()
        self._theme: Theme = LIGHT
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return QPainterPath()
