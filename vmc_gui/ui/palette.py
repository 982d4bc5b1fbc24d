"""The widgets' colours for a theme: Fusion with a palette built from the scenes' theme, so
that panels, docks and scenes match in light and in dark."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from vmc_gui.ui.theme import Theme, mixed


def palette_for(theme: Theme) -> QPalette:
    """A widget palette in ``theme``'s colours."""
    bg = theme.background
    text = theme.text
    dark = theme.name == "dark"
    # In dark, fields are a shade lighter than the window, so that a spin box or a check
    # box stands out from it (Fusion draws their frames barely darker than the window).
    base = mixed(QColor("#ffffff"), bg, 0.07) if dark else QColor("#ffffff")
    button = mixed(text, bg, 0.08)
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, bg),
        (roles.WindowText, text),
        (roles.Base, base),
        (roles.AlternateBase, mixed(text, base, 0.04)),
        (roles.ToolTipBase, mixed(text, base, 0.06)),
        (roles.ToolTipText, text),
        (roles.PlaceholderText, theme.muted),
        (roles.Text, text),
        (roles.Button, button),
        (roles.ButtonText, text),
        (roles.BrightText, QColor("#ffffff")),
        (roles.Highlight, theme.selected),
        (roles.HighlightedText, QColor("#ffffff")),
        (roles.Link, theme.selected.lighter(130) if dark else theme.selected),
        (roles.Mid, mixed(text, bg, 0.25)),
        (roles.Midlight, mixed(text, bg, 0.12)),
        (roles.Dark, mixed(text, bg, 0.45)),
        (roles.Shadow, QColor("#000000")),
    ):
        palette.setColor(role, colour)
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.Text, roles.WindowText, roles.ButtonText):
        palette.setColor(disabled, role, theme.muted)
    return palette


def apply_theme(theme: Theme) -> None:
    """Give every widget of the application ``theme``'s colours."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")  # the one style that follows a palette on every platform
    app.setPalette(palette_for(theme))
