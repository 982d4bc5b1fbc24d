"""Image regression, after pyqtgraph's tests/image_testing.py.

A test renders at a fixed size into a QImage and compares it with ``tests/baseline/NAME.png``
within a pixel tolerance.  On a mismatch it writes ``result | baseline | diff`` side by side to
``tests/baseline/failures/NAME.png`` and fails.  Baselines are (re)written only when the
environment says ``VMC_UPDATE_BASELINES=1``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage, QPainter

BASELINES = Path(__file__).resolve().parent.parent / "baseline"
FAILURES = BASELINES / "failures"


def to_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    rows = data.reshape(height, image.bytesPerLine())[:, : width * 4]
    # Copy: the converted image owns that memory and is gone when this returns.
    return rows.reshape(height, width, 4).copy()


def assert_image_matches(
    image: QImage,
    name: str,
    *,
    pixel_tolerance: int = 40,
    max_differing: float = 0.004,
) -> None:
    """``image`` must match the baseline: at most ``max_differing`` of its pixels may differ by
    more than ``pixel_tolerance`` in any channel (antialiasing and font rasterising vary a
    little between FreeType builds)."""
    path = BASELINES / f"{name}.png"
    if os.environ.get("VMC_UPDATE_BASELINES") == "1":
        BASELINES.mkdir(exist_ok=True)
        assert image.save(str(path)), path
        return
    assert path.exists(), f"no baseline {path}; run with VMC_UPDATE_BASELINES=1 to create it"
    baseline = QImage(str(path))
    result = to_array(image).astype(np.int16)
    expected = to_array(baseline).astype(np.int16)
    if result.shape != expected.shape:
        _write_failure(image, baseline, name)
        raise AssertionError(f"{name}: size {result.shape[:2]} != baseline {expected.shape[:2]}")
    differing = (np.abs(result - expected).max(axis=2) > pixel_tolerance).mean()
    if differing > max_differing:
        _write_failure(image, baseline, name)
        raise AssertionError(
            f"{name}: {differing:.2%} of pixels differ (allowed {max_differing:.2%}); "
            f"see {FAILURES / (name + '.png')}"
        )


def _write_failure(result: QImage, baseline: QImage, name: str) -> None:
    FAILURES.mkdir(parents=True, exist_ok=True)
    width = result.width() + baseline.width() * 2
    height = max(result.height(), baseline.height())
    out = QImage(width, height, QImage.Format.Format_ARGB32)
    out.fill(0xFFFFFFFF)
    painter = QPainter(out)
    painter.drawImage(0, 0, result)
    painter.drawImage(result.width(), 0, baseline)
    if result.size() == baseline.size():
        diff = np.abs(to_array(result).astype(np.int16) - to_array(baseline).astype(np.int16))
        diff = np.clip(diff * 4, 0, 255).astype(np.uint8)
        diff[..., 3] = 255
        image = QImage(diff.data, diff.shape[1], diff.shape[0], QImage.Format.Format_RGBA8888)
        painter.drawImage(result.width() + baseline.width(), 0, image.copy())
    painter.end()
    out.save(str(FAILURES / f"{name}.png"))
