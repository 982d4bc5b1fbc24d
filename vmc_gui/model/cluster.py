"""The cluster as a networkx graph: hosts in racks, top-of-rack and core switches, storage."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

#: Host status values as the graph stores them.
HOST_UP = "up"
HOST_FAILED = "failed"

#: The ways a scenario may group its nodes into Kubernetes zones.
ZONINGS = ("rack", "single")

CORE_SWITCH = "core"
SHARED_STORAGE = "storage"


@dataclass(frozen=True, slots=True)
class HostSpec:
    """One host of a cluster whose hosts differ (``[[hosts]]``, issue 21): an imported
    cluster's nodes each have their own size, rack (a Kubernetes zone, where imported) and
    pod capacity."""

    name: str
    #: 1-based; the racks are numbered 1 to N, each with at least one host.
    rack: int = 1
    cores: float = 32.0
    memory_gb: float = 256.0
    disk_gb: float = 2000.0
    #: The most pods the node takes (Kubernetes' allocatable ``pods``); None: the setting
    #: ``kubernetes.max_pods_per_node``, as every node of the short form.
    pods: int | None = None
    #: Taints as kubectl prints them, ``key=value:NoSchedule``.
    taints: tuple[str, ...] = ()
    #: Its zone's name (``topology.kubernetes.io/zone``, where imported): its rack's title,
    #: and the zone's name in the node lifecycle controller's words; "" for none.
    zone: str = ""
    #: Found down (an import's node that was not Ready): no replica is put on it at the
    #: start, and what was found on it fails with it (the import adds its host_fail at 0 s).
    down: bool = False


@dataclass(frozen=True, slots=True)
class ClusterSpec:
    """The cluster's hosts in racks: identical hosts in identical racks (the short form,
    ``racks`` by ``hosts_per_rack``), or each host its own (``hosts``, the long form: then
    ``racks`` is the number of racks, ``hosts_per_rack`` the largest rack's count, and
    ``cores`` and ``memory_gb`` the largest host's)."""

    racks: int = 3
    hosts_per_rack: int = 4
    cores: int = 32
    memory_gb: float = 256.0
    disk_gb: float = 2000.0
    shared_storage: bool = True
    #: Kubernetes' failure zones (``topology.kubernetes.io/zone``): ``"rack"`` makes each
    #: rack a zone, ``"single"`` puts every node in one.
    zones: str = "rack"
    #: Each host, where they differ (the long form); empty: the short form's.
    hosts: tuple[HostSpec, ...] = ()
    #: The long form's zone of each rack (0-based, rack 1 first), worked out once from the
    #: hosts (``__post_init__``): racks whose hosts name the same zone share it; empty: each
    #: rack is its own zone.  Derived, so neither compared nor given.
    rack_zones: tuple[int, ...] = field(default=(), init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.hosts:
            names = self._zone_of_each_rack()
            index = {name: i for i, name in enumerate(dict.fromkeys(names))}
            object.__setattr__(self, "rack_zones", tuple(index[name] for name in names))

    @classmethod
    def of_hosts(
        cls, hosts: Iterable[HostSpec], *, shared_storage: bool = True, zones: str = "rack"
    ) -> ClusterSpec:
        """The long form of ``hosts`` (racks numbered 1 to N): rack by rack, each rack's in
        the order given, and the figures the short form's fields stand for (the racks, the
        largest rack's count, the largest host's size, its cores rounded up)."""
        ordered = tuple(sorted(hosts, key=lambda host: host.rack))
        racks = max(host.rack for host in ordered)
        sizes = [0] * racks
        for host in ordered:
            sizes[host.rack - 1] += 1
        return cls(
            racks=racks,
            hosts_per_rack=max(sizes),
            cores=math.ceil(max(host.cores for host in ordered)),
            memory_gb=max(host.memory_gb for host in ordered),
            disk_gb=max(host.disk_gb for host in ordered),
            shared_storage=shared_storage,
            zones=zones,
            hosts=ordered,
        )

    def host_specs(self) -> tuple[HostSpec, ...]:
        """Every host, rack by rack: the long form's, or the short form's expanded."""
        if self.hosts:
            return self.hosts
        return tuple(
            HostSpec(name, self.rack_of(i), float(self.cores), self.memory_gb, self.disk_gb)
            for i, name in enumerate(self.host_names())
        )

    def rack_sizes(self) -> list[int]:
        """How many hosts each rack has, rack 1 first."""
        if not self.hosts:
            return [self.hosts_per_rack] * self.racks
        sizes = [0] * self.racks
        for host in self.hosts:
            sizes[host.rack - 1] += 1
        return sizes

    def zone_of_rack(self, rack: int) -> int:
        """The 0-based zone of 1-based ``rack``: each rack its own, or, in the long form,
        the zone its hosts name (racks naming the same zone share it)."""
        if self.zones != "rack":
            return 0
        return self.rack_zones[rack - 1] if self.rack_zones else rack - 1

    def zone_names(self) -> list[str]:
        """Each zone's name, zone 0 first, as its nodes' zone label would read: a long
        form's own zones, else ``rack-N``."""
        if self.zones != "rack":
            return [""]
        return list(dict.fromkeys(self._zone_of_each_rack()))

    def _zone_of_each_rack(self) -> list[str]:
        """Each rack's zone name, rack 1 first: its hosts', else ``rack-N``."""
        return [zone or f"rack-{r}" for r, zone in enumerate(self._rack_zones(), start=1)]

    def racks_in_zone(self, zone: str) -> list[int]:
        """The 1-based racks of the zone called ``zone`` (one of ``zone_names``); none for a
        name no zone has."""
        if self.zones != "rack":
            return []
        names = self.zone_names()
        return [r for r in range(1, self.racks + 1) if names[self.zone_of_rack(r)] == zone]

    def rack_titles(self) -> list[str]:
        """How each rack is titled, rack 1 first: its zone's name where the hosts have one
        ("eu-west-1a"), else "Rack N"."""
        return [zone or f"Rack {r}" for r, zone in enumerate(self._rack_zones(), start=1)]

    def _rack_zones(self) -> list[str]:
        """Each rack's zone name (its first host's), or "" for each where none is named."""
        found = [""] * self.racks
        for host in self.hosts:
            if host.zone and not found[host.rack - 1]:
                found[host.rack - 1] = host.zone
        return found

    @property
    def host_count(self) -> int:
        return len(self.hosts) if self.hosts else self.racks * self.hosts_per_rack

    def host_names(self) -> list[str]:
        """Every host's name, rack by rack: ``r1-h01``, ``r1-h02``, ... (the long form's
        own names)."""
        if self.hosts:
            return [host.name for host in self.hosts]
        width = max(2, len(str(self.hosts_per_rack)))
        return [
            f"r{rack}-h{slot:0{width}d}"
            for rack in range(1, self.racks + 1)
            for slot in range(1, self.hosts_per_rack + 1)
        ]

    def rack_of(self, index: int) -> int:
        """The 1-based rack of the host at ``index`` in :meth:`host_names` order."""
        if self.hosts:
            return self.hosts[index].rack
        return index // self.hosts_per_rack + 1


def tor_switch(rack: int) -> str:
    return f"tor-r{rack}"


def etcd_member(i: int) -> str:
    """The graph node of Kubernetes' ``i``-th (1-based) etcd member: ``etcd-1``, ``etcd-2``..."""
    return f"etcd-{i}"


def etcd_switch(spec: ClusterSpec, i: int) -> str:
    """The switch etcd member ``i`` hangs off: rack ``i``'s, or the core's once the racks run
    out (a third failure zone when there are fewer racks than members)."""
    return tor_switch(i) if i <= spec.racks else CORE_SWITCH


def switch_names(spec: ClusterSpec) -> list[str]:
    """The switches a ``switch_fail`` event may name: the core, then each rack's."""
    return [CORE_SWITCH, *(tor_switch(rack) for rack in range(1, spec.racks + 1))]


#: Where the services' users come in: a node on the core switch (see ``reachability``).
CLIENTS = "clients"


def cabling(spec: ClusterSpec, *, etcd_members: int = 0) -> list[tuple[str, str, str]]:
    """Every edge of :func:`build_cluster`'s graph as ``(a, b, kind)``, in the order it adds
    them.  The clients' link to the core is not among them (the graph has no clients)."""
    cables = [(tor_switch(rack), CORE_SWITCH, "uplink") for rack in range(1, spec.racks + 1)]
    cables += [
        (name, tor_switch(spec.rack_of(index)), "link")
        for index, name in enumerate(spec.host_names())
    ]
    if spec.shared_storage:
        cables.append((SHARED_STORAGE, CORE_SWITCH, "link"))
    cables += [(etcd_member(i), etcd_switch(spec, i), "link") for i in range(1, etcd_members + 1)]
    return cables


def link_names(spec: ClusterSpec, *, etcd_members: int = 0) -> set[frozenset[str]]:
    """Every link a ``link_fail`` event may name, each as the pair of its ends (see
    :func:`~vmc_gui.model.events.link_key`): the edges of :func:`build_cluster`'s graph plus
    the clients' link to the core.  Pure Python, so the loader checks events without networkx."""
    links = {frozenset((a, b)) for a, b, _ in cabling(spec, etcd_members=etcd_members)}
    links.add(frozenset((CLIENTS, CORE_SWITCH)))
    return links


def build_cluster(spec: ClusterSpec, *, etcd_members: int = 0) -> nx.Graph:
    """The cluster graph: each host hangs off its rack's switch, racks off the core switch.

    With ``etcd_members``, Kubernetes' etcd members join as nodes of kind ``"etcd"``: member
    *i* (1-based) on ``tor-r{i}``, those beyond the rack count on the core.  With none, the
    graph is the one every scenario has always had."""
    import networkx as nx  # here, not above: the app's first screen needs no graph

    graph = nx.Graph(racks=spec.racks, hosts_per_rack=spec.hosts_per_rack)
    graph.add_node(CORE_SWITCH, kind="switch", tier="core")
    for rack in range(1, spec.racks + 1):
        graph.add_node(tor_switch(rack), kind="switch", tier="tor", rack=rack)
    for index, host in enumerate(spec.host_specs()):
        graph.add_node(
            host.name,
            kind="host",
            index=index,
            rack=host.rack,
            cores=host.cores,
            memory_gb=host.memory_gb,
            disk_gb=host.disk_gb,
            status=HOST_UP,
        )
    if spec.shared_storage:
        graph.add_node(SHARED_STORAGE, kind="storage", protocol="SMB 3")
    for i in range(1, etcd_members + 1):
        graph.add_node(etcd_member(i), kind="etcd", member=i)
    for a, b, kind in cabling(spec, etcd_members=etcd_members):
        graph.add_edge(a, b, kind=kind)
    return graph


def hosts(graph: nx.Graph) -> list[str]:
    """The graph's hosts in their stable order."""
    found = [
        (data["index"], node) for node, data in graph.nodes(data=True) if data["kind"] == "host"
    ]
    return [node for _, node in sorted(found)]


def hosts_in_rack(graph: nx.Graph, rack: int) -> list[str]:
    """The hosts cabled to ``rack``'s top-of-rack switch, in order."""
    return hosts_by_rack(graph).get(rack, [])


def hosts_by_rack(graph: nx.Graph) -> dict[int, list[str]]:
    """Every rack's hosts, in order, from one pass over the graph (a thousand hosts in 25
    racks: asking rack by rack would read every host 25 times)."""
    racks: dict[int, list[str]] = {}
    for host in hosts(graph):
        racks.setdefault(int(graph.nodes[host]["rack"]), []).append(host)
    return racks
