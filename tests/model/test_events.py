"""The event union: one class per kind, each read from TOML, written back and described."""

from __future__ import annotations

import dataclasses

import pytest

from tests.scenarios import failover, failover_text
from vmc_gui.model.errors import ScenarioError
from vmc_gui.model.events import (
    EVENT_TYPES,
    Drain,
    EventKind,
    Exploit,
    HostFail,
    HostRecover,
    LinkFail,
    LinkRecover,
    Load,
    OutOfService,
    RackFail,
    Rebalance,
    Scale,
    SetParameter,
    SwitchFail,
    SwitchRecover,
    Update,
    ZoneFail,
    is_fault,
)
from vmc_gui.model.loader import loads_scenario
from vmc_gui.model.scenario_toml import dumps_scenario
from vmc_gui.report import describe_event

#: One event of every kind, on the failover scenario's cluster (3 racks of 4, service "web").
ONE_OF_EACH = (
    HostFail(10.0, "r1-h01"),
    HostRecover(20.0, "r1-h01"),
    RackFail(30.0, 2),
    ZoneFail(35.0, "rack-3"),
    SetParameter(40.0, "kubernetes.node_monitor_grace_period_s", 20.0),
    Scale(50.0, "web", 10),
    Update(60.0, "web"),
    Rebalance(70.0, "r2-h01", 2),
    Exploit(80.0, "web"),
    Load(90.0, "r3-h02", 1.5),
    Drain(100.0, "r3-h03"),
    OutOfService(110.0, "r2-h02"),
    SwitchFail(120.0, "tor-r1"),
    SwitchRecover(130.0, "tor-r1"),
    LinkFail(140.0, "r1-h02", "tor-r1"),
    LinkRecover(150.0, "tor-r1", "r1-h02"),
)


def test_every_kind_has_one_class():
    assert set(EVENT_TYPES) == set(EventKind)
    assert {type(e) for e in ONE_OF_EACH} == set(EVENT_TYPES.values())
    for kind, cls in EVENT_TYPES.items():
        assert cls.kind is kind


def test_faults_are_the_crashes_and_the_network_breaking():
    faults = {type(e).__name__ for e in ONE_OF_EACH if is_fault(e)}
    assert faults == {"HostFail", "RackFail", "ZoneFail", "SwitchFail", "LinkFail"}


def test_every_kind_survives_writing_and_reading_back():
    scenario = dataclasses.replace(failover(), events=ONE_OF_EACH)
    again = loads_scenario(dumps_scenario(scenario), source="again.toml")
    assert again.events == ONE_OF_EACH


def test_every_kind_has_its_sentence():
    sentences = [describe_event(e) for e in ONE_OF_EACH]
    assert len(set(sentences)) == len(sentences)
    assert "switch tor-r1 fails" in sentences[12]
    assert "r1-h02 and tor-r1 is cut" in sentences[14]
    assert "zone rack-3 fails, every host in it" in sentences[3]


def problems(events: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        loads_scenario(failover_text(events=events), source="s.toml")
    return [str(p) for p in caught.value.problems]


def test_a_switch_that_is_not_there_is_named_with_a_hint():
    (problem,) = problems('[[events]]\nat_s = 5\nkind = "switch_fail"\nswitch = "tor-r9"\n')
    assert "events[0].switch" in problem and "no switch called 'tor-r9'" in problem
    assert "tor-r" in problem.split("'tor-r9'")[1]  # "did you mean …"


def test_a_link_must_be_an_edge_of_the_graph():
    text = '[[events]]\nat_s = 5\nkind = "link_fail"\na = "r1-h01"\nb = "core"\n'
    (problem,) = problems(text)
    assert "events[0].b" in problem and "not linked" in problem and "tor-r1" in problem


def test_the_clients_and_the_storage_links_can_be_cut():
    for a, b in (("clients", "core"), ("storage", "core"), ("core", "tor-r2")):
        text = f'[[events]]\nat_s = 5\nkind = "link_fail"\na = "{a}"\nb = "{b}"\n'
        (event,) = loads_scenario(failover_text(events=text), source="s.toml").events
        assert event == LinkFail(5.0, a, b)


def test_a_field_of_another_kind_is_refused():
    text = '[[events]]\nat_s = 5\nkind = "switch_fail"\nswitch = "core"\nhost = "r1-h01"\n'
    (problem,) = problems(text)
    assert "a switch_fail event has no host" in problem


def test_a_set_without_its_value_names_the_line():
    text = (
        '[[events]]\nat_s = 5\nkind = "set"\nparameter = "kubernetes.node_monitor_grace_period_s"\n'
    )
    (problem,) = problems(text)
    assert "events[0].value" in problem and "is required" in problem


def test_an_etcd_members_link_can_be_cut_where_the_settings_place_it():
    text = '[[events]]\nat_s = 5\nkind = "link_fail"\na = "etcd-2"\nb = "tor-r2"\n'
    (event,) = loads_scenario(failover_text(events=text), source="s.toml").events
    assert event == LinkFail(5.0, "etcd-2", "tor-r2")
    # With one member, etcd-2 is not there to cut.
    one = failover_text(events=text, parameters="kubernetes.etcd_members = 1")
    with pytest.raises(ScenarioError, match="no node called 'etcd-2'"):
        loads_scenario(one, source="s.toml")
