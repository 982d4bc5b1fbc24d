"""Benchmark: exporting a diagram as a 3840x2160 PNG (DESIGN.md: <= 0.5 s).

Times ``vmc-gui export diagram:vm-vs-container --size 3840x2160`` as the CLI does it once the
Qt application is up: render the scene, encode the PNG, write it atomically.  The floor beside
it is encoding a blank image of the same size to PNG and writing it the same way, so the ratio
shows what drawing the diagram adds to the encoder's own cost.

    python benchmarks/bench_export.py [--repeat N]

The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from vmc_gui.ui.export import ExportOptions, export_scene, png_bytes, save_bytes
from vmc_gui.ui.scenes.stack_scene import StackScene

SIZE = (3840, 2160)
TARGET_S = 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--diagram", default="vm-vs-container")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(["bench"])

    scene = StackScene()
    scene.set_animations_enabled(False)
    scene.set_diagram(args.diagram)
    folder = Path(tempfile.mkdtemp(prefix="vmc-export-"))
    options = ExportOptions(size=SIZE)

    def export() -> None:
        export_scene(scene, scene.content_rect(), folder / "diagram.png", options)

    def floor() -> None:
        blank = QImage(QSize(*SIZE), QImage.Format.Format_ARGB32_Premultiplied)
        blank.fill(0xFFF6F7F9)
        save_bytes(folder / "blank.png", png_bytes(blank, opaque=True))

    export()  # warm up: fonts, glyph caches
    floor()
    run, base = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        export()
        run.append(time.perf_counter() - start)
        start = time.perf_counter()
        floor()
        base.append(time.perf_counter() - start)
    run_s, floor_s = statistics.median(run), statistics.median(base)
    size_kb = (folder / "diagram.png").stat().st_size / 1024
    met = run_s <= TARGET_S
    print(f"diagram {args.diagram} as a {SIZE[0]}x{SIZE[1]} PNG ({size_kb:,.0f} KB)")
    print(f"export                  {run_s * 1000:8.1f} ms  (median of {args.repeat})")
    print(f"floor: blank PNG        {floor_s * 1000:8.1f} ms  (median of {args.repeat})")
    print(f"ratio export / floor: {run_s / floor_s:.2f}x")
    print(f"target <= {TARGET_S:g} s: {'met' if met else 'MISSED'}")
    print(
        json.dumps(
            {
                "benchmark": "png_export_4k",
                "diagram": args.diagram,
                "export_s": round(run_s, 4),
                "floor_s": round(floor_s, 4),
                "ratio": round(run_s / floor_s, 2),
                "met": met,
                "python": platform.python_version(),
            }
        )
    )
    del app


if __name__ == "__main__":
    main()
