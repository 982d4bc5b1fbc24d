"""The stack scene when the user is quicker than its animations, and other edges (review)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QParallelAnimationGroup, QPropertyAnimation

from vmc_gui.model.parameters import ParameterSet
from vmc_gui.ui.headless import display_problem
from vmc_gui.ui.scenes.items.layer_item import LayerItem, Mark
from vmc_gui.ui.scenes.stack_scene import ANIMATION_MS, StackScene
from vmc_gui.ui.scenes.stack_view import StackView


def layer_items(scene: StackScene) -> list[LayerItem]:
    return [item for item in scene.items() if isinstance(item, LayerItem)]


def flush_deletes() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_an_interrupted_animation_leaves_no_ghost_layers(qapp):
    scene = StackScene()
    scene.set_diagram("vm-vs-container")
    for _ in range(20):
        scene.remove_instance()
        scene._animation.setCurrentTime(ANIMATION_MS // 3)  # mid-fade...
        scene.add_instance()  # ...overtaken
        scene._animation.setCurrentTime(ANIMATION_MS // 2)
    scene.remove_instance()
    scene.set_diagram("container")  # switched mid-fade
    scene.finish_animation()
    items = layer_items(scene)
    assert len(items) == len(scene._layers)
    assert all(item.opacity() == 1.0 for item in items)
    assert not any(item.layer.key.startswith("vm") for item in items)


def test_finished_transitions_do_not_pile_up(qapp):
    scene = StackScene()
    scene.set_diagram("vm-vs-container")
    for _ in range(30):
        scene.add_instance()
        scene._animation.setCurrentTime(ANIMATION_MS)
        scene.remove_instance()
        scene._animation.setCurrentTime(ANIMATION_MS)
    flush_deletes()
    assert len(scene.findChildren(QParallelAnimationGroup)) <= 1
    assert len(scene.findChildren(QPropertyAnimation)) == 0
    assert len(layer_items(scene)) == len(scene._layers) == 23


def test_a_selection_of_a_removed_layer_is_dropped():
    scene = StackScene()
    scene.set_animations_enabled(False)
    scene.set_diagram("container")
    scene.select("container-3/user-mode")
    scene.remove_instance()
    assert scene.selected() == ""
    scene.add_instance()
    assert scene.item_for("container-3/user-mode").mark() is Mark.NONE


def test_an_exploit_reaches_instances_added_after_it(qtbot):
    scene = StackScene()
    scene.set_animations_enabled(False)
    scene.set_diagram("container")
    assert len(scene.compromise("container-1/app")) == 9
    with qtbot.waitSignal(scene.compromised) as signal:
        scene.add_instance()
    assert len(signal.args[1]) == 11
    assert scene.item_for("container-4/app").mark() is Mark.COMPROMISED
    scene.clear_compromise()
    scene.remove_instance()
    scene.remove_instance()
    scene.add_instance()
    assert scene.item_for("container-3/app").mark() is Mark.NONE


def test_what_a_selection_keeps_apart_shows_without_the_overlay():
    scene = StackScene()
    scene.set_animations_enabled(False)
    scene.set_diagram("container")
    assert not scene.overlay()
    scene.select("container/host-kernel")
    boundary = scene.boundary_for("container-2/namespace")
    assert boundary.highlighted() and boundary.isVisible()
    scene.select("container-1/app")
    assert not boundary.isVisible()


def test_tooltips_follow_the_parameters():
    scene = StackScene()
    scene.set_animations_enabled(False)
    scene.set_diagram("vm")
    assert "512 MB memory" in scene.item_for("vm-1/guest-kernel").toolTip()
    scene.set_diagram("vm", 3, ParameterSet({"vm.guest_memory_overhead_mb": 2048}))
    assert "2,048 MB memory" in scene.item_for("vm-1/guest-kernel").toolTip()


def test_export_never_writes_a_half_drawn_frame(qtbot, tmp_path):
    scene = StackScene()
    scene.set_diagram("vm")
    view = StackView(scene)
    qtbot.addWidget(view)
    scene.add_instance()
    scene._animation.setCurrentTime(60)
    assert scene.item_for("vm-4/app").opacity() < 0.5
    view.export(tmp_path / "vm.png")
    assert scene._animation is None
    assert scene.item_for("vm-4/app").opacity() == 1.0


def test_a_window_needs_a_display(monkeypatch):
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert "no display" in display_problem()
    monkeypatch.setenv("DISPLAY", ":1")
    assert display_problem() is None
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.delenv("DISPLAY")
    assert display_problem() is None


def test_the_bar_names_one_instance_in_the_singular():
    scene = StackScene()
    scene.set_animations_enabled(False)
    scene.set_diagram("hyperv-container", 1)
    first, second = scene.bar_for(0).text().split("\n")
    # Microsoft's minimums: 130 MB for a Hyper-V-isolated Nano Server container in all.
    assert first == "Per instance: app 1.0 GB + utility VM 0.1 GB"
    assert second == "1 instance: 1.1 GB"
