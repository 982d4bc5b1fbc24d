"""The bundled scenario library, read with importlib.resources so that it works from a wheel."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from vmc_gui.model.errors import Problem, ScenarioError
from vmc_gui.model.loader import load_scenario, loads_scenario
from vmc_gui.model.scenario import Scenario

_PACKAGE = "vmc_gui.resources.scenarios"


def scenario_names() -> list[str]:
    """The names of the bundled scenarios, sorted."""
    folder = resources.files(_PACKAGE)
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )


def bundled_text(name: str) -> bytes:
    return resources.files(_PACKAGE).joinpath(f"{name}.toml").read_bytes()


def resolve(name_or_path: str) -> Scenario:
    """A bundled scenario by name (as ``vmc-gui list`` prints it, with or without its
    ``scenario:``), or a scenario file by path."""
    bundled = name_or_path.removeprefix("scenario:")
    if bundled in scenario_names():
        return loads_scenario(bundled_text(bundled), source=f"{bundled}.toml")
    if name_or_path.endswith(".toml") or Path(name_or_path).exists():
        return load_scenario(name_or_path)
    known = ", ".join(scenario_names())
    raise ScenarioError(
        [Problem(name_or_path, None, "", f"no such scenario; the bundled ones are: {known}")]
    )
