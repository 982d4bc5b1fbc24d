"""Right-click a host (or, at scale, a rack's head) to ask what a rack's or a zone's failure
would do: the event lands at the current time in every world (issue 21, §4)."""

from __future__ import annotations

import dataclasses

import pytest

from vmc_gui.model.cluster import ClusterSpec, HostSpec
from vmc_gui.model.events import RackFail, ZoneFail
from vmc_gui.model.library import resolve
from vmc_gui.model.scenario import World
from vmc_gui.sim.records import HostStatus
from vmc_gui.ui.panels.cluster_panel import ClusterPanel


def _zoned():
    hosts = [
        HostSpec(f"node-{zone}{i}", rack, 16, 64, zone=f"eu-west-1{zone}")
        for rack, zone in ((1, "a"), (2, "b"))
        for i in (1, 2)
    ]
    cluster = ClusterSpec.of_hosts(hosts, shared_storage=True, zones="rack")
    return dataclasses.replace(resolve("failover"), cluster=cluster, events=())


@pytest.fixture
def panel(qtbot):
    panel = ClusterPanel(_zoned())
    qtbot.addWidget(panel)
    return panel


def _texts(menu):
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_an_imported_hosts_menu_offers_its_zone_once(panel):
    # The rack is the zone: one item, in the zone's words (the same hosts either way).
    texts = _texts(panel.view.host_menu(panel.scene.card(World.VM, "node-b1")))
    assert "Fail zone eu-west-1b now (rack 2)" in texts
    assert not any(t.startswith("Fail rack") for t in texts)


def test_a_zone_over_two_racks_offers_the_rack_and_the_zone(qtbot):
    hosts = [
        HostSpec(f"node-{rack}", rack, 16, 64, zone="eu-west-1a" if rack < 3 else "eu-west-1b")
        for rack in (1, 2, 3)
    ]
    scenario = dataclasses.replace(
        resolve("failover"), cluster=ClusterSpec.of_hosts(hosts), events=()
    )
    panel = ClusterPanel(scenario)
    qtbot.addWidget(panel)
    texts = _texts(panel.view.host_menu(panel.scene.card(World.VM, "node-2")))
    assert "Fail rack 2 now" in texts and "Fail zone eu-west-1a now (2 racks)" in texts


def test_failing_a_zone_from_the_menu_fails_its_hosts_now(panel, qtbot):
    panel.controller.seek(90.0)
    menu = panel.view.host_menu(panel.scene.card(World.CONTAINER, "node-a2"))
    zone = next(a for a in menu.actions() if a.text() == "Fail zone eu-west-1a now (rack 1)")
    with qtbot.waitSignal(panel.controller.timeline_changed):
        zone.trigger()
    assert panel.controller.timeline().scenario.events == (ZoneFail(90.0, "eu-west-1a"),)
    assert "Zone eu-west-1a fails at 90.0 s in every world" in panel.last_message
    for world in (World.VM, World.CONTAINER):
        assert panel.scene.card(world, "node-a1").status == HostStatus.FAILED
        assert panel.scene.card(world, "node-b1").status == HostStatus.UP


def test_failing_a_rack_from_the_menu(panel, qtbot):
    with qtbot.waitSignal(panel.controller.timeline_changed):
        panel.scene.request_outage("rack", "2")
    assert panel.controller.timeline().scenario.events == (RackFail(0.0, 2),)
    panel.scene.request_outage("power", "2")  # not an outage the scene knows: nothing
    assert len(panel.controller.timeline().scenario.events) == 1


def test_a_rack_that_is_its_own_zone_offers_no_second_item(qtbot):
    panel = ClusterPanel(resolve("failover"))
    qtbot.addWidget(panel)
    texts = _texts(panel.view.host_menu(panel.scene.card(World.VM, "r2-h01")))
    assert "Fail rack 2 now" in texts
    assert not any(t.startswith("Fail zone") for t in texts)
