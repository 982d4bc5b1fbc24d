"""A stack's memory per instance: the app against what each instance carries besides it."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from vmc_gui.ui.fonts import ui_font
from vmc_gui.ui.scenes.items.geometry_object import GeometryObject
from vmc_gui.ui.theme import LIGHT, Theme

BAR_HEIGHT = 16.0
TEXT_HEIGHT = 36.0  # two lines


class ResourceBarItem(GeometryObject):
    """Two segments on a common scale (so that bars of different stacks compare), and a line
    of text with the totals."""

    def __init__(
        self,
        app_mb: float,
        overhead_mb: float,
        overhead_label: str,
        instances: int,
        scale_mb: float,
        theme: Theme = LIGHT,
    ) -> None:
        super().__init__()
        self._theme = theme
        self.set_values(app_mb, overhead_mb, overhead_label, instances, scale_mb)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_values(
        self,
        app_mb: float,
        overhead_mb: float,
        overhead_label: str,
        instances: int,
        scale_mb: float,
    ) -> None:
        self.app_mb, self.overhead_mb = app_mb, overhead_mb
        self.overhead_label, self.instances, self.scale_mb = overhead_label, instances, scale_mb
        total_gb = instances * (app_mb + overhead_mb) / 1024
        self.setToolTip(
            f"Memory per instance: app {app_mb:,.0f} MB + {overhead_label} {overhead_mb:,.0f} MB;"
            f" {instances} instances: {total_gb:,.1f} GB"
        )
        self.update()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def text(self) -> str:
        """Two lines: one instance's memory, then the total for the instances shown."""
        per = (self.app_mb + self.overhead_mb) / 1024
        count = f"{self.instances} instance{'s' * (self.instances != 1)}"
        return (
            f"Per instance: app {self.app_mb / 1024:.1f} GB + {self.overhead_label} "
            f"{_gb(self.overhead_mb)}\n{count}: {self.instances * per:.1f} GB"
        )

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        theme = self._theme
        width = self._rect.width()
        unit = width / max(self.scale_mb, 1.0)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        app = QRectF(0, 0, self.app_mb * unit, BAR_HEIGHT)
        over = QRectF(app.right(), 0, self.overhead_mb * unit, BAR_HEIGHT)
        painter.setBrush(theme.bar_app)
        painter.drawRoundedRect(app, 3, 3)
        painter.setBrush(theme.bar_overhead)
        painter.drawRoundedRect(over, 3, 3)
        painter.setPen(QPen(theme.outline, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(0, 0, width, BAR_HEIGHT), 3, 3)
        painter.setFont(ui_font(12))
        painter.setPen(theme.muted)
        painter.drawText(
            QRectF(0, BAR_HEIGHT + 4, width, TEXT_HEIGHT),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
            self.text(),
        )


def _gb(mb: float) -> str:
    return f"{mb / 1024:.1f} GB" if mb >= 100 else f"{mb:.0f} MB"
