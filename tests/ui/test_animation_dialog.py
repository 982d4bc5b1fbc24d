"""File > Export Animation: enabled where something runs, its defaults follow the lesson,
frames drawn a slice at a time make a file of many frames, Cancel writes nothing, and the
app's clock and theme are as they were after; a missing MP4 encoder is said in the dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.main_windows import shown_window
from vmc_gui.model.lessons import ROWS
from vmc_gui.ui.shell.animation_dialog import AnimationDialog
from vmc_gui.ui.shell.main_window import MainWindow
from vmc_gui.ui.theme import DARK, LIGHT

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def window(qtbot, tmp_path):
    window = shown_window(qtbot, tmp_path, None)
    return window


def _on_cluster(window: MainWindow, at: float = 77.0) -> None:
    window.open_lesson("fault-tolerance")
    window.session.controller.seek(at)


def _dialog(window: MainWindow, qtbot) -> AnimationDialog:
    action = window.menus.export_animation_action
    assert action.isEnabled()
    dialog = window.menus.ask_export_animation()
    assert isinstance(dialog, AnimationDialog) and dialog.isVisible()
    qtbot.addWidget(dialog)
    return dialog


def _short(dialog: AnimationDialog, path: Path, *, fmt: str = ".apng") -> None:
    """A short animation: 60 to 120 s at 10x and 5 fps (30 frames), small."""
    dialog.start.setValue(60.0)
    dialog.end.setValue(120.0)
    dialog.speed.setValue(10.0)
    dialog.fps.setValue(5.0)
    dialog.width_.setValue(320)
    dialog.height_.setValue(180)
    dialog.format.setCurrentIndex(dialog.format.findData(fmt))
    dialog.path.setText(str(path))


def _run(dialog: AnimationDialog) -> int:
    """Draw every frame as the dialog's timer would, a slice at a time; the slices taken."""
    slices = 1
    while dialog.render_slice():
        slices += 1
    return slices


def _app_is_as_it_was(window: MainWindow, at: float, theme: str = "light") -> None:
    looks = LIGHT if theme == "light" else DARK
    assert window.session.controller.time() == at
    assert not window.session.controller.is_playing()
    assert window.menus.dark_action.isChecked() == (theme == "dark")
    assert QApplication.palette().window().color() == looks.background
    assert window.page.cluster.scene.backgroundBrush().color() == looks.background


def test_export_animation_is_offered_only_where_something_runs(window):
    action = window.menus.export_animation_action
    assert not action.isEnabled()  # the table
    window.open_lesson("guest-compatibility")  # a matrix: nothing runs
    assert not action.isEnabled()
    window.open_lesson("fault-tolerance")
    assert action.isEnabled()
    window.open_overview()
    assert not action.isEnabled()


def test_the_defaults_follow_the_lesson(window, qtbot):
    _on_cluster(window)
    window.set_theme("dark")
    window.session.controller.play()
    dialog = _dialog(window, qtbot)
    assert not window.session.controller.is_playing()
    duration = window.session.controller.duration()
    assert (dialog.start.value(), dialog.end.value()) == (0.0, duration)
    assert dialog.speed.value() == ROWS["fault-tolerance"].speed
    assert dialog.fps.value() == 20.0
    assert (dialog.width_.value(), dialog.height_.value()) == (1280, 720)
    assert dialog.theme_name() == "dark"
    assert dialog.current_target().key == "cluster"
    assert dialog.path.text().endswith("-cluster.apng")
    frames = round(duration / ROWS["fault-tolerance"].speed * 20)
    assert dialog.summary.text().startswith(f"{frames} frames")
    assert dialog.progress.maximum() == frames and dialog.progress.value() == 0


def test_the_frames_drawn_a_slice_at_a_time_make_an_animation(window, qtbot, tmp_path):
    _on_cluster(window, 77.0)
    dialog = _dialog(window, qtbot)
    out = tmp_path / "failover.apng"
    _short(dialog, out)
    assert dialog.summary.text().startswith("30 frames, 6.0 s of video")
    assert dialog.start_export()
    assert dialog.timer.isActive() and dialog.is_running()
    assert not dialog.export_button.isEnabled() and not dialog.start.isEnabled()
    assert dialog.render_slice()
    # The window shows the frame being drawn: the clock moves with the frames.
    assert window.session.controller.time() == 60.0
    assert dialog.progress.value() == 1
    _run(dialog)
    assert not dialog.timer.isActive() and not dialog.isVisible()
    assert dialog.progress.value() == dialog.progress.maximum() == 30
    with Image.open(out) as picture:
        assert picture.n_frames > 1
        assert picture.size == (320, 180)
    assert window.statusBar().currentMessage().startswith(f"Exported {out} (30 frames")
    _app_is_as_it_was(window, 77.0)


def test_cancel_midway_writes_nothing_and_puts_the_clock_back(window, qtbot, tmp_path):
    _on_cluster(window, 77.0)
    dialog = _dialog(window, qtbot)
    out = tmp_path / "cancelled.gif"
    _short(dialog, out, fmt=".gif")
    assert dialog.start_export()
    for _ in range(5):
        dialog.render_slice()
    assert window.session.controller.time() != 77.0
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc while drawing: Cancel
    assert dialog.isVisible() and not dialog.is_running() and not dialog.timer.isActive()
    assert "nothing was written" in dialog.problem.text()
    assert list(tmp_path.glob("*cancelled*")) == []  # nor any temporary file
    assert dialog.export_button.isEnabled() and dialog.start.isEnabled()
    assert dialog.start.value() == 60.0  # the choices stay
    _app_is_as_it_was(window, 77.0)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # and again: close
    assert not dialog.isVisible()


def test_mp4_without_pyav_is_refused_in_the_dialog(window, qtbot, tmp_path, monkeypatch):
    from vmc_gui.ui import animation_video

    def missing() -> None:
        raise ImportError(animation_video.MISSING)

    monkeypatch.setattr(animation_video, "load_av", missing)
    _on_cluster(window)
    dialog = _dialog(window, qtbot)
    _short(dialog, tmp_path / "video.mp4", fmt=".mp4")
    assert not dialog.start_export()
    assert dialog.isVisible() and not dialog.is_running()
    assert "vmc-gui[video]" in dialog.problem.text() and dialog.problem.isVisible()
    assert dialog.format.currentData() == ".mp4" and dialog.speed.value() == 10.0
    assert list(tmp_path.glob("*video*")) == []
    _app_is_as_it_was(window, 77.0)


def test_a_chart_in_the_other_theme_leaves_the_app_s_looks(window, qtbot, tmp_path):
    _on_cluster(window, 77.0)
    dialog = _dialog(window, qtbot)
    dialog.target.setCurrentIndex(dialog.target.findData("chart:availability"))
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    out = tmp_path / "chart.webp"
    _short(dialog, out, fmt=".webp")
    assert dialog.start_export()
    _run(dialog)
    with Image.open(out) as picture:
        assert picture.n_frames > 1
        first = picture.convert("RGB").getpixel((1, 1))
    assert max(abs(a - b) for a, b in zip(first, DARK.background.getRgb()[:3], strict=True)) < 8
    _app_is_as_it_was(window, 77.0)


def test_the_next_dialog_opens_with_the_last_choices(window, qtbot, tmp_path):
    _on_cluster(window)
    dialog = _dialog(window, qtbot)
    _short(dialog, tmp_path / "kept.gif", fmt=".gif")
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    assert dialog.start_export()
    _run(dialog)
    again = _dialog(window, qtbot)
    assert again.fps.value() == 5.0
    assert (again.width_.value(), again.height_.value()) == (320, 180)
    assert again.theme.currentData() == "dark" and again.format.currentData() == ".gif"
    assert Path(again.path.text()).parent == tmp_path and again.path.text().endswith(".gif")


def test_enter_starts_the_export_and_every_control_is_explained(window, qtbot, tmp_path):
    _on_cluster(window)
    dialog = _dialog(window, qtbot)
    for control in dialog._form:
        assert control.focusPolicy() & Qt.FocusPolicy.TabFocus, control
        assert control.toolTip(), control
    out = tmp_path / "by-key.apng"
    _short(dialog, out)
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    assert dialog.is_running()
    _run(dialog)
    assert out.exists() and not dialog.isVisible()
