"""The stack scene: hover, click, selection, overlay, compromise, growing, themes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from vmc_gui.model.stacks import LayerKind
from vmc_gui.ui.scenes.items.layer_item import Mark
from vmc_gui.ui.scenes.stack_scene import ANIMATION_MS, StackScene
from vmc_gui.ui.scenes.stack_view import StackView
from vmc_gui.ui.theme import DARK


@pytest.fixture
def view(qtbot):
    scene = StackScene()
    scene.set_diagram("vm-vs-container")
    view = StackView(scene)
    qtbot.addWidget(view)
    view.resize(1400, 800)
    view.show()
    qtbot.waitExposed(view)
    view.reset_zoom()
    return view


def centre_of(view: StackView, key: str) -> QPoint:
    item = view.scene().item_for(key)
    return view.mapFromScene(item.sceneBoundingRect().center())


def test_clicking_a_layer_selects_it_and_explains_it(qtbot, view):
    scene = view.scene()
    with qtbot.waitSignal(scene.layer_selected) as signal:
        QTest.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=centre_of(view, "container/host-kernel")
        )
    key, explanation = signal.args
    assert key == "container/host-kernel"
    assert "Shared by 3 of 3" in explanation
    assert scene.item_for(key).mark() is Mark.SELECTED
    # Everything that runs on the shared kernel is marked as sharing it.
    for name in ("container-1/app", "container-2/user-mode", "container/runtime"):
        assert scene.item_for(name).mark() is Mark.SHARED
    assert scene.item_for("vm-1/app").mark() is Mark.NONE


def test_hovering_a_layer_shows_what_it_is_and_costs(qtbot, view):
    item = view.scene().item_for("vm-2/guest-kernel")
    assert "512 MB memory, 32 GB disk" in item.toolTip()
    assert "own operating-system kernel" in item.toolTip()
    QTest.mouseMove(view.viewport(), centre_of(view, "vm-2/guest-kernel"))
    qtbot.waitUntil(lambda: item._hovered)


def test_selecting_the_hypervisor_highlights_the_partitions_it_keeps_apart(view):
    scene = view.scene()
    scene.set_overlay(True)
    scene.select("vm/hypervisor")
    highlighted = {
        k
        for k in ("vm/parent", "vm-1/partition", "vm-2/partition", "vm-3/partition")
        if scene.boundary_for(k).highlighted()
    }
    assert len(highlighted) == 4
    assert not scene.boundary_for("container-1/namespace").highlighted()


def test_the_overlay_draws_strong_and_weak_boundaries(view):
    scene = view.scene()
    assert not scene.boundary_for("vm-1/partition").isVisible()
    scene.set_overlay(True)
    assert scene.boundary_for("vm-1/partition").isVisible()
    assert scene.boundary_for("vm-1/partition").boundary.strong
    assert not scene.boundary_for("container-1/namespace").boundary.strong


@pytest.mark.parametrize(
    ("diagram", "app", "reached_instances", "kernel"),
    [
        ("vm", "vm-2/app", {"vm-2"}, "vm-2/guest-kernel"),
        (
            "container",
            "container-2/app",
            {"container-1", "container-2", "container-3"},
            "container/host-kernel",
        ),
        (
            "hyperv-container",
            "hv-container-2/app",
            {"hv-container-2"},
            "hv-container-2/utility-kernel",
        ),
    ],
)
def test_compromising_an_app_marks_what_the_attacker_reaches(
    qtbot, diagram, app, reached_instances, kernel
):
    scene = StackScene()
    scene.set_animations_enabled(False)
    scene.set_diagram(diagram)
    scene.set_compromise_mode(True)
    with qtbot.waitSignal(scene.compromised) as signal:
        scene.select(app)
    assert signal.args[0] == app
    marked = {k for k in signal.args[1] if scene.item_for(k).mark() is Mark.COMPROMISED}
    assert marked == set(signal.args[1])
    assert {scene.item_for(k).layer.instance for k in marked} - {""} == reached_instances
    assert kernel in marked
    hardware = next(k for k in scene._layers if scene.item_for(k).layer.kind is LayerKind.HARDWARE)
    assert scene.item_for(hardware).mark() is Mark.NONE
    scene.clear_compromise()
    assert scene.item_for(app).mark() is Mark.NONE


def test_adding_an_instance_grows_every_stack_with_animation(qtbot, view):
    scene = view.scene()
    hardware = scene.item_for("vm/hardware")
    width_before = hardware.geometry.width()
    with qtbot.waitSignal(scene.instances_changed) as signal:
        assert scene.add_instance()
    assert signal.args == [4]
    new = scene.item_for("vm-4/guest-kernel")
    animation = scene._animation
    assert animation is not None
    animation.setCurrentTime(0)
    assert new.opacity() == 0.0 and hardware.geometry.width() == pytest.approx(width_before)
    animation.setCurrentTime(ANIMATION_MS)  # drive the clock to the end
    assert new.opacity() == 1.0
    assert hardware.geometry.width() == pytest.approx(width_before + 150)
    assert scene.bar_for(0).instances == 4


def test_removing_an_instance_fades_it_out_and_stops_at_one():
    scene = StackScene()
    scene.set_animations_enabled(False)
    scene.set_diagram("container", instances=2)
    assert scene.remove_instance()
    assert "container-2/app" not in scene._layers
    assert not scene.remove_instance()
    assert scene.instances() == 1


def test_the_dark_theme_recolours_everything():
    scene = StackScene()
    scene.set_animations_enabled(False)
    scene.set_diagram("vm")
    light = scene.backgroundBrush().color().lightness()
    scene.set_theme(DARK)
    assert scene.backgroundBrush().color().lightness() < light - 100
    assert scene.item_for("vm-1/app")._theme is DARK


def test_view_zooms_and_fits(view):
    view.zoom_in()
    assert view.zoom() == pytest.approx(1.15)
    view.set_zoom(100)
    assert view.zoom() == pytest.approx(6.0)
    view.fit()
    rect = view.mapToScene(view.viewport().rect()).boundingRect()
    assert rect.contains(view.scene().content_rect().adjusted(2, 2, -2, -2))
