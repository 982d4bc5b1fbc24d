"""What a large cluster says in words at a glance: each rack's head and each world's totals.

At scale (issue 20) a host is a cell and its name cannot be read; what reads is counted per
rack ("Rack 12", "38 up · 2 failed", "1,520 ready · 80 booting", the zone's state, and
"switch tor-r12 down" while it is) and per world ("1,000 hosts: 960 up · 40 failed · 40,000
VMs: 38,400 ready · 1,600 booting", and "network: core switch up").  Each line comes with
shorter wordings, longest first: the rack's head takes the longest that fits its column on
screen.  Counted with numpy from the state at a time: a frame of a thousand hosts counts in
well under a millisecond.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from vmc_gui.model.cluster import CORE_SWITCH, tor_switch
from vmc_gui.model.events import link_key
from vmc_gui.sim.network import NetState
from vmc_gui.sim.records import NOT_CREATED, HostStatus, Phase, ZoneState
from vmc_gui.sim.timeline import WorldState

#: A line's wordings, longest first, and its theme role.
Line = tuple[tuple[str, ...], str]
#: Phase codes, one past the largest (for counting with bincount).
_PHASES = int(max(Phase)) + 1
_STATUSES = int(max(HostStatus)) + 1
#: A zone's state in words, long and short, and how loudly.
_ZONE = {
    ZoneState.NORMAL: (("zone normal", "normal"), "muted"),
    ZoneState.PARTIAL: (("partially down", "partial"), "alarm"),
    ZoneState.FULL: (("full disruption", "full"), "warning"),
}
#: A rack's way to the core, as :func:`rack_network` gives it: working, its top-of-rack
#: switch down, or its uplink to the core cut (its switch up).
NET_UP, SWITCH_DOWN, UPLINK_CUT = 0, 1, 2


def _short(n: int) -> str:
    """1,520 as "1.5k": a narrow column's figure."""
    return f"{n / 1000:.1f}k" if n >= 1000 else str(n)


def _counts_line(
    counts: npt.NDArray[np.int64], word: Callable[[int], str], role: str = "text"
) -> Line:
    """ "38 up · 2 failed" from counts indexed by code, most first; shorter: the first one,
    then its figure shortened."""
    codes = np.flatnonzero(counts)
    codes = codes[np.argsort(-counts[codes], kind="stable")]
    parts = [(int(counts[c]), word(int(c))) for c in codes]
    if not parts:
        return (("none",), "muted")
    full = " · ".join(f"{n:,} {w}" for n, w in parts)
    first_n, first_w = parts[0]
    # Shorter and shorter: the largest count only, its figure shortened, then the figure
    # alone (the line's colour and the tooltip say what it counts).
    wordings = [
        full,
        f"{first_n:,} {first_w}",
        f"{_short(first_n)} {first_w}",
        f"{first_n:,}",
        _short(first_n),
    ]
    return tuple(dict.fromkeys(wordings)), role


def host_counts(
    state: WorldState, rack_of_host: npt.NDArray[np.int64], racks: int
) -> npt.NDArray[np.int64]:
    """Hosts per rack by status: (racks, statuses); ``rack_of_host``: each host's rack,
    0-based (racks may differ in size: an imported cluster's zones)."""
    status = state.host_status.astype(np.int64)
    rack = rack_of_host
    flat = np.bincount(rack * _STATUSES + status, minlength=racks * _STATUSES)
    return flat.reshape(racks, _STATUSES)


def workload_counts(
    state: WorldState, rack_of_host: npt.NDArray[np.int64], racks: int
) -> npt.NDArray[np.int64]:
    """Workloads placed per rack by phase: (racks, phases)."""
    phase = state.workload_phase
    host = state.workload_host
    placed = (phase != NOT_CREATED) & (phase != Phase.STOPPED) & (host >= 0)
    rack = rack_of_host[host[placed].astype(np.int64)]
    flat = np.bincount(rack * _PHASES + phase[placed].astype(np.int64), minlength=racks * _PHASES)
    return flat.reshape(racks, _PHASES)


def rack_network(state: NetState, racks: int) -> npt.NDArray[np.int64]:
    """Each rack's way to the core at ``state`` (``NET_UP``, ``SWITCH_DOWN`` or
    ``UPLINK_CUT``), rack 1 first."""
    out = np.full(racks, NET_UP, dtype=np.int64)
    if state.intact:
        return out
    for r in range(racks):
        switch = tor_switch(r + 1)
        if switch in state.failed_switches:
            out[r] = SWITCH_DOWN
        elif link_key(switch, CORE_SWITCH) in state.failed_links:
            out[r] = UPLINK_CUT
    return out


def network_line(rack: int, code: int) -> Line | None:
    """What rack ``rack``'s head (1-based) says of its way to the core: nothing while it
    works; its switch down, or its uplink cut, in the alarm colour and as short as the column
    needs ("tor ✕": crossed out, as the fabric draws a failed switch)."""
    switch = tor_switch(rack)
    if code == SWITCH_DOWN:
        wordings = (
            f"switch {switch} down · hosts cut off",
            f"switch {switch} down",
            f"{switch} down",
            "switch down",
            "tor down",
            "tor \N{MULTIPLICATION X}",
        )
        return wordings, "alarm"
    if code == UPLINK_CUT:
        wordings = (
            f"uplink {switch} \N{EN DASH} {CORE_SWITCH} cut",
            "uplink cut",
            "link cut",
            "link \N{MULTIPLICATION X}",
        )
        return wordings, "alarm"
    return None


def rack_lines(
    hosts: npt.NDArray[np.int64],
    work: npt.NDArray[np.int64],
    status_words: Mapping[HostStatus, str],
    zones: list[tuple[ZoneState, float]],
    zone_of_rack: Callable[[int], int],
    first: int = 0,
    network: npt.NDArray[np.int64] | None = None,
    titles: Sequence[str] | None = None,
) -> list[list[Line]]:
    """Each rack's head: its name, its switch or uplink if down (``network``, from
    :func:`rack_network`), its hosts by status (``hosts``, from :func:`host_counts`), its
    workloads by phase (``work``, from :func:`workload_counts`), and (in a world with zones)
    its zone's state; ``first``: the first row's rack, 0-based (a few racks' heads written
    again).  The network's line comes second: where the band is too short for every line
    (a container world with a switch down, fitted), the zone's is the one left to the
    tooltip."""
    racks = len(hosts)

    def host_word(code: int) -> str:
        return status_words.get(HostStatus(code), HostStatus(code).label)

    def phase_word(code: int) -> str:
        return Phase(code).label

    out = []
    for r in range(racks):
        # Fewer up (or draining) than the rack has: its own count, racks may differ.
        down = hosts[r, HostStatus.UP] + hosts[r, HostStatus.DRAINING] < hosts[r].sum()
        n = first + r + 1
        # Its zone's name where an imported cluster gives one ("eu-west-1a"), else "Rack N";
        # "R N" where the column is narrow.
        title = titles[n - 1] if titles is not None else f"Rack {n}"
        lines: list[Line] = [(tuple(dict.fromkeys((title, f"R{n}"))), "text")]
        cut = network_line(first + r + 1, int(network[r])) if network is not None else None
        if cut is not None:
            lines.append(cut)
        lines += [
            _counts_line(hosts[r], host_word, "alarm" if down else "muted"),
            _counts_line(work[r], phase_word),
        ]
        if zones:
            state_, rate = zones[zone_of_rack(first + r + 1)]
            (long, short), role = _ZONE[state_]
            rule = "no evictions" if rate <= 0 else f"evicts {rate:g}/s"
            lines.append(((f"{long} · {rule}", long, short), role))
        out.append(lines)
    return out


class RackLines:
    """Each rack's head, kept between frames: a rack whose counts, zone and way to the core
    did not change keeps its lines (a rack failing changes one or two of 25)."""

    def __init__(
        self,
        status_words: Mapping[HostStatus, str],
        zone_of_rack: Callable[[int], int],
        titles: Sequence[str] | None = None,
    ) -> None:
        self._titles = titles
        self._words = status_words
        self._zone_of_rack = zone_of_rack
        self._hosts: npt.NDArray[np.int64] | None = None
        self._work: npt.NDArray[np.int64] | None = None
        self._zones: list[tuple[ZoneState, float]] = []
        self._network: npt.NDArray[np.int64] | None = None
        self._lines: list[list[Line]] = []

    def update(
        self,
        hosts: npt.NDArray[np.int64],
        work: npt.NDArray[np.int64],
        zones: list[tuple[ZoneState, float]],
        network: npt.NDArray[np.int64] | None = None,
    ) -> list[list[Line]]:
        """The heads for these counts and racks' ways to the core (as :func:`rack_lines`
        gives them)."""
        if network is None:
            network = np.full(len(hosts), NET_UP, dtype=np.int64)
        if (
            self._hosts is None
            or self._work is None
            or self._network is None
            or self._hosts.shape != hosts.shape
        ):
            self._lines = rack_lines(
                hosts, work, self._words, zones, self._zone_of_rack, 0, network, self._titles
            )
        else:
            changed = np.flatnonzero(
                np.any(hosts != self._hosts, axis=1)
                | np.any(work != self._work, axis=1)
                | (network != self._network)
            ).tolist()
            if zones != self._zones:
                changed = list(range(len(hosts)))  # a zone's state, or all zones' rule
            lines = list(self._lines)
            for r in changed:
                lines[r] = rack_lines(
                    hosts[r : r + 1],
                    work[r : r + 1],
                    self._words,
                    zones,
                    lambda _rack, r=r: self._zone_of_rack(r + 1),
                    first=r,
                    network=network[r : r + 1],
                    titles=self._titles,
                )[0]
            self._lines = lines
        self._hosts, self._work, self._zones = hosts, work, list(zones)
        self._network = network
        return self._lines


def network_parts(state: NetState) -> list[tuple[str, bool]]:
    """A world's network in a line, in parts, each with whether it says something is down:
    "network: core switch up" while nothing is; else "network: core switch down · tor-r7
    down · 1 link cut" (more than two racks' switches are counted)."""
    core = CORE_SWITCH in state.failed_switches
    parts = [("network: ", False), (f"core switch {'down' if core else 'up'}", core)]
    tors = sorted(
        (s for s in state.failed_switches if s != CORE_SWITCH),
        key=lambda s: (len(s), s),  # tor-r2 before tor-r10
    )
    downs = [f"{len(tors)} rack switches down"] if len(tors) > 2 else [f"{s} down" for s in tors]
    if state.failed_links:
        count = len(state.failed_links)
        downs.append(f"{count} link{'s' * (count > 1)} cut")
    for words in downs:
        parts += [(" · ", False), (words, True)]
    return parts


def totals_line(state: WorldState, noun: str, status_words: Mapping[HostStatus, str]) -> str:
    """The world's totals: "1,000 hosts: 960 up · 40 failed  ·  40,000 VMs: 38,400 ready ·
    1,600 booting"."""
    status = np.bincount(state.host_status.astype(np.int64), minlength=_STATUSES)
    phase = state.workload_phase
    live = phase[(phase != NOT_CREATED) & (phase != Phase.STOPPED)].astype(np.int64)
    phases = np.bincount(live, minlength=_PHASES)

    def describe(counts: npt.NDArray[np.int64], word: Callable[[int], str]) -> str:
        codes = np.flatnonzero(counts)
        codes = codes[np.argsort(-counts[codes], kind="stable")]
        return " · ".join(f"{int(counts[c]):,} {word(int(c))}" for c in codes)

    hosts = describe(status, lambda c: status_words.get(HostStatus(c), HostStatus(c).label))
    work = describe(phases, lambda c: Phase(c).label)
    return f"{len(state.host_status):,} hosts: {hosts}   ·   {len(live):,} {noun}: {work or 'none'}"
