"""What the app remembers between runs (QSettings): the window's geometry and docks, the
theme, and the recently opened files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

#: How many recent files the File menu lists.
MAX_RECENT = 8
#: Bumped when the docks change, so that an old saved layout is not applied to new docks.
LAYOUT_VERSION = 1


class AppSettings:
    """Typed access to the app's QSettings."""

    def __init__(self, settings: QSettings | None = None) -> None:
        # QSettings() takes the organisation and app names, and the format, set at startup.
        self.store = settings if settings is not None else QSettings()

    def theme(self) -> str:
        value = str(self.store.value("view/theme", "light"))
        return value if value in ("light", "dark") else "light"

    def set_theme(self, name: str) -> None:
        self.store.setValue("view/theme", name)

    def charts_wanted(self) -> bool:
        """Whether the user keeps the charts dock open on lessons."""
        return str(self.store.value("view/charts", "true")).lower() != "false"

    def set_charts_wanted(self, wanted: bool) -> None:
        self.store.setValue("view/charts", "true" if wanted else "false")

    def stops_at_chapters(self) -> bool:
        """Whether playing a lesson pauses at each chapter (on until the user says not)."""
        return str(self.store.value("playback/stop_at_chapters", "true")).lower() != "false"

    def set_stops_at_chapters(self, on: bool) -> None:
        self.store.setValue("playback/stop_at_chapters", "true" if on else "false")

    def recent_files(self) -> list[Path]:
        raw = self.store.value("files/recent", [])
        items = [raw] if isinstance(raw, str) else list(raw or [])
        return [Path(str(item)) for item in items if str(item)][:MAX_RECENT]

    def add_recent(self, path: Path) -> None:
        path = path.resolve()
        files = [path, *(p for p in self.recent_files() if p != path)]
        self.store.setValue("files/recent", [str(p) for p in files[:MAX_RECENT]])

    def remove_recent(self, path: Path) -> None:
        files = [p for p in self.recent_files() if p != path]
        self.store.setValue("files/recent", [str(p) for p in files])

    def clear_recent(self) -> None:
        self.store.remove("files/recent")

    def save_window(self, window: QMainWindow, geometry: QByteArray | None = None) -> None:
        """Save the window's geometry (or ``geometry``, the one it had before going full
        screen) and its docks."""
        self.store.setValue(
            "window/geometry", geometry if geometry is not None else window.saveGeometry()
        )
        self.store.setValue("window/state", window.saveState(LAYOUT_VERSION))
        self.store.sync()

    def restore_window(self, window: QMainWindow) -> bool:
        """Put the window and its docks back where they were; False if nothing was saved."""
        geometry = self.store.value("window/geometry")
        state = self.store.value("window/state")
        restored = False
        if isinstance(geometry, QByteArray | bytes) and geometry:
            restored = window.restoreGeometry(QByteArray(geometry))
        if isinstance(state, QByteArray | bytes) and state:
            window.restoreState(QByteArray(state), LAYOUT_VERSION)
        return restored

    def forget_layout(self) -> None:
        self.store.remove("window/state")
