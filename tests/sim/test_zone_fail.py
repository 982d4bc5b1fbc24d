"""A zone's failure stops every host of its racks at once, in every world, as failing each
of its racks would (issue 21, §4); the report and the JSON name it."""

from __future__ import annotations

import dataclasses
import json

from vmc_gui.cli import main
from vmc_gui.model.cluster import ClusterSpec, HostSpec
from vmc_gui.model.events import RackFail, ZoneFail
from vmc_gui.model.library import resolve
from vmc_gui.model.scenario import World
from vmc_gui.report import phase_report
from vmc_gui.sim import simulate
from vmc_gui.sim.records import HostStatus
from vmc_gui.sim.summary import to_json


def _failover_without_events():
    scenario = resolve("failover")
    return dataclasses.replace(scenario, events=())


def test_a_zone_fails_as_its_rack_does():
    base = _failover_without_events()  # three racks, each its own zone (rack-1...)
    by_zone = simulate(base.with_event(ZoneFail(60.0, "rack-2")))
    by_rack = simulate(base.with_event(RackFail(60.0, 2)))
    for world in base.worlds:
        zone_run = by_zone.worlds[world]
        racks = [base.cluster.rack_of(i) for i in range(base.cluster.host_count)]
        at = zone_run.state_at(61.0)
        assert [s != HostStatus.UP for s in at.host_status] == [r == 2 for r in racks]
        assert to_json(by_zone)["worlds"][world.value] == to_json(by_rack)["worlds"][world.value]


def test_the_report_names_the_zone():
    scenario = _failover_without_events().with_event(ZoneFail(60.0, "rack-2"))
    report = phase_report(scenario, to_json(simulate(scenario)))
    assert "At 60 s zone rack-2 fails, every host in it." in report


def test_simulate_fail_adds_the_event(capsys):
    assert main(["simulate", "failover", "--fail", "rack=3@30", "--json"]) == 0
    with_failure = json.loads(capsys.readouterr().out)
    assert main(["simulate", "failover", "--json"]) == 0
    without = json.loads(capsys.readouterr().out)
    assert with_failure["digest"] != without["digest"]
    assert main(["simulate", "failover", "--fail", "zone=rack-9"]) == 2
    assert "--fail 'zone=rack-9': no zone called 'rack-9'" in capsys.readouterr().err


def test_racks_sharing_a_zone_are_one_zone_to_the_controller():
    # Zone a spans racks 1 and 2: its four nodes are one zone's, and failing it fails both.
    hosts = [
        HostSpec(f"{zone}{rack}-{i}", rack, 16, 64, zone=zone)
        for rack, zone in ((1, "a"), (2, "a"), (3, "b"))
        for i in (1, 2)
    ]
    scenario = dataclasses.replace(
        _failover_without_events(), cluster=ClusterSpec.of_hosts(hosts)
    ).with_event(ZoneFail(60.0, "a"))
    timeline = simulate(scenario)
    container = timeline.worlds[World.CONTAINER]
    assert container.run.zone_names == ["a", "b"]
    assert container.run.host_zone == [0, 0, 0, 0, 1, 1]
    down = container.state_at(61.0).host_status
    assert [s != HostStatus.UP for s in down.tolist()] == [True] * 4 + [False] * 2
