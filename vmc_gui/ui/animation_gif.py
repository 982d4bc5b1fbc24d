"""Animated GIF, written a frame at a time.

Pillow's GIF writer keeps every frame until the end, so frames are written here: each stored
frame (:mod:`vmc_gui.ui.animation_frames`) is reduced to at most 255 colours of its own (a
local colour table; the 256th entry is "unchanged", transparent) and compressed by Pillow as
a one-frame GIF, whose colour table and compressed pixels are then copied into the animation
with the delay and the transparency set here.
"""

from __future__ import annotations

import io
import struct
from typing import BinaryIO

import numpy as np
from PIL import Image

from vmc_gui.ui.animation_frames import Delta, FrameStore, Pixels, spans

#: GIF stores delays in hundredths of a second, and viewers slow down a delay under two:
#: at most 50 frames a second.
MAX_FPS = 50
_UNCHANGED = 255
_LONGEST = 0xFFFF  # hundredths of a second in one frame's delay
#: Keep what is there under the next frame (transparent pixels show the frame before).
_DISPOSE_NONE = 1


def _one_frame_parts(image: Image.Image) -> tuple[bytes, int, bytes]:
    """Pillow's one-frame GIF of ``image`` cut apart: the colour table, its size field and
    the compressed pixels (the LZW code size and the data blocks up to their terminator)."""
    buffer = io.BytesIO()
    image.save(buffer, "GIF", optimize=False, interlace=False)
    data = buffer.getvalue()
    flags = data[10]
    at = 13
    table, bits = b"", 0
    if flags & 0x80:
        bits = flags & 0x07
        table = data[at : at + 3 * (2 << bits)]
        at += len(table)
    while data[at] == 0x21:  # extensions Pillow may add: skip their blocks
        at += 2
        while data[at]:
            at += data[at] + 1
        at += 1
    if data[at] != 0x2C:
        raise ValueError("unexpected GIF layout from Pillow")
    local = data[at + 9]
    at += 10
    if local & 0x80:  # a local table instead of the global one
        bits = local & 0x07
        table = data[at : at + 3 * (2 << bits)]
        at += len(table)
    return table, bits, data[at:-1]  # the last byte is the trailer


def _indexed(change: Delta) -> Image.Image:
    """The frame in at most 256 colours (255 and a transparent index when masked); no
    dithering: it would speckle the flat colours of a user interface."""
    rgb = Image.fromarray(np.ascontiguousarray(change.pixels[..., :3]))
    colours = 255 if change.masked else 256
    indexed = rgb.quantize(colours, Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    if change.masked:
        indices = np.asarray(indexed).copy()
        indices[change.pixels[..., 3] == 0] = _UNCHANGED
        palette = indexed.getpalette() or []
        indexed = Image.frombytes("P", (change.width, change.height), indices.tobytes())
        indexed.putpalette(palette + [0] * (768 - len(palette)))
    return indexed


class GifWriter:
    """Writes frames to ``file``."""

    def __init__(self, file: BinaryIO, size: tuple[int, int], fps: float) -> None:
        self._file = file
        self._fps = fps
        width, height = size
        # The screen, with no global colour table: each frame brings its own.
        file.write(b"GIF89a" + struct.pack("<HHBBB", width, height, 0x70, 0, 0))
        # Loop for ever (the NETSCAPE2.0 application extension).
        file.write(b"\x21\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", 0) + b"\x00")
        self._store = FrameStore(self._write)

    def add(self, frame: Pixels) -> None:
        self._store.add(frame)

    def close(self) -> None:
        self._store.close()
        self._file.write(b";")

    def _write(self, change: Delta, first: int, end: int) -> None:
        delay = spans(first, end, self._fps, 100)
        table, bits, pixels = _one_frame_parts(_indexed(change))
        self._frame(
            change.x,
            change.y,
            change.width,
            change.height,
            table,
            bits,
            pixels,
            min(delay, _LONGEST),
            change.masked,
        )
        delay -= _LONGEST
        while delay > 0:  # a still stretch longer than a delay can say: blank frames after
            table, bits, pixels = _one_frame_parts(Image.new("P", (1, 1), 0))
            self._frame(0, 0, 1, 1, table, bits, pixels, min(delay, _LONGEST), True, 0)
            delay -= _LONGEST

    def _frame(
        self,
        x: int,
        y: int,
        width: int,
        height: int,
        table: bytes,
        bits: int,
        pixels: bytes,
        delay: int,
        masked: bool,
        transparent: int = _UNCHANGED,
    ) -> None:
        packed = _DISPOSE_NONE << 2 | (1 if masked else 0)
        index = transparent if masked else 0
        self._file.write(b"\x21\xf9\x04" + struct.pack("<BHB", packed, delay, index) + b"\x00")
        self._file.write(b"\x2c" + struct.pack("<HHHHB", x, y, width, height, 0x80 | bits))
        self._file.write(table)
        self._file.write(pixels)
