"""The seed's comparison table, the first screen: each cell opens the lesson for its row and
side, by click or by keyboard (arrows to move, Enter to open).

Each row also says what its lesson shows before it is opened: beside the feature's name, a
small picture of the lesson's main view (its stack diagram, its cluster, or its matrix), and
under each side's words, what that side comes to at the defaults ("recovered in 4 min
59.6 s"), from the lesson's own simulation or model (:mod:`vmc_gui.sim.teasers`).  Those
need the engine and numpy, which the first screen must not wait for: the table works them
out after its first paint (:mod:`vmc_gui.ui.panels.lesson_previews`) and fills them in as
they come, with "working out…" until then.

The rows share the window's height between them: no empty space under the table.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vmc_gui.model.lessons import OVERVIEW_TITLE, ROWS, Side
from vmc_gui.sim.records import Phase
from vmc_gui.ui.fonts import app_font
from vmc_gui.ui.palette import palette_for
from vmc_gui.ui.panels import lesson_previews as previews
from vmc_gui.ui.theme import LIGHT, Theme, mixed

if TYPE_CHECKING:
    from PySide6.QtGui import QImage, QTextDocument

    from vmc_gui.sim.teasers import Result, Teaser

#: The column each side is in (the feature's name is column 0).
_COLUMNS = {1: Side.VM, 2: Side.CONTAINER}
#: The world whose colour marks each side, as in the cluster view and the charts.
_WORLD = {Side.VM: "vm", Side.CONTAINER: "container"}
#: The intro, one line: what a row is, and what its coloured lines are.
INTRO = (
    "Click a cell to open its lesson on that side. Under each cell: what the lesson works "
    "out for that side, at the default settings."
)
#: What a side's cell says while its lesson is being worked out.
WORKING = "working out\N{HORIZONTAL ELLIPSIS}"
#: The box a lesson's picture fits in, in device-independent pixels.
PICTURE = QSize(128, 50)
#: Pictures are drawn at this many pixels a pixel at least: crisp in a 2x export too.
_PICTURE_RATIO = 2.0
#: How often the table looks for work finished in the background, while there is some.
_POLL_MS = 50
#: How long after its first paint the table starts that work: the window is up and idle.
_START_AFTER_MS = 150


class _Delegate(QStyledItemDelegate):
    """Draws the cells.  Each cell has a top and, under it, a strip lined up across the row:

    - the feature's cell: the lesson's picture and the feature's name; in the strip, what
      the lesson simulates or draws;
    - a side's cell: the seed's words; in the strip, what that side comes to.

    Every row is as tall as its cells need (no cell ends in an ellipsis), and taller when
    the window has room to share."""

    PAD = 7
    GAP = 4
    #: Between the picture and the feature's name: enough that the two never read as one.
    PICTURE_GAP = 14

    def __init__(self, owner: ComparisonTable) -> None:
        super().__init__(owner.table)
        self._owner = owner
        self._table = owner.table
        #: Measured heights and laid-out strips, by what they depend on: a layout asks for
        #: each cell's size many times over.
        self._heights: dict[tuple[object, ...], int] = {}
        self._documents: dict[tuple[object, ...], QTextDocument] = {}

    def clear(self) -> None:
        """Forget every measurement (fonts, theme or contents changed)."""
        self._heights.clear()
        self._documents.clear()

    # --- sizes ---------------------------------------------------------------------------

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        return QSize(self._table.columnWidth(index.column()), self.row_height(index.row()))

    def row_height(self, row: int) -> int:
        """The height ``row``'s cells need: the tallest top, then the tallest strip."""
        return 2 * self.PAD + self.top_height(row) + self.GAP + self.strip_height(row)

    def top_height(self, row: int) -> int:
        return max(self._top(row, c, self._table.columnWidth(c)) for c in range(3))

    def strip_height(self, row: int) -> int:
        return max(self._strip_height(row, c, self._table.columnWidth(c)) for c in range(3))

    def _top(self, row: int, column: int, width: int) -> int:
        """The height of a cell's top: the seed's words, or the picture and the name."""
        fonts = self._owner.fonts
        font = fonts["name"] if column == 0 else fonts["text"]
        text = self._table.item(row, column).text()
        key = (column, text, width, font.key())
        height = self._heights.get(key)
        if height is None:
            area = self._top_rect(QRect(0, 0, width, 100_000), column)
            box = QFontMetrics(font).boundingRect(area, int(Qt.TextFlag.TextWordWrap), text)
            height = box.height()
            if column == 0:
                height = max(height, PICTURE.height())
            self._heights[key] = height
        return height

    def _top_rect(self, rect: QRect, column: int) -> QRect:
        """Where a cell's words go: inside its padding; for the feature, right of the picture."""
        inner = rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        if column == 0:
            inner.setLeft(inner.left() + PICTURE.width() + self.PICTURE_GAP)
        if inner.width() < 40:
            inner.setWidth(40)
        return inner

    def _strip_text(self, row: int, column: int) -> tuple[str, QFont]:
        """A cell's strip when it is plain words: the lesson's subject, or "working out…"
        ("" when the strip is the side's results, or nothing)."""
        owner = self._owner
        side = _COLUMNS.get(column)
        if side is None:
            return owner.subject(row), owner.fonts["subject"]
        if owner.results(row, side) is None and owner.working():
            return WORKING, owner.fonts["working"]
        return "", owner.fonts["subject"]

    def _strip_height(self, row: int, column: int, width: int) -> int:
        document = self._strip(row, column, width)
        if document is not None:
            return int(document.size().height() + 0.999)
        text, font = self._strip_text(row, column)
        if not text:
            return 0
        key = ("strip", text, width, font.key())
        height = self._heights.get(key)
        if height is None:
            area = QRect(0, 0, max(width - 2 * self.PAD, 40), 100_000)
            box = QFontMetrics(font).boundingRect(area, int(Qt.TextFlag.TextWordWrap), text)
            height = self._heights[key] = box.height()
        return height

    def _strip(self, row: int, column: int, width: int) -> QTextDocument | None:
        """A side's results, laid out for ``width``, each world's on a line of its own; None
        until they are in (the strip is plain words until then, and the first paint needs
        no rich text)."""
        owner = self._owner
        side = _COLUMNS.get(column)
        results = owner.results(row, side) if side is not None else None
        if side is None or results is None:
            return None
        theme = owner.theme()
        font = owner.fonts["result"]
        key = (row, column, width, theme.name, font.key(), results)
        document = self._documents.get(key)
        if document is None:
            from PySide6.QtGui import QTextDocument

            document = QTextDocument()
            document.setDocumentMargin(0)
            document.setDefaultFont(font)
            document.setTextWidth(max(width - 2 * self.PAD, 40))
            document.setHtml(_strip_html(results, side, theme))
            self._documents[key] = document
        return document

    # --- painting ------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        row, column = index.row(), index.column()
        rect = option.rect
        theme = self._owner.theme()
        palette = self._table.palette()
        # Not from option.state: QStyle's Python type alone costs the first paint 16 ms.
        hovered = self._owner.hovered() == (row, column)
        focused = self._table.hasFocus() and self._table.currentIndex() == index
        selected = focused
        side = _COLUMNS.get(column)
        accent = theme.world(_WORLD[side]) if side else theme.selected
        painter.save()
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            background = index.data(Qt.ItemDataRole.BackgroundRole)
            if isinstance(background, QBrush):
                fill = background.color()
            else:
                fill = (palette.alternateBase() if row % 2 else palette.base()).color()
            if selected or hovered:
                fill = mixed(accent, palette.base().color(), 0.16 if selected else 0.10)
            painter.fillRect(rect, fill)
            words = self._top_rect(rect, column)
            flags = int(
                Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
            )
            painter.setPen(theme.text)
            painter.setFont(self._owner.fonts["name" if column == 0 else "text"])
            painter.drawText(words, flags, self._table.item(row, column).text())
            if column == 0:
                self._paint_picture(painter, rect, row)
            # The strips start under the row's tallest top, level with each other.
            top = rect.top() + self.PAD + self.top_height(row) + self.GAP
            document = self._strip(row, column, rect.width())
            if document is not None:
                painter.translate(rect.left() + self.PAD, top)
                document.drawContents(painter)
                painter.resetTransform()
            else:
                text, font = self._strip_text(row, column)
                painter.setPen(theme.muted)
                painter.setFont(font)
                strip = QRect(
                    rect.left() + self.PAD, top, rect.width() - 2 * self.PAD, rect.bottom() - top
                )
                painter.drawText(strip, flags, text)
            if hovered or focused:
                painter.setPen(QPen(accent if hovered else palette.highlight().color(), 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(QRectF(rect).adjusted(2, 2, -2, -2), 4, 4)
        finally:
            painter.restore()

    def _paint_picture(self, painter: QPainter, rect: QRect, row: int) -> None:
        theme = self._owner.theme()
        box = QRectF(
            rect.left() + self.PAD, rect.top() + self.PAD, PICTURE.width(), PICTURE.height()
        )
        image = self._owner.picture(row)
        frame = mixed(theme.text, theme.background, 0.22)
        if image is not None and not image.isNull():
            shown = image.deviceIndependentSize()
            target = QRectF(box.topLeft(), shown)
            target.moveLeft(box.left() + (box.width() - shown.width()) / 2)
            painter.drawImage(target, image)
            painter.setPen(QPen(frame, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(target.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        else:  # drawn soon: a quiet frame where it will be
            painter.setPen(QPen(frame, 1, Qt.PenStyle.DashLine))
            painter.setBrush(mixed(theme.text, theme.background, 0.04))
            painter.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)


def _strip_html(results: tuple[Result, ...], side: Side, theme: Theme) -> str:
    """A side's results: each world's outcome in bold, in the side's colour, after a dot in
    the outcome's tone (green good news, red bad) and the world's name where the side has
    several."""
    colour = theme.world(_WORLD[side]).name()
    tones = {"good": theme.phase(Phase.READY).name(), "alarm": theme.compromised.name()}
    lines = []
    for result in results:
        mark = f"<span style='color:{tones.get(result.tone, colour)}'>\N{BLACK CIRCLE}</span> "
        label = (
            f"<span style='color:{theme.muted.name()}'>{escape(result.label)}: </span>"
            if result.label
            else ""
        )
        text = f"<b style='color:{colour}'>{escape(result.text)}</b>"
        lines.append(f"<div>{mark}{label}{text}</div>")
    return "".join(lines)


class ComparisonTable(QWidget):
    """Feature, virtual machine, container: nine rows, every cell a way into its lesson."""

    #: A row's slug and the side clicked ("" for the feature's own cell).
    lesson_requested = Signal(str, str)
    #: Every row's teaser and picture is in (after the background work, or finish_previews).
    previews_ready = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme: Theme = LIGHT
        self._slugs = list(ROWS)
        #: What the background work has given each row so far, by slug.
        self._previews: dict[str, previews.Preview] = {}
        #: Each row's picture in the current theme, by slug.
        self._pictures: dict[str, QImage] = {}
        self._started = False
        self._fitting = False
        self._hovered: tuple[int, int] | None = None
        self.fonts: dict[str, QFont] = {}
        self.title = QLabel(OVERVIEW_TITLE)
        self.intro = QLabel(INTRO)
        self.intro.setWordWrap(True)
        self.table = QTableWidget(len(ROWS), 3)
        self.table.setHorizontalHeaderLabels(["Feature", Side.VM.label, Side.CONTAINER.label])
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setMouseTracking(True)
        self.table.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        self.table.verticalHeader().hide()
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self._delegate = _Delegate(self)
        self.table.setItemDelegate(self._delegate)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 300)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        for r, row in enumerate(ROWS.values()):
            feature = QTableWidgetItem(row.feature)
            self.table.setItem(r, 0, feature)
            for column in _COLUMNS:
                self.table.setItem(r, column, QTableWidgetItem(row.cell(_COLUMNS[column])))
        self._set_tooltips()
        self.table.cellClicked.connect(self._open)
        self.table.activated.connect(self._on_activated)
        header.sectionResized.connect(self._fit_soon)
        self.table.viewport().installEventFilter(self)

        # The title and the intro share a line: the rows get the height.
        heading = QHBoxLayout()
        heading.setSpacing(18)
        heading.addWidget(self.title, 0, Qt.AlignmentFlag.AlignBottom)
        heading.addWidget(self.intro, 1, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 10, 24, 10)
        layout.setSpacing(8)
        layout.addLayout(heading)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)
        # No cell is current until the user moves to one: a focus frame on the first cell
        # reads as an empty text field.
        self.table.setCurrentIndex(QModelIndex())
        # The work after the first paint: a row's teaser and a picture each slice.
        self._poll = QTimer(self)
        self._poll.setInterval(_POLL_MS)
        self._poll.timeout.connect(self._take_previews)
        self._starter = QTimer(self)
        self._starter.setSingleShot(True)
        self._starter.setInterval(_START_AFTER_MS)
        self._starter.timeout.connect(self.start_previews)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit_rows)
        self.apply_fonts()
        self.set_theme(LIGHT)

    # --- what the cells say --------------------------------------------------------------

    def theme(self) -> Theme:
        return self._theme

    def working(self) -> bool:
        """Whether some row's teaser is still to come."""
        return not all(s in self._previews for s in self._slugs)

    def teaser(self, slug: str) -> Teaser | None:
        """``slug``'s teaser, once worked out (None before, or for a row without one)."""
        preview = self._previews.get(slug)
        return preview.teaser if preview else None

    def results(self, row: int, side: Side) -> tuple[Result, ...] | None:
        """What the side's cell of ``row`` says under its words (None: not yet known)."""
        teaser = self.teaser(self._slugs[row])
        return teaser.side(side) if teaser else None

    def subject(self, row: int) -> str:
        """What ``row``'s lesson simulates or draws, once known ("" before)."""
        teaser = self.teaser(self._slugs[row])
        if teaser is None:
            return ""
        return teaser.subject[:1].upper() + teaser.subject[1:]

    def picture(self, row: int) -> QImage | None:
        return self._pictures.get(self._slugs[row])

    def side_text(self, slug: str, side: str) -> str:
        """What the cell of ``slug`` on ``side`` says under the seed's words ("" if nothing)."""
        results = self.results(self._slugs.index(slug), Side(side))
        if results is None:
            return WORKING if self.working() else ""
        return "; ".join(str(r) for r in results)

    def previews_done(self) -> bool:
        """Whether every row's teaser and picture is in."""
        return not self.working() and all(s in self._pictures for s in self._slugs)

    # --- the background work -------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport():
            if event.type() == QEvent.Type.Paint and not self._started:
                # The table is on screen: work the previews out once it is idle (never on
                # the startup path: the first paint waits for none of it).
                self._started = True
                self._starter.start()
            elif event.type() == QEvent.Type.Resize:
                self._fit_rows()
            elif event.type() == QEvent.Type.MouseMove:
                index = self.table.indexAt(event.position().toPoint())  # type: ignore[attr-defined]
                self._hover_on((index.row(), index.column()) if index.isValid() else None)
            elif event.type() == QEvent.Type.Leave:
                self._hover_on(None)
        return super().eventFilter(watched, event)

    def hovered(self) -> tuple[int, int] | None:
        """The cell under the mouse, as (row, column), if any."""
        return self._hovered

    def _hover_on(self, cell: tuple[int, int] | None) -> None:
        if cell == self._hovered:
            return
        for old_or_new in (self._hovered, cell):
            if old_or_new is not None:
                index = self.table.model().index(*old_or_new)
                self.table.viewport().update(self.table.visualRect(index))
        self._hovered = cell

    def start_previews(self) -> None:
        """Start working out every row's teaser and picture in the background (the table
        does, after its first paint); each row fills in when its own is ready."""
        self._started = True
        previews.JOB.start()
        self._take_previews()
        if not self.previews_done():
            self._poll.start()

    def finish_previews(self) -> None:
        """Work out every teaser and draw every picture now, waiting for them: for an export
        of the table, and for tests."""
        self._started = True
        previews.JOB.finish()
        self._take_previews(all_pictures=True)

    def _take_previews(self, all_pictures: bool = False) -> None:
        """Fill in what the background work has finished; draw one picture (a slice of the
        event loop each), or all of them."""
        previews.JOB.step()  # a row's teaser a slice
        found = previews.JOB.previews()
        fresh = [s for s in found if s not in self._previews]
        for slug in fresh:
            self._previews[slug] = found[slug]
        if fresh:
            self._contents_changed()
        ratio = max(_PICTURE_RATIO, self.devicePixelRatioF())
        for slug in self._slugs:
            if slug in self._pictures or slug not in self._previews:
                continue
            drawn_before = previews.cached_picture(slug, self._theme, PICTURE, ratio)
            self._draw_picture(slug)
            if drawn_before is None and not all_pictures:
                break  # one new picture a slice: the window stays responsive
        if self.previews_done():
            self._poll.stop()
            self.previews_ready.emit()

    def _draw_picture(self, slug: str) -> None:
        ratio = max(_PICTURE_RATIO, self.devicePixelRatioF())
        try:
            image = previews.picture(ROWS[slug], self._theme, PICTURE, ratio, self._previews[slug])
        except Exception:  # a scene that cannot draw: the row keeps its empty frame
            from PySide6.QtGui import QImage

            previews.log_failure(slug)
            image = QImage()
        self._pictures[slug] = image
        row = self._slugs.index(slug)
        self.table.viewport().update(self.table.visualRect(self.table.model().index(row, 0)))

    def _contents_changed(self) -> None:
        self._set_tooltips()
        self._delegate.clear()
        self._fit_rows()
        self.table.viewport().update()

    def _set_tooltips(self) -> None:
        for r, row in enumerate(ROWS.values()):
            teaser = self.teaser(row.slug)
            tip = f"Open the {row.feature} lesson"
            self.table.item(r, 0).setToolTip(
                f"{tip}\n{teaser.line()}" if teaser is not None else tip
            )
            for column, side in _COLUMNS.items():
                tip = f"Open the {row.feature} lesson, {side.label.lower()} side"
                if teaser is not None:
                    tip += f"\nAt the defaults: {teaser.side_text(side)}"
                self.table.item(r, column).setToolTip(tip)

    # --- layout --------------------------------------------------------------------------

    def _fit_soon(self, *_: object) -> None:
        self._refit.start()

    def _fit_rows(self) -> None:
        """The feature column as wide as its picture and name need; each row as tall as its
        contents, and the window's spare height shared between them, so that the table
        ends at the window's bottom (it scrolls when the rows need more)."""
        if self._fitting:
            self._fit_soon()
            return
        self._fitting = True
        try:
            viewport = self.table.viewport()
            feature = min(max(round(viewport.width() * 0.24), 270), 340)
            if self.table.columnWidth(0) != feature:
                self.table.setColumnWidth(0, feature)
            needed = [self._delegate.row_height(r) for r in range(self.table.rowCount())]
            spare = max(0, viewport.height() - sum(needed))
            n = len(needed)
            for r, height in enumerate(needed):
                share = spare * (r + 1) // n - spare * r // n
                if self.table.rowHeight(r) != height + share:
                    self.table.setRowHeight(r, height + share)
        finally:
            self._fitting = False

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ApplicationFontChange:  # presentation mode
            self.apply_fonts()
        super().changeEvent(event)

    def apply_fonts(self) -> None:
        """Sizes relative to the application's font, so that they follow it."""
        self.title.setFont(app_font(1.6, bold=True))
        self.intro.setFont(app_font(1.0))
        self.table.setFont(app_font(1.08))
        self.fonts = {
            "text": app_font(1.0),
            "name": app_font(1.35, bold=True),
            "subject": app_font(1.0),
            "result": app_font(1.0),
            "working": app_font(1.0),
        }
        self.fonts["working"].setItalic(True)
        bold = app_font(1.08, bold=True)
        for r in range(self.table.rowCount()):
            self.table.item(r, 0).setFont(bold)
        for column in _COLUMNS:
            self.table.horizontalHeaderItem(column).setFont(self.table.font())
        self._delegate.clear()
        self._fit_rows()

    def set_theme(self, theme: Theme) -> None:
        """The theme's colours; each side's header and cells tinted in its world's colour,
        as the other views draw it; the pictures drawn again in the theme."""
        self._theme = theme
        # The theme's own colours, set on the table itself.
        palette = palette_for(theme)
        self.table.setPalette(palette)
        self.intro.setStyleSheet(f"color: {theme.muted.name()}")
        base = palette.base().color()
        text = QBrush(theme.text)
        for r in range(self.table.rowCount()):
            self.table.item(r, 0).setForeground(text)
        for column, side in _COLUMNS.items():
            header = self.table.horizontalHeaderItem(column)
            colour = theme.world(_WORLD[side])
            header.setForeground(QBrush(colour))
            for r in range(self.table.rowCount()):
                # A faint wash of the side's colour keeps the columns apart at a glance.
                item = self.table.item(r, column)
                item.setBackground(
                    QBrush(mixed(colour, base, 0.06 if theme.name == "light" else 0.12))
                )
                item.setForeground(text)
        # Pictures drawn before in this theme come back at once; the others are drawn again.
        ratio = max(_PICTURE_RATIO, self.devicePixelRatioF())
        self._pictures = {
            slug: image
            for slug in self._previews
            if (image := previews.cached_picture(slug, theme, PICTURE, ratio)) is not None
        }
        self._delegate.clear()
        if self._started and not self.previews_done():
            self._poll.start()
        self.table.viewport().update()

    # --- opening a lesson ----------------------------------------------------------------

    def cell_rect_center(self, slug: str, side: str = "") -> tuple[int, int]:
        """Where a cell's centre is, in this widget's coordinates (for walkthroughs)."""
        row = list(ROWS).index(slug)
        column = next((c for c, s in _COLUMNS.items() if s.value == side), 0)
        rect = self.table.visualRect(self.table.model().index(row, column))
        centre = self.table.viewport().mapTo(self, rect.center())
        return centre.x(), centre.y()

    def _on_activated(self, index: QModelIndex) -> None:
        self._open(index.row(), index.column())

    def _open(self, row: int, column: int) -> None:
        slug = list(ROWS)[row]
        side = _COLUMNS.get(column)
        self.lesson_requested.emit(slug, side.value if side else "")
