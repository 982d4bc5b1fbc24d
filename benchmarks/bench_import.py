"""Benchmark: importing a 1,000-node, 30,000-pod Kubernetes cluster from kubectl's JSON.

The target (issue 21): ``import_kubernetes`` on ``kubectl get nodes -o json`` and ``kubectl
get pods -A -o json`` of such a cluster in under 2 s.  The cluster is generated
(``kubernetes_cluster.py``) in the shapes kubectl prints, keys sorted and indented by four
spaces as kubectl writes them.  Measured in the same run, on the same files:

* the import as it runs (the fast reader of pod lists, pod_list.py, where msgspec is
  installed), and with the careful reader alone (``json`` for every file, as without msgspec);
* ``json.load`` of each file, the floor of any reader that builds every value;
* the same with the garbage collector paused, as the careful reader reads them (a parsed file
  is a tree with no cycles, and each full collection during the parse walks every object made
  so far: json_input.gc_paused);
* reading each file and scanning it with msgspec against a schema of no fields, which builds
  nothing: the floor of any reader that skips what it does not read, as the fast one does.
  The ratio to this floor is the importer's own cost.

Each figure includes freeing what was read, as an import does.

    python benchmarks/bench_import.py [--repeat N] [--nodes N] [--pods N]

The last line is one JSON object.  Exits non-zero if the import does not match the plan.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import tempfile
import time
from pathlib import Path

from kubernetes_cluster import write
from timing import timed

from vmc_gui.model.importing.kubernetes import import_kubernetes

try:
    import msgspec
except ImportError:  # the careful reader reads everything; no scan floor to measure
    msgspec = None

TARGET_S = 2.0


def load_all(paths: list[Path], pause_gc: bool) -> None:
    if pause_gc:
        gc.disable()
    try:
        for path in paths:
            with open(path, "rb") as file:
                json.load(file)
    finally:
        gc.enable()


if msgspec is not None:

    class _Nothing(msgspec.Struct):
        """A JSON object of which nothing is kept."""


def scan_all(paths: list[Path]) -> None:
    """Read each file and scan it as JSON, building nothing (a schema of no fields)."""
    decoder = msgspec.json.Decoder(_Nothing)
    gc.disable()
    try:
        for path in paths:
            decoder.decode(path.read_bytes())
    finally:
        gc.enable()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--pods", type=int, default=30000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="vmc-import-bench-") as folder:
        start = time.perf_counter()
        paths, plan = write(Path(folder), args.nodes, args.pods)
        made_s = time.perf_counter() - start
        sizes = [p.stat().st_size / 2**20 for p in paths]
        print(
            f"generated {plan.nodes:,} nodes, {plan.pods:,} pods: "
            f"{sizes[0]:.1f} MB + {sizes[1]:.1f} MB in {made_s:.1f} s"
        )

        cluster = import_kubernetes(paths)
        replicas = sum(len(s.replicas) for s in cluster.services)
        kinds = {kind: sum(s.kind == kind for s in cluster.services) for kind in plan.services}
        expected = (plan.nodes, plan.pods - plan.finished, plan.services)
        if (len(cluster.hosts), replicas, kinds) != expected:
            raise SystemExit(f"import {(len(cluster.hosts), replicas, kinds)} != plan {expected}")
        del cluster

        if import_kubernetes(paths, fast=False) != import_kubernetes(paths):
            raise SystemExit("the fast reader's import differs from the careful reader's")

        run_s, _ = timed(lambda: import_kubernetes(paths), args.repeat)
        careful_s, _ = timed(lambda: import_kubernetes(paths, fast=False), args.repeat)
        floor_s, _ = timed(lambda: load_all(paths, pause_gc=False), args.repeat)
        paused_s, _ = timed(lambda: load_all(paths, pause_gc=True), args.repeat)
        scan_s = timed(lambda: scan_all(paths), args.repeat)[0] if msgspec else None

    met = run_s <= TARGET_S
    reader = f"msgspec {msgspec.__version__}" if msgspec else "json (msgspec not installed)"
    print(f"{'':<34}{'median':>9}{'ratio':>9}   target <= {TARGET_S:g} s")
    print(f"{'import_kubernetes':<34}{run_s:>8.2f}s{'':>9}   {'met' if met else 'MISSED'}")
    print(f"{'import_kubernetes, careful reader':<34}{careful_s:>8.2f}s")
    print(f"{'floor: json.load':<34}{floor_s:>8.2f}s{run_s / floor_s:>8.2f}x")
    print(f"{'floor: json.load, GC paused':<34}{paused_s:>8.2f}s{run_s / paused_s:>8.2f}x")
    if scan_s is not None:
        print(f"{'floor: read and scan, msgspec':<34}{scan_s:>8.2f}s{run_s / scan_s:>8.2f}x")
    floor_name, own_floor = ("scan", scan_s) if scan_s is not None else ("paused", paused_s)
    print(
        f"importer's own work over the {floor_name} floor: {run_s - own_floor:.2f} s "
        f"(median of {args.repeat}); {replicas:,} replicas in {sum(kinds.values()):,} services; "
        f"pod lists read with {reader}"
    )
    print(
        json.dumps(
            {
                "benchmark": "import_kubernetes",
                "repeat": args.repeat,
                "python": platform.python_version(),
                "nodes": plan.nodes,
                "pods": plan.pods,
                "file_mb": [round(s, 1) for s in sizes],
                "reader": reader,
                "run_s": round(run_s, 3),
                "careful_run_s": round(careful_s, 3),
                "floor_json_load_s": round(floor_s, 3),
                "floor_gc_paused_s": round(paused_s, 3),
                "floor_scan_s": None if scan_s is None else round(scan_s, 3),
                "ratio_floor": round(run_s / floor_s, 2),
                "ratio_gc_paused": round(run_s / paused_s, 2),
                "ratio_scan": None if scan_s is None else round(run_s / scan_s, 2),
                "target_s": TARGET_S,
                "met": met,
            }
        )
    )


if __name__ == "__main__":
    main()
