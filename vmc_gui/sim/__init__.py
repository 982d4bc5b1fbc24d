"""The deterministic discrete-event simulation: ``simulate(scenario) -> Timeline``. No Qt here."""

from vmc_gui.sim.simulate import simulate
from vmc_gui.sim.timeline import Event, Series, State, Timeline, WorldState

__all__ = ["Event", "Series", "State", "Timeline", "WorldState", "simulate"]
