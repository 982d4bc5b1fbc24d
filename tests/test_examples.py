"""The example files in examples/: each loads, and the limit scenario is at the loader's
limits (its run is measured in benchmarks, not here: it takes seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vmc_gui.model.loader import MAX_HOSTS, MAX_WORKLOADS, load_scenario
from vmc_gui.model.scenario import World

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
def test_every_example_loads(path: Path):
    scenario = load_scenario(path)
    assert scenario.runs and not scenario.warnings


def test_the_limit_scenario_is_at_the_limits():
    scenario = load_scenario(EXAMPLES / "limit-10000.toml")
    assert (scenario.cluster.racks, scenario.cluster.hosts_per_rack) == (100, 100)
    assert scenario.cluster.host_count == MAX_HOSTS
    assert sum(s.replicas for s in scenario.services) == MAX_WORKLOADS
    assert set(scenario.worlds) == {World.VM, World.CONTAINER}
    assert [e.kind for e in scenario.events] == ["rack_fail"]
