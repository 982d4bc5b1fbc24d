"""Golden runs: every bundled scenario's digest and each world's figures, as `simulate --json`
prints them, pinned in golden.json.

The safety net for refactoring the engine (issue 19 turns each event kind into its own class
and adds network events): a change that is not meant to change any run must leave all of
these byte for byte.  A change that is meant to rewrites the file on purpose:
``VMC_UPDATE_GOLDEN=1 pytest tests/sim/test_golden.py``, and its commit says why each run
changed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from vmc_gui.model.library import resolve, scenario_names
from vmc_gui.sim import simulate
from vmc_gui.sim.summary import to_json

GOLDEN = Path(__file__).with_name("golden.json")
#: Each world's figures that a refactoring must keep (the phases and events are in the digest).
FIGURES = ("recovery_s", "downtime_s", "outage_s", "peak_memory_used_gb", "pending", "held_back")


def _run(name: str) -> dict[str, object]:
    document = to_json(simulate(resolve(name)))
    worlds = {
        world: {key: figures.get(key) for key in FIGURES}
        for world, figures in document["worlds"].items()
    }
    return {"digest": document["digest"], "worlds": worlds}


def _golden() -> dict[str, object]:
    return json.loads(GOLDEN.read_text()) if GOLDEN.exists() else {}


@pytest.mark.parametrize("name", scenario_names())
def test_every_bundled_run_is_as_pinned(name):
    run = _run(name)
    if os.environ.get("VMC_UPDATE_GOLDEN"):
        golden = _golden()
        golden[name] = run
        GOLDEN.write_text(json.dumps(golden, indent=2, sort_keys=True) + "\n")
        return
    pinned = _golden().get(name)
    assert pinned is not None, f"{name} is not pinned: VMC_UPDATE_GOLDEN=1 pytest {__file__}"
    assert run == pinned, f"{name}'s run changed; if on purpose, pin it again and say why"


def test_nothing_pinned_is_missing_from_the_library():
    assert sorted(_golden()) == sorted(scenario_names())
