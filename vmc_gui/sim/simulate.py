"""Run every world of a scenario and gather the results into a Timeline.

The engine, the policies and numpy load on the first run, not on import: the app's first
screen imports this package (for the phase colours) and must not pay for them.
"""

from __future__ import annotations

import hashlib
import random
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


def simulate(scenario: Scenario) -> Timeline:
    """Simulate ``scenario`` in each of its worlds; pure, deterministic, no wall clock."""
    from vmc_gui.sim.timeline import Timeline

    runs = [world_sim(scenario, world).run() for world in scenario.worlds]
    return Timeline(scenario, runs)
