"""The timed events of a scenario: one frozen dataclass per kind, in one union.

Each kind carries only its own fields, so a ``match`` on the class with ``assert_never`` in
its last case lets mypy prove that the loader, the engine, the TOML writer and the report
handle every kind.  Field names are the TOML keys (``docs/scenario-format.md``), so a
scenario file reads as the event it builds.  ``kind`` stays as a cheap tag for filters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, TypeAlias

from vmc_gui.model.parameters import Value


class EventKind(StrEnum):
    """What a timed event in a scenario does (the ``kind`` key in TOML)."""

    HOST_FAIL = "host_fail"
    HOST_RECOVER = "host_recover"
    RACK_FAIL = "rack_fail"
    #: Every host of a failure zone crashes at once (its racks: ``[cluster] zones = "rack"``).
    ZONE_FAIL = "zone_fail"
    #: A platform setting changes; decisions from then on use the new value.
    SET = "set"
    #: Demand changes: a service's desired replica count becomes ``replicas``.
    SCALE = "scale"
    #: A service's OS is updated: patched in each VM, or rebuilt into a new image and rolled out.
    UPDATE = "update"
    #: A host runs hot: ``count`` of its replicas must go elsewhere.
    REBALANCE = "rebalance"
    #: A kernel exploit in one replica of ``service`` (one tenant's app).
    EXPLOIT = "exploit"
    #: The replicas running on ``host`` get busier: each uses ``value`` times the CPU it used.
    #: A VM's use is what Hyper-V measures; a pod's requests, what Kubernetes counts, stay.
    LOAD = "load"
    #: A host is drained for maintenance: paused or cordoned, its replicas moved or evicted;
    #: ``host_recover`` brings it back into service.
    DRAIN = "drain"
    #: The administrator confirms that a failed host is really down: Kubernetes'
    #: ``node.kubernetes.io/out-of-service`` taint (non-graceful node shutdown).
    OUT_OF_SERVICE = "out_of_service"
    #: A switch (``core`` or a rack's ``tor-rN``) stops forwarding; the hosts behind it are
    #: cut off but keep running.
    SWITCH_FAIL = "switch_fail"
    SWITCH_RECOVER = "switch_recover"
    #: The cable between two nodes of the cluster graph (``a`` and ``b``) is cut.
    LINK_FAIL = "link_fail"
    LINK_RECOVER = "link_recover"


@dataclass(frozen=True, slots=True)
class HostFail:
    """A host crashes: it and everything on it stop at once."""

    kind: ClassVar[EventKind] = EventKind.HOST_FAIL
    fault: ClassVar[bool] = True
    at_s: float
    host: str


@dataclass(frozen=True, slots=True)
class HostRecover:
    """A failed or drained host comes back."""

    kind: ClassVar[EventKind] = EventKind.HOST_RECOVER
    fault: ClassVar[bool] = False
    at_s: float
    host: str


@dataclass(frozen=True, slots=True)
class RackFail:
    """Every host of a rack crashes at once (its power feed)."""

    kind: ClassVar[EventKind] = EventKind.RACK_FAIL
    fault: ClassVar[bool] = True
    at_s: float
    rack: int


@dataclass(frozen=True, slots=True)
class ZoneFail:
    """Every host of a zone crashes at once (a data centre's power or cooling): the zone's
    name as its nodes' ``topology.kubernetes.io/zone`` label reads, ``rack-N`` where the
    racks are the zones and carry no name."""

    kind: ClassVar[EventKind] = EventKind.ZONE_FAIL
    fault: ClassVar[bool] = True
    at_s: float
    zone: str


@dataclass(frozen=True, slots=True)
class SetParameter:
    """A live platform setting takes a new value."""

    kind: ClassVar[EventKind] = EventKind.SET
    fault: ClassVar[bool] = False
    at_s: float
    parameter: str
    value: Value


@dataclass(frozen=True, slots=True)
class Scale:
    """A service's desired replica count changes."""

    kind: ClassVar[EventKind] = EventKind.SCALE
    fault: ClassVar[bool] = False
    at_s: float
    service: str
    replicas: int


@dataclass(frozen=True, slots=True)
class Update:
    """A service's OS is updated."""

    kind: ClassVar[EventKind] = EventKind.UPDATE
    fault: ClassVar[bool] = False
    at_s: float
    service: str


@dataclass(frozen=True, slots=True)
class Rebalance:
    """A host runs hot: ``count`` of its replicas must go elsewhere."""

    kind: ClassVar[EventKind] = EventKind.REBALANCE
    fault: ClassVar[bool] = False
    at_s: float
    host: str
    count: int = 1


@dataclass(frozen=True, slots=True)
class Exploit:
    """A kernel exploit in one replica of ``service``."""

    kind: ClassVar[EventKind] = EventKind.EXPLOIT
    fault: ClassVar[bool] = False
    at_s: float
    service: str


@dataclass(frozen=True, slots=True)
class Load:
    """The replicas on ``host`` use ``value`` times the CPU they used."""

    kind: ClassVar[EventKind] = EventKind.LOAD
    fault: ClassVar[bool] = False
    at_s: float
    host: str
    value: float


@dataclass(frozen=True, slots=True)
class Drain:
    """A host is drained for maintenance."""

    kind: ClassVar[EventKind] = EventKind.DRAIN
    fault: ClassVar[bool] = False
    at_s: float
    host: str


@dataclass(frozen=True, slots=True)
class OutOfService:
    """The administrator taints a failed node out-of-service."""

    kind: ClassVar[EventKind] = EventKind.OUT_OF_SERVICE
    fault: ClassVar[bool] = False
    at_s: float
    host: str


@dataclass(frozen=True, slots=True)
class SwitchFail:
    """A switch stops forwarding: ``core`` or a rack's ``tor-rN``."""

    kind: ClassVar[EventKind] = EventKind.SWITCH_FAIL
    fault: ClassVar[bool] = True
    at_s: float
    switch: str


@dataclass(frozen=True, slots=True)
class SwitchRecover:
    """A failed switch forwards again."""

    kind: ClassVar[EventKind] = EventKind.SWITCH_RECOVER
    fault: ClassVar[bool] = False
    at_s: float
    switch: str


@dataclass(frozen=True, slots=True)
class LinkFail:
    """The link between graph nodes ``a`` and ``b`` is cut (either order names it)."""

    kind: ClassVar[EventKind] = EventKind.LINK_FAIL
    fault: ClassVar[bool] = True
    at_s: float
    a: str
    b: str


@dataclass(frozen=True, slots=True)
class LinkRecover:
    """A cut link carries traffic again."""

    kind: ClassVar[EventKind] = EventKind.LINK_RECOVER
    fault: ClassVar[bool] = False
    at_s: float
    a: str
    b: str


TimedEvent: TypeAlias = (
    HostFail
    | HostRecover
    | RackFail
    | ZoneFail
    | SetParameter
    | Scale
    | Update
    | Rebalance
    | Exploit
    | Load
    | Drain
    | OutOfService
    | SwitchFail
    | SwitchRecover
    | LinkFail
    | LinkRecover
)

#: Each kind's class, the TOML ``kind`` value's meaning.
EVENT_TYPES: Mapping[EventKind, type[TimedEvent]] = {
    cls.kind: cls
    for cls in (
        HostFail,
        HostRecover,
        RackFail,
        ZoneFail,
        SetParameter,
        Scale,
        Update,
        Rebalance,
        Exploit,
        Load,
        Drain,
        OutOfService,
        SwitchFail,
        SwitchRecover,
        LinkFail,
        LinkRecover,
    )
}

#: The network's events: they change who hears whom, not what runs.
NETWORK_EVENTS: tuple[type[TimedEvent], ...] = (SwitchFail, SwitchRecover, LinkFail, LinkRecover)


def is_fault(event: TimedEvent) -> bool:
    """Whether ``event`` is something breaking (a crash, a failed switch, a cut link)."""
    return type(event).fault


def link_key(a: str, b: str) -> frozenset[str]:
    """The name of the link between ``a`` and ``b``, whichever end is named first."""
    return frozenset((a, b))
