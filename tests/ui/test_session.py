"""The lesson session: documents kept per lesson, the one on show simulated, one clock."""

from __future__ import annotations

from vmc_gui.model.lessons import OVERVIEW
from vmc_gui.ui.document import ScenarioDocument
from vmc_gui.ui.panels.cluster_panel import ClusterPanel
from vmc_gui.ui.session import LessonSession


def test_a_lesson_keeps_its_document_and_its_edits(qtbot):
    session = LessonSession()
    failover = session.lesson_document("fault-tolerance")
    assert failover is not None and failover.scenario.name == "failover"
    assert session.lesson_document("fault-tolerance") is failover
    assert session.lesson_document("networking") is None  # a diagram-only lesson
    session.show(failover, "fault-tolerance")
    failover.set_parameter("vm.guest_boot_s", 90)
    session.show(session.lesson_document("deployment"), "deployment")
    assert session.lesson_document("fault-tolerance").scenario.parameters["vm.guest_boot_s"] == 90
    assert session.documents() == [failover, session.lesson_document("deployment")]


def test_the_document_on_show_is_simulated_and_again_after_an_edit(qtbot):
    session = LessonSession()
    document = session.lesson_document("fault-tolerance")
    shown = []
    session.document_changed.connect(shown.append)
    session.show(document, "fault-tolerance")
    assert shown == [document] and session.runs() and session.row().slug == "fault-tolerance"
    first = session.controller.timeline()
    assert first is not None and first.scenario is document.scenario
    session.controller.seek(120.0)
    with qtbot.waitSignal(session.scenario_changed):
        document.set_parameter("vm.guest_boot_s", 90)
    again = session.controller.timeline()
    assert again is not first and again.scenario.parameters["vm.guest_boot_s"] == 90
    assert session.controller.time() == 120.0  # the clock stays where it was


def test_undo_acts_on_the_document_on_show(qtbot):
    session = LessonSession()
    failover = session.lesson_document("fault-tolerance")
    storage = session.lesson_document("persistent-storage")
    session.show(failover, "fault-tolerance")
    failover.set_parameter("vm.guest_boot_s", 90)
    session.show(storage, "persistent-storage")
    assert not session.undo_group.canUndo()  # the storage lesson has no edit of its own
    session.show(failover, "fault-tolerance")
    session.undo_group.undo()
    assert failover.scenario.parameters["vm.guest_boot_s"] != 90


def test_the_matrix_is_shown_but_not_simulated(qtbot):
    session = LessonSession()
    session.show(session.lesson_document("fault-tolerance"), "fault-tolerance")
    timeline = session.controller.timeline()
    compat = session.lesson_document("guest-compatibility")
    session.show(compat, "guest-compatibility")
    assert session.document is compat and not session.runs()
    assert session.controller.timeline() is timeline  # the cluster keeps the last run
    session.show(None, OVERVIEW)
    assert session.document is None and session.row() is None


def test_forgetting_a_file_drops_its_history_unless_kept_elsewhere(qtbot):
    session = LessonSession()
    document = session.lesson_document("fault-tolerance")
    session.show(document, "fault-tolerance")
    session.keep("/tmp/failover.toml", document)
    session.forget("/tmp/failover.toml")
    assert document.undo_stack in session.undo_group.stacks()  # still the lesson's
    other = ScenarioDocument(document.scenario, parent=session)
    session.keep("/tmp/other.toml", other)
    session.show(other, "/tmp/other.toml")
    session.forget("/tmp/other.toml")
    assert other.undo_stack not in session.undo_group.stacks()


def test_a_cluster_panel_follows_its_session(qtbot):
    session = LessonSession()
    session.show(session.lesson_document("fault-tolerance"), "fault-tolerance")
    panel = ClusterPanel(session)
    qtbot.addWidget(panel)
    assert panel.controller is session.controller and panel.scenario.name == "failover"
    session.show(session.lesson_document("deployment"), "deployment")
    assert panel.scenario.name == "scale-out"
    session.show(session.lesson_document("guest-compatibility"), "guest-compatibility")
    assert panel.scenario.name == "scale-out"  # the matrix does not run: the panel keeps its run
