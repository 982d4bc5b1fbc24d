"""The bundled scenario library, read with importlib.resources so that it works from a wheel."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from vmc_gui.model.errors import Problem, ScenarioError
from vmc_gui.model.loader import load_scenario, loads_scenario
from vmc_gui.model.picture import is_picture, load_picture
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


def load_file(path: str | Path) -> Scenario:
    """The scenario in a file: a scenario file, or a picture vmc-gui exported (.png, .apng,
    .svg), which carries the scenario it shows."""
    return load_picture(path) if is_picture(path) else load_scenario(path)


def resolve(name_or_path: str) -> Scenario:
    """A bundled scenario by name (as ``vmc-gui list`` prints it, with or without its
    ``scenario:``), or a scenario file or an exported picture by path."""
    bundled = name_or_path.removeprefix("scenario:")
    if bundled in scenario_names():
        return loads_scenario(bundled_text(bundled), source=f"{bundled}.toml")
    if name_or_path.endswith(".toml") or is_picture(name_or_path) or Path(name_or_path).exists():
        return load_file(name_or_path)
    known = ", ".join(scenario_names())
    raise ScenarioError(
        [Problem(name_or_path, None, "", f"no such scenario; the bundled ones are: {known}")]
    )
