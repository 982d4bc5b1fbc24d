"""Helpers for the lesson tests: run a bundled scenario, with settings changed."""

from __future__ import annotations

from typing import Any

from vmc_gui.model.library import resolve
from vmc_gui.model.parameters import PARAMETERS
from vmc_gui.sim import simulate
from vmc_gui.sim.summary import to_json


def run(name: str, **settings: Any) -> dict[str, Any]:
    """``vmc-gui simulate NAME --json`` as a dict; ``a__b=1`` sets parameter ``a.b``."""
    overrides = {key.replace("__", "."): value for key, value in settings.items()}
    scenario = resolve(name).with_parameters(overrides)
    return to_json(simulate(scenario))


def default(name: str) -> float:
    return float(PARAMETERS[name].default)


def seconds(name: str) -> float:
    """A duration parameter's default in seconds."""
    factor = 0.001 if PARAMETERS[name].unit == "ms" else 1.0
    return default(name) * factor


def pull_s(megabytes: float) -> float:
    """An image pull at the default registry bandwidth: MB * 8 / (Gbit/s * 1000)."""
    return megabytes * 8 / (default("registry.bandwidth_gbps") * 1000)
