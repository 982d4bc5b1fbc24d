"""One import, start to finish, for the command line and the app alike: read the export,
build the scenario, and check that what would be written reads back (issue 21).

``vmc-gui import`` writes the result's ``text``; File > Import Cluster… shows its summary
first and opens the scenario, untitled, when the user agrees.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vmc_gui.model.imported import ImportedCluster, ImportProblem
from vmc_gui.model.loader import loads_scenario
from vmc_gui.model.scenario import Scenario
from vmc_gui.model.scenario_toml import dumps_scenario

#: What can be imported, and how each is named to a person.
SOURCES = {"kubernetes": "Kubernetes", "hyperv": "Hyper-V"}


@dataclass(frozen=True, slots=True)
class ImportResult:
    """A scenario built from a real cluster's export, as written and as read back."""

    scenario: Scenario
    #: The scenario file's text (what ``--out`` gets).
    text: str
    #: What was read and what was left out, as counts (``ImportSummary.lines``).
    summary: tuple[str, ...]
    cluster: ImportedCluster
    #: The files (and dump folders) it was read from.
    paths: tuple[str, ...]


def scenario_name(stem: str) -> str:
    """A scenario name (``[a-z0-9_-]``, up to 63) from a file's stem."""
    return re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")[:63] or "imported"


def import_cluster(
    source: str, paths: Sequence[str | Path], *, name: str, title: str
) -> ImportResult:
    """Import ``paths`` (``source`` one of :data:`SOURCES`) into a scenario called ``name``.

    Raises :class:`ImportProblem` for an export that cannot be read (one, naming the file and
    the JSON path) and :class:`~vmc_gui.model.errors.ScenarioError` if the scenario built
    would not read back (a bug, never the user's: said so rather than written)."""
    if source == "kubernetes":
        from vmc_gui.model.importing.kubernetes import import_kubernetes

        imported = import_kubernetes(paths)
    elif source == "hyperv":
        from vmc_gui.model.importing.hyperv import import_hyperv

        imported = import_hyperv(paths)
    else:
        raise ImportProblem(source, "", f"not a source: {', '.join(SOURCES)}")
    if not imported.hosts:
        raise ImportProblem(
            ", ".join(str(p) for p in paths[:3]), "", "the files hold no host: nothing to simulate"
        )
    from vmc_gui.model.importing.to_scenario import scenario_from

    scenario = scenario_from(imported, name, title[:200])
    text = dumps_scenario(scenario)
    loads_scenario(text, source=f"{name}.toml")  # what is written reads back
    return ImportResult(
        scenario, text, tuple(imported.summary.lines()), imported, tuple(str(p) for p in paths)
    )
