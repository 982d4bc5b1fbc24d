"""The caption under a lesson's views: which chapter of the run is under way, and what it
means, in a sentence written for a student (``sim.chapters``, ``model.captions``).

It follows the playback clock, as every view of the lesson does; its buttons step through
the chapters (as Page Up and Page Down do).  In presentation mode it is set in projector
type, the words a lecturer would otherwise have to say.  The chapter's title leads the
caption in bold on the same lines, so that the views above keep the height.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QResizeEvent, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from vmc_gui.ui.fonts import app_font, ui_font

if TYPE_CHECKING:
    from vmc_gui.sim.chapters import Chapter
    from vmc_gui.ui.playback import PlaybackController

#: Projector type (pixels): the caption, read from the back of a hall.
PROJECTOR_PX = 28


class ChapterBanner(QWidget):
    """ "◀ ▶ Chapter 3 of 10 · VM world: isolated — what it means", wrapped."""

    def __init__(self, controller: PlaybackController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.previous_button = QToolButton()
        self.previous_button.setText("◀")
        self.previous_button.setToolTip("Previous chapter (Page Up)")
        self.previous_button.setAccessibleName("Previous chapter")
        self.previous_button.clicked.connect(controller.previous_chapter)
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip("Next chapter (Page Down)")
        self.next_button.setAccessibleName("Next chapter")
        self.next_button.clicked.connect(controller.next_chapter)
        #: The title in bold, then the caption: wrapped, never widening the window.
        self.words = QLabel()
        self.words.setTextFormat(Qt.TextFormat.RichText)
        self.words.setWordWrap(True)
        # Held at the longest chapter's height: the words start at its top, by the buttons.
        self.words.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.words.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 2)
        layout.addWidget(self.previous_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.words, 1)
        self._projector = False
        self._shown: tuple[int, int] | None = None
        self._title = ""
        self._caption = ""
        self.apply_fonts()
        controller.time_changed.connect(self._on_time)
        controller.timeline_changed.connect(self._on_timeline)

    def title(self) -> str:
        """ "Chapter 3 of 10 · VM world: isolated" (empty where nothing runs)."""
        return self._title

    def caption(self) -> str:
        """What the chapter under way means, in a sentence or two."""
        return self._caption

    def set_projector(self, on: bool) -> None:
        """Projector type (presentation mode), or the desktop's."""
        self._projector = on
        self.apply_fonts()

    def apply_fonts(self) -> None:
        font = ui_font(PROJECTOR_PX) if self._projector else app_font(1.1)
        self.words.setFont(QFont(font))
        for button in (self.previous_button, self.next_button):
            button.setFont(QFont(font))
        self._hold_height()

    def chapter(self) -> Chapter | None:
        return self.controller.chapter()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._hold_height()

    def _hold_height(self) -> None:
        """As tall as the lesson's longest chapter needs at this width, from its start: a
        banner that grew and shrank with each caption would resize the views above it, and
        they would refit (and jump) at every chapter."""
        found = self.controller.chapters()
        width = self.words.width()
        if self._projector:
            # Presentation mode's views are zoomed to a fixed floor and scroll: a banner that
            # grows shows less of them for a moment, but nothing refits. The room goes to them.
            self.words.setMinimumHeight(0)
            return
        if not found or width <= 0:
            return
        count = len(found)
        tallest = max(self._height(_html(count, count, c), width) for c in found)
        self.words.setMinimumHeight(tallest)

    def _height(self, html: str, width: int) -> int:
        document = QTextDocument()
        document.setDefaultFont(self.words.font())
        document.setDocumentMargin(0)
        document.setHtml(html)
        document.setTextWidth(width)
        return int(document.size().height()) + 1

    def _on_timeline(self, timeline: object) -> None:
        self._shown = None  # a changed setting moves the chapters and may change the words
        self._hold_height()
        self._on_time(self.controller.time())

    def _on_time(self, t: float) -> None:
        found = self.controller.chapters()
        if not found:
            self.words.clear()
            self._title = self._caption = ""
            self._shown = None
            return
        from vmc_gui.sim.chapters import chapter_at

        index = chapter_at(found, t)
        self.previous_button.setEnabled(t > 0.0)
        self.next_button.setEnabled(index < len(found) - 1)
        if self._shown == (index, len(found)):
            return  # the clock moves every frame; the words only at a chapter's start
        self._shown = (index, len(found))
        chapter = found[index]
        self._title = f"Chapter {index + 1} of {len(found)} · {chapter.title}"
        self._caption = chapter.caption
        self.words.setText(_html(index + 1, len(found), chapter))


def _html(number: int, count: int, chapter: Chapter) -> str:
    title = escape(f"Chapter {number} of {count} · {chapter.title}")
    return f"<b>{title}</b>&nbsp;&nbsp;&nbsp;{escape(chapter.caption)}"
