"""Who hears whom when switches and links fail: reachability on the cluster graph.

A crashed host and a cut-off host look the same to the others (neither answers); what differs
is that the cut-off host keeps running its workloads.  The platforms' rules for a partition
(quorum, isolation, eviction) start from the answer this module gives: the graph's connected
components once failed nodes and edges are removed.  The clients, where a service's users
come in, hang off the core switch: a copy that runs but that the clients cannot reach does not
serve.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vmc_gui.model.cluster import CORE_SWITCH, SHARED_STORAGE, hosts

if TYPE_CHECKING:
    import networkx as nx

#: Where the services' users come in: a node on the core switch.
CLIENTS = "clients"


@dataclass(frozen=True, slots=True)
class Reach:
    """The cluster cut into the parts that still hear each other."""

    #: Each part's hosts (alive ones only), largest first, then by their first host's order.
    partitions: tuple[frozenset[str], ...]
    #: The part each live host is in (an index into ``partitions``); failed hosts are absent.
    part_of: dict[str, int]
    #: The live hosts that reach the shared storage, and those the clients reach.
    reach_storage: frozenset[str]
    reach_clients: frozenset[str]

    def hear(self, a: str, b: str) -> bool:
        """Whether live hosts ``a`` and ``b`` hear each other."""
        return a in self.part_of and self.part_of.get(a) == self.part_of.get(b)

    @property
    def split(self) -> bool:
        """Whether the live hosts are cut into more than one part."""
        return len(self.partitions) > 1


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
    live = [h for h in order if h in g]
    parts: list[frozenset[str]] = []
    storage: set[str] = set()
    clients: set[str] = set()
    for component in nx.connected_components(g):
        members = frozenset(h for h in component if h in order)
        if SHARED_STORAGE in component:
            storage |= members
        if CLIENTS in component:
            clients |= members
        if members:
            parts.append(members)
    parts.sort(key=lambda p: (-len(p), min(order[h] for h in p)))
    part_of = {h: i for i, part in enumerate(parts) for h in part}
    assert set(part_of) == set(live)
    return Reach(tuple(parts), part_of, frozenset(storage), frozenset(clients))
