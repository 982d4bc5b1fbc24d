"""The bundled font (Inter), loaded once, so that scenes and exports look the same everywhere."""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QStaticText

_FILES = ("Inter-Regular.ttf", "Inter-SemiBold.ttf")
FAMILY = "Inter"


@cache
def load_fonts() -> str:
    """Register the bundled font files with Qt; returns the family name to ask for."""
    folder = resources.files("vmc_gui.resources.fonts")
    family = ""
    for name in _FILES:
        font_id = QFontDatabase.addApplicationFontFromData(folder.joinpath(name).read_bytes())
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        family = family or (families[0] if families else "")
    return family or FAMILY


@cache
def ui_font(pixel_size: int, *, bold: bool = False) -> QFont:
    """The bundled font at a pixel size (pixels, so that exports at any DPI lay out alike).
    Cached: painters copy the font they are given, so one object serves every paint."""
    font = QFont(load_fonts())
    font.setPixelSize(pixel_size)
    font.setWeight(QFont.Weight.DemiBold if bold else QFont.Weight.Normal)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def app_font(scale: float = 1.0, *, bold: bool = False) -> QFont:
    """The application's font (the desktop's, or presentation mode's larger one), scaled:
    for headings and emphasis that must grow and shrink with it."""
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    return font


#: Text laid out once, by (text, size, bold): items that paint their own words (host cards,
#: the racks' heads) repaint often, and their words rarely change.
_STATIC: dict[tuple[str, int, bool], QStaticText] = {}


def static_text(text: str, size: int, bold: bool = False) -> QStaticText:
    """``text`` laid out once in the bundled font at ``size`` pixels."""
    key = (text, size, bold)
    found = _STATIC.get(key)
    if found is None:
        if len(_STATIC) > 20_000:
            _STATIC.clear()  # a long session's counts and zooms: start again, not grow
        found = QStaticText(text)
        found.setTextFormat(Qt.TextFormat.PlainText)
        found.prepare(font=ui_font(size, bold=bold))
        _STATIC[key] = found
    return found
