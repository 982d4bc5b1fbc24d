"""What the views show of a run's network, asked of a Timeline once: who is cut off at a time,
and who keeps each platform's brain (a failover cluster's quorum, Kubernetes' etcd majority).

Why the network from the scenario and not the log: a host's power and the network's state are
what the scenario's events say, whatever each platform makes of them.  A platform marks a host
it no longer hears as isolated, down or NotReady, crashed or not; the views must tell a host
that still runs (cut off) from one that stopped (crashed), which the platform cannot.  So the
power comes from ``host_fail``, ``rack_fail``, ``zone_fail`` and ``host_recover`` (the
engine's only ways to stop or start a host) and the network from
:func:`~vmc_gui.sim.network.network_changes`.

Who keeps each platform's brain is the engine's decision, not counted again here: each world's
run records its decisions as it logs them (``WorldRun.partition_decisions``, see
:mod:`vmc_gui.sim.partition_decisions`), and :func:`failover_quorum` and
:func:`control_plane` read the last one at or before a time, so the views give the log's
numbers.  This module explains, it does not decide.
"""

from __future__ import annotations

import numpy as np

from vmc_gui.model.cluster import CORE_SWITCH, ClusterSpec, tor_switch
from vmc_gui.model.parameters import ParameterError, Value
from vmc_gui.model.power import power_change
from vmc_gui.model.quorum import Witness
from vmc_gui.model.reachability import Reach
from vmc_gui.model.scenario import Platform, Scenario, World
from vmc_gui.sim.network import INTACT, NetChanges, NetState, network_changes, reach_for
from vmc_gui.sim.network import state_at as net_state_at
from vmc_gui.sim.partition_decisions import (
    CONTROL_PLANE,
    PartitionDecision,
    decision_at,
    pools_decided,
)
from vmc_gui.sim.records import ZoneState
from vmc_gui.sim.timeline import WorldTimeline


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
        #: Every change of a host's power: (time, hosts, powered on).
        self._power: list[tuple[float, tuple[str, ...], bool]] = []
        for event in sorted(scenario.events, key=lambda e: e.at_s):
            change = power_change(event, self.spec)
            if change is not None:
                self._power.append((event.at_s, *change))

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

    def reach_at(self, t: float) -> Reach:
        """Who hears whom at ``t`` among the hosts that run."""
        full = reach_for(self.spec, 0, self.state_at(t))
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


# --- who keeps each platform's brain: the engine's decisions ----------------------------------


def failover_quorum(wt: WorldTimeline, t: float) -> list[PartitionDecision]:
    """Each failover cluster's quorum as the engine last decided it at or before ``t`` (a VM
    world's; none in a run without network events), in cluster order."""
    decisions = wt.run.partition_decisions
    found = (decision_at(decisions, pool, t) for pool in pools_decided(decisions))
    return [d for d in found if d is not None]


def control_plane(wt: WorldTimeline, t: float) -> PartitionDecision | None:
    """Where Kubernetes' control plane works at ``t``, or that it is frozen (``keeper`` None),
    as the engine last decided it (None in a run without network events)."""
    return decision_at(wt.run.partition_decisions, CONTROL_PLANE, t)


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
    sizes = spec.rack_sizes()
    whole = [r for r, on in by_rack.items() if len(on) == sizes[r - 1]]
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
