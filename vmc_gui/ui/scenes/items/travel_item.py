"""Workloads on the move: a restarted VM's glyph travelling from its dead host to its new one.

One item for the whole scene: it draws each travelling glyph where the clock puts it, with a
short motion trail, so a scrub backwards shows it in flight again.  When a rack fails,
hundreds of VMs are in flight at once: flights are held as arrays and drawn in one call per
colour and shape.

Seen from afar (a host a cell a few pixels wide, issue 20), a glyph in flight is a speck and
a thousand of them a smear: the flights are drawn instead as one arrow per pair of racks
(``Flights.route``), from the middle of where they leave to the middle of where they land,
with their count at screen size ("x64" with a multiplication sign).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen, QTransform
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from vmc_gui.sim.records import Phase
from vmc_gui.ui.fonts import ui_font
from vmc_gui.ui.scenes.items.overlay_item import OverlayItem
from vmc_gui.ui.scenes.scale_layout import FAR_PX
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
    #: Which pair of racks (and world) each flight goes between: one arrow each from afar.
    route: npt.NDArray[np.int64]

    @staticmethod
    def none() -> Flights:
        return Flights(
            np.zeros((0, 2)),
            np.zeros((0, 2)),
            np.zeros(0),
            np.zeros(0, np.int32),
            np.zeros(0, bool),
            np.zeros(0, np.int64),
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

    def __init__(self, card_width: float = 160.0) -> None:
        super().__init__(z=10)  # over the rings
        self._flights = Flights.none()
        #: A host card's width: from afar (a card under ``FAR_PX`` on screen) the flights
        #: are drawn per pair of racks.
        self.card_width = card_width

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
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if lod * self.card_width < FAR_PX:
            self._paint_routes(painter)
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

    def routes(self) -> list[tuple[QPointF, QPointF, int]]:
        """The flights per pair of racks: (from, to, how many), as drawn from afar."""
        f = self._flights
        out = []
        for route in np.unique(f.route).tolist():
            which = f.route == route
            start = f.start[which].mean(axis=0)
            end = f.end[which].mean(axis=0)
            out.append((QPointF(*start), QPointF(*end), int(np.count_nonzero(which))))
        return out

    def _paint_routes(self, painter: QPainter) -> None:
        """From afar: one arrow per pair of racks with the count of VMs on it, the arrow's
        head where they land, the count set at screen size beside its middle."""
        transform = painter.worldTransform()
        painter.save()
        painter.setWorldTransform(QTransform())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = self._theme.phase(int(Phase.BOOTING))
        pen = QPen(mixed(colour, self._theme.background, 0.8), 2.0)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        font = ui_font(12, bold=True)
        metrics = QFontMetricsF(font)
        for start, end, count in self.routes():
            a, b = transform.map(start), transform.map(end)
            line = QLineF(a, b)
            if line.length() < 4:
                continue
            painter.setPen(pen)
            painter.drawLine(line)
            # The head: two short strokes back from the end.
            unit = line.unitVector()
            dx, dy = unit.dx(), unit.dy()
            for sign in (1, -1):
                tip = QPointF(b.x() - 10 * dx + sign * 6 * dy, b.y() - 10 * dy - sign * 6 * dx)
                painter.drawLine(QLineF(b, tip))
            words = f"\N{MULTIPLICATION SIGN}{count}"
            # Beside the head, over where they land: racks side by side keep their counts
            # apart, where the arrows' middles all crowd near the rack they leave.
            box = metrics.boundingRect(words).adjusted(-4, -1, 4, 1)
            box.moveCenter(b + QPointF(0, -box.height() * 0.9))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self._theme.background)
            painter.drawRoundedRect(box, 4, 4)
            painter.setFont(font)
            painter.setPen(colour.darker(130) if self._theme.name == "light" else colour)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), words)
        painter.restore()
