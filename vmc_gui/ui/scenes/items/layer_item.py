"""One layer of a stack: a rounded block with its title and cost."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from vmc_gui.model.stacks import Layer
from vmc_gui.ui.fonts import ui_font
from vmc_gui.ui.scenes.items.geometry_object import GeometryObject
from vmc_gui.ui.theme import LIGHT, Theme

_RADIUS = 7.0
_PAD = 8.0


class Mark(IntEnum):
    """How a layer is emphasised, besides hover."""

    NONE = 0
    #: Shares, or is shared with, the selected layer.
    SHARED = 1
    #: The selected layer itself.
    SELECTED = 2
    #: Reached by the exploit the user planted.
    COMPROMISED = 3


class LayerItem(GeometryObject):
    """A layer block.  Its geometry (position and size) animates as one property."""

    #: The layer's key, when the user clicks the block.
    clicked = Signal(str)

    def __init__(self, layer: Layer, theme: Theme = LIGHT) -> None:
        super().__init__()
        self.layer = layer
        self._theme = theme
        self._hovered = False
        self._mark = Mark.NONE
        self._dimmed = False
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
        self.setToolTip(self.tooltip_html())

    def tooltip_html(self) -> str:
        layer = self.layer
        cost = layer.cost_text()
        owner = f"<br><i>{layer.instance}</i>" if layer.instance else "<br><i>shared</i>"
        cost_html = f"<br><b>Costs:</b> {cost}" if cost else ""
        return f"<b>{layer.title}</b>{owner}<br>{layer.what}{cost_html}"

    # --- state the scene sets ----------------------------------------------------------

    def set_layer(self, layer: Layer) -> None:
        """The same layer with new facts (its costs after a change of parameters)."""
        if layer != self.layer:
            self.layer = layer
            self.setToolTip(self.tooltip_html())
            self.update()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def set_mark(self, mark: Mark) -> None:
        if mark != self._mark:
            self._mark = mark
            self.update()

    def mark(self) -> Mark:
        return self._mark

    def set_dimmed(self, dimmed: bool) -> None:
        if dimmed != self._dimmed:
            self._dimmed = dimmed
            self.update()

    # --- Qt ------------------------------------------------------------------------------

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self._rect, _RADIUS, _RADIUS)
        return path

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        theme = self._theme
        fill = QColor(theme.fill(self.layer.kind))
        if self._mark is Mark.COMPROMISED:
            fill = _blend(fill, theme.compromised, 0.55)
        if self._dimmed:
            fill = _blend(fill, theme.background, 0.6)
        rect = self._rect.adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(theme.outline, 1.0))
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, _RADIUS, _RADIUS)

        outline = {
            Mark.SELECTED: (theme.selected, 3.0, Qt.PenStyle.SolidLine),
            Mark.SHARED: (theme.shared, 2.0, Qt.PenStyle.DashLine),
            Mark.COMPROMISED: (theme.compromised, 2.5, Qt.PenStyle.SolidLine),
        }.get(self._mark)
        if outline is None and self._hovered:
            outline = (theme.hover, 1.5, Qt.PenStyle.SolidLine)
        if outline is not None:
            colour, width, style = outline
            pen = QPen(colour, width, style)
            pen.setCosmetic(False)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), _RADIUS - 1, _RADIUS - 1)

        text = theme.text_on(fill)
        if self._dimmed:
            text.setAlphaF(0.7)
        self._draw_text(painter, rect, text)

    def _draw_text(self, painter: QPainter, rect: QRectF, colour: QColor) -> None:
        inner = rect.adjusted(_PAD, 4, -_PAD, -4)
        cost = self.layer.short_cost()
        title_font = ui_font(13, bold=True)
        painter.setFont(title_font)
        painter.setPen(colour)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        if cost and inner.height() >= 34:
            title_rect = QRectF(inner.left(), inner.top(), inner.width(), inner.height() * 0.55)
            painter.drawText(
                title_rect, int(flags | Qt.AlignmentFlag.AlignBottom), self.layer.title
            )
            painter.setFont(ui_font(11))
            faded = QColor(colour)
            faded.setAlphaF(0.85)
            painter.setPen(faded)
            cost_rect = QRectF(
                inner.left(),
                title_rect.bottom(),
                inner.width(),
                inner.bottom() - title_rect.bottom(),
            )
            painter.drawText(cost_rect, int(flags | Qt.AlignmentFlag.AlignTop), cost)
        else:
            painter.drawText(inner, int(flags), self.layer.title)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hovered = True
        self.update()
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hovered = False
        self.update()
        super().hoverLeaveEvent(event)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            event.accept()
            self.clicked.emit(self.layer.key)
        else:
            super().mousePressEvent(event)


def _blend(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved a fraction ``t`` of the way to ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
        1.0,
    )
