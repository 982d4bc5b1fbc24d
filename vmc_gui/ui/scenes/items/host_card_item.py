"""A host of the cluster view: a card with its status, CPU and memory fill, and its workloads.

The workloads are painted by the card as small glyphs coloured by phase (a VM's glyph carries
a darker band: its guest OS); the scene's rings item draws a progress ring round each whose
phase is under way.  Zoomed out, or with more workloads than fit, the card shows counts per
phase instead: one item per host however many workloads there are.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPaintEngine, QPainter, QPen, QPixmap, QStaticText
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from vmc_gui.sim.records import CONSUMING, HostStatus, Phase
from vmc_gui.ui.fonts import ui_font
from vmc_gui.ui.scenes.items.geometry_object import GeometryObject
from vmc_gui.ui.theme import LIGHT, Theme

CARD_WIDTH = 160.0
HEADER = 22.0
#: The CPU and memory bars, side by side, each with its label (11 px: the legibility floor).
BARS = 16.0
GLYPH = 11.0
GLYPH_GAP = 3.0
#: Glyph rows a card has room for (the scene picks 1 to 4 from the scenario's size).
MAX_GLYPH_ROWS = 4
#: Below this zoom the card shows counts rather than glyphs.
DETAIL_LOD = 0.55
#: Phases under way towards serving: what holds a host, but is not yet (or no more) serving.
_IN_PROGRESS = CONSUMING - {Phase.READY, Phase.MIGRATING}
#: By phase code: does a ring show the phase's progress?
TIMED = np.zeros(max(Phase) + 1, dtype=bool)
TIMED[[int(p) for p in _IN_PROGRESS]] = True


def card_height(rows: int = MAX_GLYPH_ROWS) -> float:
    return HEADER + BARS + rows * (GLYPH + GLYPH_GAP) + 8


def glyphs_per_row() -> int:
    return int((CARD_WIDTH - 12 + GLYPH_GAP) // (GLYPH + GLYPH_GAP))


class HostCardItem(GeometryObject):
    """One host, drawn from the state the scene hands it."""

    def __init__(
        self,
        name: str,
        cores: float,
        memory_gb: float,
        vm: bool,
        theme: Theme = LIGHT,
        rows: int = MAX_GLYPH_ROWS,
    ) -> None:
        super().__init__()
        self.name, self.cores, self.memory_gb, self.vm = name, cores, memory_gb, vm
        self.rows = rows
        self._theme = theme
        self.status = int(HostStatus.UP)
        self.status_text = "up"
        self.cpu = 0.0
        self.memory = 0.0
        self.workloads: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._all_names: Sequence[str] = ()
        self.phases: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        #: Slots whose workload is still travelling here.
        self.arriving: frozenset[int] = frozenset()
        #: Slots whose workload is live-migrating away.
        self.migrating: frozenset[int] = frozenset()
        self.reserved = 0
        self.setAcceptHoverEvents(True)
        # A card changes only when its host does: between changes Qt paints a cached picture.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.set_geometry_size()

    def set_geometry_size(self) -> None:
        self.geometry = QRectF(self.pos(), QRectF(0, 0, CARD_WIDTH, card_height(self.rows)).size())

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def show_host(
        self,
        status: int,
        status_text: str,
        cpu: float,
        memory: float,
        workloads: npt.NDArray[np.int64],
        names: Sequence[str],
        phases: npt.NDArray[np.int32],
        arriving: frozenset[int] = frozenset(),
        migrating: frozenset[int] = frozenset(),
        reserved: int = 0,
    ) -> None:
        """The host as it stands: status, fill and its workloads' phases; the slots of
        workloads still on their way here (empty outlines); the workloads live-migrating
        away; and how many incoming migrations hold room here (outlines after the glyphs)."""
        same = (
            status == self.status
            and cpu == self.cpu
            and memory == self.memory
            and np.array_equal(phases, self.phases)
            and arriving == self.arriving
            and reserved == self.reserved
        )
        self.status, self.status_text = status, status_text
        self.cpu, self.memory = cpu, memory
        self.workloads, self._all_names = workloads, names
        self.arriving, self.migrating, self.reserved = arriving, migrating, reserved
        self.phases = phases
        if not same:  # unchanged cards keep their cached picture
            self.update()  # the tooltip is written when the pointer arrives, not every frame

    def counts(self) -> Counter[str]:
        return Counter(Phase(int(p)).label for p in self.phases)

    def details(self) -> str:
        counts = ", ".join(f"{n} {label}" for label, n in sorted(self.counts().items()))
        return (
            f"<b>{self.name}</b>: {self.status_text}<br>"
            f"CPU {self.cpu:g} of {self.cores:g} cores; memory {self.memory:,.1f} of "
            f"{self.memory_gb:,.0f} GB<br>{counts or 'no workloads'}"
        )

    # --- hit testing for the glyphs (hover) ------------------------------------------------

    def glyph_rect(self, i: int) -> QRectF:
        """Slot ``i``'s square, in card coordinates."""
        return QRectF(_SLOTS[i]) if i < len(_SLOTS) else _slot(i)

    def slot_centre(self, i: int) -> QPointF:
        """The middle of slot ``i``, in scene coordinates (a flight's end)."""
        return self.pos() + (_SLOTS[i] if i < len(_SLOTS) else _slot(i)).center()

    def capacity(self) -> int:
        return glyphs_per_row() * self.rows

    def glyph_at(self, point: QPointF) -> int:
        if len(self.phases) > self.capacity():
            return -1
        for i in range(len(self.phases)):
            if self.glyph_rect(i).adjusted(-1, -1, 1, 1).contains(point):
                return i
        return -1

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.setToolTip(self.details())
        super().hoverEnterEvent(event)

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        i = self.glyph_at(event.pos())
        if i >= 0:
            phase = Phase(int(self.phases[i])).label
            name = self._all_names[int(self.workloads[i])]
            self.setToolTip(f"<b>{name}</b> on {self.name}: {phase}")
        else:
            self.setToolTip(self.details())
        super().hoverMoveEvent(event)

    # --- painting --------------------------------------------------------------------------

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        theme = self._theme
        # Failed, or out of service in any of the platforms' ways (isolated, NotReady...).
        down = not HostStatus(self.status).serving
        draining = self.status == HostStatus.DRAINING
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        edge = theme.compromised if down else (theme.bar_overhead if draining else theme.outline)
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        # The rounded, antialiased card and its bars' tracks and labels are drawn once per
        # look and resolution, and blitted after.  A vector export (SVG) gets vectors.
        if painter.paintEngine().type() == QPaintEngine.Type.Raster:
            painter.drawPixmap(
                self._rect.topLeft(),
                _card_picture(theme, down, draining, self._rect.width(), self._rect.height(), lod),
            )
        else:
            _paint_background(
                painter, theme, down, draining, self._rect.width(), self._rect.height()
            )

        # Laid-out text is kept (QStaticText): a card repaints often, its words rarely change.
        painter.setFont(ui_font(12, bold=True))
        painter.setPen(theme.text)
        name = _static(self.name, 12, True)
        painter.drawStaticText(QPointF(8, (HEADER - name.size().height()) / 2 + 1), name)
        painter.setFont(ui_font(11, bold=down or draining))
        painter.setPen(edge if down or draining else theme.muted)
        status = _static(self.status_text, 11, down or draining)
        x = CARD_WIDTH - 8 - status.size().width()
        painter.drawStaticText(QPointF(x, (HEADER - status.size().height()) / 2 + 1), status)

        painter.setPen(Qt.PenStyle.NoPen)
        self._bar(painter, 0, self.cpu / max(self.cores, 1e-9))
        self._bar(painter, 1, self.memory / max(self.memory_gb, 1e-9))

        if lod < DETAIL_LOD or len(self.phases) > self.capacity():
            self._badges(painter)
        else:
            self._glyphs(painter)

    def _bar(self, painter: QPainter, which: int, fill: float) -> None:
        """A bar's fill (its label and track are part of the card's background); ``which``:
        0 the CPU's, 1 the memory's."""
        track = _track(which)
        # Hyper-V lets virtual processors outnumber cores: the bar shows it, capped.
        over = fill > 1.0 + 1e-9
        # In its world's colour, as the world's title and its chart lines are.
        world = self.data(0)
        fill_colour = self._theme.world(str(world)) if world else self._theme.selected
        painter.setBrush(self._theme.compromised if over else fill_colour)
        painter.drawRect(
            QRectF(track.left(), track.top(), track.width() * min(fill, 1.0), track.height())
        )

    def _glyphs(self, painter: QPainter) -> None:
        """One brush per phase and one call for all its glyphs: thousands of glyphs a frame."""
        theme = self._theme
        codes = self.phases.tolist()
        by_phase: dict[int, list[QRectF]] = {}
        for i, code in enumerate(codes):
            if i not in self.arriving:
                by_phase.setdefault(code, []).append(i)
        painter.setPen(Qt.PenStyle.NoPen)
        for code, slots in by_phase.items():
            colour = theme.phase(code)
            painter.setBrush(colour)
            painter.drawRects([_SLOTS[i] for i in slots])
            if self.vm:
                # The guest OS a VM carries: a darker band across the lower third.
                painter.setBrush(colour.darker(160))
                painter.drawRects([_BANDS[i] for i in slots])

        held = [*self.arriving, *range(len(codes), len(codes) + self.reserved)]
        if held:
            # A slot a travelling VM will land in, or that an incoming live migration holds
            # (its memory is copied here already): an empty outline until the VM arrives.
            painter.setPen(QPen(theme.muted, 1.0, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for i in held:
                if i < self.capacity():
                    painter.drawRect(self.glyph_rect(i).adjusted(0.5, 0.5, -0.5, -0.5))

    def badge_layout(self) -> list[tuple[QRectF, str, int | None]]:
        """Counts per phase, the commonest first, as (rectangle, text, phase code); what
        does not fit the card is summed up in a last "+N more" (code None)."""
        x = 6.0
        y = HEADER + BARS + 4
        bottom = self._rect.height() - 3
        counts = sorted(self.counts().items(), key=lambda kv: -kv[1])
        out: list[tuple[QRectF, str, int | None]] = []
        for k, (label, n) in enumerate(counts):
            text = f"{n:,} {label}"
            width = 10 + len(text) * 6.9
            if x + width > CARD_WIDTH - 6:
                x, y = 6.0, y + 19
            if y + 16 > bottom:  # no room for another row
                rest = sum(m for _, m in counts[k:])
                out.append((QRectF(6.0, y - 19, CARD_WIDTH - 12, 16), f"+{rest:,} more", None))
                break
            out.append((QRectF(x, y, width, 16), text, int(Phase[label.upper()])))
            x += width + 4
        return out

    def _badges(self, painter: QPainter) -> None:
        theme = self._theme
        painter.setFont(ui_font(11, bold=True))
        for rect, text, code in self.badge_layout():
            if code is None:
                painter.setPen(theme.muted)
                align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                painter.drawText(rect, int(align), text)
                continue
            colour = theme.phase(code)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(rect, 7, 7)
            painter.setPen(theme.text_on(colour))
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)


def _slot(i: int) -> QRectF:
    per_row = glyphs_per_row()
    x = 6 + (i % per_row) * (GLYPH + GLYPH_GAP)
    y = HEADER + BARS + 4 + (i // per_row) * (GLYPH + GLYPH_GAP)
    return QRectF(x, y, GLYPH, GLYPH)


# Every card lays its slots out alike: worked out once, not thousands of times a frame.
_SLOTS = [_slot(i) for i in range(glyphs_per_row() * MAX_GLYPH_ROWS)]
#: A progress ring's square, 1.5 units round its glyph; and each slot's ring corner.
RING_SIDE = GLYPH + 3.0
RING_CORNERS = np.array([(r.left() - 1.5, r.top() - 1.5) for r in _SLOTS])
#: Each slot's middle, in card coordinates (one row a slot): where a flight lands.
SLOT_CENTRES = np.array([(r.center().x(), r.center().y()) for r in _SLOTS])
_BANDS = [
    QRectF(r.left(), r.top() + r.height() * 0.62, r.width(), r.height() * 0.38) for r in _SLOTS
]

_STATIC: dict[tuple[str, int, bool], QStaticText] = {}


def _static(text: str, size: int, bold: bool) -> QStaticText:
    """``text`` laid out once in the bundled font (host names, statuses, bar labels)."""
    key = (text, size, bold)
    found = _STATIC.get(key)
    if found is None:
        found = QStaticText(text)
        found.setTextFormat(Qt.TextFormat.PlainText)
        found.prepare(font=ui_font(size, bold=bold))
        _STATIC[key] = found
    return found


_CARDS: dict[tuple[str, bool, bool, float, float, float], QPixmap] = {}


def _card_picture(
    theme: Theme, down: bool, draining: bool, width: float, height: float, lod: float
) -> QPixmap:
    """A card's background at a resolution that stays crisp at the zoom drawn."""
    ratio = max(1.0, math.ceil(lod * 2) / 2)
    key = (theme.name, down, draining, width, height, ratio)
    found = _CARDS.get(key)
    if found is None:
        found = QPixmap(math.ceil(width * ratio), math.ceil(height * ratio))
        found.setDevicePixelRatio(ratio)
        found.fill(Qt.GlobalColor.transparent)
        painter = QPainter(found)
        _paint_background(painter, theme, down, draining, width, height)
        painter.end()
        _CARDS[key] = found
    return found


#: Each bar's label and where its track starts, across the card: CPU, then memory.
_BAR_LABELS = (("CPU", 8.0), ("MEM", CARD_WIDTH / 2 + 4))
_LABEL_WIDTH = 30.0


def _track(which: int) -> QRectF:
    """The empty track of the CPU (0) or memory (1) bar, beside its label."""
    left = _BAR_LABELS[which][1] + _LABEL_WIDTH
    return QRectF(left, HEADER + 4, CARD_WIDTH / 2 - _LABEL_WIDTH - 12, BARS - 8)


def _paint_background(
    painter: QPainter, theme: Theme, down: bool, draining: bool, width: float, height: float
) -> None:
    """What every card in a state shares: the rounded card, and the CPU and memory bars'
    labels and empty tracks."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    edge = theme.compromised if down else (theme.bar_overhead if draining else theme.outline)
    painter.setPen(QPen(edge, 2.0 if down or draining else 1.0))
    painter.setBrush(theme.card_failed if down else theme.card)
    painter.drawRoundedRect(QRectF(0, 0, width, height).adjusted(1, 1, -1, -1), 6, 6)
    painter.setFont(ui_font(11))
    for which, (label, x) in enumerate(_BAR_LABELS):
        painter.setPen(theme.muted)
        text = _static(label, 11, False)
        painter.drawStaticText(QPointF(x, HEADER + (BARS - text.size().height()) / 2), text)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.outline))
        painter.drawRect(_track(which))  # square ends: cheaper, and invisible at this size
