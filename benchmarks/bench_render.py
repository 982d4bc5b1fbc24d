"""Benchmark: cluster-view frames while the scene plays (DESIGN.md: p95 <= 16.7 ms at 2,000
moving glyphs; >= 30 fps at 10,000 through level of detail; and at 1,000 hosts with 40,000
workloads per world, p95 <= 16.7 ms fit to the window and zoomed to one rack, the scene built
and first painted in <= 0.5 s).

A frame is what the app does on each tick of the playback clock: advance the clock (the
scene draws ``state_at(t)`` of both worlds), then paint the view, here into a 1600x1000
offscreen image at the fit-to-window zoom.  The scenario is a rack-sized failure on 40 hosts
with N workloads across the two worlds, played through the failure.

The floor beside each is the same number of bare rect items moved with setPos each frame and
painted into an image of the same size.

    python benchmarks/bench_render.py [--frames N] [--repeats N]

The 1,000-host case (``"1000_hosts"`` in the JSON) is 25 racks of 40 hosts with 40,000
workloads per world in four services, rack 3 failing at a minute, played through the
failure fit to 1600x1000 and again zoomed to rack 3 of the first world; its floor is the
same number of bare rect items (one per host card) moved with setPos and painted.

The play is measured --repeats times (3); the run with the median p95 is reported.

The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsRectItem, QGraphicsScene

from vmc_gui.model.cluster import ClusterSpec
from vmc_gui.model.events import RackFail
from vmc_gui.model.scenario import Scenario, ServiceSpec, World
from vmc_gui.sim import simulate
from vmc_gui.ui.fonts import load_fonts
from vmc_gui.ui.playback import PlaybackController
from vmc_gui.ui.scenes.cluster_scene import ClusterScene

SIZE = (1600, 1000)
P95_TARGET_MS = 16.7
FPS_TARGET = 30.0
BUILD_TARGET_S = 0.5


def scenario(glyphs: int) -> Scenario:
    per_world = glyphs // 2
    return Scenario(
        name=f"bench-{glyphs}",
        title=f"{glyphs:,} glyphs",
        description="",
        seed=1,
        duration_s=600.0,
        cluster=ClusterSpec(racks=4, hosts_per_rack=10, cores=256, memory_gb=2048.0),
        worlds=(World.VM, World.CONTAINER),
        services=(ServiceSpec("web", per_world, 0.25, 256),),
        events=(RackFail(30.0, 1),),
    )


def at_scale() -> Scenario:
    """The issue's 1,000-host case: 25 racks of 40 hosts, 40,000 workloads per world."""
    return Scenario(
        name="bench-1000-hosts",
        title="1,000 hosts",
        description="",
        seed=1,
        duration_s=900.0,
        cluster=ClusterSpec(racks=25, hosts_per_rack=40, cores=64, memory_gb=512.0),
        worlds=(World.VM, World.CONTAINER),
        services=(
            ServiceSpec("web", 16000, 0.5, 2048),
            ServiceSpec("api", 12000, 0.5, 2048),
            ServiceSpec("cache", 8000, 0.25, 4096),
            ServiceSpec("jobs", 4000, 1.0, 2048),
        ),
        events=(RackFail(60.0, 3),),
    )


def rack_rect(scene: ClusterScene, world: World, rack: int) -> QRectF:
    """Rack ``rack`` of ``world`` in the scene, widened to the image's aspect (as a view
    zoomed to it shows it)."""
    per_rack = at_scale().cluster.hosts_per_rack
    rect = QRectF()
    for h in range((rack - 1) * per_rack, rack * per_rack):
        rect = rect.united(scene.host_rect(world, h))
    rect.adjust(-20, -60, 20, 20)
    aspect = SIZE[0] / SIZE[1]
    if rect.width() / rect.height() < aspect:
        rect.adjust(-(rect.height() * aspect - rect.width()) / 2, 0, 0, 0)
        rect.setWidth(rect.height() * aspect)
    return rect


def paint(scene: QGraphicsScene, source: QRectF, image: QImage) -> None:
    image.fill(QColor("#f6f7f9"))
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(0, 0, *SIZE), source, Qt.AspectRatioMode.KeepAspectRatio)
    painter.end()


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


class ClusterFrames:
    """The cluster view playing: each frame advances the clock and paints the view."""

    def __init__(self, glyphs: int, case: Scenario | None = None, rack: int = 0) -> None:
        """``case``: the scenario (else ``glyphs`` on 40 hosts); ``rack``: zoom to that rack
        of the first world (0: fit the whole scene)."""
        timeline = simulate(case or scenario(glyphs))
        start = time.perf_counter()
        self.scene = ClusterScene()
        self.controller = PlaybackController()
        self.controller.time_changed.connect(self.scene.show_time)
        self.scene.set_timeline(timeline)
        self.controller.set_timeline(timeline)
        self.controller.set_speed(30.0)
        self.controller.seek(20.0 if case is None else 50.0)
        self.image = QImage(*SIZE, QImage.Format.Format_ARGB32_Premultiplied)
        first = next(iter(timeline.worlds))
        self.source = rack_rect(self.scene, first, rack) if rack else self.scene.content_rect()
        # As a view does before it paints: at scale, the cards close enough to read.
        zoom = min(SIZE[0] / self.source.width(), SIZE[1] / self.source.height())
        self.scene.ensure_cards(self.source, zoom)
        self.drawn = sum(len(card.phases) for card in self.scene.cards())
        paint(self.scene, self.source, self.image)  # on screen before it plays: caches warm
        #: Building the scene and its first paint (the simulation not included).
        self.build_s = time.perf_counter() - start

    def frame(self) -> float:
        start = time.perf_counter()
        self.controller.tick(1 / 60)  # half a simulated second a frame at 30x
        paint(self.scene, self.source, self.image)
        return time.perf_counter() - start


class FloorFrames:
    """The same number of bare rect items, each moved with setPos every frame."""

    def __init__(self, count: int) -> None:
        self.scene = QGraphicsScene(0, 0, *SIZE)
        self.scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.rng = random.Random(1)
        self.items = []
        for _ in range(count):
            item = QGraphicsRectItem(0, 0, 11, 11)
            item.setBrush(QColor("#2f9e6b"))
            item.setPen(Qt.PenStyle.NoPen)
            self.scene.addItem(item)
            self.items.append(item)
        self.image = QImage(*SIZE, QImage.Format.Format_ARGB32_Premultiplied)
        self.source = QRectF(0, 0, *SIZE)

    def frame(self) -> float:
        start = time.perf_counter()
        for item in self.items:
            item.setPos(self.rng.uniform(0, SIZE[0] - 11), self.rng.uniform(0, SIZE[1] - 11))
        paint(self.scene, self.source, self.image)
        return time.perf_counter() - start


def measure(glyphs: int, frames: int) -> tuple[list[float], list[float], int]:
    """The cluster's play, then the floor's, each on its own: taken in turn, frame by
    frame, each evicts the other's working set from the CPU's caches, which the app never
    has to bear."""
    cluster = ClusterFrames(glyphs)
    times = [cluster.frame() for _ in range(frames)]
    return times, floor_frames(glyphs, frames), cluster.drawn


def floor_frames(count: int, frames: int) -> list[float]:
    floor = FloorFrames(count)
    for _ in range(10):  # warm up
        floor.frame()
    return [floor.frame() for _ in range(frames)]


def at_scale_case(frames: int, repeats: int) -> dict[str, object]:
    """The 1,000-host case: fit to the window, then zoomed to one rack; each the median of
    ``repeats`` plays, against one floor of bare rects (one per host card)."""
    case = at_scale()
    hosts = case.cluster.racks * case.cluster.hosts_per_rack * len(case.worlds)
    out: dict[str, object] = {}
    floor = floor_frames(hosts, frames)
    f50, f95 = percentiles(floor)
    print(f"1,000 hosts, 40,000 workloads per world, {SIZE[0]}x{SIZE[1]}:")
    for name, rack in (("fit", 0), ("rack", 3)):
        runs = []
        for _ in range(repeats):
            play = ClusterFrames(0, case, rack)
            times = [play.frame() for _ in range(frames)]
            runs.append((*percentiles(times), play.build_s))
        runs.sort(key=lambda run: run[1])
        p50, p95, build = runs[len(runs) // 2]
        print(
            f"  {name:4}  build + first paint {build:5.2f} s   frame p50 {p50:6.2f} ms   "
            f"p95 {p95:6.2f} ms   ratio p95 / floor {p95 / f95:.2f}x"
        )
        out[name] = {
            "p50_ms": round(p50, 2),
            "p95_ms": round(p95, 2),
            "build_s": round(build, 3),
            "ratio_p95": round(p95 / f95, 2),
        }
    print(f"  floor ({hosts:,} bare rects)  p50 {f50:6.2f} ms   p95 {f95:6.2f} ms")
    fit, rack = out["fit"], out["rack"]
    assert isinstance(fit, dict) and isinstance(rack, dict)
    return {
        **out,
        # The worse of the two views, as the issue asks for one figure each.
        "p50_ms": max(fit["p50_ms"], rack["p50_ms"]),
        "p95_ms": max(fit["p95_ms"], rack["p95_ms"]),
        "build_s": max(fit["build_s"], rack["build_s"]),
        "floor_p50_ms": round(f50, 2),
        "floor_p95_ms": round(f95, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=400)  # 20 s to 220 s: failure to recovery
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", choices=("glyphs", "1000_hosts"), default=None)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(["bench"])
    load_fonts()
    results: dict[object, object] = {}
    for glyphs in (2000, 10000) if args.only != "1000_hosts" else ():
        # The whole play is measured a few times and the run with the median p95 reported,
        # with its own floor: a shared machine has slow minutes.
        runs = []
        for _ in range(args.repeats):
            times, floor, drawn = measure(glyphs, args.frames)
            runs.append((*percentiles(times), *percentiles(floor)))
        runs.sort(key=lambda run: run[1])
        p50, p95, f50, f95 = runs[len(runs) // 2]
        spread = ", ".join(f"{run[1]:.2f}" for run in runs)
        fps = 1000 / p50
        alive = f"{drawn:,} alive at the start, both worlds"
        print(f"{glyphs:,} workloads ({alive}), {SIZE[0]}x{SIZE[1]}:")
        print(f"  cluster frame   p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   ({fps:5.1f} fps at p50)")
        print(f"  floor (setPos)  p50 {f50:6.2f} ms   p95 {f95:6.2f} ms")
        print(f"  ratio p95 cluster / floor: {p95 / f95:.2f}x")
        print(f"  (the median of {len(runs)} plays; their p95s: {spread} ms)")
        results[glyphs] = {
            "p50_ms": round(p50, 2),
            "p95_ms": round(p95, 2),
            "floor_p50_ms": round(f50, 2),
            "floor_p95_ms": round(f95, 2),
            "ratio_p95": round(p95 / f95, 2),
            "p95_runs_ms": [round(run[1], 2) for run in runs],
        }
    met_1000 = None
    if args.only != "glyphs":
        results["1000_hosts"] = scale = at_scale_case(args.frames, args.repeats)
        met_1000 = scale["p95_ms"] <= P95_TARGET_MS and scale["build_s"] <= BUILD_TARGET_S
        print(
            f"target at 1,000 hosts: p95 <= {P95_TARGET_MS} ms fit and at a rack, build <= "
            f"{BUILD_TARGET_S} s: {'met' if met_1000 else 'MISSED'}"
        )
    met_2k = met_10k = None
    if args.only != "1000_hosts":
        met_2k = results[2000]["p95_ms"] <= P95_TARGET_MS  # type: ignore[index]
        met_10k = 1000 / results[10000]["p50_ms"] >= FPS_TARGET  # type: ignore[index]
        print(
            f"targets: p95 <= {P95_TARGET_MS} ms at 2,000: {'met' if met_2k else 'MISSED'}; "
            f">= {FPS_TARGET:g} fps at 10,000: {'met' if met_10k else 'MISSED'}"
        )
    print(
        json.dumps(
            {
                "benchmark": "cluster_render",
                "frames": args.frames,
                "size": SIZE,
                "results": results,
                "met_2k": met_2k,
                "met_1000_hosts": met_1000,
                "met_10k": met_10k,
                "python": platform.python_version(),
            }
        )
    )
    del app


if __name__ == "__main__":
    main()
