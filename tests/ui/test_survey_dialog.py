"""Simulation > What Survives Which Failure…: the survey off the GUI thread with its progress
and Cancel, each world's table, and a row's failure added to the scenario (issue 21, §4)."""

from __future__ import annotations

import re
import threading

import pytest
from PySide6.QtCore import Qt

from tests.sim.survey_cases import cluster_scenario, hosts, web
from tests.ui.main_windows import shown_window
from vmc_gui.model.events import HostFail, RackFail
from vmc_gui.model.scenario_toml import dumps_scenario
from vmc_gui.sim.survey import SurveyCancelled
from vmc_gui.ui.shell import survey_dialog
from vmc_gui.ui.shell.survey_dialog import SurveyDialog

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen


@pytest.fixture
def window(qtbot, tmp_path):
    return _window(qtbot, tmp_path)


def _window(qtbot, tmp_path, *, check_table: bool = False):
    """The app on six 12 GB hosts in two racks, two 4 GB replicas on each: a host's failure is
    survived (each host left has room for one more), a rack's is not (its six need room, the
    three hosts left have it for three)."""
    path = tmp_path / "tight.toml"
    scenario = cluster_scenario(hosts(6, 12, racks=2), [web(12, 4)])
    path.write_text(dumps_scenario(scenario))
    window = shown_window(qtbot, tmp_path)
    if check_table:  # nothing runs on the comparison table: nothing to survey
        assert not window.menus.survey_action.isEnabled()
    assert window.open_file(path)
    return window


def _survey_from_the_menu(window, qtbot) -> SurveyDialog:
    action = window.menus.survey_action
    assert action.isEnabled()
    assert action in window.menus.simulation_menu.actions()
    action.trigger()
    (dialog,) = [d for d in window.findChildren(SurveyDialog) if d.isVisible()]
    return dialog


def test_the_menu_runs_the_survey_shows_each_worlds_table_and_fails_a_row(qtbot, tmp_path):
    window = _window(qtbot, tmp_path, check_table=True)
    window.seek(30.0)
    before = window.document.scenario
    dialog = _survey_from_the_menu(window, qtbot)
    qtbot.waitUntil(lambda: dialog.survey is not None, timeout=20_000)
    assert dialog.pages.currentIndex() == 1
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "VM world: Hyper-V failover cluster",
        "Container world: Kubernetes-style orchestrator",
    ]
    table = dialog.tables["vm"]
    assert table.rowCount() == 6 + 2  # every host and both racks
    # The failures that leave replicas pending come first: the racks, 6 replicas each, of
    # which the 12 GB hosts left (4 GB free each) take 3.
    assert table.item(0, 0).text().startswith("rack ")
    assert table.item(0, 3).text() == "3"
    assert table.item(0, 4).text() == "3 pending: web \u00d73"
    assert table.item(0, 5).text() == "never, within the watch"
    # A survived host: full capacity, and a time where it was simulated.
    hosts_rows = [r for r in range(table.rowCount()) if table.item(r, 0).text().startswith("host")]
    assert {table.item(r, 4).text() for r in hosts_rows} == {"full capacity"}
    times = [table.item(r, 5).text() for r in hosts_rows]
    assert any(re.fullmatch(r"4 min 5\d\.\d s", text) for text in times), times
    assert "not simulated" in times
    assert table.item(0, 0).toolTip()
    assert dialog.fail_button.isEnabled() and dialog.fail_button.isDefault()

    # Fail Now: the row's failure at the playback clock's time, in every world.
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "rack 2")
    table.selectRow(row)
    with qtbot.waitSignal(dialog.failure_added) as added:
        dialog.fail_now()
    assert added.args == ["rack=2@30"]
    assert window.document.scenario.events == (RackFail(30.0, 2),)
    assert "Rack 2 fails at 30.0 s in every world" in dialog.status.text()
    # A double-click on a host's row adds that one too; the dialog stays open for the next.
    host_row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "host h1")
    table.selectRow(host_row)
    rect = table.visualItemRect(table.item(host_row, 0))
    # As a person double-clicks: a click, then the second press that makes it double.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.document.scenario.events == (RackFail(30.0, 2), HostFail(30.0, "h1"))
    assert dialog.isVisible()
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert window.document.scenario == before
    dialog.close()


def test_cancel_stops_the_survey_and_changes_nothing(window, qtbot, monkeypatch):
    started = threading.Event()
    stopped = threading.Event()

    def blocked(scenario, cancel, progress):
        started.set()
        progress(1, 30, "rack 1")
        cancel.wait()  # a survey that runs until it is cancelled
        stopped.set()
        raise SurveyCancelled

    monkeypatch.setattr(survey_dialog, "_survey", blocked)
    before = window.document.scenario
    dialog = _survey_from_the_menu(window, qtbot)
    assert started.wait(5)
    qtbot.waitUntil(lambda: dialog.progress_bar.maximum() == 30)
    assert dialog.pages.currentIndex() == 0 and dialog.cancel_button.isVisible()
    assert "rack 1" in dialog.progress_detail.text()
    job = dialog.job
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert stopped.wait(5) and job.cancelled
    qtbot.waitUntil(job.done.is_set)
    assert window.document.scenario == before

    # An error in the survey: shown, and the app goes on.
    def broken(scenario, cancel, progress):
        raise RuntimeError("the survey broke")

    shown = []
    monkeypatch.setattr(survey_dialog, "_survey", broken)
    monkeypatch.setattr(window, "show_error", lambda title, text: shown.append((title, text)))
    _survey_from_the_menu(window, qtbot)
    qtbot.waitUntil(lambda: bool(shown))
    assert shown == [("The survey failed", "the survey broke")]
    assert not [d for d in window.findChildren(SurveyDialog) if d.isVisible()]
