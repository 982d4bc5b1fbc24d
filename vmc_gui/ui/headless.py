"""Exports from the command line: a Qt application on the offscreen platform, no window.

``vmc-gui export diagram:NAME --out FILE`` builds the same scene the app shows, with
animations off, and writes it through :mod:`vmc_gui.ui.export`. The lesson window, the
cluster and a chart are built here for the stills and for the animations
(:mod:`vmc_gui.ui.animation_targets`) alike.

A scenario is simulated in a worker thread (:func:`simulate_reporting`): a run that takes
more than a second says how far it has got on stderr, a line a second; stdout stays clean.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from vmc_gui.model.parameters import Value
    from vmc_gui.model.scenario import Scenario
    from vmc_gui.sim.chart_metrics import Chart
    from vmc_gui.sim.timeline import Timeline
    from vmc_gui.ui.charts.chart_view import ChartView
    from vmc_gui.ui.scenes.cluster_scene import ClusterScene
    from vmc_gui.ui.shell.main_window import MainWindow
    from vmc_gui.ui.shell.simulation_progress import SimulationJob

_SIZE = re.compile(r"^(\d{1,5})[xX](\d{1,5})$")
MIN_SCALE, MAX_SCALE = 0.1, 16.0
DEFAULT_SCALE = 2.0
TARGETS = "diagram:NAME, lesson:NAME, cluster:SCENARIO or chart:SCENARIO:METRIC"
#: A lesson exports the app's window: at this size unless --size says otherwise (the size
#: the README's pictures are taken at), and within these bounds.
WINDOW_SIZE = (1600, 1000)
MIN_WINDOW, MAX_WINDOW = (800, 500), (3840, 2400)
#: A run taking longer than this says how far it has got on stderr, once each this often.
REPORT_EVERY_S = 1.0


@dataclass(frozen=True, slots=True)
class ExportRequest:
    kind: str
    name: str
    out: Path
    scale: float
    size: tuple[int, int] | None
    theme: str
    transparent: bool
    #: For cluster targets: the simulated time to draw.
    at: float = 0.0
    #: Settings for the run drawn as the faded "before" (``--compare NAME=VALUE``).
    compare: tuple[tuple[str, Value], ...] = ()
    #: Settings changed before the run is drawn (``--set NAME=VALUE``).
    settings: tuple[tuple[str, Value], ...] = ()
    #: For a per-host chart drawn by rack: the rack open, its hosts a band each
    #: (``--rack N``); None draws every rack.
    rack: int | None = None

    def comparing(self, compare: list[str], settings: list[str] | None = None) -> ExportRequest:
        """This request with ``--compare`` and ``--set NAME=VALUE`` settings (checked:
        names, values, and a target with a run: "before" with one, "now" with the other)."""
        if not compare and not settings:
            return self
        from vmc_gui.model.parameters import ParameterError, parse_assignment

        runs = self.kind in ("cluster", "chart") or (
            self.kind == "lesson" and _lesson_duration(self.name) is not None
        )
        if not runs:
            raise ValueError("--set and --compare change a run; this target has none")
        if compare and self.out.suffix.lower() == ".csv":
            raise ValueError("--compare is for pictures: a CSV has the run's samples only")
        try:
            before = tuple(parse_assignment(text, "--compare") for text in compare)
            now = tuple(parse_assignment(text) for text in settings or ())
        except ParameterError as problem:
            raise ValueError(str(problem)) from None
        return dataclasses.replace(self, compare=before, settings=now)

    def scenario(self, scenario: Scenario) -> Scenario:
        """``scenario`` with the request's ``--set`` settings."""
        return scenario.with_parameters(dict(self.settings)) if self.settings else scenario

    def ghost(self, scenario: Scenario) -> Scenario:
        """The scenario drawn as "before": ``scenario`` with the ``--compare`` settings."""
        return scenario.with_parameters(dict(self.compare))

    @classmethod
    def parse(
        cls,
        target: str,
        out: str,
        scale: float | None,
        size: str | None,
        theme: str,
        transparent: bool,
        at: float | None = None,
        rack: int | None = None,
    ) -> ExportRequest:
        """Check the arguments; a problem is a ValueError with one line for the user."""
        asked_at = at
        kind, sep, name = target.partition(":")
        if not sep or not name:
            raise ValueError(f"TARGET is {TARGETS}, not {target!r}")
        if rack is not None and kind in ("lesson", "diagram", "cluster"):
            raise ValueError(rack_of_no_chart(kind))
        if kind == "lesson":
            return cls._parse_lesson(name, out, scale, size, theme, transparent, at)
        if kind not in ("diagram", "cluster", "chart"):
            raise ValueError(f"{kind}: targets cannot be exported; TARGET is {TARGETS}")
        scenario_name = chart_scenario(name, target) if kind == "chart" else name
        if kind == "diagram":
            # Read when asked for: a cluster's export loads no diagrams.
            from vmc_gui.model.stacks import DIAGRAMS

            if name not in DIAGRAMS:
                raise ValueError(f"no diagram {name!r}; the diagrams are: {', '.join(DIAGRAMS)}")
        when = 0.0
        if kind in ("cluster", "chart"):
            from vmc_gui.model.errors import ScenarioError
            from vmc_gui.model.library import resolve

            try:
                scenario = resolve(scenario_name)
            except ScenarioError as problem:
                raise ValueError(problem.one_line()) from None
            if kind == "chart":
                check_rack(scenario, name.rpartition(":")[2], rack)
            # A chart shows the whole run unless asked for a moment; the cluster, the start.
            default = scenario.duration_s if kind == "chart" else 0.0
            when = default if at is None else at
            if not 0.0 <= when <= scenario.duration_s:
                raise ValueError(f"--at {when:g} is outside the run: 0..{scenario.duration_s:g} s")
            at = None
        if at is not None:
            raise ValueError("--at picks a moment of a scenario; a diagram has none")
        path = _out_path(out, with_csv=kind == "chart")
        if scale is not None and size is not None:
            raise ValueError("give --scale or --size, not both")
        _check_scale(scale)
        if path.suffix.lower() == ".csv" and (
            asked_at is not None or scale is not None or size is not None or transparent
        ):
            raise ValueError(
                "a CSV has every sample and no picture: --at, --scale, --size and "
                "--transparent are for .png and .svg"
            )
        pixels = _pixels(size)
        return cls(
            kind, name, path, scale or DEFAULT_SCALE, pixels, theme, transparent, when, rack=rack
        )

    @classmethod
    def _parse_lesson(
        cls,
        name: str,
        out: str,
        scale: float | None,
        size: str | None,
        theme: str,
        transparent: bool,
        at: float | None,
    ) -> ExportRequest:
        """lesson:NAME is the app's window on that lesson, as a user sees it: --size is the
        window's size, --scale its pixels per screen pixel, --at the lesson's clock."""
        from vmc_gui.model.lessons import OVERVIEW, ROWS

        slug, _, further = name.partition("/")
        if name != OVERVIEW and slug not in ROWS:
            raise ValueError(f"no lesson {name!r}; the lessons are: {OVERVIEW}, {', '.join(ROWS)}")
        if further and ROWS[slug].further_one(further) is None:
            known = ", ".join(f"{slug}/{f.scenario}" for f in ROWS[slug].further) or "none"
            raise ValueError(f"lesson {slug!r} has no scenario {further!r}; it has: {known}")
        if transparent:
            raise ValueError(
                "a lesson is the app's window, which has a background: "
                "--transparent is for diagram, cluster and chart targets"
            )
        path = _out_path(out, with_csv=False)
        _check_scale(scale)
        window = _pixels(size) or WINDOW_SIZE
        if not all(
            low <= v <= high for low, v, high in zip(MIN_WINDOW, window, MAX_WINDOW, strict=True)
        ):
            raise ValueError(
                f"--size {window[0]}x{window[1]}: a lesson's window is from "
                f"{MIN_WINDOW[0]}x{MIN_WINDOW[1]} to {MAX_WINDOW[0]}x{MAX_WINDOW[1]}"
            )
        when = 0.0
        if at is not None:
            duration = _lesson_duration(name)
            if duration is None:
                raise ValueError(f"--at picks a moment of a simulation; the {name} lesson has none")
            if not 0.0 <= at <= duration:
                raise ValueError(f"--at {at:g} is outside the run: 0..{duration:g} s")
            when = at
        return cls("lesson", name, path, scale or DEFAULT_SCALE, window, theme, False, when)


def chart_scenario(name: str, target: str) -> str:
    """The scenario of a chart target's ``SCENARIO:METRIC`` (checked: a known metric)."""
    from vmc_gui.sim.chart_metrics import TITLES

    scenario_name, sep, metric = name.rpartition(":")
    if not sep or not scenario_name or not metric:
        raise ValueError(
            f"a chart is chart:SCENARIO:METRIC (METRIC one of {', '.join(TITLES)}), not {target!r}"
        )
    if metric not in TITLES:
        raise ValueError(f"no chart {metric!r}; the charts are: {', '.join(TITLES)}")
    return scenario_name


def rack_of_no_chart(kind: str) -> str:
    """Why ``--rack`` is refused for a ``kind:`` target that is not a chart."""
    return (
        "--rack opens a rack of a chart drawn by rack (chart:SCENARIO:memory or "
        f"chart:SCENARIO:cpu), not of a {kind}"
    )


def check_rack(scenario: Scenario, metric: str, rack: int | None) -> None:
    """``--rack N`` for the chart ``metric`` of ``scenario``: a per-host chart drawn by rack
    (more hosts than a band each), and a rack it has; a ValueError with one line if not.
    Known before the scenario runs."""
    if rack is None:
        return
    from vmc_gui.sim import chart_metrics as metrics
    from vmc_gui.sim import chart_racks

    if metric not in metrics.PER_HOST:
        raise ValueError(
            f"the {metric} chart has no racks: --rack is for the "
            f"{' and '.join(metrics.PER_HOST)} charts, drawn by rack"
        )
    racks = chart_racks.scenario_racks(scenario)
    if not racks:
        hosts = scenario.cluster.host_count
        raise ValueError(
            f"the {metric} chart of {scenario.name} draws its {hosts} hosts a band each: "
            f"--rack is for more than {chart_racks.PER_HOST_LIMIT} hosts, drawn by rack"
        )
    if rack not in racks:
        raise ValueError(f"no rack {rack} in {scenario.name}: racks 1 to {len(racks)}")


def _out_path(out: str, *, with_csv: bool) -> Path:
    """--out as a path, if it names a format the target can be written in."""
    path = Path(out)
    if path.suffix.lower() not in ((".png", ".svg", ".csv") if with_csv else (".png", ".svg")):
        written = "a .png, .svg or .csv" if with_csv else "a .png or .svg"
        raise ValueError(f"--out {out}: export writes {written} file")
    return path


def _check_scale(scale: float | None) -> None:
    if scale is not None and not MIN_SCALE <= scale <= MAX_SCALE:
        raise ValueError(f"--scale {scale:g} is outside {MIN_SCALE:g}..{MAX_SCALE:g}")


def _pixels(size: str | None) -> tuple[int, int] | None:
    """--size WIDTHxHEIGHT as two numbers, or None when not given."""
    if size is None:
        return None
    match = _SIZE.match(size.strip())
    if not match:
        raise ValueError(f"--size takes WIDTHxHEIGHT in pixels, not {size!r}")
    return int(match.group(1)), int(match.group(2))


def _lesson_duration(slug: str) -> float | None:
    """How long the lesson's simulation runs, or None if nothing in it runs over time (the
    table, a diagram-only lesson, the compatibility matrix)."""
    from vmc_gui.model.lessons import ROWS
    from vmc_gui.model.library import resolve

    slug, _, further = slug.partition("/")  # lesson/scenario: one that takes it further
    row = ROWS.get(slug)
    if row is None or not row.scenario:
        return None
    scenario = resolve(further or row.scenario)
    return scenario.duration_s if scenario.runs else None


def ensure_application() -> object:
    """A QApplication for drawing without a screen: offscreen whatever the desktop says,
    unless one exists already (in the app, or under pytest)."""
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if existing is not None:
        return existing
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from vmc_gui.ui.app import drop_offscreen_notes

    drop_offscreen_notes()
    return QApplication(["vmc-gui"])


def display_problem() -> str | None:
    """Why a window cannot open here (no display on Linux), or None."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith(("xcb", "wayland")):
        return None  # offscreen, vnc...: the user chose
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return "no display to open a window on; 'vmc-gui export' draws without one"


def simulate_reporting(
    scenario: Scenario, err: TextIO | None = None, job: SimulationJob | None = None
) -> Timeline:
    """``simulate(scenario)`` for the command line: the run goes to a worker thread while
    this one writes a line of progress to ``err`` (stderr) each second, once the run has
    taken a second ("simulating 10,000 hosts: world 1 of 2 (vm), 40 %"); a quick run writes
    nothing.  Ctrl+C stops the run.  ``job``: the run, started already (see
    :func:`export_target`)."""
    from vmc_gui.ui.shell.simulation_progress import SimulationJob, progress_line

    out = err if err is not None else sys.stderr
    started = time.monotonic()
    if job is None:
        job = SimulationJob(scenario).start()
    reported = False
    try:
        while not job.done.wait(REPORT_EVERY_S):
            print(progress_line(scenario, job.progress), file=out, flush=True)
            reported = True
    except KeyboardInterrupt:
        job.cancel()  # the process ends: nobody needs the collector back
        raise
    timeline = job.result()
    if reported:  # what follows (drawing) is not the simulation: say where it ended
        taken = time.monotonic() - started
        print(f"{progress_line(scenario, None)}: done in {taken:.1f} s", file=out, flush=True)
    return timeline


def export_target(request: ExportRequest) -> str:
    """Render the request's target and write it; returns what was written ("2400x880",
    "601 rows, 5 columns")."""
    job: SimulationJob | None = None
    if request.kind == "cluster":
        from vmc_gui.model.library import resolve
        from vmc_gui.ui.shell.simulation_progress import SimulationJob

        # The run starts first, in its worker: Qt's application and the scene's modules
        # load while it runs (a 1,000-host export is as much loading as simulating).
        job = SimulationJob(request.scenario(resolve(request.name))).start()
    app = ensure_application()
    from vmc_gui.ui.export import ExportOptions, export_scene
    from vmc_gui.ui.theme import THEMES

    if request.kind == "lesson":
        return _export_lesson(request)
    options = ExportOptions(request.scale, request.size, request.transparent)
    if request.kind == "chart":
        return _export_chart(request, options)
    if request.kind == "cluster":
        from vmc_gui.model.library import resolve
        from vmc_gui.ui.picture_meta import metadata_for

        assert job is not None
        scenario = job.scenario
        with cluster_scene(
            scenario, request.theme, job=job, at=request.at, size=request.size
        ) as cluster:
            if request.compare:
                cluster.set_ghost(simulate_reporting(request.ghost(scenario)))
            cluster.show_time(request.at)
            # The picture carries its scenario and time: 'vmc-gui open' reopens it there.
            metadata = metadata_for(scenario, request.at)
            size = export_scene(
                cluster,
                cluster.content_rect(),
                request.out,
                options,
                cluster.export_title(),
                metadata,
            )
        return f"{size.width()}x{size.height()}"
    from vmc_gui.ui.scenes.stack_scene import StackScene  # a diagram's: loaded for one

    scene = StackScene()
    scene.set_animations_enabled(False)
    scene.set_theme(THEMES[request.theme])
    scene.set_diagram(request.name)
    from vmc_gui.model.stacks import DIAGRAMS

    title = DIAGRAMS[request.name][0]
    size = export_scene(scene, scene.content_rect(), request.out, options, title)
    scene.deleteLater()
    del app
    return f"{size.width()}x{size.height()}"


def _export_chart(request: ExportRequest, options: object) -> str:
    from PySide6.QtWidgets import QApplication

    from vmc_gui.model.library import resolve
    from vmc_gui.sim import chart_metrics as metrics
    from vmc_gui.sim import chart_racks
    from vmc_gui.ui.export import ExportOptions, export_scene, save_bytes
    from vmc_gui.ui.picture_meta import metadata_for

    scenario_name, _, metric = request.name.rpartition(":")
    timeline = simulate_reporting(request.scenario(resolve(scenario_name)))
    rack = request.rack
    try:
        # The rack asked for, if any: its hosts a band each, and the title says which.
        chart = metrics.build(timeline, metric, rack=rack)
    except KeyError as problem:
        raise ValueError(problem.args[0]) from None
    if request.out.suffix.lower() == ".csv":
        text = metrics.to_csv(chart)
        save_bytes(request.out, text.encode("utf-8"))
        return f"{text.count(chr(10)) - 1} rows, {len(chart.curves()) + 1} columns"
    with chart_view(chart, request.theme) as view:
        if request.compare:
            ghost = simulate_reporting(request.ghost(timeline.scenario))
            # The same rack of the run before, as the charts panel draws it.
            if metric in metrics.available(ghost) and (
                rack is None or rack in chart_racks.racks(ghost)
            ):
                view.set_ghost(metrics.build(ghost, metric, rack=rack))
        view.show_time(request.at)
        QApplication.processEvents()
        assert isinstance(options, ExportOptions)
        title = f"{chart.title} ({timeline.scenario.title})"
        metadata = metadata_for(timeline.scenario, request.at)
        size = export_scene(
            view.scene(), view.content_rect(), request.out, options, title, metadata
        )
    return f"{size.width()}x{size.height()}"


@contextmanager
def cluster_scene(
    scenario: Scenario,
    theme: str,
    job: SimulationJob | None = None,
    at: float = 0.0,
    size: tuple[int, int] | None = None,
) -> Iterator[ClusterScene]:
    """The cluster of ``scenario``'s run as the app draws it, for stills and animations;
    ``job``: its run, started already; ``at``: the time it is first drawn at; ``size``:
    the picture's (--size), which a cluster at scale is laid out to fill, every world at
    once and its words readable at that size (else the reference window's)."""
    from vmc_gui.ui.scenes.cluster_scene import ClusterScene
    from vmc_gui.ui.scenes.scale_layout import DEFAULT_VIEWPORT
    from vmc_gui.ui.theme import THEMES

    cluster = ClusterScene()
    try:
        cluster.set_theme(THEMES[theme])
        cluster.set_viewport(*(size or DEFAULT_VIEWPORT), every_world=True)
        cluster.seek_before_showing(at)
        cluster.set_timeline(simulate_reporting(scenario, job=job))
        yield cluster
    finally:
        cluster.deleteLater()


@contextmanager
def chart_view(chart: Chart, theme: str) -> Iterator[ChartView]:
    """A view of ``chart`` at its own size, laid out offscreen, for stills and animations."""
    from vmc_gui.ui.charts.chart_view import ChartView, view_size
    from vmc_gui.ui.theme import THEMES

    view = ChartView(theme=THEMES[theme])
    try:
        view.resize(*view_size(chart))
        view.show()  # offscreen: laid out, never on a screen
        view.set_chart(chart)
        yield view
    finally:
        view.close()
        view.deleteLater()


def _export_lesson(request: ExportRequest) -> str:
    from PySide6.QtCore import QRectF
    from PySide6.QtWidgets import QApplication

    from vmc_gui.ui.export import ExportOptions, check_target, export_widget, output_size
    from vmc_gui.ui.picture_meta import metadata_for

    assert request.size is not None
    # Refused before anything is built: a folder that is not there, a picture too large.
    check_target(request.out)
    width, height = request.size
    output_size(QRectF(0, 0, width, height), ExportOptions(request.scale))
    with lesson_window(request.name, request.theme, request.size) as window:
        document = window.session.document
        if document is not None:
            for name, value in request.settings:
                document.set_parameter(name, value)
        # The picture is of the settings asked for, not of the run before them.
        window.session.dismiss_ghost()
        if request.compare:
            window.session.compare_with(dict(request.compare))
        window.seek(request.at)
        # Twice: a first paint may lay a chart out again (its axis grows with its labels), as
        # the app's next frame on screen would; an animation's frames are drawn so too.
        QApplication.processEvents()
        QApplication.processEvents()
        title = window.windowTitle().replace("[*]", "")
        document = window.session.document
        metadata = None
        if document is not None:  # the lesson's scenario, at the lesson's clock
            at = window.session.controller.time() if window.session.runs() else 0.0
            metadata = metadata_for(document.scenario, at, request.name)
        size = export_widget(window, request.out, title, request.scale, metadata)
    return f"{size.width()}x{size.height()}"


@contextmanager
def lesson_window(name: str, theme: str, size: tuple[int, int]) -> Iterator[MainWindow]:
    """The main window on the lesson, as a first start lays it out, for stills and
    animations: not the user's saved layout, so that the same command gives the same picture
    on the same machine (the widgets' text is in the desktop's font, as in the app). Closed
    and deleted after, and the application's looks put back."""
    import tempfile

    import shiboken6
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from vmc_gui.ui.shell.main_window import MainWindow

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    # The theme is the application's: put its looks back after (for callers in a process
    # that goes on, as tests are).
    style, palette = app.style().name(), QApplication.palette()
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(os.path.join(folder, "layout.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings)
        # No progress dialog in a picture: progress goes to stderr, and nothing is cancelled.
        window.session.simulator = simulate_reporting
        try:
            window.set_theme(theme)
            window.resize(*size)
            window.show()  # offscreen: laid out, never on a screen
            slug, _, further = name.partition("/")
            window.open_lesson(slug, "", further)
            if window.pages.currentWidget() is window.table:
                # The table's results and pictures are worked out after a first paint on
                # screen; a picture of it waits for them.
                window.table.finish_previews()
            yield window
        finally:
            window.close()
            settings.sync()
            shiboken6.delete(window)
            if app.style().name() != style:
                app.setStyle(style)
            QApplication.setPalette(palette)
