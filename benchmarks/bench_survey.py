"""Benchmark: the survey of a 1,000-host cluster, what survives which failure (issue 21, §4).

The target: ``survey()`` of the at-scale lesson's cluster (25 racks of 40 hosts, 40,000
replicas in each world; its own rack failure removed) in at most 30 s on 2 cores: every one
of the 1,000 single hosts by capacity analysis in each world, the 25 racks and the most
loaded hosts simulated, in worker processes.

Two floors are measured in the same run:

* **the simulations it must do, run perfectly in parallel** (the ratio's floor): one rack's
  failure simulated alone (``simulate()``, both worlds; the median), times the runs the
  survey makes, over the cores.  No survey that simulates those failures can take less; the
  ratio is what the rest costs: starting the workers, the capacity analysis, reading each
  run's outcome, and the cores left idle at the end.
* **one plain simulate()** of the same rack failure, for scale: a person asking about one
  failure waits this long; the survey asks about 1,050.

The survey's own run with one job (in this process, no pool) is timed too, once: what the
pool saves.

    python benchmarks/bench_survey.py [--repeat N] [--jobs N] [--no-serial]

The last line is one JSON object.  Exits non-zero if the survey's answer is not the one
the lesson describes (12 of 25 racks leave 176 VMs pending; every host survived) or if its
analysis and its simulations disagree.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform

from timing import timed

from vmc_gui.model.events import RackFail
from vmc_gui.model.library import resolve
from vmc_gui.sim import simulate
from vmc_gui.sim.survey import Survey, survey

TARGET_S = 30.0


def check(result: Survey) -> list[str]:
    """What is wrong with the answer, if anything (the lesson's own arithmetic)."""
    problems = list(result.disagreements())
    short = {w: [f for f in result.racks if not f.outcome(w).survives] for w in result.worlds}
    if len(result.hosts) != 1000 or len(result.racks) != 25:
        problems.append(f"asked about {len(result.hosts)} hosts and {len(result.racks)} racks")
    if len(short["vm"]) != 12 or any(f.outcome("vm").short != 176 for f in short["vm"]):
        problems.append(f"VM world: {len(short['vm'])} racks short, not 12 of 176 each")
    if short["container"]:
        problems.append(f"container world: {len(short['container'])} racks short, not 0")
    if not all(f.outcome(w).survives for f in result.hosts for w in result.worlds):
        problems.append("a single host failure was not survived")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-serial", action="store_true", help="skip the one-job run")
    args = parser.parse_args()

    scenario = dataclasses.replace(resolve("at-scale"), events=())
    hosts = scenario.cluster.host_count
    replicas = sum(s.replicas for s in scenario.services)
    print(
        f"cluster: {hosts:,} hosts in {scenario.cluster.racks} racks, {replicas:,} replicas "
        f"in each world; {args.jobs} jobs on {os.cpu_count()} cores"
    )

    run_s, result = timed(lambda: survey(scenario, jobs=args.jobs), args.repeat)
    runs = result.simulations
    one = scenario.with_event(RackFail(result.at_s, 1))
    one = dataclasses.replace(one, duration_s=result.until_s)
    single_s, _ = timed(lambda: simulate(one), args.repeat)
    floor_s = single_s * runs / args.jobs
    serial_s = None
    if not args.no_serial:
        serial_s, serial = timed(lambda: survey(scenario, jobs=1), 1)
        if serial != result:
            raise SystemExit("one job and several gave different surveys")
    problems = check(result)

    met = run_s <= TARGET_S
    print(
        f"survey: {len(result.hosts):,} single hosts analysed in each world, {runs} failures "
        f"simulated ({len(result.racks)} racks, {runs - len(result.racks)} hosts)"
    )
    print(f"{'':<44}{'median':>9}{'ratio':>9}   target <= {TARGET_S:g} s")
    print(f"{f'survey, {args.jobs} jobs':<44}{run_s:>8.2f}s{'':>9}   {'met' if met else 'MISSED'}")
    print(
        f"{f'floor: {runs} runs perfectly parallel on {args.jobs}':<44}{floor_s:>8.2f}s"
        f"{run_s / floor_s:>8.2f}x"
    )
    one_label = "floor: one plain simulate() (a rack fails)"
    print(f"{one_label:<44}{single_s:>8.2f}s{run_s / single_s:>8.2f}x")
    if serial_s is not None:
        serial_label = "survey, 1 job (this process, no pool)"
        print(f"{serial_label:<44}{serial_s:>8.2f}s{serial_s / run_s:>8.2f}x the pool's")
    for line in problems:
        print(f"WRONG: {line}")
    print(
        json.dumps(
            {
                "benchmark": "survey",
                "repeat": args.repeat,
                "python": platform.python_version(),
                "cores": os.cpu_count(),
                "jobs": args.jobs,
                "hosts": hosts,
                "simulations": runs,
                "run_s": round(run_s, 3),
                "floor_parallel_s": round(floor_s, 3),
                "one_simulate_s": round(single_s, 3),
                "serial_s": None if serial_s is None else round(serial_s, 3),
                "ratio_floor": round(run_s / floor_s, 2),
                "target_s": TARGET_S,
                "met": met,
                "correct": not problems,
            }
        )
    )
    if problems:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
