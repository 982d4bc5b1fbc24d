"""Progress rings: an arc round each workload whose phase is under way, for the whole scene.

A ring moves every frame while its phase runs.  Drawn by the cards, each move re-rendered a
card's cached picture, and every frame of a failure handed dozens of cards their state
again; drawn here from arrays the scene works out for all workloads at once, the cards are
left alone until their hosts change.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from vmc_gui.ui.scenes.items.overlay_item import OverlayItem


class RingsItem(OverlayItem):
    """Arcs from twelve o'clock, clockwise, each a square (scene coordinates) and a fraction
    of a turn."""

    def __init__(self, side: float, detail_lod: float) -> None:
        super().__init__(z=5)  # over the cards, under flights
        self._side = side
        self._detail_lod = detail_lod
        self._corners: npt.NDArray[np.float64] = np.zeros((0, 2))
        self._turns: npt.NDArray[np.float64] = np.zeros(0)

    def set_area(self, bounds: QRectF) -> None:
        """Where rings can be: the cards' area."""
        self.prepareGeometryChange()
        self._bounds = QRectF(bounds)

    def set_rings(self, corners: npt.NDArray[np.float64], turns: npt.NDArray[np.float64]) -> None:
        """Each ring's top-left corner (one row a ring) and how far round it has got."""
        if np.array_equal(corners, self._corners) and np.array_equal(turns, self._turns):
            return  # paused, or nothing under way: nothing to repaint
        # Repaint only where rings were and are: a view then repaints that part alone.
        both = np.concatenate([self._corners, corners])
        self._corners, self._turns = corners, turns
        if len(both):
            (left, top), (right, bottom) = both.min(axis=0), both.max(axis=0) + self._side
            self.update(QRectF(left, top, right - left, bottom - top).adjusted(-2, -2, 2, 2))

    def rings(self) -> list[tuple[QRectF, float]]:
        return [
            (QRectF(x, y, self._side, self._side), turn)
            for (x, y), turn in zip(self._corners.tolist(), self._turns.tolist(), strict=True)
        ]

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        if not len(self._turns):
            return
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if lod < self._detail_lod:
            return  # the cards show counts at this zoom
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self._theme.text, 1.4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        side = self._side
        spans = (-5760 * np.clip(self._turns, 0.0, 1.0)).astype(int).tolist()
        # One call per arc: Qt strokes a path of several arcs over its whole bounding box.
        for (x, y), span in zip(self._corners.tolist(), spans, strict=True):
            painter.drawArc(QRectF(x, y, side, side), 1440, span)
