"""The first screen: the seed's table, each row with its lesson's teaser under each side's
words and a small picture of its main view, worked out after the first paint; rows that
share the window's height; every cell still a way into its lesson."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QFontInfo, QImage

from vmc_gui.model.lessons import ROWS, Side
from vmc_gui.sim.teasers import teasers
from vmc_gui.ui.panels import lesson_previews
from vmc_gui.ui.panels.comparison_table import PICTURE, WORKING, ComparisonTable
from vmc_gui.ui.shell.main_window import MainWindow
from vmc_gui.ui.theme import DARK, LIGHT

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen


@pytest.fixture
def table(qtbot):
    table = ComparisonTable()
    qtbot.addWidget(table)
    table.resize(1200, 900)
    return table


def _lightness(image: QImage) -> float:
    """The mean lightness of a picture, from a grid of its pixels."""
    values = [
        QColor(image.pixel(x, y)).lightness()
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
    ]
    return sum(values) / len(values)


def test_before_its_work_is_in_a_cell_says_it_is_being_worked_out(table):
    # Nothing is worked out before the table is on screen (the first paint waits for none).
    assert table.working() and table.teaser("fault-tolerance") is None
    assert table.side_text("fault-tolerance", "vm") == WORKING
    assert table.subject(0) == "" and table.picture(0) is None


def test_after_the_first_paint_every_row_fills_in_by_itself(table, qtbot):
    table.show()
    qtbot.waitExposed(table)
    with qtbot.waitSignal(table.previews_ready, timeout=60_000):
        pass  # the table starts its own work after it is painted
    assert table.previews_done()
    expected = teasers()
    for r, slug in enumerate(ROWS):
        for side in Side:
            assert table.side_text(slug, side.value) == expected[slug].side_text(side)
        assert table.subject(r).lower() == expected[slug].subject.lower()
        # The cell's tooltip gives its side's result too.
        tip = table.table.item(r, 1).toolTip()
        assert expected[slug].side_text(Side.VM) in tip


def test_each_row_has_a_picture_of_its_main_view_in_the_theme(table):
    table.finish_previews()
    light = []
    for r, slug in enumerate(ROWS):
        image = table.picture(r)
        assert image is not None and not image.isNull(), slug
        shown = image.deviceIndependentSize()
        assert shown.width() <= PICTURE.width() + 0.5 and shown.height() <= PICTURE.height() + 0.5
        assert max(shown.width() / PICTURE.width(), shown.height() / PICTURE.height()) > 0.98
        colours = {
            image.pixel(x, y)
            for x in range(0, image.width(), 3)
            for y in range(0, image.height(), 3)
        }
        # A picture, not a blank (a cluster this small draws its hosts as cells, coloured by
        # state and shaded by fill: fewer colours than cards, still a picture).
        assert len(colours) > 8, f"{slug}: a picture, not a blank"
        light.append(_lightness(image))
    table.set_theme(DARK)
    table.finish_previews()
    dark = [_lightness(table.picture(r)) for r in range(len(ROWS))]  # type: ignore[arg-type]
    assert all(d < lit for d, lit in zip(dark, light, strict=True))
    table.set_theme(LIGHT)  # drawn before: back at once, from the cache
    assert all(table.picture(r) is not None for r in range(len(ROWS)))


def test_a_picture_that_cannot_be_drawn_leaves_the_row_working(table, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no scene today")

    monkeypatch.setattr(lesson_previews, "picture", broken)
    table.set_theme(DARK)  # pictures to draw again, which now fail
    table.finish_previews()
    assert table.previews_done() and table.picture(0) is not None and table.picture(0).isNull()
    assert table.side_text("isolation", "container")  # the teasers are in all the same


@pytest.mark.parametrize("size", [(1600, 1000), (1280, 800)])
def test_the_first_screen_has_no_empty_quarter(qtbot, tmp_path, size):
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    table = window.table
    table.finish_previews()
    view = table.table
    viewport = view.viewport().height()
    rows = [view.rowHeight(r) for r in range(view.rowCount())]
    # The rows reach the bottom of the window (they scroll if they need more).
    assert sum(rows) >= viewport
    # Every row has the room its cells need: no cell is cut off.
    assert all(h >= table._delegate.row_height(r) for r, h in enumerate(rows))
    # Legible: no text under 11 px; the feature's name larger than the seed's words.
    for font in (*table.fonts.values(), table.intro.font(), view.font()):
        assert QFontInfo(font).pixelSize() >= 11
    assert QFontInfo(table.fonts["name"]).pixelSize() > QFontInfo(table.fonts["text"]).pixelSize()
    if size == (1600, 1000):  # the nine rows in view, give or take a desktop's font
        assert sum(rows) - viewport < min(rows)


def test_a_cell_still_opens_its_lesson_by_click_and_by_key(table, qtbot):
    table.show()
    qtbot.waitExposed(table)
    table.finish_previews()
    view = table.table
    for row, column, side in ((7, 2, "container"), (0, 1, "vm"), (4, 0, "")):
        rect = view.visualRect(view.model().index(row, column))
        with qtbot.waitSignal(table.lesson_requested) as opened:
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert opened.args == [list(ROWS)[row], side]
    view.setFocus()
    view.setCurrentCell(2, 1)
    with qtbot.waitSignal(table.lesson_requested) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened.args == ["guest-compatibility", "vm"]
