"""The network's state over a run: failed switches and links, the state at any time, and the
cached answer to who hears whom."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vmc_gui.model.cluster import CORE_SWITCH, ClusterSpec, link_names, switch_names, tor_switch
from vmc_gui.model.events import (
    HostFail,
    LinkFail,
    LinkRecover,
    SwitchFail,
    SwitchRecover,
    link_key,
)
from vmc_gui.model.reachability import reach
from vmc_gui.sim.network import (
    INTACT,
    NetState,
    graph_for,
    is_network_event,
    network_changes,
    reach_for,
    state_at,
)

SPEC = ClusterSpec(racks=3, hosts_per_rack=2)


def test_a_switch_fails_and_recovers_back_to_the_intact_state():
    down = INTACT.apply(SwitchFail(60.0, "tor-r1"))
    assert down == NetState(frozenset({"tor-r1"})) and not down.intact
    assert down.apply(SwitchFail(70.0, "tor-r1")) is down  # already down: no change
    assert down.apply(SwitchRecover(660.0, "tor-r1")) == INTACT
    assert INTACT.apply(SwitchRecover(1.0, "core")) is INTACT and INTACT.intact


def test_a_link_named_in_either_order_is_the_same_link():
    one = INTACT.apply(LinkFail(60.0, "tor-r1", CORE_SWITCH))
    other = INTACT.apply(LinkFail(60.0, CORE_SWITCH, "tor-r1"))
    assert one == other and one.failed_links == {link_key(CORE_SWITCH, "tor-r1")}
    assert one.apply(LinkRecover(90.0, CORE_SWITCH, "tor-r1")) == INTACT
    assert link_key(CORE_SWITCH, "tor-r1") in link_names(SPEC)


def test_network_changes_keep_one_entry_per_instant_in_time_order():
    events = [
        SwitchFail(600.0, CORE_SWITCH),
        HostFail(30.0, "r1-h01"),  # not the network's: ignored
        SwitchFail(60.0, "tor-r1"),
        LinkFail(60.0, "tor-r2", CORE_SWITCH),
        SwitchFail(60.0, "tor-r3"),
        SwitchRecover(60.0, "tor-r3"),  # after its failure at the same instant: up again
        SwitchRecover(660.0, "tor-r1"),
    ]
    assert [is_network_event(e) for e in events].count(False) == 1
    changes = network_changes(events)
    assert [t for t, _ in changes] == [60.0, 600.0, 660.0]
    at_60 = NetState(frozenset({"tor-r1"}), frozenset({link_key("tor-r2", CORE_SWITCH)}))
    assert changes[0][1] == at_60
    assert changes[1][1] == NetState(at_60.failed_switches | {CORE_SWITCH}, at_60.failed_links)
    assert changes[2][1] == NetState(frozenset({CORE_SWITCH}), at_60.failed_links)
    assert network_changes([HostFail(1.0, "r1-h01")]) == ()


def test_state_at_is_the_state_in_force_with_a_change_at_t_already_made():
    changes = network_changes(
        [SwitchFail(60.0, "tor-r1"), SwitchRecover(660.0, "tor-r1"), SwitchFail(60.0, "core")]
    )
    both = NetState(frozenset({"tor-r1", "core"}))
    assert state_at(changes, 0.0) == INTACT
    assert state_at(changes, 59.999) == INTACT
    assert state_at(changes, 60.0) == both
    assert state_at(changes, 659.0) == both
    assert state_at(changes, 660.0) == NetState(frozenset({"core"}))
    assert state_at(changes, 1e9) == NetState(frozenset({"core"}))
    assert state_at((), 100.0) == INTACT


def test_a_recurring_state_is_answered_from_the_cache():
    spec = ClusterSpec(racks=4, hosts_per_rack=3)  # a spec no other test asks for
    cut = INTACT.apply(SwitchFail(60.0, "tor-r2"))
    first = reach_for(spec, 0, cut)
    hits = reach_for.cache_info().hits
    # An equal state built afresh, as the second world or a re-simulation would.
    again = reach_for(spec, 0, NetState(frozenset({"tor-r2"})))
    assert again is first and reach_for.cache_info().hits == hits + 1


def test_reach_for_is_reach_on_the_graph_and_crashes_come_out_afterwards():
    state = NetState(frozenset({tor_switch(1)}), frozenset({link_key("r2-h01", "tor-r2")}))
    expected = reach(graph_for(SPEC, 3), [tor_switch(1)], [("r2-h01", "tor-r2")])
    assert reach_for(SPEC, 3, state) == expected
    assert reach_for(SPEC, 3, state).landmarks["etcd-1"] == frozenset()
    dead = ["r3-h01"]
    assert reach_for(SPEC, 3, state).without(dead) == reach(
        graph_for(SPEC, 3), [tor_switch(1), *dead], [("r2-h01", "tor-r2")]
    )
    assert {frozenset(e) for e in graph_for(SPEC, 3).edges} == link_names(SPEC, etcd_members=3)


_LINKS = sorted(tuple(sorted(link)) for link in link_names(SPEC))
_NET_EVENT = st.one_of(
    st.builds(SwitchFail, st.integers(0, 5).map(float), st.sampled_from(switch_names(SPEC))),
    st.builds(SwitchRecover, st.integers(0, 5).map(float), st.sampled_from(switch_names(SPEC))),
    st.sampled_from(_LINKS).flatmap(
        lambda ab: st.builds(LinkFail, st.integers(0, 5).map(float), st.just(ab[0]), st.just(ab[1]))
    ),
    st.sampled_from(_LINKS).flatmap(
        lambda ab: st.builds(
            LinkRecover, st.integers(0, 5).map(float), st.just(ab[1]), st.just(ab[0])
        )
    ),
)


@given(st.lists(_NET_EVENT, max_size=12), st.integers(-1, 6).map(float))
def test_state_at_equals_replaying_the_events_up_to_t(events, t):
    replayed = INTACT
    for event in sorted(events, key=lambda e: e.at_s):
        if event.at_s <= t:
            replayed = replayed.apply(event)
    assert state_at(network_changes(events), t) == replayed
