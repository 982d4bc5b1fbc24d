"""Running a window: the one place the desktop event loop starts.

``QApplication.exec()`` is Qt's event loop, not Python's ``exec``; PySide6 has no other name
for it (``exec_`` is deprecated).  Keeping it here keeps it in one place.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QWidget


def run_window(make_window: Callable[[], QWidget]) -> int:
    """Show the window ``make_window`` builds and run until it closes; the exit status."""
    app = QApplication.instance() or QApplication(["vmc-gui"])
    window = make_window()
    window.show()
    return int(app.exec())
