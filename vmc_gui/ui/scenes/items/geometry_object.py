"""The base of the animated items: a QGraphicsObject whose scene rectangle is one property."""

from __future__ import annotations

from PySide6.QtCore import Property, QRectF
from PySide6.QtWidgets import QGraphicsObject


class GeometryObject(QGraphicsObject):
    """An item placed by a scene rectangle, so that ``QPropertyAnimation(item, b"geometry")``
    moves and resizes it in one go.  ``self._rect`` is the local rectangle, at (0, 0)."""

    def __init__(self) -> None:
        super().__init__()
        self._rect = QRectF()
        self._bounds = QRectF()

    def _get_geometry(self) -> QRectF:
        return QRectF(self.pos(), self._rect.size())

    def _set_geometry(self, rect: QRectF) -> None:
        if rect.size() != self._rect.size():
            self.prepareGeometryChange()
            self._rect = QRectF(0, 0, rect.width(), rect.height())
            # A little margin for outlines drawn on the edge.  Kept, not worked out on each
            # call: Qt asks for it several times per item per frame.
            self._bounds = self._rect.adjusted(-3, -3, 3, 3)
        self.setPos(rect.topLeft())

    #: The item's rectangle in scene coordinates.
    geometry = Property(QRectF, _get_geometry, _set_geometry)

    def boundingRect(self) -> QRectF:
        return self._bounds
