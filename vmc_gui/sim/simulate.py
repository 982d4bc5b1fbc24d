"""Run every world of a scenario and gather the results into a Timeline.

The engine, the policies and numpy load on the first run, not on import: the app's first
screen imports this package (for the phase colours) and must not pay for them.

A caller with a progress bar passes ``progress``: it hears of each world as it starts and of
its simulated clock as it runs (see :class:`Progress`), and stops the run by raising
:class:`Cancelled` from it.  The reports are counted in events, never timed, and change
nothing in the run: its results are byte for byte those of a run without them.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from vmc_gui.model.scenario import Platform, Scenario, World

if TYPE_CHECKING:
    from vmc_gui.sim.timeline import Timeline
    from vmc_gui.sim.world import WorldSim


@cache
def platforms() -> dict[Platform, type[WorldSim]]:
    """The simulation of each platform; a world's storage and isolation are options of it."""
    from vmc_gui.sim.policies.hyperv import HyperVWorld
    from vmc_gui.sim.policies.kubernetes import KubernetesWorld

    return {Platform.VM: HyperVWorld, Platform.CONTAINER: KubernetesWorld}


def world_seed(seed: int, world: World) -> int:
    """Each world's own random stream, the same on every machine and Python build.

    Worlds of one platform share a stream (the same heartbeat and status-post offsets), so
    that a storage or isolation variant differs from its platform only by what it varies.
    """
    digest = hashlib.sha256(f"{seed}/{world.platform.value}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def world_sim(scenario: Scenario, world: World, rng: random.Random | None = None) -> WorldSim:
    """The simulation of one world of ``scenario``, not yet run."""
    rng = rng or random.Random(world_seed(scenario.seed, world))
    return platforms()[world.platform](scenario, rng, world)


class Cancelled(Exception):
    """Raised by a progress callback to stop the run; :func:`simulate` lets it through."""


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a run has got: which world, and that world's simulated clock."""

    #: The world running, its place among the scenario's worlds (from 0), and how many.
    world: World
    index: int
    worlds: int
    #: The world's simulated clock, and where it stops.
    now_s: float
    duration_s: float
    #: Whether the world is still placing its replicas (its clock has not started yet).
    placing: bool = False

    @property
    def fraction(self) -> float:
        """Of the whole run, 0..1, counting each world as an equal share."""
        within = 0.0 if self.placing else min(1.0, self.now_s / max(self.duration_s, 1e-9))
        return (self.index + within) / max(self.worlds, 1)


ProgressCallback = Callable[[Progress], None]


def simulate(scenario: Scenario, progress: ProgressCallback | None = None) -> Timeline:
    """Simulate ``scenario`` in each of its worlds; pure, deterministic, no wall clock.

    ``progress`` is told of each world as it starts placing its replicas, then of its clock
    every few thousand events; whatever it raises (:class:`Cancelled`) ends the run.
    """
    from vmc_gui.sim.timeline import Timeline

    if progress is None:
        runs = [world_sim(scenario, world).run() for world in scenario.worlds]
        return Timeline(scenario, runs)
    runs = []
    count, duration = len(scenario.worlds), scenario.duration_s
    for index, world in enumerate(scenario.worlds):
        # Placing a large deployment is the longest single step of a run, before any event.
        progress(Progress(world, index, count, 0.0, duration, placing=True))
        sim = world_sim(scenario, world)

        def report(now: float, world: World = world, index: int = index) -> None:
            progress(Progress(world, index, count, now, duration))

        sim.engine.progress = report
        runs.append(sim.run())
    return Timeline(scenario, runs)
