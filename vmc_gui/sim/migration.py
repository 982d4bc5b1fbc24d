"""Live migration's arithmetic, kept apart so that tests can check it by hand: how copies in
flight share the hosts' links, what one stream and each transport can carry, and the record a
finished (or called-off) migration leaves.

Every copy runs over two network adapters, the source's sending and the target's receiving.
Copies that share an adapter share its rate max-min fairly (:func:`water_fill`): each gets an
equal share unless it is held lower elsewhere, and what it cannot use goes to the others.  A
single migration is also held to one TCP stream's rate (and a compressed one to what the spare
CPU compresses), except over SMB, whose Multichannel spreads it over several connections.

Memory is counted in MB as Windows shows it (2**20 bytes), links in Gbit/s (10**9 bits).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from vmc_gui.model.parameters import ParameterSet

#: A full Ethernet frame carries 1,460 bytes of TCP payload in 1,538 bytes of line time
#: (preamble, headers, checksum and the gap between frames): a link's payload rate.
PAYLOAD_SHARE = 1460.0 / 1538.0


class Transport(IntEnum):
    """Set-VMHost -VirtualMachineMigrationPerformanceOption (migration.performance_option)."""

    TCP = 0
    COMPRESSION = 1
    SMB = 2


def megabytes_per_second(gbps: float) -> float:
    """A link's line rate in MB (2**20 bytes) per second."""
    return gbps * 1e9 / 8.0 / 2**20


@dataclass(frozen=True, slots=True)
class LinkModel:
    """The rates a migration's copy can reach, in megabytes of guest memory per second (with
    compression one wire byte carries more than one byte of memory)."""

    #: One host's migration adapter, shared by every copy through it.
    adapter_mb_s: float
    #: One migration on its own (``math.inf`` where nothing but the adapters holds it).
    stream_mb_s: float
    transport: Transport

    @classmethod
    def from_parameters(cls, p: ParameterSet) -> LinkModel:
        transport = Transport(int(p["migration.performance_option"]))
        adapter = megabytes_per_second(float(p["migration.bandwidth_gbps"])) * PAYLOAD_SHARE
        stream = megabytes_per_second(float(p["migration.stream_limit_gbps"])) * PAYLOAD_SHARE
        if transport is Transport.COMPRESSION:
            # Fewer bytes cross the wire, but the spare CPU compresses only so fast.
            ratio = float(p["migration.compression_ratio"])
            limit = min(stream * ratio, float(p["migration.compression_mb_s"]))
            return cls(adapter * ratio, limit, transport)
        if transport is Transport.SMB:
            # SMB Multichannel spreads one migration over several connections.
            return cls(adapter, math.inf, transport)
        return cls(adapter, stream, transport)


def water_fill(ends: Sequence[tuple[int, int]], adapter: float, stream: float) -> list[float]:
    """Max-min fair rates for copies from ``ends[i][0]`` to ``ends[i][1]``: each host's
    sending and receiving adapter carries ``adapter`` at most, each copy ``stream`` at most.

    All unfrozen copies rise together; a copy freezes when it reaches ``stream`` or when an
    adapter it uses is full (progressive filling)."""
    rates = [0.0] * len(ends)
    active = set(range(len(ends)))
    users: dict[tuple[str, int], set[int]] = {}
    for i, (source, target) in enumerate(ends):
        users.setdefault(("out", source), set()).add(i)
        users.setdefault(("in", target), set()).add(i)
    room = {key: adapter for key in users}
    while active:
        step = stream - rates[min(active)]  # every active copy has risen as far as the others
        for key, members in users.items():
            live = len(members & active)
            if live:
                step = min(step, room[key] / live)
        for i in active:
            rates[i] += step
        for key, members in users.items():
            room[key] -= step * len(members & active)
        frozen = {i for i in active if rates[i] >= stream - 1e-12}
        for key, members in users.items():
            if room[key] <= 1e-9 * adapter:
                frozen |= members & active
        if not frozen:  # cannot happen: some bound was the step
            break
        active -= frozen
    return rates


@dataclass(frozen=True, slots=True)
class MigrationRecord:
    """One live migration as it ran: for ``simulate --json`` and the pre-copy chart."""

    workload: int
    source: int
    target: int
    start_s: float
    #: When the VM ran on the target (or when the migration was called off).
    end_s: float
    #: Each pre-copy round: (start, end, megabytes it had to copy); one called off is the last.
    rounds: tuple[tuple[float, float, float], ...]
    #: The pause: (start, end, megabytes copied while paused); None if it never paused.
    blackout: tuple[float, float, float] | None
    #: "moved", or why the migration was called off.
    outcome: str
    #: What the last copy still had to send when the migration was called off (else 0).
    left_mb: float = 0.0

    @property
    def blackout_ms(self) -> float | None:
        return None if self.blackout is None else (self.blackout[1] - self.blackout[0]) * 1000
