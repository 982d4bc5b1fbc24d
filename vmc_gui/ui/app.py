"""Running a window: the one place the desktop event loop starts.

``QApplication.exec()`` is Qt's event loop, not Python's ``exec``; PySide6 has no other name
for it (``exec_`` is deprecated).  Keeping it here keeps it in one place.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from vmc_gui.ui.icons import APP_ID, app_icon

ORGANISATION = "vmc-gui"
APPLICATION = "vmc-gui"


#: What the offscreen platform says about docks that only a window manager can act on.
_OFFSCREEN_NOTE = "does not support propagateSizeHints"
_handlers: list[object] = []  # the message handler, kept alive while Qt holds it


def drop_offscreen_notes() -> None:
    """Keep the offscreen platform's notes about window-manager hints (the window has docks)
    out of the output of an export or --smoke; every other Qt message still reaches stderr."""
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if _OFFSCREEN_NOTE not in message:
            print(message, file=sys.stderr)

    _handlers.append(handler)
    qInstallMessageHandler(handler)


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
    # The installed .desktop file's name: Wayland and the task bars match the window to
    # its launcher (and its icon) by it.
    QGuiApplication.setDesktopFileName(APP_ID)
    if os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen"):
        drop_offscreen_notes()
    app = QApplication(["vmc-gui"])
    app.setApplicationDisplayName("vmc-gui")
    app.setWindowIcon(app_icon())
    return app


def run_window(make_window: Callable[[], QWidget]) -> int:
    """Show the window ``make_window`` builds and run until it closes; the exit status."""
    app = application()
    window = make_window()
    window.show()
    return int(app.exec())


class _PaintWatch(QObject):
    """Notices the first paint of a widget."""

    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def wait_for_first_paint(window: QWidget, timeout_s: float = 30.0) -> None:
    """Run the event loop until ``window`` has been painted once (what a user first sees)."""
    watch = _PaintWatch()
    window.installEventFilter(watch)
    deadline = time.perf_counter() + timeout_s
    try:
        while not watch.painted and time.perf_counter() < deadline:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
    finally:
        window.removeEventFilter(watch)
    if not watch.painted:
        raise RuntimeError(f"the window was not painted within {timeout_s:g} s")


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
            wait_for_first_paint(window)
            print(f"{time.perf_counter() - started:.3f}", flush=True)
            return 0
        return int(app.exec())
    finally:
        crash_log.uninstall()
        # Delete the window while the application lives: left to the interpreter's exit,
        # the charts' graphics items outlive Qt and take the process down with them.
        import shiboken6  # here: importing the package loads its signature tools (30 ms)

        shiboken6.delete(window)
