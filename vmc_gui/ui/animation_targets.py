"""Animated exports from the command line: ``vmc-gui export TARGET --out FILE.apng --from S
--to S``. The lesson's window, the cluster or a chart is built as the still exports build it
(:mod:`vmc_gui.ui.headless`), moved to each frame's moment and drawn; :mod:`vmc_gui.ui.animation`
encodes the frames.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vmc_gui.ui.animation import AnimationOptions, check_path, export_animation, frame_times
from vmc_gui.ui.headless import (
    MAX_WINDOW,
    MIN_WINDOW,
    TARGETS,
    _check_scale,
    _lesson_duration,
    _pixels,
    chart_scenario,
    check_rack,
    ensure_application,
    rack_of_no_chart,
)

if TYPE_CHECKING:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage

    from vmc_gui.model.scenario import Scenario

#: A lesson's window in an animation, unless --size says otherwise: a 16:9 slide's size, and
#: a quarter fewer pixels to draw and store than a still's 1600x1000.
ANIMATION_WINDOW = (1280, 720)
#: Pixels per unit (the cluster, a chart) or per window pixel (a lesson) unless --scale or
#: --size says otherwise: 1, where a still has 2, since an animation stores hundreds.
ANIMATION_SCALE = 1.0
DEFAULT_FPS = 20.0
#: Simulated seconds per second of animation for the cluster and charts (the app's default
#: playback speed); a lesson plays at its own speed (``Row.speed``).
DEFAULT_SPEED = 10.0


@dataclass(frozen=True, slots=True)
class AnimationRequest:
    kind: str
    name: str
    out: Path
    options: AnimationOptions
    #: The lesson's window size, or the exact frame size of the cluster or a chart (None:
    #: their size at ``scale``).
    size: tuple[int, int] | None
    scale: float
    theme: str
    #: For a per-host chart drawn by rack: the rack open (``--rack N``), or None.
    rack: int | None = None

    @classmethod
    def parse(
        cls,
        target: str,
        out: str,
        start: float | None,
        end: float | None,
        fps: float | None,
        speed: float | None,
        size: str | None,
        scale: float | None,
        theme: str,
        rack: int | None = None,
    ) -> AnimationRequest:
        """Check the arguments; a problem is a ValueError with one line for the user."""
        kind, sep, name = target.partition(":")
        if not sep or not name:
            raise ValueError(f"TARGET is {TARGETS}, not {target!r}")
        if rack is not None and kind in ("lesson", "diagram", "cluster"):
            raise ValueError(rack_of_no_chart(kind))
        if kind == "diagram":
            raise ValueError("a diagram has no time to animate: export it as .png or .svg")
        if kind not in ("lesson", "cluster", "chart"):
            raise ValueError(f"{kind}: targets cannot be exported; TARGET is {TARGETS}")
        if scale is not None and size is not None:
            raise ValueError("give --scale or --size, not both")
        _check_scale(scale)
        pixels = _pixels(size)
        if kind == "lesson":
            duration, own_speed = _lesson_run(name)
            pixels = _window(pixels)
        else:
            scenario = _scenario_run(kind, name, target)
            if kind == "chart":
                check_rack(scenario, name.rpartition(":")[2], rack)
            duration, own_speed = float(scenario.duration_s), DEFAULT_SPEED
        start = 0.0 if start is None else start
        end = duration if end is None else end
        for flag, value in (("--from", start), ("--to", end)):
            if not 0.0 <= value <= duration:
                raise ValueError(f"{flag} {value:g} is outside the run: 0..{duration:g} s")
        options = AnimationOptions(
            start, end, DEFAULT_FPS if fps is None else fps, own_speed if speed is None else speed
        )
        frame_times(options)  # the range, rate and speed make an animation of a sensible length
        path, _ = check_path(out, options.fps)
        return cls(kind, name, path, options, pixels, scale or ANIMATION_SCALE, theme, rack)


def _lesson_run(name: str) -> tuple[float, float]:
    """How long the lesson's run lasts, and the speed it plays at."""
    from vmc_gui.model.lessons import OVERVIEW, ROWS

    if name != OVERVIEW and name not in ROWS:
        raise ValueError(f"no lesson {name!r}; the lessons are: {OVERVIEW}, {', '.join(ROWS)}")
    duration = _lesson_duration(name) if name != OVERVIEW else None
    if duration is None:
        raise ValueError(
            f"the {name} lesson has nothing that runs over time: export it as .png or .svg"
        )
    return duration, ROWS[name].speed


def _window(pixels: tuple[int, int] | None) -> tuple[int, int]:
    window = pixels or ANIMATION_WINDOW
    if not all(
        low <= v <= high for low, v, high in zip(MIN_WINDOW, window, MAX_WINDOW, strict=True)
    ):
        raise ValueError(
            f"--size {window[0]}x{window[1]}: a lesson's window is from "
            f"{MIN_WINDOW[0]}x{MIN_WINDOW[1]} to {MAX_WINDOW[0]}x{MAX_WINDOW[1]}"
        )
    return window


def _scenario_run(kind: str, name: str, target: str) -> Scenario:
    """The scenario of a cluster or chart target, if it runs over time."""
    from vmc_gui.model.errors import ScenarioError
    from vmc_gui.model.library import resolve

    scenario_name = chart_scenario(name, target) if kind == "chart" else name
    try:
        scenario = resolve(scenario_name)
    except ScenarioError as problem:
        raise ValueError(problem.one_line()) from None
    if not scenario.runs:
        raise ValueError(f"{scenario_name} has nothing that runs over time to animate")
    return scenario


def animate_target(
    request: AnimationRequest, progress: Callable[[int, int], bool] | None = None
) -> str:
    """Draw and encode the request's animation; returns what was written ("400 frames,
    1280x720, 3.1 MB")."""
    ensure_application()
    if request.kind == "lesson":
        return _animate_lesson(request, progress)
    from vmc_gui.model.library import resolve

    scenario_name = request.name.rpartition(":")[0] if request.kind == "chart" else request.name
    scenario = resolve(scenario_name)
    if request.kind == "cluster":
        return _animate_cluster(request, scenario, progress)
    return _animate_chart(request, scenario, progress)


def _written(request: AnimationRequest, size: tuple[int, int], file_bytes: int) -> str:
    count = len(frame_times(request.options))
    return f"{count} frames, {size[0]}x{size[1]}, {file_bytes / 1e6:.1f} MB"


def _animate_lesson(request: AnimationRequest, progress: Callable[[int, int], bool] | None) -> str:
    from PySide6.QtWidgets import QApplication

    from vmc_gui.ui.animation import AnimationError, widget_frame
    from vmc_gui.ui.headless import lesson_window
    from vmc_gui.ui.picture_meta import metadata_for

    assert request.size is not None
    with lesson_window(request.name, request.theme, request.size) as window:
        sizes: list[QSize] = []  # the first frame's window size: every frame's

        def render(t: float) -> QImage:
            window.seek(t)
            # Three passes, for what the frame is copied from to be painted after the last
            # change: the paint may widen a chart's axis for its labels, the next pass lays
            # the chart out again, and the third paints that.
            for _ in range(3):
                QApplication.processEvents()
            if not sizes:
                sizes.append(window.size())
            elif window.size() != sizes[0]:
                first, now = sizes[0], window.size()
                raise AnimationError(
                    f"at {t:g} s the window grew to {now.width()}x{now.height()}: what it "
                    f"shows needs more room than {first.width()}x{first.height()}; give a "
                    "larger --size"
                )
            return widget_frame(window, request.scale)

        document = window.session.document
        metadata = None
        if document is not None:  # the lesson's scenario, at the first frame's moment
            metadata = metadata_for(document.scenario, request.options.start_s, request.name)
        written = export_animation(render, request.out, request.options, metadata, progress)
    width, height = (math.ceil(side * request.scale) for side in sizes[0].toTuple())
    return _written(request, (width, height), written)


def _animate_cluster(
    request: AnimationRequest, scenario: Scenario, progress: Callable[[int, int], bool] | None
) -> str:
    from vmc_gui.ui.export import ExportOptions, output_size, render_image
    from vmc_gui.ui.headless import cluster_scene
    from vmc_gui.ui.picture_meta import metadata_for

    with cluster_scene(scenario, request.theme, size=request.size) as cluster:
        cluster.show_time(request.options.start_s)
        # Every frame the size of the first, the picture fitted inside if it grows.
        first = output_size(cluster.content_rect(), ExportOptions(request.scale, request.size))
        options = ExportOptions(size=(first.width(), first.height()))

        def render(t: float) -> QImage:
            cluster.show_time(t)
            return render_image(cluster, cluster.content_rect(), options)

        metadata = metadata_for(scenario, request.options.start_s)
        written = export_animation(render, request.out, request.options, metadata, progress)
    return _written(request, (first.width(), first.height()), written)


def _animate_chart(
    request: AnimationRequest, scenario: Scenario, progress: Callable[[int, int], bool] | None
) -> str:
    from PySide6.QtWidgets import QApplication

    from vmc_gui.sim import chart_metrics as metrics
    from vmc_gui.sim import simulate
    from vmc_gui.ui.export import ExportOptions, output_size, render_image
    from vmc_gui.ui.headless import chart_view
    from vmc_gui.ui.picture_meta import metadata_for

    metric = request.name.rpartition(":")[2]
    try:
        chart = metrics.build(simulate(scenario), metric, rack=request.rack)
    except KeyError as problem:
        raise ValueError(problem.args[0]) from None
    with chart_view(chart, request.theme) as view:
        view.show_time(request.options.start_s)
        QApplication.processEvents()
        first = output_size(view.content_rect(), ExportOptions(request.scale, request.size))
        options = ExportOptions(size=(first.width(), first.height()))

        def render(t: float) -> QImage:
            view.show_time(t)
            QApplication.processEvents()
            return render_image(view.scene(), view.content_rect(), options)

        metadata = metadata_for(scenario, request.options.start_s)
        written = export_animation(render, request.out, request.options, metadata, progress)
    return _written(request, (first.width(), first.height()), written)
