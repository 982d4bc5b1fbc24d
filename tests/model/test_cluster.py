"""The cluster graph generator."""

from __future__ import annotations

import networkx as nx

from vmc_gui.model.cluster import (
    CORE_SWITCH,
    SHARED_STORAGE,
    ClusterSpec,
    build_cluster,
    hosts,
    hosts_in_rack,
)


def test_racks_times_hosts():
    spec = ClusterSpec(racks=3, hosts_per_rack=4, cores=16, memory_gb=128)
    graph = build_cluster(spec)
    names = hosts(graph)
    assert len(names) == 12 and names[:2] == ["r1-h01", "r1-h02"] and names[-1] == "r3-h04"
    assert hosts_in_rack(graph, 2) == ["r2-h01", "r2-h02", "r2-h03", "r2-h04"]
    data = graph.nodes["r2-h03"]
    assert (data["cores"], data["memory_gb"], data["rack"], data["status"]) == (16, 128, 2, "up")
    assert graph.has_edge("r2-h03", "tor-r2")
    assert graph.has_edge("tor-r2", CORE_SWITCH)
    assert graph.nodes[SHARED_STORAGE]["kind"] == "storage"
    assert nx.is_connected(graph)
    # Every host reaches the shared storage through its rack switch and the core.
    assert nx.shortest_path(graph, "r3-h01", SHARED_STORAGE) == [
        "r3-h01",
        "tor-r3",
        CORE_SWITCH,
        SHARED_STORAGE,
    ]


def test_names_widen_for_large_racks_and_storage_is_optional():
    spec = ClusterSpec(racks=1, hosts_per_rack=120, shared_storage=False)
    graph = build_cluster(spec)
    assert hosts(graph)[0] == "r1-h001"
    assert SHARED_STORAGE not in graph
    assert spec.host_names() == hosts(graph)
