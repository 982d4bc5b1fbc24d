"""The diagram panel: toolbar, shortcuts, inspector, and the view following the diagram."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction

from vmc_gui.ui.panels.diagram_panel import DiagramPanel
from vmc_gui.ui.windows import DiagramWindow


def test_no_two_actions_share_a_shortcut(qtbot):
    panel = DiagramPanel()
    qtbot.addWidget(panel)
    keys = [
        action.shortcut().toString()
        for widget in (panel, *panel.findChildren(type(panel.view)))
        for action in widget.actions()
        if isinstance(action, QAction) and not action.shortcut().isEmpty()
    ]
    assert len(keys) == len(set(keys)), keys


def shown(qtbot, name: str) -> DiagramPanel:
    panel = DiagramPanel(name)
    qtbot.addWidget(panel)
    panel.resize(1200, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.scene.set_animations_enabled(False)
    return panel


#: The offscreen platform cannot apply a top-level widget's size constraints, and says so.
offscreen_size_hints = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@offscreen_size_hints
def test_the_toolbar_toggles_the_overlay_and_grows_the_stacks(qtbot):
    panel = shown(qtbot, "vm-vs-container")
    # The keys are the actions' shortcuts (the offscreen platform has no active window to
    # route key presses, so the actions are triggered as the keys would).
    assert panel.overlay_action.shortcut().toString() == "I"
    assert panel.add_action.shortcut().toString() == "+"
    panel.overlay_action.trigger()
    assert panel.scene.overlay() and panel.overlay_action.isChecked()
    panel.add_action.trigger()
    assert panel.scene.instances() == 4
    for _ in range(10):
        if panel.add_action.isEnabled():
            panel.add_action.trigger()
    assert panel.scene.instances() == 8 and not panel.add_action.isEnabled()
    panel.remove_action.trigger()
    assert panel.scene.instances() == 7 and panel.add_action.isEnabled()


@offscreen_size_hints
def test_the_view_keeps_the_grown_diagram_in_sight_until_zoomed_by_hand(qtbot):
    panel = shown(qtbot, "vm")
    before = panel.view.zoom()
    for _ in range(4):
        panel.scene.add_instance()
    assert panel.view.is_fitted() and panel.view.zoom() < before
    visible = panel.view.mapToScene(panel.view.viewport().rect()).boundingRect()
    assert visible.contains(panel.scene.content_rect().adjusted(2, 2, -2, -2))
    panel.view.zoom_in()
    assert not panel.view.is_fitted()


def test_the_inspector_shows_the_selection_and_the_exploit(qtbot):
    panel = DiagramPanel("container")
    qtbot.addWidget(panel)
    panel.scene.select("container/host-kernel")
    assert "Shared by 3 of 3" in panel.inspector.toPlainText()
    panel.compromise_action.trigger()
    panel.scene.select("container-2/app")
    text = panel.inspector.toPlainText()
    assert "Kernel exploit in container-2" in text and "reaches 9 layers and 3 instances" in text
    panel.compromise_action.trigger()  # off again: the marks go
    assert "container-2/app" not in [
        k for k in ("container-2/app",) if panel.scene.item_for(k).mark().name == "COMPROMISED"
    ]


def test_the_window_is_a_sensible_size(qtbot):
    window = DiagramWindow("vm")
    qtbot.addWidget(window)
    assert window.width() >= 1200 and window.height() >= 720
    assert window.windowTitle() == "Stack diagrams"  # Qt adds " — vmc-gui"


def test_choosing_another_diagram_shows_it(qtbot):
    panel = DiagramPanel("vm")
    qtbot.addWidget(panel)
    panel.chooser.setCurrentIndex(panel.chooser.findData("lesson:networking"))
    diagram = panel.scene.diagram()
    assert diagram is not None and diagram.name == "lesson:networking"


def test_the_isolation_diagram_opens_in_two_rows_that_fit_a_lesson_page(qtbot):
    """Three stacks side by side do not fit a 1600x1000 window at the legible scale; two rows
    of two instances apiece do (beside the inspector, the page's view is about 1090 px wide
    and the drawing with its caption about 1100: it shows whole, with no horizontal scroll)."""
    panel = DiagramPanel()
    qtbot.addWidget(panel)
    panel.show_diagram("lesson:isolation")
    assert panel.scene.instances() == 2  # the diagram's own opening count
    built = panel.scene.diagram()
    assert built is not None and built.per_row == 2
    assert panel.scene.itemsBoundingRect().width() <= 1100
    titles = [
        item
        for item in panel.scene.items()
        if hasattr(item, "toPlainText") and "Hyper-V-isolated containers" in item.toPlainText()
    ]
    assert titles and titles[0].sceneBoundingRect().top() > 400  # the third stack, below
    panel.scene.add_instance()
    panel.show_diagram("lesson:isolation")  # the same diagram keeps the user's count
    assert panel.scene.instances() == 3
    panel.show_diagram("vm-vs-container")
    assert panel.scene.instances() == 3  # others open with the default
