"""Animated PNG, written a frame at a time.

Pillow writes APNG too, but keeps every frame in memory until the end (600 frames of
1280x720 are 2 GB) and spends most of its time on full-frame filtering and compression. Here
each frame is the rectangle of what changed, with the unchanged pixels in it transparent and
drawn over the frame before (:mod:`vmc_gui.ui.animation_frames`), compressed with zlib, which
works outside Python's lock: it runs beside the drawing of the next frame.

The file is a PNG whose default image is the first frame (what a viewer without APNG shows),
with the animation's chunks (acTL, fcTL, fdAT) as the APNG specification lays them out.
"""

from __future__ import annotations

import struct
import zlib
from typing import BinaryIO

import numpy as np
from PIL.PngImagePlugin import PngInfo

from vmc_gui.ui.animation_frames import Delta, FrameStore, Pixels, spans

SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: zlib's effort. Measured on the fault-tolerance lesson at 1280x720, 600 frames (changed
#: pixels only, filter None): level 1 takes 3.8 ms a frame for 15.6 KB, 3: 3.9 ms for
#: 15.1 KB, 6: 9.8 ms for 9.7 KB, 9: 16.8 ms for 9.5 KB. 6 keeps the 30-second animation
#: under 6 MB and encoding under the time it takes to draw a frame (about 30 ms).
COMPRESS_LEVEL = 6
_BLEND_SOURCE, _BLEND_OVER = 0, 1
_DISPOSE_NONE = 0


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _compressed(pixels: Pixels) -> bytes:
    """The rows of ``pixels`` as PNG image data: each row after a filter byte (0: none; the
    other filters made these frames no smaller), deflated."""
    height, width, _ = pixels.shape
    rows = np.zeros((height, width * 4 + 1), np.uint8)
    rows[:, 1:] = pixels.reshape(height, width * 4)
    return zlib.compress(rows.data, COMPRESS_LEVEL)


def _delay(first: int, end: int, fps: float) -> tuple[int, int]:
    """A frame's delay as APNG's fraction of two 16-bit numbers: milliseconds while they fit
    (a still stretch merged into one frame may last minutes), then coarser."""
    for unit in (1000, 100, 10, 1):
        count = spans(first, end, fps, unit)
        if count <= 0xFFFF:
            return count, unit
    return 0xFFFF, 1


class ApngWriter:
    """Writes frames to ``file`` (seekable: the frame count is filled in at the end)."""

    def __init__(
        self,
        file: BinaryIO,
        size: tuple[int, int],
        fps: float,
        metadata: dict[str, str] | None = None,
    ) -> None:
        self._file = file
        self._fps = fps
        self._sequence = 0
        self._frames = 0
        width, height = size
        file.write(SIGNATURE)
        file.write(_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)))
        if metadata:
            # iTXt: UTF-8, whitespace kept (the scenario's TOML reads back as written).
            info = PngInfo()
            for key, text in metadata.items():
                info.add_itxt(key, text)
            for kind, data, *_ in info.chunks:
                file.write(_chunk(kind, data))
        self._actl_at = file.tell()
        file.write(_chunk(b"acTL", struct.pack(">II", 0, 0)))  # frames: at the end; loop
        self._store = FrameStore(self._write)

    def add(self, frame: Pixels) -> None:
        self._store.add(frame)

    def close(self) -> None:
        self._store.close()
        self._file.write(_chunk(b"IEND", b""))
        end = self._file.tell()
        self._file.seek(self._actl_at)
        self._file.write(_chunk(b"acTL", struct.pack(">II", self._frames, 0)))
        self._file.seek(end)

    def _write(self, change: Delta, first: int, end: int) -> None:
        numerator, denominator = _delay(first, end, self._fps)
        blend = _BLEND_OVER if change.masked else _BLEND_SOURCE
        control = struct.pack(
            ">IIIIIHHBB",
            self._next_sequence(),
            change.width,
            change.height,
            change.x,
            change.y,
            numerator,
            denominator,
            _DISPOSE_NONE,
            blend,
        )
        data = _compressed(change.pixels)
        self._file.write(_chunk(b"fcTL", control))
        if self._frames == 0:
            self._file.write(_chunk(b"IDAT", data))  # the first frame is the default image
        else:
            sequence = struct.pack(">I", self._next_sequence())
            self._file.write(_chunk(b"fdAT", sequence + data))
        self._frames += 1

    def _next_sequence(self) -> int:
        self._sequence += 1
        return self._sequence - 1
