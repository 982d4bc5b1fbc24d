"""What the export dialogs draw: the view last used, the whole window or a chart, at a moment
and in a theme of the user's choosing, leaving the app as it was.

A :class:`Stage` puts one :class:`Target` in the chosen theme and moves it to the chosen
moment, draws it (a picture, a preview, an animation's frames), then puts the theme and the
clock back.  A chart is drawn afresh, whole and titled, as ``vmc-gui export chart:`` draws
it, so that neither the dock's chart nor its clock is touched.  So is a cluster at scale: the
view's is laid out for the view (one world at a time on a short window), a picture's for the
picture's size, every world at once and its words readable there, as ``vmc-gui export
cluster:`` lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView, QWidget

from vmc_gui.ui import export
from vmc_gui.ui.theme import THEMES

if TYPE_CHECKING:
    from vmc_gui.ui.charts.chart_view import ChartView
    from vmc_gui.ui.scenes.cluster_scene import ClusterScene
    from vmc_gui.ui.shell.main_window import MainWindow

#: What each kind of target is: drawn from its scene (a diagram, the cluster), drawn as laid
#: out on screen (the window, the table, the matrix), or a chart drawn afresh.
SCENE, WIDGET, CHART = "scene", "widget", "chart"
VIEW, WINDOW, CLUSTER = "view", "window", "cluster"


@dataclass(frozen=True, slots=True)
class Target:
    """Something the user can export."""

    #: "view", "window", "cluster" or "chart:METRIC".
    key: str
    #: How the dialogs list it.
    label: str
    kind: str
    #: Whether the picture depends on the clock.
    timed: bool
    #: The file name it is offered under, without the extension.
    stem: str

    @property
    def metric(self) -> str:
        return self.key.partition(":")[2]

    @property
    def scalable_only(self) -> bool:
        """A widget is drawn as laid out: at a scale, never fitted into another size."""
        return self.kind == WIDGET

    @property
    def can_be_transparent(self) -> bool:
        return self.kind in (SCENE, CHART)


def app_theme(window: MainWindow) -> str:
    """The theme the app is in."""
    return "dark" if window.menus.dark_action.isChecked() else "light"


def targets(window: MainWindow) -> list[Target]:
    """What can be exported now: the view last used (unless it is a chart: the charts are
    listed on their own), the whole window, and each chart on offer."""
    runs = window.session.runs() and window.running_cluster() is not None
    name = _name(window)
    found = []
    view = window.files.current_view()
    if _chart_metric(window, view) is None:
        label, kind, timed = _describe(window, view)
        found.append(Target(VIEW, f"This view: {label}", kind, timed, f"{name}-{_slug(label)}"))
    found.append(Target(WINDOW, "The whole window", WIDGET, runs, f"{name}-window"))
    if runs:
        for metric, title, _ in _charts(window):
            found.append(_chart_target(window, metric, title, name))
    return found


def _chart_target(window: MainWindow, metric: str, title: str, name: str) -> Target:
    """The dock's chart ``metric`` as a target: with the rack open in it, if any, in its
    label and its file name, as the picture is of that rack."""
    rack = open_rack(window, metric)
    label = f"Chart: {title}" + (f", rack {rack}" if rack else "")
    stem = f"{name}-{metric}" + (f"-rack-{rack}" if rack else "")
    return Target(f"chart:{metric}", label, CHART, True, stem)


def open_rack(window: MainWindow, metric: str) -> int | None:
    """The rack open in the dock's chart ``metric`` (its hosts a band each), or None: every
    rack, or a chart that is not drawn by rack."""
    from vmc_gui.sim.chart_metrics import PER_HOST

    if window.charts is None or metric not in PER_HOST:
        return None
    return window.charts.opened_rack()


def _charts(window: MainWindow) -> list[tuple[str, str, QWidget]]:
    """The dock's charts as (metric, tab title, view), read off its tabs: asking the panel
    for its views would work out the data of every chart not yet looked at."""
    from vmc_gui.ui.charts.charts_panel import TAB_NAMES

    if window.charts is None or not window.session.runs():
        return []
    metric_of = {title: metric for metric, title in TAB_NAMES.items()}
    tabs = window.charts.tabs
    found = []
    for index in range(tabs.count()):
        metric = metric_of.get(tabs.tabText(index))
        if metric is not None:
            found.append((metric, tabs.tabText(index), tabs.widget(index)))
    return found


def animation_targets(window: MainWindow) -> list[Target]:
    """What can be exported as an animation: the cluster and each chart on offer, or
    nothing when no simulation is on show."""
    if not window.session.runs() or window.page.cluster is None:
        return []
    name = _name(window)
    found = [Target(CLUSTER, "The cluster", SCENE, True, f"{name}-cluster")]
    for metric, title, _ in _charts(window):
        found.append(_chart_target(window, metric, title, name))
    return found


def animation_target_key(window: MainWindow) -> str:
    """The key Export Animation starts on: the chart last clicked, or the cluster."""
    metric = _chart_metric(window, window.files.current_view())
    return f"chart:{metric}" if metric is not None else CLUSTER


def view_target_key(window: MainWindow) -> str:
    """The key Export View starts on: the chart last clicked, or the view."""
    metric = _chart_metric(window, window.files.current_view())
    return f"chart:{metric}" if metric is not None else VIEW


def _name(window: MainWindow) -> str:
    name = window.document.scenario.name if window.document is not None else window.lesson
    return Path(name.replace(":", "-")).name or "vmc-gui"  # a file's path: its last part


def _slug(label: str) -> str:
    return label.removeprefix("the ").replace(" ", "-")


def _chart_metric(window: MainWindow, view: QWidget) -> str | None:
    """The metric of ``view`` if it is one of the dock's charts."""
    for metric, _, chart in _charts(window):
        if chart is view:
            return metric
    return None


def _describe(window: MainWindow, view: QWidget) -> tuple[str, str, bool]:
    """What the view is called, its kind, and whether it follows the clock."""
    if view is window.table:
        return "the comparison table", WIDGET, False
    page = window.page
    if page.cluster is not None and view is page.cluster.view:
        return "the cluster", SCENE, window.running_cluster() is not None
    if view is page.diagram.view:
        return "the diagram", SCENE, False
    if page.compat is not None and view is page.compat:
        return "the compatibility matrix", WIDGET, False
    return "the view", SCENE if hasattr(view, "export") else WIDGET, False


class Stage:
    """``target`` in ``theme``, movable in time; :meth:`close` puts the app back (the clock's
    time, the theme) as it was when the stage was set."""

    def __init__(self, window: MainWindow, target: Target, theme: str) -> None:
        self.window = window
        self.target = target
        self.theme = theme
        self._controller = window.session.controller
        self._time = self._controller.time()
        self._app_theme = app_theme(window)
        self._looks: tuple[str, QPalette] | None = None
        self._chart: ChartView | None = None
        #: A cluster at scale, laid out afresh for the picture's size (see the docstring).
        self._cluster: ClusterScene | None = None
        self._title = ""
        view = window.files.current_view()
        if target.kind == CHART:
            self._chart = self._chart_copy(target.metric, theme)
            self._scene: QGraphicsScene | None = self._chart.scene()
        elif target.key == VIEW and isinstance(view, QGraphicsView):
            self._scene = view.scene()
        elif target.key == CLUSTER and window.page.cluster is not None:
            self._scene = window.page.cluster.scene
        else:
            self._scene = None
        self._widget = window if target.key == WINDOW else view
        if bool(getattr(self._scene, "at_scale", lambda: False)()):
            self._cluster = self._cluster_copy(theme)
            self._scene = self._cluster
        elif theme != self._app_theme and self._chart is None:
            self._restyle(theme)

    def __enter__(self) -> Stage:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        problem: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    # --- setting the stage ------------------------------------------------------------------

    def _chart_copy(self, metric: str, theme: str) -> ChartView:
        """A whole chart (title, legend, every panel) at the dock's time, never on screen."""
        from vmc_gui.sim import chart_metrics as metrics
        from vmc_gui.ui.charts.chart_view import ChartView, view_size

        timeline = self._controller.timeline()
        assert timeline is not None and self.window.charts is not None
        # The rack open in the dock, if any: the picture is of what the user looks at, and
        # its title says which ("Memory reserved on each host of rack 12").
        chart = metrics.build(timeline, metric, rack=open_rack(self.window, metric))
        view = ChartView(theme=THEMES[theme])
        # Laid out as shown, but never mapped: nothing flashes on the user's screen.
        view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        view.resize(*view_size(chart))
        view.show()
        view.set_chart(chart)
        # What the dock does with what has not happened yet (a lesson hides it).
        view.set_future(str(self.window.charts.future.currentData()))
        view.show_time(self._time)
        self._title = f"{chart.title} ({timeline.scenario.title})"
        return view

    def _cluster_copy(self, theme: str) -> ClusterScene:
        """The cluster on show, at the clock's time and with the run before the last change
        (if any), in its own scene: :meth:`_lay_out` fits it to each picture's size."""
        from vmc_gui.ui.scenes.cluster_scene import ClusterScene

        timeline = self._controller.timeline()
        assert timeline is not None
        cluster = ClusterScene()
        cluster.set_theme(THEMES[theme])
        self._lay_out(cluster, None)
        cluster.set_ghost(self.window.session.ghost)
        cluster.seek_before_showing(self._time)
        cluster.set_timeline(timeline)
        cluster.show_time(self._time)
        return cluster

    @staticmethod
    def _lay_out(cluster: ClusterScene, size: tuple[int, int] | None) -> None:
        from vmc_gui.ui.scenes.scale_layout import DEFAULT_VIEWPORT

        cluster.set_viewport(*(size or DEFAULT_VIEWPORT), every_world=True)

    def _fit(self, options: export.ExportOptions) -> None:
        """A cluster at scale laid out for the picture ``options`` make."""
        if self._cluster is not None:
            self._lay_out(self._cluster, options.size)

    def _restyle(self, theme: str) -> None:
        if self._scene is not None:
            set_theme = getattr(self._scene, "set_theme", None)
            if set_theme is not None:
                set_theme(THEMES[theme])
            return
        # A widget is drawn by the application's style and palette: the whole app changes
        # for the moment of drawing, and gets its own looks back in close().
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self._looks = (app.style().name(), QApplication.palette())
        self.window.set_theme(theme)
        _deliver_palette()

    def close(self) -> None:
        """The clock at its time, the app in its theme, the chart copy gone."""
        if self._controller.time() != self._time:
            self._controller.seek(self._time)
        if self._chart is not None:
            self._chart.close()
            self._chart.deleteLater()
            self._chart = None
            self._scene = None
        elif self._cluster is not None:
            self._cluster.deleteLater()
            self._cluster = None
            self._scene = None
        elif self.theme != self._app_theme:
            if self._scene is not None:
                set_theme = getattr(self._scene, "set_theme", None)
                if set_theme is not None:
                    set_theme(THEMES[self._app_theme])
            elif self._looks is not None:
                self.window.set_theme(self._app_theme)
                style, palette = self._looks
                app = QApplication.instance()
                assert isinstance(app, QApplication)
                if app.style().name() != style:
                    app.setStyle(style)
                QApplication.setPalette(palette)
                _deliver_palette()
                self._looks = None
        self.theme = self._app_theme

    # --- time -------------------------------------------------------------------------------

    def show_time(self, t: float) -> None:
        """Draw the target as it stands at ``t`` (a target that does not follow the clock
        ignores it)."""
        if not self.target.timed:
            return
        if self._chart is not None:
            self._chart.show_time(t)
        elif self._cluster is not None:
            self._cluster.show_time(t)
        else:
            self._controller.seek(t)

    # --- drawing ----------------------------------------------------------------------------

    def _source(self) -> QRectF:
        if self._chart is not None:
            return self._chart.content_rect()
        content = getattr(self._scene, "content_rect", None)
        assert content is not None
        return QRectF(content())

    def title(self) -> str:
        if self._chart is not None:
            return self._title
        if self._scene is not None and hasattr(self._scene, "export_title"):
            return str(self._scene.export_title())
        return self.window.windowTitle().replace("[*]", "")

    def output_size(self, options: export.ExportOptions) -> QSize:
        """The size in pixels of what :meth:`write` writes (an ExportError if too large)."""
        if self._scene is None:
            size = self._widget.size()
            return export.output_size(QRectF(0, 0, size.width(), size.height()), options)
        self._fit(options)
        return export.output_size(self._source(), options)

    def render(self, options: export.ExportOptions) -> QImage:
        """The picture, as a PNG would have it (a scene's or a chart's: an animation's frame)."""
        if self._scene is None:
            raise export.ExportError("a window is drawn as laid out, not fitted to a size")
        self._fit(options)
        return self._render(options)

    def _render(self, options: export.ExportOptions) -> QImage:
        assert self._scene is not None
        self._finish_animation()
        return export.render_image(self._scene, self._source(), options)

    def preview(self, options: export.ExportOptions, room: QSize) -> QImage:
        """The picture made small enough to fit ``room``, in the output's proportions."""
        full = self.output_size(options)  # a cluster at scale laid out for it
        size = full.scaled(room, Qt.AspectRatioMode.KeepAspectRatio)
        size = QSize(max(size.width(), 1), max(size.height(), 1))
        if self._scene is None:
            return (
                self._widget.grab()
                .toImage()
                .scaled(
                    size,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        small = export.ExportOptions(
            size=(size.width(), size.height()), transparent=options.transparent
        )
        return self._render(small)  # the picture's layout, made smaller

    def write(
        self,
        path: str | Path,
        options: export.ExportOptions,
        metadata: dict[str, str] | None = None,
    ) -> QSize:
        """Write the picture to ``path`` (.png or .svg), carrying ``metadata``; its size in
        pixels."""
        title = self.title()
        if self._scene is None:
            return export.export_widget(self._widget, path, title, options.scale, metadata)
        self._fit(options)
        self._finish_animation()
        return export.export_scene(self._scene, self._source(), path, options, title, metadata)

    def _finish_animation(self) -> None:
        finish = getattr(self._scene, "finish_animation", None)
        if finish is not None:
            finish()  # never a half-drawn frame


def _deliver_palette() -> None:
    """Hand every widget the application's new palette now: Qt posts it to them, and a
    picture drawn before the event loop turns would have the old colours.  Only those
    events: painting waits for the loop, so that the screen never shows the other theme."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationPaletteChange)
