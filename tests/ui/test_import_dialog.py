"""File > Import Cluster…: the export's files read off the GUI thread, the summary shown
first, then the scenario opened untitled; a bad file is named and nothing chosen is lost
(issue 21, §2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.main_windows import shown_window
from vmc_gui.ui.shell.lesson_text import scenario_html

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

KUBERNETES = Path(__file__).parents[1] / "import" / "kubernetes"


def _open_dialog(qtbot, tmp_path):
    window = shown_window(qtbot, tmp_path)
    dialog = window.files.ask_import()
    qtbot.waitExposed(dialog)
    return window, dialog


def _import(qtbot, dialog):
    dialog.start()
    thread = dialog._thread
    assert thread is not None
    with qtbot.waitSignal(thread.finished, timeout=30_000):
        pass


def test_the_menu_offers_it(qtbot, tmp_path):
    window = shown_window(qtbot, tmp_path)
    action = window.menus.import_action
    assert action.text() == "&Import Cluster…" and action.shortcut().toString() == "Ctrl+I"


def test_the_summary_comes_first_then_the_scenario_opens(qtbot, tmp_path):
    window, dialog = _open_dialog(qtbot, tmp_path)
    dialog.set_source("kubernetes")
    dialog.add_paths([str(KUBERNETES / "nodes.json"), str(KUBERNETES / "pods.json")])
    _import(qtbot, dialog)
    assert dialog._pages.currentIndex() == 1  # the summary, nothing opened yet
    assert dialog.headline.text().startswith("4 hosts · 4 services")
    assert "2 zones" in dialog.shape.text()
    assert "read 2 files, 4 nodes" in dialog.summary.toPlainText()
    assert window.document is None or window.document.scenario.name != "nodes"
    dialog.open_button.click()
    document = window.document
    assert document is not None and document.path is None  # untitled until saved
    assert document.scenario.cluster.host_count == 4
    assert document.display_name().endswith("(imported from nodes.json)")
    # The inspector leads with one line, then the summary's counts as a list.
    first, *counts = document.scenario.description.splitlines()
    assert first == "Imported from Kubernetes: 4 hosts in 2 zones, 4 services."
    assert "1 pods being deleted (Terminating) left out" in "\n".join(counts)
    html = scenario_html(document.scenario, Path("nodes.json"))
    assert f"<p>{first}</p><ul><small><li>" in html


def test_a_bad_file_is_named_and_the_files_stay(qtbot, tmp_path):
    bad = tmp_path / "nodes.json"
    bad.write_text('{"kind": "NodeList", "items": [{"metadata": 7}]}')
    _, dialog = _open_dialog(qtbot, tmp_path)
    dialog.set_source("kubernetes")
    dialog.add_paths([str(bad)])
    _import(qtbot, dialog)
    assert dialog._pages.currentIndex() == 0
    assert dialog.error.isVisible() and "nodes.json" in dialog.error.text()
    assert "$.items[0].metadata" in dialog.error.text()
    assert dialog.paths() == [str(bad)]


def test_nothing_chosen_says_so(qtbot, tmp_path):
    _, dialog = _open_dialog(qtbot, tmp_path)
    dialog.start()
    assert dialog._thread is None and "Add the export's files first" in dialog.error.text()


def test_the_same_file_is_listed_once(qtbot, tmp_path):
    _, dialog = _open_dialog(qtbot, tmp_path)
    dialog.add_paths(["a.json", "b.json", "a.json"])
    assert dialog.paths() == ["a.json", "b.json"]
