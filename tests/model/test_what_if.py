"""'What if this fails?' on the command line: --fail KIND=WHICH[@S] parsed against the
cluster, each mistake one line that names what the cluster has instead (issue 21, §4)."""

from __future__ import annotations

import pytest

from vmc_gui.model.cluster import ClusterSpec, HostSpec
from vmc_gui.model.errors import ScenarioError
from vmc_gui.model.events import HostFail, RackFail, SwitchFail, ZoneFail
from vmc_gui.model.loader import loads_scenario
from vmc_gui.model.what_if import DEFAULT_AT_S, parse_failure

ZONED = ClusterSpec.of_hosts(
    [
        HostSpec("a1", 1, 4, 16, zone="eu-west-1a"),
        HostSpec("a2", 1, 4, 16, zone="eu-west-1a"),
        HostSpec("b1", 2, 4, 16, zone="eu-west-1b"),
    ],
    shared_storage=True,
    zones="rack",
)


@pytest.mark.parametrize(
    ("text", "event"),
    [
        ("host=a2", HostFail(DEFAULT_AT_S, "a2")),
        ("rack=2@30", RackFail(30.0, 2)),
        ("zone=eu-west-1b@0", ZoneFail(0.0, "eu-west-1b")),
        ("switch=tor-r1@90.5", SwitchFail(90.5, "tor-r1")),
    ],
)
def test_each_kind_reads_as_its_event(text, event):
    assert parse_failure(text, ZONED, duration_s=600.0) == event


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "zone=eu-west-1c",
            r"no zone called 'eu-west-1c'; did you mean 'eu-west-1b', 'eu-west-1a'",
        ),
        ("host=zz", r"no host called 'zz' \(a1, a2, b1\)"),
        ("rack=3", "no rack called '3'"),
        ("power=a1", "KIND one of host, rack, zone, switch"),
        ("host=a1@soon", "'soon' is not a number of seconds"),
        ("host=a1@900", "the time must be 0 to 600 s"),
    ],
)
def test_mistakes_name_what_there_is(text, message):
    with pytest.raises(ValueError, match=message):
        parse_failure(text, ZONED, duration_s=600.0)


def test_a_single_zone_cluster_has_no_zone_to_fail():
    with pytest.raises(ValueError, match="one zone"):
        parse_failure("zone=rack-1", ClusterSpec(zones="single"), duration_s=600.0)


def test_zones_are_the_racks_named_alike():
    assert ZONED.racks_in_zone("eu-west-1a") == [1]
    assert ClusterSpec(racks=3).racks_in_zone("rack-2") == [2]
    assert ClusterSpec(zones="single").racks_in_zone("") == []


_DOC = """
[scenario]
name = "z"
title = "Z"
[cluster]
zones = "{zones}"
[[hosts]]
name = "a1"
cores = 4
memory_gb = 16
zone = "eu-west-1a"
[[hosts]]
name = "b1"
rack = 2
cores = 4
memory_gb = 16
zone = "eu-west-1b"
[[events]]
at_s = 60
kind = "zone_fail"
zone = "{zone}"
"""


def test_the_loader_reads_zone_fail_and_names_a_wrong_zone():
    scenario = loads_scenario(_DOC.format(zones="rack", zone="eu-west-1b"))
    assert scenario.events == (ZoneFail(60.0, "eu-west-1b"),)
    with pytest.raises(ScenarioError, match=r"21: events\[0\]\.zone: no zone called 'eu-west'"):
        loads_scenario(_DOC.format(zones="rack", zone="eu-west"))
    with pytest.raises(ScenarioError, match="one zone"):
        loads_scenario(_DOC.format(zones="single", zone="eu-west-1b"))


def test_a_zone_may_span_racks_and_a_rack_is_in_one_zone():
    # Two racks naming one zone share it: one zone for the node lifecycle controller, and
    # zone_fail fails both racks.
    two_racks = _DOC.format(zones="rack", zone="eu-west-1a").replace(
        'zone = "eu-west-1b"\n[[events]]', 'zone = "eu-west-1a"\n[[events]]'
    )
    cluster = loads_scenario(two_racks).cluster
    assert cluster.zone_names() == ["eu-west-1a"]
    assert [cluster.zone_of_rack(r) for r in (1, 2)] == [0, 0]
    assert cluster.racks_in_zone("eu-west-1a") == [1, 2]
    assert cluster.rack_titles() == ["eu-west-1a", "eu-west-1a"]
    one_rack = _DOC.format(zones="rack", zone="eu-west-1a").replace("rack = 2\n", "")
    with pytest.raises(ScenarioError, match="rack 1's hosts are in zone 'eu-west-1a'"):
        loads_scenario(one_rack)


def test_racks_without_a_zone_name_are_each_their_own():
    cluster = ClusterSpec.of_hosts([HostSpec("a", 1, 4, 8), HostSpec("b", 2, 4, 8, zone="z")])
    assert cluster.zone_names() == ["rack-1", "z"] and cluster.rack_zones == (0, 1)
    assert ClusterSpec(racks=3).zone_names() == ["rack-1", "rack-2", "rack-3"]
