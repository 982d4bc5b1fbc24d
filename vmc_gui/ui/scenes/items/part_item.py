"""A part beside the stacks: a disk, a share, a registry, a source, a tool.

A card with its kind's glyph, its title and a line or two of detail.  The layout asks
:func:`part_height` how tall a part is at a width, and the item paints at exactly that size,
so that a long detail wraps instead of spilling out.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from vmc_gui.model.diagram_parts import Part, PartKind
from vmc_gui.sim.records import Phase
from vmc_gui.ui.fonts import ui_font
from vmc_gui.ui.scenes.items.geometry_object import GeometryObject
from vmc_gui.ui.theme import LIGHT, Theme

_RADIUS = 7.0
_PAD = 9.0
_GLYPH = 22.0
TITLE_PX = 13
DETAIL_PX = 12
_WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)


def _text_width(width: float) -> float:
    return width - 3 * _PAD - _GLYPH


def part_height(part: Part, width: float) -> float:
    """How tall ``part`` is at ``width``: its title and its wrapped detail, padded."""
    inner = QRectF(0, 0, _text_width(width), 1000)
    title = QFontMetricsF(ui_font(TITLE_PX, bold=True)).boundingRect(inner, _WRAP, part.title)
    height = title.height()
    if part.detail:
        detail = QFontMetricsF(ui_font(DETAIL_PX)).boundingRect(inner, _WRAP, part.detail)
        height += 2 + detail.height()
    return max(_GLYPH, height) + 2 * _PAD


def part_colour(theme: Theme, kind: PartKind) -> QColor:
    """A kind's accent, from the theme: storage brown, images teal, tools blue."""
    if kind in (PartKind.DISK, PartKind.SHARE):
        return theme.phase(Phase.ATTACHING)
    if kind in (PartKind.REGISTRY, PartKind.SOURCE):
        return theme.phase(Phase.PULLING)
    return theme.phase(Phase.UPDATING)


class PartItem(GeometryObject):
    """A part's card; it explains itself on hover and takes no clicks."""

    def __init__(self, part: Part, theme: Theme = LIGHT) -> None:
        super().__init__()
        self.part = part
        self._theme = theme
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        what = f"<br>{part.what}" if part.what else ""
        self.setToolTip(f"<b>{part.title}</b><br>{part.detail}{what}")

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        theme = self._theme
        accent = part_colour(theme, self.part.kind)
        rect = self._rect.adjusted(0.75, 0.75, -0.75, -0.75)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(accent, 1.5))
        painter.setBrush(theme.card)
        painter.drawRoundedRect(rect, _RADIUS, _RADIUS)
        glyph = QRectF(rect.left() + _PAD, rect.top() + _PAD, _GLYPH, _GLYPH)
        _draw_glyph(painter, self.part.kind, glyph, accent)

        inner = QRectF(
            glyph.right() + _PAD,
            rect.top() + _PAD,
            _text_width(self._rect.width()),
            rect.height() - 2 * _PAD,
        )
        title_font = ui_font(TITLE_PX, bold=True)
        painter.setFont(title_font)
        painter.setPen(theme.text)
        used = painter.boundingRect(inner, _WRAP, self.part.title)
        painter.drawText(inner, _WRAP, self.part.title)
        if self.part.detail:
            painter.setFont(ui_font(DETAIL_PX))
            painter.setPen(theme.muted)
            below = QRectF(inner.left(), used.bottom() + 2, inner.width(), inner.height())
            painter.drawText(below, _WRAP, self.part.detail)


def _draw_glyph(painter: QPainter, kind: PartKind, box: QRectF, colour: QColor) -> None:
    """A small drawing of the kind, in its accent: a disk, a folder, a stack of boxes, a
    page, a console."""
    pen = QPen(colour, 1.8)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    x, y, w, h = box.x(), box.y(), box.width(), box.height()
    if kind is PartKind.DISK:  # a cylinder
        cap = h * 0.28
        body = QPainterPath()
        body.moveTo(x + 1, y + cap / 2)
        body.lineTo(x + 1, y + h - cap / 2)
        body.arcTo(QRectF(x + 1, y + h - cap, w - 2, cap), 180, 180)
        body.lineTo(x + w - 1, y + cap / 2)
        painter.drawPath(body)
        painter.drawEllipse(QRectF(x + 1, y, w - 2, cap))
    elif kind is PartKind.SHARE:  # a folder on a line to the network
        folder = QPainterPath()
        folder.moveTo(x + 1, y + 3)
        folder.lineTo(x + w * 0.4, y + 3)
        folder.lineTo(x + w * 0.5, y + 6)
        folder.lineTo(x + w - 1, y + 6)
        folder.lineTo(x + w - 1, y + h * 0.7)
        folder.lineTo(x + 1, y + h * 0.7)
        folder.closeSubpath()
        painter.drawPath(folder)
        painter.drawLine(QPointF(x + w / 2, y + h * 0.7), QPointF(x + w / 2, y + h - 1))
        painter.drawLine(QPointF(x + 2, y + h - 1), QPointF(x + w - 2, y + h - 1))
    elif kind is PartKind.REGISTRY:  # boxes stacked: images kept
        side = w * 0.42
        for dx, dy in ((0.05, 0.5), (0.53, 0.5), (0.29, 0.05)):
            painter.drawRect(QRectF(x + w * dx, y + h * dy, side, side))
    elif kind is PartKind.SOURCE:  # a page with a folded corner
        fold = w * 0.3
        page = QPainterPath()
        page.moveTo(x + 3, y + 1)
        page.lineTo(x + w - 3 - fold, y + 1)
        page.lineTo(x + w - 3, y + 1 + fold)
        page.lineTo(x + w - 3, y + h - 1)
        page.lineTo(x + 3, y + h - 1)
        page.closeSubpath()
        painter.drawPath(page)
        for row in (0.5, 0.68, 0.86):
            painter.drawLine(QPointF(x + 7, y + h * row), QPointF(x + w - 7, y + h * row))
    else:  # a console: what an admin or an orchestrator drives it with
        painter.drawRoundedRect(QRectF(x + 1, y + 2, w - 2, h - 4), 3, 3)
        painter.drawPolyline(
            [QPointF(x + 5, y + 8), QPointF(x + 9, y + 11), QPointF(x + 5, y + 14)]
        )
        painter.drawLine(QPointF(x + 11, y + 15), QPointF(x + 16, y + 15))
