"""Workloads on the move: a restarted VM's glyph travelling from its dead host to its new one.

One item for the whole scene: it draws each travelling glyph where the clock puts it, with a
short motion trail, so a scrub backwards shows it in flight again.  When a rack fails,
hundreds of VMs are in flight at once: flights are held as arrays and drawn in one call per
colour and shape.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from vmc_gui.ui.scenes.items.overlay_item import OverlayItem
from vmc_gui.ui.theme import mixed

#: A travelling glyph's side, a pixel larger than on the cards: it is in front of them.
SIDE = 12.0
#: A few flights draw their whole way back to the host they left; more (a rack's VMs at
#: once) draw short motion trails: a tangle of long lines says no more, and costs the most.
FULL_TRAILS_UP_TO = 32
#: How far back a short motion trail reaches, in scene units.
TRAIL = 90.0


@dataclass(frozen=True)
class Flights:
    """Glyphs in flight, one row each: where from and to (scene points), how far along
    (0 to 1), the phase that colours it, and whether it is a VM (it carries a guest OS band)."""

    start: npt.NDArray[np.float64]  # (n, 2)
    end: npt.NDArray[np.float64]  # (n, 2)
    fraction: npt.NDArray[np.float64]
    phase: npt.NDArray[np.int32]
    vm: npt.NDArray[np.bool_]

    @staticmethod
    def none() -> Flights:
        return Flights(
            np.zeros((0, 2)),
            np.zeros((0, 2)),
            np.zeros(0),
            np.zeros(0, np.int32),
            np.zeros(0, bool),
        )

    @staticmethod
    def join(parts: list[Flights]) -> Flights:
        if not parts:
            return Flights.none()
        if len(parts) == 1:
            return parts[0]
        return Flights(
            *(np.concatenate([getattr(p, f) for p in parts]) for f in Flights.__annotations__)
        )

    def __len__(self) -> int:
        return len(self.fraction)

    def here(self) -> npt.NDArray[np.float64]:
        """Where each glyph has got to (eased: it lands gently)."""
        eased = 1 - (1 - self.fraction) ** 3
        return self.start + (self.end - self.start) * eased[:, None]


class TravelItem(OverlayItem):
    """Every glyph in flight, with a faint trail back to where it left from."""

    def __init__(self) -> None:
        super().__init__(z=10)  # over the rings
        self._flights = Flights.none()

    def set_flights(self, flights: Flights) -> None:
        if not len(flights) and not len(self._flights):
            return
        bounds = QRectF()
        if len(flights):
            points = np.concatenate([flights.start, flights.end])
            (left, top), (right, bottom) = points.min(axis=0), points.max(axis=0)
            bounds = QRectF(left, top, right - left, bottom - top).adjusted(-12, -12, 12, 12)
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds
        self._flights = flights
        self.update()

    def flights(self) -> list[tuple[QPointF, QPointF, float, QColor, bool]]:
        """Each flight as (from, to, fraction, colour, is a VM)."""
        f = self._flights
        return [
            (
                QPointF(*f.start[i]),
                QPointF(*f.end[i]),
                float(f.fraction[i]),
                self._theme.phase(int(f.phase[i])),
                bool(f.vm[i]),
            )
            for i in range(len(f))
        ]

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        f = self._flights
        if not len(f):
            return
        here = f.here()
        corner = here - SIDE / 2
        behind = f.start - here
        length = np.hypot(behind[:, 0], behind[:, 1])
        with np.errstate(invalid="ignore", divide="ignore"):
            short = len(f) > FULL_TRAILS_UP_TO
            scale = np.where(short & (length > TRAIL), TRAIL / length, 1.0)
        tails = here + behind * scale[:, None]
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for code in np.unique(f.phase).tolist():
            which = f.phase == code
            colour = self._theme.phase(code)
            # A trail behind each glyph, in a colour mixed with the background
            # rather than a translucent one: Qt blends a translucent diagonal line pixel by
            # pixel, and when a rack's VMs fly at once that costs tens of milliseconds.
            painter.setPen(QPen(mixed(colour, self._theme.background, 0.45), 1.5))
            ends = np.hstack([tails[which], here[which]]).tolist()
            painter.drawLines([QLineF(*line) for line in ends])
            painter.setPen(QPen(self._theme.text, 1.0))
            painter.setBrush(colour)
            tops = corner[which].tolist()
            painter.drawRects([QRectF(x, y, SIDE, SIDE) for x, y in tops])
            bands = corner[which & f.vm].tolist()
            if bands:  # the guest OS a VM carries, as on the cards
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour.darker(160))
                painter.drawRects([QRectF(x, y + 7.5, SIDE, 4.5) for x, y in bands])
