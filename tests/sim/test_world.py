"""The two ways a platform counts room on a host agree: one at a time, and in bulk."""

from __future__ import annotations

import random

import numpy as np
import pytest

from tests.scenarios import failover
from vmc_gui.model.scenario import World
from vmc_gui.sim.simulate import world_sim


@pytest.mark.parametrize("world", list(World))
@pytest.mark.parametrize(("cpu", "memory"), [(2.0, 4096.0), (0.5, 30000.0), (13.0, 100.0)])
def test_room_counts_what_fits(world, cpu, memory):
    sim = world_sim(failover(replicas=30, memory_mb=3000), world, random.Random(3))
    sim.deploy()
    sim.fail_host(5)
    hosts = np.arange(len(sim.host_names))
    room = sim.room(hosts, cpu, memory)
    for h in hosts.tolist():
        assert (room[h] >= 1) == sim.fits(h, cpu, memory), sim.host_names[h]
