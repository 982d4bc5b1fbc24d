"""A host of the cluster view: a card with its status, CPU and memory fill, and its workloads.

The workloads are painted by the card as small glyphs coloured by phase (a VM's glyph carries
a darker band: its guest OS); the scene's rings item draws a progress ring round each whose
phase is under way.  Zoomed out, or with more workloads than fit, the card shows counts per
phase instead: one item per host however many workloads there are.

What the lessons ask of a card besides: the workloads a kernel exploit has reached are drawn
red, crossed out (the isolation lesson); the memory bar splits each host's memory between
the apps and the platform its instances carry, a guest OS or the container runtime (the
operating-system lesson); and a host its balancer would call hot is drawn warm, with a badge
giving its CPU use (the load-balancing lesson).

Where the network is cut (issue 19), a card that runs but that the clients cannot reach is
tinted and badged "cut off · running" rather than drawn as failed: its platform may call it
isolated, down or NotReady, but its workloads run.  A workload that runs twice (its copy
left on a cut-off host while its replacement runs elsewhere) is drawn split in two and
outlined, and the card's last line marks it "times two" and names it.  A copy left behind
under its workload's own name is drawn faded after the host's own workloads.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from enum import Enum
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QPaintEngine,
    QPainter,
    QPen,
    QPixmap,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from vmc_gui.sim.records import CONSUMING, HostStatus, Phase
from vmc_gui.ui.fonts import static_text, ui_font
from vmc_gui.ui.scenes.items.card_marks import (
    NO_MARKS,
    NOTE_LINE,
    NetMarks,
    left_copy_tip,
    note_parts,
    partition_details,
)
from vmc_gui.ui.scenes.items.geometry_object import GeometryObject
from vmc_gui.ui.scenes.items.host_cells import cell_colour, cell_state
from vmc_gui.ui.scenes.scale_layout import FAR_PX
from vmc_gui.ui.theme import LIGHT, Theme, mixed

CARD_WIDTH = 160.0
HEADER = 22.0
#: The CPU and memory bars, side by side, each with its label (11 px: the legibility floor).
BARS = 16.0
GLYPH = 11.0
GLYPH_GAP = 3.0
#: Glyph rows a card has room for (the scene picks 1 to 4 from the scenario's size).
MAX_GLYPH_ROWS = 4
#: The levels of semantic zoom (issue 20), by the zoom the card is drawn at: from this zoom
#: up the card's own 11 px text reads at the legibility floor, and it shows each workload
#: (near); below, it is a box with its name and counts set at screen size (middle); and
#: narrower than ``FAR_PX`` on screen, a cell coloured by its state (far).
DETAIL_LOD = 1.0 - 1e-6
#: Phases under way towards serving: what holds a host, but is not yet (or no more) serving.
_IN_PROGRESS = CONSUMING - {Phase.READY, Phase.MIGRATING}
_ZERO_DIGITS = str.maketrans("123456789", "000000000")
#: A card's header words as drawn, by (name, status, loud): cards repaint often, their words
#: change rarely.
_HEADERS: dict[tuple[str, str, bool], tuple[str, str]] = {}
#: The room on a card's header line, and the least share of it a name keeps.
_HEADER_ROOM = CARD_WIDTH - 16 - 8
_NAME_SHARE = 0.55


def short_name(name: str) -> str:
    """A host's name as a card shows it: a DNS name's first label ("ip-10-0-1-17" of
    "ip-10-0-1-17.eu-west-1.compute.internal", whose domain every node shares); the
    tooltip has it whole."""
    first = name.split(".", 1)[0]
    return first or name


def _header_words(name: str, status: str, loud: bool) -> tuple[str, str]:
    """The name and the status as they fit a card's header line together."""
    key = (name, status, loud)
    if key not in _HEADERS:
        if len(_HEADERS) > 20_000:
            _HEADERS.clear()
        name = short_name(name)
        names = QFontMetricsF(ui_font(12, bold=True))
        statuses = QFontMetricsF(ui_font(11, bold=loud))
        name_w, status_w = names.horizontalAdvance(name), statuses.horizontalAdvance(status)
        if name_w + status_w > _HEADER_ROOM:
            room = max(_HEADER_ROOM * _NAME_SHARE, _HEADER_ROOM - status_w)
            name = names.elidedText(name, Qt.TextElideMode.ElideRight, room)
            left = _HEADER_ROOM - names.horizontalAdvance(name)
            # Its first words before a cut: "NotReady", not "NotRead…" of "NotReady · tainted".
            first = status.split(" · ", 1)[0]
            if statuses.horizontalAdvance(status) > left >= statuses.horizontalAdvance(first):
                status = first
            status = statuses.elidedText(status, Qt.TextElideMode.ElideRight, left)
        _HEADERS[key] = (name, status)
    return _HEADERS[key]


def _zeroed(name: str) -> str:
    """``name`` with its digits as "0", the widest: what a card measures it by, so that
    cards whose names differ only in their figures lay out alike."""
    return name.translate(_ZERO_DIGITS)


#: By phase code: does a ring show the phase's progress?
TIMED = np.zeros(max(Phase) + 1, dtype=bool)
TIMED[[int(p) for p in _IN_PROGRESS]] = True


class Level(Enum):
    """How much a card says at the zoom it is drawn at (semantic zoom)."""

    FAR = "far"
    MIDDLE = "middle"
    NEAR = "near"


def card_level(lod: float, width: float = CARD_WIDTH) -> Level:
    """The level a card ``width`` wide is drawn at, at zoom ``lod``."""
    if lod * width < FAR_PX:
        return Level.FAR
    return Level.MIDDLE if lod < DETAIL_LOD else Level.NEAR


def card_height(rows: int = MAX_GLYPH_ROWS, note: bool = False) -> float:
    return HEADER + BARS + rows * (GLYPH + GLYPH_GAP) + 8 + (NOTE_LINE if note else 0.0)


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
        note: bool = False,
    ) -> None:
        """``note``: keep a line under the glyphs for what a partition does to the host."""
        super().__init__()
        self.name, self.cores, self.memory_gb, self.vm = name, cores, memory_gb, vm
        self.rows = rows
        self.note = note
        #: What a network partition adds to the card now.
        self.marks = NO_MARKS
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
        #: Slots whose workload a kernel exploit has reached.
        self.exposed: frozenset[int] = frozenset()
        #: Of ``memory``, the GB its instances spend on their platform (guest OS, runtime).
        self.platform_memory = 0.0
        #: What that platform is called ("guest OS", "container runtime").
        self.platform_name = "guest OS" if vm else "container runtime"
        #: The host's CPU share, while its balancer would call it hot (else None), and why.
        self.hot: float | None = None
        self.hot_note = ""
        #: More to say about a workload when the pointer is on it (the scene's, at its time).
        self.workload_note: Callable[[int], str] | None = None
        self.setAcceptHoverEvents(True)
        # A card changes only when its host does: between changes Qt paints a cached picture.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.set_geometry_size()

    def set_geometry_size(self) -> None:
        height = card_height(self.rows, self.note)
        self.geometry = QRectF(self.pos(), QRectF(0, 0, CARD_WIDTH, height).size())

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
        *,
        exposed: frozenset[int] = frozenset(),
        platform_memory: float = 0.0,
        hot: float | None = None,
        hot_note: str = "",
        marks: NetMarks = NO_MARKS,
    ) -> None:
        """The host as it stands: status, fill and its workloads' phases; the slots of
        workloads still on their way here (empty outlines); the workloads live-migrating
        away; how many incoming migrations hold room here (outlines after the glyphs); the
        slots an exploit has reached; the memory spent on the platform; while its balancer
        would call it hot, its CPU share and the rule in words; and what a network partition
        does to it."""
        same = (
            status == self.status
            and cpu == self.cpu
            and memory == self.memory
            and np.array_equal(phases, self.phases)
            and arriving == self.arriving
            and reserved == self.reserved
            and exposed == self.exposed
            and platform_memory == self.platform_memory
            and hot == self.hot
            and marks == self.marks
        )
        self.status, self.status_text = status, status_text
        self.cpu, self.memory = cpu, memory
        self.workloads, self._all_names = workloads, names
        self.arriving, self.migrating, self.reserved = arriving, migrating, reserved
        self.exposed, self.platform_memory = exposed, platform_memory
        self.hot, self.hot_note = hot, hot_note
        self.marks = marks
        self.phases = phases
        if not same:  # unchanged cards keep their cached picture
            self.update()  # the tooltip is written when the pointer arrives, not every frame

    def counts(self) -> Counter[str]:
        return Counter(Phase(int(p)).label for p in self.phases)

    def details(self) -> str:
        counts = ", ".join(f"{n} {label}" for label, n in sorted(self.counts().items()))
        apps = self.memory - self.platform_memory
        split = f" (apps {apps:,.1f} GB, {self.platform_name} {self.platform_memory:,.1f} GB)"
        reached = f"<br>{len(self.exposed)} reached by the exploit" if self.exposed else ""
        hot = f"<br><b>hot</b>: {self.hot_note}" if self.hot is not None else ""
        return (
            f"<b>{self.name}</b>: {self.status_text}<br>"
            f"CPU {self.cpu:g} of {self.cores:g} cores; memory {self.memory:,.1f} of "
            f"{self.memory_gb:,.0f} GB{split if self.memory > 0 else ''}{hot}<br>"
            f"{counts or 'no workloads'}{reached}{partition_details(self.marks)}"
        )

    def look(self) -> CardLook:
        """How the card is drawn: failed, draining, hot, or cut off (it runs)."""
        # Failed, or out of service in any of the platforms' ways (isolated, NotReady...),
        # unless it is known to run: a host cut off is not a host that failed.
        down = not HostStatus(self.status).serving and not self.marks.running
        draining = self.status == HostStatus.DRAINING
        hot = self.hot is not None and not down
        marks = self.marks
        return CardLook(down, draining, hot, bool(marks.cut_off), marks.link_cut)

    def hot_badge(self) -> str:
        """What the hot badge says ("" while the host is not hot)."""
        return "" if self.hot is None else f"hot {self.hot:.0%}".replace("%", " %")

    # --- hit testing for the glyphs (hover) ------------------------------------------------

    def glyph_rect(self, i: int) -> QRectF:
        """Slot ``i``'s square, in card coordinates."""
        return QRectF(_SLOTS[i]) if i < len(_SLOTS) else _slot(i)

    def slot_centre(self, i: int) -> QPointF:
        """The middle of slot ``i``, in scene coordinates (a flight's end)."""
        return self.pos() + (_SLOTS[i] if i < len(_SLOTS) else _slot(i)).center()

    def capacity(self) -> int:
        return glyphs_per_row() * self.rows

    def left_slots(self) -> list[int]:
        """The slots of the copies left behind here (after the workloads and held room)."""
        first = len(self.phases) + self.reserved
        return [first + k for k in range(len(self.marks.left)) if first + k < self.capacity()]

    def glyph_at(self, point: QPointF) -> int:
        """The slot under ``point`` (card coordinates), or -1: a workload's, or a copy left
        behind's (from ``len(phases) + reserved`` on)."""
        if len(self.phases) > self.capacity():
            return -1
        for i in [*range(len(self.phases)), *self.left_slots()]:
            if self.glyph_rect(i).adjusted(-1, -1, 1, 1).contains(point):
                return i
        return -1

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.setToolTip(self.details())
        super().hoverEnterEvent(event)

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        i = self.glyph_at(event.pos())
        if i >= len(self.phases):
            code, w = self.marks.left[i - len(self.phases) - self.reserved]
            self.setToolTip(left_copy_tip(self._all_names[w], self.name, code))
        elif i >= 0:
            phase = Phase(int(self.phases[i])).label
            w = int(self.workloads[i])
            name = self._all_names[w]
            note = self.workload_note(w) if self.workload_note is not None else ""
            reached = "<br><b>reached by the exploit</b>" if i in self.exposed else ""
            twice = "<br><b>&#215;2: runs twice</b>" if i in self.marks.twice else ""
            self.setToolTip(
                f"<b>{name}</b> on {self.name}: {phase}{reached}{twice}"
                + (f"<br>{note}" if note else "")
            )
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
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        level = card_level(lod, self._rect.width())
        if level is Level.FAR:
            self._paint_cell(painter)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if level is Level.MIDDLE:
            self._paint_middle(painter)
            return
        look = self.look()
        down, draining, cut = look.down, look.draining, look.cut
        edge = _edge(theme, look)
        # The rounded, antialiased card and its bars' tracks and labels are drawn once per
        # look and resolution, and blitted after.  A vector export (SVG) gets vectors.
        if painter.paintEngine().type() == QPaintEngine.Type.Raster:
            painter.drawPixmap(
                self._rect.topLeft(),
                _card_picture(theme, look, self._rect.width(), self._rect.height(), lod),
            )
        else:
            _paint_background(painter, theme, look, self._rect.width(), self._rect.height())

        # Laid-out text is kept (QStaticText): a card repaints often, its words rarely change.
        loud = down or draining or cut or not HostStatus(self.status).serving
        # A long name (an imported node's, "ip-10-0-2-11.ec2.internal") and a long status
        # share the line: the name keeps at least half of it, each is cut with an ellipsis
        # where it must be, and the tooltip has both whole.
        name_text, status_text = _header_words(self.name, self.status_text, loud)
        status = static_text(status_text, 11, loud)
        x = CARD_WIDTH - 8 - status.size().width()
        painter.setFont(ui_font(12, bold=True))
        painter.setPen(theme.text)
        name = static_text(name_text, 12, True)
        painter.drawStaticText(QPointF(8, (HEADER - name.size().height()) / 2 + 1), name)
        painter.setFont(ui_font(11, bold=loud))
        painter.setPen(edge if down or draining or cut else theme.muted)
        painter.drawStaticText(QPointF(x, (HEADER - status.size().height()) / 2 + 1), status)
        if look.hot:
            self._hot_badge(painter, 8 + name.size().width() + 6, x - 6)

        painter.setPen(Qt.PenStyle.NoPen)
        self._bar(painter, 0, self.cpu / max(self.cores, 1e-9))
        self._memory_bar(painter)

        if len(self.phases) > self.capacity():
            self._badges(painter)
        else:
            self._glyphs(painter)
        if self.note:
            self._note(painter)

    def cell_fill(self) -> float:
        """How full the host is, for its cell's shade: its memory, what fails a placement."""
        return self.memory / max(self.memory_gb, 1e-9)

    def _paint_cell(self, painter: QPainter) -> None:
        """Far: the host as one cell, its state's colour shaded by its fill (no text: the
        rack's head counts, the tooltip names it)."""
        state = cell_state(self.status, bool(self.marks.running) and bool(self.marks.cut_off))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(cell_colour(self._theme, state, self.cell_fill()))
        # A hair of gap between neighbours, whatever the zoom: cells read as cells.
        painter.drawRect(self._rect.adjusted(2, 2, -2, -2))

    def phase_counts(self) -> list[tuple[int, int]]:
        """(phase code, count) of the workloads here, most first."""
        if not len(self.phases):
            return []
        counts = np.bincount(self.phases.astype(np.int64))
        codes = np.flatnonzero(counts)
        order = codes[np.argsort(-counts[codes], kind="stable")]
        return [(int(c), int(counts[c])) for c in order]

    def _paint_middle(self, painter: QPainter) -> None:
        """Middle: the card as a box, its name, status and counts per phase set at screen
        size (11 px), as many lines as the box holds; its fill as two thin bars."""
        theme = self._theme
        look = self.look()
        device = painter.worldTransform().mapRect(self._rect)
        painter.save()
        painter.setWorldTransform(QTransform())
        painter.setPen(QPen(_edge(theme, look), 2.0 if any(look) else 1.0))
        fill = theme.card_hot if look.hot else theme.card
        painter.setBrush(theme.card_failed if look.down else (theme.card_cut if look.cut else fill))
        painter.drawRoundedRect(device.adjusted(1, 1, -1, -1), 4, 4)
        inner = device.adjusted(5, 3, -5, -3)
        # The fill: CPU then memory, two bars along the bottom.
        bar_h = max(2.0, min(5.0, inner.height() * 0.08))
        half = (inner.width() - 4) / 2
        painter.setPen(Qt.PenStyle.NoPen)
        for k, share in enumerate(
            (self.cpu / max(self.cores, 1e-9), self.memory / max(self.memory_gb, 1e-9))
        ):
            left = inner.left() + k * (half + 4)
            track = QRectF(left, inner.bottom() - bar_h, half, bar_h)
            painter.setBrush(QColor(theme.outline))
            painter.drawRect(track)
            world = self.data(0)
            colour = theme.world(str(world)) if world else theme.selected
            painter.setBrush(theme.compromised if share > 1.0 + 1e-9 else colour)
            painter.drawRect(QRectF(left, track.top(), half * min(share, 1.0), bar_h))
        lines = inner.adjusted(0, 0, 0, -bar_h - 2)
        bold = ui_font(11, bold=True)
        plain = ui_font(11)
        metrics = QFontMetricsF(plain)
        line_h = metrics.height() + 1
        y = lines.top()
        if y + line_h > lines.bottom() + 0.5:
            painter.restore()
            return
        # The name, and the status where it fits beside it.
        painter.setFont(bold)
        painter.setPen(theme.text)
        # Judged with every digit a "0" (the widest): "r12-h02" shows its name and says
        # "down" wherever "r12-h01" does, every card of a rack alike.
        name_w = QFontMetricsF(bold).horizontalAdvance(_zeroed(self.name))
        if name_w <= lines.width():
            painter.drawText(QPointF(lines.left(), y + metrics.ascent()), self.name)
            status_w = metrics.horizontalAdvance(self.status_text)
            if name_w + 8 + status_w <= lines.width():
                loud = look.down or look.draining or look.cut
                painter.setFont(plain)
                painter.setPen(_edge(theme, look) if loud else theme.muted)
                x = lines.right() - status_w
                painter.drawText(QPointF(x, y + metrics.ascent()), self.status_text)
        elif len(self.name) > 8:
            # A long name (an imported node's) cut short rather than left out: the tooltip
            # has it whole.
            shown = QFontMetricsF(bold).elidedText(
                short_name(self.name), Qt.TextElideMode.ElideRight, lines.width()
            )
            if len(shown) > 4:
                painter.drawText(QPointF(lines.left(), y + metrics.ascent()), shown)
        y += line_h
        # Counts per phase, most first: a swatch and the figure, "■ 38 ready".
        painter.setFont(plain)
        x = lines.left()
        for code, count in self.phase_counts():
            if y + line_h > lines.bottom() + 0.5:
                break
            words = f"{count} {Phase(code).label}"
            width = 10 + metrics.horizontalAdvance(words)
            if x > lines.left() and x + width > lines.right():
                x, y = lines.left(), y + line_h  # the next line
                if y + line_h > lines.bottom() + 0.5:
                    break
            if width > lines.width():
                words = str(count)  # the swatch says which phase; the tooltip says it all
                width = 10 + metrics.horizontalAdvance(words)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.phase(code))
            top = y + (line_h - 7) / 2
            painter.drawRect(QRectF(x, top, 7, 7))
            painter.setPen(theme.text)
            painter.drawText(QPointF(x + 10, y + metrics.ascent()), words)
            x += width + 8
        painter.restore()

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

    def _memory_bar(self, painter: QPainter) -> None:
        """The memory bar in two parts: the apps', then their platform's (a guest OS, the
        container runtime), in the stack diagram's colours for the two."""
        track = _track(1)
        total = max(self.memory_gb, 1e-9)
        if self.memory > total + 1e-9:
            painter.setBrush(self._theme.compromised)
            painter.drawRect(track)
            return
        apps = max(0.0, self.memory - self.platform_memory) / total
        platform = min(self.platform_memory, self.memory) / total
        width = track.width()
        painter.setBrush(self._theme.bar_app)
        painter.drawRect(QRectF(track.left(), track.top(), width * apps, track.height()))
        painter.setBrush(self._theme.bar_overhead)
        painter.drawRect(
            QRectF(track.left() + width * apps, track.top(), width * platform, track.height())
        )

    def _hot_badge(self, painter: QPainter, left: float, right: float) -> None:
        """A pill between the host's name and its status: "hot 94 %", or "hot" where the
        status leaves no room for the figure (the tooltip has it)."""
        for text in (self.hot_badge(), "hot"):
            words = static_text(text, 11, True)
            width = words.size().width() + 10
            if left + width <= right:
                break
        else:
            return  # the outline and the tint say it
        rect = QRectF(left, (HEADER - 16) / 2 + 1, width, 16)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._theme.hot)
        painter.drawRoundedRect(rect, 8, 8)
        painter.setFont(ui_font(11, bold=True))
        painter.setPen(self._theme.text_on(self._theme.hot))
        size = words.size()
        painter.drawStaticText(
            QPointF(rect.left() + 5, rect.top() + (rect.height() - size.height()) / 2), words
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

        reached = [i for i in sorted(self.exposed) if i < len(codes) and i not in self.arriving]
        if reached:
            # Reached by a kernel exploit: red, crossed out (a failed one is plain red).
            danger = theme.compromised
            painter.setBrush(danger)
            painter.drawRects([_SLOTS[i] for i in reached])
            if self.vm:
                painter.setBrush(danger.darker(160))
                painter.drawRects([_BANDS[i] for i in reached])
            pen = QPen(theme.text_on(danger), 1.6)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            for i in reached:
                r = _SLOTS[i].adjusted(2.5, 2.5, -2.5, -2.5)
                painter.drawLine(r.topLeft(), r.bottomRight())
                painter.drawLine(r.topRight(), r.bottomLeft())
            painter.setPen(Qt.PenStyle.NoPen)

        twice = [i for i in sorted(self.marks.twice) if i < len(codes) and i not in self.arriving]
        if twice:
            # Running twice: split in two (two copies) and outlined in the alarm colour.
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(theme.compromised, 1.6))
            for i in twice:
                painter.drawRect(_SLOTS[i].adjusted(-1.5, -1.5, 1.5, 1.5))
            painter.setPen(QPen(theme.card, 1.6))
            for i in twice:
                r = _SLOTS[i]
                x = r.center().x()
                painter.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()))
            painter.setPen(Qt.PenStyle.NoPen)

        left = self.left_slots()
        if left:
            # A copy left behind: faded, with a dashed edge (the workload runs elsewhere).
            for i, (code, _) in zip(left, self.marks.left, strict=False):
                colour = theme.phase(code)
                painter.setBrush(mixed(colour, theme.card, 0.45))
                painter.setPen(QPen(colour, 1.0, Qt.PenStyle.DashLine))
                painter.drawRect(_SLOTS[i].adjusted(0.5, 0.5, -0.5, -0.5))
            painter.setPen(Qt.PenStyle.NoPen)

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
        does not fit the card is summed up in a last "+N more" (code None), at the end of
        the last row that fits (never over the bars)."""
        x = 6.0
        y = HEADER + BARS + 4
        right = CARD_WIDTH - 6
        # A card of one glyph row holds one row of badges (the note line is not theirs).
        bottom = self._rect.height() - (NOTE_LINE if self.note else 0.0) - 2
        counts = sorted(self.counts().items(), key=lambda kv: -kv[1])
        out: list[tuple[QRectF, str, int | None]] = []
        shown: list[int] = []
        for k, (label, n) in enumerate(counts):
            text = f"{n:,} {label}"
            width = _badge_width(text)
            if x + width > right and (y + 19 + 16 > bottom or x == 6.0):
                # No room for another row: the rest is summed up on this one, making room
                # by taking back its last badges if need be.
                rest = sum(m for _, m in counts[k:])
                while (
                    out
                    and out[-1][0].top() == y
                    and out[-1][0].right() + 4 + _badge_width(f"+{rest:,} more") > right
                ):
                    out.pop()
                    rest += shown.pop()
                left = out[-1][0].right() + 4 if out and out[-1][0].top() == y else 6.0
                out.append((QRectF(left, y, right - left, 16), f"+{rest:,} more", None))
                break
            if x + width > right:
                x, y = 6.0, y + 19
            out.append((QRectF(x, y, width, 16), text, int(Phase[label.upper()])))
            shown.append(n)
            x += width + 4
        return out

    def note_layout(self) -> list[tuple[QRectF, str, str]]:
        """The last line's parts as (rectangle, words, how), in card coordinates: pills
        first, then words elided to what is left; a pill with no room is left out (the
        tooltip has it)."""
        top = self._rect.height() - NOTE_LINE - 1
        x, right = 6.0, CARD_WIDTH - 6
        out = []
        for text, how in note_parts(self.marks):
            if how == "text":
                if right - x < 24:
                    break
                out.append((QRectF(x, top, right - x, 16), text, how))
                break
            width = static_text(text, 11, True).size().width() + 10
            if x + width > right:
                continue
            out.append((QRectF(x, top, width, 16), text, how))
            x += width + 4
        return out

    def _note(self, painter: QPainter) -> None:
        theme = self._theme
        fills = {"cut": theme.cut, "twice": theme.compromised}
        for rect, text, how in self.note_layout():
            if how == "text":
                painter.setFont(ui_font(11))
                painter.setPen(theme.text)
                metrics = painter.fontMetrics()
                words = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width()))
                align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                painter.drawText(rect, int(align), words)
                continue
            fill = fills[how]
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 8, 8)
            painter.setFont(ui_font(11, bold=True))
            painter.setPen(theme.text_on(fill))
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)

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


def _badge_width(text: str) -> float:
    """A count badge's width for ``text`` (11 px bold, with its padding)."""
    return 10 + len(text) * 6.9


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


class CardLook(NamedTuple):
    """What a card's background depends on besides the theme and its size."""

    down: bool
    draining: bool
    hot: bool
    #: Runs, but the clients do not reach it.
    cut: bool = False
    #: Its own cable to its rack's switch is cut: the edge dashed in the alarm colour, as
    #: the fabric draws a cut link.
    link_cut: bool = False


def _edge(theme: Theme, look: CardLook) -> QColor:
    if look.down:
        return theme.compromised
    if look.cut:
        return theme.cut
    if look.draining:
        return theme.bar_overhead
    return theme.hot if look.hot else theme.outline


_CARDS: dict[tuple[str, CardLook, float, float, float], QPixmap] = {}


def _card_picture(theme: Theme, look: CardLook, width: float, height: float, lod: float) -> QPixmap:
    """A card's background at a resolution that stays crisp at the zoom drawn."""
    ratio = max(1.0, math.ceil(lod * 2) / 2)
    key = (theme.name, look, width, height, ratio)
    found = _CARDS.get(key)
    if found is None:
        found = QPixmap(math.ceil(width * ratio), math.ceil(height * ratio))
        found.setDevicePixelRatio(ratio)
        found.fill(Qt.GlobalColor.transparent)
        painter = QPainter(found)
        _paint_background(painter, theme, look, width, height)
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
    painter: QPainter, theme: Theme, look: CardLook, width: float, height: float
) -> None:
    """What every card in a state shares: the rounded card, and the CPU and memory bars'
    labels and empty tracks."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if look.link_cut:
        painter.setPen(QPen(theme.compromised, 2.0, Qt.PenStyle.DashLine))
    else:
        painter.setPen(QPen(_edge(theme, look), 2.0 if any(look) else 1.0))
    fill = theme.card_hot if look.hot else theme.card
    painter.setBrush(theme.card_failed if look.down else (theme.card_cut if look.cut else fill))
    painter.drawRoundedRect(QRectF(0, 0, width, height).adjusted(1, 1, -1, -1), 6, 6)
    painter.setFont(ui_font(11))
    for which, (label, x) in enumerate(_BAR_LABELS):
        painter.setPen(theme.muted)
        text = static_text(label, 11, False)
        painter.drawStaticText(QPointF(x, HEADER + (BARS - text.size().height()) / 2), text)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.outline))
        painter.drawRect(_track(which))  # square ends: cheaper, and invisible at this size
