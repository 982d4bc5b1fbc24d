"""File > Export View and Export Window: the export dialog's choices follow the app, make
the file asked for, leave the app's clock and theme as they were, preview what will be
written, are remembered, and keep the dialog open when the export fails."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from tests.ui.main_windows import shown_window
from vmc_gui.model.picture import KEY_AT
from vmc_gui.ui.shell.export_dialog import ExportDialog, PictureChoice, export_picture
from vmc_gui.ui.shell.main_window import MainWindow
from vmc_gui.ui.theme import DARK, LIGHT

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def window(qtbot, tmp_path):
    window = shown_window(qtbot, tmp_path, None)
    return window


@pytest.fixture
def errors(window, monkeypatch):
    """What the window would have said in an error dialog."""
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(window, "show_error", lambda title, text: said.append((title, text)))
    return said


def _on_cluster(window: MainWindow, at: float = 120.0) -> None:
    window.open_lesson("fault-tolerance")
    window.page.cluster.view.setFocus()
    window.session.controller.seek(at)


def _dialog(window: MainWindow, qtbot, how: str = "view") -> ExportDialog:
    files = window.files
    dialog = files.ask_export_view() if how == "view" else files.ask_export_window()
    assert isinstance(dialog, ExportDialog) and dialog.isVisible()
    qtbot.addWidget(dialog)
    return dialog


def _pick(dialog: ExportDialog, **choices: object) -> None:
    for name, value in choices.items():
        combo = getattr(dialog, name)
        index = combo.findData(value)
        assert index >= 0, f"{name} has no {value!r}"
        combo.setCurrentIndex(index)


def _corner(path: Path) -> tuple[str, int]:
    image = QImage(str(path))
    colour = image.pixelColor(2, 2)
    return colour.name(), colour.alpha()


def _lightness(image: QImage) -> float:
    """The picture's mean lightness, 0 to 1."""
    mean = image.scaled(
        1, 1, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    return mean.pixelColor(0, 0).lightnessF()


def _app_is_as_it_was(window: MainWindow, at: float, theme: str = "light") -> None:
    looks = LIGHT if theme == "light" else DARK
    assert window.session.controller.time() == at
    assert window.menus.dark_action.isChecked() == (theme == "dark")
    assert window.settings.theme() == theme
    assert QApplication.palette().window().color() == looks.background
    assert window.page.cluster.scene.backgroundBrush().color() == looks.background


# --- the defaults follow the app ---


def test_the_dialog_starts_at_the_clock_s_time_in_the_app_s_theme(window, qtbot):
    _on_cluster(window, 120.0)
    window.set_theme("dark")
    window.session.controller.play()
    dialog = _dialog(window, qtbot)
    assert not window.session.controller.is_playing()  # a picture is of a moment
    assert dialog.at.value() == window.session.controller.time()
    assert dialog.at.isEnabled()
    assert dialog.at.maximum() == window.session.controller.duration()
    assert dialog.theme_name() == "dark"
    assert "dark" in dialog.theme.currentText()
    assert dialog.current_target().key == "view" and "cluster" in dialog.target.currentText()
    labels = [dialog.target.itemText(i) for i in range(dialog.target.count())]
    assert "The whole window" in labels
    assert any(label.startswith("Chart: ") for label in labels)
    assert dialog.path.text().endswith("-cluster.png")


def test_export_view_on_a_chart_last_clicked_exports_that_chart(window, qtbot):
    _on_cluster(window)
    chart = window.charts.current()
    chart.setFocus()
    assert window.files.current_view() is chart
    metric = next(m for m, v in window.charts.views().items() if v is chart)
    dialog = _dialog(window, qtbot)
    assert dialog.current_target().key == f"chart:{metric}"
    assert "This view" not in " ".join(
        dialog.target.itemText(i) for i in range(dialog.target.count())
    )
    assert dialog.transparent.isEnabled() and dialog.by_size.isEnabled()


def test_a_view_that_does_not_run_has_no_time_and_the_window_has_no_transparency(window, qtbot):
    dialog = _dialog(window, qtbot)  # the comparison table: nothing runs
    assert dialog.current_target().key == "view" and "table" in dialog.target.currentText()
    assert not dialog.at.isEnabled()
    assert not dialog.transparent.isEnabled() and not dialog.by_size.isEnabled()
    assert "table" in dialog.path.text()
    dialog.reject()
    _on_cluster(window)
    dialog = _dialog(window, qtbot, "window")
    assert dialog.current_target().key == "window"
    assert dialog.at.isEnabled()  # the window shows the cluster and the charts at a time
    assert not dialog.transparent.isEnabled() and not dialog.by_size.isEnabled()


def test_a_window_shows_its_scale_and_the_exact_size_comes_back_after(window, qtbot):
    _on_cluster(window)
    dialog = _dialog(window, qtbot)
    dialog.by_size.setChecked(True)
    assert dialog.width_.isEnabled() and not dialog.scale.isEnabled()
    _pick(dialog, target="window")
    assert dialog.by_scale.isChecked() and dialog.scale.isEnabled()
    assert not dialog.by_size.isEnabled() and not dialog.width_.isEnabled()
    assert dialog.choice().options.size is None
    _pick(dialog, target="view")
    assert dialog.by_size.isChecked() and dialog.width_.isEnabled()
    assert dialog.choice().options.size == (dialog.width_.value(), dialog.height_.value())


def test_left_as_it_is_the_time_is_the_clock_s_to_the_last_digit(window, qtbot, tmp_path):
    _on_cluster(window, 123.456)
    dialog = _dialog(window, qtbot)
    assert dialog.at.value() == 123.5  # shown to a tenth
    assert dialog.choice().at_s == 123.456
    dialog.at.setValue(200.0)
    assert dialog.choice().at_s == 200.0


# --- what is written ---


def test_scale_size_format_and_transparency_make_the_file_asked_for(window, qtbot, tmp_path):
    _on_cluster(window, 120.0)
    content = window.page.cluster.scene.content_rect()
    dialog = _dialog(window, qtbot)
    dialog.by_scale.setChecked(True)
    dialog.scale.setValue(1.0)
    dialog.path.setText(str(tmp_path / "one"))  # no extension: the format's is added
    dialog.accept()
    assert not dialog.isVisible()
    image = QImage(str(tmp_path / "one.png"))
    assert (image.width(), image.height()) == (
        math.ceil(content.width()),
        math.ceil(content.height()),
    )
    assert window.statusBar().currentMessage() == f"Exported {tmp_path / 'one.png'}"

    dialog = _dialog(window, qtbot)
    dialog.by_size.setChecked(True)
    dialog.width_.setValue(800)
    dialog.height_.setValue(600)
    dialog.transparent.setChecked(True)
    dialog.path.setText(str(tmp_path / "sized.png"))
    dialog.accept()
    assert QImage(str(tmp_path / "sized.png")).size().toTuple() == (800, 600)
    assert _corner(tmp_path / "sized.png")[1] == 0  # no background

    dialog = _dialog(window, qtbot)
    _pick(dialog, format="svg")
    assert dialog.path.text().endswith(".svg")  # the extension follows the format
    dialog.transparent.setChecked(False)
    dialog.accept()
    text = Path(dialog.choice().path).read_text()
    assert text.startswith("<?xml") and "<svg" in text
    assert 'width="800"' in text  # still the size asked for, remembered
    _app_is_as_it_was(window, 120.0)


def test_another_theme_and_time_leave_the_app_as_it_was(window, qtbot, tmp_path):
    _on_cluster(window, 120.0)
    dialog = _dialog(window, qtbot)
    _pick(dialog, theme="dark")
    dialog.at.setValue(300.0)
    dialog.path.setText(str(tmp_path / "dark.png"))
    dialog.accept()
    assert _corner(tmp_path / "dark.png") == (DARK.background.name(), 255)
    # The picture is of 300 s, and says so; the app's clock never left 120 s.
    assert QImage(str(tmp_path / "dark.png")).text(KEY_AT) == repr(300.0)
    _app_is_as_it_was(window, 120.0)

    # The whole window, dark: its widgets too, not only the scenes in it.
    dialog = _dialog(window, qtbot, "window")
    _pick(dialog, theme="dark")
    dialog.scale.setValue(1.0)
    dialog.path.setText(str(tmp_path / "window.png"))
    dialog.accept()
    image = QImage(str(tmp_path / "window.png"))
    assert image.size() == window.size()
    assert _lightness(image) < 0.25  # light, it would be over 0.8
    _app_is_as_it_was(window, 120.0)

    # A chart, drawn whole as the command line draws it, at the time chosen.
    dialog = _dialog(window, qtbot)
    _pick(dialog, target="chart:availability", theme="dark")
    dialog.by_size.setChecked(True)
    dialog.width_.setValue(1200)
    dialog.height_.setValue(500)
    dialog.path.setText(str(tmp_path / "chart.png"))
    dialog.accept()
    assert QImage(str(tmp_path / "chart.png")).size().toTuple() == (1200, 500)
    assert _corner(tmp_path / "chart.png") == (DARK.background.name(), 255)
    _app_is_as_it_was(window, 120.0)


def test_the_old_programmatic_exports_still_work(window, tmp_path):
    _on_cluster(window)
    assert window.files.export_view(tmp_path / "view.png")
    assert QImage(str(tmp_path / "view.png")).width() > 1000
    assert window.files.export_window(tmp_path / "window.svg")
    assert "<svg" in (tmp_path / "window.svg").read_text()
    choice = PictureChoice(
        "view", 30.0, "light", ask_scale(1.5), "png", str(tmp_path / "direct.png")
    )
    size = export_picture(window, choice)
    assert QImage(str(tmp_path / "direct.png")).size() == size


def ask_scale(scale: float):
    from vmc_gui.ui.export import ExportOptions

    return ExportOptions(scale)


# --- the preview ---


def test_the_preview_shows_the_picture_and_follows_the_theme(window, qtbot):
    _on_cluster(window)
    dialog = _dialog(window, qtbot)
    pixmap = dialog.preview.pixmap()
    assert pixmap is not None and not pixmap.isNull()
    light = dialog.preview_image()
    assert light.pixelColor(1, 1) == LIGHT.background
    _pick(dialog, theme="dark")
    assert dialog.preview_timer.isActive()  # drawn again once the choices rest
    dialog.refresh_preview()
    assert not dialog.preview_timer.isActive()
    assert dialog.preview_image().pixelColor(1, 1) == DARK.background
    # In the output's proportions, within the preview's room.
    dialog.by_size.setChecked(True)
    dialog.width_.setValue(1000)
    dialog.height_.setValue(1000)
    dialog.refresh_preview()
    image = dialog.preview_image()
    assert image.width() == image.height() <= dialog.preview.height()
    assert dialog.size_note.text().startswith("1000 x 1000")
    _app_is_as_it_was(window, 120.0)


def test_a_picture_too_large_says_so_in_place_of_the_preview(window, qtbot):
    _on_cluster(window)
    dialog = _dialog(window, qtbot)
    dialog.by_size.setChecked(True)
    dialog.width_.setValue(16000)
    dialog.height_.setValue(16000)
    dialog.refresh_preview()
    assert "megapixel" in dialog.size_note.text()
    assert dialog.preview_image().isNull()


# --- remembering, errors, keys ---


def test_the_next_dialog_opens_with_the_last_choices(window, qtbot, tmp_path):
    _on_cluster(window)
    dialog = _dialog(window, qtbot)
    dialog.by_size.setChecked(True)
    dialog.width_.setValue(640)
    dialog.height_.setValue(480)
    dialog.scale.setValue(3.0)
    _pick(dialog, theme="dark", format="svg")
    dialog.transparent.setChecked(True)
    dialog.path.setText(str(tmp_path / "kept.svg"))
    dialog.accept()
    again = _dialog(window, qtbot)
    assert again.by_size.isChecked()
    assert (again.width_.value(), again.height_.value()) == (640, 480)
    assert again.scale.value() == 3.0
    assert again.theme.currentData() == "dark" and again.format.currentData() == "svg"
    assert again.transparent.isChecked()
    assert Path(again.path.text()).parent == tmp_path and again.path.text().endswith(".svg")


def test_a_failed_export_says_why_and_keeps_the_dialog_and_its_choices(
    window, qtbot, tmp_path, errors
):
    _on_cluster(window)
    dialog = _dialog(window, qtbot)
    _pick(dialog, theme="dark")
    missing = tmp_path / "no-such-folder" / "view.png"
    dialog.path.setText(str(missing))
    dialog.accept()
    assert dialog.isVisible()
    assert errors and errors[-1][0] == "Export failed" and "does not exist" in errors[-1][1]
    assert dialog.path.text() == str(missing) and dialog.theme.currentData() == "dark"
    assert not missing.exists()
    dialog.path.setText("")
    dialog.accept()
    assert dialog.isVisible() and "file" in errors[-1][1]
    _app_is_as_it_was(window, 120.0)


def test_enter_exports_and_escape_cancels(window, qtbot, tmp_path):
    _on_cluster(window)
    dialog = _dialog(window, qtbot)
    dialog.path.setText(str(tmp_path / "by-key.png"))
    qtbot.keyClick(dialog.path, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and not (tmp_path / "by-key.png").exists()
    dialog = _dialog(window, qtbot)
    dialog.path.setText(str(tmp_path / "by-key.png"))
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    assert not dialog.isVisible() and (tmp_path / "by-key.png").exists()


def test_every_control_is_reachable_by_keys_and_explained(window, qtbot):
    _on_cluster(window)
    dialog = _dialog(window, qtbot)
    controls = [
        dialog.target,
        dialog.at,
        dialog.by_scale,
        dialog.scale,
        dialog.by_size,
        dialog.width_,
        dialog.height_,
        dialog.theme,
        dialog.transparent,
        dialog.format,
        dialog.path,
        dialog.browse,
    ]
    for control in controls:
        assert control.focusPolicy() & Qt.FocusPolicy.TabFocus, control
        assert control.toolTip(), control
    labelled = {label.buddy() for label in dialog.findChildren(QWidget) if hasattr(label, "buddy")}
    for control in (dialog.target, dialog.at, dialog.theme, dialog.format, dialog.path):
        assert control in labelled  # Alt + the label's letter reaches it
    shortcuts = [b.text() for b in dialog.findChildren(QAbstractButton) if "&" in b.text()]
    assert len(shortcuts) == len({s[s.index("&") + 1].lower() for s in shortcuts})
