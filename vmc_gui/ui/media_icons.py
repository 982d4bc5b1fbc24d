"""Playback icons drawn in the palette's text colour, so that they read in both themes.

The style's standard media icons are mid-grey glyphs that all but vanish on a dark window;
these are plain shapes (a triangle, two bars, a bar and a triangle) painted at the device's
pixel ratio, in whatever colour the palette gives text.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPixmap, QPolygonF

#: The icon sizes drawn (logical pixels), each also at twice the pixels for high DPI.
_SIZES = (16, 20, 24, 32)
KINDS = ("play", "pause", "previous", "next", "story")


def media_icon(kind: str, colour: QColor) -> QIcon:
    """The playback icon ``kind`` (one of :data:`KINDS`) in ``colour``."""
    icon = QIcon()
    for size in _SIZES:
        for ratio in (1.0, 2.0):
            pixmap = QPixmap(int(size * ratio), int(size * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawPath(_shape(kind, float(size)))
            painter.end()
            icon.addPixmap(pixmap)
    return icon


def _shape(kind: str, s: float) -> QPainterPath:
    path = QPainterPath()
    m = s * 0.18  # the margin round the glyph
    top, bottom, mid = m, s - m, s / 2
    if kind == "play":
        path.addPolygon(
            QPolygonF([QPointF(m * 1.3, top), QPointF(s - m, mid), QPointF(m * 1.3, bottom)])
        )
    elif kind == "pause":
        bar = (s - 2 * m) * 0.34
        path.addRect(QRectF(m, top, bar, bottom - top))
        path.addRect(QRectF(s - m - bar, top, bar, bottom - top))
    elif kind in ("previous", "next"):
        bar = s * 0.12
        if kind == "previous":
            path.addRect(QRectF(m, top, bar, bottom - top))
            tip, back = m + bar, s - m
        else:
            path.addRect(QRectF(s - m - bar, top, bar, bottom - top))
            tip, back = s - m - bar, m
        path.addPolygon(QPolygonF([QPointF(back, top), QPointF(tip, mid), QPointF(back, bottom)]))
    elif kind == "story":
        # A slow-and-fast mark: a short and a long arrow head, the tempo changing.
        path.addPolygon(QPolygonF([QPointF(m, top), QPointF(mid, mid), QPointF(m, bottom)]))
        path.addPolygon(QPolygonF([QPointF(mid, top), QPointF(s - m, mid), QPointF(mid, bottom)]))
    else:
        raise ValueError(f"no playback icon {kind!r}; there are: {', '.join(KINDS)}")
    path.closeSubpath()
    return path
