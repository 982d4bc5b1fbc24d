"""File > Export Animation: the cluster or a chart as it plays over a stretch of simulated
time, written as APNG, GIF, WebP or MP4 by :mod:`vmc_gui.ui.animation`, with a progress bar
and Cancel.

Frames are drawn on the GUI thread (Qt draws scenes there only), one per turn of the event
loop from a zero-interval timer, so that the app goes on answering between frames; the
encoder works beside it.  The cluster is drawn by moving the clock frame by frame, which the
window shows as progress; the clock, the theme and playback's pause are put back at the end,
and on Cancel, when nothing is written.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QFont, QImage
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vmc_gui.ui import export
from vmc_gui.ui.animation import (
    ANIMATION_FORMATS,
    MAX_FPS,
    MIN_FPS,
    AnimationError,
    AnimationExport,
    AnimationOptions,
    frame_times,
)
from vmc_gui.ui.playback import DEFAULT_SPEED, SPEEDS
from vmc_gui.ui.shell.export_dialog import THEME_CHOICES, picture_metadata
from vmc_gui.ui.shell.export_targets import (
    Stage,
    Target,
    animation_target_key,
    animation_targets,
    app_theme,
)
from vmc_gui.ui.shell.key_routing import commit_pending_edit

if TYPE_CHECKING:
    from vmc_gui.ui.shell.main_window import MainWindow

#: The formats, as offered: each one's label and extension (ANIMATION_FORMATS's order).
FORMATS = {".apng": "Animated PNG", ".gif": "GIF", ".webp": "WebP", ".mp4": "MP4 video"}
#: Said after MP4 when PyAV, its optional encoder, is not installed.
_NEEDS_PYAV = " (needs PyAV: pip install 'vmc-gui[video]')"
DEFAULT_FPS = 20.0
DEFAULT_SIZE = (1280, 720)
#: A frame's sides: large enough to read, small enough for a slide and for memory.
MIN_SIDE, MAX_SIDE = 64, 3840
_KEY = "animation/"


class AnimationDialog(QDialog):
    """The range, speed, frame rate, size, theme, format and file of an animated export,
    and its progress."""

    def __init__(self, window: MainWindow, target: str = "") -> None:
        super().__init__(window)
        self.window_ = window
        self.store = window.settings.store
        self.setWindowTitle("Export an animation")
        commit_pending_edit(window)
        controller = window.session.controller
        controller.pause()  # the frames are the ones chosen, not whatever plays meanwhile
        duration = controller.duration()
        self._targets = animation_targets(window)
        self._path_edited = False
        self._job: AnimationExport | None = None
        self._stage: Stage | None = None

        self.target = QComboBox()
        for each in self._targets:
            self.target.addItem(each.label, each.key)
        self.target.setToolTip("What plays in the animation")
        self.start = _seconds(duration, "The simulated moment the animation starts at")
        self.end = _seconds(duration, "The simulated moment the animation ends at")
        self.end.setValue(duration)
        self.speed = QDoubleSpinBox()
        self.speed.setRange(0.1, SPEEDS[-1])
        self.speed.setDecimals(1)
        self.speed.setSuffix("x")
        row = window.session.row()
        self.speed.setValue(row.speed if row is not None else DEFAULT_SPEED)
        self.speed.setToolTip(
            "Simulated seconds per second of video (the lesson's own playback speed to start)"
        )
        self.fps = QDoubleSpinBox()
        self.fps.setRange(MIN_FPS, MAX_FPS)
        self.fps.setDecimals(0)
        self.fps.setSuffix(" fps")
        self.fps.setToolTip("Frames per second of video: more is smoother, and larger")
        self.width_ = _pixels("Width of each frame in pixels")
        self.height_ = _pixels("Height of each frame in pixels")
        self.theme = QComboBox()
        current = app_theme(window)
        for key, label in THEME_CHOICES.items():
            self.theme.addItem(f"{label} ({current})" if key == "app" else label, key)
        self.theme.setToolTip("The colours of the animation; the app keeps its own")
        self.format = QComboBox()
        for suffix in ANIMATION_FORMATS:
            label = FORMATS.get(suffix, suffix)
            if suffix == ".mp4" and importlib.util.find_spec("av") is None:
                label += _NEEDS_PYAV
            self.format.addItem(label, suffix)
        self.format.setToolTip(
            "APNG: sharp, plays in browsers and slides; GIF: plays everywhere, 256 colours; "
            "WebP: small; MP4: smallest, a video"
        )
        self.path = QLineEdit()
        self.path.setMinimumWidth(320)
        self.path.setToolTip("The file to write; an existing file is replaced once done")
        self.browse = QPushButton("&Browse…")
        self.browse.setToolTip("Choose the folder and the file name")
        self.browse.setAutoDefault(False)
        self.summary = QLabel()
        self.progress = QProgressBar()
        self.progress.setFormat("%v / %m frames")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setToolTip("Frames drawn so far")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold = QFont(self.problem.font())
        bold.setBold(True)
        self.problem.setFont(bold)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.export_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText("&Export")
        self.export_button.setToolTip("Draw the frames and write the file (Enter)")
        self.export_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setToolTip("Stop, writing nothing; or close (Esc)")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()

        #: Draws one frame a turn of the event loop while exporting.
        self.timer = QTimer(self)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.render_slice)
        # Quitting mid-way (the window closed under the dialog) leaves no half-written file.
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.cancel_export)
        self._restore(target or animation_target_key(window))
        for signal in (
            self.start.valueChanged,
            self.end.valueChanged,
            self.speed.valueChanged,
            self.fps.valueChanged,
        ):
            signal.connect(self._summarise)
        self.target.currentIndexChanged.connect(self._on_target_changed)
        self.format.currentIndexChanged.connect(self._on_format_changed)
        self.path.textEdited.connect(self._on_path_edited)
        self.browse.clicked.connect(self.ask_path)
        self._on_target_changed()
        self._summarise()
        self.target.setFocus()

    def _lay_out(self) -> None:
        form = QFormLayout()
        # Each field as wide as its content (the file's name excepted), as in Export View.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(_label("&What:", self.target), self.target)
        span = QHBoxLayout()
        span.addWidget(self.start)
        to = _label("&to", self.end)
        span.addWidget(to)
        span.addWidget(self.end)
        span.addStretch(1)
        form.addRow(_label("&From:", self.start), span)
        form.addRow(
            _label("&Speed:", self.speed),
            _beside(self.speed, "simulated seconds a second of video"),
        )
        form.addRow(_label("F&rames:", self.fps), _beside(self.fps, ""))
        size = QHBoxLayout()
        size.addWidget(self.width_)
        size.addWidget(QLabel("x"))
        size.addWidget(self.height_)
        size.addWidget(QLabel("px"))
        size.addStretch(1)
        form.addRow(_label("Si&ze:", self.width_), size)
        form.addRow(_label("T&heme:", self.theme), self.theme)
        form.addRow(_label("F&ormat:", self.format), self.format)
        path = QHBoxLayout()
        path.addWidget(self.path, 1)
        path.addWidget(self.browse)
        form.addRow(_label("F&ile:", self.path), path)
        form.addRow("", self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._form: list[QWidget] = [
            self.target,
            self.start,
            self.end,
            self.speed,
            self.fps,
            self.width_,
            self.height_,
            self.theme,
            self.format,
            self.path,
            self.browse,
        ]

    # --- what the fields say -----------------------------------------------------------------

    def current_target(self) -> Target:
        return self._targets[max(self.target.currentIndex(), 0)]

    def options(self) -> AnimationOptions:
        return AnimationOptions(
            self.start.value(), self.end.value(), self.fps.value(), self.speed.value()
        )

    def theme_name(self) -> str:
        choice = str(self.theme.currentData())
        return app_theme(self.window_) if choice == "app" else choice

    def full_path(self) -> str:
        """The file, its extension the format's."""
        text = self.path.text().strip()
        if not text:
            return ""
        path = Path(text).expanduser()
        suffix = str(self.format.currentData())
        if path.suffix.lower() in ANIMATION_FORMATS or path.suffix.lower() == ".png":
            return str(path.with_suffix(suffix))
        return str(path.with_name(path.name + suffix))

    def is_running(self) -> bool:
        return self._job is not None

    # --- keeping the fields in step ------------------------------------------------------

    def _summarise(self) -> None:
        """How many frames, and how long the video plays."""
        options = self.options()
        try:
            frames = len(frame_times(options))
        except AnimationError as problem:
            self.summary.setText(_sentence(str(problem)))
            return
        seconds = (options.end_s - options.start_s) / options.speed
        self.summary.setText(f"{frames} frames, {seconds:.1f} s of video")
        if not self.is_running():
            self.progress.setRange(0, frames)
            self.progress.setValue(0)

    def _on_target_changed(self) -> None:
        if not self._path_edited and self._targets:
            folder = Path(self.path.text()).parent if self.path.text() else self._folder()
            suffix = str(self.format.currentData())
            self.path.setText(str(folder / f"{self.current_target().stem}{suffix}"))

    def _on_format_changed(self) -> None:
        if self.path.text().strip():
            self.path.setText(self.full_path())

    def _on_path_edited(self, text: str) -> None:
        self._path_edited = True
        index = self.format.findData(Path(text.strip()).suffix.lower())
        if index >= 0:
            self.format.blockSignals(True)
            self.format.setCurrentIndex(index)
            self.format.blockSignals(False)

    def _folder(self) -> Path:
        return Path(str(self.store.value("files/export_folder", str(Path.home()))))

    def ask_path(self) -> None:
        suffix = str(self.format.currentData())
        label = FORMATS.get(suffix, suffix)
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export to", self.full_path() or str(self._folder()), f"{label} (*{suffix})"
        )
        if chosen:
            self._path_edited = True
            self._on_path_edited(chosen)
            self.path.setText(chosen)
            self.path.setText(self.full_path())

    # --- remembering -----------------------------------------------------------------------

    def _restore(self, target: str) -> None:
        index = self.target.findData(target)
        self.target.setCurrentIndex(max(index, 0))
        value = self.store.value
        self.fps.setValue(_number(value(f"{_KEY}fps", DEFAULT_FPS), DEFAULT_FPS))
        width = _number(value(f"{_KEY}width", DEFAULT_SIZE[0]), DEFAULT_SIZE[0])
        height = _number(value(f"{_KEY}height", DEFAULT_SIZE[1]), DEFAULT_SIZE[1])
        self.width_.setValue(int(width))
        self.height_.setValue(int(height))
        self.theme.setCurrentIndex(max(self.theme.findData(str(value(f"{_KEY}theme", "app"))), 0))
        fmt = self.format.findData(str(value(f"{_KEY}format", ANIMATION_FORMATS[0])))
        self.format.setCurrentIndex(max(fmt, 0))

    def _remember(self, path: str) -> None:
        store = self.store
        store.setValue(f"{_KEY}fps", self.fps.value())
        store.setValue(f"{_KEY}width", self.width_.value())
        store.setValue(f"{_KEY}height", self.height_.value())
        store.setValue(f"{_KEY}theme", str(self.theme.currentData()))
        store.setValue(f"{_KEY}format", str(self.format.currentData()))
        store.setValue("files/export_folder", str(Path(path).parent))

    # --- exporting -------------------------------------------------------------------------

    def accept(self) -> None:
        """Export: start drawing the frames (the dialog closes once the file is written)."""
        if self.is_running():
            return
        self.start_export()

    def start_export(self) -> bool:
        """Check the choices and start drawing; False (and the reason shown) if refused."""
        self._say("")
        options = self.options()
        path = self.full_path()
        if not self._targets:
            return self._refuse("Nothing on show plays over time.")
        if options.end_s <= options.start_s:
            return self._refuse("The end must come after the start.")
        if not path:
            return self._refuse("Give the file to write.")
        if not Path(path).parent.is_dir():
            return self._refuse(f"The folder {Path(path).parent} does not exist.")
        self.path.setText(path)
        self.window_.session.controller.pause()
        stage = Stage(self.window_, self.current_target(), self.theme_name())
        size = (self.width_.value(), self.height_.value())
        frame = export.ExportOptions(size=size)

        def render(t: float) -> QImage:
            stage.show_time(t)
            return stage.render(frame)

        metadata = picture_metadata(self.window_, options.start_s)
        try:
            job = AnimationExport(render, path, options, metadata)
        except (AnimationError, OSError) as problem:
            stage.close()
            return self._refuse(_sentence(str(problem)))
        self._stage, self._job = stage, job
        self.progress.setRange(0, max(job.total, 1))
        self.progress.setValue(0)
        self._set_running(True)
        self.timer.start()
        return True

    def render_slice(self) -> bool:
        """Draw the next frame (the timer calls this); True while frames remain."""
        job = self._job
        if job is None:
            self.timer.stop()
            return False
        try:
            more = job.render_next()
        except export.ExportError as problem:  # an AnimationError too
            self._stop(_sentence(str(problem)))
            return False
        self.progress.setValue(job.done)
        if not more:
            self.timer.stop()
            self._finish()
        return more

    def _finish(self) -> None:
        """Every frame drawn: wait for the encoder, and write the file."""
        job, path = self._job, self.full_path()
        assert job is not None
        self._say("Writing the file…")
        try:
            written = job.finish()
        except (export.ExportError, OSError) as problem:
            self._job = None  # finish() has cleaned up after itself: nothing to cancel
            self._stop(_sentence(str(problem)))
            return
        self._job = None
        self._put_back()
        self._set_running(False)
        self._remember(path)
        self.window_.statusBar().showMessage(
            f"Exported {path} ({self.progress.maximum()} frames, {written / 1e6:.1f} MB)", 8000
        )
        super().accept()

    def cancel_export(self) -> None:
        """Stop drawing; nothing is written, and the app is as it was."""
        if self._job is None:
            return
        self._stop("Cancelled: nothing was written.")

    def _stop(self, why: str) -> None:
        self.timer.stop()
        job, self._job = self._job, None
        if job is not None:
            job.cancel()
        self._put_back()
        self._set_running(False)
        self.progress.setValue(0)
        self._say(why)

    def _put_back(self) -> None:
        stage, self._stage = self._stage, None
        if stage is not None:
            stage.close()

    def _set_running(self, running: bool) -> None:
        for widget in self._form:
            widget.setEnabled(not running)
        self.export_button.setEnabled(not running)

    def _refuse(self, why: str) -> bool:
        self._say(why)
        return False

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def reject(self) -> None:
        """Esc or Cancel: stop an export under way (the dialog stays, with its choices);
        otherwise close."""
        if self.is_running():
            self.cancel_export()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_running():
            self.cancel_export()
        super().closeEvent(event)


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _sentence(text: str) -> str:
    """A one-line message as a sentence for the dialog."""
    text = text.strip()
    return f"{text[:1].upper()}{text[1:]}{'' if text.endswith('.') else '.'}" if text else ""


def _beside(field: QWidget, note: str) -> QHBoxLayout:
    """``field`` with what its number means after it."""
    row = QHBoxLayout()
    row.addWidget(field)
    if note:
        row.addWidget(QLabel(note))
    row.addStretch(1)
    return row


def _seconds(duration: float, tip: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0.0, max(duration, 0.0))
    box.setDecimals(1)
    box.setSuffix(" s")
    box.setToolTip(f"{tip} (0 to {duration:g} s)")
    return box


def _pixels(tip: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(MIN_SIDE, MAX_SIDE)
    box.setSingleStep(10)
    box.setAccelerated(True)
    box.setToolTip(tip)
    return box


def _number(value: object, default: float) -> float:
    """A remembered number (an INI file hands back text), or ``default``."""
    try:
        return float(str(value))
    except ValueError:
        return default


def open_animation_dialog(window: MainWindow) -> AnimationDialog:
    """Open the dialog, window-modal: the window goes on drawing (the frames show in it)."""
    dialog = AnimationDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
