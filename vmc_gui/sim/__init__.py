"""The deterministic discrete-event simulation: ``simulate(scenario) -> Timeline``. No Qt here.

Importing the package is light: ``simulate`` loads the engine and the policies on its first
run, and the Timeline names (numpy) load on first use (PEP 562).  The app's first screen
needs only ``sim.records`` (the phase colours).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Bound here, eagerly (simulate.py is light): a lazy name equal to its submodule's would be
# shadowed by the submodule itself once anything imported vmc_gui.sim.simulate.
from vmc_gui.sim.simulate import simulate

if TYPE_CHECKING:
    from vmc_gui.sim.timeline import Event, Series, State, Timeline, WorldState

__all__ = ["Event", "Series", "State", "Timeline", "WorldState", "simulate"]

#: The names that load on first use (their module imports numpy).
_LAZY = frozenset({"Event", "Series", "State", "Timeline", "WorldState"})


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module("vmc_gui.sim.timeline"), name)
    globals()[name] = value  # once loaded, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
