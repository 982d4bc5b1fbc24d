"""Each row its own content in the cluster view: the instances a kernel exploit reached turn
red (isolation), the memory bar splits the apps' memory from the platform's (operating
system), a hot host is drawn hot and each world counts the state its instances hold in
memory (load balancing).  Scenes are driven with ``show_time``; nothing sleeps."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor

from tests.ui.image_testing import to_array
from vmc_gui.model.library import resolve
from vmc_gui.model.scenario import EventKind, World
from vmc_gui.sim import simulate
from vmc_gui.sim.records import EventType
from vmc_gui.ui.export import ExportOptions, render_image
from vmc_gui.ui.scenes.cluster_scene import ILLUSTRATIVE_SESSIONS_PER_MINUTE, ClusterScene
from vmc_gui.ui.scenes.items.host_card_item import CARD_WIDTH, HEADER, HostCardItem, _track
from vmc_gui.ui.theme import DARK, LIGHT, Theme

SCALE = 4.0


@pytest.fixture(scope="module")
def isolation():
    return simulate(resolve("isolation"))


@pytest.fixture(scope="module")
def density():
    return simulate(resolve("density"))


@pytest.fixture(scope="module")
def rebalance():
    return simulate(resolve("rebalance"))


def _scene(timeline, t: float, theme: Theme = LIGHT) -> ClusterScene:
    scene = ClusterScene()
    scene.set_theme(theme)
    scene.set_timeline(timeline)
    scene.show_time(t)
    return scene


def _pixels(scene: ClusterScene, card: HostCardItem) -> np.ndarray:
    """The card as drawn, ``SCALE`` pixels a unit (RGB), from its top left corner."""
    corner = card.mapToScene(QPointF(0, 0))
    area = QRectF(corner, card.geometry.size())
    image = render_image(scene, area, ExportOptions(scale=SCALE))
    return to_array(image)[..., :3].astype(int)


def _at(pixels: np.ndarray, point: QPointF) -> np.ndarray:
    """The pixel at ``point`` in the card's coordinates."""
    return pixels[int(point.y() * SCALE), int(point.x() * SCALE)]


def _near(pixel: np.ndarray, colour: QColor, tolerance: int = 12) -> bool:
    return bool(np.abs(pixel - np.array(colour.getRgb()[:3])).max() <= tolerance)


def _exploit(timeline) -> float:
    return next(e.at_s for e in timeline.scenario.events if e.kind is EventKind.EXPLOIT)


# --- isolation: what the exploit reached turns red ------------------------------------------


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_the_instances_the_exploit_reaches_turn_red_then_and_not_before(qapp, isolation, theme):
    exploit = _exploit(isolation)
    scene = _scene(isolation, exploit - 0.5, theme)
    assert not any(card.exposed for card in scene.cards())
    victim_host = {}
    for world, wt in isolation.worlds.items():
        state = wt.state_at(exploit)
        w = wt.run.workload_names.index("tenant-a-0")
        victim_host[world] = wt.run.host_names[int(state.workload_host[w])]
    card = scene.card(World.CONTAINER, victim_host[World.CONTAINER])
    top_middle = card.glyph_rect(0).center() - QPointF(0, 4.0)  # off the cross, off the band
    before = _at(_pixels(scene, card), top_middle)
    assert not _near(before, theme.compromised)

    scene.show_time(exploit)
    # Containers share the host kernel: every instance on the victim's host is reached.
    assert card.exposed == frozenset(range(len(card.phases))) and len(card.phases) == 4
    pixels = _pixels(scene, card)
    for i in range(len(card.phases)):
        assert _near(_at(pixels, card.glyph_rect(i).center() - QPointF(0, 4.0)), theme.compromised)
    # A VM and a Hyper-V-isolated container have a kernel of their own: the victim alone.
    for world in (World.VM, World.HYPERV_CONTAINER):
        reached = [(c.name, len(c.exposed)) for c in scene._cards[world] if c.exposed]
        assert reached == [(victim_host[world], 1)]
    everywhere = sum(len(c.exposed) for c in scene.cards())
    assert everywhere == 6
    # Scrubbing back takes it back: nothing of the future is shown.
    scene.show_time(exploit - 0.5)
    assert not any(c.exposed for c in scene.cards())
    assert not _near(_at(_pixels(scene, card), top_middle), theme.compromised)


def test_the_legend_names_what_the_exploit_reached_only_where_there_is_one(
    qapp, isolation, rebalance
):
    scene = _scene(isolation, 0.0)
    legends = [i for i in scene.items() if str(i.data(1)).startswith("legend:")]
    assert len(legends) == 3 and all("reached by the exploit" in i.toPlainText() for i in legends)
    scene.set_theme(DARK)
    assert all(DARK.compromised.name() in i.toHtml() for i in legends)
    other = _scene(rebalance, 0.0)
    assert not any(
        "reached by the exploit" in i.toPlainText()
        for i in other.items()
        if str(i.data(1)).startswith("legend:")
    )


def test_a_reached_glyph_says_so_when_hovered(qapp, isolation):
    scene = _scene(isolation, _exploit(isolation) + 10)
    card = next(c for c in scene._cards[World.VM] if c.exposed)
    assert "1 reached by the exploit" in card.details()


# --- operating system: the memory bar in two parts ---------------------------------------


def test_the_memory_bar_splits_the_app_from_the_guest_os_or_runtime(qapp, density):
    t = density.duration_s
    scene = _scene(density, t)
    p = density.scenario.parameters
    app_mb = density.scenario.services[0].memory_mb
    overhead = {
        World.VM: float(p["vm.guest_memory_overhead_mb"]),
        World.CONTAINER: float(p["container.memory_overhead_mb"]),
        World.HYPERV_CONTAINER: float(p["container.memory_overhead_mb"])
        + float(p["hyperv_isolation.utility_vm_memory_mb"]),
    }
    for world, wt in density.worlds.items():
        state = wt.state_at(t)
        for h, card in enumerate(scene._cards[world]):
            count = int(np.sum(state.workload_host == h))
            assert card.memory == pytest.approx(count * (app_mb + overhead[world]) / 1024)
            assert card.platform_memory == pytest.approx(count * overhead[world] / 1024)
    names = {w: scene._cards[w][0].platform_name for w in density.worlds}
    assert names[World.VM] == "guest OS" and "runtime" in names[World.CONTAINER]
    # The VM's bar: the app's part, then the guest OS's, in the stack diagram's colours.
    card = scene._cards[World.VM][0]
    assert "guest OS" in card.details() and "apps" in card.details()
    track = _track(1)
    pixels = _pixels(scene, card)
    app = card.memory - card.platform_memory
    middle = track.center().y()
    split = track.left() + track.width() * app / card.memory_gb
    end = track.left() + track.width() * card.memory / card.memory_gb
    assert _near(_at(pixels, QPointF((track.left() + split) / 2, middle)), LIGHT.bar_app)
    assert _near(_at(pixels, QPointF((split + end) / 2, middle)), LIGHT.bar_overhead)
    assert split - track.left() == pytest.approx(2 * (end - split), rel=0.01)  # 1 GB to 512 MB
    legends = [i.toPlainText() for i in scene.items() if str(i.data(1)).startswith("legend:")]
    assert all("MEM bar:" in text and "app" in text for text in legends)


# --- load balancing: the hot host, and the state held in memory --------------------------


def test_the_hot_host_is_hot_only_while_over_its_balancers_threshold(qapp, rebalance):
    vm = rebalance.worlds[World.VM]
    moved = max(m.end_s for m in vm.moved_live())
    busy = next(e.at_s for e in rebalance.scenario.events if e.kind is EventKind.LOAD)
    scene = _scene(rebalance, busy - 1)
    card = scene.card(World.VM, "r2-h01")
    assert card.hot is None and card.hot_badge() == ""
    scene.show_time(busy + 5)
    assert card.hot == pytest.approx(0.94, abs=0.01) and card.hot_badge() == "hot 94 %"
    assert "VM Load Balancing" in card.hot_note and "80 %" in card.hot_note
    assert "<b>hot</b>" in card.details()
    pixels = _pixels(scene, card)
    blank = QPointF(CARD_WIDTH - 14, card.glyph_rect(0).center().y())
    assert _near(_at(pixels, blank), LIGHT.card_hot, 4)
    header = pixels[: int(HEADER * SCALE)]
    pill = np.abs(header - np.array(LIGHT.hot.getRgb()[:3])).max(axis=2) <= 12
    assert pill.sum() > 40 * 10 * SCALE  # a pill some 40 units wide
    # Only one host is hot to VM Load Balancing, and only until its busiest VM has moved.
    assert [c.name for c in scene._cards[World.VM] if c.hot is not None] == ["r2-h01"]
    scene.show_time(moved + 1)
    assert card.hot is None
    assert not _near(_at(_pixels(scene, card), blank), LIGHT.card_hot, 4)
    # The descheduler judges by requests: the busy host is not hot to it at all.
    for t in (busy + 5, 1000.0):
        scene.show_time(t)
        assert scene.card(World.CONTAINER, "r2-h01").hot is None


def test_the_state_in_memory_survives_a_live_migration_and_not_a_replacement(qapp, rebalance):
    vm = rebalance.worlds[World.VM]
    move = max(vm.moved_live(), key=lambda m: m.end_s)  # r2-h01's busiest VM, at 30 min
    scene = _scene(rebalance, move.end_s + 1)
    assert ClusterScene.shows_state(rebalance)
    held, lost, ended, moved = scene.state_counts(World.VM, move.end_s + 1)
    assert (lost, ended) == (0, 0) and moved == len(vm.moved_live())
    rate = ILLUSTRATIVE_SESSIONS_PER_MINUTE / 60
    assert held == int(len(vm.run.workload_names) * (move.end_s + 1) * rate)
    # The VM moved: its process and memory came along, its count did not restart.
    note = scene.workload_note(World.VM, move.workload)
    assert note.startswith("in memory for 30 min") and "moved live once" in note
    target = scene.card(World.VM, vm.run.host_names[move.target])
    assert move.workload in target.workloads.tolist()

    pods = rebalance.worlds[World.CONTAINER]
    held, lost, ended, _ = scene.state_counts(World.CONTAINER, move.end_s + 1)
    assert ended == len(pods.rows(EventType.POD_EVICTED)) and lost > 0
    # A replacement pod is a new process: its count starts from nothing.
    found = scene.incarnations(World.CONTAINER)
    newest = int(np.argmax(found.start))
    w, born = int(found.workload[newest]), float(found.start[newest])
    scene.show_time(born)
    assert scene.workload_note(World.CONTAINER, w).startswith("in memory for 0.0 s (a new")
    scene.show_time(born + 10)
    assert scene.workload_note(World.CONTAINER, w).startswith("in memory for 10.0 s")
    # The header's line says it in words, what was lost in the alarm colour.
    lines = {str(i.data(1)): i for i in scene.items() if str(i.data(1)).startswith("state:")}
    assert set(lines) == {"state:vm", "state:container"}
    assert "none lost" in lines["state:vm"].toPlainText()
    assert "lost" in lines["state:container"].toPlainText()
    assert LIGHT.compromised.name() in lines["state:container"].toHtml()
    assert "illustration" in lines["state:vm"].toolTip()
    scene.set_theme(DARK)
    assert DARK.compromised.name() in lines["state:container"].toHtml()


def test_the_state_line_is_only_where_instances_move_on_purpose(qapp, isolation, density):
    for timeline in (isolation, density):
        scene = _scene(timeline, 10.0)
        assert not ClusterScene.shows_state(timeline)
        assert not [i for i in scene.items() if str(i.data(1)).startswith("state:")]


def _looks(scene: ClusterScene) -> list[tuple]:
    return [
        (
            c.status,
            c.cpu,
            c.memory,
            c.phases.tolist(),
            c.exposed,
            c.platform_memory,
            c.hot,
            c.hot_note,
        )
        for c in scene.cards()
    ]


@pytest.mark.parametrize(
    ("name", "times"),
    [("isolation", (58.0, 62.0, 0.5)), ("rebalance", (110.0, 130.0, 2.0))],
)
def test_frame_by_frame_draws_what_seeking_draws(qapp, name, times):
    # Only the cards that changed are handed their state: exposure and heat included.
    timeline = simulate(resolve(name))
    played, fresh = ClusterScene(), ClusterScene()
    played.set_timeline(timeline)
    first, last, step = times
    for t in [*np.arange(first, last, step), first]:
        played.show_time(float(t))
        fresh.set_timeline(timeline)
        fresh.show_time(float(t))
        assert _looks(played) == _looks(fresh), t


def test_the_header_makes_room_for_a_longer_legend(qapp, rebalance):
    scene = _scene(rebalance, 0.0)
    racks = [
        i for i in scene.items() if type(i).__name__ == "QGraphicsRectItem" and i.zValue() == -1
    ]
    texts = [i for i in scene.items() if str(i.data(1)).startswith(("legend:", "state:"))]
    top = min(r.sceneBoundingRect().top() for r in racks)
    assert all(t.sceneBoundingRect().bottom() <= top for t in texts)
    watch = [s.sceneBoundingRect() for s in scene._stopwatches.values()]
    for line in (t for t in texts if str(t.data(1)).startswith("state:")):
        assert not any(QRectF(line.sceneBoundingRect()).intersects(w) for w in watch)
