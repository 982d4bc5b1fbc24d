"""The cluster view: it draws state_at(t), playback drives it, clicks inject failures."""

from __future__ import annotations

import dataclasses
import resource

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QTransform

from tests.scenarios import HOT_HOST
from tests.ui.image_testing import assert_image_matches, to_array
from vmc_gui.cli import main
from vmc_gui.model.events import HostFail
from vmc_gui.model.library import resolve
from vmc_gui.model.scenario import World
from vmc_gui.sim import simulate
from vmc_gui.sim.records import NOT_CREATED, HostStatus, Phase
from vmc_gui.sim.summary import summarize
from vmc_gui.ui.export import ExportError, ExportOptions, render_image, render_svg
from vmc_gui.ui.panels.cluster_panel import ClusterPanel
from vmc_gui.ui.playback import PlaybackController
from vmc_gui.ui.scenes.cluster_scene import ClusterScene
from vmc_gui.ui.scenes.items.host_card_item import HostCardItem
from vmc_gui.ui.scenes.items.network_item import NetworkItem
from vmc_gui.ui.theme import DARK, LIGHT


@pytest.fixture
def panel(qtbot):
    panel = ClusterPanel(resolve("failover"))
    qtbot.addWidget(panel)
    return panel


def test_seeking_draws_what_state_at_gives(panel):
    panel.controller.seek(80.0)
    timeline = panel.controller.timeline()
    for world, wt in timeline.worlds.items():
        state = wt.state_at(80.0)
        for h, name in enumerate(wt.run.host_names):
            card = panel.scene.card(world, name)
            assert card.status == int(state.host_status[h])
            alive = (state.workload_host == h) & (state.workload_phase != NOT_CREATED)
            alive &= state.workload_phase != Phase.STOPPED
            assert sorted(card.phases.tolist()) == sorted(state.workload_phase[alive].tolist())
    vm_card = panel.scene.card(World.VM, "r1-h01")
    # Out of membership and isolated: its VM is Unmonitored for the resiliency period.
    assert vm_card.status == HostStatus.ISOLATED and vm_card.status_text == "isolated"
    # In the container world the pod waits, failed, on its dead node.
    pod_card = panel.scene.card(World.CONTAINER, "r1-h01")
    assert pod_card.phases.tolist() == [Phase.FAILED]
    assert "since the failure 20.0 s" in panel.scene.stopwatch_text(World.VM, 80.0)
    # Once the period is over the node is down, and the VM that lost its host boots
    # elsewhere, with its boot under way.
    panel.controller.seek(320.0)
    assert vm_card.status == HostStatus.DOWN and vm_card.status_text == "down"
    booting = [c for c in panel.scene._cards[World.VM] if Phase.BOOTING in c.phases.tolist()]
    assert len(booting) == 1 and booting[0].name != "r1-h01"
    i = booting[0].phases.tolist().index(Phase.BOOTING)
    # One ring, round the booting VM's glyph, part way round.
    ((ring, turn),) = panel.scene.rings_on(booting[0])
    assert 0 < turn < 1
    glyph = booting[0].glyph_rect(i).translated(booting[0].pos())
    assert ring.contains(glyph) and ring.width() < 2 * glyph.width()
    # The container world's node is NotReady and tainted; its pod's toleration runs.
    assert pod_card.status == HostStatus.TAINTED and pod_card.status_text == "NotReady · tainted"
    assert "heartbeat detection 9.6 s ✓" in panel.scene.stopwatch_text(World.VM, 80.0)
    # Once its service is whole again a world's stopwatch stops, at what simulate reports.
    recovered = panel.scene.stopwatch_text(World.VM, 370.0)
    assert recovered.startswith("recovered in 4 min 59.6 s")
    assert "isolated: VMs unmonitored 4 min 0.0 s ✓" in recovered
    assert "app start 5.0 s ✓" in recovered
    assert panel.scene.stopwatch_text(World.CONTAINER, 370.0).startswith("since the failure")


def test_playback_is_driven_by_seek_step_and_tick(qtbot):
    controller = PlaybackController()
    controller.set_timeline(simulate(resolve("failover")))
    times = []
    controller.time_changed.connect(times.append)
    controller.set_speed(10.0)
    controller.tick(1.5)
    assert controller.time() == pytest.approx(15.0)
    controller.step_next()
    assert controller.time() == pytest.approx(60.0)  # the failure is the next event
    controller.step_next()
    # Missed heartbeats and status posts are skipped: the next stop is a real change.
    next_kinds = {
        e.type.label for e in controller.timeline().events if e.time_s == controller.time()
    }
    assert controller.time() > 60.0 and not next_kinds <= {
        "heartbeat_missed",
        "status_update_missed",
    }
    controller.step_previous()
    assert controller.time() == pytest.approx(60.0)
    controller.set_speed(1000.0)
    controller.play()
    assert controller.is_playing()
    controller.tick(10.0)  # past the end: the clock stops there
    assert controller.time() == pytest.approx(600.0) and not controller.is_playing()
    assert times[0] == pytest.approx(15.0)


def test_a_failure_injected_at_t_keeps_the_past_and_changes_the_future(panel, qtbot):
    before = panel.controller.timeline()
    panel.controller.seek(150.0)
    with qtbot.waitSignal(panel.controller.timeline_changed):
        panel.scene.request("vm", "r2-h03", "fail")
    after = panel.controller.timeline()
    assert panel.controller.time() == pytest.approx(150.0)
    old = [e.canonical() for e in before.events if e.time_s < 150.0]
    new = [e.canonical() for e in after.events if e.time_s < 150.0]
    assert old == new and before.digest != after.digest
    assert panel.scene.card(World.VM, "r2-h03").status == HostStatus.FAILED
    assert panel.scene.card(World.CONTAINER, "r2-h03").status == HostStatus.FAILED
    assert "r2-h03 fails at 150.0 s" in panel.last_message
    panel.scene.request("vm", "r2-h03", "recover")
    assert panel.scene.card(World.VM, "r2-h03").status == HostStatus.UP


def test_the_menu_offers_what_a_host_can_do(panel):
    card = panel.scene.card(World.VM, "r1-h02")
    actions = [a for a in panel.view.host_menu(card).actions() if not a.isSeparator()]
    assert [a.text() for a in actions] == [
        "Fail r1-h02 now",
        "Drain r1-h02 for maintenance",
        "Recover r1-h02 now",
        "Fail rack 1 now",  # issue 21: what if its rack goes? (no zone of its own to offer)
        "Cut its network link now",  # issue 19: cut off, not crashed
    ]
    assert actions[0].isEnabled() and actions[1].isEnabled() and not actions[2].isEnabled()


def test_a_failed_node_can_be_confirmed_down_in_a_container_world(panel, qtbot):
    # Offered on container hosts only, once they have failed (KEP-2268's out-of-service taint).
    card = panel.scene.card(World.CONTAINER, "r1-h01")
    texts = [a.text() for a in panel.view.host_menu(card).actions()]
    assert texts[-1] == "Confirm r1-h01 is down (out-of-service taint)"
    assert not panel.view.host_menu(card).actions()[-1].isEnabled()  # up at 0 s
    vm_menu = panel.view.host_menu(panel.scene.card(World.VM, "r1-h01"))
    vm_texts = [a.text() for a in vm_menu.actions()]
    assert not any("out-of-service" in t for t in vm_texts)
    panel.controller.seek(120.0)  # NotReady and tainted since 106.8 s
    confirm = panel.view.host_menu(card).actions()[-1]
    assert confirm.isEnabled()
    with qtbot.waitSignal(panel.controller.timeline_changed):
        confirm.trigger()
    assert card.status == HostStatus.OUT_OF_SERVICE and card.status_text == "out of service"
    # Its pod is evicted at once and replaced: the container world recovers as soon as the
    # replacement has pulled its image (cold, on a node without it) and started.
    timeline = panel.controller.timeline()
    result = summarize(timeline)["container"]
    pull = next(p for p in result.phases if p.name == "image pull").duration_s
    assert result.recovery_s < 120 - 60 + pull + 5
    assert "is confirmed down (out-of-service taint) at 120.0 s" in panel.last_message


def test_draining_a_host_from_the_view_moves_its_workloads(panel, qtbot):
    panel.controller.seek(30.0)
    panel.scene.request("vm", "r1-h02", "drain")
    panel.controller.seek(120.0)
    for world, words in ((World.VM, "draining"), (World.CONTAINER, "cordoned")):
        card = panel.scene.card(world, "r1-h02")
        assert card.status == HostStatus.DRAINING and card.status_text == words
        assert len(card.phases) == 0  # moved away (VMs live) or evicted and replaced (pods)
    assert "r1-h02 is drained at 30.0 s" in panel.last_message


def test_zoomed_out_cards_show_counts_not_glyphs(qapp):
    scene = ClusterScene()
    scene.set_timeline(simulate(resolve("density")))
    scene.show_time(200.0)
    close = to_array(render_image(scene, scene.content_rect(), ExportOptions(scale=1.0)))
    far = to_array(render_image(scene, scene.content_rect(), ExportOptions(scale=0.3)))
    assert close.shape[0] > far.shape[0]
    card = scene.cards()[0]
    assert sum(card.counts().values()) == len(card.phases) > card.capacity()  # badges


def test_exports_differ_over_time(qapp, tmp_path, capsys):
    pictures = []
    for at in (0, 70, 400):  # before the failure, during recovery, after
        out = tmp_path / f"{at}.png"
        argv = ["export", "cluster:failover", "--at", str(at), "--out", str(out)]
        assert main([*argv, "--scale", "1"]) == 0
        pictures.append(to_array(QImage(str(out))))
    assert len({p.shape for p in pictures}) == 1  # the same layout, at different times
    for i in range(len(pictures)):
        for j in range(i):
            assert not np.array_equal(pictures[i], pictures[j])


def test_a_cluster_svg_is_vectors_and_text(qapp, tmp_path, capsys):
    out = tmp_path / "cluster.svg"
    assert main(["export", "cluster:failover", "--at", "75", "--out", str(out)]) == 0
    svg = out.read_text()
    assert "<image" not in svg  # cards are shapes, not the pictures the view caches
    assert "r1-h01" in svg and "failed" in svg  # text stays text
    # The scene's caches are back afterwards: the view still blits its cards.
    scene = ClusterScene()
    scene.set_timeline(simulate(resolve("failover")))
    render_svg(scene, scene.content_rect(), ExportOptions())
    assert all(c.cacheMode() == c.CacheMode.DeviceCoordinateCache for c in scene.cards())


def test_the_cluster_at_70_s_matches_its_baseline(qapp):
    scene = ClusterScene()
    scene.set_timeline(simulate(resolve("failover")))
    scene.show_time(70.0)
    assert_image_matches(
        render_image(scene, scene.content_rect(), ExportOptions(size=(1100, 360))),
        "cluster-failover-70",
    )


def test_playback_soak_keeps_items_and_memory_flat(panel):
    controller = panel.controller
    controller.set_speed(30.0)
    items = len(panel.scene.items())
    for i in range(5000):
        controller.tick(0.016)
        if controller.time() >= controller.duration():
            controller.seek(0.0)
        if i == 500:
            settled = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - settled
    assert len(panel.scene.items()) == items
    # Bound: 4,500 more frames may not raise the peak resident size by more than 16 MB.
    assert grown_kb < 16 * 1024


def test_a_restarted_vm_travels_from_its_dead_host_then_boots(qapp):
    scene = ClusterScene()
    scene.set_timeline(simulate(resolve("failover")))
    scene.show_time(313.0)  # down at 309.6 s; the VM boots on its new host from then
    ((start, end, fraction, _, vm),) = scene._travel.flights()
    dead = scene.card(World.VM, "r1-h01")
    assert dead.sceneBoundingRect().contains(start) and vm and 0 < fraction < 1
    arrival = [c for c in scene._cards[World.VM] if c.sceneBoundingRect().contains(end)]
    assert len(arrival) == 1 and Phase.BOOTING in arrival[0].phases.tolist()
    scene.show_time(311.0)
    earlier = scene._travel.flights()[0][2]
    assert earlier < fraction  # scrubbing back puts it back in flight
    scene.show_time(330.0)
    assert scene._travel.flights() == []  # landed: it boots where it is


def test_pods_do_not_travel(qapp):
    scene = ClusterScene()
    scene.set_timeline(simulate(resolve("failover")))
    for t in (407.0, 407.5, 408.0):  # the replacement pod is created, pulls and starts
        scene.show_time(t)
        assert scene._travel.flights() == []


def test_the_slot_a_travelling_vm_lands_in_stays_empty_until_it_arrives(qapp):
    scene = ClusterScene()
    scene.set_timeline(simulate(resolve("failover")))
    scene.show_time(313.0)
    ((_, end, _, _, _),) = scene._travel.flights()
    (card,) = [c for c in scene._cards[World.VM] if c.sceneBoundingRect().contains(end)]
    assert len(card.arriving) == 1
    scene.show_time(330.0)
    assert card.arriving == frozenset()


def test_a_live_migration_shows_its_precopy_then_the_switch(qapp):
    timeline = simulate(resolve(HOT_HOST))
    scene = ClusterScene()
    scene.set_timeline(timeline)
    # Two at a time (Hyper-V's default): app-0 to r1-h02 and app-12 to r1-h03, 30 s to 52.9 s.
    (move, _) = timeline.worlds[World.VM].run.migrations
    scene.show_time(37.0)
    source = scene.card(World.VM, "r1-h01")
    target = scene.card(World.VM, "r1-h02")
    rings = scene.rings_on(source)
    assert len(rings) == 2 and len(source.migrating) == 2
    for _, turn in rings:
        assert turn == pytest.approx(7 / (move.end_s - move.start_s), abs=0.01)
    assert target.reserved == 1  # its memory is held there already
    assert "since the host ran hot 7.0 s" in scene.stopwatch_text(World.VM, 37.0)
    scene.show_time(move.end_s + 1)  # both switched over
    assert target.reserved == 0 and len(target.phases) == 3
    assert not source.migrating and len(source.phases) == 0  # both its VMs left


def test_a_migration_called_off_by_a_crash_is_no_longer_drawn(qtbot):
    panel = ClusterPanel(resolve(HOT_HOST))
    qtbot.addWidget(panel)
    panel.controller.seek(30.5)
    panel.scene.request("vm", "r1-h02", "fail")  # the target dies during the pre-copy
    panel.controller.seek(35.0)
    source = panel.scene.card(World.VM, "r1-h01")
    names = panel.controller.timeline().worlds[World.VM].run.workload_names
    leaving = {names[int(source.workloads[i])] for i in source.migrating}
    assert "app-0" not in leaving  # its migration is off; the next VM (app-12) goes instead
    assert leaving <= {"app-12"}
    assert panel.scene.card(World.VM, "r1-h02").reserved == 0
    events = len(panel.scenario.events)
    panel.scene.request("vm", "r1-h02", "fail")  # already failed: nothing is added
    assert len(panel.scenario.events) == events


def _looks(scene: ClusterScene) -> list[tuple]:
    """Everything a card was handed, for every card."""
    return [
        (
            c.status,
            c.status_text,
            c.cpu,
            c.memory,
            c.workloads.tolist(),
            c.phases.tolist(),
            c.arriving,
            c.migrating,
            c.reserved,
            [(r.getRect(), turn) for r, turn in scene.rings_on(c)],
        )
        for c in scene.cards()
    ]


_EMPTY_HOST_FAILS = HostFail(40.0, host="r3-h04")  # it runs nothing


@pytest.mark.parametrize(
    ("name", "extra", "times"),
    [
        ("failover", None, (55, 75, 0.7)),
        ("failover", _EMPTY_HOST_FAILS, (38, 43, 0.5)),
        ("rebalance", None, (25, 60, 0.4)),
    ],
)
def test_playing_frame_by_frame_draws_what_seeking_draws(qapp, name, extra, times):
    # Frames redraw only the cards that changed: played forward (and scrubbed back) the
    # scene must look exactly as a scene that jumps straight to each moment.
    scenario = resolve(name)
    timeline = simulate(scenario.with_event(extra) if extra else scenario)
    played, fresh = ClusterScene(), ClusterScene()
    played.set_timeline(timeline)
    first, last, step = times
    moments = [*np.arange(first, last, step), first + 3 * step, first]  # then scrub back
    for t in moments:
        played.show_time(float(t))
        fresh.set_timeline(timeline)  # a new timeline forgets what was drawn
        fresh.show_time(float(t))
        assert _looks(played) == _looks(fresh), t
        assert played._travel.flights() == fresh._travel.flights()


def _card_rects_by_world(scene: ClusterScene) -> dict[str, list]:
    rects: dict[str, list] = {}
    for card in scene.cards():
        rects.setdefault(str(card.data(0)), []).append(card.sceneBoundingRect())
    return rects


def test_the_fabric_under_each_world_is_drawn_from_the_cluster_graph(qapp):
    scene = ClusterScene()
    scene.set_timeline(simulate(resolve("storage")))
    fabrics = [item for item in scene.items() if isinstance(item, NetworkItem)]
    assert len(fabrics) == 4  # one per world
    racks = scene.timeline().scenario.cluster.racks
    for fabric in fabrics:
        assert len(fabric._feet) == racks  # every top-of-rack switch uplinks to the core
        assert fabric.storage_box is not None
        # All of it inside its bounds (a cached item is clipped to them).
        assert fabric.boundingRect().contains(fabric.core.united(fabric.storage_box))
        # Under its own world's racks, below their cards (four worlds lie two by two).
        assert any(
            all(
                r.bottom() < fabric.core.top()
                and min(abs(r.center().x() - foot.x()) for foot in fabric._feet) < 1
                for r in rects
            )
            for rects in _card_rects_by_world(scene).values()
        )
    local = [f for f in fabrics if f._local]
    assert len(local) == 1  # the VHD on local disk; the others reach storage over the core
    labels = sorted(f.storage_label for f in fabrics if not f._local)
    assert labels == [
        "Azure Disks · one node each",
        "Azure Files · SMB 3",
        "shared storage · SMB 3",
    ]
    # No shared storage in the graph: the core serves no storage box.
    scenario = resolve("failover")
    bare = dataclasses.replace(
        scenario, cluster=dataclasses.replace(scenario.cluster, shared_storage=False)
    )
    scene.set_timeline(simulate(bare))
    fabrics = [item for item in scene.items() if isinstance(item, NetworkItem)]
    assert len(fabrics) == 2 and all(f.storage_box is None for f in fabrics)
    # One rack: the core sits under it, still whole.
    scene.set_timeline(simulate(resolve("density")))
    for fabric in (item for item in scene.items() if isinstance(item, NetworkItem)):
        assert fabric.boundingRect().contains(fabric.core)


def test_a_theme_switch_recolours_the_legend(qapp):
    scene = ClusterScene()
    scene.set_timeline(simulate(resolve("failover")))
    scene.set_theme(DARK)
    legends = [i for i in scene.items() if str(i.data(1)).startswith("legend:")]
    assert len(legends) == 2
    ready = DARK.phase(int(Phase.READY)).name()
    assert all(ready in item.toHtml() for item in legends)
    assert LIGHT.phase(int(Phase.READY)).name() not in legends[0].toHtml()


def test_a_host_under_a_flight_still_answers_the_pointer(qapp):
    scene = ClusterScene()
    scene.set_timeline(simulate(resolve("failover")))
    scene.show_time(313.0)  # a VM flies from r1-h01 to r3-h01 across r2-h01
    ((start, end, _, _, _),) = scene._travel.flights()
    under = scene.card(World.VM, "r2-h01")
    point = QPointF(under.sceneBoundingRect().center().x(), start.y())
    assert under.sceneBoundingRect().contains(point)
    top = scene.itemAt(point, QTransform())
    assert top is under  # not the flight (nor the rings) over it
    # The slot it flies to is an empty outline, with no ring round it yet.
    (arrival,) = [c for c in scene._cards[World.VM] if c.sceneBoundingRect().contains(end)]
    assert arrival.arriving and scene.rings_on(arrival) == []
    scene.show_time(330.0)
    assert len(scene.rings_on(arrival)) == 1


def test_badges_that_do_not_fit_are_summed_up(qapp):
    card = HostCardItem("r1-h01", 32, 256, vm=True, rows=1)
    phases = (
        [Phase.READY] * 5
        + [Phase.BOOTING] * 4
        + [Phase.PROVISIONING] * 3
        + [Phase.PENDING] * 2
        + [Phase.FAILED]
    )
    names = [f"vm-{i}" for i in range(len(phases))]
    card.show_host(1, "up", 1.0, 2.0, np.arange(len(phases)), names, np.array(phases))
    layout = card.badge_layout()
    height = card.boundingRect().bottom()
    assert all(rect.bottom() <= height for rect, _, _ in layout)  # nothing clipped
    *badges, (_, more, code) = layout
    assert (
        code is None
        and more == f"+{len(phases) - sum(int(t.split()[0]) for _, t, _ in badges)} more"
    )


def test_an_empty_picture_is_refused_not_a_crash(qapp):
    with pytest.raises(ExportError, match="nothing to export"):
        render_svg(ClusterScene(), QRectF(), ExportOptions(size=(100, 100)))
    with pytest.raises(ExportError, match="nothing to export"):
        render_image(ClusterScene(), QRectF(), ExportOptions())
