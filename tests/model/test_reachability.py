"""Reachability on the cluster graph: who hears whom, who reaches the storage and the clients."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vmc_gui.model.cluster import (
    CORE_SWITCH,
    SHARED_STORAGE,
    ClusterSpec,
    build_cluster,
    link_names,
    switch_names,
    tor_switch,
)
from vmc_gui.model.reachability import (
    CLIENTS,
    largest_share,
    majority,
    reach,
    reach_wired,
    wiring,
    with_clients,
)

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


# --- landmarks, crashed hosts taken out afterwards, and the fast search ----------------------

ETCD_SPEC = ClusterSpec(racks=2, hosts_per_rack=3)
ETCD_GRAPH = with_clients(build_cluster(ETCD_SPEC, etcd_members=3))
ETCD_HOSTS = set(ETCD_SPEC.host_names())


@given(
    racks=st.integers(1, 4),
    per_rack=st.integers(1, 3),
    storage=st.booleans(),
    etcd=st.integers(0, 4),
)
def test_hosts_and_landmarks_are_leaves_so_the_cache_key_is_switches_and_links(
    racks, per_rack, storage, etcd
):
    """Why ``sim/network.py`` caches by failed switches and links alone: every host, and every
    landmark, hangs off the rest by one link, so none of them failing splits the others."""
    spec = ClusterSpec(racks=racks, hosts_per_rack=per_rack, shared_storage=storage)
    graph = with_clients(build_cluster(spec, etcd_members=etcd))
    switches = set(switch_names(spec))
    assert {n for n, kind in graph.nodes(data="kind") if kind == "switch"} == switches
    for node in set(graph.nodes) - switches:
        assert graph.degree(node) == 1, node


def test_landmarks_are_the_live_hosts_each_of_storage_clients_and_etcd_reaches():
    r = reach(ETCD_GRAPH)
    assert list(r.landmarks) == [SHARED_STORAGE, CLIENTS, "etcd-1", "etcd-2", "etcd-3"]
    assert all(seen == ETCD_HOSTS for seen in r.landmarks.values())
    cut = reach(ETCD_GRAPH, failed_links=[(tor_switch(1), CORE_SWITCH)])
    rack1 = {"r1-h01", "r1-h02", "r1-h03"}
    assert cut.landmarks["etcd-1"] == rack1
    assert cut.landmarks["etcd-2"] == cut.landmarks["etcd-3"] == ETCD_HOSTS - rack1
    assert cut.reach_clients == cut.reach_storage == ETCD_HOSTS - rack1


def test_a_landmark_alone_reaches_nobody_and_a_failed_or_missing_one_is_absent():
    r = reach(ETCD_GRAPH, failed_nodes=[CORE_SWITCH, SHARED_STORAGE])
    assert SHARED_STORAGE not in r.landmarks and r.reach_storage == frozenset()
    assert r.landmarks[CLIENTS] == r.landmarks["etcd-3"] == frozenset()  # the core's, alone
    assert r.landmarks["etcd-1"] == {"r1-h01", "r1-h02", "r1-h03"}
    bare = reach(build_cluster(ClusterSpec(racks=1, hosts_per_rack=2, shared_storage=False)))
    assert list(bare.landmarks) == [CLIENTS]  # no storage, no etcd; the clients are added


def test_without_takes_crashed_hosts_out_and_reorders_the_parts():
    r = reach(GRAPH, failed_links=[(tor_switch(1), CORE_SWITCH)])
    assert r.partitions[1] == {"r1-h01", "r1-h02"}
    # Rack 1 is now the larger part: it comes first.
    after = r.without(["r2-h01", "r2-h02", "r3-h01", "no-such-host"])
    assert after.partitions == (frozenset({"r1-h01", "r1-h02"}), frozenset({"r3-h02"}))
    assert after.part_of == {"r1-h01": 0, "r1-h02": 0, "r3-h02": 1}
    assert after.reach_clients == {"r3-h02"}
    assert r.without([]) is r and r.without(["no-such-host"]) is r
    assert r.without(ALL).partitions == () and r.without(ALL).landmarks[CLIENTS] == frozenset()


MEMBERS = ("etcd-1", "etcd-2", "etcd-3")


def test_groups_say_which_landmarks_share_a_component_even_with_no_live_host_there():
    # 2 racks: etcd-1 on tor-r1, etcd-2 on tor-r2, etcd-3 on the core (a third zone).
    r = reach(ETCD_GRAPH, failed_links=[(tor_switch(1), CORE_SWITCH)])
    assert r.groups == (frozenset({SHARED_STORAGE, CLIENTS, "etcd-2", "etcd-3"}), {"etcd-1"})
    assert r.together("etcd-3") == {SHARED_STORAGE, CLIENTS, "etcd-2", "etcd-3"}
    assert r.together("etcd-1") == {"etcd-1"} and r.together("etcd-9") == frozenset()
    # The control plane stays with rack 2 and the core's member: a majority of 2 of 3.
    assert majority(r, MEMBERS) == {"etcd-2", "etcd-3"} and largest_share(r, MEMBERS) == 2
    # Every host of rack 1 crashed: etcd-1's component has no live host, like the core's
    # etcd-3 when the core is out; the hosts alone could not tell the two apart.
    dead = r.without(["r1-h01", "r1-h02", "r1-h03"])
    assert dead.landmarks["etcd-1"] == frozenset() and dead.groups == r.groups


def test_no_component_holds_a_majority_when_the_core_fails():
    r = reach(ETCD_GRAPH, failed_nodes=[CORE_SWITCH])
    assert majority(r, MEMBERS) == frozenset() and largest_share(r, MEMBERS) == 1
    assert r.landmarks["etcd-3"] == frozenset() and r.together("etcd-3") == {"etcd-3"}
    assert majority(reach(ETCD_GRAPH), MEMBERS) == set(MEMBERS)
    # Failed members count towards the size: 1 of 3 left is no quorum.
    gone = reach(ETCD_GRAPH, failed_nodes=["etcd-1", "etcd-2"])
    assert majority(gone, MEMBERS) == frozenset() and largest_share(gone, MEMBERS) == 1


@given(switches=st.sets(st.sampled_from(switch_names(ETCD_SPEC))), data=st.data())
def test_at_most_one_majority_and_groups_partition_the_landmarks(switches, data):
    edges = sorted(tuple(sorted(edge)) for edge in ETCD_GRAPH.edges)
    cut = data.draw(st.sets(st.sampled_from(edges)))
    r = reach(ETCD_GRAPH, failed_nodes=switches, failed_links=cut)
    assert sorted(n for group in r.groups for n in group) == sorted(r.landmarks)
    held = majority(r, MEMBERS)
    assert sum(2 * len(g & set(MEMBERS)) > 3 for g in r.groups) == (1 if held else 0)
    if held:
        hosts = {r.landmarks[m] for m in held}
        assert len(hosts) == 1  # the members of one component reach the same hosts


_EDGES = sorted(tuple(sorted(edge)) for edge in ETCD_GRAPH.edges)


@given(
    switches=st.sets(st.sampled_from(switch_names(ETCD_SPEC))),
    links=st.sets(st.sampled_from(_EDGES)),
    dead=st.sets(st.sampled_from(sorted(ETCD_HOSTS))),
)
def test_without_the_dead_equals_computing_with_them_failed(switches, links, dead):
    after = reach(ETCD_GRAPH, failed_nodes=switches, failed_links=links).without(dead)
    direct = reach(ETCD_GRAPH, failed_nodes=switches | dead, failed_links=links)
    assert after == direct
    assert after.partitions == direct.partitions  # the order too, not only the sets
    assert list(after.part_of.items()) == list(direct.part_of.items())
    assert list(after.landmarks) == list(direct.landmarks)


@given(
    racks=st.integers(1, 4),
    per_rack=st.integers(1, 3),
    storage=st.booleans(),
    etcd=st.integers(0, 4),
    data=st.data(),
)
def test_the_breadth_first_search_gives_the_same_answer_as_networkx(
    racks, per_rack, storage, etcd, data
):
    spec = ClusterSpec(racks=racks, hosts_per_rack=per_rack, shared_storage=storage)
    graph = with_clients(build_cluster(spec, etcd_members=etcd))
    nodes = data.draw(st.sets(st.sampled_from(sorted(graph.nodes))))
    edges = sorted(tuple(sorted(link)) for link in link_names(spec, etcd_members=etcd))
    cut = data.draw(st.lists(st.sampled_from(edges), unique=True))
    flipped = [(b, a) for a, b in cut]  # either order names the link
    slow = reach(graph, failed_nodes=nodes, failed_links=cut)
    fast = reach_wired(wiring(spec, etcd_members=etcd), nodes, flipped)
    assert fast == slow
    assert fast.partitions == slow.partitions
    assert list(fast.part_of.items()) == list(slow.part_of.items())
    assert list(fast.landmarks.items()) == list(slow.landmarks.items())
    assert fast.groups == slow.groups
