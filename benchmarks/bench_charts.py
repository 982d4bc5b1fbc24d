"""Benchmark: chart refreshes on the playback clock (DESIGN.md: 8 curves x 2,000 points
refreshed at 30 Hz, <= 8 ms per refresh).

A refresh is what a tick of the clock does to the chart on show: ``ChartView.show_time(t)``
(the cursor, the veil or cover over what has not happened, the markers, the readout), then
the chart is painted into a 1200x420 offscreen image.  A second of playback at 30 Hz is 30
refreshes; the run plays 600.

The floor beside it is bare pyqtgraph: a PlotWidget of the same size with 8 PlotDataItems,
each given its 2,000 points with ``setData`` at every refresh, painted the same way.

    python benchmarks/bench_charts.py [--refreshes N]

The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsView

from vmc_gui.model.scenario import World
from vmc_gui.sim.chart_metrics import Chart, Curve, Marker, Panel
from vmc_gui.ui.charts.chart_view import ChartView
from vmc_gui.ui.fonts import load_fonts

CURVES = 8
POINTS = 2000
SIZE = (1200, 420)
TARGET_MS = 8.0


def chart() -> Chart:
    """8 curves of 2,000 points: a run of 2,000 s sampled every second."""
    rng = np.random.default_rng(1)
    times = np.arange(POINTS, dtype=np.float64)
    worlds = [World.VM, World.CONTAINER]
    curves = tuple(
        Curve(
            f"curve {i}",
            worlds[i % 2],
            times,
            np.cumsum(rng.normal(0, 1, POINTS)) + 50,
            shade=i // 2,
        )
        for i in range(CURVES)
    )
    panel = Panel("8 curves x 2,000 points", "units", curves)
    return Chart("bench", "bench", (panel,), (Marker(600.0, "failure"),), POINTS - 1.0, times)


def paint(view: QGraphicsView, image: QImage) -> None:
    image.fill(0)
    painter = QPainter(image)
    view.scene().render(painter, QRectF(image.rect()), view.sceneRect())
    painter.end()


def stats(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def ours(refreshes: int, mode: str) -> list[float]:
    view = ChartView()
    view.resize(*SIZE)
    view.show()
    view.set_chart(chart())
    view.set_future(mode)
    QApplication.processEvents()
    image = QImage(*SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    paint(view, image)
    out = []
    for k in range(refreshes):
        t = (k * 10 / 30) % (POINTS - 1)  # 10x playback: a third of a simulated second a tick
        start = time.perf_counter()
        view.show_time(t)
        paint(view, image)
        out.append(time.perf_counter() - start)
    view.close()
    return out


def floor(refreshes: int) -> list[float]:
    data = chart()
    widget = pg.PlotWidget()
    widget.resize(*SIZE)
    widget.show()
    items = [widget.plot() for _ in range(CURVES)]
    QApplication.processEvents()
    image = QImage(*SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    out = []
    for _ in range(refreshes):
        start = time.perf_counter()
        for item, curve in zip(items, data.curves(), strict=True):
            item.setData(curve.times, curve.values)
        paint(widget, image)
        out.append(time.perf_counter() - start)
    widget.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refreshes", type=int, default=600)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(["bench"])
    load_fonts()
    ours(30, "dim")  # warm up
    floor(30)
    results = {}
    bare = stats(floor(args.refreshes))
    print(f"{CURVES} curves x {POINTS:,} points, {SIZE[0]}x{SIZE[1]}, {args.refreshes} refreshes:")
    print(f"  floor: bare pyqtgraph setData   p50 {bare[0]:6.2f} ms   p95 {bare[1]:6.2f} ms")
    for mode in ("dim", "hide"):
        p50, p95 = stats(ours(args.refreshes, mode))
        label = f"chart, future {'dimmed' if mode == 'dim' else 'hidden'}"
        print(
            f"  {label:30s}  p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   ({p50 / bare[0]:.2f}x floor)"
        )
        results[mode] = {"p50_ms": round(p50, 2), "p95_ms": round(p95, 2)}
    met = max(r["p50_ms"] for r in results.values()) <= TARGET_MS
    print(f"target: <= {TARGET_MS:g} ms per refresh (median): {'met' if met else 'MISSED'}")
    print(
        json.dumps(
            {
                "benchmark": "charts",
                "curves": CURVES,
                "points": POINTS,
                "floor": {"p50_ms": round(bare[0], 2), "p95_ms": round(bare[1], 2)},
                "results": results,
                "met": met,
                "python": platform.python_version(),
            }
        )
    )
    del app


if __name__ == "__main__":
    main()
