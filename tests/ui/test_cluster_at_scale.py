"""The cluster view at scale (issue 20): semantic zoom, the racks' heads, the worlds' totals,
flights per pair of racks, a rack zoomed to on a click, and one world at a time on a short
view.  A cluster of 200 hosts is at scale already (its cards would be cells when fitted) and
simulates in a blink; the 1,000-host figures are the benchmark's (benchmarks/bench_render.py).
"""

from __future__ import annotations

import importlib
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPointF, QRectF, QSize
from PySide6.QtGui import QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsTextItem

from tests.ui.main_windows import shown_window
from vmc_gui.model.cluster import ClusterSpec
from vmc_gui.model.events import RackFail
from vmc_gui.model.lessons import ROWS
from vmc_gui.model.library import resolve
from vmc_gui.model.scenario import Scenario, ServiceSpec, World
from vmc_gui.sim import simulate
from vmc_gui.sim.records import HostStatus, Phase, ZoneState
from vmc_gui.ui import fonts
from vmc_gui.ui.export import ExportOptions, render_image
from vmc_gui.ui.panels.cluster_panel import ClusterPanel
from vmc_gui.ui.scenes import cluster_scene as cluster_scene_module
from vmc_gui.ui.scenes.cluster_scene import ClusterScene
from vmc_gui.ui.scenes.items.host_card_item import CARD_WIDTH, Level, card_level
from vmc_gui.ui.scenes.items.rack_heads_item import RackHeadsItem
from vmc_gui.ui.scenes.rack_summary import RackLines, rack_lines
from vmc_gui.ui.scenes.scale_layout import FAR_PX, HEAD_LINE_PX, HEAD_LINES, Spacing, scale_grid
from vmc_gui.ui.scenes.zoom_view import LEGIBLE_PX

RACKS, PER_RACK = 20, 30


def large(racks: int = RACKS, per_rack: int = PER_RACK) -> Scenario:
    """Rack 3 of ``racks`` racks of ``per_rack`` hosts fails at a minute, in both worlds."""
    return Scenario(
        name="large",
        title="A large cluster",
        description="",
        seed=3,
        duration_s=900.0,
        cluster=ClusterSpec(racks=racks, hosts_per_rack=per_rack, cores=64, memory_gb=512.0),
        worlds=(World.VM, World.CONTAINER),
        services=(ServiceSpec("web", 600, 0.5, 2048), ServiceSpec("api", 400, 0.5, 2048)),
        events=(RackFail(60.0, 3),),
    )


@pytest.fixture(scope="module")
def timeline():
    return simulate(large())


@pytest.fixture
def scene(qapp, timeline):
    scene = ClusterScene()
    scene.set_timeline(timeline)
    yield scene
    scene.deleteLater()


@pytest.fixture
def painted(monkeypatch):
    """The pixel sizes the cards and the racks' heads ask their fonts in, as they paint."""
    asked: list[tuple[str, int]] = []
    for name in (
        "vmc_gui.ui.scenes.items.host_card_item",
        "vmc_gui.ui.scenes.items.rack_heads_item",
        "vmc_gui.ui.scenes.items.travel_item",
    ):

        def recording(size: int, *, bold: bool = False, _name: str = name):
            asked.append((_name.rsplit(".", 1)[1], size))
            return fonts.ui_font(size, bold=bold)

        monkeypatch.setattr(importlib.import_module(name), "ui_font", recording)
    return asked


def paint(scene: ClusterScene, source: QRectF, size: tuple[int, int] = (1600, 1000)) -> float:
    """Paint ``source`` of the scene into an image ``size`` big; returns the zoom used."""
    image = QImage(*size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    scene.render(painter, QRectF(0, 0, *size), source)
    painter.end()
    return min(size[0] / source.width(), size[1] / source.height())


def test_the_bundled_lessons_keep_their_cards_and_a_large_cluster_goes_to_scale(scene):
    for slug, row in ROWS.items():
        if row.scenario:
            small = ClusterScene()
            small.set_timeline(simulate(resolve(row.scenario)))
            assert not small.at_scale(), slug
            small.deleteLater()
    assert scene.at_scale()
    # The worlds one above the other, each as wide as the scene.
    vm, container = scene.world_origin("vm"), scene.world_origin("container")
    assert vm is not None and container is not None
    assert vm.x() == container.x() and container.y() > vm.y()


def test_the_levels_follow_the_size_on_screen():
    assert card_level(FAR_PX / CARD_WIDTH - 0.01) is Level.FAR
    assert card_level(0.5) is Level.MIDDLE
    assert card_level(0.999) is Level.MIDDLE  # its 11 px text would read at 10.99 px
    assert card_level(1.0) is Level.NEAR
    assert card_level(2.0) is Level.NEAR


def test_fitted_every_word_reads_and_the_cards_are_cells(scene, painted):
    scene.show_time(200.0)
    zoom = paint(scene, scene.content_rect())
    assert CARD_WIDTH * zoom < FAR_PX  # fitted, a host is a cell
    # The cards paint no text at all; the racks' heads paint theirs at screen size.
    assert not [size for who, size in painted if who == "host_card_item"]
    heads = [size for who, size in painted if who == "rack_heads_item"]
    assert heads and min(heads) >= LEGIBLE_PX
    # The headers' text is scaled up to read at the zoom that fits.
    for world in ("vm", "container"):
        for item in (scene._results[World(world)], scene._stopwatches[World(world)]):
            assert item.font().pixelSize() * item.scale() * zoom >= LEGIBLE_PX - 0.01


def test_the_racks_heads_and_the_totals_count_what_state_at_gives(scene, timeline):
    scene.show_time(200.0)
    state = timeline.worlds[World.CONTAINER].state_at(200.0)
    heads = scene.rack_heads("container")
    assert heads is not None
    lines = heads.lines(2)  # rack 3, which failed
    assert lines[0][0][0] == "Rack 3"
    down = sum(1 for s in state.host_status[2 * PER_RACK : 3 * PER_RACK] if s != HostStatus.UP)
    assert down == PER_RACK
    assert "up" not in lines[1][0][0] and lines[1][1] == "alarm"
    # Its zone (a rack is a zone) is fully disrupted; the others are normal.
    assert lines[-1][0][0].startswith("full disruption")
    assert heads.lines(0)[-1][0][0].startswith("zone normal")
    assert heads.lines(0)[1][0][0] == f"{PER_RACK} up"
    totals = scene.totals_text("container")
    assert totals.startswith(f"{RACKS * PER_RACK:,} hosts: {(RACKS - 1) * PER_RACK} up")
    assert "1,000 pods" in totals
    # Every line's wordings run longest first; the tooltip has the longest.
    for wordings, _ in lines:
        assert list(wordings) == sorted(wordings, key=len, reverse=True)
    assert "<b>Rack 3</b>" in heads.tooltip(2)


def test_clicking_a_racks_head_asks_for_that_rack(scene, qtbot):
    heads = scene.rack_heads("vm")
    assert heads is not None
    with qtbot.waitSignal(scene.zoom_requested) as asked:
        heads.on_click(4)  # as the item's mouse release does for rack 5
    rect = asked.args[0]
    # The rack from its head down, its cards close enough to read (a tall rack scrolls).
    rack5 = [scene.host_rect("vm", h) for h in range(4 * PER_RACK, 5 * PER_RACK)]
    assert rect.contains(rack5[0]) and rect.contains(rack5[1])
    assert abs(rect.center().x() - rack5[0].united(rack5[1]).center().x()) < CARD_WIDTH
    zoom = min(1600 / rect.width(), 1000 / rect.height())
    assert card_level(zoom) is not Level.FAR
    assert not scene.cards()  # fitted, no card was needed
    assert scene.ensure_cards(rect, zoom) >= PER_RACK
    made = {c.name for c in scene.cards()}
    assert {f"r5-h{k:02d}" for k in range(1, PER_RACK + 1)} <= made
    assert "r9-h01" not in made
    card = scene.card("vm", "r5-h01")
    assert card.pos() == scene.host_rect("vm", 4 * PER_RACK).topLeft()
    assert len(card.phases)  # handed its state at once
    assert heads.rack_at(heads.boundingRect().topLeft() + QPointF(1, 1)) == 0


def test_from_afar_flights_are_one_arrow_per_pair_of_racks(scene, timeline, painted):
    wt = timeline.worlds[World.VM]
    # The moment the restarted VMs set off: the resiliency period over, boots begin.
    boots = sorted(
        float(t)
        for t, detail in zip(wt.run.log.time, wt.run.log.detail, strict=True)
        if detail == "guest boot"
    )
    assert boots
    scene.show_time(boots[0] + 1.0)
    travel = scene._travel
    assert travel is not None and len(travel._flights)
    routes = travel.routes()
    assert sum(count for _, _, count in routes) == len(travel._flights)
    assert len(routes) < len(travel._flights)  # aggregated
    painted.clear()
    paint(scene, scene.content_rect())
    labels = [size for who, size in painted if who == "travel_item"]
    assert labels and min(labels) >= LEGIBLE_PX


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen
def test_a_short_view_shows_one_world_at_a_time(qtbot):
    panel = ClusterPanel(large())
    qtbot.addWidget(panel)
    panel.resize(1238, 560)
    panel.show()
    qtbot.waitExposed(panel)
    scene = panel.scene
    assert scene.at_scale()
    qtbot.waitUntil(lambda: scene.worlds_at_once() == 1)
    assert panel.world_button.isVisible()
    first = scene.fit_rect()
    assert first != scene.content_rect()
    shown = panel.view.mapToScene(panel.view.viewport().rect()).boundingRect()
    assert shown.intersects(first)
    blocks = list(scene._world_blocks.values())
    # The other world does not peek in under the one on show (a 10,000-host world is wider
    # than it is tall, and leaves room under it).
    assert not shown.intersects(blocks[1])
    # It scrolls over that world alone: fitted, no scroll bar takes a strip off its edge.
    assert panel.view.sceneRect() == first
    assert not panel.view.verticalScrollBar().isVisible()
    assert not panel.view.horizontalScrollBar().isVisible()
    # The switch names the other world (with its result, where the lesson has one).
    assert panel.world_action.text() == "Show the Container world"
    panel.world_action.trigger()
    assert scene.world_on_show() == 1
    assert panel.world_action.text() == "Show the VM world"
    second = scene.fit_rect()
    assert second.top() > first.bottom() - 1
    visible = panel.view.mapToScene(panel.view.viewport().rect()).boundingRect()
    assert visible.intersects(second) and not visible.intersects(blocks[0])
    # Tall enough, every world is shown at once and the switch goes.
    panel.resize(1600, 1300)
    qtbot.waitUntil(lambda: scene.worlds_at_once() == 2)
    assert not panel.world_button.isVisible()


def test_the_grid_fills_the_viewport_and_keeps_its_words_readable():
    spacing = Spacing(20, 14, 8, 8)
    grid = scale_grid(25, 40, 2, (160, 102), spacing, (1600, 1000))
    assert grid.worlds_at_once == 2 and grid.across == 2
    # 11 px text reads at 11 px and a little more (a view's fit has margins).
    assert 1.0 <= grid.text_scale * grid.zoom <= 1.1
    # On a short view, one world at a time, larger.
    short = scale_grid(25, 40, 2, (160, 102), spacing, (1238, 499))
    assert short.worlds_at_once == 1
    assert scale_grid(25, 40, 2, (160, 102), spacing, (1, 1)).zoom > 0


def test_an_export_of_a_large_cluster_is_legible(scene, painted):
    image = render_image(scene, scene.content_rect(), ExportOptions(size=(1600, 1000)))
    assert image.size() == QSize(1600, 1000)
    heads = [size for who, size in painted if who == "rack_heads_item"]
    assert heads and min(heads) >= LEGIBLE_PX


def test_the_cells_colour_each_hosts_state_and_say_it_on_hover(scene, timeline):
    scene.show_time(400.0)
    cells = scene._cells[World.CONTAINER]
    colours = cells.colours()
    state = timeline.worlds[World.CONTAINER].state_at(400.0)
    rack3 = range(2 * PER_RACK, 3 * PER_RACK)
    theme = scene._theme
    failed_or_tainted = {theme.compromised.name(), theme.bar_overhead.name()}
    assert {colours[h].name() for h in rack3} <= failed_or_tainted
    up = [h for h in range(len(colours)) if state.host_status[h] == HostStatus.UP]
    assert up and all(colours[h].name() not in failed_or_tainted for h in up)
    # Hover: the host named, its state in the platform's words, what runs there.
    assert "<b>r3-h01</b>: NotReady" in scene.describe_host(World.CONTAINER, 2 * PER_RACK)
    assert "ready" in scene.describe_host(World.CONTAINER, 0)
    centre = scene.host_rect("container", 5).center()
    assert cells.host_at(centre) == 5


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen
def test_the_at_scale_lesson_reads_at_its_first_zoom(qtbot, tmp_path, painted):
    """The bundled 1,000-host lesson at 1600x1000: every text item at least 11 px on
    screen, and what paints itself (cells, heads, flights) asks for 11 px or more at screen
    size; nothing overlaps in the header."""
    window = shown_window(qtbot, tmp_path, (1600, 1000))
    window.open_lesson("fault-tolerance", scenario="at-scale")
    view = window.page.cluster.view
    scene = window.page.cluster.scene
    qtbot.waitUntil(lambda: scene.at_scale() and view.is_fitted())
    QApplication.processEvents()
    zoom = view.zoom()
    assert CARD_WIDTH * zoom < FAR_PX  # the whole world fits, its hosts as cells
    window.session.controller.seek(400.0)
    painted.clear()
    view.viewport().grab()
    assert painted and min(size for _, size in painted) >= LEGIBLE_PX
    assert not [who for who, _ in painted if who == "host_card_item"]
    texts = []
    for item in scene.items():
        if isinstance(item, QGraphicsTextItem) and item.isVisible() and item.toPlainText():
            px = item.font().pixelSize() * item.scale() * zoom
            assert px >= LEGIBLE_PX - 0.01, (item.toPlainText(), px)
            texts.append(view.mapFromScene(item.sceneBoundingRect()).boundingRect())
    for a, b in itertools.combinations(texts, 2):
        overlap = a.intersected(b)
        assert overlap.width() < 2 or overlap.height() < 2
    # The result in large type: the lesson's answer for each world; the world not drawn
    # (a short view shows one at a time) has its answer on the switch.
    assert scene.result_text("vm") and scene.result_text("container")
    cluster = window.page.cluster
    if scene.worlds_at_once() == 1:
        assert cluster.world_button.isVisible()
        assert cluster.world_action.text() == (
            f"Container world: {scene.result_text('container')} ▸"
        )


def test_close_up_the_cards_show_each_workload_and_its_progress(scene, timeline):
    wt = timeline.worlds[World.VM]
    boots = sorted(
        float(t)
        for t, detail in zip(wt.run.log.time, wt.run.log.detail, strict=True)
        if detail == "guest boot"
    )
    scene.show_time(boots[0] + 20.0)  # the restarted VMs are booting, rings filling
    state = wt.state_at(boots[0] + 20.0)
    h = int(state.workload_host[int(np.flatnonzero(state.workload_phase == Phase.BOOTING)[0])])
    rect = scene.host_rect("vm", h)
    # Middle: cards made, but no rings (they are drawn close up only).
    scene.ensure_cards(rect.adjusted(-400, -400, 400, 400), 0.6)
    card = scene.card("vm", wt.run.host_names[h])
    assert Phase.BOOTING in card.phases.tolist()
    assert not scene.rings_on(card)
    # Near: each workload a square, the booting ones ringed.
    scene.ensure_cards(rect, 1.0)
    scene.show_time(boots[0] + 20.5)
    assert scene.rings_on(card)


@settings(max_examples=40, deadline=None)
@given(
    frames=st.lists(
        st.tuples(
            st.lists(st.integers(0, 3), min_size=6, max_size=6),
            st.lists(st.integers(0, 2), min_size=6, max_size=6),
            st.sampled_from([ZoneState.NORMAL, ZoneState.FULL]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_the_heads_kept_between_frames_are_the_heads_written_afresh(frames):
    words = {HostStatus.UP: "up"}
    kept = RackLines(words, lambda rack: rack - 1)
    for host_row, work_row, zone in frames:
        hosts = np.zeros((6, max(HostStatus) + 1), dtype=np.int64)
        hosts[:, 0] = host_row
        hosts[:, 1] = 4 - np.asarray(host_row)
        work = np.zeros((6, max(Phase) + 1), dtype=np.int64)
        work[:, int(Phase.READY)] = work_row
        zones = [(zone if r == 2 else ZoneState.NORMAL, 0.1) for r in range(6)]
        fresh = rack_lines(hosts, work, words, zones, lambda rack: rack - 1)
        assert kept.update(hosts, work, zones) == fresh


def test_a_heads_picture_redrawn_in_part_is_the_picture_drawn_whole(qapp):
    """The heads are kept as a picture between frames; when a rack's counts change only its
    head is drawn again in it, and the result is the same as drawing them all afresh."""
    rects = [QRectF(20 + 60 * r, 10, 56, 60) for r in range(6)]

    def lines(failed: int) -> list:
        return [
            [((f"Rack {r + 1}",), "text"), ((f"{failed if r == 2 else 0} failed",), "alarm")]
            for r in range(6)
        ]

    def picture(item: RackHeadsItem) -> QImage:
        scene = QGraphicsScene()
        scene.addItem(item)
        image = QImage(400, 100, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)
        painter = QPainter(image)
        scene.render(painter, QRectF(0, 0, 400, 100), QRectF(0, 0, 400, 100))
        painter.end()
        scene.removeItem(item)
        return image

    kept = RackHeadsItem(rects)
    kept.set_lines(lines(0))
    picture(kept)
    kept.set_lines(lines(7))
    assert kept._stale == {2}
    fresh = RackHeadsItem(rects)
    fresh.set_lines(lines(7))
    assert picture(kept) == picture(fresh)


@pytest.mark.parametrize("size", [(1000, 700), (1600, 1000), (1600, 600), (2400, 1200)])
def test_a_still_is_laid_out_for_its_own_size_with_every_world_and_every_word_legible(
    qapp, timeline, monkeypatch, painted, size
):
    from vmc_gui.ui import headless

    monkeypatch.setattr(headless, "simulate_reporting", lambda scenario, job=None: timeline)
    with headless.cluster_scene(timeline.scenario, "light", at=200.0, size=size) as scene:
        scene.show_time(200.0)
        assert scene.at_scale() and scene.worlds_at_once() == 2  # a picture has no switch
        image = render_image(scene, scene.content_rect(), ExportOptions(size=size))
        assert image.size() == QSize(*size)
        zoom = min(size[0] / scene.content_rect().width(), size[1] / scene.content_rect().height())
        words = [
            item
            for item in scene.items()
            if isinstance(item, QGraphicsTextItem) and item.isVisible() and item.toPlainText()
        ]
        assert len(words) >= 10
        for item in words:
            on_screen = item.font().pixelSize() * item.scale() * zoom
            assert on_screen >= LEGIBLE_PX - 0.01, (item.toPlainText(), on_screen)
        heads = [px for who, px in painted if who == "rack_heads_item"]
        assert heads and min(heads) >= LEGIBLE_PX


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen
def test_the_apps_picture_of_a_short_view_has_every_world_laid_out_for_its_size(
    qtbot, tmp_path, painted
):
    """A short window shows one world at a time; its picture (File > Export View) has both,
    laid out for the picture's size, and the view is left as it was."""
    from vmc_gui.ui.shell.export_targets import VIEW, Stage, targets

    window = shown_window(qtbot, tmp_path, (1400, 760))
    window.open_lesson("fault-tolerance", scenario="at-scale")
    scene = window.page.cluster.scene
    qtbot.waitUntil(lambda: scene.at_scale() and window.page.cluster.view.is_fitted())
    qtbot.waitUntil(lambda: scene.worlds_at_once() == 1)  # the view's size, told
    window.session.controller.seek(400.0)
    grid = scene._grid
    window.page.cluster.view.setFocus()  # the view last used: File > Export View draws it
    target = next(t for t in targets(window) if t.key == VIEW)
    with Stage(window, target, "light") as stage:
        for size in ((1600, 1000), (1000, 700)):
            options = ExportOptions(size=size)
            stage.write(tmp_path / f"cluster-{size[0]}.png", options)
            assert QImage(str(tmp_path / f"cluster-{size[0]}.png")).size() == QSize(*size)
            copy = stage._scene
            assert copy is not scene and copy.worlds_at_once() == 2
            assert copy.result_text("vm") == scene.result_text("vm")
            rect = copy.content_rect()
            zoom = min(size[0] / rect.width(), size[1] / rect.height())
            for item in copy.items():
                if isinstance(item, QGraphicsTextItem) and item.isVisible() and item.toPlainText():
                    px = item.font().pixelSize() * item.scale() * zoom
                    assert px >= LEGIBLE_PX - 0.01, (size, item.toPlainText(), px)
    assert scene._grid is grid and scene.worlds_at_once() == 1
    assert window.session.controller.time() == 400.0


def test_a_hundred_racks_across_are_named_at_a_stride_in_a_one_line_band(qapp):
    """Too narrow for "Rack 12" or "R12", the heads name every fifth (or tenth...) rack,
    like an axis, in a band of one line; the tooltips keep every rack's lines."""
    spacing = Spacing(20, 14, 8, 8)
    grid = scale_grid(100, 100, 2, (160, 102), spacing, (1600, 1000))
    assert grid.rack_width * grid.zoom < 32  # a column of a dozen pixels
    assert grid.heads_height * grid.zoom < 20  # one line, not four

    pitch, width = 14.0, 12.0
    rects = [QRectF(i * pitch, 0, width, 18) for i in range(100)]
    heads = RackHeadsItem(rects)
    heads.set_lines(
        [[((f"Rack {i + 1}", f"R{i + 1}"), "text"), (("40 up",), "muted")] for i in range(100)]
    )
    from PySide6.QtGui import QTransform

    stride = heads._stride(QTransform())
    assert stride == 5
    image = QImage(1400, 18, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    scene = QGraphicsScene()
    scene.addItem(heads)
    scene.render(painter, QRectF(0, 0, 1400, 18), QRectF(0, 0, 1400, 18))
    painter.end()

    def inked(left: float, right: float) -> bool:
        return any(
            image.pixelColor(x, y).alpha() > 0
            for x in range(int(left), int(right))
            for y in range(image.height())
        )

    for rack in range(0, 100, stride):
        assert inked(rack * pitch, rack * pitch + width), rack + 1  # "R1", "R6", ...
        # The next few columns are left to the label: none of their own.
        assert not inked((rack + 3) * pitch, (rack + stride) * pitch - 1), rack + 1
    assert "Rack 37" in heads.tooltip(36) and "40 up" in heads.tooltip(36)


def _heads(count: int, pitch: float) -> RackHeadsItem:
    rects = [QRectF(i * pitch, 0, pitch - 2, 18) for i in range(count)]
    heads = RackHeadsItem(rects)
    heads.set_lines([[((f"Rack {i + 1}", f"R{i + 1}"), "text")] for i in range(count)])
    return heads


def _ink(item: RackHeadsItem, width: int) -> QImage:
    image = QImage(width, 18, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    scene = QGraphicsScene()
    scene.addItem(item)
    painter = QPainter(image)
    scene.render(painter, QRectF(0, 0, width, 18), QRectF(0, 0, width, 18))
    painter.end()
    scene.removeItem(item)
    return image


def test_the_stride_is_for_the_widest_name_not_the_first(qapp):
    from PySide6.QtGui import QTransform

    # "R1" fits a 20 px column, "R100" does not: every other rack is named, not R1 alone.
    assert _heads(100, 22.0)._stride(QTransform()) == 2
    assert _heads(100, 40.0)._stride(QTransform()) == 1  # "R100" fits: each its own
    assert _heads(9, 22.0)._stride(QTransform()) == 1  # "R9" fits
    # Drawn before the racks had lines, the picture is not kept once they have them.
    heads = RackHeadsItem([QRectF(i * 14.0, 0, 12, 18) for i in range(100)])
    assert not any(_ink(heads, 1400).pixelColor(x, 12).alpha() for x in range(1400))
    heads.set_lines([[((f"Rack {i + 1}", f"R{i + 1}"), "text")] for i in range(100)])
    image = _ink(heads, 1400)
    assert any(image.pixelColor(x, y).alpha() for x in range(40) for y in range(18))


def test_a_short_picture_keeps_room_for_the_racks():
    spacing = Spacing(20, 14, 8, 8)
    for worlds, size in ((2, (1000, 320)), (4, (1280, 720)), (2, (1600, 400))):
        grid = scale_grid(25, 40, worlds, (160, 102), spacing, size, every_world=True)
        racks_px = (worlds * grid.cards_height + 2 * spacing.margin) * grid.zoom
        assert racks_px >= 0.25 * size[1] - 1, (worlds, size, racks_px)
        assert grid.text_scale < 100


def test_a_picture_is_laid_out_for_exactly_its_size(qapp, timeline, monkeypatch):
    from vmc_gui.ui import headless

    monkeypatch.setattr(headless, "simulate_reporting", lambda scenario, job=None: timeline)
    spec = timeline.scenario.cluster
    with headless.cluster_scene(timeline.scenario, "light", size=(1600, 1000)) as scene:
        height = next(iter(scene._card_specs.values()))[2]
        scene.set_viewport(1480, 930, every_world=True)  # within a tenth: a view would keep it
        assert scene._grid == scale_grid(
            spec.racks,
            spec.hosts_per_rack,
            2,
            (CARD_WIDTH, height),
            cluster_scene_module._SPACING,
            (1480, 930),
            every_world=True,
        )


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen
def test_the_minimap_and_the_scroll_follow_the_world_on_show(qtbot):
    panel = ClusterPanel(large())
    qtbot.addWidget(panel)
    panel.resize(1238, 560)
    panel.show()
    qtbot.waitExposed(panel)
    scene, view = panel.scene, panel.view
    qtbot.waitUntil(lambda: scene.worlds_at_once() == 1)
    minimap = view.minimap
    view.set_zoom(view.zoom() * 3)
    qtbot.waitUntil(minimap.isVisible)
    assert minimap.content_rect() == scene.fit_rect()
    panel.world_action.trigger()  # the other world, fitted
    view.set_zoom(view.zoom() * 3)
    qtbot.waitUntil(lambda: minimap.isVisible() and minimap._drawn_for == scene.fit_rect())
    assert view.sceneRect() == scene.fit_rect()
    # Zoomed in by hand on the second world, a smaller cluster arrives: the view scrolls
    # over all of it, not over where the second world was.
    scene.set_timeline(simulate(large(racks=2, per_rack=3)))
    assert not scene.at_scale()
    assert view.sceneRect().contains(scene.content_rect())


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen
def test_a_click_on_a_racks_head_zooms_the_view_and_it_stays_zoomed(qtbot):
    """The rack's cards come with scroll bars, which shrink the viewport: the layout stays
    what the user is looking at (it once fitted itself again at once)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    panel = ClusterPanel(large())
    qtbot.addWidget(panel)
    panel.resize(1600, 760)
    panel.show()
    qtbot.waitExposed(panel)
    scene, view = panel.scene, panel.view
    qtbot.waitUntil(lambda: scene.at_scale() and view.is_fitted())
    fitted = view.zoom()
    where = view.mapFromScene(scene.rack_heads("vm").head_rect(2).center())
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: not view.is_fitted())
    zoom = view.zoom()
    assert zoom > 2 * fitted
    for _ in range(5):  # the viewport's new size is handled, and changes nothing
        QApplication.processEvents()
    assert not view.is_fitted() and view.zoom() == zoom
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    head = scene.rack_heads("vm").head_rect(2)
    # From the head's lines down (they sit at the foot of its band, taller zoomed in).
    lines = (HEAD_LINES * HEAD_LINE_PX + 2 * 8) / zoom
    assert shown.top() > head.top() and head.bottom() - shown.top() <= lines + 1e-6
    view.fit()  # fitted again, the layout is told the view's size
    qtbot.waitUntil(lambda: view.is_fitted() and scene._viewport[1] == view.viewport().height())


def test_every_rack_is_named_in_the_same_form(qapp):
    """A column that holds "Rack 9" but not "Rack 20" names every rack "R9", "R20"."""
    from vmc_gui.ui.scenes.items import rack_heads_item

    metrics = QFontMetricsF(fonts.ui_font(rack_heads_item.TEXT_PX, bold=True))
    width = (metrics.horizontalAdvance("Rack 9") + metrics.horizontalAdvance("Rack 20")) / 2
    heads = _heads(25, width + 6)
    named = [heads._named(heads.lines(r), width)[0][0][0] for r in range(25)]
    assert named == [f"R{r + 1}" for r in range(25)]
    wide = [heads._named(heads.lines(r), width + 40)[0][0][0] for r in range(25)]
    assert wide == [f"Rack {r + 1}" for r in range(25)]


def test_cards_whose_names_differ_in_their_figures_say_the_same(qapp):
    """From the middle distance, "r12-h02" has its name and says "down" wherever "r12-h01"
    does (a "1" is narrower than a "2": measured as drawn, a rack's cards said it on some
    cards only)."""
    from vmc_gui.ui.scenes.items.host_card_item import HostCardItem

    def inked(name: str, zoom: float) -> tuple[bool, bool]:
        """Whether the name, and the status, are drawn."""
        card = HostCardItem(name, 48, 192, True)
        card.show_host(2, "down", 0.0, 0.0, np.zeros(0, np.int64), [], np.zeros(0, np.int64))
        scene = QGraphicsScene()
        scene.addItem(card)
        rect = card.sceneBoundingRect()
        size = (int(rect.width() * zoom) + 1, int(rect.height() * zoom) + 1)
        image = QImage(*size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0xFFFFFFFF)
        painter = QPainter(image)
        scene.render(painter, QRectF(0, 0, *size), rect)
        painter.end()
        # The name in dark ink at the left of the first line, the status in red at its
        # right (inside the red edge of a card that is down).
        top = range(5, int(size[1] * 0.3))
        name = any(
            image.pixelColor(x, y).lightness() < 100 for x in range(6, size[0] // 3) for y in top
        )
        status = any(
            image.pixelColor(x, y).red() - image.pixelColor(x, y).green() > 90
            for x in range(size[0] * 2 // 3, size[0] - 6)
            for y in top
        )
        return name, status

    for zoom in [*np.linspace(0.31, 0.99, 100), *np.linspace(0.54, 0.55, 41)]:
        assert inked("r12-h01", float(zoom)) == inked("r12-h02", float(zoom)), zoom


def test_racks_of_different_sizes_are_counted_and_zoomed_to_each_its_own(qapp, qtbot):
    """An imported cluster's racks (its zones) differ in size: each head counts its own
    hosts, the failed rack's head is in alarm only while its own hosts are down, and a
    click zooms to that rack's cells alone."""
    from vmc_gui.model.cluster import HostSpec

    sizes = [12 + (r * 7) % 9 for r in range(30)]
    hosts = tuple(
        HostSpec(f"z{r + 1}-n{i + 1}", r + 1, 32.0 + 16 * (i % 2), 128.0, zone=f"zone-{r + 1}")
        for r, size in enumerate(sizes)
        for i in range(size)
    )
    spec = ClusterSpec(racks=30, hosts_per_rack=max(sizes), cores=48, memory_gb=128.0, hosts=hosts)
    scenario = Scenario(
        name="ragged",
        title="Racks of different sizes",
        description="",
        seed=1,
        duration_s=600.0,
        cluster=spec,
        worlds=(World.VM, World.CONTAINER),
        services=(ServiceSpec("web", 600, 0.5, 2048),),
        events=(RackFail(60.0, 4),),
    )
    scene = ClusterScene()
    scene.set_timeline(simulate(scenario))
    assert scene.at_scale()
    scene.show_time(120.0)
    heads = scene.rack_heads("vm")
    for r, size in enumerate(sizes):
        lines = heads.lines(r)
        assert lines[0][0] == (f"zone-{r + 1}", f"R{r + 1}")  # titled by its zone
        if r == 3:
            assert lines[1][1] == "alarm" and "up" not in lines[1][0][0]
        else:
            assert lines[1][0][0] == f"{size} up" and lines[1][1] != "alarm", r
    with qtbot.waitSignal(scene.zoom_requested) as asked:
        heads.on_click(6)
    shown = asked.args[0]
    rack_7 = [scene.host_rect("vm", h) for h in range(sum(sizes[:6]), sum(sizes[:7]))]
    assert all(shown.intersects(rect) for rect in rack_7[:3])
    scene.deleteLater()
