"""Animated WebP, written a frame at a time.

Pillow's animated WebP writer takes every frame before it starts, so frames are written here:
each stored frame (:mod:`vmc_gui.ui.animation_frames`) is compressed by Pillow as a one-frame
lossless WebP, whose image chunk goes into an ANMF frame of the animation, as Google's WebP
container specification lays it out (RIFF, VP8X, ANIM, ANMF...).
"""

from __future__ import annotations

import io
import struct
from typing import BinaryIO

from PIL import Image

from vmc_gui.ui.animation_frames import Delta, FrameStore, Pixels, spans

#: Lossless (text stays sharp, and flat colours compress better than lossy). Measured on 60
#: frames of the fault-tolerance lesson at 1280x720 (changed pixels only): effort 0, method 0:
#: 34.5 ms a frame for 110 KB; effort 25, method 1: 35.6 ms for 6.8 KB; effort 50, method 2:
#: 39.7 ms for 5.4 KB; effort 75, method 4: 62 ms for 5.5 KB; lossy quality 90: 30 ms for
#: 14 KB, and blurred text.
SETTINGS = {"lossless": True, "quality": 25, "method": 1}
_ANIMATION, _ALPHA = 0x02, 0x10
_NO_BLEND = 0x02  # an ANMF frame's flag: replace the pixels under it, do not blend over them
_LONGEST = 0xFFFFFF  # milliseconds in one frame's duration


def _chunk(kind: bytes, data: bytes) -> bytes:
    return kind + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")


def _u24(value: int) -> bytes:
    return struct.pack("<I", value)[:3]


def _image_chunks(change: Delta) -> bytes:
    """The chunks of Pillow's one-frame WebP of the frame that make up the image (VP8L, or
    ALPH and VP8), without the file's header and extended-format chunk."""
    # RGBA where unchanged pixels are transparent, else RGB (no alpha to store).
    pixels = change.pixels if change.masked else change.pixels[..., :3].copy()
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "WEBP", **SETTINGS)
    data = buffer.getvalue()
    kept, at = [], 12  # after RIFF, its size, WEBP
    while at < len(data):
        kind = data[at : at + 4]
        size = struct.unpack("<I", data[at + 4 : at + 8])[0]
        end = at + 8 + size + size % 2
        if kind in (b"ALPH", b"VP8 ", b"VP8L"):
            kept.append(data[at:end])
        at = end
    return b"".join(kept)


class WebpWriter:
    """Writes frames to ``file`` (seekable: the file's size is filled in at the end)."""

    def __init__(self, file: BinaryIO, size: tuple[int, int], fps: float) -> None:
        self._file = file
        self._fps = fps
        width, height = size
        file.write(b"RIFF\0\0\0\0WEBP")
        header = bytes([_ANIMATION | _ALPHA, 0, 0, 0]) + _u24(width - 1) + _u24(height - 1)
        file.write(_chunk(b"VP8X", header))
        file.write(_chunk(b"ANIM", struct.pack("<IH", 0xFFFFFFFF, 0)))  # white; loop
        # Offsets are stored in steps of two pixels: rectangles start on even ones.
        self._store = FrameStore(self._write, align=2)

    def add(self, frame: Pixels) -> None:
        self._store.add(frame)

    def close(self) -> None:
        self._store.close()
        end = self._file.tell()
        self._file.seek(4)
        self._file.write(struct.pack("<I", end - 8))
        self._file.seek(end)

    def _write(self, change: Delta, first: int, end: int) -> None:
        # 24 bits of milliseconds: four and a half hours, more than an export can last.
        duration = min(spans(first, end, self._fps, 1000), _LONGEST)
        frame = (
            _u24(change.x // 2)
            + _u24(change.y // 2)
            + _u24(change.width - 1)
            + _u24(change.height - 1)
            + _u24(duration)
            + bytes([0 if change.masked else _NO_BLEND])
        )
        self._file.write(_chunk(b"ANMF", frame + _image_chunks(change)))
