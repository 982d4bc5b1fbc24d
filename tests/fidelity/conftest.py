"""Helpers for the fidelity suite: run the command line as a user would and read its JSON."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def simulate_json(*args: str) -> dict[str, Any]:
    """``vmc-gui simulate ARGS --json``, run in this process, as a dict."""
    from vmc_gui.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["simulate", *args, "--json"])
    assert code == 0, f"vmc-gui simulate {' '.join(args)} failed"
    return json.loads(out.getvalue())


def recovery(document: dict[str, Any], world: str) -> float | None:
    return document["worlds"][world]["recovery_s"]


def phase(document: dict[str, Any], world: str, name: str) -> dict[str, float]:
    """A phase of a world's recovery: its start and end."""
    for found in document["worlds"][world]["phases"]:
        if found["name"] == name:
            return found
    raise KeyError(f"{world} has no phase {name!r}")


@pytest.fixture(scope="session")
def docs_text() -> str:
    """What the user reads: the README and every page of the docs, as one text."""
    pages = [ROOT / "README.md", ROOT / "DESIGN.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(page.read_text() for page in pages)
