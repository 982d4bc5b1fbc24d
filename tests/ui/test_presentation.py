"""Presentation mode at 1920x1080: one main view fills the screen, no scene text under
24 px on it, each world's result and the chapter's caption in projector type, the keys
work with the menus hidden, and leaving puts everything back.  The chapter banner and
"stop at each chapter" are tested here too: they are what a lecture is walked with."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication, QDockWidget, QToolBar

from tests.ui.main_windows import shown_window
from tests.ui.test_legibility import _texts, painted  # noqa: F401  (a fixture)
from vmc_gui.model.lessons import ROWS, View
from vmc_gui.ui.scenes.zoom_view import PROJECTOR_PX, ZoomView
from vmc_gui.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen

SCREEN = (1920, 1080)


@pytest.fixture
def window(qtbot, tmp_path):
    window = shown_window(qtbot, tmp_path, SCREEN)
    yield window
    window.set_presentation(False)


def _present(window: MainWindow) -> None:
    """Presentation mode on a 1920x1080 screen: offscreen, the screen is 800x800, so the
    window (at 1920x1080 already) presents as it is, as it would full screen there."""
    window.set_presentation(True, full_screen=False)
    QApplication.processEvents()


def _pixels(widget) -> int:
    return QFontInfo(widget.font()).pixelSize()


@pytest.mark.parametrize(
    ("theme", "slugs"),
    # Every lesson in the light theme; the dark one draws the same text in other colours.
    [("light", tuple(ROWS)), ("dark", ("fault-tolerance", "isolation"))],
    ids=["light", "dark"],
)
def test_every_lesson_reads_from_the_back_of_the_hall(window, painted, theme, slugs):  # noqa: F811
    window.set_theme(theme)
    measured = 0
    for slug in slugs:
        window.open_lesson(slug)
        _present(window)
        page = window.page
        for index in range(page.views.count()):
            page.views.setCurrentIndex(index)
            QApplication.processEvents()
            view = getattr(page.views.currentWidget(), "view", None)
            if not isinstance(view, ZoomView):
                continue  # the compatibility matrix: widgets, in the enlarged font
            view.fit_readable()
            where = f"{slug} ({page.views.tabText(index)}, {theme})"
            for item, _, px in _texts(view):
                assert px >= PROJECTOR_PX - 0.01, f"{where}: {item.toPlainText()!r} {px:.1f}"
            painted.clear()
            view.viewport().grab()
            if painted:
                assert min(painted) * view.zoom() >= PROJECTOR_PX - 0.01, where
            measured += 1
        if window.session.runs():
            # The results and the caption: on screen, in projector type.
            assert page.results.isVisible() and page.banner.isVisible(), slug
            labels = page.results.findChildren(type(page.banner.words))
            assert labels and all(_pixels(label) >= PROJECTOR_PX for label in labels), slug
            assert _pixels(page.banner.words) >= PROJECTOR_PX
            assert page.banner.caption() and page.banner.title().startswith("Chapter")
        window.set_presentation(False)
    assert measured >= len(slugs)


def test_f11_is_full_screen(window):
    window.open_lesson("fault-tolerance")
    window.menus.presentation_action.trigger()
    assert window.isFullScreen() and window.presentation.on
    window.menus.presentation_action.trigger()
    assert not window.isFullScreen() and not window.presentation.on


def test_one_main_view_fills_the_screen(window):
    window.open_lesson("fault-tolerance")
    _present(window)
    hidden = [window.menuBar(), window.statusBar(), *window.findChildren(QToolBar)]
    hidden += window.findChildren(QDockWidget)
    assert all(not w.isVisible() for w in hidden)
    page = window.page
    assert not page.heading.isVisible() and not page.views.tabBar().isVisible()
    view = page.cluster.view
    # The view has the screen but for the results above and the caption below.
    assert view.width() >= SCREEN[0] - 40 and view.height() >= SCREEN[1] * 0.6
    # The results are each world's, as the cluster's headers say them.
    window.seek(200.0)
    for world in window.session.controller.timeline().worlds:
        assert page.cluster.scene.result_text(world) in page.results.result(world.value)


def test_the_keys_drive_a_lecture_with_the_menus_hidden(window, qtbot):
    window.open_lesson("fault-tolerance")
    _present(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    controller = window.session.controller
    chapters = controller.chapters()
    view = window.page.cluster.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert controller.time() == chapters[1].start_s
    assert chapters[1].caption == window.page.banner.caption()
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert controller.time() == 0.0
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert controller.is_playing()
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert not controller.is_playing()
    qtbot.keyClick(view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.page.showing(View.DIAGRAM)
    window.next_view()
    assert window.page.showing(View.CLUSTER)
    qtbot.keyClick(window.page.cluster.view, Qt.Key.Key_Escape)
    assert not window.presentation.on and window.menuBar().isVisible()


@pytest.mark.parametrize("slug", ["fault-tolerance", "persistent-storage"])  # 2 and 4 worlds
def test_the_zoomed_cluster_turns_to_the_world_of_the_chapter(window, slug):
    window.open_lesson(slug)
    _present(window)
    controller = window.session.controller
    view = window.page.cluster.view
    scene = window.page.cluster.scene
    for world in controller.timeline().worlds:
        name = world.display_name.split(":")[0] + ":"
        chapter = next((c for c in controller.chapters() if c.title.startswith(name)), None)
        if chapter is None:
            continue
        controller.seek(chapter.start_s)
        QApplication.processEvents()
        shown = view.mapToScene(view.viewport().rect()).boundingRect()
        assert shown.contains(scene.world_origin(world.value)), (slug, chapter.title)


def test_leaving_puts_the_desktop_back(window):
    window.open_lesson("fault-tolerance")
    QApplication.processEvents()
    zoom = window.page.cluster.view.zoom()
    font = QApplication.font().pointSizeF()
    assert window.charts_dock.isVisible() and window.inspector_dock.isVisible()
    _present(window)
    assert window.page.cluster.view.zoom() > zoom
    window.set_presentation(False)
    QApplication.processEvents()
    QApplication.processEvents()  # the docks come back, then the view refits
    assert window.charts_dock.isVisible() and window.inspector_dock.isVisible()
    assert window.menuBar().isVisible() and window.page.heading.isVisible()
    assert not window.page.results.isVisible()
    assert QApplication.font().pointSizeF() == font
    assert window.page.cluster.view.zoom() == pytest.approx(zoom)
    assert _pixels(window.page.banner.words) < PROJECTOR_PX


def test_another_lesson_opened_while_presenting_is_presented(window):
    window.open_lesson("fault-tolerance")
    _present(window)
    window.open_lesson("deployment")
    QApplication.processEvents()
    assert not window.charts_dock.isVisible() and not window.page.heading.isVisible()
    assert window.page.results.isVisible()


def test_playing_stops_at_each_chapter_and_goes_on(window):
    window.open_lesson("fault-tolerance")
    controller = window.session.controller
    chapters = controller.chapters()
    window.set_stop_at_chapters(True)
    controller.set_follow_story(False)  # the clock at its speed: a tick is speed x seconds
    controller.play()
    controller.tick(30.0)  # far past the failure's chapter at this speed
    assert controller.time() == chapters[1].start_s and not controller.is_playing()
    assert window.page.banner.caption() == chapters[1].caption
    controller.play()  # Play goes on from the chapter ...
    controller.tick(0.05)
    assert controller.time() > chapters[1].start_s  # ... not stuck on it
    window.set_stop_at_chapters(False)
    controller.tick(controller.duration())
    assert controller.time() == controller.duration()


def test_the_banner_steps_and_follows_a_changed_setting(window):
    window.open_lesson("fault-tolerance")
    banner = window.page.banner
    controller = window.session.controller
    assert banner.title().startswith("Chapter 1 of ")
    assert not banner.previous_button.isEnabled()
    banner.next_button.click()
    assert controller.time() == controller.chapters()[1].start_s
    banner.previous_button.click()
    assert controller.time() == 0.0
    before = [c.start_s for c in controller.chapters()]
    window.document.set_parameter("hyperv.resiliency_default_period_s", 10)
    after = [c.start_s for c in controller.chapters()]
    assert after != before
    controller.seek(after[-1])
    assert banner.title().startswith(f"Chapter {len(after)} of {len(after)}")
    assert not banner.next_button.isEnabled()


def test_a_lesson_without_a_run_has_no_banner(window):
    window.open_lesson("guest-compatibility")
    assert not window.page.banner.isVisible()


def test_the_results_quote_the_run_before_a_change(window):
    window.open_lesson("fault-tolerance")
    _present(window)
    window.document.set_parameter("kubernetes.default_unreachable_toleration_s", 30)
    window.seek(window.session.controller.duration())
    bar = window.page.results
    scene = window.page.cluster.scene
    for world in ("vm", "container"):
        assert bar.result(world) == scene.result_text(world)
    assert "before" in bar.result("container") and "→ now" in bar.result("container")
    assert "same as before" in bar.result("vm")
    window.session.dismiss_ghost()
    assert "before" not in bar.result("container")


def test_the_banner_holds_its_height_and_never_widens_the_window(window):
    window.resize(800, 520)  # the smallest window a lesson exports
    window.open_lesson("fault-tolerance")
    QApplication.processEvents()
    controller = window.session.controller
    heights = set()
    for chapter in controller.chapters():
        controller.seek(chapter.start_s)
        QApplication.processEvents()
        heights.add(window.page.banner.height())
        assert window.width() == 800, chapter.title  # a long title wraps
    assert len(heights) == 1  # the views above never refit at a chapter


# --- found in review ---


def test_a_lessons_own_toolbar_stays_in_presentation(window):
    window.open_lesson("isolation")  # the diagram's + Instance, Isolation, Compromise
    _present(window)
    bars = [b for b in window.page.findChildren(QToolBar)]
    assert bars and all(b.isVisible() for b in bars)


def test_the_inspector_follows_the_page_changed_while_presenting(window):
    window.open_overview()
    _present(window)
    window.open_lesson("fault-tolerance")
    window.set_presentation(False)
    assert window.inspector_dock.isVisible()  # a lesson has its inspector
    _present(window)
    window.open_overview()
    window.set_presentation(False)
    assert not window.inspector_dock.isVisible()  # the table makes room for its rows


def test_stopping_at_a_chapter_never_shows_a_moment_past_it(window):
    window.open_lesson("fault-tolerance")
    controller = window.session.controller
    window.set_stop_at_chapters(True)
    chapter = controller.chapters()[1].start_s
    controller.seek(chapter - 1.0)
    shown: list[float] = []
    controller.time_changed.connect(shown.append)
    controller.play()
    controller.tick(1.0)  # far past the chapter at the lesson's speed
    assert shown == [chapter] and not controller.is_playing()
