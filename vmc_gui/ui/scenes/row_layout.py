"""Where a row's diagram puts things: each world in a band, with its parts in a row above
or beneath its stacks, and a route and a label for each flow.

Bands go side by side when they fit an export's width (hardware aligned, as in the other
diagrams), else one above the other.  A band, top to bottom: its title; the parts above; a
lane for each flow between two of its stacks (an arrow over the stack titles, its label
above it); the stacks, hardware aligned; the parts beneath.

A row of parts is packed by :mod:`part_rows`; if it reaches left of the band's edge, the
band's stacks move right instead.

A flow between a part and a stack is a vertical arrow (with a dog-leg when the two do not
line up); between two stacks of a band, a lane over the top.  A flow stays within its band.
An end that is a whole stack's instances is gathered by a bracket.  A vertical arrow's label
goes on whichever side has more room before the next arrow.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTextDocument

from vmc_gui.model.diagram_parts import Part, Place, State
from vmc_gui.model.stacks import Diagram, Stack
from vmc_gui.ui.fonts import ui_font
from vmc_gui.ui.scenes.items.flow_item import FlowShape
from vmc_gui.ui.scenes.items.part_item import part_height
from vmc_gui.ui.scenes.items.state_item import PAD as STATE_PAD
from vmc_gui.ui.scenes.part_rows import pack
from vmc_gui.ui.scenes.stack_layout import (
    COLUMN,
    MARGIN,
    ROW,
    STACK_GAP,
    TITLE,
    Label,
    Layout,
    place_stack,
)

BAND_TITLE_PX = 16
LABEL_PX = 12
CAPTION_PX = 13
#: A band's title row, and the space between bands.
BAND_TITLE = 30.0
BAND_GAP = 36.0
#: Bands side by side (when they fit this wide) stand this far apart.
BAND_GAP_X = 96.0
BESIDE_WIDTH = 1600.0
#: Between a row of parts and the stacks: room for the arrows, and for their labels.
FLOW_GAP = 40.0
LABELLED_GAP = 52.0
#: Above a lane's line (its label's bottom) and beneath it (the stack titles' top); the
#: least width its label wraps at (a lane between neighbours is short).
LANE_ABOVE = 6.0
LANE_BELOW = 16.0
LANE_LABEL_MIN = 320.0
#: How far a route stands off a stack: a little, or clear of a state's outline around it.
NEAR = 2.0
OFF = STATE_PAD + 3
#: How much further a bracket's bar stands off the group it gathers.
BRACKET = 9.0
#: Between an arrow and its label, and the least room a label wraps into.
LABEL_PAD = 8.0
LABEL_MIN = 90.0
#: A vertical arrow's label keeps this far from the part and the stacks its gap lies between.
LABEL_CLEAR = 4.0
#: Where a vertical arrow meets a part: this far in from its corners.
INSET = 16.0
#: Above the key to the outlines, and what each outline means.
KEY_GAP = 20.0
_MEANING = {
    State.NEW: "green, what the change brings here",
    State.GONE: "grey dashes, gone from here",
    State.FAILED: "red, failed",
}


def text_size(text: str, px: int, *, bold: bool = False, width: float = -1) -> tuple[float, float]:
    """The size a scene text item gives ``text`` (wrapped at ``width`` if given)."""
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setDefaultFont(ui_font(px, bold=bold))
    document.setPlainText(text)
    if width > 0:
        document.setTextWidth(width)
    return document.idealWidth(), document.size().height()


@dataclass(slots=True)
class _End:
    """A flow's end as geometry: its horizontal extent and where routes meet it."""

    left: float
    right: float
    #: Where a route from above lands, and where one leaves downwards.
    top: float
    bottom: float
    #: A part's row ("above", "below"), or "stacks".
    tier: str
    band: int
    #: Several instances at once: gathered by a bracket when a route meets their tops.
    group: bool = False
    #: How far a route stops short of it.
    clear: float = 0.0

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2


@dataclass(slots=True)
class _Gap:
    """A vertical stretch between a row of parts and the stacks, where arrows run."""

    band: int
    top: float
    bottom: float


class _Banded:
    """Lays a diagram with bands out; :func:`banded` is the way in."""

    def __init__(self, built: Diagram) -> None:
        self.built = built
        self.band_of_stack = {i: b for b, band in enumerate(built.bands) for i in band.stacks}
        #: The band and the stack of each stack (by prefix) and instance (by name).
        self.band_of_name: dict[str, int] = {}
        self.stack_of_name: dict[str, Stack] = {}
        for i, stack in enumerate(built.stacks):
            for name in (stack.prefix, *stack.instances):
                self.band_of_name[name] = self.band_of_stack.get(i, 0)
                self.stack_of_name[name] = stack
        self.part_keys = {part.key: part for part in built.parts}
        #: How much taller each gap (band, "above" or "below") must be than its arrows need,
        #: for a label that wraps into more lines than it has room for.
        self.gap_extra: dict[tuple[int, str], float] = {}
        self._reset()

    def _reset(self) -> None:
        """Forget where things went (after a trial layout that measured the bands)."""
        self.layers: dict[str, QRectF] = {}
        self.boundaries: dict[str, QRectF] = {}
        self.titles: dict[str, QRectF] = {}
        self.parts: dict[str, QRectF] = {}
        self.labels: list[Label] = []
        self.stack_rects: dict[str, QRectF] = {}
        self.lanes: dict[str, float] = {}
        self.gaps: dict[tuple[int, str], _Gap] = {}
        self.band_left: dict[int, float] = {}
        self.band_right: dict[int, float] = {}

    # --- bands ---------------------------------------------------------------------------

    def layout(self) -> Layout:
        """Lay the diagram out; where a vertical arrow's label is taller than its gap, lay it
        out again with that gap taller (the labels' widths do not depend on the heights)."""
        layout, short = self._layout()
        if short:
            self.gap_extra = short
            self._reset()
            layout, _ = self._layout()
        return layout

    def _layout(self) -> tuple[Layout, dict[tuple[int, str], float]]:
        built = self.built
        bands = range(len(built.bands))
        # A trial from the top left measures each band: its width, and how far down its
        # stacks' hardware is.  Bands that fit side by side go so, hardware aligned, as in
        # the side-by-side diagrams; else one above the other.
        trial = [self._band(b, MARGIN, 0.0, 0.0) for b in bands]
        self._reset()
        widths = [right - MARGIN for _, right, _ in trial]
        floors = [floor for _, _, floor in trial]
        together = sum(widths) + BAND_GAP_X * (len(widths) - 1)
        beside = len(widths) > 1 and together + 2 * MARGIN <= BESIDE_WIDTH
        _, caption_h = text_size(
            built.caption, CAPTION_PX, width=together if beside else max(widths)
        )
        top = MARGIN + 32 + caption_h + 18
        if beside:
            x, bottom = MARGIN, 0.0
            for b in bands:
                end, right, _ = self._band(b, x, top, max(floors) - floors[b])
                x, bottom = right + BAND_GAP_X, max(bottom, end)
            right = x - BAND_GAP_X
        else:
            y, right = top, 0.0
            for b in bands:
                y, band_right, _ = self._band(b, MARGIN, y, 0.0)
                right = max(right, band_right)
                y += BAND_GAP
            bottom = y - BAND_GAP
        key = _key(self.built)
        if key:  # what the outlines mean, beneath everything
            bottom += KEY_GAP
            _, height = text_size(key, LABEL_PX)
            self.labels.append(
                Label(key, QRectF(MARGIN, bottom, 0, height), LABEL_PX, False, "muted")
            )
            bottom += height
        right += MARGIN
        flows, flow_labels, short = self._flows()
        self.labels += flow_labels
        caption = QRectF(MARGIN, MARGIN, right - 2 * MARGIN, 32 + caption_h)
        layout = Layout(
            self.layers,
            self.boundaries,
            {},
            self.titles,
            caption,
            QRectF(0, 0, right, bottom + MARGIN),
            parts=self.parts,
            flows=flows,
            labels=self.labels,
            states=self._states(),
        )
        return layout, short

    def _band(self, b: int, left: float, y: float, extra: float) -> tuple[float, float, float]:
        """Lay band ``b`` out from ``left``, ``y``, its stacks ``extra`` lower than they
        need be; returns where it ends, its right edge, and how far below ``y`` its stacks'
        hardware is."""
        top = y
        self.band_left[b] = left
        built = self.built
        band = built.bands[b]
        stacks = [built.stacks[i] for i in band.stacks]
        self.labels.append(
            Label(
                band.title,
                QRectF(left, y, 0, BAND_TITLE),
                BAND_TITLE_PX,
                True,
                f"world:{band.world.value}",
            )
        )
        y += BAND_TITLE
        # Where the stacks would go from the margin; the rows of parts may move them right.
        xs, x = [], 0.0
        for stack in stacks:
            xs.append(x)
            x += stack.columns * COLUMN + STACK_GAP
        spans = _spans(stacks, xs)
        above = [p for p in built.parts if self._band_of(p) == b and p.place is Place.ABOVE]
        below = [p for p in built.parts if self._band_of(p) == b and p.place is Place.BELOW]
        rows = {Place.ABOVE: pack(above, spans), Place.BELOW: pack(below, spans)}
        lowest = min([r[0] for row in rows.values() for r in row.values()] + [0.0])
        shift = left - lowest  # everything moves right by this: the rows clear the edge
        spans = {name: (lo + shift, hi + shift) for name, (lo, hi) in spans.items()}
        title_width, _ = text_size(band.title, BAND_TITLE_PX, bold=True)
        right = max(x - STACK_GAP + shift, left + title_width)
        for row in rows.values():
            row.update({k: (lo + shift, w) for k, (lo, w) in row.items()})
            right = max([right] + [lo + w for lo, w in row.values()])

        if above:
            height = self._row(above, rows[Place.ABOVE], y)
            y += height
            gap = self._gap_height(above) + extra + self.gap_extra.get((b, "above"), 0.0)
            self.gaps[(b, "above")] = _Gap(b, y, y + gap)
            y += gap
        else:
            y += extra
        for flow in built.flows:  # a lane for each flow between two of the band's stacks
            if self._stacky(flow.source, b) and self._stacky(flow.target, b):
                lo, hi = _lane_span(spans, flow.source, flow.target)
                width = max(hi - lo - 2 * LABEL_PAD, LANE_LABEL_MIN)
                _, label_h = text_size(flow.label, LABEL_PX, width=width)
                centre = (lo + hi) / 2
                at = min(max(left, centre - width / 2), right - width)
                if flow.label:
                    self.labels.append(
                        Label(flow.label, QRectF(at, y, width, label_h), LABEL_PX, False, "text")
                    )
                y += (label_h if flow.label else 0) + LANE_ABOVE
                self.lanes[flow.key] = y
                y += LANE_BELOW
        rows_high = max(stack.rows for stack in stacks)
        bottom = y + TITLE + rows_high * ROW
        for index, stack, x0 in zip(band.stacks, stacks, xs, strict=True):
            self.titles[str(index)] = place_stack(
                stack, x0 + shift, bottom, self.layers, self.boundaries
            )
            self.stack_rects[stack.prefix] = _union(
                [self.layers[layer.key] for layer in stack.layers]
            )
        y = bottom
        if below:
            gap = self._gap_height(below) + self.gap_extra.get((b, "below"), 0.0)
            self.gaps[(b, "below")] = _Gap(b, y, y + gap)
            y += gap
            y += self._row(below, rows[Place.BELOW], y)
        self.band_right[b] = right
        return y, right, bottom - top

    def _row(self, parts: list[Part], places: dict[str, tuple[float, float]], y: float) -> float:
        """Set a row of parts at ``y``, all as tall as its tallest; returns that height."""
        height = max(part_height(part, places[part.key][1]) for part in parts)
        for part in parts:
            left, width = places[part.key]
            self.parts[part.key] = QRectF(left, y, width, height)
        return height

    def _gap_height(self, row: list[Part]) -> float:
        """The gap between ``row`` and the stacks: taller if an arrow there has a label."""
        keys = {part.key for part in row}
        labelled = any(
            flow.label and ((flow.source in keys) != (flow.target in keys))
            for flow in self.built.flows
        )
        return LABELLED_GAP if labelled else FLOW_GAP

    def _band_of(self, part: Part) -> int:
        for name in part.near:
            if name in self.band_of_name:
                return self.band_of_name[name]
        return part.band

    def _stacky(self, name: str, band: int) -> bool:
        """Whether ``name`` is a stack or an instance of band ``band``."""
        return name not in self.part_keys and self.band_of_name.get(name) == band

    # --- flows ---------------------------------------------------------------------------

    def _end(self, name: str) -> _End:
        if name in self.part_keys:
            part = self.part_keys[name]
            rect = self.parts[name]
            band = self._band_of(part)
            return _End(
                rect.left(), rect.right(), rect.top(), rect.bottom(), part.place.value, band
            )
        stack = self.stack_of_name[name]
        rect = _union(
            [
                self.layers[layer.key]
                for layer in stack.layers
                if layer.instance and name in (stack.prefix, layer.instance)
            ]
            or [self.stack_rects[stack.prefix]]
        )
        whole = self.stack_rects[stack.prefix]
        group = name == stack.prefix and len(stack.instances) > 1
        band = self.band_of_name[name]
        outlined = {name, stack.prefix, *(stack.instances if group else ())}
        clear = OFF if outlined & set(self.built.states) else NEAR
        return _End(
            rect.left(), rect.right(), rect.top(), whole.bottom(), "stacks", band, group, clear
        )

    def _flows(
        self,
    ) -> tuple[dict[str, FlowShape], list[Label], dict[tuple[int, str], float]]:
        """Each flow's route, the labels of the vertical arrows, and how much taller each gap
        would have to be for its labels to fit (none where they do)."""
        shapes: dict[str, FlowShape] = {}
        #: Each vertical arrow in a gap: its x, and its flow's label (or "").
        verticals: dict[tuple[int, str], list[tuple[float, str]]] = {}
        for flow in self.built.flows:
            source, target = self._end(flow.source), self._end(flow.target)
            if flow.key in self.lanes:
                shapes[flow.key] = self._lane(source, target, self.lanes[flow.key])
                continue
            if source.tier == target.tier and source.tier != "stacks":
                shapes[flow.key] = _side_by_side(source, target)
                continue
            shape, gap, x = self._vertical(source, target)
            shapes[flow.key] = shape
            verticals.setdefault(gap, []).append((x, flow.label))
        labels: list[Label] = []
        short: dict[tuple[int, str], float] = {}
        for (band, which), arrows in verticals.items():
            gap = self.gaps[(band, which)]
            xs = sorted(x for x, _ in arrows)
            for x, text in arrows:
                if text:
                    edges = (self.band_left[band], self.band_right[band])
                    label = self._beside(text, x, xs, gap, edges)
                    labels.append(label)
                    need = label.rect.height() + 2 * LABEL_CLEAR - (gap.bottom - gap.top)
                    if need > 0:
                        key = (band, which)
                        short[key] = max(short.get(key, 0.0), self.gap_extra.get(key, 0.0) + need)
        return shapes, labels, short

    def _lane(self, source: _End, target: _End, lane: float) -> FlowShape:
        """Up from the source, along the lane, down into the target."""
        brackets = []
        ends = []
        for end in (source, target):
            if end.group:
                top = end.top - end.clear - BRACKET
                brackets.append(_bracket(end.left + 4, end.right - 4, end.top - end.clear, top))
                ends.append(QPointF(end.centre, top))
            else:
                ends.append(QPointF(end.centre, end.top - end.clear))
        start, stop = ends
        points = (start, QPointF(start.x(), lane), QPointF(stop.x(), lane), stop)
        return FlowShape(points, tuple(brackets))

    def _vertical(self, source: _End, target: _End) -> tuple[FlowShape, tuple[int, str], float]:
        """Between a row of parts and the stacks (or another row): straight down or up where
        the two line up, else with a dog-leg in the middle of the gap.  Returns the route,
        the gap it runs in and the x of its run beside the stacks' row of parts."""
        down = source.bottom <= target.top
        upper, lower = (source, target) if down else (target, source)
        y_upper, y_lower = upper.bottom, lower.top
        part_end = upper if upper.tier != "stacks" else lower
        other = lower if part_end is upper else upper
        gap_key = (part_end.band, part_end.tier)
        brackets: list[tuple[QPointF, ...]] = []
        lo, hi = part_end.left + INSET, part_end.right - INSET
        if other.group or other.tier != "stacks":
            # A group or a part: wherever the two overlap, else from centre to centre.
            overlap = (max(lo, other.left + INSET), min(hi, other.right - INSET))
            if overlap[1] - overlap[0] >= 8:
                x_part = x_other = (overlap[0] + overlap[1]) / 2
            else:
                x_part, x_other = part_end.centre, other.centre
        else:
            x_other = other.centre
            x_part = min(max(x_other, lo), hi)
        if other.group and other is lower:  # a bracket over the instances' tops
            y_lower -= other.clear + BRACKET
            edge = other.top - other.clear
            brackets.append(_bracket(other.left + 4, other.right - 4, edge, y_lower))
        elif other is lower:
            y_lower -= other.clear
        else:
            y_upper += other.clear
        x_upper, x_lower = (x_part, x_other) if part_end is upper else (x_other, x_part)
        gap = self.gaps[gap_key]
        if abs(x_upper - x_lower) < 1:
            points = [QPointF(x_upper, y_upper), QPointF(x_lower, y_lower)]
        else:
            middle = (gap.top + gap.bottom) / 2
            points = [
                QPointF(x_upper, y_upper),
                QPointF(x_upper, middle),
                QPointF(x_lower, middle),
                QPointF(x_lower, y_lower),
            ]
        if not down:
            points.reverse()
        return FlowShape(tuple(points), tuple(brackets)), gap_key, x_part

    def _beside(
        self, text: str, x: float, xs: list[float], gap: _Gap, edges: tuple[float, float]
    ) -> Label:
        """A vertical arrow's label, in its gap, on the side with more room."""
        left, right = edges
        before = [other for other in xs if other < x - 1]
        after = [other for other in xs if other > x + 1]
        room_left = x - (before[-1] if before else left) - 2 * LABEL_PAD
        room_right = (after[0] if after else right) - x - 2 * LABEL_PAD
        width, height = text_size(text, LABEL_PX)
        on_right = width <= room_right or room_right >= room_left
        room = room_right if on_right else room_left
        wrap = 0.0  # a single line, as wide as it is
        if width > room:
            wrap = max(room, LABEL_MIN)
            _, height = text_size(text, LABEL_PX, width=wrap)
        used = wrap or width
        left = x + LABEL_PAD if on_right else x - LABEL_PAD - used
        top = (gap.top + gap.bottom - height) / 2
        return Label(text, QRectF(left, top, wrap, height), LABEL_PX, False, "text")

    # --- states --------------------------------------------------------------------------

    def _states(self) -> dict[str, tuple[State, QRectF]]:
        """An outline for each mark.  Around a stack or an instance it stands off, and
        neighbours in the same state share one (two new pods side by side are new together);
        around an instance's marked layers it hugs them, one per instance (each VM's guest
        OS patched on its own)."""
        outer: list[tuple[State, QRectF]] = []
        inner: dict[str, tuple[State, QRectF]] = {}
        for name, state in self.built.states.items():
            stack = self.stack_of_name.get(name)
            if stack is not None:
                keys = [la.key for la in stack.layers if name in (stack.prefix, la.instance)]
                rect = _union([self.layers[k] for k in keys])
                outer.append((state, rect.adjusted(-STATE_PAD, -STATE_PAD, STATE_PAD, STATE_PAD)))
                continue
            layer = next(la for st in self.built.stacks for la in st.layers if la.key == name)
            key = f"{state.value}:{layer.instance}"
            rect = self.layers[name].adjusted(-1, -1, 1, 1)
            if key in inner:
                rect = rect.united(inner[key][1])
            inner[key] = (state, rect)
        merged: list[tuple[State, QRectF]] = []
        for state, rect in outer:
            for i, (other_state, other) in enumerate(merged):
                if other_state is state and other.intersects(rect):
                    merged[i] = (state, other.united(rect))
                    break
            else:
                merged.append((state, rect))
        out = {f"{state.value}:{i}": (state, rect) for i, (state, rect) in enumerate(merged)}
        return out | inner


def banded(built: Diagram) -> Layout:
    """Lay out a diagram with bands: a row's diagram, its worlds in bands of their own."""
    return _Banded(built).layout()


# --- helpers -----------------------------------------------------------------------------


def _key(built: Diagram) -> str:
    """What the diagram's outlines mean, those it has: "Outlines: green, new here; ..."."""
    states = set(built.states.values())
    meanings = [meaning for state, meaning in _MEANING.items() if state in states]
    return f"Outlines: {'; '.join(meanings)}." if meanings else ""


def _union(rects: list[QRectF]) -> QRectF:
    out = QRectF(rects[0])
    for rect in rects[1:]:
        out = out.united(rect)
    return out


def _spans(stacks: list[Stack], xs: list[float]) -> dict[str, tuple[float, float]]:
    """Each stack's and instance's horizontal extent, with the stacks at ``xs``: a stack's
    is its instances' (what a part near it serves), or its own without instances."""
    spans: dict[str, tuple[float, float]] = {}
    for stack, x in zip(stacks, xs, strict=True):
        for name in stack.instances:
            own = [la for la in stack.layers if la.instance == name]
            lo = min(la.col for la in own)
            hi = max(la.col + la.span for la in own)
            spans[name] = (x + lo * COLUMN, x + hi * COLUMN)
        inner = [spans[name] for name in stack.instances] or [(x, x + stack.columns * COLUMN)]
        spans[stack.prefix] = (min(lo for lo, _ in inner), max(hi for _, hi in inner))
    return spans


def _lane_span(spans: dict[str, tuple[float, float]], a: str, b: str) -> tuple[float, float]:
    centres = [(lo + hi) / 2 for lo, hi in (spans[a], spans[b])]
    return min(centres), max(centres)


def _bracket(left: float, right: float, edge: float, out: float) -> tuple[QPointF, ...]:
    """A bracket over a group: ticks at ``edge``, its bar at ``out``."""
    return (QPointF(left, edge), QPointF(left, out), QPointF(right, out), QPointF(right, edge))


def _side_by_side(source: _End, target: _End) -> FlowShape:
    """Between two parts of a row: across, at the middle of the shorter."""
    y = (max(source.top, target.top) + min(source.bottom, target.bottom)) / 2
    if source.right <= target.left:
        return FlowShape((QPointF(source.right, y), QPointF(target.left, y)))
    return FlowShape((QPointF(source.left, y), QPointF(target.right, y)))
