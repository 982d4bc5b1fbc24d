"""One chart drawn with pyqtgraph, following the playback clock.

The curves are made once per chart layout and given new data with ``setData`` when the
timeline changes (an injected failure): a tick only moves the cursor and the cover over what
has not happened yet.  Clicking a panel asks to seek there; hovering shows the values then.

The markers' and levels' labels are placed in pixels (:mod:`.label_layout`) once the plots
have their size, again when a plot is resized or its range changes, and when a label is shown
or hidden: none overlaps another or runs past its plot, and one with no room is listed in the
panel's legend instead (each line's tooltip has its full text).

Before and after: a *ghost* (:meth:`ChartView.set_ghost`, the same chart of the run before
the last change) is drawn in the same colours, faded and dashed, and whole: it is a finished
run, so the cover over what has not happened yet in the run now does not hide it.  Each
panel's legend says "before" beside its look; its markers and levels that differ from the
run now's are labelled "before: …" and placed with the others.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import QWidget

from vmc_gui.model.scenario import World
from vmc_gui.report import duration
from vmc_gui.sim.chart_metrics import SHORT, Chart, Curve, Panel
from vmc_gui.ui.charts.label_layout import Box, Label, place
from vmc_gui.ui.fonts import ui_font
from vmc_gui.ui.theme import LIGHT, Theme, mixed

#: What the chart does with the part of the run that has not happened yet.
FUTURE_MODES = ("dim", "hide")
#: Panels side by side before a new row starts.
COLUMNS = 2
#: The readout's size in pixels (its text is measured to fit on one line).
_READOUT_PX = 12
#: The markers' labels and the legends, in pixels: over the app's legibility floor (11 px).
LABEL_PX = 12
#: The most curves a panel lists in its legend: more (a world's hosts, or its racks) get
#: none, and the readout names the busiest; a legend never lists a whole cluster.
LEGEND_MAX = 8
#: A marker still to come, in the "dim" mode.
_DIMMED = 0.35
#: The ghost's lines: their colour's opacity (of 255), and their depth: over the cover of
#: what has not happened yet (20), under the marker lines (25) and the cursor (30).
GHOST_ALPHA = 105
GHOST_Z = 21
#: What the legend calls the ghost.
GHOST_NAME = "before"


class _LabelItem(pg.TextItem):
    """A marker's label, on a veil of the background: a line or a curve under it does not
    cross its words.  The veil is a plain rectangle (pyqtgraph's fill is an antialiased
    polygon: more to paint at each tick)."""

    def __init__(self, text: str, colour: QColor, veil: QColor) -> None:
        super().__init__(text, color=colour)
        self._veil = veil
        self.setFont(ui_font(LABEL_PX))
        self.textItem.document().setDocumentMargin(2)
        self.updateTextPos()

    def paint(self, painter: QPainter, *args: object) -> None:
        super().paint(painter, *args)
        painter.fillRect(self.textItem.mapRectToParent(self.textItem.boundingRect()), self._veil)


@dataclass
class _Tag:
    """What a marker or level line needs to place its label, or to list it in the legend."""

    text: _LabelItem
    #: The plot it is on (an index into the chart's plots).
    plot: int
    #: Where its line is: a time (upright) or a value (a level).
    value: float
    upright: bool
    name: str
    pen: QPen


class ChartView(pg.GraphicsLayoutWidget):
    """A :class:`Chart`'s panels, a cursor at the playback time, markers and a readout."""

    #: The user clicked a panel at this simulated time.
    seek_requested = Signal(float)

    def __init__(
        self, parent: QWidget | None = None, theme: Theme = LIGHT, *, compact: bool = False
    ) -> None:
        super().__init__(parent)
        self.setAcceptDrops(False)  # a file dropped on a chart goes to the window
        #: In a dock's strip: no title over the plot (its tab names it), the legend beside
        #: the plot rather than under it, the time axis unlabelled (its ticks are seconds).
        #: The height goes to the lines.  An exported chart is never compact.
        self.compact = compact
        self._theme = theme
        self._chart: Chart | None = None
        self._plots: list[pg.PlotItem] = []
        self._curves: list[tuple[pg.PlotDataItem, Curve]] = []
        #: The fills between a stacked panel's curves (its bands), each with its plot.
        self._fills: list[tuple[pg.PlotItem, pg.FillBetweenItem]] = []
        #: What each curve item plots: its values, or the running total in a stacked panel.
        self._drawn: list[npt.NDArray[np.float64]] = []
        self._cursors: list[pg.InfiniteLine] = []
        self._shades: list[pg.LinearRegionItem] = []
        self._marks: list[pg.InfiniteLine] = []
        self._readout: pg.LabelItem | None = None
        #: The band under the pointer, in a chart drawn by rack: the readout names it.
        self._pointed: Curve | None = None
        self._time = 0.0
        self._future = "dim"
        #: The moments each marker line stands for (hidden until then in the "hide" mode).
        self._mark_times: list[float] = []
        #: Each marker line's label, beside ``_marks``.
        self._tags: list[_Tag] = []
        #: Which marker lines the clock has reached (None: not worked out yet).
        self._reached: tuple[bool, ...] | None = None
        #: The labels with no room on their plot, and each one's entry in the legend.
        self._listed: dict[int, pg.PlotDataItem] = {}
        #: Each panel's legend (None: it has none yet), and its cell in the layout.
        self._legends: list[pg.LegendItem | None] = []
        self._legend_cells: list[tuple[int, int]] = []
        #: Each plot's lines as drawn (times, values): what a label keeps off where it can.
        self._lines: list[list[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]]] = []
        #: Labels are not placed while the chart is being built, nor while they are placed.
        self._hold = False
        #: The same chart of the run before the last change, its curve items (each with its
        #: plot), and each legend's "before" entry.
        self._ghost: Chart | None = None
        self._ghost_items: list[tuple[pg.PlotItem, pg.PlotDataItem]] = []
        self._ghost_entries: list[tuple[pg.LegendItem, pg.PlotDataItem]] = []
        self._set_background(theme)
        self.setAntialiasing(True)
        self.scene().sigMouseClicked.connect(self._clicked)
        self.scene().sigMouseMoved.connect(self._hovered)

    # --- what is shown -------------------------------------------------------------------

    def chart(self) -> Chart | None:
        return self._chart

    def set_chart(self, chart: Chart) -> None:
        """Show ``chart``; a chart of the same shape (the same curves) keeps every item and
        only hands the curves their new points."""
        old = self._chart
        same = old is not None and _shape(old) == _shape(chart)
        self._pointed = None  # a curve of the chart before
        # The same panels with other curves (a rack opened): the plots stay.
        restock = not same and old is not None and _panels(old) == _panels(chart)
        self._chart = chart
        self._hold = True
        try:
            if restock:
                self._restock(chart)
            elif not same:
                self._build(chart)
            else:
                items = [item for item, _ in self._curves]
                self._curves = list(zip(items, chart.curves(), strict=True))
                self._drawn = _drawn(chart)
                for (item, curve), values in zip(self._curves, self._drawn, strict=True):
                    item.setData(curve.times, values)
                for plot, panel in zip(self._plots, chart.panels, strict=True):
                    self._fit_times(plot, panel, chart)
                    self._fit_values(plot, panel)
                self._set_marks(chart)
            self._draw_ghost()
        finally:
            self._hold = False
        self.show_time(self._time)
        self.place_labels()

    def set_ghost(self, ghost: Chart | None, *, draw: bool = True) -> None:
        """Draw ``ghost`` (this chart's metric, of the run before the last change) faded
        beside the curves, or none.  ``draw=False`` only keeps it, for a :meth:`set_chart`
        that follows (which draws it)."""
        self._ghost = ghost
        chart = self._chart
        if not draw or chart is None:
            return
        self._hold = True
        try:
            for plot, panel in zip(self._plots, chart.panels, strict=True):
                self._fit_values(plot, panel)  # the ghost's highs and lows in view too
            self._set_marks(chart)
            self._draw_ghost()
        finally:
            self._hold = False
        self.show_time(self._time)
        self.place_labels()

    def ghost(self) -> Chart | None:
        return self._ghost

    def ghost_items(self) -> list[pg.PlotDataItem]:
        """The ghost's curves as drawn, one per curve of the ghost's matching panels."""
        return [item for _, item in self._ghost_items]

    def legend_names(self) -> list[str]:
        """Every name in the panels' legends, in order (curves, "before", listed labels)."""
        names = []
        for legend in self._legends:
            if legend is not None:
                names += [label.text for _, label in legend.items]
        return names

    def _ghost_panel(self, panel: Panel) -> Panel | None:
        """The ghost's panel that matches ``panel`` (by its title)."""
        if self._ghost is None:
            return None
        return next((g for g in self._ghost.panels if g.title == panel.title), None)

    def _draw_ghost(self) -> None:
        """The ghost's curves, each in its world's colour as the run now draws it, faded and
        dashed; of a stacked panel (a world's hosts), only the top: the world's total, a line
        (a dashed line per host would bury the bands).  Also what a label keeps off."""
        for plot, item in self._ghost_items:
            plot.removeItem(item)
        for legend, sample in self._ghost_entries:
            legend.removeItem(sample)
        self._ghost_items, self._ghost_entries = [], []
        chart = self._chart
        if chart is None:
            return
        self._lines = _lines(chart, self._drawn)
        for p, (plot, panel) in enumerate(zip(self._plots, chart.panels, strict=True)):
            old = self._ghost_panel(panel)
            if old is None or not old.curves:
                continue
            drawn = list(zip(old.curves, _panel_drawn(old), strict=True))
            for curve, values in drawn[-1:] if old.stacked else drawn:
                pen = self._ghost_pen(curve, old)
                item = pg.PlotDataItem(curve.times, values, pen=pen, antialias=curve.sloped)
                item.setZValue(GHOST_Z)
                plot.addItem(item)
                # As the run now's curves (set once in its plot: they ask their view box).
                item.setClipToView(True)
                item.setDownsampling(auto=True, method="peak")
                self._ghost_items.append((plot, item))
                self._lines[p].append((curve.times, values))
            sample = pg.PlotDataItem(pen=self._ghost_sample_pen())  # never drawn
            legend = self._legend(p)
            legend.addItem(sample, GHOST_NAME)
            self._ghost_entries.append((legend, sample))

    def _ghost_pen(self, curve: Curve, panel: Panel) -> QPen:
        """The run now's pen for ``curve``, faded; solid lines dashed, dashed ones dotted.
        A stacked panel's total is in the world's own colour."""
        pen = self._pen(curve, panel)
        colour = QColor(self._theme.world(curve.world.value) if panel.stacked else pen.color())
        colour.setAlpha(GHOST_ALPHA)
        style = Qt.PenStyle.DotLine if curve.dashed else Qt.PenStyle.DashLine
        return pg.mkPen(colour, width=max(2.0, pen.widthF()), style=style)

    def _ghost_sample_pen(self) -> QPen:
        """The legend's "before": the ghost's look, in the text's quieter colour."""
        return pg.mkPen(self._theme.muted, width=2, style=Qt.PenStyle.DashLine)

    def set_future(self, mode: str) -> None:
        """``dim`` shades what has not happened yet; ``hide`` leaves it out."""
        if mode not in FUTURE_MODES:
            raise ValueError(f"future mode {mode!r}: one of {', '.join(FUTURE_MODES)}")
        self._future = mode
        # Dimmed, the future shows through a veil; hidden, an opaque cover: no curve is cut
        # and fed again as the clock runs (stacked bands would be worked out again each time).
        for shade in self._shades:
            shade.setBrush(_alpha(self._theme.background, 170 if mode == "dim" else 255))
        self._reached = None  # the markers to come change from dimmed to hidden, or back
        self.show_time(self._time)
        self.place_labels()  # dimmed, they take room; hidden, none

    def _set_background(self, theme: Theme) -> None:
        self.setBackground(theme.background)
        # Exports draw the scene, whose own background is what they fill with.
        self.scene().setBackgroundBrush(theme.background)

    def set_theme(self, theme: Theme) -> None:
        if theme is self._theme:
            return  # the same colours: nothing to build again
        self._theme = theme
        self._set_background(theme)
        if self._chart is not None:
            chart, self._chart = self._chart, None
            self.set_chart(chart)  # built again, in the new colours

    def curve_items(self) -> list[pg.PlotDataItem]:
        return [item for item, _ in self._curves]

    def plots(self) -> list[pg.PlotItem]:
        return list(self._plots)

    # --- the clock -----------------------------------------------------------------------

    def show_time(self, t: float) -> None:
        """Put the cursor at ``t``, and shade or hide what comes after it."""
        self._time = t
        chart = self._chart
        if chart is None:
            return
        for cursor in self._cursors:
            cursor.setValue(t)
        for shade in self._shades:
            shade.setRegion((t, chart.duration_s))
            shade.setVisible(t < chart.duration_s)
        # The markers change only as the clock passes one: a tick does nothing more to them.
        reached = tuple(at <= t for at in self._mark_times)
        if reached != self._reached:
            self._reached = reached
            hide = self._future == "hide"
            for mark, tag, done in zip(self._marks, self._tags, reached, strict=True):
                mark.setVisible(done or not hide)
                mark.setOpacity(1.0 if done else _DIMMED)
                tag.text.setOpacity(1.0 if done else _DIMMED)
            if hide:
                self.place_labels()  # the hidden take no room
        self._update_readout(t)

    def readout(self) -> str:
        """The values the readout shows (plain text)."""
        if self._readout is None:
            return ""
        return html.unescape(str(self._readout.text).replace("&nbsp;", " "))

    # --- the labels ----------------------------------------------------------------------

    def place_labels(self) -> None:
        """Put each shown marker's and level's label where it overlaps no other label and
        lies inside its plot, in pixels: beside its line at the highest free height, or on
        the line's other side; a label with no room goes to its panel's legend.  Called when
        the plots have their size, and again when they are resized, their range changes, or a
        marker is shown or hidden."""
        if self._hold or self._chart is None or getattr(self, "closed", False):
            return  # being built, being placed, or closed (its items are gone)
        self._hold = True
        try:
            # A label listed in the legend makes the legend larger and the plot smaller: place
            # again in the new size, keeping what did not fit listed, until nothing changes.
            keep: set[int] = set()
            for _ in range(len(self._tags) + 1):
                listed = self._place(keep)
                if listed == set(self._listed):
                    break
                self._list(listed)
                self.ci.layout.activate()  # the plots' new sizes, now
                keep = listed
        finally:
            self._hold = False

    def label_rects(self) -> list[tuple[str, QRectF, QRectF]]:
        """Each label shown on a plot: its text, where it is in the scene, and where its
        plot's view box is."""
        return [
            (tag.name, tag.text.sceneBoundingRect(), self._plots[tag.plot].vb.sceneBoundingRect())
            for tag in self._tags
            if tag.text.isVisible()
        ]

    def listed_labels(self) -> list[str]:
        """The labels with no room on their plot: their panel's legend lists them."""
        return [self._tags[i].name for i in sorted(self._listed)]

    def _place(self, keep: set[int]) -> set[int]:
        """Place the labels; those with no room (and ``keep``) are hidden and returned."""
        shown = self._reached or ()
        hide = self._future == "hide"
        listed: set[int] = set()
        for p, plot in enumerate(self._plots):
            vb = plot.vb
            rect = vb.sceneBoundingRect()
            bounds = Box(rect.left(), rect.top(), rect.width(), rect.height())
            mine = [i for i, tag in enumerate(self._tags) if tag.plot == p]
            if bounds.width < 2 * LABEL_PX or bounds.height < 2 * LABEL_PX:
                for i in mine:  # not laid out yet: placed once it is
                    self._tags[i].text.setVisible(False)
                continue
            # The earliest moment first: a label that appears as the clock runs never moves
            # one already shown.
            order = sorted(mine, key=lambda i: (self._mark_times[i], i))
            wanted: list[int] = []
            labels: list[Label] = []
            for i in order:
                tag = self._tags[i]
                at = self._at(vb, tag)
                low, high = (
                    (rect.left(), rect.right()) if tag.upright else (rect.top(), rect.bottom())
                )
                inside = low <= at <= high
                if (hide and i < len(shown) and not shown[i]) or not inside:
                    tag.text.setVisible(False)  # not on show: it takes no room
                elif i in keep:
                    tag.text.setVisible(False)
                    listed.add(i)
                else:
                    size = tag.text.textItem.boundingRect()
                    wanted.append(i)
                    labels.append(Label(at, size.width(), size.height(), tag.upright))
            boxes = place(labels, bounds, crowded=self._crowding(p, vb))
            for i, box in zip(wanted, boxes, strict=True):
                text = self._tags[i].text
                if box is None:
                    text.setVisible(False)
                    listed.add(i)
                    continue
                text.setPos(vb.mapSceneToView(QPointF(box.left, box.top)))
                text.setVisible(True)
                text.updateTransform(force=True)  # its size in pixels, in the plot's scale
        return listed

    @staticmethod
    def _at(vb: pg.ViewBox, tag: _Tag) -> float:
        """Where a tag's line is in the scene: its x (upright) or its y (a level)."""
        if tag.upright:
            return float(vb.mapViewToScene(QPointF(tag.value, 0.0)).x())
        return float(vb.mapViewToScene(QPointF(0.0, tag.value)).y())

    def _crowding(self, p: int, vb: pg.ViewBox) -> Callable[[Box], bool]:
        """Whether a box in the scene would cover one of plot ``p``'s lines."""
        lines = self._lines[p] if p < len(self._lines) else []
        spans: dict[tuple[float, float], list[tuple[float, float]]] = {}

        def crowded(box: Box) -> bool:
            top_left = vb.mapSceneToView(QPointF(box.left, box.top))
            bottom_right = vb.mapSceneToView(QPointF(box.right, box.bottom))
            t0, t1 = float(top_left.x()), float(bottom_right.x())
            low, high = float(bottom_right.y()), float(top_left.y())
            key = (t0, t1)
            if key not in spans:  # each line's lowest and highest point under the box
                spans[key] = [_extent(times, values, t0, t1) for times, values in lines]
            return any(lo <= high and hi >= low for lo, hi in spans[key])

        return crowded

    def _list(self, listed: set[int]) -> None:
        """List in the legends exactly the labels ``listed``, in the order of their moments,
        each beside its line's look."""
        for i, sample in self._listed.items():
            legend = self._legends[self._tags[i].plot]
            if legend is not None:
                legend.removeItem(sample)
        self._listed = {}
        for i in sorted(listed, key=lambda i: (self._mark_times[i], i)):
            tag = self._tags[i]
            sample = pg.PlotDataItem(pen=tag.pen)  # never drawn: the legend copies its look
            self._legend(tag.plot).addItem(sample, tag.name)
            self._listed[i] = sample

    def _legend(self, p: int) -> pg.LegendItem:
        """Panel ``p``'s legend; made for a panel without one (a world's many hosts)."""
        legend = self._legends[p]
        if legend is None:
            legend = self._new_legend(1)
            row, col = self._legend_cells[p]
            self.addItem(legend, row=row, col=col)
            self._legends[p] = legend
        return legend

    def _new_legend(self, columns: int) -> pg.LegendItem:
        return pg.LegendItem(
            colCount=columns, labelTextColor=self._theme.text, labelTextSize=f"{LABEL_PX}px"
        )

    def _on_view_changed(self, *_: object) -> None:
        self.place_labels()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # pyqtgraph resizes the view while it is being built, and as it closes (its items
        # are gone by then).
        if hasattr(self, "_chart") and not getattr(self, "closed", False):
            self._update_readout(self._time)  # cut to the new width

    # --- building ------------------------------------------------------------------------

    def _build(self, chart: Chart) -> None:
        self.clear()
        self._plots, self._curves, self._cursors, self._shades, self._marks = [], [], [], [], []
        self._mark_times, self._tags, self._reached, self._listed = [], [], None, {}
        self._legends, self._legend_cells = [], []
        self._ghost_items, self._ghost_entries = [], []  # cleared with the plots
        self._fills = []
        self._drawn = _drawn(chart)
        drawn = iter(self._drawn)
        theme = self._theme
        span = 2 if self.compact else 1  # a compact panel's legend takes a column beside it
        self._readout = self.addLabel("", row=0, col=0, colspan=COLUMNS * span, justify="left")
        self._readout.item.setFont(ui_font(_READOUT_PX))
        self._readout.setAttr("color", theme.muted.name())
        for i, panel in enumerate(chart.panels):
            row, col = 1 + 2 * (i // COLUMNS), (i % COLUMNS) * span
            plot = self.addPlot(row=row, col=col)
            self._style_plot(plot, panel)
            self._plots.append(plot)
            # A legend made later (for a label with no room on the plot) goes under its
            # panel too, or beside it in a compact chart.
            cell = (row, col + 1) if self.compact else (row + 1, col)
            self._legend_cells.append(cell)
            self._legends.append(self._add_curves(plot, panel, drawn, cell))
            shade = pg.LinearRegionItem(
                (0.0, chart.duration_s),
                brush=_alpha(theme.background, 170 if self._future == "dim" else 255),
                pen=pg.mkPen(None),
                movable=False,
            )
            shade.setZValue(20)
            plot.addItem(shade, ignoreBounds=True)
            self._shades.append(shade)
            cursor = pg.InfiniteLine(0.0, angle=90, pen=pg.mkPen(theme.text, width=1.5))
            cursor.setZValue(30)
            plot.addItem(cursor, ignoreBounds=True)
            self._cursors.append(cursor)
            self._fit_times(plot, panel, chart)
            self._fit_values(plot, panel)
        if len(chart.panels) > 1:
            for plot in self._plots[1:]:
                plot.setXLink(self._plots[0])
        self._set_marks(chart)
        for plot in self._plots:
            # The labels are placed in pixels: again at each new size or range.
            plot.vb.sigResized.connect(self._on_view_changed)
            plot.vb.sigRangeChanged.connect(self._on_view_changed)

    def _add_curves(
        self,
        plot: pg.PlotItem,
        panel: Panel,
        drawn: Iterator[npt.NDArray[np.float64]],
        cell: tuple[int, int],
    ) -> pg.LegendItem | None:
        """``panel``'s curves on ``plot`` (bands, in a stacked panel), each plotting the next
        of ``drawn``; and its legend in ``cell``, if it has one."""
        # The legend goes under its panel, not over the lines; a world's many hosts (or
        # racks) get none (the readout names the busiest).
        legend = None
        if len(panel.curves) <= LEGEND_MAX:
            legend = self._new_legend(1 if self.compact else min(3, len(panel.curves)))
            self.addItem(legend, row=cell[0], col=cell[1])
        below: pg.PlotDataItem | None = None
        for curve in panel.curves:
            # Steps are level and upright lines: antialiasing would only blur them, and
            # Qt's antialiased wide lines cost several times as much.
            pen = self._pen(curve, panel)
            item = plot.plot(curve.times, next(drawn), pen=pen, antialias=curve.sloped)
            # Long runs: draw only what is in view, thinned to the pixels it covers.
            item.setClipToView(True)
            item.setDownsampling(auto=True, method="peak")
            if panel.stacked:
                # Each host a band on the one below: the cluster's total, and its parts;
                # a failed host's band closes up.  Opaque tints: cheaper to fill.
                brush = mixed(pen.color(), self._theme.background, 0.3)
                if below is None:
                    item.setFillLevel(0.0)
                    item.setBrush(brush)
                else:
                    fill = pg.FillBetweenItem(below, item, brush=brush)
                    plot.addItem(fill)
                    self._fills.append((plot, fill))
                below = item
            if legend is not None:
                legend.addItem(item, curve.name)
            self._curves.append((item, curve))
        return legend

    def _restock(self, chart: Chart) -> None:
        """``chart`` on the plots there are, whose panels are the same but whose curves are
        not (a rack opened, or all racks again): the plots, cursors and covers stay (a plot
        made again leaks its menu); the curves, bands and legends are made again."""
        for plot, ghost in self._ghost_items:
            plot.removeItem(ghost)
        for legend, sample in self._ghost_entries:
            legend.removeItem(sample)
        self._ghost_items, self._ghost_entries = [], []
        self._list(set())  # the listed labels leave the legends, which go next
        items = {id(item) for item, _ in self._curves}
        for plot in self._plots:
            for item in [i for i in plot.dataItems if id(i) in items]:
                plot.removeItem(item)
        for plot, fill in self._fills:
            plot.removeItem(fill)
        for legend in self._legends:
            if legend is not None:
                self.removeItem(legend)
        self._curves, self._fills = [], []
        self._drawn = _drawn(chart)
        drawn = iter(self._drawn)
        self._legends = []
        for plot, panel, cell in zip(self._plots, chart.panels, self._legend_cells, strict=True):
            self._style_titles(plot, panel)
            self._legends.append(self._add_curves(plot, panel, drawn, cell))
            self._fit_times(plot, panel, chart)
            self._fit_values(plot, panel)
        self._set_marks(chart)

    def _fit_times(self, plot: pg.PlotItem, panel: Panel, chart: Chart) -> None:
        start, end = panel.time_range or (0.0, chart.duration_s)
        plot.setXRange(start, end, padding=0.01)

    def _fit_values(self, plot: pg.PlotItem, panel: Panel) -> None:
        """The value axis spans the whole run's values, fixed: hiding what has not happened
        yet, or a tick, never rescales it."""
        if panel.value_range is not None:
            low, high = panel.value_range
            padding = 0.0
        else:
            values = []
            for shown in (panel, self._ghost_panel(panel)):
                if shown is None or not shown.curves:
                    continue
                curves = shown.curves
                tops = np.sum([c.values for c in curves], axis=0) if shown.stacked else None
                values += [c.values[np.isfinite(c.values)] for c in curves]
                if tops is not None:
                    values.append(tops[np.isfinite(tops)])
            values = [v for v in values if len(v)]
            low = min((float(v.min()) for v in values), default=0.0)
            high = max((float(v.max()) for v in values), default=1.0)
            low, high = min(low, 0.0), max(high, low + 1.0)
            padding = 0.05
        plot.enableAutoRange(axis="y", enable=False)
        plot.setYRange(low, high, padding=padding)

    def _style_titles(self, plot: pg.PlotItem, panel: Panel) -> None:
        """The panel's title (over it, unless compact) and its value axis's unit."""
        theme = self._theme
        if not self.compact:
            plot.setTitle(panel.title, color=theme.text.name(), size="11pt")
        plot.setLabel("left", panel.unit, color=theme.muted.name())

    def _style_plot(self, plot: pg.PlotItem, panel: Panel) -> None:
        theme = self._theme
        self._style_titles(plot, panel)
        if not self.compact:
            plot.setLabel("bottom", "simulated time", units="s", color=theme.muted.name())
        font = ui_font(11)
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            axis.setPen(pg.mkPen(theme.muted))
            axis.setTextPen(pg.mkPen(theme.muted))
            axis.setTickFont(font)
            axis.enableAutoSIPrefix(False)  # seconds stay seconds, not kiloseconds
        plot.showGrid(x=True, y=True, alpha=0.12)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=False, y=False)  # a click seeks; the axes stay put

    def _pen(self, curve: Curve, panel: Panel) -> QPen:
        colour = QColor(self._theme.world(curve.world.value))
        # Several solid lines of one world (its hosts, its migrating VMs): shades of its
        # colour; a dashed line is the same quantity's companion, in the same shade.
        siblings = sum(1 for c in panel.curves if c.world == curve.world and not c.dashed)
        if siblings > 1 and curve.shade % 2:
            colour = colour.darker(150)  # neighbours alternate: each band stands apart
        style = Qt.PenStyle.DashLine if curve.dashed else Qt.PenStyle.SolidLine
        return pg.mkPen(colour, width=2 if siblings <= 2 else 1, style=style)

    def _set_marks(self, chart: Chart) -> None:
        for plot, mark in self._marks_on():
            plot.removeItem(mark)
        for tag in self._tags:
            self._plots[tag.plot].removeItem(tag.text)
        self._list(set())
        self._marks, self._mark_times, self._tags, self._reached = [], [], [], None
        theme = self._theme
        for p, panel in enumerate(chart.panels):
            worlds = list(dict.fromkeys(c.world for c in panel.curves))
            for marker in chart.markers:
                if marker.world is not None and marker.world not in worlds:
                    continue
                colour = (
                    theme.compromised if marker.world is None else theme.world(marker.world.value)
                )
                pen = pg.mkPen(colour, width=1.2, style=Qt.PenStyle.DashLine)
                tip = f"{marker.label} (at {duration(marker.at_s) if marker.at_s else '0 s'})"
                self._add_mark(p, marker.at_s, True, marker.label, pen, tip, marker.at_s)
            for level in panel.levels:
                colour = theme.world(level.world.value) if level.world else theme.muted
                pen = pg.mkPen(colour, width=1.0, style=Qt.PenStyle.DotLine)
                tip = f"{level.label} ({level.value:g} {panel.unit})"
                # A figure of the whole run: shown at the end.
                self._add_mark(p, level.value, False, level.label, pen, tip, chart.duration_s)
            self._ghost_marks(p, panel, worlds)

    def _ghost_marks(self, p: int, panel: Panel, worlds: list[World]) -> None:
        """The ghost's markers and levels on plot ``p`` that the run now does not have
        alike: faded lines, labelled "before: …" in the quieter text colour.  Shown from the
        start (the ghost is a finished run), so placed first: none moves as the clock runs."""
        chart, ghost = self._chart, self._ghost
        old = self._ghost_panel(panel)
        if chart is None or ghost is None or old is None:
            return
        theme = self._theme
        now = {(m.at_s, m.label, m.world) for m in chart.markers}
        for marker in ghost.markers:
            if (marker.at_s, marker.label, marker.world) in now:
                continue
            if marker.world is not None and marker.world not in worlds:
                continue
            colour = theme.compromised if marker.world is None else theme.world(marker.world.value)
            pen = pg.mkPen(_alpha(colour, GHOST_ALPHA), width=1.2, style=Qt.PenStyle.DashLine)
            when = duration(marker.at_s) if marker.at_s else "0 s"
            tip = f"Before your last change: {marker.label} (at {when})"
            name = f"{GHOST_NAME}: {marker.label}"
            self._add_mark(p, marker.at_s, True, name, pen, tip, 0.0, ghost=True)
        levels = {(level.value, level.label, level.world) for level in panel.levels}
        for level in old.levels:
            if (level.value, level.label, level.world) in levels:
                continue
            colour = theme.world(level.world.value) if level.world else theme.muted
            pen = pg.mkPen(_alpha(colour, GHOST_ALPHA), width=1.0, style=Qt.PenStyle.DotLine)
            tip = f"Before your last change: {level.label} ({level.value:g} {panel.unit})"
            name = f"{GHOST_NAME}: {level.label}"
            self._add_mark(p, level.value, False, name, pen, tip, 0.0, ghost=True)

    def _add_mark(
        self,
        p: int,
        value: float,
        upright: bool,
        name: str,
        pen: QPen,
        tip: str,
        at_s: float,
        *,
        ghost: bool = False,
    ) -> None:
        """A marker's (upright) or a level's line on plot ``p``, and its label, placed later
        (a ghost's in the quieter text colour: its line is faded, its words must not be)."""
        plot = self._plots[p]
        line = pg.InfiniteLine(value, angle=90 if upright else 0, pen=pen)
        line.setToolTip(tip)
        line.setZValue(25)
        plot.addItem(line, ignoreBounds=True)
        colour = self._theme.muted if ghost else pen.color()
        text = _LabelItem(name, colour, _alpha(self._theme.background, 210))
        text.setToolTip(tip)
        text.setZValue(26)
        text.setVisible(False)  # until it is placed
        plot.addItem(text, ignoreBounds=True)
        self._marks.append(line)
        self._mark_times.append(at_s)
        self._tags.append(_Tag(text, p, value, upright, name, pen))

    def _marks_on(self) -> list[tuple[pg.PlotItem, pg.InfiniteLine]]:
        found = []
        for mark in self._marks:
            for plot in self._plots:
                if mark in plot.items:
                    found.append((plot, mark))
        return found

    # --- the pointer ---------------------------------------------------------------------

    def _time_at(self, scene_pos: QPointF) -> float | None:
        for plot in self._plots:
            if plot.vb.sceneBoundingRect().contains(scene_pos):
                return float(plot.vb.mapSceneToView(scene_pos).x())
        return None

    def _clicked(self, event: object) -> None:
        chart = self._chart
        t = self._time_at(event.scenePos())  # type: ignore[attr-defined]
        if chart is not None and t is not None:
            self.seek_requested.emit(min(max(t, 0.0), chart.duration_s))

    def _hovered(self, pos: QPointF) -> None:
        t = self._time_at(pos)
        if t is None:
            t = self._time
        elif self._future == "hide":
            t = min(t, self._time)  # what is hidden is not read out either
        self._pointed = self._band_at(pos, t)
        self._update_readout(t)

    def _band_at(self, pos: QPointF, t: float) -> Curve | None:
        """The band under the pointer, in a chart drawn by rack (or a rack's hosts): with no
        legend to name two dozen bands, the readout names the one pointed at."""
        chart = self._chart
        if chart is None or not chart.racks:
            return None
        first = 0  # the panel's first curve, in the chart's curves
        for plot, panel in zip(self._plots, chart.panels, strict=True):
            if not plot.vb.sceneBoundingRect().contains(pos) or not panel.stacked:
                first += len(panel.curves)
                continue
            value = float(plot.vb.mapSceneToView(pos).y())
            below = 0.0
            for k, curve in enumerate(panel.curves):
                i = max(int(np.searchsorted(curve.times, t, side="right")) - 1, 0)
                top = float(self._drawn[first + k][i]) if len(curve.times) else below
                if below < value <= top:
                    return curve
                below = top
            return None
        return None

    def _update_readout(self, t: float) -> None:
        chart = self._chart
        if chart is None or self._readout is None:
            return
        parts = []
        for panel in chart.panels:
            shown = panel.curves
            if len(shown) > 4:  # a world's hosts: the busiest few
                shown = tuple(sorted(shown, key=lambda c: -c.value_at(t))[:3])
            values = ", ".join(f"{c.name} {c.value_at(t):,.4g}" for c in shown)
            pointed = next((c for c in panel.curves if c is self._pointed), None)
            if pointed is not None:  # the band under the pointer, then the busiest
                here = f"{pointed.name} {pointed.value_at(t):,.4g} {panel.unit}"
                values = f"{here}; busiest {values}"
            title = SHORT[panel.curves[0].world] if len(chart.panels) > 1 and shown else ""
            parts.append(f"{title}: {values} {panel.unit}" if title else f"{values} {panel.unit}")
        head = f"at {duration(t) if t > 0 else '0 s'}"
        # One line, cut to the chart's width: a longer label would widen the layout, and
        # the panels would jitter as the values change.
        text = "  ·  ".join([head, *parts])
        room = max(120, self.viewport().width() - 40)
        metrics = QFontMetrics(ui_font(_READOUT_PX))
        text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
        escaped = html.escape(text).replace("  ", "&nbsp; ")
        self._readout.setText(escaped, size=f"{_READOUT_PX}px")

    def content_rect(self) -> QRectF:
        """What an export draws: every panel and the readout."""
        return QRectF(self.ci.sceneBoundingRect())


def _drawn(chart: Chart) -> list[npt.NDArray[np.float64]]:
    """What each curve's item plots: a stacked panel's curves as running totals."""
    return [values for panel in chart.panels for values in _panel_drawn(panel)]


def _panel_drawn(panel: Panel) -> list[npt.NDArray[np.float64]]:
    """What each of a panel's curves plots (running totals in a stacked panel)."""
    out: list[npt.NDArray[np.float64]] = []
    total = None
    for curve in panel.curves:
        if panel.stacked:
            total = curve.values if total is None else total + curve.values
            out.append(total)
        else:
            out.append(curve.values)
    return out


def _lines(
    chart: Chart, drawn: list[npt.NDArray[np.float64]]
) -> list[list[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]]]:
    """Each panel's lines as drawn: (times, values) of each curve, stacked ones as totals."""
    values = iter(drawn)
    return [[(curve.times, next(values)) for curve in panel.curves] for panel in chart.panels]


def _extent(
    times: npt.NDArray[np.float64], values: npt.NDArray[np.float64], t0: float, t1: float
) -> tuple[float, float]:
    """A line's lowest and highest value from ``t0`` to ``t1``: the points between, and the
    one before (a step holds its value until the next)."""
    start = max(int(np.searchsorted(times, t0, side="right")) - 1, 0)
    stop = max(int(np.searchsorted(times, t1, side="right")), start + 1)
    part = values[start:stop]
    part = part[np.isfinite(part)]
    if not len(part):
        return float("inf"), float("-inf")  # nothing drawn there
    return float(part.min()), float(part.max())


def view_size(chart: Chart) -> tuple[int, int]:
    """A chart's natural size in logical pixels: two panels a row, a readout line above."""
    rows = -(-len(chart.panels) // COLUMNS)
    return 1200, 40 + 380 * rows


def _shape(chart: Chart) -> tuple[object, ...]:
    """What decides the chart's items: its metric, and each panel's title and curves."""
    panels = tuple((p.title, tuple(c.label for c in p.curves)) for p in chart.panels)
    return (chart.metric, *panels)


def _panels(chart: Chart) -> tuple[object, ...]:
    """What decides the chart's plots: its metric, and how many panels it has."""
    return chart.metric, len(chart.panels)


def _alpha(colour: QColor, alpha: int) -> QColor:
    out = QColor(colour)
    out.setAlpha(alpha)
    return out
