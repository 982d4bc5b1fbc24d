"""Workloads on the move: a restarted VM's glyph travelling from its dead host to its new one.

One item for the whole scene: it draws each travelling glyph where the clock puts it, so a
scrub backwards shows it in flight again.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from vmc_gui.ui.theme import LIGHT, Theme


class TravelItem(QGraphicsItem):
    """Glyphs in flight: (from, to, fraction of the way, colour, is a VM)."""

    def __init__(self) -> None:
        super().__init__()
        self._flights: list[tuple[QPointF, QPointF, float, QColor, bool]] = []
        self._bounds = QRectF()
        self._theme: Theme = LIGHT
        self.setZValue(10)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_flights(self, flights: list[tuple[QPointF, QPointF, float, QColor, bool]]) -> None:
        if not flights and not self._flights:
            return
        bounds = QRectF()
        for start, end, _, _, _ in flights:
            bounds = bounds.united(QRectF(start, end).normalized().adjusted(-12, -12, 12, 12))
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds
        self._flights = flights
        self.update()

    def flights(self) -> list[tuple[QPointF, QPointF, float, QColor, bool]]:
        return list(self._flights)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for start, end, fraction, colour, vm in self._flights:
            # A faint trail, then the glyph where it has got to (eased: it lands gently).
            eased = 1 - (1 - fraction) ** 3
            here = start + (end - start) * eased
            # A faint solid trail: dashes cost more than everything else here put together.
            painter.setPen(QPen(QColor(colour.red(), colour.green(), colour.blue(), 90), 1.2))
            painter.drawLine(start, here)
            glyph = QRectF(here.x() - 6, here.y() - 6, 12, 12)
            painter.setPen(QPen(self._theme.text, 1.0))
            painter.setBrush(colour)
            painter.drawRect(glyph)
            if vm:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour.darker(160))
                painter.drawRect(QRectF(glyph.left(), glyph.top() + 7.5, 12, 4.5))
