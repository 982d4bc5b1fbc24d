"""File > Export View and Export Window: a dialog with what ``vmc-gui export`` offers on the
command line (what to draw, the moment, the scale or size, the theme, a transparent
background, PNG or SVG) and a preview of the picture, remembering the last choices.

The picture is drawn by :class:`~vmc_gui.ui.shell.export_targets.Stage`, which leaves the
app's clock and theme as they were; the file is written by :mod:`vmc_gui.ui.export`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vmc_gui.model.lessons import ROWS
from vmc_gui.ui import export
from vmc_gui.ui.picture_meta import metadata_for
from vmc_gui.ui.shell.export_targets import VIEW, Stage, Target, app_theme, targets
from vmc_gui.ui.shell.key_routing import commit_pending_edit

if TYPE_CHECKING:
    from vmc_gui.ui.shell.main_window import MainWindow

#: The formats, as offered and as written.
FORMATS = {"png": ("PNG picture", ".png"), "svg": ("SVG drawing", ".svg")}
#: The theme choices: the app's own (whichever it is when exporting), or one of the two.
THEME_CHOICES = {"app": "As the app", "light": "Light", "dark": "Dark"}
MIN_SCALE, MAX_SCALE, DEFAULT_SCALE = 1.0, 4.0, 2.0
DEFAULT_SIZE = (1920, 1080)
#: The preview's room, and how long the options rest before it is drawn again.
PREVIEW_ROOM = QSize(360, 240)
PREVIEW_DELAY_MS = 150
#: The settings the dialog keeps (beside File's "files/export_folder").
_KEY = "export/"


@dataclass(frozen=True, slots=True)
class PictureChoice:
    """Everything the dialog's fields say."""

    target: str
    at_s: float
    theme: str
    options: export.ExportOptions
    format: str
    path: str


def picture_metadata(window: MainWindow, at_s: float) -> dict[str, str] | None:
    """What a picture of what is on show says about itself (the scenario, the moment), or
    None for the table and the diagram-only lessons."""
    document = window.document
    if document is None:
        return None
    row = ROWS.get(window.lesson) or window.session.row()
    return metadata_for(
        document.scenario, at_s if window.session.runs() else 0.0, row.slug if row else ""
    )


def export_picture(window: MainWindow, choice: PictureChoice) -> QSize:
    """Draw and write ``choice``'s picture (an ExportError says why not); the app's clock and
    theme are as they were after.  Returns the picture's size in pixels."""
    target = _target(window, choice.target)
    path, _ = export.check_target(choice.path)
    with Stage(window, target, _theme(window, choice.theme)) as stage:
        stage.show_time(choice.at_s)
        at = choice.at_s if target.timed else window.session.controller.time()
        return stage.write(path, choice.options, picture_metadata(window, at))


def _target(window: MainWindow, key: str) -> Target:
    for target in targets(window):
        if target.key == key:
            return target
    raise export.ExportError(f"there is no {key} to export now")


def _theme(window: MainWindow, choice: str) -> str:
    return app_theme(window) if choice == "app" else choice


class ExportDialog(QDialog):
    """The options of a picture export, a preview, and the file to write."""

    def __init__(self, window: MainWindow, target: str = VIEW) -> None:
        super().__init__(window)
        self.window_ = window
        self.store = window.settings.store
        self.setWindowTitle("Export a picture")
        commit_pending_edit(window)  # the value the user sees is the one drawn
        controller = window.session.controller
        # A picture is of a moment: the one on show, until the user picks another.
        controller.pause()
        self._targets = targets(window)
        self._path_edited = False
        self._preview_image = QImage()
        #: Whether the user sizes pictures exactly (rather than by scale).
        self._wants_size = False

        self.target = QComboBox()
        for each in self._targets:
            self.target.addItem(each.label, each.key)
        self.target.setToolTip("What the picture shows")
        self.at = QDoubleSpinBox()
        self.at.setDecimals(1)
        self.at.setRange(0.0, max(controller.duration(), 0.0))
        self.at.setSuffix(" s")
        self.at.setValue(controller.time())
        #: The clock's time, to the last digit: the box shows it rounded to a tenth, and
        #: left as it is means the moment on show.
        self._clock = (controller.time(), self.at.value())
        self.at.setToolTip(
            "The simulated moment the picture shows; the app's own clock does not move"
        )
        self.by_scale = QRadioButton("&Scale")
        self.by_scale.setToolTip("Pixels per pixel on screen: 2x is crisp on a slide")
        self.scale = QDoubleSpinBox()
        self.scale.setRange(MIN_SCALE, MAX_SCALE)
        self.scale.setSingleStep(0.5)
        self.scale.setDecimals(1)
        self.scale.setSuffix("x")
        self.scale.setToolTip(self.by_scale.toolTip())
        self.by_size = QRadioButton("E&xactly")
        self.by_size.setToolTip(
            "The picture's exact size in pixels: the view is fitted inside it, centred"
        )
        self.width_ = _pixels("Width in pixels")
        self.height_ = _pixels("Height in pixels")
        self.sizing = QButtonGroup(self)
        self.sizing.addButton(self.by_scale)
        self.sizing.addButton(self.by_size)
        self.theme = QComboBox()
        current = app_theme(window)
        for key, label in THEME_CHOICES.items():
            self.theme.addItem(f"{label} ({current})" if key == "app" else label, key)
        self.theme.setToolTip("The colours of the picture; the app keeps its own")
        self.transparent = QCheckBox("Trans&parent background")
        self.transparent.setToolTip(
            "No background behind a diagram, the cluster or a chart (for a coloured slide)"
        )
        self.format = QComboBox()
        for key, (label, _) in FORMATS.items():
            self.format.addItem(label, key)
        self.format.setToolTip("PNG: pixels, for anything; SVG: vectors and text, to edit")
        self.path = QLineEdit()
        self.path.setToolTip("The file to write; an existing file is replaced")
        self.path.setMinimumWidth(320)
        self.browse = QPushButton("&Browse…")
        self.browse.setToolTip("Choose the folder and the file name")
        self.browse.setAutoDefault(False)
        self.preview = QLabel()
        self.preview.setFixedSize(PREVIEW_ROOM)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.preview.setToolTip("What will be written, made small")
        self.size_note = QLabel()
        self.size_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.size_note.setWordWrap(True)  # a picture too large says why, in a few lines
        self.size_note.setMaximumWidth(PREVIEW_ROOM.width())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.export_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText("&Export")
        self.export_button.setToolTip("Write the picture (Enter)")
        self.export_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setToolTip(
            "Close without writing anything (Esc)"
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()

        #: The preview is drawn again once the options rest (a spin box's arrows held down
        #: would otherwise draw it at every step).
        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(PREVIEW_DELAY_MS)
        self.preview_timer.timeout.connect(self.refresh_preview)
        self._restore(target)
        for signal in (
            self.target.currentIndexChanged,
            self.at.valueChanged,
            self.scale.valueChanged,
            self.width_.valueChanged,
            self.height_.valueChanged,
            self.theme.currentIndexChanged,
            self.transparent.toggled,
            self.sizing.buttonToggled,
            self.format.currentIndexChanged,
        ):
            signal.connect(self._changed)
        self.target.currentIndexChanged.connect(self._on_target_changed)
        self.sizing.buttonToggled.connect(self._on_sizing)
        self.format.currentIndexChanged.connect(self._on_format_changed)
        self.path.textEdited.connect(self._on_path_edited)
        self.browse.clicked.connect(self.ask_path)
        self._on_target_changed()
        self.refresh_preview()
        self.target.setFocus()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(_label("&What:", self.target), self.target)
        form.addRow(_label("&Time:", self.at), self.at)
        scale_row = QHBoxLayout()
        scale_row.addWidget(self.by_scale)
        scale_row.addWidget(self.scale)
        scale_row.addStretch(1)
        size_row = QHBoxLayout()
        size_row.addWidget(self.by_size)
        size_row.addWidget(self.width_)
        size_row.addWidget(QLabel("x"))
        size_row.addWidget(self.height_)
        size_row.addWidget(QLabel("px"))
        size_row.addStretch(1)
        form.addRow(QLabel("Size:"), scale_row)
        form.addRow("", size_row)
        form.addRow(_label("T&heme:", self.theme), self.theme)
        form.addRow("", self.transparent)
        form.addRow(_label("&Format:", self.format), self.format)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)
        form.addRow(_label("F&ile:", self.path), path_row)
        side = QVBoxLayout()
        side.addWidget(self.preview)
        side.addWidget(self.size_note)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(form, 1)
        top.addSpacing(12)
        top.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.buttons)

    # --- what the fields say -----------------------------------------------------------------

    def current_target(self) -> Target:
        return self._targets[max(self.target.currentIndex(), 0)]

    def choice(self) -> PictureChoice:
        target = self.current_target()
        size = None
        if self.by_size.isChecked() and not target.scalable_only:
            size = (self.width_.value(), self.height_.value())
        transparent = self.transparent.isChecked() and target.can_be_transparent
        options = export.ExportOptions(self.scale.value(), size, transparent)
        exact, shown = self._clock
        return PictureChoice(
            target.key,
            exact if self.at.value() == shown else self.at.value(),
            str(self.theme.currentData()),
            options,
            str(self.format.currentData()),
            self._full_path(),
        )

    def theme_name(self) -> str:
        """The theme the picture will be in."""
        return _theme(self.window_, str(self.theme.currentData()))

    def _full_path(self) -> str:
        """The file, its extension the format's (put in place of .png or .svg, or added)."""
        text = self.path.text().strip()
        if not text:
            return ""
        path = Path(text).expanduser()
        suffix = FORMATS[str(self.format.currentData())][1]
        if path.suffix.lower() in (".png", ".svg"):
            return str(path.with_suffix(suffix))
        return str(path.with_name(path.name + suffix))

    # --- keeping the fields in step ------------------------------------------------------

    def _changed(self) -> None:
        self.preview_timer.start()

    def _on_target_changed(self) -> None:
        target = self.current_target()
        runs = self.window_.session.runs()
        self.at.setEnabled(target.timed and runs)
        # A window is drawn at a scale: it shows so, and the user's choice of an exact size
        # comes back with a target that can have one.
        self.sizing.blockSignals(True)
        by_size = self._wants_size and not target.scalable_only
        (self.by_size if by_size else self.by_scale).setChecked(True)
        self.sizing.blockSignals(False)
        self.by_size.setEnabled(not target.scalable_only)
        self._enable_sizes()
        self.transparent.setEnabled(target.can_be_transparent)
        if target.scalable_only:
            self.by_size.setToolTip(
                "A window or a table is drawn as it is laid out on screen: choose its scale"
            )
        else:
            self.by_size.setToolTip(
                "The picture's exact size in pixels: the view is fitted inside it, centred"
            )
        if not self._path_edited:
            folder = Path(self.path.text()).parent if self.path.text() else self._folder()
            suffix = FORMATS[str(self.format.currentData())][1]
            self.path.setText(str(folder / f"{target.stem}{suffix}"))

    def _on_sizing(self, button: QAbstractButton, checked: bool) -> None:
        if checked:
            self._wants_size = button is self.by_size
        self._enable_sizes()

    def _enable_sizes(self) -> None:
        self.scale.setEnabled(self.by_scale.isChecked())
        self.width_.setEnabled(self.by_size.isChecked())
        self.height_.setEnabled(self.by_size.isChecked())

    def _on_format_changed(self) -> None:
        text = self.path.text().strip()
        if text:
            self.path.setText(self._full_path())

    def _on_path_edited(self, text: str) -> None:
        self._path_edited = True
        # A name typed with the other format's extension picks that format.
        suffix = Path(text.strip()).suffix.lower()
        for index in range(self.format.count()):
            if FORMATS[str(self.format.itemData(index))][1] == suffix:
                self.format.blockSignals(True)
                self.format.setCurrentIndex(index)
                self.format.blockSignals(False)

    def _folder(self) -> Path:
        return Path(str(self.store.value("files/export_folder", str(Path.home()))))

    def ask_path(self) -> None:
        """Browse… : the file to write, its extension following the format chosen."""
        key = str(self.format.currentData())
        label, suffix = FORMATS[key]
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export to", self._full_path() or str(self._folder()), f"{label} (*{suffix})"
        )
        if chosen:
            self._path_edited = True
            self.path.setText(chosen)
            self._on_path_edited(chosen)
            self.path.setText(self._full_path())

    # --- the preview -----------------------------------------------------------------------

    def refresh_preview(self) -> None:
        """Draw the picture small, as it will be written, and say its size."""
        self.preview_timer.stop()
        choice = self.choice()
        target = self.current_target()
        try:
            with Stage(self.window_, target, self.theme_name()) as stage:
                stage.show_time(choice.at_s)
                size = stage.output_size(choice.options)
                image = stage.preview(choice.options, PREVIEW_ROOM)
        except export.ExportError as problem:
            self._preview_image = QImage()
            self.preview.setPixmap(QPixmap())
            self.preview.setText("No preview")
            self.size_note.setText(str(problem))
            return
        self._preview_image = image
        shown = _on_checks(image) if choice.options.transparent else image
        self.preview.setPixmap(QPixmap.fromImage(shown))
        unit = "px" if choice.format == "png" else "px (SVG)"
        self.size_note.setText(f"{size.width()} x {size.height()} {unit}")

    def preview_image(self) -> QImage:
        """The preview as drawn last (null if there is none)."""
        return QImage(self._preview_image)

    # --- remembering -----------------------------------------------------------------------

    def _restore(self, target: str) -> None:
        index = self.target.findData(target)
        self.target.setCurrentIndex(index if index >= 0 else 0)
        value = self.store.value
        self._wants_size = str(value(f"{_KEY}sizing", "scale")) == "size"
        self.scale.setValue(_number(value(f"{_KEY}scale", DEFAULT_SCALE), DEFAULT_SCALE))
        self.width_.setValue(int(_number(value(f"{_KEY}width", DEFAULT_SIZE[0]), DEFAULT_SIZE[0])))
        self.height_.setValue(
            int(_number(value(f"{_KEY}height", DEFAULT_SIZE[1]), DEFAULT_SIZE[1]))
        )
        theme = self.theme.findData(str(value(f"{_KEY}theme", "app")))
        self.theme.setCurrentIndex(max(theme, 0))
        self.transparent.setChecked(str(value(f"{_KEY}transparent", "false")) == "true")
        fmt = self.format.findData(str(value(f"{_KEY}format", "png")))
        self.format.setCurrentIndex(max(fmt, 0))

    def _remember(self, choice: PictureChoice) -> None:
        store = self.store
        store.setValue(f"{_KEY}sizing", "size" if self._wants_size else "scale")
        store.setValue(f"{_KEY}scale", self.scale.value())
        store.setValue(f"{_KEY}width", self.width_.value())
        store.setValue(f"{_KEY}height", self.height_.value())
        store.setValue(f"{_KEY}theme", str(self.theme.currentData()))
        store.setValue(f"{_KEY}transparent", "true" if self.transparent.isChecked() else "false")
        store.setValue(f"{_KEY}format", choice.format)
        store.setValue("files/export_folder", str(Path(choice.path).parent))

    # --- exporting -------------------------------------------------------------------------

    def accept(self) -> None:
        """Export: written, the dialog closes and the status bar says where; refused, the
        error is shown and the dialog stays open with the user's choices."""
        choice = self.choice()
        if not choice.path:
            self.window_.show_error("Export failed", "Give the file to write.")
            self.path.setFocus()
            return
        try:
            export_picture(self.window_, choice)
        except export.ExportError as problem:
            self.window_.show_error("Export failed", str(problem))
            return
        self._remember(choice)
        self.window_.statusBar().showMessage(f"Exported {choice.path}", 5000)
        super().accept()


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _pixels(tip: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(16, export.MAX_SIDE)
    box.setSingleStep(10)
    box.setToolTip(tip)
    box.setAccelerated(True)
    return box


def _number(value: object, default: float) -> float:
    """A remembered number (QSettings hands back text from an INI file), or ``default``."""
    try:
        return float(str(value))
    except ValueError:
        return default


def _on_checks(image: QImage) -> QImage:
    """``image`` over a checkerboard, so that a transparent background shows as such."""
    out = QImage(image.size(), QImage.Format.Format_ARGB32_Premultiplied)
    out.fill(QColor("#ffffff"))
    painter = QPainter(out)
    try:
        step = 8
        grey = QColor("#d8d8d8")
        for y in range(0, image.height(), step):
            for x in range((y // step) % 2 * step, image.width(), 2 * step):
                painter.fillRect(QRectF(x, y, step, step), grey)
        painter.drawImage(0, 0, image)
    finally:
        painter.end()
    return out


def open_export_dialog(window: MainWindow, target: str = VIEW) -> ExportDialog:
    """Open the dialog on ``target`` ("view", "window" or "chart:METRIC"), window-modal:
    the app goes on drawing behind it."""
    dialog = ExportDialog(window, target)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
