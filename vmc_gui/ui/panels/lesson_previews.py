"""What the comparison table shows of each lesson before it is opened: its teaser (what each
side comes to at the defaults, :mod:`vmc_gui.sim.teasers`) and a small picture of its main
view, drawn offscreen by the scene code the lesson itself uses.

Both are off the startup path: after the table's first paint, each slice of the event loop
works out one row's teaser (:class:`TeaserJob`, once per process; numpy and the engine load
then) and draws one picture (:func:`picture`; kept per theme and size for every table of the
process).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vmc_gui.model.lessons import ROWS, Row, View

if TYPE_CHECKING:
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QGraphicsScene

    from vmc_gui.sim.teasers import Teaser
    from vmc_gui.sim.timeline import Timeline
    from vmc_gui.ui.theme import Theme

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Preview:
    """A row's lesson worked out: its teaser, the run it came from, and the moment of that
    run the picture shows (when the first world reaches its result)."""

    teaser: Teaser | None = None
    timeline: Timeline | None = None
    moment_s: float = 0.0
    #: Why nothing could be worked out ("" when all is well).
    error: str = ""


def work_out(row: Row) -> Preview:
    """``row``'s preview; an error becomes a preview that says so, never an exception."""
    try:
        from vmc_gui.sim.teasers import work_out as teaser_of

        teaser, timeline = teaser_of(row)
        moment = 0.0
        if timeline is not None:
            from vmc_gui.sim.headline import headlines

            reached = [f[0] for h in headlines(timeline).values() if (f := h.final())]
            moment = min(reached, default=timeline.duration_s / 2)
        return Preview(teaser, timeline, moment)
    except Exception as problem:  # a bundled lesson that cannot run: say so, go on
        _log.exception("the %s lesson's teaser could not be worked out", row.slug)
        return Preview(error=f"{type(problem).__name__}: {problem}")


class TeaserJob:
    """Every row's preview, worked out once per process, a row at a time on the GUI thread.

    Not on a thread of its own: a Python thread that allocates can run the garbage collector,
    and a collected cycle holding Qt objects would then be destroyed off the GUI thread.  A
    row's simulation takes milliseconds (a few tens for the largest), so a row per slice of
    the event loop keeps the window responsive.
    """

    def __init__(self) -> None:
        self._previews: dict[str, Preview] = {}
        self._started = False

    def start(self) -> None:
        """Let ``step`` work (the table calls it after its first paint)."""
        self._started = True

    def started(self) -> bool:
        return self._started

    def step(self) -> None:
        """Work out the next row's preview, if the work has started and one is left."""
        if not self._started:
            return
        for slug, row in ROWS.items():
            if slug not in self._previews:
                self._previews[slug] = work_out(row)
                return

    def finish(self) -> None:
        """Work out every preview left, now: for exports and tests."""
        self.start()
        while not self.done():
            self.step()

    def done(self) -> bool:
        return len(self._previews) == len(ROWS)

    def previews(self) -> dict[str, Preview]:
        """The previews worked out so far, by slug."""
        return dict(self._previews)


#: The process's one job: every table shares it (the results are the same for all).
JOB = TeaserJob()

#: Pictures drawn so far, by row, theme, size and pixel ratio: a table made again (a test, an
#: export) or a theme switched back finds them here.
_PICTURES: dict[tuple[str, str, int, int, float], QImage] = {}


def cached_picture(slug: str, theme: Theme, size: QSize, ratio: float) -> QImage | None:
    """The picture drawn before for this row, theme, size and ratio, if any."""
    return _PICTURES.get((slug, theme.name, size.width(), size.height(), ratio))


def log_failure(slug: str) -> None:
    """Log the exception being handled: ``slug``'s picture could not be drawn."""
    _log.exception("the %s lesson's picture could not be drawn", slug)


def picture(row: Row, theme: Theme, size: QSize, ratio: float, preview: Preview) -> QImage:
    """A picture of ``row``'s main view, as large as fits in ``size`` (device-independent
    pixels; its shape is the view's) at ``ratio`` pixels each, in ``theme``: the stack
    diagram, the cluster at the moment its first world reaches its result, or the
    compatibility matrix.  GUI thread only."""
    key = (row.slug, theme.name, size.width(), size.height(), ratio)
    found = _PICTURES.get(key)
    if found is None:
        if row.main_view is View.MATRIX:
            found = _matrix(row, theme, size, ratio)
        elif row.main_view is View.CLUSTER and preview.timeline is not None:
            try:
                found = _cluster(theme, size, ratio, preview)
            except Exception:  # the cluster cannot be drawn: the lesson's diagram instead
                log_failure(row.slug)
                found = _diagram(row, theme, size, ratio)
        else:
            found = _diagram(row, theme, size, ratio)
        _PICTURES[key] = found
    return found


def _diagram(row: Row, theme: Theme, size: QSize, ratio: float) -> QImage:
    """The lesson's stack diagram with fewer instances (the layers are the picture), without
    its title and caption."""
    from PySide6.QtCore import QRectF
    from PySide6.QtWidgets import QGraphicsSimpleTextItem, QGraphicsTextItem

    from vmc_gui.ui.scenes.stack_scene import StackScene

    scene = StackScene()
    try:
        scene.set_animations_enabled(False)
        scene.set_theme(theme)
        shape = size.width() / size.height()
        for instances in (2, 1):
            scene.set_diagram(row.diagram, instances)
            body = QRectF()
            for item in scene.items():
                if item.parentItem() is None and not isinstance(
                    item, (QGraphicsTextItem, QGraphicsSimpleTextItem)
                ):
                    body = body.united(item.sceneBoundingRect())
            if body.isEmpty():
                body = scene.content_rect()
            if body.width() / max(body.height(), 1.0) <= 1.6 * shape:
                break  # no wider than the box, give or take: the layers stay tall enough
        return _render(scene, body.adjusted(-8, -8, 8, 8), size, ratio, theme)
    finally:
        scene.deleteLater()


def _cluster(theme: Theme, size: QSize, ratio: float, preview: Preview) -> QImage:
    """The lesson's cluster when its first world is done: every world's hosts."""
    from PySide6.QtCore import QRectF

    from vmc_gui.ui.scenes.cluster_scene import ClusterScene

    assert preview.timeline is not None
    scene = ClusterScene()
    try:
        scene.set_theme(theme)
        scene.set_timeline(preview.timeline)
        scene.show_time(preview.moment_s)
        # The hosts, as large as the box allows: each world's racks, failed hosts in red.
        hosts = QRectF()
        for card in scene.cards():
            hosts = hosts.united(card.sceneBoundingRect())
        source = hosts.adjusted(-6, -6, 6, 6) if not hosts.isEmpty() else scene.content_rect()
        return _render(scene, source, size, ratio, theme)
    finally:
        scene.deleteLater()


def _matrix(row: Row, theme: Theme, size: QSize, ratio: float) -> QImage:
    """The compatibility lesson's matrix in miniature, in its panel's colours: a row per
    host, a column per guest, each cell tinted by its worst answer and marked with each
    runtime's answer (VM, standalone host, Kubernetes)."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QPainter

    from vmc_gui.model.compat import SYSTEMS, verdict
    from vmc_gui.model.library import resolve
    from vmc_gui.ui.panels.compat_panel import ANSWERS
    from vmc_gui.ui.theme import mixed

    scenario = resolve(row.scenario)
    assert scenario.compat is not None
    hosts, guests = scenario.compat.hosts, scenario.compat.guests
    # In the panel's proportions: a header column of labels, wide cells, a header row.
    head_w, head_h, cell_w, cell_h = 44.0, 12.0, 40.0, 15.0
    source = QRectF(0, 0, head_w + cell_w * len(guests), head_h + cell_h * len(hosts))
    image = _blank(source, size, ratio, theme)
    fit = image.deviceIndependentSize().width() / source.width()
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(fit, fit)
        painter.setPen(Qt.PenStyle.NoPen)
        header = mixed(theme.text, theme.background, 0.10)
        painter.setBrush(header)
        painter.drawRect(QRectF(0, 0, source.width(), head_h))
        painter.drawRect(QRectF(0, 0, head_w, source.height()))
        label = mixed(theme.text, theme.background, 0.35)
        painter.setBrush(label)
        for r in range(len(hosts)):  # each host's name, as a bar
            painter.drawRoundedRect(QRectF(5, head_h + r * cell_h + 5, head_w - 12, 4), 2, 2)
        for c in range(len(guests)):
            painter.drawRoundedRect(QRectF(head_w + c * cell_w + 10, 4, cell_w - 20, 4), 2, 2)
        order = list(ANSWERS)
        for r, host in enumerate(hosts):
            for c, guest in enumerate(guests):
                answers = [
                    verdict(w, SYSTEMS[host], SYSTEMS[guest]).answer for w in scenario.worlds
                ]
                cell = QRectF(head_w + c * cell_w, head_h + r * cell_h, cell_w, cell_h)
                worst = max(answers, key=order.index)
                painter.setBrush(mixed(QColor(ANSWERS[worst][1]), theme.background, 0.18))
                painter.drawRect(cell.adjusted(0.5, 0.5, -0.5, -0.5))
                mark = 6.0
                left = cell.center().x() - (len(answers) * (mark + 3) - 3) / 2
                for k, answer in enumerate(answers):
                    painter.setBrush(QColor(ANSWERS[answer][1]))
                    painter.drawEllipse(
                        QRectF(left + k * (mark + 3), cell.center().y() - mark / 2, mark, mark)
                    )
    finally:
        painter.end()
    return image


def _blank(source: QRectF, size: QSize, ratio: float, theme: Theme) -> QImage:
    """An image of ``source``'s shape, as large as fits in ``size``, in the background."""
    from PySide6.QtGui import QImage

    fit = min(size.width() / source.width(), size.height() / source.height())
    width, height = max(1, round(source.width() * fit)), max(1, round(source.height() * fit))
    image = QImage(
        round(width * ratio), round(height * ratio), QImage.Format.Format_ARGB32_Premultiplied
    )
    image.setDevicePixelRatio(ratio)
    image.fill(theme.background)
    return image


def _render(
    scene: QGraphicsScene, source: QRectF, size: QSize, ratio: float, theme: Theme
) -> QImage:
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QPainter

    image = _blank(source, size, ratio, theme)
    painter = QPainter(image)
    try:
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.TextAntialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
        )
        target = QRectF(QPointF(0, 0), image.deviceIndependentSize())
        background = scene.backgroundBrush()
        scene.setBackgroundBrush(Qt.BrushStyle.NoBrush)
        try:
            scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
        finally:
            scene.setBackgroundBrush(background)
    finally:
        painter.end()
    return image
