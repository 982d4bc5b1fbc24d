"""The main window as the UI tests open it: its own settings file, no questions on discard,
shown at a size and exposed (offscreen)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from vmc_gui.ui.shell.main_window import MainWindow


def shown_window(qtbot, tmp_path: Path, size: tuple[int, int] | None = (1600, 1000)) -> MainWindow:
    """A MainWindow with settings in ``tmp_path``, shown at ``size`` (None: the size it
    chooses); qtbot closes it."""
    window = MainWindow(QSettings(str(tmp_path / "vmc-gui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.confirm_discard = lambda document: True
    if size is not None:
        window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window
