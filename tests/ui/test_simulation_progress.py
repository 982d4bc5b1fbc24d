"""Simulating off the GUI thread: the progress dialog of a long run, Cancel, and no dialog
for a quick one.

A run is made slow deterministically: a stand-in for the simulation that waits on an event
the test sets (from the dialog's ``dialog_shown``, which fires inside the wait)."""

from __future__ import annotations

import gc
import io
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QProgressDialog, QPushButton

from vmc_gui.model.library import bundled_text
from vmc_gui.model.scenario import Scenario, World
from vmc_gui.sim import simulate
from vmc_gui.sim.simulate import Progress, ProgressCallback
from vmc_gui.sim.timeline import Timeline
from vmc_gui.ui import headless
from vmc_gui.ui.shell import simulation_progress
from vmc_gui.ui.shell.simulation_progress import SimulationJob, describe

from .main_windows import shown_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

BOOT = "vm.guest_boot_s"
TOLERATION = "kubernetes.default_unreachable_toleration_s"
#: Long enough for any wait that ends as soon as the test sets its event; a hang fails.
NEVER_S = 60.0


class SlowRun:
    """A simulation that reports it is placing the first world, then waits for
    :attr:`release` before it runs for real (reporting again: a cancelled run stops there)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.finished = threading.Event()

    def __call__(self, scenario: Scenario, progress: ProgressCallback) -> Timeline:
        try:
            worlds = len(scenario.worlds)
            progress(Progress(scenario.worlds[0], 0, worlds, 0.0, scenario.duration_s, True))
            assert self.release.wait(NEVER_S)
            progress(Progress(scenario.worlds[0], 0, worlds, 60.0, scenario.duration_s))
            return simulate(scenario, progress)
        finally:
            self.finished.set()


@pytest.fixture
def slow(monkeypatch, qtbot) -> SlowRun:
    run = SlowRun()
    monkeypatch.setattr(simulation_progress, "_simulate", run)
    yield run
    run.release.set()  # a cancelled run's worker ends too, and the collector comes back
    assert run.finished.wait(NEVER_S)
    qtbot.waitUntil(simulation_progress.resume_collector)
    assert gc.isenabled()


@pytest.fixture
def window(qtbot, tmp_path):
    return shown_window(qtbot, tmp_path)


@pytest.fixture
def failover_file(tmp_path) -> Path:
    path = tmp_path / "my-failover.toml"
    path.write_bytes(bundled_text("failover"))
    return path


def _cancel_when_shown(window, seen: list[str]) -> None:
    def cancel(dialog: QProgressDialog) -> None:
        seen.append(dialog.labelText())
        dialog.findChild(QPushButton).click()

    window.simulation.dialog_shown.connect(cancel)


def test_a_slow_run_shows_its_progress_and_then_its_scenario(window, slow, failover_file):
    seen: list[str] = []

    def shown(dialog: QProgressDialog) -> None:
        seen.append(dialog.labelText())
        assert dialog.isVisible() and dialog.isModal()
        assert not gc.isenabled()  # while a worker runs (see simulation_progress)
        slow.release.set()

    window.simulation.dialog_shown.connect(shown)
    assert window.open_file(failover_file)  # waits, with the window live, until the run is in
    assert seen == ["Simulating 12 hosts…\nworld 1 of 2 (VM world): placing 8 replicas"]
    assert window.document is not None and window.document.path == failover_file
    timeline = window.session.controller.timeline()
    assert timeline is not None and timeline.scenario is window.document.scenario
    assert not [d for d in window.findChildren(QProgressDialog) if d.isVisible()]
    assert gc.isenabled()


def test_cancel_keeps_the_scenario_on_show_and_opens_nothing(window, slow, failover_file, qtbot):
    slow.release.set()  # the first lesson opens at once
    window.open_lesson("fault-tolerance")
    slow.release.clear()
    document, timeline = window.document, window.session.controller.timeline()
    title, documents = window.windowTitle(), window.session.documents()
    seen: list[str] = []
    _cancel_when_shown(window, seen)
    assert not window.open_file(failover_file)
    assert len(seen) == 1
    assert window.document is document and window.session.controller.timeline() is timeline
    assert window.lesson == "fault-tolerance" and window.windowTitle() == title
    assert window.session.documents() == documents  # the file was not kept
    assert failover_file not in window.settings.recent_files()
    assert window.lesson_chooser.currentData() == "fault-tolerance"
    assert "cancelled" in window.statusBar().currentMessage()
    # The cancelled run goes on to its next report with the garbage collector off (a
    # collection in the worker would finalize Qt objects there); after it, it is back on.
    assert not gc.isenabled()
    slow.release.set()
    qtbot.waitUntil(gc.isenabled)


def test_cancelling_a_lesson_leaves_the_list_on_the_lesson_on_show(window, slow):
    slow.release.set()  # the first lesson opens at once
    window.open_lesson("fault-tolerance")
    slow.release.clear()
    _cancel_when_shown(window, [])
    window.open_lesson("deployment")
    assert window.lesson == "fault-tolerance"
    assert window.lesson_chooser.currentData() == "fault-tolerance"


def test_a_cancelled_edit_is_taken_back_and_can_be_redone(window, slow, qtbot):
    slow.release.set()
    window.open_lesson("fault-tolerance")
    document, session = window.document, window.session
    before, timeline = document.scenario, session.controller.timeline()
    slow.release.clear()
    _cancel_when_shown(window, [])
    document.set_parameter(BOOT, 90)
    qtbot.waitUntil(lambda: document.scenario == before)
    assert session.controller.timeline() is timeline and session.ghost is None
    assert document.undo_stack.canRedo() and not document.undo_stack.canUndo()
    assert window.inspector.parameters.spin_box(BOOT).value() == before.parameters[BOOT]
    qtbot.waitUntil(lambda: "cancelled" in window.statusBar().currentMessage())
    # Nothing lost: the edit is there to redo, and this time it runs.
    window.simulation.dialog_shown.disconnect()
    slow.release.set()
    document.undo_stack.redo()
    assert document.scenario.parameters[BOOT] == 90
    assert session.controller.timeline().scenario is document.scenario
    assert session.ghost is timeline


def test_undo_takes_a_run_at_hand_and_a_cancelled_undo_is_redone(window, slow, qtbot):
    slow.release.set()
    window.open_lesson("fault-tolerance")
    document, session = window.document, window.session
    document.set_parameter(BOOT, 90)
    document.set_parameter(TOLERATION, 30)  # another setting: a step of its own
    after_both = session.controller.timeline()
    after_boot = session.ghost
    assert document.undo_stack.count() == 2
    # The run before the last step is the ghost: Undo takes it, with nothing to simulate.
    slow.release.clear()
    slow.finished.clear()
    document.undo_stack.undo()
    assert session.controller.timeline() is after_boot and session.ghost is after_both
    assert not slow.finished.is_set()
    # The run before the first step is not at hand: Undo simulates, and is cancelled.
    _cancel_when_shown(window, [])
    document.undo_stack.undo()
    qtbot.waitUntil(lambda: document.undo_stack.index() == 1)
    assert document.scenario == after_boot.scenario
    assert session.controller.timeline() is after_boot and session.ghost is after_both
    assert document.undo_stack.canUndo() and document.undo_stack.canRedo()


def test_a_quick_lesson_opens_with_no_dialog(window):
    shown: list[QProgressDialog] = []
    window.simulation.dialog_shown.connect(shown.append)
    window.open_lesson("fault-tolerance")
    assert window.document is not None and window.session.runs()
    assert window.session.controller.timeline().scenario is window.document.scenario
    assert shown == [] and window.findChildren(QProgressDialog) == []


def test_the_dialog_says_how_far_the_run_has_got():
    from vmc_gui.model.library import resolve

    scenario = resolve("failover")
    assert describe(scenario, Progress(World.CONTAINER, 1, 2, 200.0, 600.0)) == (
        "Simulating 12 hosts…\nworld 2 of 2 (Container world): 3 min 20 s of 10 min"
    )


def test_a_job_hands_its_error_to_the_thread_waiting_for_it(monkeypatch):
    def broken(scenario: Scenario, progress: ProgressCallback) -> Timeline:
        raise RuntimeError("the model broke")

    monkeypatch.setattr(simulation_progress, "_simulate", broken)
    from vmc_gui.model.library import resolve

    job = SimulationJob(resolve("failover")).start()
    assert job.done.wait(NEVER_S)
    with pytest.raises(RuntimeError, match="the model broke"):
        job.result()


class _Lines(io.StringIO):
    """stderr for a test: says when the first line is written."""

    def __init__(self) -> None:
        super().__init__()
        self.written = threading.Event()

    def write(self, text: str) -> int:
        self.written.set()
        return super().write(text)


def test_the_command_line_reports_a_long_run_on_stderr(monkeypatch):
    from vmc_gui.model.library import resolve

    err = _Lines()

    def slow_until_reported(scenario: Scenario, progress: ProgressCallback) -> Timeline:
        progress(Progress(World.VM, 0, 2, 0.0, 600.0, placing=True))
        assert err.written.wait(NEVER_S)  # the waiting thread reported it
        return simulate(scenario, progress)

    monkeypatch.setattr(simulation_progress, "_simulate", slow_until_reported)
    monkeypatch.setattr(headless, "REPORT_EVERY_S", 0.01)
    timeline = headless.simulate_reporting(resolve("failover"), err)
    assert timeline.digest == simulate(resolve("failover")).digest
    assert err.getvalue().splitlines()[0] == (
        "simulating 12 hosts: world 1 of 2 (vm), placing its replicas"
    )


def test_a_quick_run_on_the_command_line_says_nothing():
    from vmc_gui.model.library import resolve

    err = io.StringIO()
    headless.simulate_reporting(resolve("failover"), err)
    assert err.getvalue() == ""


# --- the stand-alone cluster window (vmc-gui show cluster:SCENARIO) -------------------------


@pytest.fixture
def cluster_window(qtbot):
    from vmc_gui.model.library import resolve
    from vmc_gui.ui.windows import ClusterWindow

    window = ClusterWindow(resolve("failover"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_cluster_window_opens_before_its_run_and_shows_its_progress(cluster_window, slow):
    window = cluster_window
    assert window.session.controller.timeline() is None  # on screen, not yet simulated
    seen: list[str] = []

    def shown(dialog: QProgressDialog) -> None:
        seen.append(dialog.labelText())
        assert dialog.isVisible() and dialog.isModal() and dialog.parent() is window
        slow.release.set()

    window.simulation.dialog_shown.connect(shown)
    assert window.start()
    assert seen == ["Simulating 12 hosts…\nworld 1 of 2 (VM world): placing 8 replicas"]
    timeline = window.session.controller.timeline()
    assert timeline is not None and timeline.scenario.name == "failover"
    assert window.panel.scene.timeline() is timeline
    assert window.isVisible()


def test_cancelling_the_cluster_windows_run_closes_it(cluster_window, slow):
    window = cluster_window
    seen: list[str] = []
    _cancel_when_shown(window, seen)
    assert not window.start()
    assert len(seen) == 1
    assert not window.isVisible()
    assert window.session.controller.timeline() is None
