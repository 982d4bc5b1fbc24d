"""Every lesson is legible at its first zoom, at 1600x1000 and at 1280x800: no scene text
under 11 px on screen, workload glyphs at least 10 px, and no two texts on top of each
other.  Text items are measured from their fonts and the view's transform; what items paint
themselves (host cards, the network, the layers) is measured by recording the fonts they ask
for while the view paints."""

from __future__ import annotations

import importlib
import itertools

import pytest
from PySide6.QtCore import QRectF, QSettings
from PySide6.QtWidgets import QApplication, QGraphicsTextItem

from vmc_gui.model.lessons import ROWS
from vmc_gui.ui import fonts
from vmc_gui.ui.scenes.items.host_card_item import GLYPH
from vmc_gui.ui.scenes.zoom_view import LEGIBLE_PX, ZoomView
from vmc_gui.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen

SIZES = [(1600, 1000), (1280, 800)]
#: The modules whose items paint their own text with ``ui_font``.
_PAINTERS = (
    "vmc_gui.ui.scenes.items.host_card_item",
    "vmc_gui.ui.scenes.items.network_item",
    "vmc_gui.ui.scenes.items.layer_item",
    "vmc_gui.ui.scenes.items.resource_bar_item",
    "vmc_gui.ui.scenes.items.part_item",
)


@pytest.fixture
def painted(monkeypatch):
    """The pixel sizes of the fonts items paint with, as they paint."""
    asked: list[int] = []

    def recording(size: int, *, bold: bool = False):
        asked.append(size)
        return fonts.ui_font(size, bold=bold)

    for name in _PAINTERS:
        monkeypatch.setattr(importlib.import_module(name), "ui_font", recording)
    return asked


def _texts(view: ZoomView) -> list[tuple[QGraphicsTextItem, QRectF, float]]:
    """Each visible text item with words: its rectangle on screen, and its size there."""
    zoom = view.transform().m11()
    out = []
    for item in view.scene().items():
        if not isinstance(item, QGraphicsTextItem) or not item.isVisible():
            continue
        if not item.toPlainText().strip():
            continue
        rect = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
        out.append((item, QRectF(rect), item.font().pixelSize() * zoom * item.scale()))
    return out


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_lesson_is_legible_at_its_first_zoom(qtbot, tmp_path, painted, size):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.confirm_discard = lambda document: True
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    smallest: dict[str, float] = {}
    for slug in ROWS:
        window.open_lesson(slug)
        page = window.page
        for index in range(page.views.count()):
            page.views.setCurrentIndex(index)
            QApplication.processEvents()
            widget = page.views.currentWidget()
            view = getattr(widget, "view", None)
            if not isinstance(view, ZoomView):
                continue  # the compatibility matrix: widgets, sized by the style
            if index > 0:
                view.fit_readable()  # a tab first shown now: its first zoom
            zoom = view.transform().m11()
            where = f"{slug} ({page.views.tabText(index)}) at {size}"
            texts = _texts(view)
            for item, _, px in texts:
                assert px >= LEGIBLE_PX - 0.01, f"{where}: {item.toPlainText()!r} is {px:.1f} px"
            painted.clear()
            view.viewport().grab()
            if painted:
                assert min(painted) * zoom >= LEGIBLE_PX - 0.01, f"{where}: painted {painted}"
            if index == 0 or widget is page.cluster:
                assert GLYPH * zoom >= 10, where
            for (a, ra, _), (b, rb, _) in itertools.combinations(texts, 2):
                overlap = ra.intersected(rb)
                assert overlap.width() < 2 or overlap.height() < 2, (
                    f"{where}: {a.toPlainText()[:40]!r} overlaps {b.toPlainText()[:40]!r}"
                )
            smallest[where] = min([px for _, _, px in texts] + [min(painted, default=99) * zoom])
    assert len({where.split(" ")[0] for where in smallest}) == len(ROWS)  # all measured
    for where, px in sorted(smallest.items()):
        print(f"smallest text: {where}: {px:.1f} px")  # for the closing note (pytest -s)
    window.close()
