"""The stack diagram with its toolbar (instances, isolation, compromise) and an inspector.

The app's lesson page embeds :class:`DiagramPanel`; ``vmc_gui.ui.windows`` opens it on its own.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QMessageBox,
    QSplitter,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from vmc_gui.model.parameters import ParameterSet
from vmc_gui.model.stacks import DIAGRAMS, MAX_INSTANCES, opening_instances
from vmc_gui.ui.export import ExportError
from vmc_gui.ui.fonts import load_fonts
from vmc_gui.ui.scenes.stack_scene import StackScene
from vmc_gui.ui.scenes.stack_view import StackView
from vmc_gui.ui.theme import DARK, LIGHT

_HINT = (
    "<p><b>Click</b> a layer to see what it is, what it costs and what shares it.</p>"
    "<p><b>Isolation</b> (I) draws the boundaries; <b>Compromise</b> (C), then click an app, "
    "marks everything a kernel exploit reaches.</p>"
    "<p><b>+</b> and <b>-</b> add or remove an instance. Wheel to zoom, drag to pan, "
    "Ctrl+0 to fit.</p>"
)


class DiagramPanel(QWidget):
    """The diagram view with its toolbar and inspector, ready to embed.

    Embedded in the app (``embedded=True``), the panel leaves the theme, export and the
    inspector to the window: what it would show in its inspector it emits as ``explained``.
    """

    #: HTML explaining what the user picked (a layer, a compromise), for an inspector.
    explained = Signal(str)

    def __init__(
        self,
        name: str = "vm-vs-container",
        parent: QWidget | None = None,
        *,
        embedded: bool = False,
    ) -> None:
        super().__init__(parent)
        load_fonts()
        self.scene = StackScene(self)
        self.view = StackView(self.scene)
        self.inspector = QTextBrowser()
        self.inspector.setMinimumWidth(260)
        self.inspector.setHtml(_HINT)
        self.toolbar = QToolBar("Diagram")
        self.chooser = QComboBox()
        for key, (title, _) in DIAGRAMS.items():
            self.chooser.addItem(title, key)
        self.chooser.setToolTip("Which diagram to show")
        self.toolbar.addWidget(self.chooser)
        self.toolbar.addSeparator()
        self.add_action = self._action("+ Instance", "Add a VM or container", "+", self._add)
        self.remove_action = self._action("- Instance", "Remove one", "-", self._remove)
        self.toolbar.addSeparator()
        self.overlay_action = self._action(
            "Isolation", "Draw the isolation boundaries", "I", self._toggle_overlay, True
        )
        self.compromise_action = self._action(
            "Compromise",
            "Click an app to plant a kernel exploit in it",
            "C",
            self._toggle_compromise,
            True,
        )
        self.toolbar.addSeparator()
        # The view owns the zoom shortcuts (Ctrl+0 fits); the button only clicks.
        self._action("Fit", "Fit the diagram to the window (Ctrl+0)", "", self.view.fit)
        if not embedded:
            self.dark_action = self._action("Dark", "Dark theme", "Ctrl+Shift+D", self._theme, True)
            self._action("Export…", "Export as PNG or SVG", "Ctrl+E", self.export_dialog)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.view)
        if embedded:
            self.inspector.hide()
        else:
            splitter.addWidget(self.inspector)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        row = QHBoxLayout()
        row.addWidget(splitter)
        layout.addLayout(row)

        self.scene.layer_selected.connect(self._on_layer_selected)
        self.scene.compromised.connect(self._on_compromised)
        self.scene.instances_changed.connect(self._on_instances_changed)
        self.chooser.currentIndexChanged.connect(self._on_chooser_changed)
        self.show_diagram(name)

    def _action(
        self, text: str, tip: str, keys: str, slot: object, checkable: bool = False
    ) -> QAction:
        action = QAction(text, self)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setCheckable(checkable)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        self.toolbar.addAction(action)
        self.addAction(action)  # so that its shortcut works wherever the focus is in the panel
        return action

    def show_diagram(self, name: str, parameters: ParameterSet | None = None) -> None:
        """Show diagram ``name``, its costs from ``parameters`` (else the ones last given).
        Another diagram is fitted to the view; the same one keeps the user's zoom."""
        other = name != self.scene.name()
        # Another diagram opens with its own number of instances; the same one keeps the
        # user's.
        instances = opening_instances(name) if other else self.scene.instances()
        self.scene.set_diagram(name, instances, parameters)
        index = self.chooser.findData(name)
        if index >= 0 and index != self.chooser.currentIndex():
            self.chooser.setCurrentIndex(index)
        self.overlay_action.setChecked(self.scene.overlay())
        self._on_instances_changed(self.scene.instances())
        if other:
            self.view.fit()

    # --- handlers ------------------------------------------------------------------------

    def _on_chooser_changed(self, index: int) -> None:
        name = self.chooser.itemData(index)
        if name:
            self.show_diagram(name)
            self._explain(_HINT)

    def _add(self) -> None:
        self.scene.add_instance()

    def _remove(self) -> None:
        self.scene.remove_instance()

    def _on_instances_changed(self, count: int) -> None:
        self.add_action.setEnabled(count < MAX_INSTANCES)
        self.remove_action.setEnabled(count > 1)

    def _toggle_overlay(self, on: bool) -> None:
        self.scene.set_overlay(on)

    def _toggle_compromise(self, on: bool) -> None:
        self.scene.set_compromise_mode(on)
        if not on:
            self.scene.clear_compromise()

    def _theme(self, dark: bool) -> None:
        self.scene.set_theme(DARK if dark else LIGHT)

    def _on_layer_selected(self, key: str, explanation: str) -> None:
        title, *rest = explanation.split("\n")
        body = "".join(f"<p>{escape(line)}</p>" for line in rest)
        self._explain(f"<h3>{escape(title)}</h3>{body}")

    def _on_compromised(self, app: str, reached: list[str]) -> None:
        names = [self.scene.item_for(key).layer for key in reached]
        tenants = sorted({layer.instance for layer in names if layer.instance})
        items = "".join(
            f"<li>{escape(layer.title)}{' · ' + escape(layer.instance) if layer.instance else ''}"
            "</li>"
            for layer in names
        )
        self._explain(
            f"<h3>Kernel exploit in {escape(app.split('/')[0])}</h3>"
            f"<p>It reaches {len(reached)} layers and {len(tenants)} instance"
            f"{'s' * (len(tenants) != 1)}:</p><ul>{items}</ul>"
        )

    def _explain(self, html: str) -> None:
        self.inspector.setHtml(html)
        self.explained.emit(html)

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Export diagram",
            f"{str(self.chooser.currentData()).replace(':', '-')}.png",  # no ':' in file names
            "PNG (*.png);;SVG (*.svg)",
        )
        if not path:
            return
        try:
            self.view.export(Path(path))
        except ExportError as problem:
            QMessageBox.warning(self, "Export failed", str(problem))
