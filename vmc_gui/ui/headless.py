"""Exports from the command line: a Qt application on the offscreen platform, no window.

``vmc-gui export diagram:NAME --out FILE`` builds the same scene the app shows, with
animations off, and writes it through :mod:`vmc_gui.ui.export`.
"""

from __future__ import annotations

import os
import re
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

    @classmethod
    def parse(
        cls,
        target: str,
        out: str,
        scale: float | None,
        size: str | None,
        theme: str,
        transparent: bool,
    ) -> ExportRequest:
        """Check the arguments; a problem is a ValueError with one line for the user."""
        kind, sep, name = target.partition(":")
        if not sep or not name:
            raise ValueError(f"TARGET is diagram:NAME, not {target!r}")
        if kind != "diagram":
            raise ValueError(
                f"{kind}: targets cannot be exported yet; this version exports diagram:NAME"
            )
        if name not in DIAGRAMS:
            raise ValueError(f"no diagram {name!r}; the diagrams are: {', '.join(DIAGRAMS)}")
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
        return cls(kind, name, path, scale or DEFAULT_SCALE, pixels, theme, transparent)


def ensure_application() -> object:
    """A QApplication, offscreen unless one exists already (in the app, or under pytest)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["vmc-gui"])


def export_target(request: ExportRequest) -> tuple[int, int]:
    """Render the request's target and write it; returns the pixel size."""
    app = ensure_application()
    from vmc_gui.ui.export import ExportOptions, export_scene
    from vmc_gui.ui.scenes.stack_scene import StackScene
    from vmc_gui.ui.theme import THEMES

    scene = StackScene()
    scene.set_animations_enabled(False)
    scene.set_theme(THEMES[request.theme])
    scene.set_diagram(request.name)
    options = ExportOptions(request.scale, request.size, request.transparent)
    title = DIAGRAMS[request.name][0]
    size = export_scene(scene, scene.content_rect(), request.out, options, title)
    scene.deleteLater()
    del app
    return size.width(), size.height()
