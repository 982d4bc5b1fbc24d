"""The stack diagrams as a scene: it projects a model Diagram and reports what the user does.

The scene keeps one item per layer, boundary and bar, keyed by the model's stable keys, and
moves them to match the diagram; when the user adds or removes an instance, the items glide
to their new places in one animation group.  It never changes the model: a click leaves as
``layer_selected``, an exploit as ``compromised``.

A row's diagram (one with bands: model.row_diagrams) adds its parts, flows and state
outlines, laid out by :mod:`row_layout`; it is drawn anew on each change, without the glide,
since its arrows are routed for where the layers end up.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEasingCurve,
    QObject,
    QParallelAnimationGroup,
    QPropertyAnimation,
    QRectF,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsScene, QGraphicsTextItem

from vmc_gui.model.diagram_parts import State
from vmc_gui.model.parameters import ParameterSet
from vmc_gui.model.stacks import (
    DEFAULT_INSTANCES,
    MAX_INSTANCES,
    Diagram,
    LayerKind,
    Stack,
    diagram,
    explain,
    exploit_reach,
    isolated_by,
    sharing,
)
from vmc_gui.ui.fonts import ui_font
from vmc_gui.ui.scenes.items.boundary_item import BoundaryItem
from vmc_gui.ui.scenes.items.flow_item import FlowItem
from vmc_gui.ui.scenes.items.layer_item import LayerItem, Mark
from vmc_gui.ui.scenes.items.part_item import PartItem
from vmc_gui.ui.scenes.items.resource_bar_item import ResourceBarItem
from vmc_gui.ui.scenes.items.state_item import StateItem
from vmc_gui.ui.scenes.row_layout import banded
from vmc_gui.ui.scenes.stack_layout import Layout, side_by_side
from vmc_gui.ui.theme import LIGHT, Theme

ANIMATION_MS = 380

_OVERHEAD_LABEL = {"vm": "guest OS", "container": "runtime", "hyperv-container": "utility VM"}


class StackScene(QGraphicsScene):
    """Layered stacks, side by side at one scale, with selection, overlay and compromise."""

    #: The selected layer's key and its explanation (title, what it is, cost, sharing).
    layer_selected = Signal(str, str)
    #: The compromised app's key and every layer key the exploit reaches.
    compromised = Signal(str, list)
    #: The number of instances per stack, after the user added or removed one.
    instances_changed = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._theme: Theme = LIGHT
        self._parameters = ParameterSet()
        self._name = ""
        self._instances = DEFAULT_INSTANCES
        self._diagram: Diagram | None = None
        self._layers: dict[str, LayerItem] = {}
        self._boundaries: dict[str, BoundaryItem] = {}
        self._bars: dict[str, ResourceBarItem] = {}
        self._texts: list[QGraphicsTextItem] = []
        #: A row's diagram's parts, flows and state outlines: drawn anew with each change.
        self._parts: dict[str, PartItem] = {}
        self._flows: dict[str, FlowItem] = {}
        self._states: list[StateItem] = []
        #: Layers that a state leaves gone or failed: dimmed whatever else is marked.
        self._faded: set[str] = set()
        self._stack_of: dict[str, Stack] = {}
        self._animate = True
        self._animation: QParallelAnimationGroup | None = None
        #: Items fading out; discarded when their animation ends or is overtaken.
        self._leaving: list[LayerItem | BoundaryItem] = []
        self._overlay = False
        self._compromise_mode = False
        self._selected = ""
        self._compromised = ""
        self._bounds = QRectF()
        self.setBackgroundBrush(self._theme.background)

    # --- what is shown -------------------------------------------------------------------

    def set_diagram(
        self,
        name: str,
        instances: int = DEFAULT_INSTANCES,
        parameters: ParameterSet | None = None,
    ) -> None:
        """Show the diagram called ``name`` (raises UnknownDiagram for a bad name)."""
        self._parameters = parameters or self._parameters
        built = diagram(name, instances, self._parameters)
        first = name != self._name
        self._name, self._instances, self._diagram = name, instances, built
        if first:
            self._overlay = built.overlay
            self._selected = self._compromised = ""
            self._clear()
        self._sync(animate=self._animate and not first)

    def name(self) -> str:
        """The name of the diagram on show ("" before the first)."""
        return self._name

    def diagram(self) -> Diagram | None:
        return self._diagram

    def instances(self) -> int:
        return self._instances

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.setBackgroundBrush(theme.background)
        for item in (
            *self._layers.values(),
            *self._boundaries.values(),
            *self._bars.values(),
            *self._parts.values(),
            *self._flows.values(),
            *self._states,
        ):
            item.set_theme(theme)
        for text in self._texts:
            text.setDefaultTextColor(self._text_colour(text))

    def theme(self) -> Theme:
        return self._theme

    def set_animations_enabled(self, enabled: bool) -> None:
        """With animations off every change jumps to its end state (tests and export)."""
        self._animate = enabled
        if not enabled:
            self.finish_animation()

    def finish_animation(self) -> None:
        """Jump a running transition to its end state (before an export, say)."""
        group, self._animation = self._animation, None
        if group is not None:
            group.setCurrentTime(group.totalDuration())
            group.stop()
            group.deleteLater()
        for item in self._leaving:
            self._discard(item)
        self._leaving = []

    # --- user actions the scene answers ---------------------------------------------------

    def add_instance(self) -> bool:
        """One more VM or container in every stack; False at the limit."""
        return self._resize(self._instances + 1)

    def remove_instance(self) -> bool:
        """One fewer; False at one."""
        return self._resize(self._instances - 1)

    def _resize(self, instances: int) -> bool:
        if not 1 <= instances <= MAX_INSTANCES or not self._name:
            return False
        self.set_diagram(self._name, instances)
        self.instances_changed.emit(instances)
        if self._compromised:  # the exploit now reaches the new instances too
            self.compromise(self._compromised)
        if self._selected in self._stack_of:  # its explanation counts the instances
            self.layer_selected.emit(
                self._selected, explain(self._stack_of[self._selected], self._selected)
            )
        return True

    def select(self, key: str) -> None:
        """Select a layer: mark it, what shares it, and the boundaries it keeps."""
        layer = self._layers.get(key)
        if self._compromise_mode and layer is not None and layer.layer.kind is LayerKind.APP:
            self.compromise(key)
            return
        stack = self._stack_of.get(key)
        if stack is None:
            return
        self._selected = key
        self._refresh_marks()
        self.layer_selected.emit(key, explain(stack, key))

    def clear_selection(self) -> None:
        self._selected = ""
        self._refresh_marks()

    def selected(self) -> str:
        return self._selected

    def set_overlay(self, on: bool) -> None:
        """Draw (or hide) the isolation boundaries."""
        self._overlay = on
        for item in self._boundaries.values():
            item.setVisible(on or item.highlighted())

    def overlay(self) -> bool:
        return self._overlay

    def set_compromise_mode(self, on: bool) -> None:
        """While on, clicking an app plants a kernel exploit in it."""
        self._compromise_mode = on

    def compromise(self, app_key: str) -> list[str]:
        """Plant a kernel exploit in ``app_key``: mark and return every layer it reaches."""
        stack = self._stack_of[app_key]
        reached = list(exploit_reach(stack, app_key))
        self._compromised = app_key
        self._refresh_marks()
        self.compromised.emit(app_key, reached)
        return reached

    def clear_compromise(self) -> None:
        self._compromised = ""
        self._refresh_marks()

    def item_for(self, key: str) -> LayerItem:
        return self._layers[key]

    def boundary_for(self, key: str) -> BoundaryItem:
        return self._boundaries[key]

    def bar_for(self, stack_index: int) -> ResourceBarItem:
        return self._bars[str(stack_index)]

    def part_for(self, key: str) -> PartItem:
        return self._parts[key]

    def flow_for(self, key: str) -> FlowItem:
        return self._flows[key]

    def state_items(self) -> list[StateItem]:
        return list(self._states)

    def texts(self) -> list[QGraphicsTextItem]:
        """The scene's text items: the title, the caption, stack and band titles, labels."""
        return list(self._texts)

    def export_title(self) -> str:
        return self._diagram.title if self._diagram else ""

    def content_rect(self) -> QRectF:
        """The diagram with its margins: what fit-to-view and export show."""
        return QRectF(self._bounds)

    # --- marks ---------------------------------------------------------------------------

    def _refresh_marks(self) -> None:
        reached: set[str] = set()
        if self._compromised and self._compromised in self._stack_of:
            reached = set(exploit_reach(self._stack_of[self._compromised], self._compromised))
        related: set[str] = set()
        kept: set[str] = set()
        if self._selected in self._stack_of:
            stack = self._stack_of[self._selected]
            related = set(sharing(stack, self._selected))
            kept = set(isolated_by(stack, self._selected))
        compromised_stack = self._stack_of.get(self._compromised)
        for key, item in self._layers.items():
            if key in reached:
                item.set_mark(Mark.COMPROMISED)
            elif key == self._selected:
                item.set_mark(Mark.SELECTED)
            elif key in related:
                item.set_mark(Mark.SHARED)
            else:
                item.set_mark(Mark.NONE)
            # Within the attacked stack, what the exploit cannot reach is dimmed.
            item.set_dimmed(
                key in self._faded
                or (
                    compromised_stack is not None
                    and self._stack_of[key] is compromised_stack
                    and key not in reached
                )
            )
        for key, boundary in self._boundaries.items():
            boundary.set_highlighted(key in kept)
            # What the selection keeps apart shows even with the overlay off.
            boundary.setVisible(self._overlay or key in kept)

    # --- layout --------------------------------------------------------------------------

    def _sync(self, *, animate: bool) -> None:
        built = self._diagram
        assert built is not None
        layout = banded(built) if built.bands else side_by_side(built)
        # A row's diagram is drawn at once: its arrows are laid out for where the layers
        # end up, and gliding layers would leave them behind.
        animate = animate and not built.bands
        self._stack_of = {layer.key: s for s in built.stacks for layer in s.layers}
        self._stack_of.update({b.key: s for s in built.stacks for b in s.boundaries})
        # A transition still running is overtaken: what it was removing goes now, and what
        # it was moving or fading in carries on from where it is.
        group_before, self._animation = self._animation, None
        if group_before is not None:
            group_before.stop()
            group_before.deleteLater()
        for item in self._leaving:
            self._discard(item)
        self._leaving = []
        group = QParallelAnimationGroup(self)
        leaving: list[LayerItem | BoundaryItem] = []
        if self._selected not in layout.layers:
            self._selected = ""
        if self._compromised not in layout.layers:
            self._compromised = ""

        layer_models = {layer.key: layer for s in built.stacks for layer in s.layers}
        for key, rect in layout.layers.items():
            item = self._layers.get(key)
            if item is None:
                item = LayerItem(layer_models[key], self._theme)
                item.clicked.connect(self.select)
                item.setZValue(1)
                self.addItem(item)
                self._layers[key] = item
                start = QRectF(rect)
                start.setHeight(0)
                start.moveTop(rect.bottom())
                self._move(group, item, start if animate else rect, rect, animate)
                if animate:
                    self._fade(group, item, 0.0, 1.0)
            else:
                item.set_layer(layer_models[key])  # costs follow the parameters
                self._move(group, item, item.geometry, rect, animate)
                if item.opacity() < 1.0:  # it was still fading in
                    if animate:
                        self._fade(group, item, item.opacity(), 1.0)
                    else:
                        item.setOpacity(1.0)
        for key in [k for k in self._layers if k not in layout.layers]:
            leaving.append(self._layers.pop(key))

        boundary_models = {b.key: b for s in built.stacks for b in s.boundaries}
        for key, rect in layout.boundaries.items():
            boundary = self._boundaries.get(key)
            if boundary is None:
                boundary = BoundaryItem(boundary_models[key], self._theme)
                boundary.setZValue(2)
                self.addItem(boundary)
                self._boundaries[key] = boundary
                self._move(group, boundary, rect, rect, False)
            else:
                self._move(group, boundary, boundary.geometry, rect, animate)
        for key in [k for k in self._boundaries if k not in layout.boundaries]:
            leaving.append(self._boundaries.pop(key))

        self._sync_bars(built, layout, group, animate)
        self._sync_texts(built, layout)
        self._sync_parts(built, layout)
        self._bounds = layout.bounds
        self.setSceneRect(layout.bounds)

        for item in leaving:
            if animate:
                self._fade(group, item, item.opacity(), 0.0)
                self._leaving.append(item)
            else:
                self._discard(item)
        self._refresh_marks()
        if animate and group.animationCount():
            self._animation = group
            group.finished.connect(self._on_animation_finished)
            group.start()
        else:
            group.deleteLater()

    def _on_animation_finished(self) -> None:
        self.finish_animation()

    def _sync_bars(
        self, built: Diagram, layout: Layout, group: QParallelAnimationGroup, animate: bool
    ) -> None:
        scale = max((s.app_mb() + s.overhead_mb() for s in built.stacks), default=1.0)
        for index, stack in enumerate(built.stacks):
            key = str(index)
            rect = layout.bars.get(key)
            bar = self._bars.get(key)
            if rect is None:
                continue
            label = _OVERHEAD_LABEL.get(stack.world.value, "overhead")
            values = (stack.app_mb(), stack.overhead_mb(), label, len(stack.instances), scale)
            if bar is None:
                bar = ResourceBarItem(*values, theme=self._theme)
                self.addItem(bar)
                self._bars[key] = bar
                self._move(group, bar, rect, rect, False)
            else:
                bar.set_values(*values)
                self._move(group, bar, bar.geometry, rect, animate)
        for key in [k for k in self._bars if k not in layout.bars]:
            self._discard(self._bars.pop(key))

    def _sync_texts(self, built: Diagram, layout: Layout) -> None:
        for text in self._texts:
            self.removeItem(text)
        self._texts = []
        title = self._text(built.title, 20, bold=True, role="text")
        title.setPos(layout.caption.topLeft())
        caption = self._text(built.caption, 13, bold=False, role="muted")
        caption.setTextWidth(layout.caption.width())
        caption.setPos(layout.caption.left(), layout.caption.top() + 32)
        for index, stack in enumerate(built.stacks):
            rect = layout.titles[str(index)]
            label = self._text(stack.title, 15, bold=True, role="text")
            label.setPos(rect.left(), rect.top())

    def _sync_parts(self, built: Diagram, layout: Layout) -> None:
        """A row's diagram's parts, flows and state outlines, and its layers that a state
        leaves gone or failed."""
        for item in (*self._parts.values(), *self._flows.values(), *self._states):
            self._discard(item)
        self._parts, self._flows, self._states = {}, {}, []
        for part in built.parts:
            item = PartItem(part, self._theme)
            item.geometry = layout.parts[part.key]
            item.setZValue(1)
            self.addItem(item)
            self._parts[part.key] = item
        worlds = _worlds(built)
        for flow in built.flows:
            world = worlds.get(flow.source) or worlds.get(flow.target, "")
            arrow = FlowItem(flow, layout.flows[flow.key], world, self._theme)
            arrow.setZValue(3)
            self.addItem(arrow)
            self._flows[flow.key] = arrow
        for state, rect in layout.states.values():
            outline = StateItem(state, self._theme)
            outline.geometry = rect
            outline.setZValue(2.5)
            self.addItem(outline)
            self._states.append(outline)
        self._faded = {
            key
            for name, state in built.states.items()
            if state is not State.NEW
            for key in built.covered(name)
        }
        for label in layout.labels:
            text = self._text(label.text, label.size, bold=label.bold, role=label.role)
            if label.rect.width() > 0:
                text.setTextWidth(label.rect.width())
            text.setPos(label.rect.topLeft())
            text.setZValue(4)

    def _text(self, text: str, size: int, *, bold: bool, role: str) -> QGraphicsTextItem:
        item = QGraphicsTextItem(text)
        item.setFont(ui_font(size, bold=bold))
        item.setData(0, role)
        item.setDefaultTextColor(self._text_colour(item))
        item.document().setDocumentMargin(0)
        self.addItem(item)
        self._texts.append(item)
        return item

    def _text_colour(self, item: QGraphicsTextItem) -> QColor:
        role = str(item.data(0))
        if role.startswith("world:"):  # a band's title, in its world's colour
            return self._theme.world(role.removeprefix("world:"))
        return self._theme.muted if role == "muted" else self._theme.text

    # --- animation helpers ---------------------------------------------------------------

    def _move(
        self,
        group: QParallelAnimationGroup,
        item: LayerItem | BoundaryItem | ResourceBarItem,
        start: QRectF,
        end: QRectF,
        animate: bool,
    ) -> None:
        if not animate or start == end:
            item.geometry = end
            return
        item.geometry = start
        animation = QPropertyAnimation(item, b"geometry")  # the group owns it
        animation.setDuration(ANIMATION_MS)
        animation.setStartValue(start)
        animation.setEndValue(end)
        animation.setEasingCurve(QEasingCurve.Type.OutCubic)
        group.addAnimation(animation)

    def _fade(
        self,
        group: QParallelAnimationGroup,
        item: LayerItem | BoundaryItem,
        start: float,
        end: float,
    ) -> None:
        item.setOpacity(start)
        animation = QPropertyAnimation(item, b"opacity")
        animation.setDuration(ANIMATION_MS)
        animation.setStartValue(start)
        animation.setEndValue(end)
        group.addAnimation(animation)

    def _discard(
        self, item: LayerItem | BoundaryItem | ResourceBarItem | PartItem | FlowItem | StateItem
    ) -> None:
        if item.scene() is self:
            self.removeItem(item)
        if isinstance(item, FlowItem):  # a plain item: no event loop to wait for
            return
        item.deleteLater()

    def _clear(self) -> None:
        self.finish_animation()
        for item in (
            *self._layers.values(),
            *self._boundaries.values(),
            *self._bars.values(),
            *self._parts.values(),
            *self._flows.values(),
            *self._states,
        ):
            self._discard(item)
        self._layers.clear()
        self._boundaries.clear()
        self._bars.clear()
        self._parts.clear()
        self._flows.clear()
        self._states.clear()
        self._faded = set()


def _worlds(built: Diagram) -> dict[str, str]:
    """The world of each stack (by prefix), instance and part of a row's diagram: its
    flows are drawn in their world's colour."""
    worlds: dict[str, str] = {}
    for band in built.bands:
        for stack in (built.stacks[i] for i in band.stacks):
            worlds.update(dict.fromkeys((stack.prefix, *stack.instances), band.world.value))
    for part in built.parts:
        near = [worlds[name] for name in part.near if name in worlds]
        band = built.bands[part.band] if part.band < len(built.bands) else None
        worlds[part.key] = near[0] if near else (band.world.value if band else "")
    return worlds
