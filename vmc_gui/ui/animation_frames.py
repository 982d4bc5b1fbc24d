"""What changed from one frame of an animation to the next, for the formats that store only
that (APNG, GIF, WebP).

Between two frames of a lesson a few thousand pixels change (the clocks, the chart's cursor, a
host's colour) spread over half the window. So a frame is stored as the rectangle around the
changes with every unchanged pixel in it made transparent, drawn over the frame before: runs
of transparent pixels compress to almost nothing. A frame equal to the one before is not
stored at all; the one before is shown for longer.

Frames are RGBA arrays (height, width, 4) of bytes, opaque.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Pixels = npt.NDArray[np.uint8]


@dataclass(frozen=True, slots=True)
class Delta:
    """A stored frame: ``pixels`` (RGBA) drawn at ``x``, ``y`` over the frame before; where
    ``masked``, pixels with alpha 0 are those that did not change."""

    x: int
    y: int
    pixels: Pixels
    masked: bool

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])


def delta(previous: Pixels | None, frame: Pixels, align: int = 1) -> Delta | None:
    """``frame`` as a change to ``previous`` (the whole frame when there is none), or None
    when nothing changed. ``align``: the rectangle starts at a multiple of it (WebP stores
    frame offsets in steps of two pixels)."""
    if previous is None:
        return Delta(0, 0, frame, masked=False)
    # Whole pixels at a time: one 32-bit word each.
    words = frame.view(np.uint32)[..., 0]
    changed = words != previous.view(np.uint32)[..., 0]
    rows = np.flatnonzero(changed.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(changed[rows[0] : rows[-1] + 1].any(axis=0))
    top, bottom = int(rows[0]) // align * align, int(rows[-1]) + 1
    left, right = int(cols[0]) // align * align, int(cols[-1]) + 1
    kept = np.where(changed[top:bottom, left:right], words[top:bottom, left:right], 0)
    pixels = kept.astype(np.uint32, copy=False).view(np.uint8).reshape(*kept.shape, 4)
    return Delta(left, top, pixels, masked=True)


class FrameStore:
    """Turns frames, one a video frame's time each, into deltas with how many video frames
    each lasts: a frame equal to the one before lengthens it. ``emit(delta, first, end)``
    receives each stored frame once its length is known: it shows from video frame ``first``
    to just before ``end``."""

    def __init__(self, emit: Callable[[Delta, int, int], None], align: int = 1) -> None:
        self._emit = emit
        self._align = align
        self._previous: Pixels | None = None
        self._pending: tuple[Delta, int] | None = None
        self.count = 0

    def add(self, frame: Pixels) -> None:
        frame = np.ascontiguousarray(frame)  # a copy only if it is not (a view, a slice)
        change = delta(self._previous, frame, self._align)
        self._previous = frame
        if change is not None:
            self._flush()
            self._pending = (change, self.count)
        self.count += 1

    def close(self) -> None:
        """The last stored frame lasts to the end."""
        self._flush()
        self._previous = None

    def _flush(self) -> None:
        if self._pending is not None:
            change, first = self._pending
            self._pending = None
            self._emit(change, first, self.count)


def spans(first: int, end: int, fps: float, unit: int) -> int:
    """How many ``unit``\\ ths of a second video frames ``first`` to ``end`` last: rounded at
    each frame's start, so that rounding never adds up over a long animation."""
    return round(end * unit / fps) - round(first * unit / fps)
