"""The network's state over a run: which switches and links are down, and who hears whom.

Why the state is only failed switches and links: hosts are leaves of the cluster graph (each
hangs off its rack's switch by one link), and so are the storage, the clients and etcd's
members.  A host crashing therefore never changes who hears whom among the others.  The
answer for a moment of a run is :func:`reach_for` of the network's :class:`NetState`, with
the crashed hosts taken out afterwards by :meth:`~vmc_gui.model.reachability.Reach.without`.
That keeps the cache key small and shared: a run has few distinct network states however
many hosts crash, and both worlds (and every re-simulation of the same cluster) ask for the
same ones.

:func:`network_changes` and :func:`state_at` give the views the state at any time of a
finished run, without replaying the engine.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, TypeAlias, assert_never

from vmc_gui.model.cluster import ClusterSpec, build_cluster
from vmc_gui.model.events import (
    NETWORK_EVENTS,
    LinkFail,
    LinkRecover,
    SwitchFail,
    SwitchRecover,
    TimedEvent,
    link_key,
)
from vmc_gui.model.reachability import Reach, Wiring, reach_wired, wiring, with_clients

if TYPE_CHECKING:
    import networkx as nx

#: The events that change the network's state.
NetworkEvent: TypeAlias = SwitchFail | SwitchRecover | LinkFail | LinkRecover

#: A run's changes of network state: ``(time, state from then on)``, in time order.
NetChanges: TypeAlias = tuple[tuple[float, "NetState"], ...]


@dataclass(frozen=True, slots=True)
class NetState:
    """The switches and links that are down: all that decides who hears whom."""

    failed_switches: frozenset[str] = frozenset()
    #: Each cut link as :func:`~vmc_gui.model.events.link_key` names it (either order).
    failed_links: frozenset[frozenset[str]] = frozenset()

    @property
    def intact(self) -> bool:
        """Whether every switch and link works."""
        return not self.failed_switches and not self.failed_links

    def apply(self, event: NetworkEvent) -> NetState:
        """The state once ``event`` has happened.  Failing what is down, or recovering what
        is up, changes nothing."""
        switches, links = self.failed_switches, self.failed_links
        match event:
            case SwitchFail():
                switches = switches | {event.switch}
            case SwitchRecover():
                switches = switches - {event.switch}
            case LinkFail():
                links = links | {link_key(event.a, event.b)}
            case LinkRecover():
                links = links - {link_key(event.a, event.b)}
            case _:
                assert_never(event)
        if switches == self.failed_switches and links == self.failed_links:
            return self
        return NetState(switches, links)


#: Every switch and link working: the state before the first network event.
INTACT = NetState()


def is_network_event(event: TimedEvent) -> bool:
    """Whether ``event`` changes the network's state (a switch or a link)."""
    return isinstance(event, NETWORK_EVENTS)


@lru_cache(maxsize=256)
def graph_for(spec: ClusterSpec, etcd_members: int) -> nx.Graph:
    """The cluster's graph with the clients' node: every node and link a network event may
    name.  Cached and shared, so callers must not change it (copy it first)."""
    return with_clients(build_cluster(spec, etcd_members=etcd_members))


@lru_cache(maxsize=256)
def wiring_for(spec: ClusterSpec, etcd_members: int) -> Wiring:
    """The cluster's cabling as adjacency lists, which :func:`reach_for` searches."""
    return wiring(spec, etcd_members=etcd_members)


@lru_cache(maxsize=256)
def reach_for(spec: ClusterSpec, etcd_members: int, state: NetState) -> Reach:
    """Who hears whom, who reaches the storage, the clients and each etcd member, with every
    host alive and ``state``'s switches and links down.  Take crashed hosts out with
    ``reach_for(...).without(dead)``.

    Cached: a run meets few distinct states, and each is asked for by both worlds.  The
    answer is shared, so callers must not change its dictionaries.  It comes from a
    breadth-first search over :func:`~vmc_gui.model.cluster.link_names` (no networkx), the
    same answer as :func:`~vmc_gui.model.reachability.reach` on :func:`graph_for`, found
    about ten times faster (``tests/model/test_reachability.py`` proves them equal)."""
    return reach_wired(wiring_for(spec, etcd_members), state.failed_switches, state.failed_links)


def network_changes(events: Iterable[TimedEvent]) -> NetChanges:
    """The network's state after each instant that has network events, in time order.

    Events at one instant apply in the order given, the order the engine runs them in
    (a scenario's list order); the instant then has one entry, its final state."""
    changes: list[tuple[float, NetState]] = []
    state = INTACT
    net = [e for e in events if isinstance(e, SwitchFail | SwitchRecover | LinkFail | LinkRecover)]
    for event in sorted(net, key=lambda e: e.at_s):
        state = state.apply(event)
        if changes and changes[-1][0] == event.at_s:
            changes[-1] = (event.at_s, state)
        else:
            changes.append((event.at_s, state))
    return tuple(changes)


def state_at(changes: NetChanges, t: float) -> NetState:
    """The state in force at time ``t``: that of the last change at or before ``t`` (a change
    at ``t`` has happened), or :data:`INTACT` before the first."""
    index = bisect_right(changes, t, key=lambda change: change[0])
    return changes[index - 1][1] if index else INTACT
