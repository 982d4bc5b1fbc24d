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


def download_s(megabytes: float, gbps: float | None = None) -> float:
    """Sending ``megabytes`` (2**20 bytes) over the registry's link: MB * 8 * 2**20 / bit/s."""
    return megabytes * 8 * 2**20 / ((gbps or default("registry.bandwidth_gbps")) * 1e9)


def pull_s(megabytes: float, gbps: float | None = None) -> float:
    """A cold pull of an image of ``megabytes`` compressed: the download, then the extraction
    (its rate counted in compressed megabytes, as Docker's progress counts them)."""
    extract = megabytes / default("container.extract_mb_s")
    return download_s(megabytes, gbps) + extract
