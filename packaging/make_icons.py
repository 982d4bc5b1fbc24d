"""Render the app icon's PNG sizes from its SVG, for the hicolor theme and the window icon.

    python packaging/make_icons.py

The SVG (resources/icons/io.github.vmcgui.VmcGui.svg) is the one drawing; the PNGs are
committed beside it so that neither the app nor an install needs an SVG renderer. Run this
after changing the drawing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from vmc_gui.ui.icons import APP_ID, ICON_SIZES

#: The checkout's icons (not an installed copy's): the drawing and where its PNGs go.
FOLDER = Path(__file__).resolve().parents[1] / "resources" / "icons"


def render(svg: Path, size: int) -> QImage:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a drawing Qt can read")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    svg = FOLDER / f"{APP_ID}.svg"
    for size in ICON_SIZES:
        target = FOLDER / f"{APP_ID}-{size}.png"
        if not render(svg, size).save(str(target)):
            raise SystemExit(f"{target}: could not be written")
        print(target.relative_to(FOLDER.parents[1]))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
