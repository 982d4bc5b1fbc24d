"""The inspector dock: the explanation of whatever is selected (the lesson, a layer, a host),
and above all the scenario's settings, editable."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QSplitter, QTextBrowser, QVBoxLayout, QWidget

from vmc_gui.ui.panels.parameter_editor import ParameterEditor


class Inspector(QWidget):
    """An explanation above, the settings below; the user moves the split."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.explanation = QTextBrowser()
        self.explanation.setOpenLinks(False)
        # A source's link opens in the browser; the explanation itself stays put.
        self.explanation.anchorClicked.connect(self.open_link)
        self.explanation.setMinimumHeight(120)
        self.parameters = ParameterEditor()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.explanation)
        self.splitter.addWidget(self.parameters)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
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

    def show_settings(self, visible: bool) -> None:
        """Settings make sense only where a scenario runs (not on the table)."""
        self.parameters.setVisible(visible)
