"""A lesson's page in the main window: its title and hint over the stack diagram, and under
the diagram the scenario (the cluster view with its playback bar, or the compatibility
matrix).  The heavy parts (the cluster view, and with it pyqtgraph's charts) are built the
first time a lesson needs them, so that the app opens on its table quickly."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from vmc_gui.ui.diagram_window import DiagramPanel
from vmc_gui.ui.document import ScenarioDocument
from vmc_gui.ui.fonts import app_font
from vmc_gui.ui.shell.compat_panel import CompatPanel

if TYPE_CHECKING:
    from vmc_gui.ui.cluster_panel import ClusterPanel

#: How the page's height is shared between the diagram and the simulation under it.
SPLIT = (30, 70)
#: The embedded views' smallest size: two of them share the page's height.
_VIEW_MINIMUM = (240, 150)


class LessonPage(QWidget):
    """Title, hint, diagram, and the scenario below it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.apply_fonts()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.diagram = DiagramPanel(embedded=True)
        self.diagram.view.setMinimumSize(*_VIEW_MINIMUM)
        self.lower = QStackedWidget()
        #: Built when the first lesson with a simulation opens.
        self.cluster: ClusterPanel | None = None
        self.compat: CompatPanel | None = None
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.diagram)
        self.splitter.addWidget(self.lower)
        self.splitter.setStretchFactor(0, SPLIT[0])
        self.splitter.setStretchFactor(1, SPLIT[1])
        self._split = False
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 4)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.splitter, 1)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ApplicationFontChange:  # presentation mode
            self.apply_fonts()
        super().changeEvent(event)

    def apply_fonts(self) -> None:
        """The title's size, from the application's font."""
        self.title.setFont(app_font(1.35, bold=True))

    def set_heading(self, title: str, hint: str) -> None:
        self.title.setText(title)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))

    def show_cluster(self, document: ScenarioDocument) -> ClusterPanel:
        """The cluster view, on ``document``; built on first use."""
        from vmc_gui.ui.cluster_panel import ClusterPanel

        if self.cluster is None:
            self.cluster = ClusterPanel(document)
            self.cluster.view.setMinimumSize(*_VIEW_MINIMUM)
            # Space is the window's (Simulation > Play): one shortcut, never two that clash.
            self.cluster.play_action.setShortcut(QKeySequence())
            self.lower.addWidget(self.cluster)
        else:
            self.cluster.set_document(document)
        self.lower.setCurrentWidget(self.cluster)
        self._show_lower()
        return self.cluster

    def show_compat(self, document: ScenarioDocument) -> CompatPanel:
        if self.compat is None:
            self.compat = CompatPanel()
            self.lower.addWidget(self.compat)
        self.compat.set_scenario(document.scenario)
        self.lower.setCurrentWidget(self.compat)
        self._show_lower()
        return self.compat

    def _show_lower(self) -> None:
        if self.lower.isHidden() or not self._split:
            # The simulation is what moves: it gets most of the height (the splitter would
            # otherwise split by size hints, and the diagram's toolbar asks for more).
            self.splitter.setSizes([SPLIT[0] * 10, SPLIT[1] * 10])
            self._split = True
        self.lower.show()

    def show_diagram_only(self) -> None:
        self.lower.hide()
