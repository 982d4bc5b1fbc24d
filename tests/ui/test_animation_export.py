"""Animated export: frames in order and as the stills draw them, each format readable, the
file written whole or not at all, and one-line errors for what cannot be animated."""

from __future__ import annotations

import builtins
from contextlib import nullcontext
from itertools import pairwise

import numpy as np
import pytest
from PIL import Image, ImageSequence
from PySide6.QtGui import QImage

from tests.ui.image_testing import to_array
from vmc_gui.cli import main
from vmc_gui.ui.animation import (
    ANIMATION_FORMATS,
    MAX_FRAMES,
    AnimationError,
    AnimationExport,
    AnimationOptions,
    export_animation,
    frame_times,
)

SIZE = (96, 64)


def picture(t: float) -> np.ndarray:
    """A synthetic frame at ``t``: a square that moves one step a second over a grey
    background, and stands still from t = 6 on."""
    pixels = np.full((SIZE[1], SIZE[0], 4), (200, 210, 220, 255), np.uint8)
    x = 4 + 8 * int(min(t, 6.0))
    pixels[20:36, x : x + 16] = (200, 30, 40, 255)
    pixels[50:60, 4:90] = (20, 20 + int(t * 10) % 200, 90, 255)  # a "clock" bar changing
    if t >= 6.0:
        pixels[50:60, 4:90] = (20, 20, 90, 255)
    return pixels


def to_image(pixels: np.ndarray) -> QImage:
    height, width, _ = pixels.shape
    image = QImage(pixels.tobytes(), width, height, width * 4, QImage.Format.Format_RGBA8888)
    return image.copy()  # its own memory: the bytes above go


def render(t: float) -> QImage:
    return to_image(picture(t))


def frames_of(path) -> tuple[list[np.ndarray], list[int]]:
    """Every frame of an animated picture, composed, in order, and their durations (ms)."""
    frames, durations = [], []
    with Image.open(path) as image:
        for frame in ImageSequence.Iterator(image):
            frames.append(np.asarray(frame.convert("RGBA")).copy())
            durations.append(int(frame.info.get("duration", 0)))
    return frames, durations


def expanded(frames: list[np.ndarray], durations: list[int], fps: float) -> list[np.ndarray]:
    """One frame a video frame's time: a stored frame that lasts several, repeated."""
    return [
        f for f, ms in zip(frames, durations, strict=True) for _ in range(round(ms * fps / 1000))
    ]


def test_frame_times_step_by_speed_over_fps_and_leave_out_the_end():
    times = frame_times(AnimationOptions(10.0, 20.0, fps=2.0, speed=2.5))
    assert times == pytest.approx([10.0, 11.25, 12.5, 13.75, 15.0, 16.25, 17.5, 18.75])
    # The 30-second, 20 fps benchmark: 600 frames, one simulated second apart.
    times = frame_times(AnimationOptions(0.0, 600.0, fps=20.0, speed=20.0))
    assert len(times) == 600 and times[1] == 1.0 and times[-1] == 599.0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (AnimationOptions(5.0, 5.0), "the end must come after the start"),
        (AnimationOptions(9.0, 5.0), "the end must come after the start"),
        (AnimationOptions(0.0, 5.0, fps=0.5), "from 1 to 60"),
        (AnimationOptions(0.0, 5.0, fps=61.0), "from 1 to 60"),
        (AnimationOptions(0.0, 5.0, speed=0.0), "must be over 0"),
        (AnimationOptions(0.0, 600.0, fps=20.0, speed=1.0), "12,000 frames, over 3,600"),
        (AnimationOptions(0.0, 1.0, fps=1.0, speed=10.0), "are one frame"),
        (AnimationOptions(0.0, float("nan")), "must be numbers"),
    ],
)
def test_options_that_make_no_animation_are_refused(options, message):
    with pytest.raises(AnimationError, match=message):
        frame_times(options)


@pytest.mark.parametrize("suffix", [".apng", ".webp"])
def test_lossless_formats_give_back_every_frame_exactly(qapp, tmp_path, suffix):
    out = tmp_path / f"square{suffix}"
    options = AnimationOptions(0.0, 10.0, fps=2.0, speed=1.0)  # 20 frames, 10 s
    size = export_animation(render, out, options)
    assert size == out.stat().st_size > 0
    frames, durations = frames_of(out)
    times = frame_times(options)
    # From t = 6 on nothing moves: one stored frame, shown for the rest of the 10 seconds.
    still = times.index(6.0)
    assert len(frames) == still + 1
    assert sum(durations) == 10_000 and durations[-1] == 4_000
    every = expanded(frames, durations, options.fps)
    assert len(every) == len(times)
    for frame, t in zip(every, times, strict=True):
        assert np.array_equal(frame, picture(t))


def test_a_gif_is_close_to_every_frame_and_in_order(qapp, tmp_path):
    out = tmp_path / "square.gif"
    options = AnimationOptions(0.0, 10.0, fps=2.0, speed=1.0)
    export_animation(render, out, options)
    frames, durations = frames_of(out)
    times = frame_times(options)
    assert len(frames) == times.index(6.0) + 1 and sum(durations) == 10_000
    for frame, t in zip(frames, times, strict=False):
        difference = np.abs(frame[..., :3].astype(int) - picture(t)[..., :3].astype(int))
        assert difference.max() <= 16  # a few flat colours: hardly any loss
    # The square's left edge moves right frame after frame.
    columns = [int(np.flatnonzero(f[28, :, 1] < 100)[0]) for f in frames]
    assert columns == sorted(columns) and columns[0] < columns[-1]


def test_an_mp4_decodes_to_its_frames(qapp, tmp_path):
    av = pytest.importorskip("av")
    out = tmp_path / "square.mp4"
    export_animation(render, out, AnimationOptions(0.0, 5.0, fps=4.0, speed=1.0))
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        decoded = [f.to_ndarray(format="rgb24") for f in container.decode(stream)]
        assert float(stream.average_rate) == 4.0
    assert len(decoded) == 20
    assert decoded[0].shape == (SIZE[1], SIZE[0], 3)
    # Lossy, but the square is where it was: red at its place in the first and last frames.
    first, last = decoded[0].astype(int), decoded[-1].astype(int)
    assert first[28, 12, 0] > 150 and first[28, 12, 1] < 90
    assert last[28, 44, 0] > 150 and last[28, 44, 1] < 90  # moved right, by t = 4.75
    assert first[28, 44, 1] > 150  # where the square was not yet


def test_apng_carries_its_metadata_as_text_whitespace_and_all(qapp, tmp_path):
    out = tmp_path / "meta.apng"
    scenario = 'name = "failover"\n\n[hosts]\n  count = 3  # é\n'
    metadata = {"vmc-gui:scenario": scenario, "vmc-gui:at": "0.0"}
    export_animation(render, out, AnimationOptions(0.0, 2.0, fps=2.0), metadata)
    with Image.open(out) as image:
        assert image.info["vmc-gui:scenario"] == scenario
        assert image.info["vmc-gui:at"] == "0.0"
    # The first frame is a plain PNG too: Qt reads it, texts included.
    first = QImage(str(out))
    assert first.width() == SIZE[0] and first.text("vmc-gui:scenario") == scenario


def test_cancel_leaves_no_file_and_an_old_one_as_it_was(qapp, tmp_path):
    out = tmp_path / "old.apng"
    out.write_bytes(b"old")
    export = AnimationExport(render, out, AnimationOptions(0.0, 10.0, fps=2.0))
    assert export.total == 20
    assert export.render_next() and export.render_next()
    assert export.done == 2
    export.cancel()
    assert not export.render_next()
    assert [p.name for p in tmp_path.iterdir()] == ["old.apng"]
    assert out.read_bytes() == b"old"
    # Cancelled from the progress callback: the same.
    seen = []

    def progress(done, total):
        seen.append((done, total))
        return done < 3

    assert export_animation(render, tmp_path / "new.gif", export.options, None, progress) == 0
    assert seen == [(1, 20), (2, 20), (3, 20)]
    assert [p.name for p in tmp_path.iterdir()] == ["old.apng"]


def test_render_next_draws_one_frame_a_call_and_finish_writes_the_file(qapp, tmp_path):
    drawn = []

    def counting(t):
        drawn.append(t)
        return render(t)

    export = AnimationExport(counting, tmp_path / "a.apng", AnimationOptions(0.0, 2.0, fps=2.0))
    assert export.render_next() and drawn == [0.0]
    assert export.render_next() and drawn == [0.0, 0.5]
    assert export.render_next() and not export.render_next()  # the last of 4
    assert drawn == [0.0, 0.5, 1.0, 1.5] and export.done == export.total == 4
    assert not list(tmp_path.glob("a.apng"))  # not before finish
    assert export.finish() == (tmp_path / "a.apng").stat().st_size
    assert [p.name for p in tmp_path.iterdir()] == ["a.apng"]


def test_an_encoder_failure_is_one_line_and_leaves_no_file(qapp, tmp_path, monkeypatch):
    from vmc_gui.ui import animation_apng

    def full(self, frame):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(animation_apng.ApngWriter, "add", full)
    out = tmp_path / "full.apng"
    with pytest.raises(AnimationError, match=r"cannot write .*full.apng: No space left on device"):
        export_animation(render, out, AnimationOptions(0.0, 10.0, fps=2.0))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".mp4", ".webp"])
def test_cancel_midway_through_any_format_leaves_nothing(qapp, tmp_path, suffix):
    if suffix == ".mp4":
        pytest.importorskip("av")
    export = AnimationExport(render, tmp_path / f"a{suffix}", AnimationOptions(0.0, 10.0, fps=2.0))
    for _ in range(8):
        export.render_next()
    export.cancel()
    export.cancel()  # twice: nothing more to do
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(AnimationError, match="cancelled"):
        export.finish()


def test_a_frame_of_another_size_stops_the_export(qapp, tmp_path):
    def growing(t):
        return to_image(np.zeros((64 + int(t), 96, 4), np.uint8))

    export = AnimationExport(growing, tmp_path / "a.webp", AnimationOptions(0.0, 3.0, fps=1.0))
    export.render_next()
    with pytest.raises(AnimationError, match="frame 2 is 96x65, not 96x64 as the first"):
        export.render_next()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("path", "fps", "message"),
    [
        ("a.avi", 20.0, "an animation is .apng, .gif, .webp or .mp4, not '.avi'"),
        ("no/such/dir/a.gif", 20.0, "does not exist"),
        ("a.gif", 60.0, "a GIF plays at most 50 frames a second"),
    ],
)
def test_bad_paths_are_refused_before_any_drawing(qapp, tmp_path, monkeypatch, path, fps, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AnimationError, match=message):
        AnimationExport(render, path, AnimationOptions(0.0, 2.0, fps=fps))
    assert list(tmp_path.iterdir()) == []
    assert ANIMATION_FORMATS == (".apng", ".gif", ".webp", ".mp4")


def test_mp4_without_pyav_names_the_extra(qapp, tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_av(name, *args, **kwargs):
        if name == "av" or name.startswith("av."):
            raise ImportError("No module named 'av'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_av)
    with pytest.raises(AnimationError) as raised:
        AnimationExport(render, tmp_path / "a.mp4", AnimationOptions(0.0, 2.0))
    assert str(raised.value) == "MP4 needs PyAV: pip install 'vmc-gui[video]'"


# From the command line, through the scenes the stills are drawn with.


def export(*args: str) -> int:
    return main(["export", *args])


def still(tmp_path, target: str, at: float, *size: str) -> np.ndarray:
    out = tmp_path / f"still-{at:g}.png"
    assert export(target, "--out", str(out), "--scale", "1", "--at", f"{at:g}", *size) == 0
    return to_array(QImage(str(out)))


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_a_lesson_animates_as_its_stills_and_reopens(qapp, tmp_path, capsys):
    from vmc_gui.model.picture import KEY_AT, KEY_LESSON, KEY_SCENARIO, read_picture

    out = tmp_path / "lesson.apng"
    target = "lesson:fault-tolerance"
    args = ["--from", "50", "--to", "80", "--fps", "2", "--speed", "5"]  # 1280x720
    assert export(target, "--out", str(out), *args) == 0
    assert "wrote" in capsys.readouterr().out
    frames, durations = frames_of(out)
    times = frame_times(AnimationOptions(50.0, 80.0, fps=2.0, speed=5.0))
    assert len(times) == 12 and sum(durations) == 6_000
    assert len(frames) == 12  # the clock shows a new time in every frame
    assert frames[0].shape == (720, 1280, 4)
    assert not np.array_equal(frames[0], frames[-1])
    # Frame k is the still of the window at frame k's moment, pixel for pixel.
    for k in (0, 5, 11):
        assert np.array_equal(frames[k], still(tmp_path, target, times[k], "--size", "1280x720"))
    with Image.open(out) as image:
        assert image.info[KEY_AT] == "50.0" and image.info[KEY_LESSON] == "fault-tolerance"
        assert "failover" in image.info[KEY_SCENARIO]
    # It reopens where it starts ('vmc-gui open lesson.apng').
    reopened = read_picture(out)
    assert reopened.at_s == 50.0 and reopened.lesson == "fault-tolerance"
    assert reopened.load().duration_s == 600.0


def test_the_cluster_animates_as_its_stills(qapp, tmp_path):
    out = tmp_path / "cluster.webp"
    assert (
        export(
            "cluster:failover",
            "--out",
            str(out),
            "--from",
            "55",
            "--to",
            "75",
            "--fps",
            "1",
            "--speed",
            "5",
        )
        == 0
    )
    frames, durations = frames_of(out)
    times = frame_times(AnimationOptions(55.0, 75.0, fps=1.0, speed=5.0))
    assert sum(durations) == 4_000 and len(frames) > 1
    every = expanded(frames, durations, fps=1.0)
    assert len(every) == len(times) == 4
    for k in (0, 3):
        assert np.array_equal(every[k], still(tmp_path, "cluster:failover", times[k]))


def test_a_chart_animates_its_cursor_across(qapp, tmp_path):
    out = tmp_path / "chart.gif"
    args = ["--from", "0", "--to", "600", "--fps", "2", "--speed", "100", "--theme", "dark"]
    assert export("chart:failover:availability", "--out", str(out), *args) == 0
    frames, durations = frames_of(out)
    assert len(frames) == 12 and sum(durations) == 6_000
    assert frames[0][..., :3].mean() < 90  # dark
    changed = [(a != b).any(axis=2).sum() for a, b in pairwise(frames)]
    assert min(changed) > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["diagram:vm-vs-container", "--out", "x.gif"], "a diagram has no time to animate"),
        (["lesson:networking", "--out", "x.apng"], "the networking lesson has nothing that runs"),
        (["lesson:overview", "--out", "x.apng"], "the overview lesson has nothing that runs"),
        (["cluster:failover", "--out", "x.apng", "--from", "60", "--to", "60"], "must come after"),
        (["cluster:failover", "--out", "x.apng", "--from", "70", "--to", "60"], "must come after"),
        (["cluster:failover", "--out", "x.apng", "--to", "601"], "--to 601 is outside the run"),
        (["cluster:failover", "--out", "x.apng", "--speed", "0.1"], "over 3,600: raise the"),
        (["cluster:failover", "--out", "x.apng", "--fps", "0"], "from 1 to 60"),
        (["cluster:failover", "--out", "x.avi", "--from", "5"], "are for animations: --out"),
        (["cluster:failover", "--out", "x.apng", "--at", "5"], "--at picks one moment"),
        (["cluster:failover", "--out", "x.gif", "--transparent"], "an animation has a backgr"),
        (["cluster:failover", "--out", "x.gif", "--fps", "60"], "a GIF plays at most 50"),
        (["chart:failover:speed", "--out", "x.gif"], "no chart 'speed'; the charts are"),
        (["lesson:deployment", "--out", "x.webp", "--size", "300x200"], "from 800x500 to"),
        (["cluster:failover", "--out", "x.apng", "--theme", "pink"], "invalid choice: 'pink'"),
    ],
)
def test_bad_arguments_get_one_line_and_exit_2(qapp, tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) if "--theme" in args else nullcontext():
        assert export(*args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
    assert MAX_FRAMES == 3600


def test_the_command_line_knows_every_animation_format_without_loading_the_animation_code():
    from vmc_gui import cli
    from vmc_gui.ui.animation import ANIMATION_FORMATS

    assert cli._ANIMATED == ANIMATION_FORMATS
