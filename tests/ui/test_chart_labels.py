"""Chart labels never overlap and are never cut off: placed, stacked, flipped, or listed.

The placement itself is a pure function of rectangles (``label_layout.place``), tested first
without Qt; then every bundled scenario's charts, and the failover race tuned so that both
worlds recover within seconds of each other, are drawn at the dock's sizes and a large one,
and every label shown must lie inside its plot and clear of every other.
"""

from __future__ import annotations

import random
from functools import cache

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication

from vmc_gui.model.library import resolve, scenario_names
from vmc_gui.sim import chart_metrics as metrics
from vmc_gui.sim import simulate
from vmc_gui.sim.timeline import Timeline
from vmc_gui.ui.charts.chart_view import LABEL_PX, ChartView, view_size
from vmc_gui.ui.charts.charts_panel import ChartsPanel
from vmc_gui.ui.charts.label_layout import Box, Label, place
from vmc_gui.ui.playback import PlaybackController
from vmc_gui.ui.scenes.zoom_view import LEGIBLE_PX

#: The failover race as people tune it: both worlds back within 17 s of each other.
TUNED = {
    "hyperv.resiliency_default_period_s": 10,
    "kubernetes.default_unreachable_toleration_s": 30,
}
#: The charts dock as the main window first lays it out (250 px high), the same narrower
#: and taller, and a large window's worth.
SIZES = {"dock": (1000, 250), "narrow dock": (720, 320), "large": (1600, 900)}
BOUNDS = Box(0.0, 0.0, 400.0, 200.0)


def _clear(boxes: list[Box | None], bounds: Box) -> None:
    shown = [b for b in boxes if b is not None]
    for i, box in enumerate(shown):
        assert box.within(bounds), box
        for other in shown[i + 1 :]:
            assert not box.overlaps(other), (box, other)


# --- the placement, without Qt -------------------------------------------------------------


def test_labels_of_far_apart_lines_share_the_top_row():
    boxes = place([Label(50, 60, 18), Label(250, 60, 18)], BOUNDS)
    assert [b.top for b in boxes if b] == [3.0, 3.0]
    assert [b.left for b in boxes if b] == [53.0, 253.0]  # right of their lines


def test_labels_of_close_lines_stack():
    boxes = place([Label(100, 120, 18), Label(110, 120, 18), Label(120, 120, 18)], BOUNDS)
    _clear(boxes, BOUNDS)
    assert [b.top for b in boxes if b] == [3.0, 22.0, 41.0]  # a row each, a pixel apart


def test_a_label_with_no_room_on_the_right_flips_to_the_left():
    (box,) = place([Label(380, 60, 18)], BOUNDS)
    assert box is not None and box.right == 377.0 and box.top == 3.0


def test_a_label_with_no_room_at_all_is_left_out():
    tiny = Box(0, 0, 200, 45)  # two rows, each with room either side of the line
    boxes = place([Label(100, 80, 18)] * 5, tiny)
    assert None not in boxes[:4] and boxes[4] is None
    assert place([Label(100, 300, 18)], tiny) == [None]  # wider than the plot
    _clear(boxes, tiny)


def test_a_label_keeps_off_the_curves_where_it_can():
    def curve_on_top(box: Box) -> bool:
        return box.top < 30

    (box,) = place([Label(100, 60, 18)], BOUNDS, crowded=curve_on_top)
    assert box is not None and box.top >= 30
    # Crowded everywhere: over a curve rather than not at all.
    (box,) = place([Label(100, 60, 18)], BOUNDS, crowded=lambda box: True)
    assert box is not None and box.top == 3.0


def test_levels_of_one_value_share_their_line():
    level = Label(100, 120, 18, upright=False)
    first, second, third = place([level] * 3, BOUNDS)
    assert first is not None and second is not None and third is not None
    assert first.bottom <= 100 and first.left == 3.0  # above the line, from the left
    assert second.top >= 100 and second.left == 3.0  # then below it
    assert third.bottom <= 100 and 0 < third.left - first.right <= 4  # then right after


def test_random_labels_never_overlap_and_stay_inside():
    rng = random.Random(17)
    for _ in range(200):
        bounds = Box(
            rng.uniform(0, 50), rng.uniform(0, 50), rng.uniform(80, 900), rng.uniform(40, 600)
        )
        labels = [
            Label(
                rng.uniform(bounds.left, bounds.right)
                if (upright := rng.random() < 0.7)
                else rng.uniform(bounds.top, bounds.bottom),
                rng.uniform(30, 200),
                rng.choice([17.0, 19.0]),
                upright,
            )
            for _ in range(rng.randint(1, 12))
        ]
        _clear(place(labels, bounds), bounds)


# --- the charts ----------------------------------------------------------------------------


@cache
def _timeline(name: str) -> Timeline:
    scenario = resolve("failover").with_parameters(TUNED) if name == "tuned" else resolve(name)
    return simulate(scenario)


@cache
def _labelled() -> list[tuple[str, str]]:
    """Every bundled scenario's charts that have labels, and the tuned failover's."""
    out = []
    for name in [*scenario_names(), "tuned"]:
        timeline = _timeline(name)
        for metric in metrics.available(timeline):
            chart = metrics.build(timeline, metric)
            if chart.markers or any(panel.levels for panel in chart.panels):
                out.append((name, metric))
    return out


def _check(view: ChartView) -> list[str]:
    """The labels on show, after checking that each lies inside its plot, clear of the
    others, and is large enough to read."""
    shown = view.label_rects()
    for i, (name, rect, plot) in enumerate(shown):
        assert plot.contains(rect), f"{name!r} at {rect} runs past its plot {plot}"
        for other, there, _ in shown[i + 1 :]:
            assert not rect.intersects(there), f"{name!r} at {rect} overlaps {other!r} at {there}"
    for tag in view._tags:
        assert tag.text.textItem.font().pixelSize() >= LEGIBLE_PX
        assert tag.text.textItem.boundingRect().height() >= LEGIBLE_PX
    return [name for name, _, _ in shown]


def _expected(view: ChartView) -> int:
    """How many labels the chart has on its plots (a marker on each panel of its world)."""
    return len(view._tags)


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen, shown
@pytest.mark.parametrize("size", list(SIZES))
def test_no_label_overlaps_another_or_leaves_its_plot(qtbot, size):
    controller = PlaybackController()
    panel = ChartsPanel(controller)
    qtbot.addWidget(panel)
    panel.resize(*SIZES[size])
    panel.show()
    qtbot.waitExposed(panel)
    by_scenario: dict[str, list[str]] = {}
    for name, metric in _labelled():
        by_scenario.setdefault(name, []).append(metric)
    for name, charts in by_scenario.items():
        timeline = _timeline(name)
        controller.set_timeline(timeline)
        controller.seek(timeline.duration_s)  # the end: every marker is shown
        for metric in charts:
            panel.show_chart(metric)
            QApplication.processEvents()  # laid out in the dock's size
            view = panel.view(metric)
            shown = _check(view)
            listed = view.listed_labels()
            # Every label is somewhere: on its plot, or listed in its panel's legend.
            assert len(shown) + len(listed) == _expected(view), (name, metric, shown, listed)
            if name == "tuned":
                assert listed == [], (metric, listed)  # close, and all on the plot


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen, shown
@pytest.mark.parametrize("name", ["tuned", "scale-out", "rolling-update", "rebalance"])
def test_an_exported_chart_keeps_its_labels_apart(qtbot, name):
    timeline = _timeline(name)
    metric = metrics.available(timeline)[-1]  # the lesson's own chart, or availability
    chart = metrics.build(timeline, metric)
    view = ChartView()  # as ``vmc-gui export chart:...`` draws it
    qtbot.addWidget(view)
    view.resize(*view_size(chart))
    view.show()
    view.set_chart(chart)
    view.show_time(timeline.duration_s)
    QApplication.processEvents()
    assert len(_check(view)) == _expected(view)


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen, shown
def test_hidden_labels_take_no_room_and_shown_ones_stay_put(qtbot):
    view = ChartView(compact=True)
    qtbot.addWidget(view)
    view.resize(*SIZES["dock"])
    view.show()
    view.set_future("hide")
    view.set_chart(metrics.build(_timeline("tuned"), "availability"))
    QApplication.processEvents()
    places: dict[str, QRectF] = {}
    seen = []
    for t in (0.0, 60.0, 100.0, 129.7, 140.0, 146.5, 600.0):
        view.show_time(t)
        shown = _check(view)
        seen.append(shown)
        for name, rect, _ in view.label_rects():
            assert places.setdefault(name, rect) == rect, f"{name} moved at {t} s"
        assert view.listed_labels() == []  # what is still to come is listed nowhere either
    assert seen[0] == [] and seen[1] == seen[2] == ["failure"]
    assert seen[3] == seen[4] == ["failure", "recovered in 1 min 9.6 s"]
    assert (
        seen[5]
        == seen[6]
        == [
            "failure",
            "recovered in 1 min 9.6 s",
            "recovered in 1 min 26.4 s",
        ]
    )
    # Dimmed, the markers still to come are on show, faint, and take their room.
    view.show_time(100.0)
    assert _check(view) == ["failure"]
    view.set_future("dim")
    assert len(_check(view)) == 3
    faint = {tag.name: tag.text.opacity() for tag in view._tags}
    assert faint["failure"] == 1.0 and faint["recovered in 1 min 26.4 s"] < 1.0


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen, shown
def test_a_label_with_no_room_goes_to_the_legend_and_comes_back(qtbot):
    view = ChartView(compact=True)
    qtbot.addWidget(view)
    view.resize(420, 160)  # too small for three labels
    view.show()
    view.set_chart(metrics.build(_timeline("tuned"), "availability"))
    view.show_time(600.0)
    QApplication.processEvents()
    shown, listed = _check(view), view.listed_labels()
    assert listed and len(shown) + len(listed) == 3
    legend = view._legends[0]
    assert legend is not None
    entries = [label.text for _, label in legend.items]
    assert all(name in entries for name in listed)
    # The line keeps its full text, in a tooltip.
    for mark, tag in zip(view._marks, view._tags, strict=True):
        assert mark.toolTip().startswith(tag.name) and " (at " in mark.toolTip()
    # Larger, every label is back on the plot and the legend lists only the curves.
    view.resize(*SIZES["dock"])
    QApplication.processEvents()
    assert len(_check(view)) == 3 and view.listed_labels() == []
    assert [label.text for _, label in legend.items] == ["VMs · web", "containers · web"]


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen, shown
def test_labels_follow_the_visible_range(qtbot):
    view = ChartView(compact=True)
    qtbot.addWidget(view)
    view.resize(*SIZES["dock"])
    view.show()
    view.set_chart(metrics.build(_timeline("failover"), "availability"))
    view.show_time(600.0)
    QApplication.processEvents()
    assert len(_check(view)) == 3
    view.plots()[0].setXRange(300.0, 430.0, padding=0)  # the failure is out of view
    assert sorted(_check(view)) == ["recovered in 4 min 59.6 s", "recovered in 5 min 56.4 s"]
    assert view.listed_labels() == []
    assert LABEL_PX >= LEGIBLE_PX
