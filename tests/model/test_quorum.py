"""Quorum in a cut-off failover cluster: more than half of the votes as they stood before the
cut, the witness voting where it is reached, dynamic quorum keeping the total odd."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vmc_gui.model.cluster import CORE_SWITCH, ClusterSpec, build_cluster, tor_switch
from vmc_gui.model.quorum import Witness, quorum_part, votes
from vmc_gui.model.reachability import reach


def _cluster(racks: int, per_rack: int):
    spec = ClusterSpec(racks=racks, hosts_per_rack=per_rack)
    return build_cluster(spec), spec.host_names()


def _keeper(graph, members, witness, *, nodes=(), links=(), host=""):
    cut = reach(graph, failed_nodes=nodes, failed_links=links)
    index = quorum_part(cut, votes(members, witness), witness, host)
    return None if index is None else cut.partitions[index]


@pytest.mark.parametrize("witness", list(Witness))
def test_a_rack_cut_off_from_three_leaves_the_majority_with_the_rest(witness):
    graph, members = _cluster(3, 4)  # 12 nodes: even
    kept = _keeper(graph, members, witness, nodes=[tor_switch(1)], host="r2-h01")
    assert kept == frozenset(h for h in members if not h.startswith("r1-"))


def test_a_50_50_split_goes_to_the_half_that_reaches_the_cloud_witness():
    graph, members = _cluster(2, 4)  # 4 and 4
    kept = _keeper(graph, members, Witness.CLOUD, links=[(tor_switch(1), CORE_SWITCH)])
    assert kept == frozenset(h for h in members if h.startswith("r2-"))  # rack 2: the core's


def test_a_file_share_witness_votes_with_its_host():
    graph, members = _cluster(2, 4)
    # The share on r1-h01: rack 1, cut off from the core, keeps the cluster.
    kept = _keeper(
        graph, members, Witness.FILE_SHARE, links=[(tor_switch(1), CORE_SWITCH)], host="r1-h01"
    )
    assert kept == frozenset(h for h in members if h.startswith("r1-"))


def test_without_a_witness_the_half_without_the_unlucky_node_keeps_it():
    graph, members = _cluster(2, 4)
    before = votes(members, Witness.NONE)
    assert before.zeroed == "r2-h04" and before.total == 7  # odd, as dynamic quorum keeps it
    kept = _keeper(graph, members, Witness.NONE, links=[(tor_switch(1), CORE_SWITCH)])
    assert kept == frozenset(h for h in members if h.startswith("r1-"))


def test_the_witness_votes_only_when_the_nodes_are_even():
    assert votes(["a", "b", "c"], Witness.CLOUD).witness == 0
    assert votes(["a", "b", "c", "d"], Witness.CLOUD).witness == 1


def test_the_core_failing_leaves_no_part_with_a_majority():
    graph, members = _cluster(3, 4)
    assert _keeper(graph, members, Witness.CLOUD, nodes=[CORE_SWITCH]) is None


def test_votes_are_those_before_the_cut_not_after():
    """Five of nine nodes crashed one by one earlier leave four voting: a cut of two then
    needs three of four-plus-witness, not a majority of the nine."""
    graph, members = _cluster(3, 3)
    survivors = ["r2-h01", "r2-h02", "r3-h01", "r3-h02"]
    crashed = [h for h in members if h not in survivors]
    cut = reach(graph, failed_nodes=[*crashed, tor_switch(2)])
    before = votes(survivors, Witness.CLOUD)
    assert before.total == 5 and before.majority() == 3
    index = quorum_part(cut, before, Witness.CLOUD)
    assert cut.partitions[index] == frozenset({"r3-h01", "r3-h02"})  # two nodes + the witness


@given(
    racks=st.integers(1, 4),
    per_rack=st.integers(1, 4),
    cut=st.lists(st.integers(1, 4), max_size=4, unique=True),
    witness=st.sampled_from(list(Witness)),
)
def test_at_most_one_part_ever_keeps_the_cluster(racks, per_rack, cut, witness):
    graph, members = _cluster(racks, per_rack)
    links = [(tor_switch(r), CORE_SWITCH) for r in cut if r <= racks]
    split = reach(graph, failed_links=links)
    before = votes(members, witness)
    holders = [
        i
        for i, part in enumerate(split.partitions)
        if sum(n in part for n in before.nodes)
        + (before.witness if witness is Witness.CLOUD and part & split.reach_clients else 0)
        >= before.majority()
    ]
    assert len(holders) <= 1
    assert quorum_part(split, before, witness) == (holders[0] if holders else None)


def test_the_witness_setting_names_a_witness():
    from vmc_gui.model.parameters import ParameterSet

    assert Witness.from_setting(0) is Witness.NONE
    assert Witness.from_setting(1) is Witness.CLOUD
    assert Witness.from_setting(2) is Witness.FILE_SHARE
    assert Witness.from_setting(ParameterSet()["hyperv.witness"]) is Witness.CLOUD
    chosen = ParameterSet({"hyperv.witness": "file_share"})["hyperv.witness"]
    assert Witness.from_setting(chosen) is Witness.FILE_SHARE
    for bad in (3, -1, 1.5):
        with pytest.raises(ValueError, match=r"hyperv\.witness has no witness"):
            Witness.from_setting(bad)
