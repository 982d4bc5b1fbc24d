"""A lesson's page in the main window: its title and hint over the lesson's views.

The lesson decides which view is its main one (``model.lessons.Row.main_view``): the stack
diagram where the layers are the lesson, the simulated cluster where it happens over time,
the compatibility matrix.  The main view fills the page; the others sit on tabs beside it,
never as thumbnails.  The heavy parts (the cluster view, and with it pyqtgraph's charts) are
built the first time a lesson needs them, so that the app opens on its table quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from vmc_gui.model.lessons import View
from vmc_gui.ui.document import ScenarioDocument
from vmc_gui.ui.fonts import app_font
from vmc_gui.ui.panels.chapter_banner import ChapterBanner
from vmc_gui.ui.panels.compat_panel import CompatPanel
from vmc_gui.ui.panels.diagram_panel import DiagramPanel
from vmc_gui.ui.panels.results_bar import ResultsBar
from vmc_gui.ui.scenes.zoom_view import PROJECTOR_ZOOM, READABLE_ZOOM, ZoomView
from vmc_gui.ui.theme import THEMES

if TYPE_CHECKING:
    from vmc_gui.ui.panels.cluster_panel import ClusterPanel
    from vmc_gui.ui.session import LessonSession

#: The embedded views' smallest size: the window may be small, the page has a heading.
_VIEW_MINIMUM = (240, 150)
#: Each view's tab, and what its tooltip says.
_TABS = {
    View.CLUSTER: ("Cluster", "Both worlds on one clock: Space plays, the arrows step"),
    View.DIAGRAM: ("Stack diagram", "The layers each world runs: click one to see what it is"),
    View.MATRIX: ("Compatibility", "Which host runs which guest, in each world"),
}


class LessonPage(QWidget):
    """Title, hint, and the lesson's views on tabs, its main view first."""

    #: A link to another of the lesson's scenarios was clicked: ``slug/scenario``.
    further_requested = Signal(str)

    def __init__(self, session: LessonSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.title = QLabel()
        self.apply_fonts()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        #: The lesson's other scenarios ("Crashed or cut off? …"), as links.
        self.further = QLabel()
        self.further.setTextFormat(Qt.TextFormat.RichText)
        self.further.setWordWrap(True)  # a narrow window wraps the links, never widens
        self.further.setToolTip("Open another scenario of this lesson, on this page")
        self.further.linkActivated.connect(self.further_requested)
        self.diagram = DiagramPanel(embedded=True)
        self.diagram.view.setMinimumSize(*_VIEW_MINIMUM)
        self.diagram.view.readable_zoom = READABLE_ZOOM
        #: Built when the first lesson with a simulation opens.
        self.cluster: ClusterPanel | None = None
        self.compat: CompatPanel | None = None
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        # A lesson with one view shows no tab bar: nothing to switch to.
        self.views.setTabBarAutoHide(True)
        #: Each world's result in projector type (presentation mode only: elsewhere the
        #: cluster's headers carry it).
        self.results = ResultsBar(session.controller, THEMES["light"])
        self.results.hide()
        #: The chapter under way and its caption, under the views (where something runs).
        self.banner = ChapterBanner(session.controller)
        self._presenting = False
        # The title and what to try share a row: the height goes to the lesson's views.
        heading = QHBoxLayout()
        heading.setSpacing(16)
        heading.addWidget(self.title, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(self.hint)
        words.addWidget(self.further)
        heading.addLayout(words, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 4)
        layout.setSpacing(4)
        self.heading = QWidget()
        self.heading.setLayout(heading)
        heading.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.results)
        layout.addWidget(self.views, 1)
        layout.addWidget(self.banner)
        self.arrange(View.DIAGRAM, None)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ApplicationFontChange:  # presentation mode
            self.apply_fonts()
        super().changeEvent(event)

    def apply_fonts(self) -> None:
        """The title's size, from the application's font."""
        self.title.setFont(app_font(1.35, bold=True))
        if hasattr(self, "banner"):
            self.banner.apply_fonts()

    def set_presenting(self, on: bool) -> None:
        """Presentation mode: the main view alone (no heading, no tabs: Ctrl+Tab switches),
        each world's result and the caption in projector type, and the views zoomed so
        that no scene text is under ``PROJECTOR_PX`` on screen."""
        self._presenting = on
        self.heading.setVisible(not on)
        self.views.tabBar().setVisible(not on and self.views.count() > 1)
        self.results.setVisible(on and self.session.runs())
        self.banner.set_projector(on)
        for view in self.findChildren(ZoomView):
            view.readable_zoom = PROJECTOR_ZOOM if on else READABLE_ZOOM
        if self.cluster is not None:
            self.cluster.set_projector(on)

    def set_heading(self, title: str, hint: str, further: str = "") -> None:
        self.title.setText(title)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.further.setText(further)
        self.further.setVisible(bool(further))

    # --- the views ------------------------------------------------------------------------

    def ensure_cluster(self) -> ClusterPanel:
        """The cluster view, bound to the session (built on first use)."""
        from vmc_gui.ui.panels.cluster_panel import ClusterPanel

        if self.cluster is None:
            self.cluster = ClusterPanel(self.session)
            self.cluster.view.setMinimumSize(*_VIEW_MINIMUM)
            self.cluster.view.readable_zoom = READABLE_ZOOM
            # Space is the window's (Simulation > Play): one shortcut, never two that clash.
            self.cluster.play_action.setShortcut(QKeySequence())
        return self.cluster

    def compat_for(self, document: ScenarioDocument) -> CompatPanel:
        if self.compat is None:
            self.compat = CompatPanel()
        self.compat.set_scenario(document.scenario)
        return self.compat

    def arrange(self, main: View, simulation: View | None) -> None:
        """The tabs: ``main`` first and on show, then the simulation (the cluster or the
        matrix, if the lesson has one) and the diagram."""
        shown = [main] + [v for v in (simulation, View.DIAGRAM) if v is not None and v != main]
        self.views.blockSignals(True)
        self.views.clear()  # the views stay alive, off their tabs
        for view in shown:
            widget = self.widget(view)
            if widget is None:
                continue
            label, tip = _TABS[view]
            index = self.views.addTab(widget, label)
            self.views.setTabToolTip(index, tip)
        self.views.setCurrentIndex(0)
        self.views.blockSignals(False)
        self.banner.setVisible(self.session.runs())
        if self._presenting:  # another lesson, in presentation mode
            self.set_presenting(True)

    def widget(self, view: View) -> QWidget | None:
        return {View.CLUSTER: self.cluster, View.DIAGRAM: self.diagram, View.MATRIX: self.compat}[
            view
        ]

    def showing(self, view: View) -> bool:
        """Whether ``view`` is the tab on show."""
        widget = self.widget(view)
        return widget is not None and self.views.currentWidget() is widget

    def has(self, view: View) -> bool:
        """Whether ``view`` is one of the lesson's tabs."""
        widget = self.widget(view)
        return widget is not None and self.views.indexOf(widget) >= 0

    def show_view(self, view: View) -> None:
        widget = self.widget(view)
        if widget is not None and self.views.indexOf(widget) >= 0:
            self.views.setCurrentWidget(widget)
