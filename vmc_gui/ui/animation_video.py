"""MP4 (H.264) through PyAV, an optional dependency: ``pip install 'vmc-gui[video]'``.

Every frame goes to the encoder, which finds what did not change by itself. H.264 in the
yuv420p pixel format plays everywhere (browsers, slide software) but needs an even width and
height: an odd last row or column is left out.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, BinaryIO

from vmc_gui.ui.animation_frames import Pixels

MISSING = "MP4 needs PyAV: pip install 'vmc-gui[video]'"
#: x264's settings. Measured on the 30-second fault-tolerance animation at 1280x720 (PSNR
#: against the drawn frames): crf 23 (x264's default) 0.80 MB, 35.8 dB; crf 20 1.01 MB,
#: 36.4 dB; crf 20 tuned for still images 0.95 MB, 36.2 dB; crf 18 so tuned 1.11 MB, 36.5 dB;
#: preset medium instead of veryfast 1.07 MB, 36.8 dB in 1.7 times the time. Past crf 20
#: little changes: 4:2:0 colour (half-resolution colour, which every player plays) is what
#: limits coloured text.
OPTIONS = {"crf": "20", "preset": "veryfast", "tune": "stillimage"}


def load_av() -> Any:
    """The av module, or ImportError with :data:`MISSING`."""
    try:
        import av
    except ImportError:
        raise ImportError(MISSING) from None
    return av


class Mp4Writer:
    """Writes frames to ``file`` as H.264 in an MP4 container."""

    def __init__(self, file: BinaryIO, size: tuple[int, int], fps: float) -> None:
        av = load_av()
        self._av = av
        self._width, self._height = size[0] // 2 * 2, size[1] // 2 * 2
        self._container = av.open(file, mode="w", format="mp4")
        rate = Fraction(fps).limit_denominator(1001)
        self._stream = self._container.add_stream("libx264", rate=rate, options=dict(OPTIONS))
        self._stream.width, self._stream.height = self._width, self._height
        self._stream.pix_fmt = "yuv420p"

    def add(self, frame: Pixels) -> None:
        pixels = frame[: self._height, : self._width]
        video = self._av.VideoFrame.from_ndarray(pixels, format="rgba")
        self._container.mux(self._stream.encode(video))

    def close(self) -> None:
        self._container.mux(self._stream.encode(None))  # what the encoder still holds
        self._container.close()
