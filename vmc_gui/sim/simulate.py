"""Run every world of a scenario and gather the results into a Timeline."""

from __future__ import annotations

import hashlib
import random

from vmc_gui.model.scenario import Scenario, World
from vmc_gui.sim.policies.hyperv import HyperVWorld
from vmc_gui.sim.policies.kubernetes import KubernetesWorld
from vmc_gui.sim.timeline import Timeline
from vmc_gui.sim.world import WorldSim

WORLDS: dict[World, type[WorldSim]] = {
    World.VM: HyperVWorld,
    World.CONTAINER: KubernetesWorld,
}


def world_seed(seed: int, world: World) -> int:
    """Each world's own random stream, the same on every machine and Python build."""
    digest = hashlib.sha256(f"{seed}/{world.value}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def simulate(scenario: Scenario) -> Timeline:
    """Simulate ``scenario`` in each of its worlds; pure, deterministic, no wall clock."""
    runs = [
        WORLDS[world](scenario, random.Random(world_seed(scenario.seed, world))).run()
        for world in scenario.worlds
    ]
    return Timeline(scenario, runs)
