"""Presentation mode (F11): the lesson for a lecture hall.

Full screen, one main view filling it (Ctrl+Tab switches to the lesson's next view); the
menus, the toolbar, the status bar and every dock step aside; scene text is drawn at least
``PROJECTOR_PX`` on screen (the views zoom to that and scroll, as they do at the desktop's
legibility floor); each world's result and the chapter's caption are always on screen, in
projector type.  The keys stay: Space plays, Page Down and Page Up step the chapters,
F11 or Esc leaves.  Leaving (or quitting, or the window manager leaving full screen) puts
the window back as it was.

While the view is zoomed past what fits, it follows the story: at a chapter about one world
it turns to that world, as a lecturer's pointer would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject, QPointF, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QToolBar, QWidget

if TYPE_CHECKING:
    from vmc_gui.ui.shell.main_window import MainWindow

#: How much larger the widgets' fonts are (the playback bar, the tabs).
FONT_SCALE = 1.3


class Presentation(QObject):
    """A part of the main window (``window.presentation``): entering and leaving, and
    following the story while on."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.on = False
        self.normal_font = QFont(QApplication.font())
        self.geometry_before: QByteArray | None = None
        self._hidden: list[QWidget] = []
        self._state_before: QByteArray | None = None
        self._chapter: int | None = None
        window.session.controller.time_changed.connect(self._follow)
        window.session.document_changed.connect(lambda _: self._watch_cluster())
        self._watched: object | None = None
        # Esc leaves, as from every slide show; only while on (elsewhere Esc is the views').
        self.leave_action = QAction("Leave Presentation Mode", window)
        self.leave_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Cancel))
        self.leave_action.triggered.connect(lambda: window.set_presentation(False))
        self.leave_action.setEnabled(False)
        window.addAction(self.leave_action)

    # --- entering and leaving ---------------------------------------------------------------

    def enter(self, *, full_screen: bool = True) -> None:
        window = self.window
        if self.on:
            return
        self.on = True
        # Remembered, so that leaving (or quitting) puts the window back as it was.
        self.geometry_before = window.saveGeometry() if full_screen else None
        self._state_before = window.saveState()  # the docks' sizes, to the pixel
        # Whatever is not the lesson steps aside, and comes back after.
        chrome: list[QWidget] = [window.menuBar(), window.statusBar()]
        # The window's own bars and docks only: a lesson's toolbar (the diagram's + Instance,
        # Compromise) is the lesson's, and stays.
        direct = Qt.FindChildOption.FindDirectChildrenOnly
        chrome += window.findChildren(QToolBar, options=direct)
        chrome += [
            d for d in window.findChildren(QDockWidget, options=direct) if not d.isFloating()
        ]
        self._hidden = [w for w in chrome if w.isVisible()]
        for widget in self._hidden:
            widget.hide()
        font = QFont(self.normal_font)
        font.setPointSizeF(self.normal_font.pointSizeF() * FONT_SCALE)
        window.set_app_font(font)
        window.page.set_presenting(True)
        self.leave_action.setEnabled(True)
        if full_screen:
            window.showFullScreen()
        self._watch_cluster()
        self._refit()
        self.follow_now()

    def _watch_cluster(self) -> None:
        """A refit (a resize, a zoom) puts the view back at its top left: turn it to the
        chapter's world again after one."""
        page = self.window.page if self.window.has_page() else None
        cluster = page.cluster if page is not None else None
        if cluster is None or cluster is self._watched:
            return
        self._watched = cluster
        cluster.view.horizontalScrollBar().rangeChanged.connect(self._on_range)

    def _on_range(self, low: int, high: int) -> None:
        # After the refit is done (it scrolls to the top left as its last step).
        if self.on:
            QTimer.singleShot(0, self, self.follow_now)

    def follow_now(self) -> None:
        """Turn to the world of the chapter under way (on entering, and after a refit)."""
        if not self.on:
            return
        self._chapter = None
        self._follow(self.window.session.controller.time())

    def leave_looks(self) -> None:
        """The chrome, the docks, the fonts and the zoom as they were (however full screen
        was left)."""
        window = self.window
        self.on = False
        self.leave_action.setEnabled(False)
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        if self._state_before is not None:
            window.restoreState(self._state_before)
            self._state_before = None
        window.set_app_font(self.normal_font)
        if window.has_page():
            window.page.set_presenting(False)
        self._refit()

    def _refit(self) -> None:
        """The page's views fit again at the floor that holds now."""
        if not self.window.has_page():
            return
        # Here, not at the top: the app's first window (the table) needs no scene view.
        from vmc_gui.ui.scenes.zoom_view import ZoomView

        for view in self.window.page.findChildren(ZoomView):
            view.fit_readable()

    # --- following the story --------------------------------------------------------------

    def _follow(self, t: float) -> None:
        """At a chapter about one world, turn the zoomed cluster to that world."""
        if not self.on:
            return
        from vmc_gui.ui.scenes.zoom_view import PROJECTOR_ZOOM

        cluster = self.window.running_cluster()
        if cluster is None or cluster.view.zoom() < PROJECTOR_ZOOM - 1e-6:
            return
        controller = self.window.session.controller
        chapter = controller.chapter()
        found = controller.chapters()
        if chapter is None:
            return
        index = found.index(chapter)
        if index == self._chapter:
            return
        self._chapter = index
        timeline = controller.timeline()
        if timeline is None:
            return
        for world in timeline.worlds:
            if chapter.title.startswith(world.display_name.split(":")[0] + ":"):
                origin = cluster.scene.world_origin(world.value)
                if origin is None:
                    return
                view = cluster.view
                scene = cluster.scene
                if scene.worlds_at_once() < len(timeline.worlds):
                    # At scale on a short view, one world at a time: that one, zoomed as is.
                    zoom = view.zoom()
                    scene.show_world(list(timeline.worlds).index(world))
                    view.set_zoom(zoom)
                shown = view.mapToScene(view.viewport().rect()).boundingRect()
                # The world's header a little in from the screen's top left (four worlds lie
                # in a 2x2 grid: the turn may be down as well as across).
                centre = QPointF(shown.width() / 2 - 16, shown.height() / 2 - 16)
                view.centerOn(origin + centre)
                return
