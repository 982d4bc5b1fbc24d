"""The inspector dock: the explanation of whatever is selected (the lesson, a layer, a host)
leads, and the scenario's settings follow below it, editable.  Where the scenario cuts the
network, a note above the explanation says what the partition does at the clock's time
(``partition_note``)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QResizeEvent, QShowEvent, QTextDocument
from PySide6.QtWidgets import QFrame, QLabel, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from vmc_gui.ui.panels.parameter_editor import ParameterEditor

#: The explanation's share of the dock's height until the user moves the split: at 1000 px
#: a lesson's first paragraphs and what to try read without scrolling.
EXPLANATION_SHARE = 0.58


class Inspector(QWidget):
    """The explanation above, the settings below; the user moves the split, and it stays."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.explanation = QTextBrowser()
        self.explanation.setOpenLinks(False)
        # A source's link opens in the browser; the explanation itself stays put.
        self.explanation.anchorClicked.connect(self.open_link)
        self.explanation.setMinimumHeight(120)
        #: What a network partition does now (hidden without one).
        self.partition = QLabel()
        self.partition.setWordWrap(True)
        self.partition.setTextFormat(Qt.TextFormat.RichText)
        self.partition.setFrameShape(QFrame.Shape.StyledPanel)
        self.partition.setMargin(6)
        self.partition.setHidden(True)
        top = QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.partition)
        column.addWidget(self.explanation, 1)
        self.parameters = ParameterEditor()
        self.parameters.setMinimumHeight(140)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.parameters)
        self.splitter.setChildrenCollapsible(False)
        # Until the user drags the handle, the split keeps its share as the dock resizes.
        self._split_by_user = False
        self.splitter.splitterMoved.connect(self._on_split_moved)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.splitter)

    def open_link(self, url: QUrl) -> bool:
        """Open a web link from the explanation (a lesson's sources) in the browser."""
        if url.scheme() not in ("https", "http"):
            return False
        return QDesktopServices.openUrl(url)

    def explain(self, html: str) -> None:
        self.explanation.setHtml(html)

    def explanation_text(self) -> str:
        return self.explanation.toPlainText()

    def show_partition(self, html: str) -> None:
        """What the network's partition does at the clock's time ("" hides the note)."""
        self.partition.setText(html)
        self.partition.setHidden(not html)

    def partition_text(self) -> str:
        """The partition note as plain text ("" while hidden)."""
        if self.partition.isHidden():
            return ""
        document = QTextDocument()
        document.setHtml(self.partition.text())
        return document.toPlainText()

    def show_settings(self, visible: bool) -> None:
        """Settings make sense only where a scenario runs (not on the table)."""
        self.parameters.setVisible(visible)
        self._place_split()

    def _on_split_moved(self, _pos: int, _index: int) -> None:
        self._split_by_user = True

    def _place_split(self) -> None:
        """Give the explanation its share of the height, unless the user chose another."""
        if self._split_by_user or self.parameters.isHidden():
            return
        total = sum(self.splitter.sizes())
        if total <= 0:
            return
        top = round(total * EXPLANATION_SHARE)
        self.splitter.setSizes([top, total - top])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_split()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._place_split()
