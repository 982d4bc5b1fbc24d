"""The view on a scene: zoom, pan, fit, and export of what it shows.

Any scene with ``content_rect()``, ``finish_animation()`` and ``export_title()`` works: the
stack diagrams and the cluster.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QKeySequence,
    QPainter,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

from vmc_gui.ui.export import ExportOptions, export_scene
from vmc_gui.ui.scenes.minimap import Minimap

#: A large cluster fits a window at a few hundredths (its hosts drawn as cells, its words at
#: screen size: the scene reads at any zoom).
MIN_ZOOM, MAX_ZOOM = 0.02, 6.0
_STEP = 1.15
#: The smallest text a scene draws, in scene units, and the least an eye reads on screen:
#: a view that must stay legible never fits below their ratio (it scrolls instead).
SCENE_TEXT_MIN_PX = 11
LEGIBLE_PX = 11
READABLE_ZOOM = LEGIBLE_PX / SCENE_TEXT_MIN_PX
#: Presentation mode's floor: text a lecture hall reads from its back rows on a projector
#: (24 px on a 1920x1080 screen), and the zoom that gives the smallest scene text that size.
PROJECTOR_PX = 24
PROJECTOR_ZOOM = PROJECTOR_PX / SCENE_TEXT_MIN_PX


class ViewableScene(Protocol):
    """What a scene offers the view."""

    def content_rect(self) -> QRectF: ...
    def finish_animation(self) -> None: ...
    def export_title(self) -> str: ...


class ZoomView(QGraphicsView):
    """Wheel to zoom around the pointer, drag to pan, and the usual shortcuts:
    Ctrl++ / Ctrl+- zoom, Ctrl+0 fits, Ctrl+1 shows 100 %."""

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self._scene: Any = scene  # a ViewableScene
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.TextAntialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        # A scene shorter than the view starts at its top, as a page does, not in mid-air.
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setMinimumSize(480, 320)
        # A view takes no drops: a file dropped on it goes to the window, which opens it.
        self.setAcceptDrops(False)
        self._fit_pending = True
        #: Whether the view follows the diagram's size (until the user zooms by hand).
        self._fitted = True
        #: The least zoom fitting may choose (0: none): a lesson's views stay legible and
        #: scroll, rather than shrink their text below the floor.  "Fit to window" (Ctrl+0)
        #: shows the whole scene all the same.
        self.readable_zoom = 0.0
        self._fit_readable = True
        #: The overview in the corner while zoomed in (see enable_minimap), or None.
        self.minimap: Minimap | None = None
        scene.sceneRectChanged.connect(self._on_scene_rect_changed)
        for text, keys, slot in (
            ("Zoom in", QKeySequence.StandardKey.ZoomIn, self.zoom_in),
            ("Zoom out", QKeySequence.StandardKey.ZoomOut, self.zoom_out),
            ("Fit to window", QKeySequence("Ctrl+0"), self.fit_whole),
            ("Actual size", QKeySequence("Ctrl+1"), self.reset_zoom),
        ):
            action = QAction(text, self)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

    def enable_minimap(self) -> Minimap:
        """Show an overview of the whole scene in the corner once the user zooms in beyond
        fit (see vmc_gui.ui.scenes.minimap)."""
        if self.minimap is None:
            self.minimap = Minimap(self)
        return self.minimap

    def sizeHint(self) -> QSize:
        return QSize(1200, 720)

    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float) -> None:
        self._fitted = False
        self._zoom_to(factor)

    def _zoom_to(self, factor: float) -> None:
        factor = min(MAX_ZOOM, max(MIN_ZOOM, factor))
        current = self.zoom()
        self.scale(factor / current, factor / current)

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom() * _STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom() / _STEP)

    def reset_zoom(self) -> None:
        self.set_zoom(1.0)

    def fit(self) -> None:
        """Show the whole diagram, or as much as fits at the readable zoom (its top left
        first: the headers), and keep doing so as it grows or the window resizes."""
        self._fitted = True
        # A scene may fit less than the whole (a large cluster on a short view: one world).
        rect = self._follow_fit_rect()
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
            if self.zoom() > MAX_ZOOM or self.zoom() < MIN_ZOOM:
                self._zoom_to(self.zoom())
            # A scene that reads at any zoom (semantic zoom, at scale) is fitted whole.
            legible = bool(getattr(self._scene, "at_scale", lambda: False)())
            if self._fit_readable and not legible and self.zoom() < self.readable_zoom:
                self._zoom_to(self.readable_zoom)
                self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())
                self.verticalScrollBar().setValue(self.verticalScrollBar().minimum())

    def show_rect(self, rect: QRectF) -> None:
        """Zoom to show ``rect`` (scene units) whole, as a user zooming in would: the view
        stops following the scene's size until fitted again."""
        self._fitted = False
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom() > MAX_ZOOM or self.zoom() < MIN_ZOOM:
            self._zoom_to(self.zoom())
        self.centerOn(rect.center())

    def fit_whole(self) -> None:
        """Show the whole scene however small (Fit to window), until the next lesson."""
        self._fit_readable = False
        self.fit()

    def fit_readable(self) -> None:
        """Fit again, never below the readable zoom (a lesson opening)."""
        self._fit_readable = True
        self.fit()

    def is_fitted(self) -> bool:
        return self._fitted

    def _follow_fit_rect(self) -> QRectF:
        """What fitting shows: the whole scene, or (a large cluster on a short view) one
        world of several, over which alone the view then scrolls (its scroll bars, the
        minimap); the cluster panel's switch (W) shows the next."""
        fit_rect = getattr(self._scene, "fit_rect", None)
        if fit_rect is None:
            return QRectF(self._scene.content_rect())
        rect = QRectF(fit_rect())
        self.setSceneRect(QRectF() if rect == self._scene.content_rect() else rect)
        return rect

    def _on_scene_rect_changed(self) -> None:
        if self._fitted:
            self.fit()
        else:  # zoomed in by hand: the view stays, over what the scene now has
            self._follow_fit_rect()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fitted and not self._fit_pending:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.set_zoom(self.zoom() * _STEP**steps)
        event.accept()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fit_pending:
            self._fit_pending = False
            self.fit()

    def export(
        self,
        path: str | Path,
        *,
        scale: float = 2.0,
        size: tuple[int, int] | None = None,
        transparent: bool = False,
        visible_only: bool = False,
        metadata: dict[str, str] | None = None,
    ) -> QSize:
        """Export the diagram (or only what the view shows) as PNG or SVG, carrying
        ``metadata`` (the scenario on show: see vmc_gui.ui.picture_meta)."""
        self._scene.finish_animation()  # never a half-drawn frame
        # The whole the view fits: the diagram, or a large cluster's world on show (the
        # export dialog lays a picture of every world out afresh: see shell.export_targets).
        fit_rect = getattr(self._scene, "fit_rect", self._scene.content_rect)
        source = (
            self.mapToScene(self.viewport().rect()).boundingRect()
            if visible_only
            else QRectF(fit_rect())
        )
        options = ExportOptions(scale, size, transparent)
        title = self._scene.export_title()
        return export_scene(self._scene, source, path, options, title, metadata)
