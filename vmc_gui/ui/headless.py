"""Exports from the command line: a Qt application on the offscreen platform, no window.

``vmc-gui export diagram:NAME --out FILE`` builds the same scene the app shows, with
animations off, and writes it through :mod:`vmc_gui.ui.export`.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from vmc_gui.model.stacks import DIAGRAMS

_SIZE = re.compile(r"^(\d{1,5})[xX](\d{1,5})$")
MIN_SCALE, MAX_SCALE = 0.1, 16.0
DEFAULT_SCALE = 2.0


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
    ) -> ExportRequest:
        """Check the arguments; a problem is a ValueError with one line for the user."""
        kind, sep, name = target.partition(":")
        if not sep or not name:
            raise ValueError(
                f"TARGET is diagram:NAME, lesson:NAME or cluster:SCENARIO, not {target!r}"
            )
        if kind == "lesson":
            # A lesson exports as its diagram, until lessons have pages of their own.
            lessons = [n.removeprefix("lesson:") for n in DIAGRAMS if n.startswith("lesson:")]
            if name not in lessons:
                raise ValueError(
                    f"no lesson diagram {name!r}; the lessons with one are: {', '.join(lessons)}"
                )
            kind, name = "diagram", f"lesson:{name}"
        if kind not in ("diagram", "cluster"):
            raise ValueError(
                f"{kind}: targets cannot be exported yet; this version exports diagram:NAME, "
                "lesson:NAME and cluster:SCENARIO"
            )
        if kind == "diagram" and name not in DIAGRAMS:
            raise ValueError(f"no diagram {name!r}; the diagrams are: {', '.join(DIAGRAMS)}")
        when = 0.0
        if kind == "cluster":
            from vmc_gui.model.errors import ScenarioError
            from vmc_gui.model.library import resolve

            try:
                scenario = resolve(name)
            except ScenarioError as problem:
                raise ValueError(problem.one_line()) from None
            when = 0.0 if at is None else at
            if not 0.0 <= when <= scenario.duration_s:
                raise ValueError(f"--at {when:g} is outside the run: 0..{scenario.duration_s:g} s")
            at = None
        if at is not None:
            raise ValueError("--at picks a moment of a scenario; a diagram has none")
        path = Path(out)
        if path.suffix.lower() not in (".png", ".svg"):
            raise ValueError(f"--out {out}: export writes a .png or .svg file")
        if scale is not None and size is not None:
            raise ValueError("give --scale or --size, not both")
        if scale is not None and not MIN_SCALE <= scale <= MAX_SCALE:
            raise ValueError(f"--scale {scale:g} is outside {MIN_SCALE:g}..{MAX_SCALE:g}")
        pixels = None
        if size is not None:
            match = _SIZE.match(size.strip())
            if not match:
                raise ValueError(f"--size takes WIDTHxHEIGHT in pixels, not {size!r}")
            pixels = (int(match.group(1)), int(match.group(2)))
        return cls(kind, name, path, scale or DEFAULT_SCALE, pixels, theme, transparent, when)


def ensure_application() -> object:
    """A QApplication for drawing without a screen: offscreen whatever the desktop says,
    unless one exists already (in the app, or under pytest)."""
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if existing is not None:
        return existing
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
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


def export_target(request: ExportRequest) -> tuple[int, int]:
    """Render the request's target and write it; returns the pixel size."""
    app = ensure_application()
    from vmc_gui.ui.export import ExportOptions, export_scene
    from vmc_gui.ui.scenes.stack_scene import StackScene
    from vmc_gui.ui.theme import THEMES

    options = ExportOptions(request.scale, request.size, request.transparent)
    if request.kind == "cluster":
        from vmc_gui.model.library import resolve
        from vmc_gui.sim import simulate
        from vmc_gui.ui.scenes.cluster_scene import ClusterScene

        cluster = ClusterScene()
        cluster.set_theme(THEMES[request.theme])
        cluster.set_timeline(simulate(resolve(request.name)))
        cluster.show_time(request.at)
        size = export_scene(
            cluster, cluster.content_rect(), request.out, options, cluster.export_title()
        )
        cluster.deleteLater()
        return size.width(), size.height()
    scene = StackScene()
    scene.set_animations_enabled(False)
    scene.set_theme(THEMES[request.theme])
    scene.set_diagram(request.name)
    title = DIAGRAMS[request.name][0]
    size = export_scene(scene, scene.content_rect(), request.out, options, title)
    scene.deleteLater()
    del app
    return size.width(), size.height()
