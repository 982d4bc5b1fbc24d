"""Benchmark: an animated export of a lesson (DESIGN.md: a 30-second, 20 fps, 1280x720 APNG
of the fault-tolerance lesson in <= 30 s and <= 10 MB).

Times ``vmc-gui export lesson:fault-tolerance --out FILE --from 0 --to 600 --speed 20`` (600
frames, one simulated second apart) as the CLI does it once the Qt application is up: the
window built, each frame drawn and encoded, the file written. The floor beside it is the
still export of the same window at the same size: one frame drawn anew and written as a PNG
(the median over a few moments), so the ratio says what a frame of animation costs against
a picture.

    python benchmarks/bench_animation.py [--formats apng,gif,webp,mp4] [--stills N]

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

from PySide6.QtWidgets import QApplication

from vmc_gui.ui.animation_targets import AnimationRequest, animate_target
from vmc_gui.ui.export import export_widget
from vmc_gui.ui.headless import ensure_application, lesson_window

LESSON = "fault-tolerance"
SIZE = (1280, 720)
START, END, SPEED, FPS = 0.0, 600.0, 20.0, 20.0
TARGET_S, TARGET_MB = 30.0, 10.0


def still_floor(folder: Path, count: int) -> float:
    """The median time of a still export of the lesson's window at SIZE, scale 1: the clock
    moved, the window drawn, the PNG encoded and written."""
    times = []
    with lesson_window(LESSON, "light", SIZE) as window:
        for i in range(count + 1):
            start = time.perf_counter()
            window.seek(START + (END - START) * i / (count + 1))
            QApplication.processEvents()
            QApplication.processEvents()
            export_widget(window, folder / "still.png", scale=1.0)
            if i:  # the first warms up: fonts, glyph caches
                times.append(time.perf_counter() - start)
    return statistics.median(times)


def animation(folder: Path, suffix: str) -> tuple[float, int, int]:
    """Wall seconds, bytes and frames of the 30-second animation in the format."""
    out = folder / f"{LESSON}.{suffix}"
    request = AnimationRequest.parse(
        f"lesson:{LESSON}", str(out), START, END, FPS, SPEED, None, None, "light"
    )
    frames = round((END - START) / SPEED * FPS)
    start = time.perf_counter()
    animate_target(request)
    return time.perf_counter() - start, out.stat().st_size, frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--formats", default="apng,gif,webp,mp4")
    parser.add_argument("--stills", type=int, default=7)
    args = parser.parse_args()
    app = ensure_application()
    folder = Path(tempfile.mkdtemp(prefix="vmc-animation-"))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    floor_s = still_floor(folder, args.stills)
    results: dict[str, dict[str, float]] = {}
    print(
        f"lesson {LESSON}, {SIZE[0]}x{SIZE[1]}, {START:g}..{END:g} s at {SPEED:g}x, "
        f"{FPS:g} fps, on {cores} cores"
    )
    print(f"floor: still PNG export  {floor_s * 1000:8.1f} ms  (median of {args.stills})")
    for suffix in args.formats.split(","):
        if suffix == "mp4":
            try:
                import av  # noqa: F401
            except ImportError:
                print("mp4: skipped (PyAV is not installed: pip install 'vmc-gui[video]')")
                continue
        wall, size, frames = animation(folder, suffix)
        per_frame = wall / frames
        results[suffix] = {
            "s": round(wall, 2),
            "mb": round(size / 1e6, 2),
            "ms_per_frame": round(per_frame * 1000, 1),
            "ratio": round(per_frame / floor_s, 3),
        }
        print(
            f"{suffix:<5} {frames} frames  {wall:6.1f} s  {per_frame * 1000:6.1f} ms/frame  "
            f"{size / 1e6:6.2f} MB  ratio frame / floor: {per_frame / floor_s:.2f}x"
        )
    apng = results.get("apng")
    met = apng is not None and apng["s"] <= TARGET_S and apng["mb"] <= TARGET_MB
    print(f"target APNG <= {TARGET_S:g} s and <= {TARGET_MB:g} MB: {'met' if met else 'MISSED'}")
    print(
        json.dumps(
            {
                "benchmark": "animated_export",
                "lesson": LESSON,
                "size": f"{SIZE[0]}x{SIZE[1]}",
                "frames": round((END - START) / SPEED * FPS),
                "floor_s": round(floor_s, 4),
                "formats": results,
                "met": met,
                "cores": cores,
                "python": platform.python_version(),
            }
        )
    )
    del app


if __name__ == "__main__":
    main()
