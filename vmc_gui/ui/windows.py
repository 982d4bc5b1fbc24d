"""The stand-alone windows: a stack diagram, or a scenario's cluster with its charts, each
without the app's shell (``vmc-gui diagram:NAME``, ``vmc-gui cluster:SCENARIO``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

from vmc_gui.model.scenario import Scenario
from vmc_gui.model.stacks import DIAGRAMS
from vmc_gui.ui.app import run_window
from vmc_gui.ui.charts.charts_panel import ChartsPanel
from vmc_gui.ui.panels.cluster_panel import ClusterPanel
from vmc_gui.ui.panels.diagram_panel import DiagramPanel


class DiagramWindow(QMainWindow):
    def __init__(self, name: str = "vm-vs-container") -> None:
        super().__init__()
        self.panel = DiagramPanel(name, self)
        self.setCentralWidget(self.panel)
        self.setWindowTitle("vmc-gui — stack diagrams")
        self.resize(1360, 820)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    name = args[0].removeprefix("diagram:") if args else "vm-vs-container"
    if name not in DIAGRAMS:
        print(f"vmc-gui: no diagram {name!r}; the diagrams are: {', '.join(DIAGRAMS)}")
        return 2
    return run_window(lambda: DiagramWindow(name))


def show_window(scenario: Scenario) -> int:
    """Open the cluster view of ``scenario`` in a window and run until it closes."""

    def build() -> QMainWindow:
        window = QMainWindow()
        panel = ClusterPanel(scenario, window)
        window.setCentralWidget(panel)
        # The charts follow the same clock, docked under the cluster.
        dock = QDockWidget("Charts", window)
        dock.setObjectName("charts")
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        dock.setWidget(ChartsPanel(panel.controller, dock))
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        window.resizeDocks([dock], [340], Qt.Orientation.Vertical)
        window.setWindowTitle(f"vmc-gui — {scenario.title}")
        window.resize(1440, 960)
        return window

    return run_window(build)


if __name__ == "__main__":
    raise SystemExit(main())
