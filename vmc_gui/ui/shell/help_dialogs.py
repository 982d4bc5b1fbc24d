"""The Help menu's windows: keyboard shortcuts, sources and references, about.

Each is a small non-modal window with selectable text, so that a user can copy a source.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from vmc_gui import __version__
from vmc_gui.model.parameters import PARAMETERS

SEED = (
    "Microsoft Learn, 'Containers vs. virtual machines' (10/21/2019): the comparison table "
    "every lesson teaches"
)


class InfoDialog(QDialog):
    """A titled window of HTML text with a Close button."""

    def __init__(
        self,
        title: str,
        html: str,
        parent: QWidget | None = None,
        size: tuple[int, int] = (640, 520),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        self.text.setHtml(html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(*size)


def shortcuts_html(actions: Iterable[QAction]) -> str:
    """A table of every action that has a shortcut, in menu order."""
    rows = []
    seen: set[str] = set()
    for action in actions:
        keys = [
            k.toString(QKeySequence.SequenceFormat.NativeText)
            for k in action.shortcuts()
            if _typeable(k)
        ]
        name = action.text().replace("&", "").split("\t")[0].removesuffix("…")
        if not keys or name in seen:
            continue
        seen.add(name)
        rows.append(f"<tr><td>{escape(name)}</td><td><b>{escape(', '.join(keys))}</b></td></tr>")
    extra = (
        "<tr><td>Previous, next event (in the cluster view)</td><td><b>Left, Right</b></td></tr>"
        "<tr><td>Zoom in, out, fit (in a view)</td><td><b>Ctrl++, Ctrl+-, Ctrl+0</b></td></tr>"
        "<tr><td>Diagram: add, remove an instance</td><td><b>+, -</b></td></tr>"
        "<tr><td>Diagram: isolation overlay, compromise</td><td><b>I, C</b></td></tr>"
        "<tr><td>Zoom a view</td><td><b>Wheel</b></td></tr>"
        "<tr><td>Pan a view</td><td><b>Drag</b></td></tr>"
        "<tr><td>Fail, drain or recover a host</td><td><b>Right-click it</b></td></tr>"
    )
    return "<h3>Keyboard and mouse</h3><table cellpadding='4'>" + "".join(rows) + extra + "</table>"


def _typeable(keys: QKeySequence) -> bool:
    """Keys a user can type: with a modifier, a function key, Space or an arrow (not the
    dedicated "Redo" or "Open" keys some keyboards have, which the platform also lists)."""
    text = keys.toString()
    return (
        "+" in text
        or text in ("Space", "Left", "Right", "Del")
        or (text.startswith("F") and text[1:].isdigit())
    )


def sources_html() -> str:
    """Every parameter's source, once each and linked, with the settings that rest on it."""
    by_source: dict[tuple[str, str], list[str]] = {}
    assumed: list[str] = []
    rules: list[str] = []
    for p in PARAMETERS.values():
        if p.assumed:
            assumed.append(p.name)
        if p.assumed_rule:
            rules.append(f"{p.name}: {p.assumed_rule}")
        if p.source_title or p.source_url:
            by_source.setdefault((p.source_title, p.source_url), []).append(p.name)

    def linked(title: str, url: str) -> str:
        if not url:
            return escape(title)
        return f'<a href="{escape(url)}">{escape(title or url)}</a>'

    items = "".join(
        f"<li>{linked(title, url)}<br><small>{escape(', '.join(names))}</small></li>"
        for (title, url), names in by_source.items()
    )
    return (
        "<h3>Sources and references</h3>"
        f"<p>The lessons: {escape(SEED)}.</p>"
        "<p>Every setting's default comes from one of these:</p>"
        f"<ol>{items}</ol>"
        "<p><b>Assumed</b> (our inference, not a document's; each says why in its tooltip): "
        f"{escape(', '.join(assumed))}.</p>"
        "<p><b>Rules assumed</b> (the figure is documented, the rule it drives is ours): "
        f"{escape('; '.join(rules))}.</p>"
        "<p>'vmc-gui parameters' prints the same list; docs/parameters.md has it as a table, "
        "with what the sources say beyond each figure.</p>"
    )


def about_html() -> str:
    from vmc_gui.ui.icons import icon_png

    icon = icon_png(64).as_uri()
    return (
        f'<table><tr><td><img src="{escape(icon)}" width="64" height="64"></td>'
        f'<td style="padding-left: 12px; vertical-align: middle">'
        f"<h2>vmc-gui {escape(__version__)}</h2></td></tr></table>"
        "<p>Virtual machines against containers, made visible and measurable: stack "
        "diagrams, a deterministic cluster simulation whose settings are the real platforms' "
        "defaults, and live charts.</p>"
        "<p>MIT licence. Built with Qt for Python (PySide6, LGPL), networkx, pyqtgraph and "
        "numpy. The Inter typeface is bundled under the SIL Open Font License 1.1.</p>"
        f"<p>{escape(SEED)}.</p>"
    )
