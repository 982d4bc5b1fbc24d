"""What the views show of a run's network, asked of a Timeline once: who is cut off at a time,
and who keeps each platform's brain (a failover cluster's quorum, Kubernetes' etcd majority).

Why from the scenario and not the log: a host's power and the network's state are what the
scenario's events say, whatever each platform makes of them.  A platform marks a host it no
longer hears as isolated, down or NotReady, crashed or not; the views must tell a host that
still runs (cut off) from one that stopped (crashed), which the platform cannot.  So the
power comes from ``host_fail``, ``rack_fail`` and ``host_recover`` (the engine's only ways to
stop or start a host) and the network from :func:`~vmc_gui.sim.network.network_changes`.

The quorum is counted with the rules of :mod:`vmc_gui.model.quorum`, on the votes of the
nodes in the cluster's membership just before the network last changed (dynamic quorum
re-counts as nodes leave; a cut takes many at once).  The engine decides with the same rules;
this module explains, it does not decide.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from vmc_gui.model.cluster import CORE_SWITCH, ClusterSpec, etcd_member, tor_switch
from vmc_gui.model.events import HostFail, HostRecover, RackFail
from vmc_gui.model.parameters import ParameterError, Value
from vmc_gui.model.quorum import Votes, Witness, quorum_part, votes
from vmc_gui.model.reachability import Reach
from vmc_gui.model.scenario import Platform, Scenario, World
from vmc_gui.sim.network import INTACT, NetChanges, NetState, network_changes, reach_for, wiring_for
from vmc_gui.sim.network import state_at as net_state_at
from vmc_gui.sim.records import HostStatus, ZoneState
from vmc_gui.sim.timeline import WorldTimeline

#: ``hyperv.max_cluster_nodes``'s default: the clusters an estate is split into (the same
#: rule as ``HyperVWorld.host_pools``: host i in cluster i mod the number of clusters).
_MAX_CLUSTER_NODES = 64


def setting(scenario: Scenario, name: str, default: Value) -> Value:
    """A setting's value, or ``default`` where this build has no such setting."""
    try:
        return scenario.parameters[name]
    except ParameterError:
        return default


def witness_of(scenario: Scenario) -> Witness:
    """The failover cluster's witness (``hyperv.witness``; a cloud witness by default)."""
    try:
        return Witness.from_setting(setting(scenario, "hyperv.witness", 1))
    except (ParameterError, ValueError):
        return Witness.CLOUD


def etcd_members_of(scenario: Scenario, world: World) -> int:
    """How many etcd members ``world`` places on the network (Kubernetes' worlds only)."""
    if world.platform is not Platform.CONTAINER:
        return 0
    return int(setting(scenario, "kubernetes.etcd_members", 3))


class NetworkStory:
    """A run's network and power over time: the state, the hosts off, who is cut off."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.spec: ClusterSpec = scenario.cluster
        #: The network's state after each instant that changed it.
        self.changes: NetChanges = network_changes(scenario.events)
        hosts = self.spec.host_names()
        racks = {name: self.spec.rack_of(i) for i, name in enumerate(hosts)}
        #: Every change of a host's power: (time, hosts, powered on).
        self._power: list[tuple[float, tuple[str, ...], bool]] = []
        for event in sorted(scenario.events, key=lambda e: e.at_s):
            if isinstance(event, HostFail):
                self._power.append((event.at_s, (event.host,), False))
            elif isinstance(event, RackFail):
                on_rack = tuple(h for h in hosts if racks[h] == event.rack)
                self._power.append((event.at_s, on_rack, False))
            elif isinstance(event, HostRecover):
                self._power.append((event.at_s, (event.host,), True))

    @property
    def shown(self) -> bool:
        """Whether the scenario changes the network at all (else the views show nothing of
        partitions)."""
        return bool(self.changes)

    def state_at(self, t: float) -> NetState:
        return net_state_at(self.changes, t)

    def change_index(self, t: float) -> int:
        """How many network changes have happened by ``t`` (a cache key for ``t``'s state)."""
        return int(np.searchsorted([c[0] for c in self.changes], t, side="right"))

    def since(self, t: float) -> float | None:
        """When the network state in force at ``t`` began (None before the first change)."""
        index = self.change_index(t)
        return self.changes[index - 1][0] if index else None

    def off_at(self, t: float) -> frozenset[str]:
        """The hosts powered off (crashed, and not recovered) at ``t``."""
        off: set[str] = set()
        for at, hosts, on in self._power:
            if at > t:
                break
            if on:
                off.difference_update(hosts)
            else:
                off.update(hosts)
        return frozenset(off)

    def reach_at(self, t: float, etcd_members: int = 0) -> Reach:
        """Who hears whom at ``t`` among the hosts that run."""
        full = reach_for(self.spec, etcd_members, self.state_at(t))
        return full.without(self.off_at(t))

    def cut_off_at(self, t: float) -> frozenset[str]:
        """The hosts that run at ``t`` but that the clients do not reach."""
        if not self.shown or self.state_at(t) == INTACT:
            return frozenset()
        reach = self.reach_at(t)
        return frozenset(reach.part_of) - reach.reach_clients

    def why_cut_off(self, host: str, t: float) -> str:
        """Why ``host`` is out of the clients' reach at ``t``, in a few words."""
        state = self.state_at(t)
        rack = self.spec.rack_of(self.spec.host_names().index(host))
        tor = tor_switch(rack)
        if frozenset((host, tor)) in state.failed_links:
            return f"its link to {tor} is cut"
        if tor in state.failed_switches:
            return f"its rack's switch {tor} has failed"
        if frozenset((tor, CORE_SWITCH)) in state.failed_links:
            return f"rack {rack}'s uplink to the core is cut"
        if CORE_SWITCH in state.failed_switches:
            return "the core switch has failed"
        return "the clients' link to the core is cut"


# --- who keeps the failover cluster ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClusterQuorum:
    """One failover cluster's votes at a time."""

    #: 1-based, as the engine's messages number them.
    number: int
    #: The votes as they stood before the network last changed.
    votes: Votes
    #: Votes held by each part of the cut (an index into ``Reach.partitions``) that holds any.
    held: Mapping[int, int]
    #: The part that keeps the cluster, or None: no part has a majority.
    keeper: int | None
    witness: Witness
    #: The part that reaches the witness (None: no part does, or there is none).
    witness_part: int | None
    #: What and where the witness is, in words ("a cloud witness").
    witness_place: str


def failover_quorum(story: NetworkStory, wt: WorldTimeline, t: float) -> list[ClusterQuorum]:
    """Each failover cluster's votes and keeper at ``t`` (a VM world's)."""
    scenario = story.scenario
    reach = story.reach_at(t)
    names = wt.run.host_names
    since = story.since(t)
    # Membership just before the change: a node already out (crashed, or isolated by an
    # earlier cut) lent its vote to no one.
    before = wt.state_at(float(np.nextafter(since, -np.inf))) if since is not None else None
    off = story.off_at(since if since is not None else t)
    witness = witness_of(scenario)
    witness_host = str(getattr(scenario.cluster, "witness_host", "") or "")
    size = int(setting(scenario, "hyperv.max_cluster_nodes", _MAX_CLUSTER_NODES))
    clusters = max(1, -(-len(names) // max(1, size)))
    out = []
    for pool in range(clusters):
        members = [
            name
            for h, name in enumerate(names)
            if h % clusters == pool
            and name not in off
            and (before is None or HostStatus(int(before.host_status[h])).serving)
        ]
        counted = votes(members, witness)
        keeper = quorum_part(reach, counted, witness, witness_host)
        held = {}
        for index, part in enumerate(reach.partitions):
            count = sum(1 for node in counted.nodes if node in part)
            if count:
                held[index] = count
        witness_part = _witness_part(reach, witness, witness_host)
        if counted.witness and witness_part is not None:
            held[witness_part] = held.get(witness_part, 0) + 1
        out.append(
            ClusterQuorum(
                pool + 1,
                counted,
                held,
                keeper,
                witness,
                witness_part,
                _witness_words(witness, witness_host),
            )
        )
    return out


def _witness_part(reach: Reach, witness: Witness, host: str) -> int | None:
    if witness is Witness.CLOUD:
        clients = reach.reach_clients
        return next((i for i, p in enumerate(reach.partitions) if p & clients), None)
    if witness is Witness.FILE_SHARE and host:
        return reach.part_of.get(host)
    if witness is Witness.FILE_SHARE:
        # A file server on the core: the part that reaches the core reaches it.
        clients = reach.reach_clients
        return next((i for i, p in enumerate(reach.partitions) if p & clients), None)
    return None


def _witness_words(witness: Witness, host: str) -> str:
    if witness is Witness.CLOUD:
        return "a cloud witness"
    if witness is Witness.FILE_SHARE:
        return f"a file share witness on {host}" if host else "a file share witness on the core"
    return "no witness"


# --- who keeps Kubernetes' control plane -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ControlPlane:
    """Where Kubernetes' control plane works at a time, or that it is frozen."""

    members: int
    #: The etcd members that reach each other in the largest group.
    reached: int
    #: The live hosts that hear the working control plane (None: frozen, no majority).
    hosts: frozenset[str] | None

    @property
    def frozen(self) -> bool:
        return self.hosts is None


def control_plane(story: NetworkStory, t: float, members: int) -> ControlPlane:
    """Where the etcd majority is at ``t`` (members in the same component hear each other)."""
    state = story.state_at(t)
    groups = _etcd_groups(story.spec, members, state)
    largest = max(groups, key=len, default=frozenset())
    if len(largest) * 2 <= members:
        return ControlPlane(members, len(largest), None)
    reach = story.reach_at(t, members)
    hosts = reach.landmarks.get(next(iter(sorted(largest))), frozenset())
    return ControlPlane(members, len(largest), hosts)


def _etcd_groups(spec: ClusterSpec, members: int, state: NetState) -> list[frozenset[str]]:
    """The etcd members cut into the groups that reach each other: a search from each over
    the cabling, through working switches and links only."""
    adjacency = wiring_for(spec, members).adjacency
    down = state.failed_switches
    cut = state.failed_links
    seen: set[str] = set()
    groups = []
    for i in range(1, members + 1):
        start = etcd_member(i)
        if start in seen:
            continue
        component = {start}
        frontier = [start]
        while frontier:
            node = frontier.pop()
            for near in adjacency.get(node, ()):
                if near in component or near in down or frozenset((node, near)) in cut:
                    continue
                component.add(near)
                frontier.append(near)
        group = frozenset(n for n in component if n.startswith("etcd-"))
        seen |= group
        groups.append(group)
    return groups


def zones_at(wt: WorldTimeline, t: float) -> list[tuple[str, ZoneState, float]]:
    """Each zone's name, state and eviction rate (nodes/s) at ``t`` (Kubernetes' worlds)."""
    return [
        (name, state, rate)
        for name, (state, rate) in zip(wt.run.zone_names, wt.zones_at(t), strict=True)
    ]


def describe_hosts(hosts: frozenset[str], spec: ClusterSpec) -> str:
    """A set of hosts in a few words: whole racks by number, else their names ("rack 2 and
    r1-h03"; "r1-h01, r1-h02 and 3 more")."""
    names = spec.host_names()
    by_rack: dict[int, list[str]] = {}
    for i, name in enumerate(names):
        if name in hosts:
            by_rack.setdefault(spec.rack_of(i), []).append(name)
    whole = [r for r, on in by_rack.items() if len(on) == spec.hosts_per_rack]
    loose = [h for r, on in by_rack.items() if r not in whole for h in on]
    parts = []
    if whole:
        parts.append(("rack " if len(whole) == 1 else "racks ") + _listed([str(r) for r in whole]))
    if len(loose) > 3:
        parts.append(f"{', '.join(loose[:2])} and {len(loose) - 2} more hosts")
    elif loose:
        parts.append(_listed(loose))
    return _listed(parts) if parts else "no host"


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
