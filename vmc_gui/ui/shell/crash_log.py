"""What happens when something goes wrong: the traceback goes to a log file and a dialog,
and the app keeps running with the user's scenario (DESIGN.md, reliability rules).

An exception raised in a slot reaches ``sys.excepthook`` (PySide6 reports it there and
carries on); :class:`CrashLog` is that hook.  A hard crash (a segfault in native code) cannot
be caught, but ``faulthandler`` writes every thread's stack to the same log first.
"""

from __future__ import annotations

import faulthandler
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TextIO

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QMessageBox, QWidget

#: The log is started afresh past this size (the old one is kept as .1).
MAX_LOG_BYTES = 1_000_000


def default_log_path() -> Path:
    """``VMC_GUI_LOG`` if set, else vmc-gui.log in the user's application data folder."""
    configured = os.environ.get("VMC_GUI_LOG")
    if configured:
        return Path(configured)
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(folder or Path.home()) / "vmc-gui.log"


class CrashLog:
    """Installs itself as ``sys.excepthook`` and the faulthandler's file; shows one dialog
    at a time (an error raised on every frame must not bury the user in dialogs)."""

    def __init__(self, path: Path, parent: Callable[[], QWidget | None] = lambda: None) -> None:
        self.path = path
        self._parent = parent
        self._file: TextIO | None = None
        self._previous_hook = sys.excepthook
        self.dialog: QMessageBox | None = None
        self.count = 0

    def install(self) -> None:
        """Become the excepthook; log to the file if it can be written (if not, say so on
        stderr and go on: an unwritable log must not stop the app from starting)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists() and self.path.stat().st_size > MAX_LOG_BYTES:
                self.path.replace(self.path.with_suffix(self.path.suffix + ".1"))
            self._file = self.path.open("a", encoding="utf-8")
        except OSError as problem:
            print(f"vmc-gui: cannot write the log {self.path}: {problem}", file=sys.stderr)
            self._file = None
        else:
            faulthandler.enable(file=self._file, all_threads=True)
        self._previous_hook = sys.excepthook
        sys.excepthook = self.handle

    def uninstall(self) -> None:
        if sys.excepthook == self.handle:
            sys.excepthook = self._previous_hook
        if self._file is not None:
            faulthandler.disable()
            self._file.close()
            self._file = None

    def handle(
        self,
        kind: type[BaseException],
        error: BaseException,
        trace: TracebackType | None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous_hook(kind, error, trace)
            return
        self.count += 1
        text = "".join(traceback.format_exception(kind, error, trace))
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        if self._file is not None:
            self._file.write(f"--- {stamp} unexpected error\n{text}\n")
            self._file.flush()
        print(text, file=sys.stderr)
        if self.dialog is not None and self.dialog.isVisible():
            return  # logged; one dialog at a time
        self.dialog = QMessageBox(
            QMessageBox.Icon.Critical,
            "vmc-gui: unexpected error",
            f"{kind.__name__}: {error}\n\nThe app keeps running and your scenario is kept. "
            + (f"The details are in {self.path}." if self._file else "Details below."),
            QMessageBox.StandardButton.Close,
            self._parent(),
        )
        self.dialog.setDetailedText(text)
        self.dialog.setModal(False)
        self.dialog.show()
