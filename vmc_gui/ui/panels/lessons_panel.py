"""The ways to a lesson: the lessons dock (a list) and the toolbar's chooser (a compact menu),
each offering the overview (the comparison table) and one lesson per row of it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QListWidget, QListWidgetItem, QWidget

from vmc_gui.model.lessons import OVERVIEW, ROWS

#: Row slugs whose feature reads too long for a narrow list.
_SHORT = {"os-updates": "OS updates and upgrades"}


def lesson_entries() -> list[tuple[str, str, str]]:
    """(slug, label, tooltip) of the overview and each lesson, in the table's order."""
    entries = [(OVERVIEW, "Overview: the table", "The comparison table: every cell opens a lesson")]
    for number, row in enumerate(ROWS.values(), start=1):
        entries.append((row.slug, f"{number}. {_SHORT.get(row.slug, row.feature)}", row.hint))
    return entries


class LessonChooser(QComboBox):
    """The toolbar's lesson menu: the lessons without a dock's width."""

    lesson_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for slug, label, tip in lesson_entries():
            self.addItem(label, slug)
            self.setItemData(self.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.setToolTip("Open a lesson")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.activated.connect(lambda i: self.lesson_requested.emit(str(self.itemData(i))))

    def select(self, slug: str) -> None:
        """Show ``slug`` as the lesson on show (an opened file of no lesson shows none)."""
        self.blockSignals(True)
        self.setCurrentIndex(self.findData(slug))
        self.blockSignals(False)


class LessonsPanel(QListWidget):
    """A list of the ten lessons; picking one (click, or arrows and Enter) opens it."""

    lesson_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for slug, label, tip in lesson_entries():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, slug)
            item.setToolTip(tip)
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
