"""An isolation boundary: an outline around a partition (solid) or a namespace (dashed)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from vmc_gui.model.stacks import Boundary
from vmc_gui.ui.scenes.items.geometry_object import GeometryObject
from vmc_gui.ui.theme import LIGHT, Theme

_RADIUS = 10.0


class BoundaryItem(GeometryObject):
    """Drawn by the isolation overlay; it takes no clicks, so the layers beneath stay live."""

    def __init__(self, boundary: Boundary, theme: Theme = LIGHT) -> None:
        super().__init__()
        self.boundary = boundary
        self._theme = theme
        self._highlighted = False
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        strength = "a hypervisor boundary" if boundary.strong else "the host kernel is shared"
        self.setToolTip(f"{boundary.title}: {strength}")

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def set_highlighted(self, on: bool) -> None:
        if on != self._highlighted:
            self._highlighted = on
            self.update()

    def highlighted(self) -> bool:
        return self._highlighted

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        theme = self._theme
        strong = self.boundary.strong
        colour = (
            theme.selected
            if self._highlighted
            else (theme.strong_boundary if strong else theme.weak_boundary)
        )
        pen = QPen(colour, 2.5 if strong else 1.8)
        if not strong:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(self._rect.adjusted(1, 1, -1, -1), _RADIUS, _RADIUS)
