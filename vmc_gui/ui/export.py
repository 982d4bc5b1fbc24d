"""Export what a scene shows as PNG (crisp at any scale) or SVG (vectors, text as text).

Files are written through QSaveFile: an existing file is replaced only once the new one is
complete, and an error leaves it as it was.  A picture of a scenario carries it (``metadata``,
from :func:`vmc_gui.ui.picture_meta.metadata_for`): PNG text chunks, or SVG ``<metadata>``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRectF, QSaveFile, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView, QWidget

#: Texts a picture carries about itself, by key (see vmc_gui.ui.picture_meta).
Metadata = dict[str, str]

#: The largest image side we render, and the most pixels in all: 64 megapixels is 256 MB at
#: 4 bytes a pixel, twice that while a PNG is encoded.
MAX_SIDE = 16384
MAX_PIXELS = 64_000_000
FORMATS = (".png", ".svg")


class ExportError(ValueError):
    """An export that cannot be done; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class ExportOptions:
    #: Pixels per scene unit (PNG); ignored when ``size`` is given.
    scale: float = 1.0
    #: The exact output size in pixels; the picture is fitted inside, centred.
    size: tuple[int, int] | None = None
    transparent: bool = False


def output_size(source: QRectF, options: ExportOptions) -> QSize:
    """The pixel size an export of ``source`` will have."""
    if source.isEmpty():
        raise ExportError("there is nothing to export: the picture is empty")
    if options.size is not None:
        width, height = options.size
    else:
        width = math.ceil(source.width() * options.scale)
        height = math.ceil(source.height() * options.scale)
    if not (1 <= width <= MAX_SIDE and 1 <= height <= MAX_SIDE):
        raise ExportError(f"{width}x{height} is outside 1..{MAX_SIDE} pixels a side")
    if width * height > MAX_PIXELS:
        raise ExportError(
            f"{width}x{height} is {width * height / 1e6:.0f} megapixels, over the "
            f"{MAX_PIXELS // 1_000_000}-megapixel limit"
        )
    return QSize(width, height)


def _paint(
    scene: QGraphicsScene, painter: QPainter, size: QSize, source: QRectF, transparent: bool
) -> None:
    """Fill the whole output with the scene's background (unless transparent) and draw
    ``source`` fitted inside it, centred, keeping its proportions."""
    painter.setRenderHints(
        QPainter.RenderHint.Antialiasing
        | QPainter.RenderHint.TextAntialiasing
        | QPainter.RenderHint.SmoothPixmapTransform
    )
    whole = QRectF(0, 0, size.width(), size.height())
    if not transparent:
        painter.fillRect(whole, scene.backgroundBrush())
    fit = min(whole.width() / source.width(), whole.height() / source.height())
    target = QRectF(0, 0, source.width() * fit, source.height() * fit)
    target.moveCenter(whole.center())
    background = scene.backgroundBrush()
    scene.setBackgroundBrush(Qt.BrushStyle.NoBrush)  # painted above, or not at all
    try:
        scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
    finally:
        scene.setBackgroundBrush(background)


def render_image(scene: QGraphicsScene, source: QRectF, options: ExportOptions) -> QImage:
    """``source`` of ``scene`` as an image, with the scene's background unless transparent."""
    size = output_size(source, options)
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        _paint(scene, painter, size, source, options.transparent)
    finally:
        painter.end()  # a painter left active on a dying device takes the process with it
    # Record the resolution, so that a 2x export shows at its intended physical size.
    scale = size.width() / max(source.width(), 1.0)
    dots_per_metre = round(96 * scale / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image


def _svg_generator(buffer: QBuffer, size: QSize, title: str) -> QSvgGenerator:
    """An SVG generator writing into ``buffer``, one SVG unit a pixel."""
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(title)
    generator.setDescription("vmc-gui")
    return generator


def render_svg(
    scene: QGraphicsScene,
    source: QRectF,
    options: ExportOptions,
    title: str = "",
    metadata: Metadata | None = None,
) -> bytes:
    """``source`` of ``scene`` as SVG: vector shapes, and text as ``<text>``; ``metadata``
    in its ``<metadata>``."""
    size = output_size(source, options)
    buffer = QBuffer()
    generator = _svg_generator(buffer, size, title)  # kept alive while the painter draws
    painter = QPainter(generator)
    try:
        with _uncached(scene):
            _paint(scene, painter, size, source, options.transparent)
    finally:
        painter.end()
    return _with_metadata(bytes(buffer.data().data()), metadata)


@contextmanager
def _uncached(scene: QGraphicsScene) -> Iterator[None]:
    """Items that cache their picture would reach an SVG as bitmaps: for a vector export
    they paint themselves, and get their caches back after."""
    modes = [(item, item.cacheMode()) for item in scene.items()]
    for item, _ in modes:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        yield
    finally:
        for item, mode in modes:
            item.setCacheMode(mode)


def save_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    target = QSaveFile(str(path))
    if not target.open(QIODevice.OpenModeFlag.WriteOnly):
        raise ExportError(f"cannot write {path}: {target.errorString()}")
    if target.write(QByteArray(data)) != len(data) or not target.commit():
        error = target.errorString()
        target.cancelWriting()
        raise ExportError(f"cannot write {path}: {error}")


#: Qt's PNG "quality" (zlib effort, inverted): 70 encodes a 4K diagram in about two thirds of
#: the default's time for a file about 40 % larger, still a few hundred KB.
PNG_QUALITY = 70


def png_bytes(image: QImage, *, opaque: bool = False, metadata: Metadata | None = None) -> bytes:
    """``image`` as PNG, ``metadata`` in its text chunks."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if opaque:
        # An opaque picture needs no alpha channel: smaller, and faster to encode.
        image = image.convertToFormat(QImage.Format.Format_RGB32)
    if metadata:
        image = image.copy() if not opaque else image  # the caller's image stays as it was
        # QImage's texts, not QImageWriter's: the writer's collapse the TOML's line breaks.
        for key, value in metadata.items():
            image.setText(key, value)
    if not image.save(buffer, "PNG", PNG_QUALITY):
        raise ExportError("PNG encoding failed")
    return bytes(buffer.data().data())


def check_target(path: str | Path) -> tuple[Path, str]:
    """``path`` and its format (".png" or ".svg"), or ExportError saying why not."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"{path}: export writes .png or .svg, not {suffix or 'no extension'!r}")
    if not path.parent.is_dir():
        raise ExportError(f"{path}: the folder {path.parent} does not exist")
    return path, suffix


def export_scene(
    scene: QGraphicsScene,
    source: QRectF,
    path: str | Path,
    options: ExportOptions,
    title: str = "",
    metadata: Metadata | None = None,
) -> QSize:
    """Export ``source`` of ``scene`` to ``path`` (.png or .svg), carrying ``metadata``;
    returns the pixel size."""
    path, suffix = check_target(path)
    if suffix == ".png":
        image = render_image(scene, source, options)
        save_bytes(path, png_bytes(image, opaque=not options.transparent, metadata=metadata))
        return image.size()
    save_bytes(path, render_svg(scene, source, options, title, metadata))
    return output_size(source, options)


def export_widget(
    widget: QWidget,
    path: str | Path,
    title: str = "",
    scale: float | None = None,
    metadata: Metadata | None = None,
) -> QSize:
    """Export ``widget`` as it is on screen (a table, a panel, the whole window) to ``path``:
    PNG at the screen's pixel ratio, so that it is as crisp as the screen, or at ``scale``
    pixels per screen pixel (a 2x picture for slides from a 1x screen); or SVG.  Either
    carries ``metadata``."""
    path, suffix = check_target(path)
    size = widget.size()
    if size.isEmpty():
        raise ExportError("there is nothing to export: the window shows nothing")
    if suffix == ".png":
        image = widget.grab().toImage() if scale is None else _render_widget(widget, scale)
        save_bytes(path, png_bytes(image, opaque=True, metadata=metadata))
        return image.size()
    buffer = QBuffer()
    generator = _svg_generator(buffer, size, title)  # kept alive while the painter draws
    painter = QPainter(generator)
    # The scenes in the widget's views paint uncached too, or their text reaches the SVG as
    # bitmaps of their cached pictures.
    scenes = {id(s): s for v in widget.findChildren(QGraphicsView) if (s := v.scene())}
    try:
        with ExitStack() as uncached:
            for scene in scenes.values():
                uncached.enter_context(_uncached(scene))
            widget.render(painter, QPoint(0, 0))
    finally:
        painter.end()
    save_bytes(path, _with_metadata(bytes(buffer.data().data()), metadata))
    return size


def _render_widget(widget: QWidget, scale: float) -> QImage:
    """``widget`` drawn at ``scale`` device pixels per pixel: text and vectors are drawn at
    that resolution, not enlarged from a screen grab. Within the same limits as a scene."""
    size = output_size(QRectF(widget.rect()), ExportOptions(scale))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(scale)
    image.fill(widget.palette().window().color())
    widget.render(image)
    return image


def _with_metadata(svg: bytes, metadata: Metadata | None) -> bytes:
    """``svg`` with ``metadata`` in its ``<metadata>`` (the scenario model loads only for a
    picture that carries one: the app's first window needs none of it)."""
    if not metadata:
        return svg
    from vmc_gui.ui.picture_meta import embed_in_svg

    return embed_in_svg(svg, metadata)
