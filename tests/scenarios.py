"""Scenario text for tests: the failover scenario's shape with the parts a test changes."""

from __future__ import annotations

from pathlib import Path

from vmc_gui.model.loader import loads_scenario
from vmc_gui.model.scenario import Scenario


def failover_text(
    *,
    replicas: int = 8,
    memory_mb: int = 4096,
    cpu: float = 2.0,
    racks: int = 3,
    hosts_per_rack: int = 4,
    memory_gb: int = 256,
    events: str = '[[events]]\nat_s = 60\nkind = "host_fail"\nhost = "r1-h01"\n',
    parameters: str = "",
    duration_s: float = 600,
    seed: int = 42,
) -> str:
    return f"""
[scenario]
name = "test-failover"
title = "A host fails"
seed = {seed}
duration_s = {duration_s}
worlds = ["vm", "container"]

[cluster]
racks = {racks}
hosts_per_rack = {hosts_per_rack}
cores = 32
memory_gb = {memory_gb}

[[services]]
name = "web"
replicas = {replicas}
cpu = {cpu}
memory_mb = {memory_mb}
image = "nanoserver"

{events}
[parameters]
{parameters}
"""


def failover(**changes: object) -> Scenario:
    return loads_scenario(failover_text(**changes), source="test.toml")  # type: ignore[arg-type]


#: The old load-balancing scenario (a host runs hot and two of its instances must leave, by
#: a ``rebalance`` event): the live-migration mechanics' tests keep it.
HOT_HOST = str(Path(__file__).resolve().parent / "sim" / "cases" / "hot-host.toml")
