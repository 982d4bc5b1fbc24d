"""The racks' heads of one world at scale: "Rack 12", its counts, its zone's state.

At scale (``vmc_gui.ui.scenes.scale_layout``) a rack is a column a few dozen pixels wide on
screen, whatever the zoom the scene is drawn at.  Its head is painted at screen size (11 px,
the legibility floor) inside a band above the rack's cards: each line takes the longest of
its wordings that fits the column ("38 ready · 2 booting", else "38 ready"), and a line that
fits in none is left out; the tooltip always has every line in full.  One item paints every
rack of a world: a frame repaints a few strings, not a hundred items.

Clicking a rack's head asks the scene to zoom to that rack (``on_click``): the item does not
reach the view itself.  A right-click is the view's (its menu fails or restores the rack's
switch); the tooltip says so (``hint``).

A head changes when its rack's counts, zone or switch do: the heads are kept as one picture
between frames, and only the heads that changed are drawn again in it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPixmap, QTransform
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from vmc_gui.ui.fonts import static_text, ui_font
from vmc_gui.ui.scenes.scale_layout import HEAD_LINE_PX
from vmc_gui.ui.theme import LIGHT, Theme

#: The text's size on screen: the legibility floor.
TEXT_PX = 11
#: The largest picture of the heads kept between frames (device pixels): fitted, a strip
#: of a few hundred thousand; zoomed far in, the heads are painted as they are shown.
CACHE_MAX_PIXELS = 4_000_000
#: A line's wordings, longest first, and its theme role ("text", "muted", "alarm", ...).
Line = tuple[tuple[str, ...], str]
#: Every how many racks a name is written where a rack is too narrow for its own ("R1",
#: "R11", "R21"...: a hundred racks across a window read as an axis).
STRIDES = (2, 5, 10, 20, 25, 50, 100)


class RackHeadsItem(QGraphicsItem):
    """Each rack's head, painted at screen size over the band ``rects`` give (scene units)."""

    def __init__(self, rects: Sequence[QRectF], theme: Theme = LIGHT) -> None:
        super().__init__()
        self._rects = [QRectF(r) for r in rects]
        self._bounds = QRectF()
        for rect in self._rects:
            self._bounds = self._bounds.united(rect)
        self._theme = theme
        #: Per rack, its lines; and what each role is drawn in.
        self._lines: list[list[Line]] = [[] for _ in self._rects]
        self.colour_of: Callable[[str], QColor] = lambda role: theme.text
        #: Called with a rack's index (0-based) when its head is clicked.
        self.on_click: Callable[[int], None] | None = None
        #: What the tooltip says a click (or a right-click) does.
        self.hint = "Click to zoom in"
        #: The heads as last drawn, by (zoom, lines' version); bumped when the lines change.
        self._cache: tuple[tuple[float, float, float, int, int], QPixmap] | None = None
        self._version = 0
        #: Racks whose heads changed since the picture was drawn (redrawn in it alone).
        self._stale: set[int] = set()
        #: The widest rack name at its shortest ("R100"), once the racks have lines; and
        #: the form of the names every rack's fits, by column width (see _named).
        self._widest_name: float | None = None
        self._forms: dict[float, int] = {}
        self.setAcceptHoverEvents(True)
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._version += 1  # its colours are the theme's
        self.update()

    def set_lines(self, lines: list[list[Line]]) -> None:
        """Every rack's lines (a repaint only where they changed)."""
        if lines != self._lines:
            if len(lines) == len(self._lines):
                # The picture is kept: only these racks' heads are drawn again in it.
                self._stale |= {
                    i for i, (a, b) in enumerate(zip(lines, self._lines, strict=True)) if a != b
                }
            else:
                self._version += 1
            if not self._lines or not self._lines[0]:
                self._widest_name = None  # the names come with the first lines
                self._forms = {}
            self._lines = lines
            self.update()

    def head_rect(self, rack: int) -> QRectF:
        """Rack ``rack``'s head (0-based), in scene units."""
        return QRectF(self._rects[rack])

    def lines(self, rack: int) -> list[Line]:
        return list(self._lines[rack])

    def rack_at(self, point: QPointF) -> int:
        """The rack whose head is at ``point`` (scene units), or -1."""
        for i, rect in enumerate(self._rects):
            if rect.contains(point):
                return i
        return -1

    def tooltip(self, rack: int) -> str:
        """Every line of ``rack``'s head in full, and what a click does (``hint``)."""
        words = [wordings[0] for wordings, _ in self._lines[rack] if wordings]
        return "<br>".join([f"<b>{words[0]}</b>", *words[1:]]) + f"<br><i>{self.hint}</i>"

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        rack = self.rack_at(event.pos())
        self.setToolTip(self.tooltip(rack) if rack >= 0 and self._lines[rack] else "")
        super().hoverMoveEvent(event)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        # Taken here, so that a click on a head does not start the view's pan.
        event.accept()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        rack = self.rack_at(event.pos())
        if rack >= 0 and self.on_click is not None:
            self.on_click(rack)
        event.accept()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        transform = painter.worldTransform()
        exposed = option.exposedRect  # type: ignore[attr-defined]
        painter.save()
        # Text at screen size: the rectangles are mapped to the device, and drawn there.
        painter.setWorldTransform(QTransform())
        whole = transform.mapRect(self._bounds)
        if whole.width() * whole.height() <= CACHE_MAX_PIXELS:
            # Fitted, the heads are a strip a few dozen pixels tall that changes a few times a
            # run: drawn once into a picture at this zoom, and blitted every frame after.
            device = painter.device()
            ratio = device.devicePixelRatioF() if device is not None else 1.0
            picture = self._picture(transform, whole, ratio)
            painter.drawPixmap(QPointF(round(whole.left()), round(whole.top())), picture)
        else:
            self._paint_heads(painter, transform, exposed)
        painter.restore()

    def _picture(self, transform: QTransform, whole: QRectF, ratio: float) -> QPixmap:
        """The heads drawn at ``transform``'s scale and the screen's pixel ratio (crisp on a
        high-density screen), kept until the lines, the zoom or the ratio change."""
        # The stride too: a picture drawn before the racks had names has none to keep.
        key = (
            round(transform.m11(), 9),
            round(transform.m22(), 9),
            ratio,
            self._version,
            self._stride(transform),
        )
        if self._cache is not None and self._cache[0] == key and self._stale:
            # Some racks' counts changed: clear their heads, draw them again.
            picture = self._cache[1]
            inner = QPainter(picture)
            inner.setRenderHints(
                QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
            )
            shifted = transform * QTransform.fromTranslate(
                -round(whole.left()), -round(whole.top())
            )
            colours: dict[str, QColor] = {}
            if self._stride(shifted) > 1:
                self._stale = set()  # only the racks' numbers show: nothing changed in them
            for rack in sorted(self._stale):
                device = shifted.mapRect(self._rects[rack])
                inner.setCompositionMode(QPainter.CompositionMode.CompositionMode_Clear)
                inner.fillRect(device, Qt.GlobalColor.transparent)
                inner.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
                if self._lines[rack]:
                    lines = self._named(self._lines[rack], device.width() - 4)
                    self._paint_head(inner, device, lines, colours)
            inner.end()
            self._stale = set()
        if self._cache is None or self._cache[0] != key:
            picture = QPixmap(
                math.ceil((whole.width() + 2) * ratio), math.ceil((whole.height() + 2) * ratio)
            )
            picture.setDevicePixelRatio(ratio)
            picture.fill(Qt.GlobalColor.transparent)
            inner = QPainter(picture)
            inner.setRenderHints(
                QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
            )
            # The same mapping, moved so that the heads' top left is the picture's.
            shifted = transform * QTransform.fromTranslate(
                -round(whole.left()), -round(whole.top())
            )
            self._paint_heads(inner, shifted, self._bounds)
            inner.end()
            self._cache = (key, picture)
            self._stale = set()
        return self._cache[1]

    def _stride(self, transform: QTransform) -> int:
        """1 where every rack's name fits its column at ``transform`` (at its shortest,
        "R12"); else every how many racks one is named (the counts are in the tooltips, and
        the cells show the state)."""
        if len(self._rects) < 2 or not self._lines[0]:
            return 1
        if self._widest_name is None:
            metrics = QFontMetricsF(ui_font(TEXT_PX, bold=True))
            self._widest_name = max(
                metrics.horizontalAdvance(lines[0][0][-1]) for lines in self._lines if lines
            )
        if transform.mapRect(self._rects[0]).width() - 4 >= self._widest_name:
            return 1
        pitch = (
            transform.map(self._rects[1].topLeft()).x()
            - transform.map(self._rects[0].topLeft()).x()
        )
        return next((k for k in STRIDES if k * pitch - 4 >= self._widest_name), STRIDES[-1])

    def _paint_heads(self, painter: QPainter, transform: QTransform, exposed: QRectF) -> None:
        stride = self._stride(transform)
        if stride > 1:
            self._paint_numbers(painter, transform, stride)
            return
        colours: dict[str, QColor] = {}
        for rect, lines in zip(self._rects, self._lines, strict=True):
            if not lines or not rect.intersects(exposed):
                continue
            device = transform.mapRect(rect)
            self._paint_head(painter, device, self._named(lines, device.width() - 4), colours)

    def _paint_numbers(self, painter: QPainter, transform: QTransform, stride: int) -> None:
        """Every ``stride``-th rack's name ("R1", "R11", ...) at the band's foot."""
        painter.setFont(ui_font(TEXT_PX, bold=True))
        painter.setPen(self.colour_of("muted"))
        for rack in range(0, len(self._rects), stride):
            device = transform.mapRect(self._rects[rack])
            text = static_text(f"R{rack + 1}", TEXT_PX, True)
            top = device.bottom() - HEAD_LINE_PX - 2 + (HEAD_LINE_PX - text.size().height()) / 2
            painter.drawStaticText(QPointF(device.left() + 2, max(device.top(), top)), text)

    def _named(self, lines: list[Line], width: float) -> list[Line]:
        """``lines`` with the rack's name in the form every rack's fits ``width`` in: "Rack
        9" beside "Rack 10", or "R9" beside "R10", never one of each."""
        if not lines:
            return lines
        key = round(width, 1)
        if key not in self._forms:
            names = [rack[0][0] for rack in self._lines if rack]
            self._forms[key] = next(
                (
                    form
                    for form in range(len(lines[0][0]))
                    if all(
                        _fitting((name[min(form, len(name) - 1)],), width, TEXT_PX, True)
                        is not None
                        for name in names
                    )
                ),
                0,
            )
        form = self._forms[key]
        return [(lines[0][0][form:], lines[0][1]), *lines[1:]]

    def _paint_head(
        self, painter: QPainter, device: QRectF, lines: list[Line], colours: dict[str, QColor]
    ) -> None:
        # The band was made for HEAD_LINE_PX lines at the zoom that fits; zoomed in, it is
        # taller on screen, and the text stays at the floor (the cards below grow instead).
        line_px = HEAD_LINE_PX
        size = TEXT_PX
        width = device.width() - 4
        # Zoomed in, the band is taller than its lines: they sit at its foot, over the
        # rack's cards they count.
        y = max(device.top(), device.bottom() - len(lines) * line_px - 2)
        for index, (wordings, role) in enumerate(lines):
            if y + line_px > device.bottom() + 0.5:
                break  # the band holds no more lines: the tooltip has them
            bold = index == 0
            fitting = _fitting(wordings, width, size, bold)
            if fitting is not None:
                if role not in colours:
                    colours[role] = self.colour_of(role)
                painter.setFont(ui_font(size, bold=bold))
                painter.setPen(colours[role])
                # Laid out once and kept: the same few hundred strings every frame.
                text = static_text(fitting, size, bold)
                top = y + (line_px - text.size().height()) / 2
                painter.drawStaticText(QPointF(device.left() + 2, top), text)
            y += line_px


#: The wording that fits, by (wordings, width, size, bold): the heads repaint often, their
#: words and columns rarely change.
_FITTED: dict[tuple[tuple[str, ...], float, int, bool], str | None] = {}


def _fitting(wordings: tuple[str, ...], width: float, size: int, bold: bool) -> str | None:
    """The longest of ``wordings`` that fits ``width`` pixels in the font, or None."""
    key = (wordings, round(width, 1), size, bold)
    if key not in _FITTED:
        if len(_FITTED) > 20_000:
            _FITTED.clear()  # a long session's zooms: start again rather than grow
        metrics = QFontMetricsF(ui_font(size, bold=bold))
        _FITTED[key] = next((w for w in wordings if metrics.horizontalAdvance(w) <= width), None)
    return _FITTED[key]
