"""The network at scale, where no fabric is drawn: a rack's head says when its switch is down
or its uplink cut, and a right-click on it fails or restores the switch (or cuts the uplink);
each world's header says how the core stands, and a right-click on the header fails or
restores it.  A cluster of 600 hosts is at scale and simulates in a blink.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPainter

from vmc_gui.model.cluster import ClusterSpec
from vmc_gui.model.events import LinkFail, SwitchFail, SwitchRecover, TimedEvent
from vmc_gui.model.scenario import Scenario, ServiceSpec, World
from vmc_gui.sim import simulate
from vmc_gui.sim.network import INTACT, NetState
from vmc_gui.sim.records import HostStatus, Phase, ZoneState
from vmc_gui.ui.panels.cluster_panel import ClusterPanel
from vmc_gui.ui.scenes.cluster_scene import ClusterScene
from vmc_gui.ui.scenes.items import rack_heads_item
from vmc_gui.ui.scenes.items.rack_heads_item import TEXT_PX
from vmc_gui.ui.scenes.rack_summary import (
    NET_UP,
    SWITCH_DOWN,
    UPLINK_CUT,
    RackLines,
    network_line,
    network_parts,
    rack_lines,
    rack_network,
)
from vmc_gui.ui.scenes.zoom_view import LEGIBLE_PX
from vmc_gui.ui.theme import DARK

RACKS, PER_RACK = 20, 30
CUT, HEAL = 60.0, 600.0


def cut_rack(*events: TimedEvent) -> Scenario:
    """Rack 3's switch fails at a minute and comes back at ten, in 20 racks of 30 hosts."""
    return Scenario(
        name="large-cut",
        title="A large cluster, a rack cut off",
        description="",
        seed=3,
        duration_s=900.0,
        cluster=ClusterSpec(racks=RACKS, hosts_per_rack=PER_RACK, cores=64, memory_gb=512.0),
        worlds=(World.VM, World.CONTAINER),
        services=(ServiceSpec("web", 600, 0.5, 2048), ServiceSpec("api", 400, 0.5, 2048)),
        events=(SwitchFail(CUT, "tor-r3"), SwitchRecover(HEAL, "tor-r3"), *events),
    )


@pytest.fixture(scope="module")
def timeline():
    return simulate(cut_rack(LinkFail(CUT, "tor-r8", "core")))


@pytest.fixture
def scene(qapp, timeline):
    scene = ClusterScene()
    scene.set_timeline(timeline)
    yield scene
    scene.deleteLater()


def paint(scene: ClusterScene, size: tuple[int, int] = (1600, 1000)) -> float:
    """Paint the whole scene fitted into an image ``size`` big; returns the zoom."""
    source = scene.content_rect()
    image = QImage(*size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    scene.render(painter, QRectF(0, 0, *size), source)
    painter.end()
    return min(size[0] / source.width(), size[1] / source.height())


def test_a_racks_head_says_its_switch_is_down_while_it_is(scene):
    assert scene.at_scale()
    for world in ("vm", "container"):
        heads = scene.rack_heads(world)
        assert heads is not None
        scene.show_time(CUT - 10)
        assert all(role != "alarm" for _, role in heads.lines(2)[:2])
        scene.show_time(CUT + 40)
        lines = heads.lines(2)
        # Second, under the rack's name, in the alarm colour; then the counts.
        assert lines[0][0][0] == "Rack 3"
        assert lines[1] == network_line(3, SWITCH_DOWN)
        assert lines[1][0][0].startswith("switch tor-r3 down") and lines[1][1] == "alarm"
        assert "switch tor-r3 down" in heads.tooltip(2)
        assert "right-click" in heads.tooltip(2)
        # The cut uplink of rack 8 says so; the other racks say nothing of the network.
        assert heads.lines(7)[1] == network_line(8, UPLINK_CUT)
        assert heads.lines(7)[1][0][0] == "uplink tor-r8 \N{EN DASH} core cut"
        for rack in set(range(RACKS)) - {2, 7}:
            assert heads.lines(rack)[1][0][-1] != "tor \N{MULTIPLICATION X}"
            assert len(heads.lines(rack)) == len(heads.lines(0))
        scene.show_time(HEAL + 60)
        assert heads.lines(2)[1] != network_line(3, SWITCH_DOWN)


def test_a_switch_failing_draws_again_its_racks_head_alone(scene):
    """The heads are one picture kept between frames: rack 3's switch failing and rack 8's
    uplink cut mark their racks' heads to be drawn again, not the others (a frame of
    playback stays a blit)."""
    scene.show_time(CUT - 1)
    paint(scene)  # the heads' pictures made
    heads = scene.rack_heads("vm")
    assert heads is not None and heads._cache is not None and not heads._stale
    version = heads._version
    scene.show_time(CUT + 0.5)  # before any host is judged: only the network changed
    assert heads._stale == {2, 7}
    assert heads._version == version  # the picture is kept
    # The same picture a head drawn afresh gives (checked in general in test_cluster_at_scale).
    paint(scene)
    assert not heads._stale


def test_fitted_the_switch_and_the_network_line_read(scene, monkeypatch):
    asked: list[int] = []
    real = rack_heads_item.ui_font

    def recording(size: int, *, bold: bool = False):
        asked.append(size)
        return real(size, bold=bold)

    monkeypatch.setattr(rack_heads_item, "ui_font", recording)
    scene.show_time(CUT + 100)
    zoom = paint(scene)
    assert asked and min(asked) >= LEGIBLE_PX
    # Fitted, the switch's line takes a wording that fits its column (at 11 px).
    heads = scene.rack_heads("vm")
    assert heads is not None
    width = heads.head_rect(2).width() * zoom - 4
    wordings = network_line(3, SWITCH_DOWN)[0]  # type: ignore[index]
    fitting = rack_heads_item._fitting(wordings, width, TEXT_PX, False)
    assert fitting is not None  # at worst "tor ✕"
    # Each world's header: the network, what is down in the alarm colour, at 12 px scaled
    # as the header is; beside the title, not over it.
    for world in (World.VM, World.CONTAINER):
        text = scene.network_text(world)
        assert text == "network: core switch up · tor-r3 down · 1 link cut"
        line = scene._net_lines[world][0]
        assert line.font().pixelSize() * line.scale() * zoom >= LEGIBLE_PX
        assert scene._role_colour("alarm").name() in line.toHtml()
        title = next(
            item
            for item in scene.items()
            if item.data(1) == f"world:{world.value}" and item is not line
        )
        assert not title.sceneBoundingRect().intersects(line.sceneBoundingRect())
        block = scene._world_blocks[world]
        assert line.sceneBoundingRect().right() <= block.right()
        tip = scene.network_tip(world)
        assert "Switches down: tor-r3." in tip and "tor-r8 \N{EN DASH} core" in tip
        assert "Right-click the world's header" in tip
    scene.show_time(CUT - 10)
    assert scene.network_text("vm") == "network: core switch up"
    assert scene._net_lines[World.VM][0].defaultTextColor() == scene._theme.muted


def test_the_network_line_follows_the_theme(scene):
    scene.show_time(CUT + 100)
    scene.set_theme(DARK)
    line = scene._net_lines[World.VM][0]
    assert DARK.compromised.name() in line.toHtml()
    assert line.defaultTextColor() == DARK.muted


# --- right-clicks -----------------------------------------------------------------------------


@pytest.fixture
def panel(qtbot):
    panel = ClusterPanel(cut_rack())
    qtbot.addWidget(panel)
    assert panel.scene.at_scale()
    return panel


def test_a_right_click_on_a_racks_head_fails_its_switch(panel, qtbot):
    panel.controller.seek(100.0)
    scene, view = panel.scene, panel.view
    heads = scene.rack_heads("container")
    assert heads is not None
    point = heads.head_rect(4).center()
    menu = view.menu_at(view.mapFromScene(point))
    actions = [a for a in menu.actions() if not a.isSeparator()]
    assert [a.text() for a in actions] == [
        "Fail rack 5 now",  # its power (issue 21), before its network
        "Fail the switch tor-r5 now",
        "Cut the link tor-r5 \N{EN DASH} core now",
    ]
    fail = actions[1]
    with (
        qtbot.waitSignal(scene.network_action_requested) as asked,
        qtbot.waitSignal(panel.controller.timeline_changed),
    ):
        fail.trigger()
    assert asked.args == ["switch_fail", "tor-r5", ""]
    assert SwitchFail(100.0, "tor-r5") in panel.scenario.events
    assert panel.controller.time() == pytest.approx(100.0)
    # In every world: rack 5's head says so, and its menu offers the switch back.
    for world in ("vm", "container"):
        assert scene.rack_heads(world).lines(4)[1] == network_line(5, SWITCH_DOWN)
    (_, _, restore, _) = view.menu_at(view.mapFromScene(point)).actions()
    assert restore.text() == "Restore the switch tor-r5 now"
    with qtbot.waitSignal(scene.network_action_requested) as asked:
        restore.trigger()
    assert asked.args == ["switch_recover", "tor-r5", ""]
    # Rack 3's switch, down in the scenario at 100 s, is offered back too; its uplink cut.
    menu3 = view.menu_at(view.mapFromScene(heads.head_rect(2).center()))
    rack3 = [a for a in menu3.actions() if not a.isSeparator()][1:]
    assert rack3[0].text() == "Restore the switch tor-r3 now"
    with qtbot.waitSignal(scene.network_action_requested) as asked:
        rack3[1].trigger()
    assert asked.args == ["link_fail", "tor-r3", "core"]
    # Between two heads, no rack's.
    gap = QPointF(heads.head_rect(0).right() + 2, heads.head_rect(0).center().y())
    assert heads.rack_at(gap) == -1


def test_a_right_click_on_a_worlds_header_fails_the_core(panel, qtbot):
    panel.controller.seek(100.0)
    scene, view = panel.scene, panel.view
    origin = scene.world_origin("container")
    assert origin is not None
    point = origin + QPointF(40, 40)  # on the world's title
    assert scene.header_at(point) is World.CONTAINER
    menu = view.menu_at(view.mapFromScene(point))
    texts = [a.text() for a in menu.actions()]
    # The core, and the racks' switches down now, to restore.
    assert texts == ["Fail the core switch now", "Restore the switch tor-r3 now"]
    with qtbot.waitSignal(scene.network_action_requested) as asked:
        menu.actions()[1].trigger()
    assert asked.args == ["switch_recover", "tor-r3", ""]
    with (
        qtbot.waitSignal(scene.network_action_requested) as asked,
        qtbot.waitSignal(panel.controller.timeline_changed),
    ):
        view.menu_at(view.mapFromScene(point)).actions()[0].trigger()
    assert asked.args == ["switch_fail", "core", ""]
    assert SwitchFail(100.0, "core") in panel.scenario.events
    for world in ("vm", "container"):
        assert scene.network_text(world).startswith("network: core switch down")
    again = view.menu_at(view.mapFromScene(point)).actions()[0]
    assert again.text() == "Restore the core switch now"
    # Below the header (the racks' cells) is not the core's.
    cells = scene.host_rect("container", 5).center()
    assert scene.header_at(cells) is None


# --- the words, without Qt -----------------------------------------------------------------------


def test_each_racks_way_to_the_core():
    state = NetState(
        frozenset({"tor-r2", "core"}),
        frozenset({frozenset({"tor-r4", "core"}), frozenset({"r1-h01", "tor-r1"})}),
    )
    assert rack_network(state, 5).tolist() == [NET_UP, SWITCH_DOWN, NET_UP, UPLINK_CUT, NET_UP]
    assert rack_network(INTACT, 3).tolist() == [NET_UP] * 3
    assert network_line(1, NET_UP) is None
    text = "".join(part for part, _ in network_parts(state))
    assert text == "network: core switch down · tor-r2 down · 2 links cut"
    assert [part for part, down in network_parts(state) if down] == [
        "core switch down",
        "tor-r2 down",
        "2 links cut",
    ]
    many = NetState(frozenset({"tor-r10", "tor-r2", "tor-r3"}))
    assert "".join(p for p, _ in network_parts(many)).endswith("3 rack switches down")
    two = NetState(frozenset({"tor-r10", "tor-r2"}))
    assert "".join(p for p, _ in network_parts(two)).endswith("tor-r2 down · tor-r10 down")
    # Every wording runs longest first: the head takes the longest that fits its column.
    for code in (SWITCH_DOWN, UPLINK_CUT):
        found = network_line(12, code)
        assert found is not None
        assert list(found[0]) == sorted(found[0], key=len, reverse=True)


def test_heads_kept_as_the_network_changes_are_the_heads_written_afresh():
    words = {HostStatus.UP: "up"}
    kept = RackLines(words, lambda rack: rack - 1)
    hosts = np.zeros((6, max(HostStatus) + 1), dtype=np.int64)
    hosts[:, 0] = 4
    work = np.zeros((6, max(Phase) + 1), dtype=np.int64)
    zones = [(ZoneState.NORMAL, 0.1)] * 6
    for codes in ([0] * 6, [0, 1, 0, 0, 2, 0], [0, 0, 0, 0, 2, 0], [1] * 6, [0] * 6):
        network = np.asarray(codes, dtype=np.int64)
        fresh = rack_lines(hosts, work, words, zones, lambda rack: rack - 1, 0, network)
        assert kept.update(hosts, work, zones, network) == fresh
    # Without a network, as before: no line for it.
    assert kept.update(hosts, work, zones) == rack_lines(
        hosts, work, words, zones, lambda rack: rack - 1
    )


def test_a_scenario_without_a_cut_says_the_core_is_up(qapp, timeline):
    intact = dataclasses.replace(timeline.scenario, events=())
    scene = ClusterScene()
    scene.set_timeline(simulate(intact))
    scene.show_time(100.0)
    assert scene.network_text("vm") == "network: core switch up"
    scene.deleteLater()
