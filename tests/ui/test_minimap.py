"""The overview in the corner of a zoomed-in cluster view (issue 20): shown only zoomed in
beyond fit, its outline where the view is, a click moving the view, never in an export, and
the scene drawn into it a few times a second at most, never once a playback frame."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QContextMenuEvent, QImage, QMouseEvent, QPalette
from PySide6.QtWidgets import QApplication

from tests.ui.main_windows import shown_window
from vmc_gui.model.library import resolve
from vmc_gui.ui.palette import palette_for
from vmc_gui.ui.panels.cluster_panel import ClusterPanel
from vmc_gui.ui.scenes import minimap as minimap_module
from vmc_gui.ui.scenes.minimap import Minimap
from vmc_gui.ui.scenes.zoom_view import ZoomView
from vmc_gui.ui.theme import DARK, LIGHT

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def panel(qtbot):
    panel = ClusterPanel(resolve("failover"))
    qtbot.addWidget(panel)
    panel.resize(1200, 800)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def _settled(minimap: Minimap) -> Minimap:
    """What the minimap's zero-delay timer does once the view settles, done now."""
    minimap.sync_visibility()
    return minimap


def _zoomed_in(panel: ClusterPanel, steps: int = 4) -> Minimap:
    for _ in range(steps):
        panel.view.zoom_in()
    assert panel.view.minimap is not None
    return _settled(panel.view.minimap)


def _frame(minimap: Minimap) -> tuple[QRectF, float, QPointF]:
    """The content, its scale in the minimap and where its top left lies there, worked out
    here: the content fitted inside the 1 px frame, keeping its proportions, centred."""
    content = minimap.content_rect()
    inner = QRectF(minimap.rect()).adjusted(1, 1, -1, -1)
    scale = min(inner.width() / content.width(), inner.height() / content.height())
    left = inner.left() + (inner.width() - content.width() * scale) / 2
    top = inner.top() + (inner.height() - content.height() * scale) / 2
    return content, scale, QPointF(left, top)


def _pixel(minimap: Minimap, scene_point: QPointF) -> QPoint:
    """Where ``scene_point`` is in the minimap."""
    content, scale, origin = _frame(minimap)
    return QPoint(
        round(origin.x() + (scene_point.x() - content.left()) * scale),
        round(origin.y() + (scene_point.y() - content.top()) * scale),
    )


def _expected_outline(view: ZoomView, minimap: Minimap) -> QRectF:
    """The view's visible scene rectangle in the minimap's pixels."""
    content, scale, origin = _frame(minimap)
    seen = view.mapToScene(view.viewport().rect()).boundingRect()
    return QRectF(
        origin.x() + (seen.left() - content.left()) * scale,
        origin.y() + (seen.top() - content.top()) * scale,
        seen.width() * scale,
        seen.height() * scale,
    )


def _centre(view: ZoomView) -> QPointF:
    """The scene point at the middle of the view."""
    return QPointF(view.mapToScene(view.viewport().rect().center()))


def _close(a: QColor, b: QColor, tolerance: int = 40) -> bool:
    pairs = ((a.red(), b.red()), (a.green(), b.green()), (a.blue(), b.blue()))
    return all(abs(x - y) <= tolerance for x, y in pairs)


def _away_from_outline(minimap: Minimap) -> QPoint:
    """A pixel of the picture's corner farthest from the view's outline (the scene's
    background there: a corner of the cluster scene is its margin)."""
    outline = minimap.outline_rect().center()
    inner = minimap.rect().adjusted(3, 3, -3, -3)
    x = inner.right() if outline.x() < minimap.width() / 2 else inner.left()
    y = inner.bottom() if outline.y() < minimap.height() / 2 else inner.top()
    return QPoint(x, y)


def test_the_cluster_view_has_one_and_a_plain_zoom_view_none(panel, qtbot):
    minimap = panel.view.minimap
    assert isinstance(minimap, Minimap)
    assert minimap.parent() is panel.view.viewport()  # over the scene, never the scroll bars
    assert minimap.toolTip() == "Overview: click or drag to move the view"
    plain = ZoomView(panel.scene)
    qtbot.addWidget(plain)
    assert plain.minimap is None
    assert plain.enable_minimap() is plain.enable_minimap()  # one, however often asked


def test_hidden_while_the_view_shows_everything(panel):
    minimap = _settled(panel.view.minimap)
    assert panel.view.is_fitted()
    assert not minimap.needed() and not minimap.isVisible()
    # Zoomed out beyond fit, the whole content shows all the more.
    panel.view.zoom_out()
    assert not _settled(minimap).isVisible()
    assert minimap.render_count == 0  # never drawn while hidden


def test_shown_zoomed_in_in_the_bottom_right_corner_and_hidden_fitted_again(panel):
    minimap = _zoomed_in(panel)
    assert minimap.isVisible() and minimap.render_count == 1
    viewport = panel.view.viewport().rect()
    geometry = minimap.geometry()
    assert viewport.contains(geometry)
    margin = minimap_module.MARGIN
    assert geometry.bottomRight() == viewport.bottomRight() - QPoint(margin, margin)
    # 220 px of picture (and a pixel of frame each side), in the content's proportions.
    content = minimap.content_rect()
    assert geometry.width() == minimap_module.WIDTH + 2
    assert geometry.height() - 2 == pytest.approx(
        (geometry.width() - 2) * content.height() / content.width(), abs=1
    )
    picture = minimap.picture()
    assert picture.devicePixelRatio() == minimap.devicePixelRatioF()
    assert picture.width() == round((geometry.width() - 2) * picture.devicePixelRatio())
    # Scrolling moves the viewport's children with it: the minimap stays in its corner.
    bar = panel.view.horizontalScrollBar()
    bar.setValue(bar.value() + 97)
    assert minimap.geometry() == geometry
    panel.view.fit()
    assert not _settled(minimap).isVisible()


def test_the_outline_is_the_part_the_view_shows(panel):
    minimap = _zoomed_in(panel)
    view = panel.view
    for dx, dy in ((0, 0), (180, 60), (-90, 140)):
        view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + dx)
        view.verticalScrollBar().setValue(view.verticalScrollBar().value() + dy)
        expected = _expected_outline(view, minimap)
        outline = minimap.outline_rect()
        for got, want in (
            (outline.left(), expected.left()),
            (outline.top(), expected.top()),
            (outline.width(), expected.width()),
            (outline.height(), expected.height()),
        ):
            assert got == pytest.approx(want, abs=0.01)
    # And it is drawn: the outline's left edge is in the selection colour.
    image = minimap.grab().toImage()
    expected = _expected_outline(view, minimap)
    edge = QPoint(int(expected.left() + 0.75), int(expected.center().y()))
    highlight = minimap.palette().color(QPalette.ColorRole.Highlight)
    assert _close(image.pixelColor(edge), highlight, tolerance=60), image.pixelColor(edge)


def test_a_click_centres_the_view_there_and_a_drag_follows(panel, qtbot):
    minimap = _zoomed_in(panel)
    view = panel.view
    content, scale, _ = _frame(minimap)
    tolerance = 1.5 / scale  # a minimap pixel and a half, in scene units
    target = content.center() + QPointF(content.width() / 8, content.height() / 10)
    qtbot.mouseClick(minimap, Qt.MouseButton.LeftButton, pos=_pixel(minimap, target))
    assert _centre(view).x() == pytest.approx(target.x(), abs=tolerance)
    assert _centre(view).y() == pytest.approx(target.y(), abs=tolerance)

    # Pressed and dragged: the view follows the pointer.
    further = target - QPointF(content.width() / 4, content.height() / 8)
    qtbot.mousePress(minimap, Qt.MouseButton.LeftButton, pos=_pixel(minimap, target))
    at = _pixel(minimap, further)
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(at),
        QPointF(minimap.mapToGlobal(at)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(minimap, move)
    qtbot.mouseRelease(minimap, Qt.MouseButton.LeftButton, pos=at)
    assert _centre(view).x() == pytest.approx(further.x(), abs=tolerance)
    assert _centre(view).y() == pytest.approx(further.y(), abs=tolerance)
    assert minimap.isVisible()


def test_a_right_click_on_it_opens_no_host_menu(panel):
    minimap = _zoomed_in(panel)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, minimap.rect().center(), minimap.mapToGlobal(QPoint())
    )
    QApplication.sendEvent(minimap, event)
    assert QApplication.activePopupWidget() is None


def test_an_export_leaves_it_out(panel, tmp_path):
    """Exports render the scene, not the viewport: zoomed in with the minimap on show, the
    picture is the same as fitted without it."""
    view = panel.view
    panel.controller.seek(70.0)
    fitted = tmp_path / "fitted.png"
    view.export(fitted)
    minimap = _zoomed_in(panel)
    assert minimap.isVisible()
    zoomed = tmp_path / "zoomed.png"
    view.export(zoomed)
    assert QImage(str(zoomed)) == QImage(str(fitted))
    assert not minimap.isHidden()  # on show all the while


def test_playback_frames_never_draw_the_scene_into_it(panel, qtbot):
    """The scene repaints every frame of playback; the minimap's picture is drawn again at
    most once a refresh interval, and once the scene changes no more, soon after."""
    minimap = _zoomed_in(panel)
    drawn = minimap.render_count
    assert drawn == 1
    QApplication.processEvents()
    assert not minimap._refresh.isActive()  # drawing it changed nothing in the scene
    ticks, t = 40, 55.0
    started = time.perf_counter()
    for _ in range(ticks):
        t += 0.5
        panel.controller.seek(t)
        QApplication.processEvents()
    elapsed_ms = (time.perf_counter() - started) * 1000
    during = minimap.render_count - drawn
    assert during <= 1 + elapsed_ms / minimap_module.MIN_REFRESH_MS
    assert during < ticks / 4
    # The refresh is pending, not lost: it comes once the interval is over.
    assert minimap._refresh.isActive() or during > 0
    qtbot.waitUntil(lambda: not minimap._refresh.isActive(), timeout=5000)
    assert minimap.render_count > drawn and not minimap._stale


def test_changes_while_hidden_are_drawn_when_it_shows(panel):
    minimap = _zoomed_in(panel)
    panel.view.fit()
    _settled(minimap)
    drawn = minimap.render_count
    for t in (60.0, 90.0, 120.0):
        panel.controller.seek(t)
        QApplication.processEvents()
    assert minimap.render_count == drawn and not minimap._refresh.isActive()
    _zoomed_in(panel)
    assert minimap.render_count == drawn + 1 and not minimap._stale


def test_it_follows_the_theme(panel):
    minimap = _zoomed_in(panel)
    for theme in (DARK, LIGHT):
        panel.view.setPalette(palette_for(theme))  # as the application's theme switch does
        panel.scene.set_theme(theme)
        QApplication.processEvents()
        minimap.refresh()  # what its timer does after the scene's change
        image = minimap.grab().toImage()
        # Away from the outline, the picture's background is the scene's, over the frame's.
        assert _close(image.pixelColor(_away_from_outline(minimap)), theme.background, 30)
        frame = minimap.palette().color(QPalette.ColorRole.Dark)
        assert _close(image.pixelColor(0, minimap.height() // 2), frame, tolerance=30)


def test_the_main_window_cluster_view_shows_it_zoomed_in_in_both_themes(qtbot, tmp_path):
    window = shown_window(qtbot, tmp_path, (1400, 900))
    window.open_lesson("fault-tolerance")
    cluster = window.page.cluster
    assert cluster is not None
    minimap = cluster.view.minimap
    assert minimap is not None
    # The lesson's first look scrolls (its readable zoom) but follows its fit: no minimap,
    # neither on screen nor in the lesson's pictures of the window.
    _settled(minimap)
    assert cluster.view.is_fitted()
    assert not minimap.visible_rect().contains(minimap.content_rect())
    assert not minimap.isVisible()
    for _ in range(4):
        cluster.view.zoom_in()
    qtbot.waitUntil(minimap.isVisible)
    try:
        window.set_theme("dark")
        # The application's palette reaches the widgets through the event loop.
        qtbot.waitUntil(
            lambda: minimap.palette().color(QPalette.ColorRole.Window) == DARK.background
        )
        qtbot.waitUntil(lambda: not minimap._stale, timeout=5000)  # the scene's new colours
        image = minimap.grab().toImage()
        assert _close(image.pixelColor(_away_from_outline(minimap)), DARK.background, 30)
    finally:
        window.set_theme("light")
