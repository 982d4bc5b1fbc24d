"""The lessons dock: the overview (the comparison table) and one lesson per row of it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from vmc_gui.model.lessons import OVERVIEW, ROWS

#: Row slugs whose feature reads too long for a narrow list.
_SHORT = {"os-updates": "OS updates and upgrades"}


class LessonsPanel(QListWidget):
    """A list of the ten lessons; picking one (click, or arrows and Enter) opens it."""

    lesson_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        overview = QListWidgetItem("Overview: the table")
        overview.setData(Qt.ItemDataRole.UserRole, OVERVIEW)
        overview.setToolTip("The comparison table: every cell opens a lesson")
        self.addItem(overview)
        for number, row in enumerate(ROWS.values(), start=1):
            item = QListWidgetItem(f"{number}. {_SHORT.get(row.slug, row.feature)}")
            item.setData(Qt.ItemDataRole.UserRole, row.slug)
            item.setToolTip(row.hint)
            self.addItem(item)
        self.setMinimumWidth(170)
        self.itemClicked.connect(self._on_item)
        self.itemActivated.connect(self._on_item)

    def select(self, slug: str) -> None:
        """Mark ``slug`` as the lesson on show, without asking to open it again."""
        for i in range(self.count()):
            item = self.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == slug:
                self.blockSignals(True)
                self.setCurrentItem(item)
                self.blockSignals(False)
                return
        self.clearSelection()

    def _on_item(self, item: QListWidgetItem) -> None:
        self.lesson_requested.emit(str(item.data(Qt.ItemDataRole.UserRole)))
