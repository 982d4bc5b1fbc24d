"""An overview in a corner of a zoomed-in view: its whole scene small, with the part the view
shows outlined; a click or a drag there moves the view.

The overview is a child of the view's viewport, so that it floats over the scene without
covering the scroll bars, and exports of the view (which render the scene, not the viewport)
leave it out.  It shows only once the user zooms in beyond fit, so that a fitted view, and the
window's pictures of one (a lesson's stills and animations), have none.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, QRectF, QSize, Qt, QTimer, Slot
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QHideEvent,
    QMouseEvent,
    QMoveEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QShowEvent,
)
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from vmc_gui.ui.scenes.zoom_view import ZoomView

#: The overview's width on screen (pixels), its tallest, and its distance from the corner.
WIDTH = 220
MAX_HEIGHT = 180
MARGIN = 10
#: The most of the viewport's width or height it may take: a small view keeps its scene.
MAX_SHARE = 0.4
#: How long a change to the scene waits before the picture is drawn again (ms), at least:
#: during playback the scene changes every frame, and it is drawn two or three times a second...
MIN_REFRESH_MS = 400
#: ...and at least this many times what the last drawing took: a 1,000-host scene takes 20 to
#: 50 ms to draw whole, so that it costs playback a tenth of its time at most.
REFRESH_COST_FACTOR = 10
#: The background's and the picture's opacity: the scene under it shows through a little,
#: so that it reads as floating above the view, not as part of the diagram.
BACKGROUND_ALPHA = 225
PICTURE_OPACITY = 0.9
TOOLTIP = "Overview: click or drag to move the view"


class Minimap(QWidget):
    """The overview of ``view``'s scene, in the bottom-right corner of its viewport, shown
    only while the user has zoomed in beyond fit (see :meth:`needed`)."""

    def __init__(self, view: ZoomView) -> None:
        super().__init__(view.viewport())
        self._view = view
        self._scene: Any = view.scene()  # a ViewableScene (see zoom_view)
        self._picture = QPixmap()
        #: Whether the scene has changed since the picture was drawn.
        self._stale = True
        #: The content the picture shows (another world on show is another picture).
        self._drawn_for = QRectF()
        #: How many times the scene has been drawn into the picture (the tests count them).
        self.render_count = 0
        self._refresh_ms = MIN_REFRESH_MS
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.timeout.connect(self.refresh)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(0)
        self._settle.timeout.connect(self.sync_visibility)
        self._dragging = False
        #: Whether the scene's ``changed`` reaches it (from its first show on).
        self._following = False
        self.setToolTip(TOOLTIP)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setVisible(False)
        self._place()
        self._scene.sceneRectChanged.connect(self._on_view_changed)
        for bar in (view.horizontalScrollBar(), view.verticalScrollBar()):
            bar.valueChanged.connect(self._on_view_changed)
            bar.rangeChanged.connect(self._on_view_changed)
        view.viewport().installEventFilter(self)

    # --- where it is and whether it shows --------------------------------------------------

    def content_rect(self) -> QRectF:
        """What the map shows: the view's whole (a large cluster's world on show, where
        one is shown at a time), or the scene's."""
        fit_rect = getattr(self._scene, "fit_rect", None)
        return QRectF(fit_rect() if fit_rect is not None else self._scene.content_rect())

    def visible_rect(self) -> QRectF:
        """What the view shows, in scene units."""
        return self._view.mapToScene(self._view.viewport().rect()).boundingRect()

    def needed(self) -> bool:
        """Whether the user has zoomed in beyond fit: the view no longer follows its fit,
        and shows less than the whole content.  A fitted view that scrolls (a lesson's first
        look, at its readable zoom) has none, nor have the window's pictures of it."""
        content = self.content_rect()
        if content.isEmpty() or self._view.is_fitted():
            return False
        # Within a pixel: a rounding is not a part out of sight.
        slack = 1.0 / max(self._view.zoom(), 1e-6)
        inner = content.adjusted(slack, slack, -slack, -slack)
        return not self.visible_rect().contains(inner)

    def _size_for(self, viewport: QSize) -> QSize:
        """The content's proportions, 220 px wide, no taller than 180 px, and no more than
        ``MAX_SHARE`` of the viewport either way."""
        content = self.content_rect()
        if content.isEmpty():
            return QSize(0, 0)
        aspect = content.height() / content.width()
        width = min(float(WIDTH), viewport.width() * MAX_SHARE)
        tallest = min(float(MAX_HEIGHT), viewport.height() * MAX_SHARE)
        if width * aspect > tallest:
            width = tallest / aspect
        # The frame's pixel on each side comes on top of the picture.
        return QSize(max(round(width), 8) + 2, max(round(width * aspect), 8) + 2)

    @Slot()
    def _on_view_changed(self) -> None:
        """Kept in the corner, the outline moved; shown or hidden once the view settles."""
        if self.content_rect() != self._drawn_for:
            self._on_scene_changed()  # another world on show (W): another picture
        self._place()
        self.update()
        # Not at once: fitting scales the view before it scrolls, and a moment between the
        # two, zoomed in, would draw the whole scene for nothing (50 ms at 1,000 hosts).
        self._settle.start()

    def _place(self) -> None:
        viewport = self._view.viewport()
        size = self._size_for(viewport.size())
        corner = QRect(0, 0, size.width(), size.height())
        corner.moveBottomRight(viewport.rect().bottomRight() - QPoint(MARGIN, MARGIN))
        if self.geometry() == corner:
            return
        resized = self.size() != corner.size()
        self.setGeometry(corner)
        if resized:
            # The old picture, stretched, until the new one is drawn.
            self._on_scene_changed()

    @Slot()
    def sync_visibility(self) -> None:
        """Shown while :meth:`needed`, hidden otherwise."""
        show = self.needed()
        if show != self.isVisibleTo(self._view):
            self.setVisible(show)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view.viewport() and event.type() == QEvent.Type.Resize:
            self._on_view_changed()
        return super().eventFilter(watched, event)

    def moveEvent(self, event: QMoveEvent) -> None:
        # The view scrolls its viewport children and all (QWidget.scroll): straight back to
        # the corner, before the next paint.
        super().moveEvent(event)
        self._place()

    # --- the picture -------------------------------------------------------------------------

    @Slot()
    def _on_scene_changed(self) -> None:
        self._stale = True
        # Once per refresh interval at most, however often the scene repaints (every frame
        # during playback); nothing while hidden: it is drawn when it shows.
        if self.isVisible() and not self._refresh.isActive():
            self._refresh.start(self._refresh_ms)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._following:
            # Not before the first show: once anything listens to ``changed``, the scene
            # sends every view its updates through that signal (Qt's compatibility path),
            # which shifts the order a pass of the event loop handles them in.  A view never
            # zoomed in by hand (a lesson's first look, presentation mode, the command
            # line's pictures) keeps Qt's direct path.  Whatever changed, the whole is drawn
            # again: the rectangles are not needed.
            self._scene.changed.connect(self._on_scene_changed)
            self._following = True
        # Never a stale or an empty picture on show: drawn now, before the first paint.
        if (
            self._stale
            or self.content_rect() != self._drawn_for
            or self._picture.devicePixelRatio() != self.devicePixelRatioF()
        ):
            self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._refresh.stop()  # drawn again when it shows, if the scene changed meanwhile

    def picture_rect(self) -> QRectF:
        """Where the picture of the content goes, inside the frame (widget pixels)."""
        return QRectF(self.rect()).adjusted(1, 1, -1, -1)

    def picture(self) -> QPixmap:
        return self._picture

    @Slot()
    def refresh(self) -> None:
        """Draw the whole content into the cached picture, at the screen's pixel ratio."""
        self._place()  # in the content's proportions, should they have changed
        self._refresh.stop()
        target = self.picture_rect()
        content = self.content_rect()
        if target.isEmpty() or content.isEmpty():
            return
        started = time.perf_counter()
        ratio = self.devicePixelRatioF()
        picture = QPixmap((target.size() * ratio).toSize())
        picture.setDevicePixelRatio(ratio)
        picture.fill(Qt.GlobalColor.transparent)
        painter = QPainter(picture)
        try:
            painter.setRenderHints(
                QPainter.RenderHint.Antialiasing
                | QPainter.RenderHint.TextAntialiasing
                | QPainter.RenderHint.SmoothPixmapTransform
            )
            self._scene.render(
                painter,
                QRectF(0, 0, target.width(), target.height()),
                content,
                Qt.AspectRatioMode.KeepAspectRatio,
            )
        finally:
            painter.end()  # a painter left active on a dying device takes the process with it
        self._picture = picture
        self._stale = False
        self._drawn_for = content
        self.render_count += 1
        spent_ms = (time.perf_counter() - started) * 1000
        self._refresh_ms = max(MIN_REFRESH_MS, round(spent_ms * REFRESH_COST_FACTOR))
        self.update()

    # --- drawing -----------------------------------------------------------------------------

    def outline_rect(self) -> QRectF:
        """The view's visible rectangle in widget pixels (not clipped to the content)."""
        return self._to_map(self.visible_rect())

    def _scale(self) -> float:
        content, target = self.content_rect(), self.picture_rect()
        return min(target.width() / content.width(), target.height() / content.height())

    def _origin(self) -> QPointF:
        """Where the content's top left is in the widget (the picture is centred)."""
        content, target = self.content_rect(), self.picture_rect()
        scale = self._scale()
        return QPointF(
            target.left() + (target.width() - content.width() * scale) / 2,
            target.top() + (target.height() - content.height() * scale) / 2,
        )

    def _to_map(self, rect: QRectF) -> QRectF:
        scale, origin, content = self._scale(), self._origin(), self.content_rect()
        return QRectF(
            origin.x() + (rect.left() - content.left()) * scale,
            origin.y() + (rect.top() - content.top()) * scale,
            rect.width() * scale,
            rect.height() * scale,
        )

    def scene_point(self, pos: QPointF) -> QPointF:
        """The scene point under ``pos`` (widget pixels)."""
        scale, origin, content = self._scale(), self._origin(), self.content_rect()
        return QPointF(
            content.left() + (pos.x() - origin.x()) / scale,
            content.top() + (pos.y() - origin.y()) / scale,
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.content_rect().isEmpty():
            return
        palette = self.palette()
        painter = QPainter(self)
        try:
            background = QColor(palette.color(QPalette.ColorRole.Window))
            background.setAlpha(BACKGROUND_ALPHA)
            painter.fillRect(self.rect(), background)
            if not self._picture.isNull():
                painter.setOpacity(PICTURE_OPACITY)
                painter.drawPixmap(self.picture_rect().topLeft(), self._picture)
                painter.setOpacity(1.0)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            inner = self.picture_rect()
            painter.setClipRect(inner)
            # The view's part: in the selection colour, a faint fill so that it reads at a
            # glance even when it is only a few pixels across.
            highlight = palette.color(QPalette.ColorRole.Highlight)
            fill = QColor(highlight)
            fill.setAlpha(40)
            painter.setPen(QPen(highlight, 1.5))
            painter.setBrush(fill)
            outline = self.outline_rect().intersected(inner).adjusted(0.75, 0.75, -0.75, -0.75)
            painter.drawRect(outline)
            painter.setClipping(False)
            # The frame: a 1 px line on the pixel grid, in the palette's mid tone.
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Dark), 1))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        finally:
            painter.end()

    def changeEvent(self, event: QEvent) -> None:
        # A theme switch changes the palette: the frame, the background and the outline follow
        # at once; the scene's own colours arrive through its ``changed``.
        if event.type() == QEvent.Type.PaletteChange:
            self.update()
        elif event.type() == QEvent.Type.DevicePixelRatioChange:
            # Moved to a screen of another density: drawn again at its pixel ratio, crisp.
            self._stale = True
            if self.isVisible():
                self.refresh()
        super().changeEvent(event)

    # --- moving the view -------------------------------------------------------------------

    def centre_view_at(self, pos: QPointF) -> None:
        """Centre the view on the scene point under ``pos`` (widget pixels)."""
        self._view.centerOn(self.scene_point(pos))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._dragging = True
            self.centre_view_at(event.position())
        event.accept()  # never the view's: its drag would pan the other way

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragging and event.buttons() & Qt.MouseButton.LeftButton:
            self.centre_view_at(event.position())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._dragging = False
        #: Whether the scene's ``changed`` reaches it (from its first show on).
        self._following = False
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        # Not the menu of the host hidden under the overview.
        event.accept()
