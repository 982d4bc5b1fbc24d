"""The stand-alone windows: a stack diagram, or a scenario's cluster with its charts, each
without the app's shell (``vmc-gui show diagram:NAME``, ``vmc-gui show cluster:SCENARIO``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow

from vmc_gui.model.scenario import Scenario
from vmc_gui.model.stacks import DIAGRAMS
from vmc_gui.ui.app import run_window
from vmc_gui.ui.charts.charts_panel import ChartsPanel
from vmc_gui.ui.document import ScenarioDocument
from vmc_gui.ui.panels.cluster_panel import ClusterPanel
from vmc_gui.ui.panels.diagram_panel import DiagramPanel
from vmc_gui.ui.session import LessonSession
from vmc_gui.ui.shell.simulation_progress import SimulationProgress


class DiagramWindow(QMainWindow):
    def __init__(self, name: str = "vm-vs-container") -> None:
        super().__init__()
        self.panel = DiagramPanel(name, self)
        self.setCentralWidget(self.panel)
        self.setWindowTitle("Stack diagrams")
        self.resize(1360, 820)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    name = args[0].removeprefix("diagram:") if args else "vm-vs-container"
    if name not in DIAGRAMS:
        print(f"vmc-gui: no diagram {name!r}; the diagrams are: {', '.join(DIAGRAMS)}")
        return 2
    return run_window(lambda: DiagramWindow(name))


class ClusterWindow(QMainWindow):
    """A scenario's cluster with its charts docked under it, on a session of its own.

    The window opens at once and simulates its scenario afterwards, as the app's main window
    does: a large one in a worker thread with a progress dialog (Cancel closes the window),
    so that a 10,000-host scenario never leaves a window that does not paint."""

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.session = LessonSession(self)
        #: Runs the scenario: see the class's docstring.
        self.simulation = SimulationProgress(self)
        self.session.simulator = self.simulation.simulate
        self._document = ScenarioDocument(scenario, parent=self.session)
        self.panel = ClusterPanel(self.session, self)
        self.setCentralWidget(self.panel)
        # The charts follow the same clock, docked under the cluster.
        dock = QDockWidget("Charts", self)
        dock.setObjectName("charts")
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        dock.setWidget(ChartsPanel(self.panel.controller, dock))
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.resizeDocks([dock], [340], Qt.Orientation.Vertical)
        self.setWindowTitle(scenario.title)
        self.resize(1440, 960)

    def start(self) -> bool:
        """Simulate the scenario and show it; False (and the window closes) if the user
        cancelled the run."""
        if self.session.show(self._document):
            return True
        self.close()
        return False


def show_window(scenario: Scenario) -> int:
    """Open the cluster view of ``scenario`` in a window and run until it closes."""

    def build() -> QMainWindow:
        window = ClusterWindow(scenario)
        # After the window is on screen: the run's progress shows over it.
        QTimer.singleShot(0, window.start)
        return window

    return run_window(build)


if __name__ == "__main__":
    raise SystemExit(main())
