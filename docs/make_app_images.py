"""Draw the app's window for the docs: the table, and the failover lesson after a failure.

    python docs/make_app_images.py        (make-images.sh runs it)

It drives the real main window offscreen, as a user would (open a lesson, seek, fail a host),
and exports the whole window with File > Export Window's own code.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()  # a first start: no saved layout

from PySide6.QtCore import QSettings

from vmc_gui.ui.app import application
from vmc_gui.ui.shell.main_window import MainWindow

IMAGES = Path(__file__).resolve().parent / "images"


def main() -> int:
    app = application()
    settings = QSettings(
        os.path.join(os.environ["XDG_CONFIG_HOME"], "s.ini"), QSettings.Format.IniFormat
    )
    window = MainWindow(settings)
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    window.export_window(IMAGES / "app-table.png")
    window.open_lesson("fault-tolerance", "container")
    cluster = window.page.cluster
    cluster.controller.seek(30.0)
    window.fail_host("r2-h02")
    cluster.controller.seek(120.0)
    app.processEvents()
    window.export_window(IMAGES / "app-failover.png")
    window.set_theme("dark")
    window.open_lesson("guest-compatibility")
    window.page.compat.pick("windows-server-2025", "windows-server-2019")
    app.processEvents()
    window.export_window(IMAGES / "app-compat-dark.png")
    window.set_theme("light")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
