"""Who hears whom when switches and links fail: reachability on the cluster graph.

A crashed host and a cut-off host look the same to the others (neither answers); what differs
is that the cut-off host keeps running its workloads.  The platforms' rules for a partition
(quorum, isolation, eviction) start from the answer this module gives: the graph's connected
components once failed nodes and edges are removed.  The clients, where a service's users
come in, hang off the core switch: a copy that runs but that the clients cannot reach does not
serve.

Hosts (and the landmarks: the storage, the clients, etcd's members) are leaves of the graph,
so removing one never splits the others.  That is why :meth:`Reach.without` can take crashed
hosts out of an answer computed for the switches and links alone, and why the engine caches
answers by failed switches and links only (``sim/network.py``).

Two ways to the same :class:`Reach`: :func:`reach` on a networkx graph (any graph the caller
builds), and :func:`reach_wired` on a :class:`Wiring`, a breadth-first search over
:func:`~vmc_gui.model.cluster.link_names` in pure Python, which the engine uses because it
is several times faster and needs no networkx import (tests prove the two agree).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vmc_gui.model.cluster import (
    CLIENTS,
    CORE_SWITCH,
    SHARED_STORAGE,
    ClusterSpec,
    cabling,
    etcd_member,
    hosts,
)

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "CLIENTS",
    "Reach",
    "Wiring",
    "largest_share",
    "majority",
    "reach",
    "reach_wired",
    "wiring",
    "with_clients",
]

#: The graph node kinds whose reach a :class:`Reach` records (its ``landmarks``).
LANDMARK_KINDS = ("storage", "clients", "etcd")


@dataclass(frozen=True, slots=True)
class Reach:
    """The cluster cut into the parts that still hear each other."""

    #: Each part's hosts (alive ones only), largest first, then by their first host's order.
    partitions: tuple[frozenset[str], ...]
    #: The part each live host is in (an index into ``partitions``), in host order; failed
    #: hosts are absent.
    part_of: dict[str, int]
    #: For each landmark in the graph (``storage``, ``clients``, each ``etcd-N``), the live
    #: hosts in its component.  A landmark that failed, or that the graph lacks, is absent.
    landmarks: Mapping[str, frozenset[str]]
    #: Every host's place in cluster order (failed ones included): the partitions' tie-break.
    order: Mapping[str, int] = field(compare=False, repr=False)
    #: The landmarks grouped by the component they are in, one set per component that holds
    #: any (in ``landmarks`` order of each group's first): which of etcd's members still reach
    #: each other, say, even in a part with no live host.  A failed landmark is in none.
    groups: tuple[frozenset[str], ...] = ()

    @property
    def reach_storage(self) -> frozenset[str]:
        """The live hosts that reach the shared storage (none without it)."""
        return self.landmarks.get(SHARED_STORAGE, frozenset())

    @property
    def reach_clients(self) -> frozenset[str]:
        """The live hosts the clients reach."""
        return self.landmarks.get(CLIENTS, frozenset())

    def together(self, landmark: str) -> frozenset[str]:
        """The landmarks in ``landmark``'s component, itself included (empty if it failed or
        the graph lacks it)."""
        return next((group for group in self.groups if landmark in group), frozenset())

    def hear(self, a: str, b: str) -> bool:
        """Whether live hosts ``a`` and ``b`` hear each other."""
        return a in self.part_of and self.part_of.get(a) == self.part_of.get(b)

    @property
    def split(self) -> bool:
        """Whether the live hosts are cut into more than one part."""
        return len(self.partitions) > 1

    def without(self, gone: Iterable[str]) -> Reach:
        """This answer once the hosts ``gone`` have crashed (those already absent are ignored).

        The same as computing it with them failed, because hosts are leaves: a crash removes
        the host from its part and from the landmarks' reach, and never splits a part."""
        dead = frozenset(h for h in gone if h in self.part_of)
        if not dead:
            return self
        kept = [
            (index, part - dead if not part.isdisjoint(dead) else part)
            for index, part in enumerate(self.partitions)
        ]
        ranked = sorted(((i, p) for i, p in kept if p), key=lambda item: _rank(item[1], self.order))
        moved = {old: new for new, (old, _) in enumerate(ranked)}
        return Reach(
            tuple(part for _, part in ranked),
            {h: moved[i] for h, i in self.part_of.items() if h not in dead},
            {
                name: (seen - dead if not seen.isdisjoint(dead) else seen)
                for name, seen in self.landmarks.items()
            },
            self.order,
            self.groups,  # hosts are leaves: a crash never parts two landmarks
        )


def _rank(part: frozenset[str], order: Mapping[str, int]) -> tuple[int, int]:
    """Largest first, then by the first host's place (parts are disjoint: no ties)."""
    return -len(part), min(order[h] for h in part)


def _assemble(
    components: Iterable[Collection[str]], order: Mapping[str, int], landmarks: Iterable[str]
) -> Reach:
    """The :class:`Reach` of a graph cut into ``components`` (each a collection of nodes)."""
    parts: list[frozenset[str]] = []
    found: dict[str, frozenset[str]] = {}
    groups: list[frozenset[str]] = []
    wanted = frozenset(landmarks)
    for component in components:
        members = frozenset(n for n in component if n in order)
        present = wanted.intersection(component)
        for node in present:
            found[node] = members
        if present:
            groups.append(frozenset(present))
        if members:
            parts.append(members)
    parts.sort(key=lambda p: _rank(p, order))
    index = {h: i for i, part in enumerate(parts) for h in part}
    part_of = {h: index[h] for h in order if h in index}
    # Landmarks in a fixed order (storage, clients, etcd-1...), so that answers print alike.
    ordered = {name: found[name] for name in sorted(found, key=_landmark_rank)}
    groups.sort(key=lambda group: min(map(_landmark_rank, group)))
    return Reach(tuple(parts), part_of, ordered, order, tuple(groups))


def _landmark_rank(name: str) -> tuple[int, int, str]:
    if name == SHARED_STORAGE:
        return 0, 0, name
    if name == CLIENTS:
        return 1, 0, name
    number = name.rsplit("-", 1)[-1]
    return 2, int(number) if number.isdigit() else 0, name


def majority(answer: Reach, members: Collection[str]) -> frozenset[str]:
    """Those of ``members`` (landmarks, etcd's, say) that share a component holding more than
    half of them, or the empty set if no component does.

    etcd's rule: "For a cluster with n members, quorum is (n/2)+1" (https://etcd.io/docs/v3.6/faq/),
    and "The majority side becomes the available cluster and the minority side is unavailable"
    (https://etcd.io/docs/v3.5/op-guide/failures/).  At most one component can hold a majority."""
    wanted = frozenset(members)
    for group in answer.groups:
        held = group & wanted
        if 2 * len(held) > len(wanted):
            return held
    return frozenset()


def largest_share(answer: Reach, members: Collection[str]) -> int:
    """The most of ``members`` that any one component holds (0 if all failed)."""
    wanted = frozenset(members)
    return max((len(group & wanted) for group in answer.groups), default=0)


def with_clients(graph: nx.Graph) -> nx.Graph:
    """``graph`` with the clients' node on the core switch (a copy; the graph is unchanged)."""
    out = graph.copy()
    out.add_node(CLIENTS, kind="clients")
    out.add_edge(CLIENTS, CORE_SWITCH, kind="link")
    return out


def reach(
    graph: nx.Graph,
    failed_nodes: Iterable[str] = (),
    failed_links: Iterable[tuple[str, str]] = (),
) -> Reach:
    """Reachability once ``failed_nodes`` (hosts, switches) and ``failed_links`` are gone."""
    import networkx as nx  # with the graph, only when a run needs it

    g = with_clients(graph) if CLIENTS not in graph else graph.copy()
    g.remove_nodes_from([n for n in failed_nodes if n in g])
    g.remove_edges_from([(a, b) for a, b in failed_links if g.has_edge(a, b)])
    order = {h: i for i, h in enumerate(hosts(graph))}
    landmarks = [n for n, kind in g.nodes(data="kind") if kind in LANDMARK_KINDS]
    result = _assemble(nx.connected_components(g), order, landmarks)
    assert set(result.part_of) == {h for h in order if h in g}
    return result


@dataclass(frozen=True, slots=True)
class Wiring:
    """The cluster's cabling as adjacency lists: what :func:`reach_wired` searches."""

    #: Each node's neighbours (switches, hosts, storage, clients, etcd members).
    adjacency: Mapping[str, tuple[str, ...]]
    #: Each host's place in cluster order.
    order: Mapping[str, int]
    #: The nodes whose reach the answer records.
    landmarks: tuple[str, ...]


def wiring(spec: ClusterSpec, *, etcd_members: int = 0) -> Wiring:
    """The cabling of ``spec``'s cluster (with ``etcd_members``): the links of
    :func:`~vmc_gui.model.cluster.link_names`, the graph :func:`reach` would search."""
    adjacency: dict[str, list[str]] = {}
    for a, b, _ in [*cabling(spec, etcd_members=etcd_members), (CLIENTS, CORE_SWITCH, "link")]:
        adjacency.setdefault(a, []).append(b)
        adjacency.setdefault(b, []).append(a)
    landmarks = [CLIENTS, *(etcd_member(i) for i in range(1, etcd_members + 1))]
    if spec.shared_storage:
        landmarks.insert(0, SHARED_STORAGE)
    return Wiring(
        {node: tuple(near) for node, near in adjacency.items()},
        {h: i for i, h in enumerate(spec.host_names())},
        tuple(landmarks),
    )


def reach_wired(
    wired: Wiring,
    failed_nodes: Iterable[str] = (),
    failed_links: Iterable[Iterable[str]] = (),
) -> Reach:
    """:func:`reach` by a breadth-first search over ``wired``: the same answer, faster.

    ``failed_links`` may name each link as a pair in either order or as its ``frozenset``."""
    adjacency = wired.adjacency
    seen = {n for n in failed_nodes if n in adjacency}
    landmarks = [n for n in wired.landmarks if n not in seen]
    cut = {frozenset(link) for link in failed_links}
    components: list[list[str]] = []
    for start in adjacency:
        if start in seen:
            continue
        seen.add(start)
        component = [start]
        frontier = [start]
        while frontier:
            node = frontier.pop()
            for near in adjacency[node]:
                if near in seen or (cut and frozenset((node, near)) in cut):
                    continue
                seen.add(near)
                component.append(near)
                frontier.append(near)
        components.append(component)
    return _assemble(components, wired.order, landmarks)
