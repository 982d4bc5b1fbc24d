"""An arrow between two ends of a row's diagram: what moves, what is replaced, what is used.

The layout decides the route (a :class:`FlowShape`: a polyline and the brackets that gather
a group of instances); the item only draws it, in the world's colour, so that the VM band's
arrows and the container band's read as their worlds.  Its label is a separate text item of
the scene, so that it is measured and recoloured like every other text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from vmc_gui.model.diagram_parts import Flow, FlowKind
from vmc_gui.ui.theme import LIGHT, Theme

_HEAD = 11.0  # arrowhead length
_WIDTH = {FlowKind.MOVE: 2.5, FlowKind.REPLACE: 2.5, FlowKind.USE: 1.8}


@dataclass(frozen=True, slots=True)
class FlowShape:
    """A flow's route in scene coordinates: from the first point to the last, which the
    arrowhead (if any) points into."""

    points: tuple[QPointF, ...]
    #: Brackets along a group's edge that the route starts or ends on (all of a stack's
    #: pods), each a short polyline: a tick, the edge, a tick.
    brackets: tuple[tuple[QPointF, ...], ...] = ()

    def path(self) -> QPainterPath:
        path = _polyline(self.points)
        for bracket in self.brackets:
            path.addPath(_polyline(bracket))
        return path


def _polyline(points: tuple[QPointF, ...]) -> QPainterPath:
    path = QPainterPath(points[0])
    for point in points[1:]:
        path.lineTo(point)
    return path


class FlowItem(QGraphicsItem):
    """The route, drawn by kind: solid for what crosses (MOVE), dashed for a stop here and a
    start there (REPLACE), thin and headless for what is reached or attached (USE)."""

    def __init__(self, flow: Flow, shape: FlowShape, world: str, theme: Theme = LIGHT) -> None:
        super().__init__()
        self.flow = flow
        self.route = shape
        self._world = world
        self._theme = theme
        self._path = shape.path()
        stroker = QPainterPathStroker()
        stroker.setWidth(_HEAD * 2)
        self._bounds = stroker.createStroke(self._path).boundingRect()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        if flow.label:
            self.setToolTip(flow.label)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def colour(self) -> QColor:
        if self.flow.kind is FlowKind.USE:
            return self._theme.muted
        return self._theme.world(self._world)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return self._path

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        kind = self.flow.kind
        colour = self.colour()
        pen = QPen(colour, _WIDTH[kind])
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        if kind is FlowKind.REPLACE:
            pen.setDashPattern([3.0, 2.0])
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        points = self.route.points
        if kind is FlowKind.USE:
            painter.setPen(pen)
            painter.drawPath(_polyline(points))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            for end in (points[0], points[-1]):  # a dot at each end: attached, not sent
                painter.drawEllipse(end, 3.5, 3.5)
        else:
            # The line stops where the head begins, so that the head's point stays sharp.
            tip, before = points[-1], points[-2]
            length = math.hypot(tip.x() - before.x(), tip.y() - before.y()) or 1.0
            ux, uy = (tip.x() - before.x()) / length, (tip.y() - before.y()) / length
            base = QPointF(tip.x() - ux * _HEAD, tip.y() - uy * _HEAD)
            painter.setPen(pen)
            painter.drawPath(_polyline((*points[:-1], base)))
            half = _HEAD * 0.5
            head = QPolygonF(
                [
                    tip,
                    QPointF(base.x() - uy * half, base.y() + ux * half),
                    QPointF(base.x() + uy * half, base.y() - ux * half),
                ]
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawPolygon(head)
        if self.route.brackets:
            solid = QPen(colour, 2.0)
            solid.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(solid)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for bracket in self.route.brackets:
                painter.drawPath(_polyline(bracket))
