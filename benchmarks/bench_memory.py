"""Benchmark: memory with a large lesson open (issue 20: the app with the 1,000-host lesson
open stays under 600 MB resident), and the 10,000-host limit scenario opened in the window.

Each case is a fresh process (peak RSS is a process's high-water mark), offscreen on a
1600x1000 screen, with its settings in a throwaway folder:

- **floor**: a bare PySide6 QMainWindow of the same size, shown and painted.
- **lesson**: the app's main window opens the 1,000-host lesson (``lesson:fault-tolerance/
  at-scale``; before that lesson existed, the file ``/tmp/work/big.toml`` through
  File > Open's path) and plays it: ``--frames`` ticks of the playback clock (a thirtieth of
  a second each, at the lesson's speed), the window repainted after each, as on screen.
- **limit**: the main window opens ``examples/limit-10000.toml`` (10,000 hosts, 200,000
  replicas) through File > Open's path and plays a few frames: the time to open it and RSS.

Peak RSS is ``getrusage(RUSAGE_SELF).ru_maxrss``; "now" is the resident size at the end.
A case over its budget is run again under tracemalloc, which prints the Python allocations
that hold the most (Qt's own C++ allocations are not seen by it: the difference between
its total and the RSS above the floor is Qt's, numpy's buffers are seen).

    python benchmarks/bench_memory.py [--frames N] [--no-limit] [--trace]

The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_MB = 600.0
ROOT = Path(__file__).resolve().parent.parent
LIMIT_FILE = ROOT / "examples" / "limit-10000.toml"
AT_SCALE = ROOT / "resources" / "scenarios" / "at-scale.toml"
BIG_FILE = Path("/tmp/work/big.toml")
SIZE = (1600, 1000)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def _now_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _floor() -> dict[str, object]:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(["floor"])
    from vmc_gui.ui.app import drop_offscreen_notes, wait_for_first_paint

    drop_offscreen_notes()

    window = QMainWindow()
    window.setCentralWidget(QLabel("floor"))
    window.resize(*SIZE)
    window.show()
    wait_for_first_paint(window)
    del app
    return {"peak_mb": _peak_mb(), "now_mb": _now_mb()}


def _trace_top(snapshot_limit: int = 15) -> None:
    import tracemalloc

    snapshot = tracemalloc.take_snapshot()
    total = sum(stat.size for stat in snapshot.statistics("filename"))
    print(f"tracemalloc: {total / 2**20:.0f} MB held by Python allocations", file=sys.stderr)
    for stat in snapshot.statistics("lineno")[:snapshot_limit]:
        frame = stat.traceback[0]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        print(f"  {stat.size / 2**20:8.1f} MB  {stat.count:>9,} blocks  {where}", file=sys.stderr)


def _window_case(case: str, frames: int, trace: bool) -> dict[str, object]:
    if trace:
        import tracemalloc

        tracemalloc.start(1)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from vmc_gui.ui.app import drop_offscreen_notes

    drop_offscreen_notes()  # the docks' size hints, once a window: not news
    app = QApplication(["bench"])
    from vmc_gui.ui.app import wait_for_first_paint
    from vmc_gui.ui.fonts import load_fonts
    from vmc_gui.ui.shell.main_window import MainWindow

    load_fonts()
    folder = tempfile.mkdtemp(prefix="vmc-memory-")
    window = MainWindow(QSettings(os.path.join(folder, "s.ini"), QSettings.Format.IniFormat))
    window.resize(*SIZE)
    window.show()
    wait_for_first_paint(window)
    started_mb = _peak_mb()
    start = time.perf_counter()
    if case == "limit":
        what = str(LIMIT_FILE.relative_to(ROOT))
        assert window.open_file(LIMIT_FILE), f"could not open {LIMIT_FILE}"
    elif AT_SCALE.exists():
        what = "lesson:fault-tolerance/at-scale"
        window.open_lesson("fault-tolerance", "", "at-scale")
    else:
        what = str(BIG_FILE)
        assert window.open_file(BIG_FILE), f"could not open {BIG_FILE}"
    QApplication.processEvents()  # the first paint of what was opened
    open_s = time.perf_counter() - start
    opened_mb = _peak_mb()
    controller = window.session.controller
    assert window.session.runs() and controller.timeline() is not None
    hosts = controller.timeline().scenario.cluster.host_count
    controller.seek(0.0)
    frame_times = []
    for _ in range(frames):
        tick = time.perf_counter()
        controller.tick(1 / 30)  # a frame at 30 fps
        QApplication.processEvents()  # the window repaints what changed
        frame_times.append(time.perf_counter() - tick)
    frame_times.sort()
    if trace:
        _trace_top()
    result = {
        "what": what,
        "hosts": hosts,
        "open_s": round(open_s, 2),
        "frames": frames,
        "played_to_s": round(controller.time(), 1),
        "frame_p50_ms": round(frame_times[len(frame_times) // 2] * 1000, 1) if frames else None,
        "frame_p95_ms": round(frame_times[int(0.95 * (frames - 1))] * 1000, 1) if frames else None,
        "window_mb": round(started_mb, 1),
        "opened_peak_mb": round(opened_mb, 1),
        "peak_mb": round(_peak_mb(), 1),
        "now_mb": round(_now_mb(), 1),
    }
    window.close()
    del app
    return result


def _child(case: str, frames: int, trace: bool) -> None:
    result = _floor() if case == "floor" else _window_case(case, frames, trace)
    print(json.dumps(result))


def _run(case: str, frames: int, trace: bool = False) -> dict[str, object]:
    home = tempfile.mkdtemp(prefix="vmc-memory-")
    screens = os.path.join(home, "screens.json")
    with open(screens, "w", encoding="utf-8") as out:
        screen = {"name": "bench", "x": 0, "y": 0, "width": SIZE[0], "height": SIZE[1]}
        json.dump({"screens": [screen]}, out)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={screens}",
        "XDG_CONFIG_HOME": home,
        "XDG_DATA_HOME": home,
        "VMC_GUI_LOG": os.path.join(home, "vmc-gui.log"),
    }
    command = [sys.executable, __file__, "--child", case, "--frames", str(frames)]
    if trace:
        command.append("--trace")
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300, help="frames played (default 300)")
    parser.add_argument("--no-limit", action="store_true", help="skip the 10,000-host case")
    parser.add_argument("--trace", action="store_true", help="tracemalloc every window case")
    parser.add_argument("--child", choices=("floor", "lesson", "limit"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.frames, args.trace)
        return 0

    floor = _run("floor", 0)
    lesson = _run("lesson", args.frames)
    limit = None if args.no_limit else _run("limit", min(args.frames, 30))
    floor_mb = float(str(floor["peak_mb"]))
    peak = float(str(lesson["peak_mb"]))
    met = peak <= BUDGET_MB
    print(f"floor: a bare QMainWindow, {SIZE[0]}x{SIZE[1]}, painted: peak {floor_mb:.0f} MB")
    for name, case in (("lesson", lesson), ("limit", limit)):
        if case is None:
            continue
        print(
            f"{name}: {case['what']} ({case['hosts']:,} hosts): opened in {case['open_s']} s; "
            f"{case['frames']} frames played to t = {case['played_to_s']} s "
            f"(p50 {case['frame_p50_ms']} ms, p95 {case['frame_p95_ms']} ms)"
        )
        ratio = float(str(case["peak_mb"])) / floor_mb
        print(
            f"  RSS: window {case['window_mb']:.0f} MB, opened {case['opened_peak_mb']:.0f} MB, "
            f"peak {case['peak_mb']:.0f} MB ({ratio:.1f}x the floor), "
            f"at the end {case['now_mb']:.0f} MB"
        )
    print(f"target: the 1,000-host lesson <= {BUDGET_MB:.0f} MB peak: {'met' if met else 'MISSED'}")
    if not met or args.trace:
        print("what holds the memory in the lesson case (tracemalloc, a second run):")
        sys.stdout.flush()
        _run("lesson", args.frames, trace=True)
    print(
        json.dumps(
            {
                "benchmark": "memory",
                "python": platform.python_version(),
                "budget_mb": BUDGET_MB,
                "floor_peak_mb": round(floor_mb, 1),
                "lesson": lesson,
                "lesson_ratio": round(peak / floor_mb, 2),
                "limit": limit,
                "target_met": met,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
