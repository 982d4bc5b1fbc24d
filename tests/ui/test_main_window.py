"""The application window: the table first, lessons, settings with undo, files, menus, and
what happens when something goes wrong."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage, QTextDocument
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QPushButton

from vmc_gui.model.lessons import OVERVIEW, ROWS, View
from vmc_gui.model.library import bundled_text, resolve
from vmc_gui.model.loader import MAX_FILE_BYTES, load_scenario
from vmc_gui.model.parameters import PARAMETERS
from vmc_gui.model.scenario import EventKind, World
from vmc_gui.ui import export
from vmc_gui.ui.charts.charts_panel import TAB_NAMES
from vmc_gui.ui.shell.animation_dialog import AnimationDialog
from vmc_gui.ui.shell.crash_log import CrashLog
from vmc_gui.ui.shell.export_dialog import ExportDialog
from vmc_gui.ui.shell.import_dialog import ImportDialog
from vmc_gui.ui.shell.main_window import MainWindow
from vmc_gui.ui.shell.survey_dialog import SurveyDialog
from vmc_gui.ui.theme import DARK

# Shown offscreen, every top-level window says its platform cannot pass size hints on.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _settings(folder: Path) -> QSettings:
    return QSettings(str(folder / "vmc-gui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, tmp_path):
    window = MainWindow(_settings(tmp_path))
    qtbot.addWidget(window)
    asked = []
    # Closing with unsaved changes asks first; a test answers "discard" (and may check it).
    window.confirm_discard = lambda document: asked.append(document) or True
    window.asked_to_discard = asked
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def failover_file(tmp_path) -> Path:
    path = tmp_path / "my-failover.toml"
    path.write_bytes(bundled_text("failover"))
    return path


def test_a_file_naming_a_retired_setting_opens_and_says_what_it_ignored(window, tmp_path):
    old = tmp_path / "saved-by-0.1.0.toml"
    text = bundled_text("failover").decode()
    old.write_text(text + '\n[parameters]\n"kubernetes.node_status_update_frequency_s" = 4\n')
    assert window.open_file(old)
    message = window.statusBar().currentMessage()
    assert "ignoring a retired setting" in message and "node_lease_duration_s" in message


def _container_stopwatch(window: MainWindow) -> str:
    cluster = window.page.cluster
    assert cluster is not None
    text = cluster.scene.stopwatch_text(World.CONTAINER, cluster.controller.time())
    return text.split("  ·  ")[0]  # the result; the phases follow


# --- the first screen and the lessons ---


def test_the_app_opens_on_the_comparison_table(window):
    assert window.pages.currentWidget() is window.table
    table = window.table.table
    assert table.rowCount() == 9
    assert [table.item(r, 0).text() for r in range(9)] == [r.feature for r in ROWS.values()]
    assert "rapidly recreated" in table.item(7, 2).text()
    assert window.lesson == OVERVIEW
    assert not window.menus.play_action.isEnabled()  # nothing runs on the table


def test_a_click_on_a_cell_opens_the_lesson_for_that_row_and_side(window, qtbot):
    table = window.table.table
    row = list(ROWS).index("fault-tolerance")
    rect = table.visualRect(table.model().index(row, 2))
    table.scrollTo(table.model().index(row, 2))
    rect = table.visualRect(table.model().index(row, 2))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.pages.currentWidget() is window.page
    assert window.lesson == "fault-tolerance"
    assert window.document.scenario.name == "failover"
    text = window.inspector.explanation_text()
    # The container side was clicked: its words come first, and say so.
    assert text.index("Container (you clicked this side)") < text.index("Virtual machine")
    assert window.lessons.currentItem().text() == "8. Fault tolerance"


@pytest.mark.parametrize("slug", list(ROWS))
def test_each_lesson_shows_its_diagram_its_scenario_and_its_charts(window, slug):
    row = ROWS[slug]
    window.open_lesson(slug)
    page = window.page
    assert page.diagram.scene._name == row.diagram
    assert page.title.text() == row.feature
    # The lesson's main view fills the page, on the first tab; no view is a thumbnail.
    assert page.showing(row.main_view) and page.views.currentIndex() == 0
    assert page.views.currentWidget().isVisible()
    if not row.scenario:
        assert page.views.count() == 1 and not page.views.tabBar().isVisible()
        assert window.charts_stack.currentWidget() is window.charts_placeholder
        assert "nothing to chart" in window.charts_placeholder.text()
        assert window.charts_dock.isHidden()  # room for the diagram
        return
    assert window.document.scenario.name == row.scenario
    if window.document.scenario.compat is not None:
        compat = page.compat
        assert page.showing(View.MATRIX) and compat.isVisible()
        compat.pick("windows-server-2025", "windows-server-2019")
        answers = compat.answers()
        assert answers[World.HYPERV_CONTAINER].value == "hyperv-isolation-only"
        assert answers[World.CONTAINER].value == "refused"  # Kubernetes has no Hyper-V
        # The inspector names each runtime's source.
        assert "kubernetes.io/docs/concepts/windows" in window.inspector.explanation.toHtml()
        assert "only with Hyper-V isolation" in window.inspector.explanation_text()
        assert window.charts_dock.isHidden()  # nothing runs: no charts
        return
    cluster = page.cluster
    assert page.has(View.CLUSTER) and page.has(View.DIAGRAM)
    assert cluster.scenario.name == row.scenario
    assert window.charts_stack.currentWidget() is window.charts
    # The lesson's own charts, its first on show; a chart that says nothing is not offered.
    offered = [window.charts.tabs.tabText(i) for i in range(window.charts.tabs.count())]
    assert offered == [TAB_NAMES[m] for m in row.charts]
    assert window.charts_dock.isVisible() == bool(row.charts)
    if row.charts:
        assert window.charts.current() is window.charts.views()[row.charts[0]]
    assert cluster.controller.speed() == row.speed and cluster.controller.follows_story()
    timeline = cluster.controller.timeline()
    assert timeline.scenario.name == row.scenario
    assert set(window.inspector.parameters.rows()) >= set(row.key_settings)


def test_a_lesson_keeps_its_edits_when_the_user_comes_back(window):
    window.open_lesson("fault-tolerance")
    window.document.set_parameter("kubernetes.default_unreachable_toleration_s", 5)
    window.open_lesson("load-balancing")
    # Only the lesson's own setting (the descheduler installed), not the other lesson's edit.
    assert window.document.scenario.parameters.overrides == {"descheduler.interval_s": 120}
    window.open_lesson("fault-tolerance")
    assert window.document.scenario.parameters["kubernetes.default_unreachable_toleration_s"] == 5
    assert window.menus.undo_action.isEnabled()


# --- settings, undo and redo -------------------------------------------------------------------


def test_a_parameter_edit_changes_the_stopwatch_and_undo_restores_it(window):
    window.open_lesson("fault-tolerance")
    window.page.cluster.controller.seek(500.0)
    before = _container_stopwatch(window)
    assert before == "recovered in 5 min 56.4 s"
    editor = window.inspector.parameters
    editor.spin_box("kubernetes.default_unreachable_toleration_s").setValue(5)
    after = _container_stopwatch(window)
    assert after != before and after.startswith("recovered in")
    assert editor.rows()["kubernetes.default_unreachable_toleration_s"].reset.isEnabled()
    assert window.isWindowModified()
    window.menus.undo_action.trigger()
    assert _container_stopwatch(window) == before
    assert editor.spin_box("kubernetes.default_unreachable_toleration_s").value() == 300
    window.menus.redo_action.trigger()
    assert _container_stopwatch(window) == after


def test_open_source_opens_the_selected_settings_source(window, qtbot, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(
        "vmc_gui.ui.panels.parameter_editor.QDesktopServices.openUrl",
        lambda url: opened.append(url.toString()) or True,
    )
    window.open_lesson("fault-tolerance")
    editor = window.inspector.parameters
    assert not editor.open_button.isEnabled()  # nothing selected yet
    name = "kubernetes.node_monitor_grace_period_s"
    editor.spin_box(name).setFocus()
    qtbot.waitUntil(lambda: editor.selected_name == name)
    assert editor.open_button.isEnabled()
    assert "kube-controller-manager" in editor.open_button.toolTip()
    editor.open_button.click()
    assert opened == [PARAMETERS[name].source_url]
    # The "source" link beside a name opens that setting's source and selects it.
    other = "hyperv.same_subnet_delay_ms"
    editor.rows()[other].name.linkActivated.emit(PARAMETERS[other].source_url)
    assert opened[-1] == PARAMETERS[other].source_url and editor.selected_name == other


def test_the_lesson_text_names_its_sources_as_links(window, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(
        "vmc_gui.ui.panels.inspector.QDesktopServices.openUrl",
        lambda url: opened.append(url.toString()) or True,
    )
    window.open_lesson("fault-tolerance")
    text = window.inspector.explanation_text()
    assert "Sources" in text and "kube-controller-manager" in text
    html = window.inspector.explanation.toHtml()
    grace = PARAMETERS["kubernetes.node_monitor_grace_period_s"].source_url
    assert grace in html
    window.inspector.explanation.anchorClicked.emit(QUrl(grace))
    assert opened == [grace]
    assert not window.inspector.open_link(QUrl("file:///etc/passwd"))  # web links only


def test_the_default_button_puts_a_setting_back(window):
    window.open_lesson("fault-tolerance")
    window.document.set_parameter("vm.guest_boot_s", 90)
    window.inspector.parameters.rows()["vm.guest_boot_s"].reset.click()
    assert "vm.guest_boot_s" not in window.document.scenario.parameters.overrides or (
        window.document.scenario.parameters["vm.guest_boot_s"] == 45
    )
    assert window.inspector.parameters.spin_box("vm.guest_boot_s").value() == 45


def test_an_injected_failure_is_undone_like_an_edit(window):
    window.open_lesson("fault-tolerance")
    window.page.cluster.controller.seek(20.0)
    window.fail_host("r2-h01")
    events = window.document.scenario.events
    assert any(e.host == "r2-h01" and e.kind is EventKind.HOST_FAIL for e in events)
    assert window.page.cluster.scene.card("vm", "r2-h01").status != 0
    window.menus.undo_action.trigger()
    assert not any(e.host == "r2-h01" for e in window.document.scenario.events)
    window.page.cluster.controller.seek(20.0, force=True)
    assert window.page.cluster.scene.card("vm", "r2-h01").status == 0


# --- files ---


def test_a_bad_file_is_explained_and_the_current_scenario_kept(window, tmp_path):
    window.open_lesson("fault-tolerance")
    window.document.set_parameter("vm.guest_boot_s", 60)
    kept = window.document.scenario
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "x"\ntitle = "X"\nduration_s = "long"\n')
    assert not window.open_file(bad)
    assert window.error_dialog is not None and window.error_dialog.isVisible()
    assert "bad.toml:4" in window.error_dialog.text()
    assert window.document.scenario is kept
    assert window.page.cluster.scenario is kept
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    assert not window.open_file(huge)
    assert "huge.toml" in window.error_dialog.text()
    assert not window.open_file(tmp_path / "missing.toml")
    assert window.document.scenario is kept


def test_save_as_writes_a_file_that_opens_to_the_same_scenario(window, tmp_path, monkeypatch):
    window.open_lesson("fault-tolerance")
    window.document.set_parameter("kubernetes.node_monitor_grace_period_s", 20)
    window.page.cluster.controller.seek(30.0)
    window.fail_host("r3-h02")
    target = tmp_path / "saved"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Scenarios (*.toml)")
    )
    window.menus.save_as_action.trigger()
    written = tmp_path / "saved.toml"
    assert load_scenario(written) == window.document.scenario
    assert not window.isWindowModified()
    assert window.document.path == written


def test_a_failing_save_keeps_the_old_file_and_says_why(window, failover_file, monkeypatch):
    old = failover_file.read_bytes()
    assert window.open_file(failover_file)
    window.document.set_parameter("vm.guest_boot_s", 61)

    class FullDisk(export.QSaveFile):  # the disk fills up as the new file is committed
        def commit(self) -> bool:
            self.cancelWriting()
            return False

    monkeypatch.setattr(export, "QSaveFile", FullDisk)
    window.menus.save_action.trigger()
    assert failover_file.read_bytes() == old
    assert "Cannot save" in window.error_dialog.windowTitle()
    assert "unchanged" in window.error_dialog.text()
    assert window.isWindowModified()  # still unsaved
    assert not list(failover_file.parent.glob("*.tmp*"))  # no debris beside it


def test_a_dropped_toml_file_opens(window, qtbot, failover_file):
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(failover_file))])
    event = QDropEvent(
        QPointF(200, 200),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert event.isAccepted()
    qtbot.waitUntil(lambda: window.document is not None and window.document.path is not None)
    assert window.document.path == failover_file


# --- settings persist ---


def test_settings_persist_across_two_windows(qtbot, tmp_path, failover_file):
    first = MainWindow(_settings(tmp_path))
    qtbot.addWidget(first)
    first.show()
    first.set_theme("dark")
    first.open_file(failover_file)
    first.charts_dock.toggleViewAction().trigger()  # the user closes the charts
    assert first.charts_dock.isHidden()
    first.open_overview()
    first.resize(790, 560)  # within the offscreen screen, which restoring clamps to
    size = first.size()
    first.close()

    second = MainWindow(_settings(tmp_path))
    qtbot.addWidget(second)
    second.show()
    assert second.menus.dark_action.isChecked()
    assert QApplication.palette().window().color() == DARK.background
    assert second.settings.recent_files() == [failover_file.resolve()]
    assert second.size() == size
    assert second.charts_dock.isHidden()  # on the table, and ...
    second.open_lesson("fault-tolerance")
    assert second.charts_dock.isHidden()  # ... on a lesson: the user closed them
    second.set_theme("light")  # the application palette is shared by every test


# --- when something goes wrong ---


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_logged_and_the_app_runs_on(window, tmp_path):
    log = tmp_path / "log" / "vmc-gui.log"
    crash = CrashLog(log, lambda: window)
    crash.install()
    try:
        button = QPushButton("break", window)

        def broken() -> None:
            raise ZeroDivisionError("a bug in a slot")

        button.clicked.connect(broken)
        window.open_lesson("fault-tolerance")
        button.click()  # Qt calls the slot; the exception goes to sys.excepthook
        text = log.read_text()
        assert "ZeroDivisionError: a bug in a slot" in text
        assert "Traceback" in text and "in broken" in text
        assert crash.dialog is not None and crash.dialog.isVisible()
        assert "keeps running" in crash.dialog.text()
        button.click()  # a second error is logged, without a second dialog
        assert log.read_text().count("ZeroDivisionError: a bug in a slot") == 2
        assert crash.count == 2
        # The app goes on, with the user's scenario.
        assert window.document.scenario.name == "failover"
        window.page.cluster.controller.seek(100.0)
        assert window.page.cluster.controller.time() == 100.0
        crash.dialog.close()
    finally:
        crash.uninstall()
    assert sys.excepthook is not crash.handle


def test_vmc_gui_smoke_paints_the_window_and_exits(tmp_path, failover_file):
    env = {
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),
        "VMC_GUI_LOG": str(tmp_path / "log.txt"),
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }
    for args in (
        [],
        ["open"],  # the desktop launcher's 'vmc-gui open %f' with no file: the table
        ["open", str(failover_file)],
        ["open", str(tmp_path / "missing.toml")],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "vmc_gui.cli", "--smoke", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "propagateSizeHints" not in done.stderr  # the offscreen platform's notes
        seconds = float(done.stdout.strip().splitlines()[-1])
        assert 0 < seconds < 60


# --- every menu action ---


def _menu_actions(window: MainWindow) -> dict[str, object]:
    found = {}
    for menu in window.menuBar().findChildren(QMenu):
        menu.aboutToShow.emit()  # menus filled on opening fill themselves
        for action in menu.actions():
            if action.isSeparator() or action.menu() is not None:
                continue
            found[f"{menu.title()}/{action.text()}"] = action
    return found


def test_every_menu_action_does_what_it_says(window, qtbot, tmp_path, monkeypatch, failover_file):
    window.settings.add_recent(failover_file)
    picked = {"open": str(failover_file), "save": str(tmp_path / "out.toml")}
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (picked["open"], ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (picked["save"], ""))
    checked: set[str] = set()

    def run(name: str) -> None:
        """Trigger the menu item called ``name`` ("Menu/Item"; Undo's text goes on to say
        what it undoes, so a name matches the start of the item's text)."""
        current = _menu_actions(window)
        visible = {k.replace("&", "").split("\t")[0]: k for k in current}
        key = visible.get(name) or next(v for k, v in visible.items() if k.startswith(name + " "))
        current[key].trigger()
        checked.add(visible_name(key))

    def visible_name(key: str) -> str:
        return key.replace("&", "").split("\t")[0].split(" Set ")[0]

    # File
    run("File/Open…")
    assert window.document.path == failover_file
    window.open_overview()
    run("Open Recent/1 my-failover.toml")
    assert window.document.path == failover_file and window.pages.currentWidget() is window.page
    window.document.set_parameter("vm.guest_boot_s", 50)
    run("File/Save")
    assert load_scenario(failover_file).parameters["vm.guest_boot_s"] == 50
    run("File/Save As…")
    assert load_scenario(tmp_path / "out.toml") == window.document.scenario
    window.page.cluster.view.setFocus()
    run("File/Export View…")  # the export dialog (tests/ui/test_export_dialog.py)
    (dialog,) = [d for d in window.findChildren(ExportDialog) if d.isVisible()]
    assert "cluster" in dialog.target.currentText()
    dialog.path.setText(str(tmp_path / "view.png"))
    dialog.accept()
    assert QImage(str(tmp_path / "view.png")).width() > 1000  # the cluster, at 2x
    run("File/Export Window…")
    (dialog,) = [d for d in window.findChildren(ExportDialog) if d.isVisible()]
    assert dialog.target.currentData() == "window"
    dialog.format.setCurrentIndex(dialog.format.findData("svg"))
    dialog.path.setText(str(tmp_path / "window.svg"))
    dialog.accept()
    assert "<svg" in (tmp_path / "window.svg").read_text()
    run("File/Export Animation…")  # tests/ui/test_animation_dialog.py
    (animation,) = [d for d in window.findChildren(AnimationDialog) if d.isVisible()]
    assert animation.current_target().key == "cluster"
    animation.reject()
    run("File/Import Cluster…")  # tests/ui/test_import_dialog.py
    (importer,) = [d for d in window.findChildren(ImportDialog) if d.isVisible()]
    assert importer.import_button.isVisible() and not importer.open_button.isVisible()
    importer.reject()
    run("Open Recent/Clear the List")
    assert window.settings.recent_files() == []

    # Edit
    run("Edit/Undo")
    assert window.document.scenario.parameters["vm.guest_boot_s"] == 45
    run("Edit/Redo")
    assert window.document.scenario.parameters["vm.guest_boot_s"] == 50

    # Simulation
    controller = window.page.cluster.controller
    run("Simulation/Play")
    assert controller.is_playing()
    run("Simulation/Pause")
    assert not controller.is_playing()
    controller.seek(0.0)
    run("Simulation/Next Event")
    first = controller.time()
    assert first > 0
    run("Simulation/Next Event")
    assert controller.time() > first
    run("Simulation/Previous Event")
    assert controller.time() == first
    run("Simulation/Next Chapter")
    chapter = controller.time()
    assert chapter in [c.start_s for c in controller.chapters()] and chapter > first
    run("Simulation/Previous Chapter")
    assert controller.time() < chapter
    assert controller.stops_at_chapters()  # on by default
    run("Simulation/Stop at Each Chapter")
    assert not controller.stops_at_chapters() and not window.settings.stops_at_chapters()
    run("Simulation/Stop at Each Chapter")
    assert controller.stops_at_chapters()
    for speed in ("1x", "2x", "5x", "10x", "30x", "100x", "300x", "1000x"):
        run(f"Speed/{speed}")
        assert controller.speed() == float(speed[:-1])
    controller.seek(30.0)
    window.menus.fail_menu.aboutToShow.emit()
    hosts = [visible_name(k) for k in _menu_actions(window) if "Fail a Host/" in k]
    assert "Fail a Host/r1-h01" in hosts  # every host that is up is listed
    run("Fail a Host/r2-h03")
    assert any(e.host == "r2-h03" for e in window.document.scenario.events)
    run("Simulation/Reset Scenario")
    assert window.document.scenario == window.document.original
    assert controller.time() == 0.0
    assert window.session.ghost is not None  # the run reset away, faded beside the new one
    run("Simulation/Dismiss Before")
    assert window.session.ghost is None
    run("Simulation/What Survives Which Failure…")  # tests/ui/test_survey_dialog.py
    (survey,) = [d for d in window.findChildren(SurveyDialog) if d.isVisible()]
    assert survey.scenario == window.document.scenario
    survey.reject()  # Cancel: the survey stops, nothing changes
    assert window.document.scenario == window.document.original
    checked.update(hosts)  # one host stands for every other

    # View
    assert window.page.showing(View.CLUSTER)
    run("View/Next View")
    assert window.page.showing(View.DIAGRAM)
    run("View/Next View")
    assert window.page.showing(View.CLUSTER)
    view = window.page.cluster.view
    view.setFocus()
    zoom = view.zoom()
    run("View/Zoom In")
    assert view.zoom() > zoom
    run("View/Zoom Out")
    assert view.zoom() == pytest.approx(zoom)
    run("View/Zoom In")
    run("View/Fit to Window")
    assert view.is_fitted()
    run("View/Dark Theme")
    assert window.page.cluster.scene.backgroundBrush().color() == DARK.background
    assert QApplication.palette().window().color() == DARK.background
    run("View/Dark Theme")
    assert QApplication.palette().window().color() != DARK.background
    normal = QApplication.font().pointSizeF()
    run("View/Presentation Mode")
    assert window.isFullScreen() and QApplication.font().pointSizeF() > normal
    run("View/Presentation Mode")
    assert not window.isFullScreen() and QApplication.font().pointSizeF() == normal
    # The lessons list starts hidden (the toolbar's menu has the lessons): it shows.
    assert window.lessons_dock.isHidden()
    run("View/Lessons")
    assert window.lessons_dock.isVisible()
    for dock in (window.lessons_dock, window.inspector_dock, window.charts_dock):
        run(f"View/{dock.windowTitle()}")
        assert dock.isHidden()
    window.open_overview()
    window.open_lesson("fault-tolerance")
    assert window.charts_dock.isHidden()  # closed by the user, it stays closed
    run("View/Reset Layout")
    assert window.inspector_dock.isVisible() and window.charts_dock.isVisible()
    assert window.lessons_dock.isHidden()  # as on a first start
    run("View/Comparison Table")
    assert window.pages.currentWidget() is window.table
    assert window.charts_dock.isHidden()  # nothing to chart on the table

    # Help
    run("Help/Keyboard Shortcuts")
    shown = window.findChildren(type(window.menus.show_shortcuts()))
    assert any("Space" in d.text.toPlainText() and "Ctrl+O" in d.text.toPlainText() for d in shown)
    run("Help/Sources and References")
    assert any(
        "SameSubnetDelay" in d.text.toPlainText() for d in window.findChildren(type(shown[0]))
    )
    run("Help/About vmc-gui")
    (about,) = [
        d for d in window.findChildren(type(shown[0])) if "SIL Open Font" in d.text.toPlainText()
    ]
    # The app's icon heads it: the image is found and drawn (a missing one has no size).
    icon = about.text.document().resource(
        QTextDocument.ResourceType.ImageResource,
        QUrl(re.search(r'<img src="([^"]+)"', about.text.toHtml()).group(1)),
    )
    assert icon is not None and not icon.isNull()

    for dialog in window.findChildren(type(shown[0])):
        dialog.close()

    # File/Quit last: unsaved changes to a file are asked about, then the window closes.
    window.open_file(failover_file)
    window.document.set_parameter("vm.guest_boot_s", 70)
    run("File/Quit")
    assert window.document in window.asked_to_discard
    assert not window.isVisible()

    every = {visible_name(k): a for k, a in _menu_actions(window).items()}
    untested = {k for k, a in every.items() if a.isEnabled()} - checked
    untested -= {"Simulation/Play", "Simulation/Pause"} & untested - checked
    assert not untested, f"menu actions without a test: {sorted(untested)}"


def test_space_plays_and_pauses_wherever_the_focus_is_on_a_lesson(window, qtbot):
    window.open_lesson("fault-tolerance")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.lessons.setFocus()
    qtbot.keyClick(window.lessons, Qt.Key.Key_Space)
    assert window.page.cluster.controller.is_playing()
    window.page.cluster.view.setFocus()
    qtbot.keyClick(window.page.cluster.view, Qt.Key.Key_Space)
    assert not window.page.cluster.controller.is_playing()
    qtbot.keyClick(window.page.cluster.view, Qt.Key.Key_Right)
    assert window.page.cluster.controller.time() > 0


def test_the_fail_menu_lists_only_hosts_that_are_up(window):
    window.open_lesson("fault-tolerance")
    window.page.cluster.controller.seek(120.0)  # r1-h01 failed at 60 s
    window.menus.fail_menu.aboutToShow.emit()
    names = [a.text() for a in window.menus.fail_menu.actions()]
    assert "r1-h01" not in names and "r1-h02" in names
    assert len(names) == resolve("failover").cluster.host_count - 1


def test_the_table_is_drawn_for_a_click(window):
    x, y = window.table.cell_rect_center("isolation", "vm")
    assert window.table.childAt(QPoint(x, y)) is not None


# --- found in review: each case once broke ---


def test_redo_has_its_keys_once_each(window):
    keys = [k.toString() for k in window.menus.redo_action.shortcuts()]
    assert len(keys) == len(set(keys))  # a key listed twice is ambiguous, and never fires
    assert "Ctrl+Y" in keys and "Ctrl+Shift+Z" in keys


def test_a_decimal_setting_reads_back_in_a_comma_locale(window):
    from PySide6.QtCore import QLocale

    window.open_lesson("fault-tolerance")
    spin = window.inspector.parameters.spin_box("vm.guest_boot_s")
    spin.setLocale(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    spin.setValue(12.5)
    assert spin.text().startswith("12,5")
    spin.interpretText()  # Enter without typing: the value stays
    assert spin.value() == 12.5
    assert window.document.scenario.parameters["vm.guest_boot_s"] == 12.5


def test_the_dark_table_is_dark(window):
    window.set_theme("dark")
    try:
        cell = window.table.table.item(0, 1).background().color()
        assert cell.lightness() < 80
        assert window.table.table.item(0, 2).background().color().lightness() < 80
    finally:
        window.set_theme("light")
    assert window.table.table.item(0, 1).background().color().lightness() > 200


def _activate(window, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_ctrl_z_in_a_setting_box_undoes_the_edit(window, qtbot):
    window.open_lesson("fault-tolerance")
    _activate(window, qtbot)
    spin = window.inspector.parameters.spin_box("vm.guest_boot_s")
    spin.setFocus()
    spin.setValue(70)
    assert window.document.scenario.parameters["vm.guest_boot_s"] == 70
    qtbot.keyClick(spin, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.scenario.parameters["vm.guest_boot_s"] == 45


def test_saving_keeps_the_value_being_typed(window, qtbot, failover_file):
    window.open_file(failover_file)
    _activate(window, qtbot)
    spin = window.inspector.parameters.spin_box("vm.guest_boot_s")
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "33")  # typed, not yet finished with Enter
    window.menus.save_action.trigger()
    assert load_scenario(failover_file).parameters["vm.guest_boot_s"] == 33
    assert not window.isWindowModified()


def test_a_lesson_opens_with_the_keys_on_the_clock(window, qtbot):
    _activate(window, qtbot)
    window.open_lesson("fault-tolerance")
    view = window.page.cluster.view
    assert view.hasFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert window.page.cluster.controller.time() > 0


def test_space_on_a_check_box_ticks_it_and_does_not_play(window, qtbot):
    window.open_lesson("fault-tolerance")
    _activate(window, qtbot)
    box = window.inspector.parameters.show_all
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked()
    assert not window.page.cluster.controller.is_playing()


def test_an_edit_keeps_the_diagram_the_user_picked(window):
    window.open_lesson("fault-tolerance")
    chooser = window.page.diagram.chooser
    chooser.setCurrentIndex(chooser.findData("vm"))
    window.document.set_parameter("vm.guest_memory_overhead_mb", 2048)
    assert window.page.diagram.scene.name() == "vm"
    window.menus.undo_action.trigger()
    assert window.page.diagram.scene.name() == "vm"


def test_opening_a_file_again_keeps_its_unsaved_changes(window, failover_file):
    window.open_file(failover_file)
    document = window.document
    document.set_parameter("vm.guest_boot_s", 80)
    window.open_overview()
    assert window.open_file(failover_file)
    assert window.document is document
    assert window.document.scenario.parameters["vm.guest_boot_s"] == 80
    assert window.isWindowModified()


def test_a_title_with_a_line_break_is_saved_as_toml_that_loads(window, tmp_path):
    import dataclasses

    from vmc_gui.model.loader import loads_scenario
    from vmc_gui.model.scenario_toml import dumps_scenario

    odd = dataclasses.replace(resolve("failover"), title='Two\nlines\r and\x00 a "quote" \\')
    assert loads_scenario(dumps_scenario(odd)) == odd


def test_the_views_leave_drops_to_the_window(window):
    window.open_lesson("fault-tolerance")
    assert not window.page.diagram.view.acceptDrops()
    assert not window.page.cluster.view.acceptDrops()
    assert all(not view.acceptDrops() for view in window.charts.views().values())
    assert window.acceptDrops()


def test_the_title_follows_a_diagram_only_lesson(window):
    window.open_lesson("fault-tolerance")
    window.open_lesson("networking")
    assert window.windowTitle().startswith("Networking")


def test_the_default_button_leaves_no_override(window):
    window.open_lesson("fault-tolerance")
    window.document.set_parameter("vm.guest_boot_s", 90)
    window.inspector.parameters.rows()["vm.guest_boot_s"].reset.click()
    assert dict(window.document.scenario.parameters.overrides) == {}
    assert "All at defaults" in window.inspector.parameters.heading.text()


def test_the_speed_menu_follows_the_playback_bar(window):
    window.open_lesson("fault-tolerance")
    window.page.cluster.speed.setCurrentIndex(0)
    assert window.menus.speed_actions[1.0].isChecked()


def test_presentation_mode_enlarges_the_headings_too(window):
    window.open_lesson("fault-tolerance")
    title = window.page.title.font().pointSizeF()
    table_title = window.table.title.font().pointSizeF()
    window.set_presentation(True)
    try:
        assert window.page.title.font().pointSizeF() > title
        assert window.table.title.font().pointSizeF() > table_title
    finally:
        window.set_presentation(False)
    assert window.page.title.font().pointSizeF() == title


def test_an_unwritable_log_does_not_stop_the_app(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    crash = CrashLog(blocker / "sub" / "vmc-gui.log")  # a folder under a file: cannot exist
    crash.install()
    try:
        assert sys.excepthook == crash.handle
    finally:
        crash.uninstall()
    assert "cannot write the log" in capsys.readouterr().err


# --- found in the second review ---


def test_the_sim_package_gives_the_function_whatever_was_imported_first():
    code = (
        "import vmc_gui.sim.simulate\n"
        "from vmc_gui.sim import simulate, Timeline\n"
        "import vmc_gui.sim as sim, sys\n"
        "assert callable(simulate) and callable(sim.simulate)\n"
        "assert 'Timeline' in dir(sim)\n"
        "import vmc_gui.ui.theme\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_first_screen_loads_no_engine_numpy_or_charts(tmp_path):
    """The table is up without networkx, numpy, pyqtgraph or the engine: they load when the
    first lesson opens (the cold-start budget rests on it)."""
    heavy = ("networkx", "numpy", "pyqtgraph", "vmc_gui.sim.engine", "vmc_gui.ui.shell.lesson_page")
    # Pillow, the animations and the export dialog load with an export, not before.
    exporting = ("PIL", "vmc_gui.ui.animation", "vmc_gui.ui.shell.export_dialog")
    probe = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtCore import QSettings\n"
        "from vmc_gui.ui.app import application, wait_for_first_paint\n"
        "from vmc_gui.ui.shell.main_window import MainWindow\n"
        "app = application()\n"
        f"window = MainWindow(QSettings({str(tmp_path / 's.ini')!r}, QSettings.Format.IniFormat))\n"
        "window.show(); wait_for_first_paint(window)\n"
        f"print(' '.join(m for m in {heavy!r} if m in sys.modules) or 'none')\n"
        "window.open_lesson('fault-tolerance')\n"
        f"print(' '.join(m for m in {heavy!r} if m in sys.modules))\n"
        f"print(' '.join(m for m in {exporting!r} if m in sys.modules) or 'none')\n"
    )
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "VMC_GUI_LOG": str(tmp_path / "log")}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    first, after_a_lesson, exporting_loaded = done.stdout.splitlines()[-3:]
    assert first == "none"
    assert after_a_lesson.split() == list(heavy)  # the probe sees them when they do load
    assert exporting_loaded == "none"


def test_quitting_asks_once_for_a_lesson_saved_as_a_file(window, tmp_path, monkeypatch):
    window.open_lesson("fault-tolerance")
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "mine.toml"), "")
    )
    window.menus.save_as_action.trigger()
    window.document.set_parameter("vm.guest_boot_s", 61)
    window.close()
    assert window.asked_to_discard == [window.document]


def test_saving_onto_a_file_open_with_changes_asks_first(window, tmp_path, monkeypatch):
    target = tmp_path / "x.toml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.open_lesson("fault-tolerance")
    window.menus.save_as_action.trigger()
    window.open_overview()
    assert window.open_file(target)
    other = window.document
    other.set_parameter("vm.guest_boot_s", 70)  # x.toml, opened again, changed
    window.open_lesson("load-balancing")
    window.save_to(target)  # this lesson onto x.toml
    assert other in window.asked_to_discard
    assert other.undo_stack not in window.undo_group.stacks()


def test_leaving_full_screen_another_way_brings_the_docks_back(window):
    window.open_lesson("fault-tolerance")
    window.lessons_dock.show()
    window.set_presentation(True)
    window.set_presentation(True)  # twice: still one presentation to leave
    assert window.lessons_dock.isHidden() and window.inspector_dock.isHidden()
    window.showNormal()  # as the window manager would
    assert window.lessons_dock.isVisible() and window.inspector_dock.isVisible()
    assert not window.menus.presentation_action.isChecked()
    window.set_presentation(True)
    window.set_presentation(False)
    assert window.inspector_dock.isVisible() and not window.isFullScreen()


@pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")  # offscreen
def test_space_on_a_control_in_a_floating_dock_is_the_controls(window, qtbot):
    window.open_lesson("fault-tolerance")
    window.inspector_dock.setFloating(True)
    window.inspector_dock.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window.inspector_dock)
    box = window.inspector.parameters.show_all
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked()
    assert not window.page.cluster.controller.is_playing()
    window.inspector_dock.setFloating(False)


def test_a_setting_moved_away_and_back_leaves_the_file_clean(window, failover_file, monkeypatch):
    from vmc_gui.ui import document as document_module

    monkeypatch.setattr(document_module, "_clock", lambda: 100.0)  # both edits at one moment
    window.open_file(failover_file)
    window.document.set_parameter("vm.guest_boot_s", 50)
    window.document.set_parameter("vm.guest_boot_s", 45)  # within the merge window
    assert window.document.undo_stack.isClean()
    assert not window.isWindowModified()


def test_a_file_that_states_a_default_counts_no_change(window, tmp_path):
    path = tmp_path / "explicit.toml"
    path.write_text(bundled_text("failover").decode() + '\n[parameters]\n"vm.guest_boot_s" = 45\n')
    window.open_file(path)
    assert "All at defaults" in window.inspector.parameters.heading.text()


def test_the_table_has_the_width_and_the_inspector_comes_back_with_a_lesson(window):
    assert window.pages.currentWidget() is window.table
    assert window.inspector_dock.isHidden()  # the rows say what each lesson shows
    window.open_lesson("fault-tolerance")
    assert window.inspector_dock.isVisible()
    window.inspector_dock.toggleViewAction().trigger()  # closed by the user ...
    window.open_overview()
    window.open_lesson("deployment")
    assert window.inspector_dock.isHidden()  # ... it stays closed
    window.reset_layout()
    assert window.inspector_dock.isVisible()


def test_page_down_steps_a_lesson_chapter_by_chapter(window, qtbot):
    window.open_lesson("fault-tolerance")
    controller = window.session.controller
    chapters = controller.chapters()
    window.menus.next_chapter_action.trigger()
    assert controller.time() == chapters[1].start_s
    assert chapters[1].title in window.page.banner.title()
    assert window.page.banner.caption() == chapters[1].caption
    window.menus.previous_chapter_action.trigger()
    assert controller.time() == 0.0
    assert window.menus.next_chapter_action.shortcut().toString() == "PgDown"
    window.open_overview()
    assert not window.menus.next_chapter_action.isEnabled()  # nothing runs on the table
