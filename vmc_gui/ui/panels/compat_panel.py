"""The guest-compatibility lesson: pick a host and a guest OS or image, and each runtime (Hyper-V
VMs, a standalone container host, Kubernetes) says whether it runs: allowed, runs but
unsupported, only with Hyper-V isolation, or refused (model.compat).

Nothing is simulated here, so this panel stands where the cluster view stands in the other
lessons.  Below the pickers, the whole matrix: a click on a cell picks that pair.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vmc_gui.model.compat import RUNTIME_SOURCES, SYSTEMS, Answer, runtime_title, verdict
from vmc_gui.model.scenario import Scenario, World
from vmc_gui.ui.theme import LIGHT, Theme, mixed

#: How each answer reads, and its colour (shared by both themes, mixed into the background).
ANSWERS = {
    Answer.ALLOWED: ("runs", "#2f9e6b", "✓"),
    Answer.RUNS_UNSUPPORTED: ("runs, unsupported", "#5b8fd0", "○"),
    Answer.HYPERV_ISOLATION_ONLY: ("only with Hyper-V isolation", "#d08a1a", "◐"),
    Answer.REFUSED: ("refused", "#d7263d", "✗"),
}
#: The runtimes' short names in the matrix's cells.
_SHORT = {
    World.VM: "VM",
    World.HYPERV_CONTAINER: "Host",
    World.CONTAINER: "K8s",
}


class CompatPanel(QWidget):
    """Pickers, one verdict per world, and the matrix of every pair."""

    #: HTML for the inspector: the pair picked and every world's reason.
    explained = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = LIGHT
        self._worlds: tuple[World, ...] = ()
        self.host = QComboBox()
        self.host.setToolTip("The host's operating system")
        self.guest = QComboBox()
        self.guest.setToolTip("The guest OS of a VM, or the base image of a container")
        form = QFormLayout()
        form.addRow("&Host:", self.host)
        form.addRow("&Guest OS or image:", self.guest)
        self.verdicts = QLabel()
        self.verdicts.setTextFormat(Qt.TextFormat.RichText)
        self.verdicts.setWordWrap(True)
        self.matrix = QTableWidget()
        self.matrix.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matrix.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.matrix.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.matrix.verticalHeader().setDefaultSectionSize(
            self.matrix.fontMetrics().height() + 14  # room above and below each row's marks
        )
        # As tall as its rows, no taller: the space under it stays the page's.
        self.matrix.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.matrix.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.matrix.cellClicked.connect(self._on_cell)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(form)
        layout.addWidget(self.verdicts)
        layout.addWidget(self.matrix)
        layout.addWidget(self.legend)
        layout.addStretch(1)
        self.host.currentIndexChanged.connect(self._refresh)
        self.guest.currentIndexChanged.connect(self._refresh)

    def set_scenario(self, scenario: Scenario) -> None:
        spec = scenario.compat
        hosts = spec.hosts if spec else tuple(SYSTEMS)
        guests = spec.guests if spec else tuple(SYSTEMS)
        self._worlds = scenario.worlds
        for combo, names in ((self.host, hosts), (self.guest, guests)):
            combo.blockSignals(True)
            combo.clear()
            for name in names:
                combo.addItem(SYSTEMS[name].title, name)
            combo.blockSignals(False)
        self.matrix.setRowCount(len(hosts))
        self.matrix.setColumnCount(len(guests))
        self.matrix.setVerticalHeaderLabels([f"host: {SYSTEMS[h].title}" for h in hosts])
        # "Windows Server" over its year: four columns fit a narrow window.
        self.matrix.setHorizontalHeaderLabels(
            [SYSTEMS[g].title.replace("Server ", "Server\n") for g in guests]
        )
        self._fill_matrix()
        order = " · ".join(_SHORT.get(w, w.value) for w in self._worlds)
        self.legend.setText(
            f"Each cell answers for {order}: "
            + ", ".join(f"{mark} {text}" for text, _, mark in ANSWERS.values())
            + ". Click a cell to pick that pair."
        )
        self._refresh()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        if self.matrix.rowCount():
            self._fill_matrix()
            self._refresh()

    def pick(self, host: str, guest: str) -> None:
        self.host.setCurrentIndex(self.host.findData(host))
        self.guest.setCurrentIndex(self.guest.findData(guest))

    def answers(self) -> dict[World, Answer]:
        """Each world's answer for the pair picked."""
        host, guest = SYSTEMS[self.host.currentData()], SYSTEMS[self.guest.currentData()]
        return {w: verdict(w, host, guest).answer for w in self._worlds}

    def _colour(self, answer: Answer, strength: float) -> QColor:
        return mixed(QColor(ANSWERS[answer][1]), self._theme.background, strength)

    def _fill_matrix(self) -> None:
        for r in range(self.matrix.rowCount()):
            host = SYSTEMS[self._data(self.host, r)]
            for c in range(self.matrix.columnCount()):
                guest = SYSTEMS[self._data(self.guest, c)]
                found = [(w, verdict(w, host, guest)) for w in self._worlds]
                marks = "  ".join(
                    f"{_SHORT.get(w, w.value)} {ANSWERS[v.answer][2]}" for w, v in found
                )
                item = QTableWidgetItem(marks)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setToolTip("\n".join(f"{runtime_title(w)}: {v.reason}" for w, v in found))
                worst = max((v.answer for _, v in found), key=list(ANSWERS).index)
                item.setBackground(QBrush(self._colour(worst, 0.18)))
                item.setForeground(QBrush(self._theme.text))
                self.matrix.setItem(r, c, item)

    @staticmethod
    def _data(combo: QComboBox, index: int) -> str:
        return str(combo.itemData(index))

    def _on_cell(self, row: int, column: int) -> None:
        self.pick(self._data(self.host, row), self._data(self.guest, column))

    def _refresh(self) -> None:
        if self.host.currentIndex() < 0 or self.guest.currentIndex() < 0:
            return
        host, guest = SYSTEMS[self.host.currentData()], SYSTEMS[self.guest.currentData()]
        lines = []
        for world in self._worlds:
            v = verdict(world, host, guest)
            text, _, mark = ANSWERS[v.answer]
            colour = self._colour(v.answer, 1.0).name()
            lines.append(
                f"<p><b>{escape(runtime_title(world))}</b>: "
                f"<span style='color:{colour}'><b>{mark} {escape(text)}</b></span>"
                f"<br>{escape(v.reason)}</p>"
            )
        self.verdicts.setText("".join(lines))
        self.matrix.setCurrentCell(self.host.currentIndex(), self.guest.currentIndex())
        # The inspector also names each runtime's source, as links that open in the browser.
        sources = "".join(
            f"<li><a href='{escape(RUNTIME_SOURCES[w], quote=True)}'>"
            f"{escape(runtime_title(w))}</a></li>"
            for w in self._worlds
            if w in RUNTIME_SOURCES
        )
        self.explained.emit(
            f"<h3>{escape(guest.title)} on {escape(host.title)}</h3>"
            + "".join(lines)
            + (f"<p><b>Sources</b></p><ul>{sources}</ul>" if sources else "")
        )
