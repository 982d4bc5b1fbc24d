"""The seed's comparison table, the first screen: each cell opens the lesson for its row and
side, by click or by keyboard (arrows to move, Enter to open)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vmc_gui.model.lessons import OVERVIEW_TEXT, OVERVIEW_TITLE, ROWS, Side
from vmc_gui.ui.fonts import app_font
from vmc_gui.ui.palette import palette_for
from vmc_gui.ui.theme import LIGHT, Theme, mixed

#: The column each side is in (the feature's name is column 0).
_COLUMNS = {1: Side.VM, 2: Side.CONTAINER}
#: The world whose colour marks each side, as in the cluster view and the charts.
_WORLD = {Side.VM: "vm", Side.CONTAINER: "container"}


class _RoomyDelegate(QStyledItemDelegate):
    """Cells with room around their words, each row as tall as its longest cell needs: the
    table is read, not scanned, and no cell may end in an ellipsis."""

    PAD = 7

    def __init__(self, table: QTableWidget) -> None:
        super().__init__(table)
        self._table = table
        #: Heights by cell and width: a layout asks for each cell's size many times over.
        self._heights: dict[tuple[int, int, int, str], int] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        # The words wrap inside the padding and the style's own margins; the height is worked
        # out for a little less width than they get, so a cell never ends in an ellipsis.
        width = self._table.columnWidth(index.column()) - 2 * self.PAD - 12
        font = index.data(Qt.ItemDataRole.FontRole) or self._table.font()
        key = (index.row(), index.column(), width, font.key())
        height = self._heights.get(key)
        if height is None:
            box = QFontMetrics(font).boundingRect(
                QRect(0, 0, max(width, 40), 100_000),
                int(Qt.TextFlag.TextWordWrap),
                str(index.data() or ""),
            )
            height = self._heights[key] = box.height() + 2 * self.PAD
        return QSize(width, height)


class ComparisonTable(QWidget):
    """Feature, virtual machine, container: nine rows, every cell a way into its lesson."""

    #: A row's slug and the side clicked ("" for the feature's own cell).
    lesson_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(OVERVIEW_TITLE)
        intro = QLabel(
            f"{OVERVIEW_TEXT} Click a cell, or move to it and press Enter, to open its "
            "lesson: the stack diagram, the simulation and the charts."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(ROWS), 3)
        self.table.setHorizontalHeaderLabels(["Feature", Side.VM.label, Side.CONTAINER.label])
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setMouseTracking(True)
        self.table.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        # Room around the words: the table is read, not scanned.
        self.table.setItemDelegate(_RoomyDelegate(self.table))
        self.table.setStyleSheet(f"QTableView::item {{ padding: {_RoomyDelegate.PAD}px; }}")
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 190)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for r, row in enumerate(ROWS.values()):
            feature = QTableWidgetItem(row.feature)
            feature.setToolTip(f"Open the {row.feature} lesson")
            self.table.setItem(r, 0, feature)
            for column, side in _COLUMNS.items():
                item = QTableWidgetItem(row.cell(side))
                item.setToolTip(f"Open the {row.feature} lesson, {side.label.lower()} side")
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.table.setItem(r, column, item)
            feature.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.table.cellClicked.connect(self._open)
        self.table.activated.connect(self._on_activated)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 12)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)
        # No cell is current until the user moves to one: a focus frame on the first cell
        # reads as an empty text field.
        self.table.setCurrentIndex(QModelIndex())
        self.apply_fonts()
        self.set_theme(LIGHT)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ApplicationFontChange:  # presentation mode
            self.apply_fonts()
        super().changeEvent(event)

    def apply_fonts(self) -> None:
        """Sizes relative to the application's font, so that they follow it."""
        self.title.setFont(app_font(1.6, bold=True))
        self.table.setFont(app_font(1.08))
        bold = app_font(1.08, bold=True)
        for r in range(self.table.rowCount()):
            self.table.item(r, 0).setFont(bold)
        for column in _COLUMNS:
            self.table.horizontalHeaderItem(column).setFont(self.table.font())

    def set_theme(self, theme: Theme) -> None:
        """Tint each side's header in its world's colour, as the other views draw it."""
        # The theme's own colours, set on the table itself: a widget with a style sheet keeps
        # the palette it was polished with when the application's palette changes.
        palette = palette_for(theme)
        self.table.setPalette(palette)
        self.table.setStyleSheet(self.table.styleSheet())  # polish again, with that palette
        base = palette.base().color()
        text = QBrush(theme.text)
        for r in range(self.table.rowCount()):
            self.table.item(r, 0).setForeground(text)
        for column, side in _COLUMNS.items():
            header = self.table.horizontalHeaderItem(column)
            colour = theme.world(_WORLD[side])
            header.setForeground(QBrush(colour))
            for r in range(self.table.rowCount()):
                # A faint wash of the side's colour keeps the columns apart at a glance.
                item = self.table.item(r, column)
                item.setBackground(
                    QBrush(mixed(colour, base, 0.06 if theme.name == "light" else 0.12))
                )
                item.setForeground(text)
        self.table.viewport().update()

    def cell_rect_center(self, slug: str, side: str = "") -> tuple[int, int]:
        """Where a cell's centre is, in this widget's coordinates (for walkthroughs)."""
        row = list(ROWS).index(slug)
        column = next((c for c, s in _COLUMNS.items() if s.value == side), 0)
        rect = self.table.visualRect(self.table.model().index(row, column))
        centre = self.table.viewport().mapTo(self, rect.center())
        return centre.x(), centre.y()

    def _on_activated(self, index: QModelIndex) -> None:
        self._open(index.row(), index.column())

    def _open(self, row: int, column: int) -> None:
        slug = list(ROWS)[row]
        side = _COLUMNS.get(column)
        self.lesson_requested.emit(slug, side.value if side else "")
