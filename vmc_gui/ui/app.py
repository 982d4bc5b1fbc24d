"""Running a window: the one place the desktop event loop starts.

``QApplication.exec()`` is Qt's event loop, not Python's ``exec``; PySide6 has no other name
for it (``exec_`` is deprecated).  Keeping it here keeps it in one place.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget

ORGANISATION = "vmc-gui"
APPLICATION = "vmc-gui"


def application() -> QApplication:
    """The QApplication, made once with the names QSettings and the log folder use."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    # Fractional scale factors (125 %, 150 %) are drawn at that size, not rounded.
    QApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    app = QApplication(["vmc-gui"])
    app.setApplicationDisplayName("vmc-gui")
    return app


def run_window(make_window: Callable[[], QWidget]) -> int:
    """Show the window ``make_window`` builds and run until it closes; the exit status."""
    app = application()
    window = make_window()
    window.show()
    return int(app.exec())


def run_app(path: str | None = None, *, smoke: bool = False, started: float = 0.0) -> int:
    """The app: the main window on the comparison table, or on the scenario at ``path``.

    With ``smoke``, paint the window once, print the seconds since ``started`` and exit 0.
    """
    if smoke and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a smoke test needs no screen
    app = application()
    from vmc_gui.ui.shell.crash_log import CrashLog, default_log_path
    from vmc_gui.ui.shell.main_window import MainWindow

    window = MainWindow()
    crash_log = CrashLog(default_log_path(), lambda: window)
    if not smoke:
        crash_log.install()
    try:
        window.show()
        if path is not None:
            window.open_file(Path(path))  # a bad file: the error dialog, over the table
        if smoke:
            app.processEvents()
            window.grab()  # paints the whole window, as the screen would
            print(f"{time.perf_counter() - started:.3f}", flush=True)
            return 0
        return int(app.exec())
    finally:
        crash_log.uninstall()
        # Delete the window while the application lives: left to the interpreter's exit,
        # the charts' graphics items outlive Qt and take the process down with them.
        shiboken6.delete(window)
