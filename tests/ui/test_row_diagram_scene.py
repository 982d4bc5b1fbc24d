"""The rows' own diagrams in the stack scene: parts, flows and states drawn where the layout
says, nothing overlapping, nothing too small, both themes, and the export not blank."""

from __future__ import annotations

import importlib
import itertools
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainterPath, QPainterPathStroker

from tests.ui.image_testing import to_array
from vmc_gui.cli import main
from vmc_gui.model.diagram_parts import State
from vmc_gui.model.stacks import diagram
from vmc_gui.ui import fonts
from vmc_gui.ui.export import ExportOptions, render_image
from vmc_gui.ui.scenes.items.layer_item import Mark
from vmc_gui.ui.scenes.row_layout import banded
from vmc_gui.ui.scenes.stack_scene import StackScene
from vmc_gui.ui.scenes.zoom_view import LEGIBLE_PX
from vmc_gui.ui.theme import DARK, THEMES

NAMES = [
    "lesson:deployment",
    "lesson:os-updates",
    "lesson:persistent-storage",
    "lesson:load-balancing",
    "lesson:fault-tolerance",
]


def scene_for(name: str, instances: int = 3) -> StackScene:
    scene = StackScene()
    scene.set_animations_enabled(False)
    scene.set_diagram(name, instances)
    return scene


def stroke(path: QPainterPath) -> QPainterPath:
    """The outline of a line drawn along ``path``: what its pixels cover."""
    stroker = QPainterPathStroker()
    stroker.setWidth(2.0)
    return stroker.createStroke(path)


@pytest.mark.parametrize("name", NAMES)
def test_every_part_flow_and_state_has_its_item(qapp, name):
    scene = scene_for(name)
    built = scene.diagram()
    assert built is not None
    for part in built.parts:
        item = scene.part_for(part.key)
        assert item.part is part and item.toolTip()
        assert item.geometry.width() > 0 and item.geometry.height() > 0
    for flow in built.flows:
        assert scene.flow_for(flow.key).flow is flow
    outlines = scene.state_items()
    assert {item.state for item in outlines} == set(built.states.values())
    # What a state leaves gone or failed is dimmed; what it brings is not.
    for mark, state in built.states.items():
        for key in built.covered(mark):
            assert scene.item_for(key)._dimmed == (state is not State.NEW)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("instances", [1, 3])
def test_nothing_overlaps_and_every_route_runs_clear(qapp, name, instances):
    scene = scene_for(name, instances)
    content = scene.content_rect()
    texts = [(t.toPlainText(), t.sceneBoundingRect()) for t in scene.texts()]
    parts = [(key, item.geometry) for key, item in scene._parts.items()]
    layers = [(key, item.geometry) for key, item in scene._layers.items()]
    for what, rect in texts + parts + layers:
        assert content.contains(rect), f"{what!r} is cut off"
    for (a, ra), (b, rb) in itertools.combinations(texts + parts, 2):
        overlap = ra.intersected(rb)
        assert overlap.width() < 1 or overlap.height() < 1, f"{a!r} overlaps {b!r}"
    for (a, ra), (b, rb) in itertools.product(texts + parts, layers):
        assert not ra.intersects(rb), f"{a!r} overlaps the layer {b}"
    for key, flow in scene._flows.items():
        line = stroke(flow.route.path())
        for what, rect in texts:
            assert not line.intersects(rect), f"the flow {key} crosses {what!r}"
        for what, rect in layers:
            assert not line.intersects(rect.adjusted(1, 1, -1, -1)), f"{key} crosses {what}"
        for what, rect in parts:  # an arrow ends on a part's edge, never runs through one
            assert not line.intersects(rect.adjusted(3, 3, -3, -3)), f"{key} crosses {what}"


@pytest.mark.parametrize("name", NAMES)
def test_no_text_is_smaller_than_the_legible_floor(qapp, monkeypatch, name):
    asked: list[int] = []

    def recording(size: int, *, bold: bool = False):
        asked.append(size)
        return fonts.ui_font(size, bold=bold)

    for module in ("part_item", "layer_item"):
        path = f"vmc_gui.ui.scenes.items.{module}"
        monkeypatch.setattr(importlib.import_module(path), "ui_font", recording)
    scene = scene_for(name)
    render_image(scene, scene.content_rect(), ExportOptions(scale=1.0))
    assert asked and min(asked) >= LEGIBLE_PX
    assert min(t.font().pixelSize() for t in scene.texts()) >= LEGIBLE_PX


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_exports_draw_a_picture(qapp, name, theme):
    scene = scene_for(name)
    scene.set_theme(THEMES[theme])
    pixels = to_array(render_image(scene, scene.content_rect(), ExportOptions(size=(800, 500))))
    assert pixels.shape == (500, 800, 4)
    background = np.array(THEMES[theme].background.getRgb()[:3])
    differs = np.abs(pixels[:, :, :3].astype(int) - background).sum(axis=2) > 30
    assert differs.mean() > 0.15  # layers, parts and arrows: far from a blank page


def test_the_command_line_exports_a_rows_diagram(qapp, tmp_path, capsys):
    out = tmp_path / "lb.png"
    code = main(
        ["export", "diagram:lesson:load-balancing", "--size", "1600x1000", "--out", str(out)]
    )
    assert code == 0 and out.stat().st_size > 10_000
    assert "1600x1000" in capsys.readouterr().out


def test_the_dark_theme_recolours_parts_flows_and_band_titles(qapp):
    scene = scene_for("lesson:fault-tolerance")
    flow = scene.flow_for("failover")
    band_title = next(t for t in scene.texts() if t.toPlainText().startswith("Virtual machines"))
    light = (flow.colour().name(), band_title.defaultTextColor().name())
    scene.set_theme(DARK)
    assert (flow.colour().name(), band_title.defaultTextColor().name()) != light
    assert band_title.defaultTextColor() == DARK.world("vm")
    assert scene.part_for("shared-storage")._theme is DARK
    assert all(item._theme is DARK for item in scene.state_items())


def test_the_layers_stay_live_and_the_instances_change_what_repeats(qapp):
    scene = scene_for("lesson:os-updates")
    scene.select("vm/hypervisor")
    assert scene.item_for("vm/hypervisor").mark() is Mark.SELECTED
    assert scene.item_for("vm-2/guest-kernel")._dimmed is False
    assert scene.add_instance()  # one more VM to patch; still one rollout
    assert "patch-vm-4" in scene._flows and len(scene.state_items()) > 4
    assert scene.selected() == "vm/hypervisor"
    fixed = scene_for("lesson:load-balancing")
    before = set(fixed._layers)
    assert fixed.add_instance() and set(fixed._layers) == before  # two hosts, drawn as is


def test_switching_to_a_side_by_side_diagram_leaves_nothing_behind(qapp):
    scene = scene_for("lesson:deployment")
    scene.set_diagram("vm-vs-container")
    assert not scene._parts and not scene._flows and not scene.state_items()
    assert not any(item.isVisible() and isinstance(item, type(None)) for item in scene.items())
    assert all(key.startswith(("vm", "container")) for key in scene._layers)
    bounds = scene.content_rect()
    assert bounds == QRectF(0, 0, bounds.width(), bounds.height())


def test_a_label_taller_than_its_gap_widens_the_gap(qapp):
    built = diagram("lesson:deployment", 1)
    longer = tuple(
        replace(flow, label=" ".join([flow.label] * 3))
        if flow.key in ("pull", "copy-vm-1")
        else flow
        for flow in built.flows
    )
    layout = banded(replace(built, flows=longer))
    assert layout.bounds.height() > banded(built).bounds.height()
    labels = [(label.text[:30], label.rect) for label in layout.labels if label.rect.width()]
    boxes = list(layout.parts.items()) + list(layout.layers.items())
    for (a, ra), (b, rb) in itertools.product(labels, boxes):
        assert not ra.intersects(rb), f"{a!r} overlaps {b}"


def test_the_rows_new_words_are_on_the_canvas(qapp):
    balancing = scene_for("lesson:load-balancing")
    texts = " ".join(t.toPlainText() for t in balancing.texts())
    assert "Node A (over-requested)" in texts and "descheduler" in texts
    assert "brief pause" in texts and "(assumed)" in texts
    failover = scene_for("lesson:fault-tolerance")
    texts = " ".join(t.toPlainText() for t in failover.texts())
    assert "deliberate wait" in texts and "In all about 5 min (assumed)." in texts
