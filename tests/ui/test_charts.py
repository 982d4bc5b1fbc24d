"""The charts: series that match the simulation, on the playback clock, exported headless."""

from __future__ import annotations

import csv
import dataclasses
import json
import re

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from tests.scenarios import HOT_HOST
from tests.ui.image_testing import to_array
from vmc_gui.cli import main
from vmc_gui.model.events import Drain, HostFail, Scale
from vmc_gui.model.library import resolve
from vmc_gui.model.scenario import ServiceSpec, World
from vmc_gui.sim import chart_metrics as metrics
from vmc_gui.sim import simulate
from vmc_gui.ui.charts.chart_view import ChartView
from vmc_gui.ui.charts.charts_panel import ChartsPanel
from vmc_gui.ui.playback import PlaybackController


@pytest.fixture
def failover():
    return simulate(resolve("failover"))


def _json(capsys, *argv: str) -> dict:
    assert main(["simulate", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_availability_dips_at_the_failure_and_returns_when_simulate_says(failover, capsys):
    worlds = _json(capsys, "failover")["worlds"]
    chart = metrics.build(failover, "availability")
    fault = 60.0
    for curve in chart.curves():
        recovery = worlds[curve.world.value]["recovery_s"]
        step = failover.scenario.sample_step_s
        assert curve.value_at(fault - step) == 100.0
        assert curve.value_at(fault + step) < 100.0  # one replica of eight lost: 87.5 %
        back = fault + recovery
        assert curve.value_at(back - step) < 100.0
        assert curve.value_at(np.ceil(back / step) * step) == 100.0
        # The recovery is marked where it happened, with its time.
        (marker,) = [m for m in chart.markers if m.world is curve.world]
        assert marker.at_s == pytest.approx(back) and marker.label.startswith("recovered in")
    assert chart.markers[0].label == "failure" and chart.markers[0].at_s == fault


def test_the_csv_rows_are_the_series(tmp_path, capsys, failover):
    out = tmp_path / "memory.csv"
    assert main(["export", "chart:failover:memory", "--out", str(out)]) == 0
    assert "601 rows" in capsys.readouterr().out
    with out.open(newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], np.array(rows[1:], dtype=float)
    assert header[0] == "time_s"
    np.testing.assert_array_equal(body[:, 0], failover.sample_times)
    for column, label in enumerate(header[1:], 1):
        world_title, host = label.split(" · ")
        world = next(w for w in failover.worlds if w.display_name == world_title)
        series = failover.series(f"{world.value}/host/{host}/memory")
        np.testing.assert_allclose(body[:, column], series.values, rtol=1e-5)
    # The failed host drops out: it holds nothing once it has failed.
    failed = header.index("VM world: Hyper-V failover cluster · r1-h01")
    assert body[59, failed] > 0 and body[61:, failed].max() == 0


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen, shown
def test_clicking_a_chart_seeks_the_clock(qtbot, failover):
    controller = PlaybackController()
    controller.set_timeline(failover)
    panel = ChartsPanel(controller)
    qtbot.addWidget(panel)
    panel.resize(1000, 420)
    panel.show()
    qtbot.waitExposed(panel)
    view = panel.current()
    assert view is not None
    plot = view.plots()[0]
    # The middle of the plot area, in the widget's pixels, and the time it stands for.
    point = view.mapFromScene(plot.vb.sceneBoundingRect().center())
    wanted = plot.vb.mapSceneToView(view.mapToScene(point)).x()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point.x(), point.y()))
    # Where the pointer was, give or take a pixel's worth of time.
    per_pixel = failover.scenario.duration_s / plot.vb.width()
    assert controller.time() == pytest.approx(wanted, abs=2 * per_pixel)
    assert 100 < controller.time() < 500
    # The cursor followed.
    assert view._cursors[0].value() == pytest.approx(controller.time())
    # Hovering reads the values at the time under the pointer (here, before the failure).
    early = view.mapFromScene(plot.vb.mapViewToScene(QPointF(30.0, 50.0)))
    qtbot.mouseMove(view.viewport(), QPoint(early.x(), early.y()))
    assert re.match(r"at (29|30)\.\d s ", view.readout()), view.readout()  # a pixel's rounding
    assert "VMs · web 100, containers · web 100 %" in view.readout()


def test_curves_are_made_once_and_fed_after(qtbot, failover):
    controller = PlaybackController()
    controller.set_timeline(failover)
    panel = ChartsPanel(controller)
    qtbot.addWidget(panel)
    views = panel.views()
    curves = {metric: [id(c) for c in v.curve_items()] for metric, v in views.items()}
    items: dict[str, int] = {}
    controller.set_speed(30.0)
    for i in range(1000):
        controller.tick(0.02)
        if i == 300:
            panel.future.setCurrentIndex(1)  # hide what has not happened
        if i == 600:
            panel.future.setCurrentIndex(0)
        if i == 500:  # a failure injected: new data, the same curves
            scenario = failover.scenario.with_event(HostFail(controller.time(), "r2-h01"))
            controller.set_timeline(simulate(scenario), keep_time=True)
            # Its markers may differ; from here on, ticks add nothing (views() works out
            # the charts whose tabs were not looked at since).
            items = {metric: len(v.scene().items()) for metric, v in panel.views().items()}
        if i % 97 == 0:
            panel.tabs.setCurrentIndex(i % panel.tabs.count())
    assert panel.views() == views
    for metric, view in views.items():
        assert [id(c) for c in view.curve_items()] == curves[metric]
        assert len(view.scene().items()) == items[metric]
    # The injected failure reached the charts: a second dip.
    availability = views["availability"].chart()
    vm = availability.curves()[0]
    assert vm.world is World.VM and vm.value_at(controller.time() + 1) <= 100


def test_the_future_is_dimmed_or_hidden(qtbot, failover):
    view = ChartView()
    qtbot.addWidget(view)
    view.set_chart(metrics.build(failover, "availability"))
    view.show_time(100.0)
    (shade,) = view._shades
    assert shade.getRegion() == (100.0, failover.scenario.duration_s) and shade.isVisible()
    assert 0 < shade.brush.color().alpha() < 255  # a veil: the rest of the run shows through
    marks = dict(zip([m.label for m in view.chart().markers], view._marks, strict=True))
    assert all(mark.isVisible() for mark in marks.values())
    view.set_future("hide")
    assert shade.brush.color().alpha() == 255  # a cover
    assert marks["failure"].isVisible()
    assert not marks["recovered in 4 min 59.6 s"].isVisible()  # it comes at 359.6 s
    view.show_time(370.0)
    assert marks["recovered in 4 min 59.6 s"].isVisible()
    assert not marks["recovered in 5 min 56.4 s"].isVisible()  # at 416.4 s
    # The curves keep every point: nothing is fed again as the clock runs.
    for item in view.curve_items():
        assert item.xData.max() == failover.scenario.duration_s
    assert "at 6 min 10.0 s" in view.readout() and "VMs · web 100" in view.readout()
    view.show_time(failover.scenario.duration_s)
    assert not shade.isVisible()  # the end: nothing is left to hide


def test_each_lesson_has_its_own_chart(capsys):
    assert "capacity" in metrics.available(simulate(resolve("scale-out")))
    assert "min-ready" in metrics.available(simulate(resolve("rolling-update")))
    rebalance = simulate(resolve(HOT_HOST))
    assert "precopy" in metrics.available(rebalance)
    precopy = metrics.build(rebalance, "precopy")
    first = precopy.curves()[0]
    # Round one copies the whole guest; the next copies what it dirtied meanwhile.
    assert first.values.max() == pytest.approx(rebalance.worlds[World.VM].run.workload_memory_mb[0])
    assert [m.label for m in precopy.markers] == ["blackout 47.4 ms", "blackout 47.4 ms"]
    overhead = metrics.build(simulate(resolve("density")), "overhead")
    guest = next(c for c in overhead.curves() if c.label.endswith("guest OS"))
    assert guest.values[-1] == pytest.approx(
        _json(capsys, "density")["worlds"]["vm"]["overhead_gb"]
    )


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_a_chart_exports_at_its_size_and_is_not_blank(qapp, tmp_path, capsys, suffix):
    out = tmp_path / f"availability.{suffix}"
    argv = ["export", "chart:failover:availability", "--out", str(out), "--size", "900x400"]
    assert main([*argv, "--at", "150"]) == 0
    if suffix == "svg":
        text = out.read_text()
        assert "<svg" in text and "<image" not in text and "recovered in" in text
        return
    image = to_array(QImage(str(out)))
    assert image.shape[:2] == (400, 900)
    colours = {tuple(p) for p in image.reshape(-1, image.shape[2])[::7].tolist()}
    assert len(colours) > 50  # lines, labels and the shade, not a blank picture


def _monotonic(curve) -> bool:
    return bool(np.all(np.diff(curve.times) >= 0))


def test_a_migration_called_off_stops_its_copy_there():
    scenario = resolve(HOT_HOST)  # app-0 migrates from 30 s; the target fails at 35 s
    aborted = simulate(scenario.with_event(HostFail(35.0, host="r1-h02")))
    chart = metrics.build(aborted, "precopy")
    first = chart.curves()[0]
    assert first.short == "app-0" and _monotonic(first)
    assert first.value_at(34.9) > 0 and first.value_at(35.0) == 0  # stopped mid-round
    assert first.value_at(38.0) == 0  # not copying on after it was called off
    assert not any(m.at_s < 36 for m in chart.markers)  # no blackout for it


def test_a_vm_migrated_twice_copies_from_round_one_again():
    scenario = resolve(HOT_HOST)  # app-0 moves to r1-h02; draining r1-h02 moves it on
    twice = simulate(scenario.with_event(Drain(100.0, host="r1-h02")))
    run = twice.worlds[World.VM].run
    curves = {c.short: c for c in metrics.build(twice, "precopy").curves()}
    app = curves["app-0"]
    assert _monotonic(app)
    rising = np.flatnonzero(np.diff(app.values) > 0) + 1
    copied = app.values[rising]
    # Two migrations, each: round one copies the whole guest, rounds two and three what it
    # dirtied meanwhile, then the pause copies the rest.
    memory = run.workload_memory_mb[run.workload_names.index("app-0")]
    assert len(copied) == 8
    assert copied[0] == copied[4] == pytest.approx(memory)
    assert list(copied[1:4]) == pytest.approx(list(copied[5:8]))
    assert copied[1] < memory and copied[3] < copied[2] < copied[1]


def test_capacity_is_marked_when_the_slowest_service_gets_there():
    scenario = resolve("scale-out")
    idle = ServiceSpec("idle", 2, 0.5, 512)
    events = (
        Scale(60.0, service="idle", replicas=3),
        Scale(200.0, service="web", replicas=12),
    )
    both = dataclasses.replace(scenario, services=(*scenario.services, idle), events=events)
    timeline = simulate(both)
    chart = metrics.build(timeline, "capacity")
    for world in timeline.worlds:
        (marker,) = [m for m in chart.markers if m.world is world]
        web = next(c for c in chart.curves() if c.world is world and c.short.endswith("web ready"))
        # The curves are sampled each second: full from the next sample, short before.
        assert web.value_at(marker.at_s + 1) == 12 and web.value_at(marker.at_s - 1) < 12
    assert chart.markers[0].label == "demand rose" and chart.markers[0].at_s == 60.0
    # A step curve reads its last step, never a point between two.
    assert all(float(v).is_integer() for v in (web.value_at(t) for t in np.arange(0, 400, 0.7)))


def test_the_csv_keeps_every_digit(tmp_path, capsys):
    out = tmp_path / "overhead.csv"
    assert main(["export", "chart:density:overhead", "--out", str(out)]) == 0
    with out.open(newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index(
        "Hyper-V-isolated containers: a standalone host, a utility VM each · runtime and utility VM"
    )
    assert float(rows[-1][column]) == 28.4375  # as simulate --json gives overhead_gb


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen, shown
def test_the_readout_never_widens_the_chart(qtbot):
    view = ChartView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    timeline = simulate(resolve("storage"))  # four worlds: a long readout
    view.set_chart(metrics.build(timeline, "memory"))
    widths = set()
    for t in (0.0, 70.0, 300.0, 500.0):
        view.show_time(t)
        QApplication.processEvents()
        widths.add(round(view.ci.width()))
        assert view.ci.width() <= view.viewport().width() + 1
    assert len(widths) == 1  # the panels do not jitter as the values change
    assert view.readout().endswith("…")


def test_a_lesson_with_nothing_running_has_no_charts(qtbot):
    controller = PlaybackController()
    controller.set_timeline(simulate(resolve("compat")))
    panel = ChartsPanel(controller)
    qtbot.addWidget(panel)
    assert panel.views() == {} and panel.empty.isVisibleTo(panel)
    controller.set_timeline(simulate(resolve("failover")))
    assert set(panel.views()) == {"availability", "memory", "cpu", "overhead"}
    assert not panel.empty.isVisibleTo(panel)
