"""Test set-up: Qt runs offscreen and QSettings writes to a temporary folder, before Qt loads."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis draws the same examples on every run, so a CI run's verdict depends on the code and
# not on the draw: a bug a random draw happens to find would otherwise fail an unrelated change.
# The examples a random draw did find are pinned with @example where they failed.  To hunt for
# new ones, run with HYPOTHESIS_PROFILE=explore (random draws, more of them).
settings.register_profile("default", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, max_examples=400, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# QSettings (and anything else Qt writes under the user's folders) goes to a throwaway place.
_SETTINGS_HOME = tempfile.mkdtemp(prefix="vmc-gui-tests-")
os.environ["XDG_CONFIG_HOME"] = _SETTINGS_HOME
os.environ["XDG_DATA_HOME"] = _SETTINGS_HOME
os.environ.setdefault("XDG_RUNTIME_DIR", _SETTINGS_HOME)

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True, scope="session")
def _qt_settings_in_temp() -> None:
    """Point QSettings at the temporary folder if Qt is ever loaded by a test."""
    if "PySide6" in sys.modules:
        from PySide6.QtCore import QSettings

        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, _SETTINGS_HOME)


@pytest.fixture(autouse=True)
def _delete_windows_left_behind():
    """After each test, delete the windows it closed but left alive (qtbot closes them; it
    does not delete them).  Hundreds of hidden windows would otherwise pile up over the run,
    and every later theme or font change would restyle them all: a late test took a minute."""
    yield
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        return
    for widget in QApplication.topLevelWidgets():
        if widget.parentWidget() is None and not widget.isVisible():
            widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
