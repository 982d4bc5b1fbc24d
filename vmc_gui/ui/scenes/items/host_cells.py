"""A host seen from afar: one cell, coloured by the host's state and shaded by its fill.

At scale a host is a few pixels on screen (the far level of semantic zoom, issue 20): what
reads there is its state and how full it is, not its name.  The cell's colour says the
state the lessons are about (up, failed or noticed down, cut off but running, draining,
quarantined, NotReady and tainted, out of service); its strength says how full the host is
(memory: what fails a placement), a pale cell an empty host.  The legend of a large cluster
uses the same words and colours, from here.
"""

from __future__ import annotations

from enum import Enum

import numpy as np
from PySide6.QtGui import QColor

from vmc_gui.sim.records import HostStatus, Phase
from vmc_gui.ui.theme import Theme, mixed


class CellState(Enum):
    """What a cell's colour says, in the legend's words."""

    UP = "up"
    FAILED = "failed"
    CUT_OFF = "cut off"
    DRAINING = "draining"
    QUARANTINED = "quarantined"
    TAINTED = "NotReady, tainted"
    OUT_OF_SERVICE = "out of service"


def cell_state(status: int, running_cut_off: bool) -> CellState:
    """The cell's state for a host in ``status``; ``running_cut_off``: it runs, but the
    clients do not reach it (a partition), whatever its platform calls it."""
    if running_cut_off:
        return CellState.CUT_OFF
    match HostStatus(status):
        case HostStatus.UP:
            return CellState.UP
        case HostStatus.DRAINING:
            return CellState.DRAINING
        case HostStatus.QUARANTINED:
            return CellState.QUARANTINED
        case HostStatus.TAINTED:
            return CellState.TAINTED
        case HostStatus.OUT_OF_SERVICE:
            return CellState.OUT_OF_SERVICE
        case _:
            # Failed, down (noticed), isolated: a crashed host, as the platforms see it.
            return CellState.FAILED


#: Each host status's cell state (index into ``CellState``), for a whole world at once; a
#: host cut off but running is ``CUT_OFF`` whatever its status (set apart by the caller).
STATE_OF_STATUS = np.array(
    [list(CellState).index(cell_state(int(s), False)) for s in HostStatus], dtype=np.int64
)
CUT_OFF_INDEX = list(CellState).index(CellState.CUT_OFF)


def state_colour(theme: Theme, state: CellState) -> QColor:
    """The full-strength colour of ``state``."""
    match state:
        case CellState.UP:
            return theme.phase(int(Phase.READY))
        case CellState.FAILED:
            return theme.compromised
        case CellState.CUT_OFF:
            return theme.cut
        case CellState.DRAINING:
            return theme.bar_app
        case CellState.QUARANTINED:
            return theme.muted
        case CellState.TAINTED:
            return theme.bar_overhead
        case CellState.OUT_OF_SERVICE:
            return theme.strong_boundary


def cell_colour(theme: Theme, state: CellState, fill: float) -> QColor:
    """A cell of ``state`` for a host ``fill`` full (0 to 1): an empty host is pale, a full
    one the state's full colour; a host that is not up is drawn full strength."""
    colour = state_colour(theme, state)
    if state is not CellState.UP:
        return colour
    return mixed(colour, theme.background, 0.3 + 0.7 * max(0.0, min(1.0, fill)))


def legend_html(theme: Theme, states: list[CellState]) -> str:
    """The cells' legend: a swatch and the words of each state, and what the shade means."""
    spans = [
        f'<span style="color:{state_colour(theme, s).name()}">&#9632;</span>&nbsp;'
        + s.value.replace(" ", "&nbsp;")
        for s in states
    ]
    pale = cell_colour(theme, CellState.UP, 0.0).name()
    full = cell_colour(theme, CellState.UP, 1.0).name()
    shade = (
        f'<span style="color:{pale}">&#9632;</span><span style="color:{full}">&#9632;</span>'
        "&nbsp;paler:&nbsp;emptier"
    )
    return "Each cell is a host: " + " &nbsp; ".join([*spans, shade])
