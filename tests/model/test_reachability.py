"""Reachability on the cluster graph: who hears whom, who reaches the storage and the clients."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vmc_gui.model.cluster import (
    CORE_SWITCH,
    SHARED_STORAGE,
    ClusterSpec,
    build_cluster,
    tor_switch,
)
from vmc_gui.model.reachability import CLIENTS, reach

SPEC = ClusterSpec(racks=3, hosts_per_rack=2)
GRAPH = build_cluster(SPEC)
ALL = set(SPEC.host_names())


def test_an_intact_cluster_is_one_part_reaching_everything():
    r = reach(GRAPH)
    assert r.partitions == (frozenset(ALL),) and not r.split
    assert r.reach_storage == r.reach_clients == ALL


def test_a_failed_rack_switch_cuts_its_hosts_off_alive():
    r = reach(GRAPH, failed_nodes=[tor_switch(1)])
    rack1 = {"r1-h01", "r1-h02"}
    # The rest is one part; each host of rack 1 is alone (its switch joined them).
    assert r.partitions[0] == frozenset(ALL - rack1)
    assert {frozenset({"r1-h01"}), frozenset({"r1-h02"})} == set(r.partitions[1:])
    assert r.reach_clients == r.reach_storage == ALL - rack1
    assert not r.hear("r1-h01", "r2-h01") and r.hear("r2-h01", "r3-h02")


def test_a_cut_uplink_keeps_the_rack_together_but_apart():
    r = reach(GRAPH, failed_links=[(tor_switch(1), CORE_SWITCH)])
    assert r.partitions[1] == frozenset({"r1-h01", "r1-h02"})
    assert r.hear("r1-h01", "r1-h02") and "r1-h01" not in r.reach_clients


def test_the_core_switch_failing_leaves_each_rack_on_its_own_and_nobody_reaches_the_storage():
    r = reach(GRAPH, failed_nodes=[CORE_SWITCH])
    assert len(r.partitions) == 3
    assert r.reach_storage == r.reach_clients == frozenset()


def test_a_crashed_host_is_in_no_part_and_the_storage_link_can_fail_alone():
    r = reach(GRAPH, failed_nodes=["r2-h02"], failed_links=[(SHARED_STORAGE, CORE_SWITCH)])
    assert "r2-h02" not in r.part_of and not r.split
    assert r.reach_storage == frozenset() and r.reach_clients == ALL - {"r2-h02"}


def test_the_graph_itself_is_not_changed():
    before = set(GRAPH.nodes)
    reach(GRAPH, failed_nodes=[CORE_SWITCH])
    assert set(GRAPH.nodes) == before and CLIENTS not in GRAPH


@given(st.sets(st.sampled_from(sorted(set(GRAPH.nodes) - {SHARED_STORAGE}))), st.data())
def test_parts_cover_the_live_hosts_once_and_hearing_is_an_equivalence(failed, data):
    edges = sorted(GRAPH.edges)
    cut = data.draw(st.sets(st.sampled_from(edges)))
    r = reach(GRAPH, failed_nodes=failed, failed_links=cut)
    live = ALL - set(failed)
    assert set().union(*r.partitions) == live if r.partitions else not live
    assert sum(len(p) for p in r.partitions) == len(live)
    for a in live:
        for b in live:
            assert r.hear(a, b) == r.hear(b, a)
    assert r.reach_storage <= live and r.reach_clients <= live
