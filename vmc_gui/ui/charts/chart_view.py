"""One chart drawn with pyqtgraph, following the playback clock.

The curves are made once per chart layout and given new data with ``setData`` when the
timeline changes (an injected failure): a tick only moves the cursor and the cover over what
has not happened yet.  Clicking a panel asks to seek there; hovering shows the values then.
"""

from __future__ import annotations

import html

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPen, QResizeEvent
from PySide6.QtWidgets import QWidget

from vmc_gui.report import duration
from vmc_gui.sim.chart_metrics import SHORT, Chart, Curve, Panel
from vmc_gui.ui.fonts import ui_font
from vmc_gui.ui.theme import LIGHT, Theme, mixed

#: What the chart does with the part of the run that has not happened yet.
FUTURE_MODES = ("dim", "hide")
#: Panels side by side before a new row starts.
COLUMNS = 2
#: The readout's size in pixels (its text is measured to fit on one line).
_READOUT_PX = 12


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
        #: What each curve item plots: its values, or the running total in a stacked panel.
        self._drawn: list[npt.NDArray[np.float64]] = []
        self._cursors: list[pg.InfiniteLine] = []
        self._shades: list[pg.LinearRegionItem] = []
        self._marks: list[pg.InfiniteLine] = []
        self._readout: pg.LabelItem | None = None
        self._time = 0.0
        self._future = "dim"
        #: The moments each marker line stands for (hidden until then in the "hide" mode).
        self._mark_times: list[float] = []
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
        same = self._chart is not None and _shape(self._chart) == _shape(chart)
        self._chart = chart
        if not same:
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
        self.show_time(self._time)

    def set_future(self, mode: str) -> None:
        """``dim`` shades what has not happened yet; ``hide`` leaves it out."""
        if mode not in FUTURE_MODES:
            raise ValueError(f"future mode {mode!r}: one of {', '.join(FUTURE_MODES)}")
        self._future = mode
        # Dimmed, the future shows through a veil; hidden, an opaque cover: no curve is cut
        # and fed again as the clock runs (stacked bands would be worked out again each time).
        for shade in self._shades:
            shade.setBrush(_alpha(self._theme.background, 170 if mode == "dim" else 255))
        self.show_time(self._time)

    def _set_background(self, theme: Theme) -> None:
        self.setBackground(theme.background)
        # Exports draw the scene, whose own background is what they fill with.
        self.scene().setBackgroundBrush(theme.background)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._set_background(theme)
        if self._chart is not None:
            self._build(self._chart)
            self.show_time(self._time)

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
        hide = self._future == "hide"
        for mark, at in zip(self._marks, self._mark_times, strict=True):
            mark.setVisible(not hide or at <= t)
        self._update_readout(t)

    def readout(self) -> str:
        """The values the readout shows (plain text)."""
        if self._readout is None:
            return ""
        return html.unescape(str(self._readout.text).replace("&nbsp;", " "))

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
        self._mark_times = []
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
            # The legend goes under its panel, not over the lines; a world's many hosts get
            # none (the readout names the busiest).
            legend = None
            if len(panel.curves) <= 8:
                columns = 1 if self.compact else min(3, len(panel.curves))
                legend = pg.LegendItem(colCount=columns, labelTextColor=theme.text)
                if self.compact:
                    self.addItem(legend, row=row, col=col + 1)
                else:
                    self.addItem(legend, row=row + 1, col=col)
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
                    brush = mixed(pen.color(), theme.background, 0.3)
                    if below is None:
                        item.setFillLevel(0.0)
                        item.setBrush(brush)
                    else:
                        plot.addItem(pg.FillBetweenItem(below, item, brush=brush))
                    below = item
                if legend is not None:
                    legend.addItem(item, curve.name)
                self._curves.append((item, curve))
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
            curves = panel.curves
            tops = np.sum([c.values for c in curves], axis=0) if panel.stacked else None
            values = [c.values[np.isfinite(c.values)] for c in curves]
            if tops is not None:
                values.append(tops[np.isfinite(tops)])
            values = [v for v in values if len(v)]
            low = min((float(v.min()) for v in values), default=0.0)
            high = max((float(v.max()) for v in values), default=1.0)
            low, high = min(low, 0.0), max(high, low + 1.0)
            padding = 0.05
        plot.enableAutoRange(axis="y", enable=False)
        plot.setYRange(low, high, padding=padding)

    def _style_plot(self, plot: pg.PlotItem, panel: Panel) -> None:
        theme = self._theme
        if not self.compact:
            plot.setTitle(panel.title, color=theme.text.name(), size="11pt")
            plot.setLabel("bottom", "simulated time", units="s", color=theme.muted.name())
        plot.setLabel("left", panel.unit, color=theme.muted.name())
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
        self._marks, self._mark_times = [], []
        theme = self._theme
        for plot, panel in zip(self._plots, chart.panels, strict=True):
            worlds = list(dict.fromkeys(c.world for c in panel.curves))
            for marker in chart.markers:
                if marker.world is not None and marker.world not in worlds:
                    continue
                # Each world's labels at their own height, so that they never overlap.
                height = 0.92 if marker.world is None else 0.8 - 0.11 * worlds.index(marker.world)
                colour = (
                    theme.compromised if marker.world is None else theme.world(marker.world.value)
                )
                line = pg.InfiniteLine(
                    marker.at_s,
                    angle=90,
                    pen=pg.mkPen(colour, width=1.2, style=Qt.PenStyle.DashLine),
                    label=marker.label,
                    labelOpts={
                        "position": height,
                        "color": colour,
                        "anchors": [(0, 0.5), (0, 0.5)],
                    },
                )
                line.setZValue(25)
                plot.addItem(line, ignoreBounds=True)
                self._marks.append(line)
                self._mark_times.append(marker.at_s)
            for n, level in enumerate(panel.levels):
                colour = theme.world(level.world.value) if level.world else theme.muted
                line = pg.InfiniteLine(
                    level.value,
                    angle=0,
                    pen=pg.mkPen(colour, width=1.0, style=Qt.PenStyle.DotLine),
                    label=level.label,
                    # Side by side when several worlds have one (they may share a value).
                    labelOpts={"position": 0.12 + 0.3 * n, "color": colour},
                )
                line.setZValue(25)
                plot.addItem(line, ignoreBounds=True)
                self._marks.append(line)
                self._mark_times.append(chart.duration_s)  # a figure of the whole run

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
        self._update_readout(t)

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
    out: list[npt.NDArray[np.float64]] = []
    for panel in chart.panels:
        total = None
        for curve in panel.curves:
            if panel.stacked:
                total = curve.values if total is None else total + curve.values
                out.append(total)
            else:
                out.append(curve.values)
    return out


def view_size(chart: Chart) -> tuple[int, int]:
    """A chart's natural size in logical pixels: two panels a row, a readout line above."""
    rows = -(-len(chart.panels) // COLUMNS)
    return 1200, 40 + 380 * rows


def _shape(chart: Chart) -> tuple[object, ...]:
    """What decides the chart's items: its metric, and each panel's title and curves."""
    panels = tuple((p.title, tuple(c.label for c in p.curves)) for p in chart.panels)
    return (chart.metric, *panels)


def _alpha(colour: QColor, alpha: int) -> QColor:
    out = QColor(colour)
    out.setAlpha(alpha)
    return out
