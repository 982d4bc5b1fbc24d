"""The progress rings of a host card's workloads, drawn over the card.

Rings move every few frames while phases run; drawn on their own light item, they leave the
card's cached picture alone.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from vmc_gui.ui.theme import LIGHT, Theme


class RingsItem(QGraphicsItem):
    """Arcs around glyphs: each a rectangle and a fraction of a turn."""

    def __init__(self, parent: QGraphicsItem, detail_lod: float) -> None:
        super().__init__(parent)
        self._rings: list[tuple[QRectF, float]] = []
        self._arcs: list[tuple[QRectF, int, int]] = []
        self._bounds = QRectF()
        self._theme: Theme = LIGHT
        self._detail_lod = detail_lod
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setVisible(False)

    def set_rings(self, rings: list[tuple[QRectF, float]], bounds: QRectF) -> None:
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = QRectF(bounds)
        self._rings = rings
        # In QPainter's 1/16 degrees, from twelve o'clock, clockwise.
        self._arcs = [(rect, 90 * 16, -round(360 * 16 * turn)) for rect, turn in rings]
        # Most cards have no ring most of the time: a hidden item costs a frame nothing.
        self.setVisible(bool(rings))
        self.update()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def rings(self) -> list[tuple[QRectF, float]]:
        return list(self._rings)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        if not self._rings:
            return
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if lod < self._detail_lod:
            return  # the card shows counts at this zoom
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self._theme.text, 1.4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        # One call per arc: Qt strokes a path of several arcs over its whole bounding box.
        for rect, start, span in self._arcs:
            painter.drawArc(rect, start, span)
