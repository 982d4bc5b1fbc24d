"""Benchmark: every bundled lesson scenario simulated at its shipped size.

The target (issue 3): each scenario simulates, summary and digest included (what
``vmc-gui simulate NAME --json`` does), in under a second.  The floor beside it is the same
scenario with its timed events removed: the steady state alone (deploying the services and
building the timeline), so the ratio shows what the lesson's own events cost.

    python benchmarks/bench_library.py [--repeat N]

The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform

from timing import timed

from vmc_gui.model.library import resolve, scenario_names
from vmc_gui.sim import simulate
from vmc_gui.sim.summary import to_json

TARGET_S = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    rows = []
    print(f"{'scenario':<16}{'run':>10}{'floor':>10}{'ratio':>8}{'events':>9}   target <= 1 s")
    for name in scenario_names():
        scenario = resolve(name)
        bare = dataclasses.replace(scenario, events=())
        run_s, _ = timed(lambda s=scenario: to_json(simulate(s)), args.repeat)
        floor_s, _ = timed(lambda s=bare: to_json(simulate(s)), args.repeat)
        events = simulate(scenario).event_count()
        met = run_s <= TARGET_S
        rows.append(
            {
                "scenario": name,
                "run_s": round(run_s, 5),
                "floor_s": round(floor_s, 5),
                "ratio": round(run_s / floor_s, 2),
                "events": events,
                "met": met,
            }
        )
        print(
            f"{name:<16}{run_s * 1000:>8.1f}ms{floor_s * 1000:>8.1f}ms{run_s / floor_s:>7.2f}x"
            f"{events:>9,}   {'met' if met else 'MISSED'}"
        )
    slowest = max(rows, key=lambda r: r["run_s"])
    print(
        f"slowest: {slowest['scenario']} {slowest['run_s'] * 1000:.1f} ms "
        f"(median of {args.repeat}); all under {TARGET_S:g} s: {all(r['met'] for r in rows)}"
    )
    print(
        json.dumps(
            {
                "benchmark": "scenario_library",
                "repeat": args.repeat,
                "python": platform.python_version(),
                "scenarios": rows,
                "all_met": all(r["met"] for r in rows),
            }
        )
    )


if __name__ == "__main__":
    main()
