"""The charts of a scenario in tabs, on the playback clock: the dock beside the cluster view.

Each tab is a :class:`ChartView`.  The panel follows a :class:`PlaybackController`: a new
timeline (an injected failure) gives every chart its new data; a tick moves the cursor of the
chart on show (the others catch up when their tab is picked); a click on a chart seeks.

Where the controller is a :class:`LessonSession`'s, the panel follows its ghost too (the run
before the last change): each chart draws the same metric of it, faded (:meth:`set_ghost`).

A cluster of more hosts than a band each (``chart_racks.PER_HOST_LIMIT``) has its memory and
CPU charts drawn by rack; the "Rack" box beside the tabs opens one rack (its hosts a band
each) in both, and "All racks" goes back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from vmc_gui.sim import chart_metrics as metrics
from vmc_gui.sim import chart_racks
from vmc_gui.sim.timeline import Timeline
from vmc_gui.ui.charts.chart_view import FUTURE_MODES, ChartView
from vmc_gui.ui.playback import PlaybackController
from vmc_gui.ui.session import LessonSession
from vmc_gui.ui.theme import LIGHT, Theme

#: Each chart's tab.
TAB_NAMES = {
    "availability": "Availability",
    "memory": "Memory",
    "cpu": "CPU",
    "overhead": "Overhead",
    "capacity": "Capacity",
    "min-ready": "Min ready",
    "precopy": "Pre-copy",
    "copies": "Copies",
}
#: How the "after now" setting reads.
_FUTURE_LABELS = {"dim": "dimmed", "hide": "hidden"}
#: The rack box's first choice: every rack, a band each.
ALL_RACKS = "All racks"
_RACK_TIP = (
    "Above {limit} hosts the memory and CPU charts draw a band per rack (a Kubernetes zone "
    "in a container world whose zones are its racks). Pick a rack to see its hosts, a band "
    "each; “{all}” goes back."
)


class ChartsPanel(QWidget):
    """Every chart the scenario has, one tab each, following ``controller``."""

    def __init__(
        self, controller: PlaybackController, parent: QWidget | None = None, theme: Theme = LIGHT
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self._theme = theme
        self._views: dict[str, ChartView] = {}
        #: The charts a lesson offers, its first first; None offers every chart there is.
        self._offered: tuple[str, ...] | None = None
        #: Charts whose data is older than the timeline (worked out when first on show).
        self._stale: set[str] = set()
        #: The run before the last change, drawn faded in every chart; the charts whose
        #: ghost is older than it (worked out when first on show, as their data is).
        self._ghost: Timeline | None = None
        self._ghost_stale: set[str] = set()
        self._session = LessonSession.of(controller)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.currentChanged.connect(self._on_tab)
        self.future = QComboBox()
        for mode in FUTURE_MODES:
            self.future.addItem(_FUTURE_LABELS[mode], mode)
        self.future.setToolTip("What the charts do with what has not happened yet")
        self.future.currentIndexChanged.connect(self._on_future)
        #: The rack open in the per-host charts (None: every rack), and the box that picks it,
        #: shown where the chart on show is drawn by rack.
        self._rack: int | None = None
        self.rack = QComboBox()
        self.rack.setToolTip(_RACK_TIP.format(limit=chart_racks.PER_HOST_LIMIT, all=ALL_RACKS))
        self.rack.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.rack.currentIndexChanged.connect(self._on_rack)
        rack_label = QLabel("Rack:")
        rack_label.setBuddy(self.rack)
        #: The rack box and its label, hidden where no chart is drawn by rack.
        self.rack_box = QWidget()
        racks = QHBoxLayout(self.rack_box)
        racks.setContentsMargins(0, 0, 8, 0)
        racks.addWidget(rack_label)
        racks.addWidget(self.rack)
        self.rack_box.setVisible(False)
        # The settings sit beside the tabs, not on a row of their own: the plots get the height.
        corner = QWidget()
        top = QHBoxLayout(corner)
        top.setContentsMargins(0, 0, 4, 0)
        top.addWidget(self.rack_box)
        label = QLabel("After now:")
        label.setBuddy(self.future)
        top.addWidget(label)
        top.addWidget(self.future)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        #: Said instead of the tabs when the scenario has nothing to chart.
        self.empty = QLabel("Nothing runs in this lesson's worlds, so there is nothing to chart.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.empty, 1)
        controller.timeline_changed.connect(self._on_timeline)
        controller.time_changed.connect(self._on_time)
        if self._session is not None:
            self._ghost = self._session.ghost
            self._session.ghost_changed.connect(self.set_ghost)
        if controller.timeline() is not None:
            self._on_timeline(controller.timeline())

    def views(self) -> dict[str, ChartView]:
        """Every chart on offer, each with its data worked out."""
        return {metric: self.view(metric) for metric in list(self._views)}

    def current(self) -> ChartView | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, ChartView) else None

    def offer(self, charts: tuple[str, ...] | None, *, future: str = "") -> None:
        """Offer only ``charts`` (those the timeline has), in that order, the first on show;
        None offers every chart.  ``future``: how the charts show what has not happened yet
        (a lesson hides it, so that Play reveals the answer)."""
        if future:
            self.future.setCurrentIndex(self.future.findData(future))
        self._offered = None if charts is None else tuple(charts)
        # Each tab removed makes the next one current: unblocked, each would build its chart
        # on the way out (at 1,000 hosts, seconds of charts nobody sees).
        self.tabs.blockSignals(True)
        for metric in list(self._views):
            view = self._views.pop(metric)
            self.tabs.removeTab(self.tabs.indexOf(view))
            view.deleteLater()
        self.tabs.blockSignals(False)
        self._stale.clear()
        self._ghost_stale.clear()
        timeline = self.controller.timeline()
        if timeline is not None:
            self._on_timeline(timeline)
        self.tabs.setCurrentIndex(0)
        self._show_rack_box()

    def show_chart(self, metric: str) -> None:
        view = self._views[metric]
        self.tabs.setCurrentWidget(view)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        for view in self._views.values():
            view.set_theme(theme)

    def set_ghost(self, ghost: object) -> None:
        """Draw ``ghost`` (a Timeline: the run before the last change) faded in every chart
        it has data for, or none (None)."""
        assert ghost is None or isinstance(ghost, Timeline)
        if ghost is self._ghost:
            return
        self._ghost = ghost
        self._ghost_stale = set(self._views)
        self._refresh_current()

    def ghost(self) -> Timeline | None:
        return self._ghost

    def open_rack(self, rack: int | None) -> None:
        """Show ``rack``'s hosts in the charts drawn by rack, or every rack (None)."""
        index = self.rack.findData(rack or 0)
        if index < 0:
            raise KeyError(f"no rack {rack} to open")
        self.rack.setCurrentIndex(index)

    def opened_rack(self) -> int | None:
        """The rack open in the charts drawn by rack (None: every rack)."""
        return self._rack

    # --- following the clock -------------------------------------------------------------

    def _on_timeline(self, timeline: object) -> None:
        assert isinstance(timeline, Timeline)
        if self._session is not None and self._session.ghost is not self._ghost:
            # The session sets the ghost before the new run: both are drawn at once.
            self._ghost = self._session.ghost
            self._ghost_stale = set(self._views)
        self._fill_racks(timeline)
        names = metrics.available(timeline)
        if self._offered is not None:
            names = [m for m in self._offered if m in names]
        self.tabs.setVisible(bool(names))
        self.empty.setVisible(not names)
        # Charts the new timeline still has keep their views (and their curves).
        for metric in [m for m in self._views if m not in names]:
            self._stale.discard(metric)
            self._ghost_stale.discard(metric)
            view = self._views.pop(metric)
            self.tabs.removeTab(self.tabs.indexOf(view))
            view.deleteLater()
        mode = str(self.future.currentData())
        self.tabs.blockSignals(True)
        for i, metric in enumerate(names):
            view = self._views.get(metric)
            if view is None:
                view = ChartView(theme=self._theme, compact=True)
                view.set_future(mode)
                view.seek_requested.connect(self.controller.seek)
                self._views[metric] = view
                self._ghost_stale.add(metric)
                self.tabs.insertTab(i, view, TAB_NAMES[metric])
                self.tabs.setTabToolTip(i, metrics.TITLES[metric])
            # A chart is worked out when its tab is first on show: most are never looked at.
            self._stale.add(metric)
        self.tabs.blockSignals(False)
        self._show_rack_box()
        self._refresh_current()

    def view(self, metric: str) -> ChartView:
        """The chart ``metric``, its data worked out (a tab not yet looked at has none)."""
        view = self._views[metric]
        if metric in self._ghost_stale:
            self._ghost_stale.discard(metric)
            # Drawn now only if the chart's data is not about to be (which draws it too).
            view.set_ghost(self._ghost_chart(metric), draw=metric not in self._stale)
        if metric in self._stale:
            self._stale.discard(metric)
            timeline = self.controller.timeline()
            assert timeline is not None
            view.set_chart(metrics.build(timeline, metric, rack=self._rack_of(metric)))
            view.show_time(self.controller.time())
        return view

    def _ghost_chart(self, metric: str) -> metrics.Chart | None:
        """The chart ``metric`` of the ghost, where it has one (with the rack open, if the
        ghost has that rack: else none, as its panels would not match)."""
        ghost = self._ghost
        if ghost is None or metric not in metrics.available(ghost):
            return None
        rack = self._rack_of(metric)
        if rack is not None and rack not in chart_racks.racks(ghost):
            return None
        return metrics.build(ghost, metric, rack=rack)

    def _rack_of(self, metric: str) -> int | None:
        """The rack to open in chart ``metric``: the one picked, in a per-host chart."""
        return self._rack if metric in metrics.PER_HOST else None

    # --- the rack box --------------------------------------------------------------------

    def _fill_racks(self, timeline: Timeline) -> None:
        """The racks of ``timeline`` in the box, keeping the one open if it has it."""
        racks = chart_racks.racks(timeline)
        names = [ALL_RACKS]
        for rack in racks:
            # A zone's name beside its rack's, where a world's zones are its racks.
            zones = {chart_racks.rack_name(wt, rack) for wt in timeline.worlds.values()}
            zone = next((z for z in sorted(zones) if z.startswith("Zone ")), "")
            names.append(f"Rack {rack}" + (f" ({zone[0].lower()}{zone[1:]})" if zone else ""))
        kept = self._rack if self._rack in racks else None
        self.rack.blockSignals(True)  # the charts are worked out once, below
        if [self.rack.itemText(i) for i in range(self.rack.count())] != names:
            self.rack.clear()
            for rack, name in zip((0, *racks), names, strict=True):
                self.rack.addItem(name, rack)
        self.rack.setCurrentIndex(max(self.rack.findData(kept or 0), 0))
        self.rack.blockSignals(False)
        self._set_rack(kept)

    def _show_rack_box(self) -> None:
        """The rack box, beside a chart drawn by rack (or a rack of it) only."""
        view = self.current()
        metric = next((m for m, v in self._views.items() if v is view), "")
        timeline = self.controller.timeline()
        by_rack = timeline is not None and bool(chart_racks.racks(timeline))
        self.rack_box.setVisible(metric in metrics.PER_HOST and by_rack)

    def _on_rack(self, index: int) -> None:
        rack = int(self.rack.itemData(index) or 0)
        self._set_rack(rack or None)
        self._refresh_current()

    def _set_rack(self, rack: int | None) -> None:
        """Open ``rack`` in the per-host charts: each is worked out again when on show."""
        if rack == self._rack:
            return
        self._rack = rack
        for metric in self._views:
            if metric in metrics.PER_HOST:
                self._stale.add(metric)
                self._ghost_stale.add(metric)

    def _refresh_current(self) -> None:
        current = self.current()
        for metric, view in self._views.items():
            if view is current:
                self.view(metric).show_time(self.controller.time())

    def _on_time(self, t: float) -> None:
        view = self.current()
        if view is not None:
            view.show_time(t)

    def _on_tab(self, index: int) -> None:
        self._show_rack_box()
        self._refresh_current()

    def _on_future(self, index: int) -> None:
        mode = str(self.future.itemData(index))
        for view in self._views.values():
            view.set_future(mode)
