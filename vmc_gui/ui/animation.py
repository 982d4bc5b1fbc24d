"""Animated export: frames drawn by the caller, one simulated moment each, encoded as APNG,
GIF, WebP (Pillow) or MP4 (PyAV, optional).

Drawing uses Qt's widgets and scenes, so it happens on the GUI thread, a frame per call of
:meth:`AnimationExport.render_next` (the in-app dialog calls it from its event loop and stays
responsive; the command line calls it in a loop). Encoding happens on a worker thread at the
same time: the frame after being drawn goes through a short queue to the encoder, whose work
(numpy, zlib, Pillow's and FFmpeg's encoders) runs outside Python's lock. Measured on two
cores with 600 frames of a lesson at 1280x720 drawn anew each: 23 to 24 s with the encoder on
a thread, 29 to 30 s with it in a worker process fed through a pipe (writing 3.7 MB a frame
into the pipe cost the drawing thread 4 to 6 ms, more than waiting for the lock). The queue
keeps memory bounded: a few frames wait at most, and the formats' writers keep only the frame
before (the command line's 600-frame export peaks at the memory of a still export).

The file is written to a temporary file beside the target and renamed over it when complete:
a cancelled or failed export leaves nothing behind, and an existing file as it was.
"""

from __future__ import annotations

import math
import os
import queue
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

import numpy as np
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QWidget

from vmc_gui.ui.animation_frames import Pixels
from vmc_gui.ui.export import ExportError

ANIMATION_FORMATS = (".apng", ".gif", ".webp", ".mp4")
#: Three minutes at 20 frames a second: past that, an export takes minutes and a GIF tens of
#: megabytes; a longer stretch plays at a higher speed.
MAX_FRAMES = 3600
MIN_FPS, MAX_FPS = 1.0, 60.0
#: Frames drawn ahead of the encoder, waiting for it.
QUEUE_FRAMES = 3


class AnimationError(ExportError):
    """An animated export that cannot be done; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class AnimationOptions:
    #: The simulated moments the animation runs from and to (seconds).
    start_s: float
    end_s: float
    #: Frames per second of the animation.
    fps: float = 20.0
    #: Simulated seconds per second of the animation.
    speed: float = 1.0


def frame_times(options: AnimationOptions) -> list[float]:
    """The simulated moment of each frame: frame ``i`` shows ``start + i * speed / fps``,
    and the animation lasts ``(end - start) / speed`` seconds (the frame at ``end`` would
    start after it). AnimationError for options that make no animation."""
    start, end, fps, speed = options.start_s, options.end_s, options.fps, options.speed
    if not all(math.isfinite(v) for v in (start, end, fps, speed)):
        raise AnimationError("the start, end, frame rate and speed must be numbers")
    if not MIN_FPS <= fps <= MAX_FPS:
        raise AnimationError(f"{fps:g} frames a second: from {MIN_FPS:g} to {MAX_FPS:g}")
    if speed <= 0:
        raise AnimationError(f"speed {speed:g}: simulated seconds a second must be over 0")
    if start >= end:
        raise AnimationError(
            f"the animation runs from {start:g} s to {end:g} s: the end must come after the start"
        )
    seconds = (end - start) / speed
    count = math.ceil(seconds * fps - 1e-9)
    if count > MAX_FRAMES:
        raise AnimationError(
            f"{end - start:g} simulated seconds at {speed:g}x and {fps:g} fps are {count:,} "
            f"frames, over {MAX_FRAMES:,}: raise the speed, lower the frame rate or "
            "shorten the range"
        )
    if count < 2:
        raise AnimationError(
            f"{end - start:g} simulated seconds at {speed:g}x and {fps:g} fps are one frame: "
            "lower the speed or lengthen the range"
        )
    step = speed / fps
    return [start + i * step for i in range(count)]


class FrameWriter(Protocol):
    """A format's writer (vmc_gui.ui.animation_*): frames in order, then close."""

    def add(self, frame: Pixels) -> None: ...

    def close(self) -> None: ...


def check_path(path: str | Path, fps: float) -> tuple[Path, str]:
    """``path`` and its format, or AnimationError saying why not."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in ANIMATION_FORMATS:
        raise AnimationError(
            f"{path}: an animation is {', '.join(ANIMATION_FORMATS[:-1])} or "
            f"{ANIMATION_FORMATS[-1]}, not {suffix or 'no extension'!r}"
        )
    if not path.parent.is_dir():
        raise AnimationError(f"{path}: the folder {path.parent} does not exist")
    if suffix == ".gif":
        from vmc_gui.ui.animation_gif import MAX_FPS as GIF_FPS

        if fps > GIF_FPS:
            raise AnimationError(f"a GIF plays at most {GIF_FPS} frames a second, not {fps:g}")
    if suffix == ".mp4":
        from vmc_gui.ui.animation_video import load_av

        try:
            load_av()
        except ImportError as problem:
            raise AnimationError(str(problem)) from None
    return path, suffix


def _writer(
    suffix: str, file: BinaryIO, size: tuple[int, int], fps: float, metadata: dict[str, str]
) -> FrameWriter:
    if suffix == ".apng":
        from vmc_gui.ui.animation_apng import ApngWriter

        return ApngWriter(file, size, fps, metadata)
    if suffix == ".gif":
        from vmc_gui.ui.animation_gif import GifWriter

        return GifWriter(file, size, fps)
    if suffix == ".webp":
        from vmc_gui.ui.animation_webp import WebpWriter

        return WebpWriter(file, size, fps)
    from vmc_gui.ui.animation_video import Mp4Writer

    return Mp4Writer(file, size, fps)


def _pixels(image: QImage) -> Pixels:
    """An RGBX8888 image's pixels as an RGBA array of its own (the image can go)."""
    width, height, line = image.width(), image.height(), image.bytesPerLine()
    rows = np.frombuffer(image.constBits(), np.uint8, count=height * line).reshape(height, line)
    return rows[:, : width * 4].reshape(height, width, 4).copy()


def widget_frame(widget: QWidget, scale: float = 1.0) -> QImage:
    """``widget`` as a frame, ``scale`` pixels per pixel, as the still export draws it.

    A window on the offscreen platform (the command line) at scale 1 is copied from what Qt
    painted for it after the last event loop pass (its backing store, where only what changed
    was painted again): 0.5 ms where drawing it anew takes 20 ms at 1280x720, and the same
    pixels (tests/ui/test_animation_export.py compares them). Anywhere else, drawn anew.
    """
    screen = widget.screen()
    if (
        scale == 1.0
        and widget.isWindow()
        and widget.isVisible()
        and QGuiApplication.platformName() == "offscreen"
        and screen is not None
        and screen.devicePixelRatio() == 1.0
    ):
        return screen.grabWindow(widget.winId()).toImage()
    width, height = math.ceil(widget.width() * scale), math.ceil(widget.height() * scale)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(scale)
    image.fill(widget.palette().window().color())
    widget.render(image)
    return image


class AnimationExport:
    """Frames drawn by render(t) on the GUI thread, encoded on a worker thread.

    ``render(t)`` returns the picture at simulated time ``t``, every frame the same size.
    Call :meth:`render_next` until it returns False, then :meth:`finish`; or :meth:`cancel`.
    """

    def __init__(
        self,
        render: Callable[[float], QImage],
        path: str | Path,
        options: AnimationOptions,
        metadata: dict[str, str] | None = None,
    ) -> None:
        self.times = frame_times(options)
        self.path, self._suffix = check_path(path, options.fps)
        self.options = options
        #: The number of frames, and how many are drawn so far.
        self.total = len(self.times)
        self.done = 0
        self._render = render
        self._metadata = dict(metadata or {})
        self._size: tuple[int, int] | None = None
        self._queue: queue.Queue[QImage | None] = queue.Queue(QUEUE_FRAMES)
        self._worker: threading.Thread | None = None
        self._failure: BaseException | None = None
        self._cancelled = False
        self._over = False
        # Beside the target (the rename is atomic on one file system), hidden; created here,
        # so that a folder that cannot be written to is found before any drawing.
        self._temporary = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.part")
        try:
            self._file: BinaryIO = open(self._temporary, "xb+")  # noqa: SIM115 (kept open)
        except OSError as problem:
            raise AnimationError(f"cannot write {self.path}: {problem.strerror}") from None

    def render_next(self) -> bool:
        """Draw one frame and hand it to the encoder; False once all are drawn (then call
        :meth:`finish`). Waits while the encoder is :data:`QUEUE_FRAMES` frames behind."""
        if self._over or self.done >= self.total:
            return False
        self._check_worker()
        try:
            image = self._render(self.times[self.done])
        except BaseException:
            self.cancel()
            raise
        frame = image.convertToFormat(QImage.Format.Format_RGBX8888)
        size = (frame.width(), frame.height())
        if self._size is None:
            if size[0] < 2 or size[1] < 2:
                raise self._fail(
                    AnimationError(f"a frame of {size[0]}x{size[1]} is too small to animate")
                )
            self._size = size
            self._worker = threading.Thread(
                target=self._encode, name="vmc-gui animation encoder", daemon=True
            )
            self._worker.start()
        elif size != self._size:
            raise self._fail(
                AnimationError(
                    f"frame {self.done + 1} is {size[0]}x{size[1]}, not "
                    f"{self._size[0]}x{self._size[1]} as the first"
                )
            )
        self._queue.put(frame)
        self.done += 1
        return self.done < self.total

    def finish(self) -> int:
        """Draw what is left, wait for the encoder, and put the file in place; returns its
        size in bytes."""
        while self.render_next():
            pass
        if self._over:
            raise AnimationError("the export was cancelled or has failed")
        self._stop_worker()
        self._check_worker()
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            os.replace(self._temporary, self.path)
        except OSError as problem:
            raise self._fail(
                AnimationError(f"cannot write {self.path}: {problem.strerror}")
            ) from None
        self._over = True
        return self.path.stat().st_size

    def cancel(self) -> None:
        """Stop: nothing is written, no temporary file is left."""
        if self._over:
            return
        self._cancelled = True
        while True:  # the frames waiting are dropped, and the encoder told to stop
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._stop_worker()
        self._discard()

    def _encode(self) -> None:
        """The worker: encode each frame from the queue until None, then close the writer."""
        assert self._size is not None
        writer: FrameWriter | None = None
        while (image := self._queue.get()) is not None:
            if self._cancelled or self._failure is not None:
                continue  # drop what is still queued
            try:
                if writer is None:
                    writer = _writer(
                        self._suffix, self._file, self._size, self.options.fps, self._metadata
                    )
                writer.add(_pixels(image))
            except Exception as problem:  # reported on the GUI thread, at the next call
                self._failure = problem
            del image
        if writer is None:
            return
        try:
            writer.close()  # also when cancelled: the encoder lets go of the file
        except Exception as problem:
            if not self._cancelled and self._failure is None:
                self._failure = problem

    def _stop_worker(self) -> None:
        if self._worker is not None:
            self._queue.put(None)
            self._worker.join()
            self._worker = None

    def _check_worker(self) -> None:
        """The encoder's failure, if any, as AnimationError (after cleaning up)."""
        problem = self._failure
        if problem is None:
            return
        if self._worker is not None:
            self._cancelled = True
            self._stop_worker()
        reason = problem.strerror if isinstance(problem, OSError) else str(problem)
        raise self._fail(AnimationError(f"cannot write {self.path}: {reason}")) from problem

    def _fail(self, problem: AnimationError) -> AnimationError:
        """Clean up after ``problem``, and return it to be raised."""
        self.cancel()
        return problem

    def _discard(self) -> None:
        self._over = True
        if not self._file.closed:
            self._file.close()
        self._temporary.unlink(missing_ok=True)


def export_animation(
    render: Callable[[float], QImage],
    path: str | Path,
    options: AnimationOptions,
    metadata: dict[str, str] | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> int:
    """Draw and encode every frame (the command line's loop); ``progress(done, total)`` after
    each frame, returning False to cancel. Returns the file's size in bytes (0 if cancelled:
    nothing is written)."""
    export = AnimationExport(render, path, options, metadata)
    try:
        while True:
            more = export.render_next()
            if progress is not None and not progress(export.done, export.total):
                export.cancel()
                return 0
            if not more:
                break
        return export.finish()
    except BaseException:
        export.cancel()
        raise
