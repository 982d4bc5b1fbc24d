"""The cluster graph generator."""

from __future__ import annotations

import networkx as nx
import pytest

from vmc_gui.model.cluster import (
    CLIENTS,
    CORE_SWITCH,
    SHARED_STORAGE,
    ClusterSpec,
    build_cluster,
    etcd_member,
    hosts,
    hosts_in_rack,
    link_names,
    switch_names,
)
from vmc_gui.model.reachability import with_clients


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


def test_switch_names_are_the_core_then_each_racks():
    assert switch_names(ClusterSpec(racks=3)) == ["core", "tor-r1", "tor-r2", "tor-r3"]


@pytest.mark.parametrize(
    "spec",
    [
        ClusterSpec(racks=3, hosts_per_rack=4),
        ClusterSpec(racks=1, hosts_per_rack=2),
        ClusterSpec(racks=2, hosts_per_rack=3, shared_storage=False),
        ClusterSpec(racks=5, hosts_per_rack=12, shared_storage=False),
    ],
)
@pytest.mark.parametrize("etcd", [0, 1, 3, 6])
def test_link_names_are_the_graphs_edges_and_the_clients_link(spec, etcd):
    graph = with_clients(build_cluster(spec, etcd_members=etcd))
    assert link_names(spec, etcd_members=etcd) == {frozenset(edge) for edge in graph.edges}
    assert len(link_names(spec, etcd_members=etcd)) == graph.number_of_edges()


def test_etcd_members_hang_off_their_racks_then_off_the_core():
    spec = ClusterSpec(racks=2, hosts_per_rack=2)
    graph = build_cluster(spec, etcd_members=3)
    assert [etcd_member(i) for i in (1, 2, 3)] == ["etcd-1", "etcd-2", "etcd-3"]
    assert list(graph.neighbors("etcd-1")) == ["tor-r1"]
    assert list(graph.neighbors("etcd-2")) == ["tor-r2"]
    assert list(graph.neighbors("etcd-3")) == [CORE_SWITCH]  # a third failure zone
    assert graph.nodes["etcd-3"]["kind"] == "etcd"
    assert hosts(graph) == spec.host_names()  # members are not hosts


def test_without_etcd_members_the_graph_is_the_one_scenarios_always_had():
    spec = ClusterSpec(racks=2, hosts_per_rack=2)
    graph = build_cluster(spec)
    assert {kind for _, kind in graph.nodes(data="kind")} == {"switch", "host", "storage"}
    assert CLIENTS not in graph
    assert graph.number_of_edges() == 2 + 4 + 1
