"""Before and after: the run before the last change stays on show, faded, until dismissed.

First the pure comparison of two runs (``sim.compare_runs``); then the window on the
fault-tolerance lesson: an edit leaves a ghost, quoted in each world's header and drawn in
the charts; Undo and Redo swap the two runs; Esc, the menu and the panel's button dismiss it;
another lesson clears it.  Last, the calls an export with ``--compare`` makes, without a
window: the cluster scene alone, a chart alone, the session.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.main_windows import shown_window
from vmc_gui.model.library import resolve
from vmc_gui.model.parameters import ParameterError
from vmc_gui.model.scenario import World
from vmc_gui.sim import chart_metrics as metrics
from vmc_gui.sim import simulate
from vmc_gui.sim.compare_runs import Comparison, compare, compare_finals, figures, finals
from vmc_gui.sim.headline import headlines
from vmc_gui.sim.timeline import Timeline
from vmc_gui.ui import document as document_module
from vmc_gui.ui.charts.chart_view import GHOST_NAME, GHOST_Z, LABEL_PX, ChartView, view_size
from vmc_gui.ui.scenes.cluster_scene import ClusterScene
from vmc_gui.ui.scenes.zoom_view import LEGIBLE_PX
from vmc_gui.ui.session import LessonSession
from vmc_gui.ui.shell.main_window import MainWindow
from vmc_gui.ui.theme import DARK

TOLERATION = "kubernetes.default_unreachable_toleration_s"


@cache
def _run(toleration: int = 300) -> Timeline:
    return simulate(resolve("failover").with_parameters({TOLERATION: toleration}))


def _final(timeline: Timeline, world: str) -> str:
    found = headlines(timeline)[world].final()
    assert found is not None
    return found[1]


# --- the comparison, without Qt --------------------------------------------------------------


def test_the_figures_leave_out_the_words_both_results_begin_with():
    assert figures("recovered in 5 min 49 s", "recovered in 1 min 15 s") == (
        "5 min 49 s",
        "1 min 15 s",
    )
    assert figures("12 VMs fit", "8 VMs fit") == ("12 VMs fit", "8 VMs fit")  # nothing shared
    assert figures("reached 1 of 4 tenants", "reached 4 of 4 tenants") == (
        "1 of 4 tenants",
        "4 of 4 tenants",
    )
    # Never all of either: a result that is the start of the other is given whole.
    assert figures("rolled out", "rolled out in 3 s") == ("rolled out", "rolled out in 3 s")
    # Words only, never a figure: the minutes both share stay (found in review: "before
    # 59.6 s -> now 54.6 s" quoted for 4 min 59.6 s against 4 min 54.6 s).
    assert figures("recovered in 4 min 59.6 s", "recovered in 4 min 54.6 s") == (
        "4 min 59.6 s",
        "4 min 54.6 s",
    )
    assert figures("recovered in 1 h 2 min", "recovered in 1 h 5 min") == ("1 h 2 min", "1 h 5 min")


def test_a_comparison_says_before_and_now_or_same():
    found = compare_finals(
        {"vm": "recovered in 5 min 49 s", "container": "recovered in 5 min 56.4 s"},
        {"vm": "recovered in 5 min 49 s", "container": "recovered in 1 min 15 s"},
    )
    container, vm = found["container"], found["vm"]
    assert container.text() == "before 5 min 56.4 s → now 1 min 15 s" and not container.same
    assert vm.same and vm.text() == "recovered in 5 min 49 s, same as before"
    # While the run now counts, its answer is not given away, not even that it is the same;
    # the world that did not change drops the words the other's results share.
    assert container.text("down 32 s", reached=False) == "before 5 min 56.4 s → now down 32 s"
    assert vm.text("down 32 s", reached=False) == "before 5 min 49 s → now down 32 s"
    assert vm.segments("down 32 s", reached=False) == (
        ("before 5 min 49 s → ", True),
        ("now down 32 s", False),
    )
    assert Comparison("a", "b", "a", "b").text("", reached=False) == "before a"


def test_only_worlds_with_a_result_in_both_runs_are_compared():
    found = compare_finals({"vm": "recovered in 3 s"}, {"vm": "recovered in 4 s", "c": "x"})
    assert list(found) == ["vm"]
    assert compare_finals({"vm": ""}, {"vm": "recovered in 4 s"}) == {}


def test_two_runs_compare_by_their_headlines_final_words():
    before, now = _run(300), _run(30)
    found = compare(before, now)
    assert finals(before)["container"] == _final(before, "container") == "recovered in 5 min 56.4 s"
    assert found["container"].before_full == _final(before, "container")
    assert found["container"].now_full == _final(now, "container")
    assert found["container"].text() == "before 5 min 56.4 s → now 1 min 26.4 s"
    assert found["vm"].same  # the VMs' setting did not change


def test_a_run_with_no_final_result_is_quoted_as_it_ends():
    quiet = simulate(dataclasses.replace(resolve("failover"), events=()))  # nothing fails
    said = finals(quiet)
    assert said and all(words == "nothing fails" for words in said.values())


# --- the window ------------------------------------------------------------------------------


pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def window(qtbot, tmp_path: Path):
    window = shown_window(qtbot, tmp_path, (1600, 1000))
    window.open_lesson("fault-tolerance")
    window.session.controller.seek(window.session.controller.duration())
    return window


def _header(window: MainWindow, world: str) -> str:
    return window.page.cluster.scene.result_text(world)


def _chart(window: MainWindow) -> ChartView:
    assert window.charts is not None
    view = window.charts.current()
    assert view is not None and view.chart() is not None
    return view


def _same_chart(one: metrics.Chart | None, other: metrics.Chart) -> bool:
    return one is not None and metrics.to_csv(one) == metrics.to_csv(other)


def _labels_apart(view: ChartView) -> list[str]:
    """The labels on show, after checking each lies inside its plot and clear of the others."""
    shown = view.label_rects()
    for i, (name, rect, plot) in enumerate(shown):
        assert plot.contains(rect), f"{name!r} runs past its plot"
        for other, there, _ in shown[i + 1 :]:
            assert not rect.intersects(there), f"{name!r} overlaps {other!r}"
    return [name for name, _, _ in shown]


def test_an_edit_leaves_the_run_before_as_a_ghost_in_the_headers_and_the_charts(window):
    session = window.session
    original = session.controller.timeline()
    cluster = window.page.cluster
    assert session.ghost is None and not cluster.dismiss_button.isVisible()
    assert not window.menus.dismiss_ghost_action.isEnabled()
    assert GHOST_NAME not in _chart(window).legend_names()
    assert _header(window, "container") == "recovered in 5 min 56.4 s"

    window.document.set_parameter(TOLERATION, 30)
    edited = session.controller.timeline()
    assert edited is not original and session.ghost is original
    assert cluster.dismiss_button.isVisible() and window.menus.dismiss_ghost_action.isEnabled()
    # The headers quote each run's final result, the words both share left out.
    before, now = _final(original, "container"), _final(edited, "container")
    assert (before, now) == ("recovered in 5 min 56.4 s", "recovered in 1 min 26.4 s")
    assert _header(window, "container") == "before 5 min 56.4 s → now 1 min 26.4 s"
    assert _header(window, "vm") == f"{_final(edited, 'vm')}, same as before"
    for world in (World.VM, World.CONTAINER):
        item = cluster.scene._results[world]
        assert item.font().pixelSize() >= 19  # large type, on one line
        assert item.toPlainText() == _header(window, world.value)  # nothing cut off
    # Each chart draws the same metric of the run before, faded, and says "before".
    view = _chart(window)
    ghost = metrics.build(original, "availability")
    assert _same_chart(view.ghost(), ghost)
    items = view.ghost_items()
    assert len(items) == len(ghost.curves()) == 2
    for item, curve in zip(items, ghost.curves(), strict=True):
        _, values = item.getOriginalDataset()
        assert list(values) == list(curve.values)
        assert item.opts["pen"].color().alpha() < 255  # faded
        assert item.opts["pen"].style() == Qt.PenStyle.DashLine
    assert view.legend_names().count(GHOST_NAME) == 1
    shown = _labels_apart(view)
    assert "before: recovered in 5 min 56.4 s" in shown
    assert shown.count("recovered in 4 min 59.6 s") == 1  # the same marker is not drawn twice
    for tag in view._tags:
        assert tag.text.textItem.font().pixelSize() == LABEL_PX >= LEGIBLE_PX

    # Mid-run, the header counts the run now beside the result before...
    session.controller.seek(120.0)  # a minute after the failure: nothing recovered yet
    assert _header(window, "container") == "before 5 min 56.4 s → now down 1 min 0.0 s"
    assert _header(window, "vm") == "before 4 min 59.6 s → now down 1 min 0.0 s"
    # ...and the charts, which hide what is still to come in a lesson, show the ghost whole.
    assert view._future == "hide"
    for item in view.ghost_items():
        times, _ = item.getOriginalDataset()
        assert item.isVisible() and item.zValue() == GHOST_Z > 20  # over the cover
        assert times[-1] == session.controller.duration()
    assert sorted(_labels_apart(view)) == ["before: recovered in 5 min 56.4 s", "failure"]

    # In the dark theme, the quote of the run before is in the dark theme's quieter colour.
    session.controller.seek(session.controller.duration())
    item = cluster.scene._results[World.CONTAINER]
    window.set_theme("dark")
    try:
        assert DARK.muted.name() in item.toHtml()
        assert _header(window, "container") == "before 5 min 56.4 s → now 1 min 26.4 s"
        assert len(_chart(window).ghost_items()) == 2  # built again, in the dark colours
    finally:
        window.set_theme("light")


@pytest.fixture
def clock(monkeypatch) -> list[float]:
    """The undo stack's clock, set by the test: edits of one setting merge only when the
    test says they came at once."""
    now = [0.0]
    monkeypatch.setattr(document_module, "_clock", lambda: now[0])
    return now


def test_undo_redo_and_reset_are_changes_too(window, clock):
    session = window.session
    original = session.controller.timeline()
    window.document.set_parameter(TOLERATION, 30)
    edited = session.controller.timeline()
    window.menus.undo_action.trigger()
    # The run now is the one before the edit; the ghost, the run undone.
    assert session.controller.timeline().scenario == original.scenario
    assert session.ghost is edited
    assert _header(window, "container") == "before 1 min 26.4 s → now 5 min 56.4 s"
    assert _same_chart(_chart(window).ghost(), metrics.build(edited, "availability"))
    undone = session.controller.timeline()
    window.menus.redo_action.trigger()
    assert session.controller.timeline().scenario == edited.scenario
    assert session.ghost is undone
    assert _header(window, "container") == "before 5 min 56.4 s → now 1 min 26.4 s"
    # Resetting the scenario is a change: the run reset away is the ghost.
    redone = session.controller.timeline()
    session.dismiss_ghost()
    window.reset_scenario()
    assert session.ghost is redone
    assert session.controller.timeline().scenario == original.scenario


def test_edits_merged_into_one_step_leave_the_run_before_the_step(window, clock):
    session = window.session
    original = session.controller.timeline()
    window.document.set_parameter(TOLERATION, 200)
    window.document.set_parameter(TOLERATION, 30)  # the same setting again, at once: one step
    assert window.document.undo_stack.count() == 1
    assert session.ghost is original
    assert _header(window, "container") == "before 5 min 56.4 s → now 1 min 26.4 s"
    # Dismissed, then the same setting again at once: still the run before the whole step.
    session.dismiss_ghost()
    window.document.set_parameter(TOLERATION, 60)
    assert window.document.undo_stack.count() == 1 and session.ghost is original
    # A while later, a step of its own: the run before it.
    thirty_then_sixty = session.controller.timeline()
    clock[0] = 10.0
    window.document.set_parameter(TOLERATION, 90)
    assert window.document.undo_stack.count() == 2 and session.ghost is thirty_then_sixty


def test_the_button_the_menu_and_esc_dismiss_the_ghost(window, qtbot, clock):
    session = window.session
    window.document.set_parameter(TOLERATION, 30)
    cluster = window.page.cluster
    cluster.dismiss_button.click()
    assert session.ghost is None and not cluster.dismiss_button.isVisible()
    assert _header(window, "container") == "recovered in 1 min 26.4 s"
    assert _chart(window).ghost_items() == [] and GHOST_NAME not in _chart(window).legend_names()
    assert "before: recovered in 5 min 56.4 s" not in _labels_apart(_chart(window))
    assert not window.menus.dismiss_ghost_action.isEnabled()

    clock[0] = 10.0
    window.document.set_parameter(TOLERATION, 60)
    assert session.ghost is not None
    window.menus.dismiss_ghost_action.trigger()
    assert session.ghost is None

    # Esc, even from the setting just edited (where the focus is after an edit).
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    spin = window.inspector.parameters.spin_box(TOLERATION)
    spin.setFocus()
    clock[0] = 20.0
    spin.setValue(45)
    assert session.ghost is not None
    qtbot.keyClick(spin, Qt.Key.Key_Escape)
    assert session.ghost is None
    assert spin.value() == 45  # only the ghost went

    # Presentation mode leaves on Esc: there the menu item steps aside (no two shortcuts).
    clock[0] = 30.0
    window.document.set_parameter(TOLERATION, 50)
    action = window.menus.dismiss_ghost_action
    window.menus.presentation_action.setChecked(True)
    assert not action.isEnabled()
    window.menus.presentation_action.setChecked(False)
    assert action.isEnabled()


def test_another_lesson_clears_the_ghost_and_coming_back_does_not_bring_it(window):
    window.document.set_parameter(TOLERATION, 30)
    window.open_lesson("deployment")
    assert window.session.ghost is None
    window.open_lesson("fault-tolerance")
    assert window.session.ghost is None  # the edit is kept; the ghost is not
    window.session.controller.seek(window.session.controller.duration())
    assert _header(window, "container") == "recovered in 1 min 26.4 s"
    assert _chart(window).ghost_items() == []


# --- without a window: what an export with --compare calls -------------------------------------


def test_the_cluster_scene_alone_quotes_a_ghost(qapp):
    scene = ClusterScene()
    scene.set_timeline(_run(30))
    scene.set_ghost(_run(300))
    scene.show_time(_run(30).duration_s)
    assert scene.result_text("container") == "before 5 min 56.4 s → now 1 min 26.4 s"
    assert scene.comparison("container") == compare(_run(300), _run(30))["container"]
    scene.set_ghost(None)
    assert scene.result_text("container") == "recovered in 1 min 26.4 s"
    scene.deleteLater()


def test_a_chart_alone_draws_a_ghost_and_keeps_its_labels_apart(qtbot):
    chart = metrics.build(_run(30), "availability")
    view = ChartView()  # as ``vmc-gui export chart:...`` draws it
    qtbot.addWidget(view)
    view.resize(*view_size(chart))
    view.show()
    view.set_chart(chart)
    view.set_ghost(metrics.build(_run(300), "availability"))
    view.show_time(chart.duration_s)
    QApplication.processEvents()
    assert len(view.ghost_items()) == 2 and GHOST_NAME in view.legend_names()
    assert "before: recovered in 5 min 56.4 s" in _labels_apart(view)
    # A stacked chart (a world's hosts) gets one ghost line per world: its total.
    memory = metrics.build(_run(30), "memory")
    view.set_chart(memory)
    view.set_ghost(metrics.build(_run(300), "memory"))
    assert len(view.ghost_items()) == len(memory.panels) == 2
    view.set_ghost(None)
    assert view.ghost_items() == [] and GHOST_NAME not in view.legend_names()


@pytest.mark.parametrize("size", [(1000, 250), (720, 320)])  # the charts dock's sizes
def test_in_the_dock_the_ghost_labels_keep_apart_or_are_listed(qtbot, size):
    view = ChartView(compact=True)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    for ghost, now in ((300, 30), (30, 300)):
        view.set_chart(metrics.build(_run(now), "availability"))
        view.set_ghost(metrics.build(_run(ghost), "availability"))
        view.show_time(_run(now).duration_s)
        QApplication.processEvents()
        shown, listed = _labels_apart(view), view.listed_labels()
        assert len(shown) + len(listed) == len(view._tags)  # each on its plot, or listed
        # Only the containers' recovery moved: the VMs' marker is not drawn twice.
        ghosts = [name for name in shown + listed if name.startswith(f"{GHOST_NAME}: ")]
        assert ghosts == [f"{GHOST_NAME}: {_final(_run(ghost), 'container')}"]


def test_the_session_compares_with_other_settings(qtbot):
    session = LessonSession()
    session.show(session.lesson_document("fault-tolerance"), "fault-tolerance")
    seen = []
    session.ghost_changed.connect(seen.append)
    ghost = session.compare_with({TOLERATION: 30})
    assert ghost is session.ghost and seen == [ghost]
    assert ghost.scenario.parameters[TOLERATION] == 30
    assert session.controller.timeline().scenario.parameters[TOLERATION] == 300
    with pytest.raises(ParameterError):
        session.compare_with({TOLERATION: -1})
    assert session.ghost is ghost  # a bad value changes nothing
    session.dismiss_ghost()
    assert session.ghost is None and seen == [ghost, None]
