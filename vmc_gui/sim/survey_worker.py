"""What a survey's worker process does (issue 21, §4): analyse every single host of one
world, or simulate one failure, of the cluster as found, and say what came of it.

Only text and plain values cross the process boundary, both ways: the scenario goes as its
TOML (``dumps_scenario``), read once per process (:func:`start`); a failure as its
``what_if`` text (``rack=3@60``), a world as its name, hosts by name; the answers come back
as JSON-able dicts.  So a worker trusts nothing it is handed beyond what the loader and
``parse_failure`` check, and nothing but our own plain values is ever pickled.

The same functions run in the survey's own process when it has one job; there
``cancelled`` stops them (a run at its next progress report, the analysis at its next host)
with :class:`~vmc_gui.sim.simulate.Cancelled`.
"""

from __future__ import annotations

import hashlib
import signal
from collections.abc import Callable
from typing import Any

from vmc_gui.model.loader import loads_scenario
from vmc_gui.model.scenario import Scenario, World
from vmc_gui.model.what_if import parse_failure
from vmc_gui.sim.capacity import analyse_hosts, replicas_on, steady_state
from vmc_gui.sim.simulate import Cancelled, Progress, ProgressCallback, simulate
from vmc_gui.sim.survey_outcome import outcomes_of

#: The scenario this process surveys, read once from its TOML, by the text's digest.
_loaded: dict[str, Scenario] = {}


def start(toml_text: str) -> None:
    """A worker's initializer: read the cluster as found (once per process).  Ctrl+C is the
    survey's to handle (it shuts the pool down), not each worker's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    scenario(toml_text)


def scenario(toml_text: str) -> Scenario:
    """``toml_text`` as a Scenario, read once however often it is asked for."""
    key = hashlib.sha256(toml_text.encode()).hexdigest()
    if key not in _loaded:
        _loaded.clear()  # one survey at a time: the last one's cluster goes
        _loaded[key] = loads_scenario(toml_text, source="survey.toml")
    return _loaded[key]


def simulate_failure(
    toml_text: str, failure: str, cancelled: Callable[[], bool] | None = None
) -> dict[str, Any]:
    """Simulate ``failure`` (``what_if`` text with its ``@SECONDS``) in the cluster as found:
    ``{"failure": failure, "worlds": {world: Outcome.to_json()}}``."""
    found = scenario(toml_text)
    event = parse_failure(failure, found.cluster, duration_s=found.duration_s)
    report: ProgressCallback | None = None
    if cancelled is not None:
        stop = cancelled

        def check(_: Progress) -> None:
            if stop():
                raise Cancelled

        report = check
    timeline = simulate(found.with_event(event), report)
    outcomes = outcomes_of(timeline, event.at_s)
    return {"failure": failure, "worlds": {w: o.to_json() for w, o in outcomes.items()}}


def analyse_world(
    toml_text: str,
    world: str,
    at_s: float,
    hosts: list[str],
    cancelled: Callable[[], bool] | None = None,
) -> dict[str, Any]:
    """The capacity analysis of each of ``hosts``' failure at ``at_s`` in ``world``:
    ``{"world": world, "outcomes": {host: Outcome.to_json()}, "loads": {host: replicas}}``."""
    sim = steady_state(scenario(toml_text), World(world), at_s)
    index = {name: i for i, name in enumerate(sim.host_names)}
    chosen = [index[name] for name in hosts]
    stop = cancelled or (lambda: False)
    found = analyse_hosts(sim, chosen, stop)
    if stop():
        raise Cancelled
    names = sim.host_names
    return {
        "world": world,
        "outcomes": {names[h]: outcome.to_json() for h, outcome in found.items()},
        "loads": {names[h]: len(replicas_on(sim, h)) for h in chosen},
    }
