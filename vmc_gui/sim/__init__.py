"""The deterministic discrete-event simulation: ``simulate(scenario) -> Timeline``. No Qt here.

The names below load on first use (PEP 562): a module that needs only ``sim.records`` (the
app's colours, on its first screen) does not pay for the engine, the policies and networkx.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vmc_gui.sim.simulate import simulate
    from vmc_gui.sim.timeline import Event, Series, State, Timeline, WorldState

__all__ = ["Event", "Series", "State", "Timeline", "WorldState", "simulate"]

_HOMES = {
    "simulate": "vmc_gui.sim.simulate",
    "Event": "vmc_gui.sim.timeline",
    "Series": "vmc_gui.sim.timeline",
    "State": "vmc_gui.sim.timeline",
    "Timeline": "vmc_gui.sim.timeline",
    "WorldState": "vmc_gui.sim.timeline",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # once loaded, an ordinary attribute
    return value
