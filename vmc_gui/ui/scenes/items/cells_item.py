"""Every host of one world as a cell, in one item: the far level of a cluster at scale.

A thousand hosts per world would be a thousand items, each built, indexed, asked for its
bounds and painted every frame; seen from afar each is a few pixels of colour.  This item
holds the hosts' rectangles and their colours as arrays and paints them in a few calls (one
per colour).  Close enough for a host to be a card (``card_level``), it paints nothing: the
scene has made the host cards of what is on screen by then, and they draw themselves.

Hovering a cell names its host and says what the scene says of it (``describe``); the item
never reaches the view or the model.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from vmc_gui.ui.scenes.items.host_cells import CellState, cell_colour
from vmc_gui.ui.scenes.scale_layout import FAR_PX
from vmc_gui.ui.theme import LIGHT, Theme

#: Shades of fill a cell may take (an up host's colour strength): enough to read full from
#: empty, few enough to paint in a handful of calls.
SHADES = 8
_STATES = list(CellState)


class CellsItem(QGraphicsItem):
    """The hosts of a world as cells, ``corners`` (n, 2) their top-left corners and ``size``
    (width, height) each, in scene units."""

    def __init__(
        self, corners: npt.NDArray[np.float64], size: tuple[float, float], theme: Theme = LIGHT
    ) -> None:
        super().__init__()
        self._corners = np.asarray(corners, dtype=np.float64).reshape(-1, 2)
        self._size = size
        n = len(self._corners)
        self._bounds = QRectF()
        if n:
            (left, top), (right, bottom) = self._corners.min(axis=0), self._corners.max(axis=0)
            self._bounds = QRectF(left, top, right - left + size[0], bottom - top + size[1])
        self._theme = theme
        #: Each host's colour, as (state index, shade) packed in one number.
        self._keys = np.zeros(n, dtype=np.int64)
        #: The cells to paint, per colour: made again only when a colour changes (a frame
        #: of playback changes none, or a few).
        self._batches: list[tuple[int, list[QRectF]]] | None = None
        #: Each host's cell, made once (the batches pick from them).
        self._rects: list[QRectF] | None = None
        #: What the tooltip says of host ``h`` (the scene's words, at its time).
        self.describe: Callable[[int], str] | None = None
        self.setAcceptHoverEvents(True)
        # Under the heads and flights, over the racks' panels.
        self.setZValue(0)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def set_cells(self, index: npt.NDArray[np.int64], fills: npt.NDArray[np.float64]) -> None:
        """Each host's state (its index in ``CellState``) and fill (0 to 1); a repaint only
        if a colour changed."""
        shade = np.clip(np.round(np.asarray(fills) * (SHADES - 1)), 0, SHADES - 1)
        keys = index * SHADES + shade.astype(np.int64)
        if not np.array_equal(keys, self._keys):
            self._keys = keys
            self._batches = None
            self.update()

    def colours(self) -> list[QColor]:
        """Each host's cell colour as drawn."""
        return [self._colour(int(k)) for k in self._keys]

    def _colour(self, key: int) -> QColor:
        state, shade = divmod(key, SHADES)
        return cell_colour(self._theme, _STATES[state], shade / (SHADES - 1))

    def host_at(self, point: QPointF) -> int:
        """The host whose cell is at ``point`` (scene units), or -1."""
        x, y = point.x(), point.y()
        width, height = self._size
        inside = (
            (self._corners[:, 0] <= x)
            & (x < self._corners[:, 0] + width)
            & (self._corners[:, 1] <= y)
            & (y < self._corners[:, 1] + height)
        )
        found = np.flatnonzero(inside)
        return int(found[0]) if len(found) else -1

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        h = self.host_at(event.pos())
        self.setToolTip(self.describe(h) if h >= 0 and self.describe is not None else "")
        super().hoverMoveEvent(event)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if lod * self._size[0] >= FAR_PX or not len(self._keys):
            return  # close up the host cards draw themselves
        if self._batches is None:
            self._batches = self._make_batches()
        painter.setPen(Qt.PenStyle.NoPen)
        for key, rects in self._batches:
            painter.setBrush(self._colour(key))
            painter.drawRects(rects)  # Qt clips what is off the exposed area

    def _make_batches(self) -> list[tuple[int, list[QRectF]]]:
        if self._rects is None:
            width, height = self._size
            # A hair of gap between neighbours whatever the zoom: cells read as cells.
            gap = min(2.0, 0.15 * min(width, height))
            self._rects = [
                QRectF(x + gap, y + gap, width - 2 * gap, height - 2 * gap)
                for x, y in self._corners.tolist()
            ]
        rects = self._rects
        batches = []
        # The distinct colours, by sorting (np.unique would load numpy.ma, a tenth of a
        # second of a command-line export, for nothing).
        ordered = np.sort(self._keys)
        distinct = ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]
        for key in distinct.tolist():
            batches.append((int(key), [rects[i] for i in np.flatnonzero(self._keys == key)]))
        return batches
