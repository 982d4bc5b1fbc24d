"""What survives which failure (issue 21, §4): for a cluster (typically an imported one),
which single host, rack and zone failure each world survives at full capacity, and which
leave replicas pending, held back or still starting, with the time each world took to get
back where that was simulated.

Two ways of answering, each where it fits (docs/survey.md):

- **Simulation** where timing matters: every rack and zone failure (detection, the
  resiliency period, the zones' eviction rate limits, restarts), and a few single hosts so
  that their times are shown: the most loaded host of each world, each world's worst single
  failure, and the hosts the analysis cannot answer exactly.  The runs go to a pool of worker
  processes, one a core (:mod:`.survey_pool`).
- **Capacity analysis** for every single host (:mod:`.capacity`): the engine's own placement
  replayed without a clock, thousands of hosts in about a second.  Where a host is both
  analysed and simulated the two must agree (a test holds them to it); if they do not, the
  simulation's answer is the one shown, and the survey lists the disagreement.

:func:`survey` runs it; a :class:`Survey` is plain values, its JSON the ``--json`` output.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from dataclasses import dataclass, field
from typing import Any

from vmc_gui.model.scenario import Scenario, World
from vmc_gui.model.scenario_toml import dumps_scenario
from vmc_gui.sim.survey_outcome import Outcome
from vmc_gui.sim.survey_plan import WATCH_S, Candidate, SurveyPlan, as_found, plan_survey
from vmc_gui.sim.survey_pool import SurveyCancelled, SurveyProgress, Task, TaskRunner
from vmc_gui.sim.survey_worker import analyse_world, simulate_failure

__all__ = ["Survey", "SurveyCancelled", "SurveyProgress", "survey"]

#: Below this much work (replicas of all worlds times the runs) the survey runs in its own
#: process even with cores to spare: starting a worker (a Python that imports numpy and the
#: engine) costs about a second, more than such a survey's runs take together.
IN_PROCESS_BELOW = 200_000
#: At most this many single hosts per world are simulated because their analysis is not exact.
INEXACT_LIMIT = 16


@dataclass(frozen=True, slots=True)
class FailureResult:
    """One failure: what the analysis and the simulation each said of it, by world."""

    candidate: Candidate
    #: The capacity analysis's answer, by world (single hosts only).
    analysed: dict[str, Outcome] = field(default_factory=dict)
    #: The simulation's answer, by world (racks, zones, and the single hosts simulated).
    simulated: dict[str, Outcome] = field(default_factory=dict)
    #: Why a single host was simulated too ("the most loaded host of the VM world").
    why_simulated: str = ""

    def outcome(self, world: str) -> Outcome:
        """The answer shown: the simulation's where there is one (it is the reference)."""
        return self.simulated.get(world) or self.analysed[world]

    def agrees(self, world: str) -> bool | None:
        """Whether the analysis and the simulation gave the same replicas pending and held
        back, with none still starting; None unless both answered."""
        if world not in self.analysed or world not in self.simulated:
            return None
        a, s = self.analysed[world], self.simulated[world]
        return (a.pending, a.held_back) == (s.pending, s.held_back) and not s.starting

    def to_json(self, at_s: float) -> dict[str, Any]:
        worlds: dict[str, Any] = {}
        for world in self.simulated.keys() | self.analysed.keys():
            answer = self.outcome(world).to_json()
            if world in self.simulated and world in self.analysed:
                answer["analysis"] = self.analysed[world].to_json()
                answer["agrees"] = self.agrees(world)
            worlds[world] = answer
        return {
            "kind": self.candidate.kind,
            "name": self.candidate.name,
            "title": self.candidate.title,
            "what_if": self.candidate.what_if(at_s),
            "hosts": self.candidate.hosts,
            "simulated_because": self.why_simulated or None,
            "worlds": dict(sorted(worlds.items())),
        }


@dataclass(frozen=True, slots=True)
class Survey:
    """A cluster's survey: every failure asked about, and each world's answer."""

    scenario: str
    title: str
    #: When each failure came, and when the watch ended.
    at_s: float
    until_s: float
    #: The worlds, by value, in the scenario's order.
    worlds: tuple[str, ...]
    hosts: tuple[FailureResult, ...]
    racks: tuple[FailureResult, ...]
    zones: tuple[FailureResult, ...]
    #: Hosts already down in the cluster as found; why a kind was not asked about.
    down: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def of_kind(self, kind: str) -> tuple[FailureResult, ...]:
        """The failures of ``kind``: ``"host"``, ``"rack"`` or ``"zone"``."""
        return {"host": self.hosts, "rack": self.racks, "zone": self.zones}[kind]

    @property
    def simulations(self) -> int:
        return sum(1 for f in (*self.hosts, *self.racks, *self.zones) if f.simulated)

    def disagreements(self) -> list[str]:
        """Each failure where the analysis and the simulation differ, in words."""
        found = []
        for failure in self.hosts:
            for world in self.worlds:
                if failure.agrees(world) is False:
                    a, s = failure.analysed[world], failure.simulated[world]
                    found.append(
                        f"{failure.candidate.title} ({world}): the analysis found {a.short} "
                        f"not ready, the simulation {s.short}; the simulation's answer is shown"
                    )
        return found

    def to_json(self) -> dict[str, Any]:
        """The ``vmc-gui survey --json`` document."""
        worlds: dict[str, Any] = {}
        for world in self.worlds:
            worlds[world] = {"title": World(world).display_name}
            for kind, name in (("host", "hosts"), ("rack", "racks"), ("zone", "zones")):
                failures = self.of_kind(kind)
                outcomes = [f.outcome(world) for f in failures]
                times = [o.recovery_s for o in outcomes if o.recovery_s is not None]
                worlds[world][name] = {
                    "total": len(failures),
                    "survive": sum(o.survives for o in outcomes),
                    "short": sum(not o.survives for o in outcomes),
                    "simulated": sum(world in f.simulated for f in failures),
                    "slowest_recovery_s": round(max(times), 6) if times else None,
                }
        return {
            "scenario": self.scenario,
            "title": self.title,
            "at_s": self.at_s,
            "until_s": self.until_s,
            "watch_s": self.until_s - self.at_s,
            "down_at_start": list(self.down),
            "notes": list(self.notes),
            "simulations": self.simulations,
            "worlds": worlds,
            "failures": [f.to_json(self.at_s) for f in (*self.hosts, *self.racks, *self.zones)],
            "disagreements": self.disagreements(),
        }


def survey(
    scenario: Scenario,
    *,
    jobs: int | None = None,
    progress: SurveyProgress | None = None,
    cancel: threading.Event | None = None,
) -> Survey:
    """Survey ``scenario``'s cluster (see the module).  ``jobs``: worker processes (None:
    every core, or this process alone for a small survey; 1: this process).  ``progress``
    hears ``(done, total, what)`` after each task; ``cancel`` set stops the survey with
    :class:`SurveyCancelled` at the next task (or report, in this process)."""
    if not scenario.runs:
        raise ValueError(f"{scenario.name} is a compatibility matrix: it has no cluster to fail")
    runner_cancel = cancel or threading.Event()
    if runner_cancel.is_set():
        raise SurveyCancelled
    plan = plan_for(scenario)
    text = dumps_scenario(plan.baseline)
    timed = [*plan.racks, *plan.zones]
    workers = _jobs(jobs, plan, len(timed) + 2 * len(scenario.worlds))
    hosts = [c.name for c in plan.hosts]
    with TaskRunner(text, workers, runner_cancel, progress) as runner:
        # The analysis first: the hosts simulated as well wait for its answers, while the
        # racks and zones keep the other workers busy.
        analyses = [
            Task(
                f"capacity:{world.value}",
                f"capacity analysis: {world_title(world.value)}",
                analyse_world,
                (world.value, plan.at_s, hosts),
            )
            for world in scenario.worlds
        ]
        runner.submit(analyses)
        runner.submit(_simulation(c, plan.at_s) for c in timed)
        answers = runner.results(task.key for task in analyses)
        analysed = {
            a["world"]: {h: Outcome.from_json(o) for h, o in a["outcomes"].items()}
            for a in answers.values()
        }
        loads = {a["world"]: dict(a["loads"]) for a in answers.values()}
        chosen = _hosts_to_simulate(plan, analysed, loads)
        runner.submit(_simulation(c, plan.at_s) for c in plan.hosts if c.name in chosen)
        results = runner.results()
    return _assemble(scenario, plan, analysed, chosen, results)


def _simulation(candidate: Candidate, at_s: float) -> Task:
    failure = candidate.what_if(at_s)
    title = f"host {candidate.name}" if candidate.kind == "host" else candidate.title
    return Task(failure, title, simulate_failure, (failure,))


def plan_for(scenario: Scenario) -> SurveyPlan:
    """The survey of ``scenario``: where the cluster as found is still recovering from its
    starting failures, the survey's come once it has settled (one run, to find when)."""
    found = as_found(scenario)
    return plan_survey(scenario, _settled(found) if found.events else None)


def _settled(found: Scenario) -> float:
    """When the last replica of the cluster as found changed, its starting failures played."""
    from vmc_gui.sim.simulate import simulate

    timeline = simulate(dataclasses.replace(found, duration_s=WATCH_S))
    last = 0.0
    for wt in timeline.worlds.values():
        times = wt.changes.phase_times
        if len(times):
            last = max(last, float(times.max()))
    return last


def _jobs(jobs: int | None, plan: SurveyPlan, runs: int) -> int:
    if jobs is not None:
        return max(1, jobs)
    found = plan.baseline
    replicas = sum(
        service.replicas
        for world in found.worlds
        for service in found.services
        if service.runs_in(world)
    )
    if replicas * runs < IN_PROCESS_BELOW:
        return 1
    return max(1, min(os.cpu_count() or 1, runs))


def _hosts_to_simulate(
    plan: SurveyPlan, analysed: dict[str, dict[str, Outcome]], loads: dict[str, dict[str, int]]
) -> dict[str, str]:
    """The single hosts simulated too, each with why: per world its most loaded host (its
    time is the one people ask about), its worst failure, and the hosts whose analysis is
    not exact (at most :data:`INEXACT_LIMIT`)."""
    order = {c.name: i for i, c in enumerate(plan.hosts)}
    chosen: dict[str, str] = {}
    for world, outcomes in analysed.items():
        if not outcomes:
            continue
        title = world_title(world)
        busiest = max(outcomes, key=lambda h: (loads[world][h], -order[h]))
        chosen.setdefault(busiest, f"the most loaded host of the {title}")
        worst = max(outcomes, key=lambda h: (outcomes[h].short, outcomes[h].lost, -order[h]))
        if outcomes[worst].short:
            chosen.setdefault(worst, f"the worst single host failure of the {title}")
        inexact = [h for h, o in outcomes.items() if not o.exact][:INEXACT_LIMIT]
        for host in inexact:
            chosen.setdefault(host, f"the analysis cannot order its replicas in the {title}")
    return chosen


def _assemble(
    scenario: Scenario,
    plan: SurveyPlan,
    analysed: dict[str, dict[str, Outcome]],
    chosen: dict[str, str],
    results: dict[str, dict[str, Any]],
) -> Survey:
    def simulated(candidate: Candidate) -> dict[str, Outcome]:
        answer = results.get(candidate.what_if(plan.at_s))
        if answer is None:
            return {}
        return {w: Outcome.from_json(o) for w, o in answer["worlds"].items()}

    hosts = tuple(
        FailureResult(
            c,
            analysed={w: found[c.name] for w, found in analysed.items()},
            simulated=simulated(c) if c.name in chosen else {},
            why_simulated=chosen.get(c.name, ""),
        )
        for c in plan.hosts
    )
    return Survey(
        scenario=scenario.name,
        title=scenario.title,
        at_s=plan.at_s,
        until_s=plan.until_s,
        worlds=tuple(w.value for w in scenario.worlds),
        hosts=hosts,
        racks=tuple(FailureResult(c, simulated=simulated(c)) for c in plan.racks),
        zones=tuple(FailureResult(c, simulated=simulated(c)) for c in plan.zones),
        down=plan.down,
        notes=plan.notes,
    )


def world_title(world: str) -> str:
    """``VM world``, ``Container world``, or a variant's whole name."""
    return World(world).display_name.split(":")[0]
