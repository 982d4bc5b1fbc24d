"""The per-host charts at scale (issue 20, section 2): up to 24 hosts a band per host, as
before; above, a band per rack (a zone where Kubernetes' zones are the racks), more racks than
bands grouped further, a rack opened from the charts' rack box, and a legend that never lists
the cluster.  Scenarios of 48 hosts (6 racks of 8) and of 26 racks of one host, built here."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from tests.scenarios import failover, failover_text
from tests.ui.image_testing import to_array
from tests.ui.main_windows import shown_window
from vmc_gui.cli import main
from vmc_gui.model.events import HostFail
from vmc_gui.model.library import resolve
from vmc_gui.model.loader import loads_scenario
from vmc_gui.model.scenario import World
from vmc_gui.sim import chart_metrics as metrics
from vmc_gui.sim import chart_racks, simulate
from vmc_gui.ui import export
from vmc_gui.ui.charts.chart_view import LABEL_PX, ChartView, view_size
from vmc_gui.ui.charts.charts_panel import ALL_RACKS, ChartsPanel
from vmc_gui.ui.playback import PlaybackController
from vmc_gui.ui.shell.export_dialog import PictureChoice, export_picture

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen

RACK_FAIL = '[[events]]\nat_s = 60\nkind = "rack_fail"\nrack = {rack}\n'
#: A few hundred replicas: every host holds some, and the run takes a second.
SMALL = {"replicas": 300, "memory_mb": 2048, "cpu": 0.5}


def _scenario(racks: int, hosts_per_rack: int, fail: int = 2, zones: str = "rack"):
    text = failover_text(
        racks=racks, hosts_per_rack=hosts_per_rack, events=RACK_FAIL.format(rack=fail), **SMALL
    )
    text = text.replace("[cluster]\n", f'[cluster]\nzones = "{zones}"\n')
    return loads_scenario(text, source="test.toml")


@pytest.fixture(scope="module")
def rows48():
    """48 hosts: 6 racks of 8, rack 2 fails at 60 s."""
    return simulate(_scenario(6, 8))


@pytest.fixture(scope="module")
def racks26():
    """26 racks of one host, more racks than a panel has bands; rack 5 fails."""
    return simulate(_scenario(26, 1, fail=5))


def _panel(chart: metrics.Chart, world: World) -> metrics.Panel:
    return next(p for p in chart.panels if p.curves[0].world is world)


def _hosts_total(timeline, world: World, what: str, hosts) -> np.ndarray:
    return sum(timeline.series(f"{world.value}/host/{h}/{what}").values for h in hosts)


# --- the data (no Qt) --------------------------------------------------------------------------


def test_up_to_24_hosts_each_host_keeps_its_band():
    for timeline in (simulate(_scenario(6, 4)), simulate(resolve("failover"))):
        assert timeline.scenario.cluster.host_count <= chart_racks.PER_HOST_LIMIT == 24
        for metric in ("memory", "cpu"):
            chart = metrics.build(timeline, metric)
            assert chart.racks == () and chart.rack is None
            assert chart.title == metrics.TITLES[metric]
            for world, wt in timeline.worlds.items():
                panel = _panel(chart, world)
                assert panel.title.endswith("stacked by host")
                assert [c.short for c in panel.curves] == wt.run.host_names
                for curve in panel.curves:
                    series = timeline.series(f"{world.value}/host/{curve.short}/{metric}")
                    np.testing.assert_array_equal(curve.values, series.values)  # as before
            # Nothing to open: a rack asked for changes nothing.
            assert metrics.to_csv(metrics.build(timeline, metric, rack=2)) == metrics.to_csv(chart)


def test_above_24_hosts_a_band_per_rack_sums_its_hosts(rows48):
    for metric, unit in (("memory", "GB"), ("cpu", "cores")):
        chart = metrics.build(rows48, metric)
        assert chart.racks == (1, 2, 3, 4, 5, 6) and chart.rack is None
        assert chart.title.endswith("summed by rack")
        for world, wt in rows48.worlds.items():
            panel = _panel(chart, world)
            assert panel.stacked and panel.unit == unit and len(panel.curves) == 6
            for rack, curve in enumerate(panel.curves, 1):
                run = wt.run
                hosts = [
                    h for h, r in zip(run.host_names, run.host_racks, strict=True) if r == rack
                ]
                want = _hosts_total(rows48, world, metric, hosts)
                np.testing.assert_allclose(curve.values, want, atol=1e-9)
            # Summed, not averaged: the stack's top is the world's whole reservation.
            used = rows48.series(f"{world.value}/{metric}_used").values
            np.testing.assert_allclose(sum(c.values for c in panel.curves), used, atol=1e-6)
        # The failed rack's band closes up.
        vm = _panel(chart, World.VM).curves[1]
        assert vm.short == "Rack 2" and vm.value_at(59.0) > 0 and vm.value_at(61.0) == 0


def test_a_container_world_names_its_bands_after_its_zones_where_they_are_racks(rows48):
    chart = metrics.build(rows48, "memory")
    assert _panel(chart, World.VM).title == "VMs, stacked by rack"
    assert [c.short for c in _panel(chart, World.VM).curves][:2] == ["Rack 1", "Rack 2"]
    containers = _panel(chart, World.CONTAINER)
    assert containers.title == "Containers, stacked by zone"
    zones = rows48.worlds[World.CONTAINER].run.zone_names
    assert [c.short for c in containers.curves] == [f"Zone {z}" for z in zones]
    # One zone for the whole cluster: a band per zone would be one band; racks it is.
    single = simulate(_scenario(6, 8, zones="single"))
    containers = _panel(metrics.build(single, "memory"), World.CONTAINER)
    assert containers.title == "Containers, stacked by rack"
    assert [c.short for c in containers.curves][:2] == ["Rack 1", "Rack 2"]


def test_more_racks_than_bands_keep_those_that_moved_and_share_the_rest(racks26):
    chart = metrics.build(racks26, "memory")
    for world in racks26.worlds:
        panel = _panel(chart, world)
        assert len(panel.curves) == chart_racks.BAND_LIMIT
        shared, *own = panel.curves
        numbers = [int(c.short.rsplit("-", 1)[-1].rsplit(" ", 1)[-1]) for c in own]
        assert numbers == sorted(numbers) and 5 in numbers  # the failed rack: its own band
        assert shared.short.startswith(("Racks ", "Zones "))  # the rest, at the bottom
        used = racks26.series(f"{world.value}/memory_used").values
        np.testing.assert_allclose(sum(c.values for c in panel.curves), used, atol=1e-6)


def test_opening_a_rack_shows_its_hosts(rows48):
    chart = metrics.build(rows48, "cpu", rack=3)
    assert chart.rack == 3 and chart.racks == (1, 2, 3, 4, 5, 6)
    assert chart.title.endswith("of rack 3")
    assert _panel(chart, World.VM).title == "VMs, rack 3 by host"
    assert _panel(chart, World.CONTAINER).title == "Containers, zone rack-3 by host"
    for world in rows48.worlds:
        panel = _panel(chart, world)
        assert [c.short for c in panel.curves] == [f"r3-h{i:02d}" for i in range(1, 9)]
        for curve in panel.curves:
            series = rows48.series(f"{world.value}/host/{curve.short}/cpu")
            np.testing.assert_allclose(curve.values, series.values, atol=1e-9)
    with pytest.raises(KeyError, match="no rack 7"):
        metrics.build(rows48, "memory", rack=7)
    # The other charts have no hosts to open.
    assert metrics.build(rows48, "availability", rack=3).racks == ()


def test_the_sums_are_worked_out_once_per_timeline(rows48):
    first = metrics.build(rows48, "memory")
    again = metrics.build(rows48, "memory")
    assert all(a.values is b.values for a, b in zip(first.curves(), again.curves(), strict=True))
    opened = metrics.build(rows48, "memory", rack=4).curves()
    assert opened[0].values is metrics.build(rows48, "memory", rack=4).curves()[0].values


# --- the charts panel --------------------------------------------------------------------------


def _charts(qtbot, timeline) -> ChartsPanel:
    controller = PlaybackController()
    controller.set_timeline(timeline)
    panel = ChartsPanel(controller)
    qtbot.addWidget(panel)
    panel.resize(1100, 330)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_a_lesson_of_few_hosts_has_no_rack_box(qtbot):
    panel = _charts(qtbot, simulate(resolve("failover")))
    panel.show_chart("memory")
    assert not panel.rack_box.isVisible()


def test_the_rack_box_opens_a_rack_from_the_keyboard_and_goes_back(qtbot, rows48):
    panel = _charts(qtbot, rows48)
    panel.show_chart("memory")
    view = panel.current()
    assert view is not None and panel.rack_box.isVisible()
    assert "band per rack" in panel.rack.toolTip()
    assert panel.rack.itemText(0) == ALL_RACKS and panel.rack.itemText(3) == "Rack 3 (zone rack-3)"
    plots = [id(p) for p in view.plots()]
    assert len(view.curve_items()) == 12  # 6 racks, 2 worlds
    # Keyboard reachable: the box takes focus by Tab, and the arrow keys pick a rack.
    assert panel.rack.focusPolicy() & Qt.FocusPolicy.TabFocus
    panel.rack.setFocus()
    qtbot.keyClick(panel.rack, Qt.Key.Key_Down)
    qtbot.keyClick(panel.rack, Qt.Key.Key_Down)
    assert panel.opened_rack() == 2
    chart = view.chart()
    assert chart is not None and chart.rack == 2
    assert [c.short for c in chart.curves()][:8] == [f"r2-h{i:02d}" for i in range(1, 9)]
    assert len(view.curve_items()) == 16
    assert [id(p) for p in view.plots()] == plots  # the plots stay: only the curves change
    # The CPU chart opens the same rack; the others have no rack box.
    panel.show_chart("cpu")
    cpu = panel.current()
    assert cpu is not None and cpu.chart().rack == 2 and panel.rack_box.isVisible()
    panel.show_chart("availability")
    assert not panel.rack_box.isVisible()
    # Back to every rack.
    panel.show_chart("memory")
    panel.open_rack(None)
    assert panel.rack.currentText() == ALL_RACKS
    assert view.chart().rack is None and len(view.curve_items()) == 12


def test_a_new_run_keeps_the_rack_open(qtbot, rows48):
    panel = _charts(qtbot, rows48)
    panel.show_chart("memory")
    panel.open_rack(4)
    controller = panel.controller
    controller.seek(120.0)
    scenario = rows48.scenario.with_event(HostFail(120.0, "r4-h01"))
    controller.set_timeline(simulate(scenario), keep_time=True)
    view = panel.current()
    assert view is not None and view.chart().rack == 4 and panel.opened_rack() == 4
    host = view.chart().curves()[0]
    assert host.short == "r4-h01" and host.value_at(121.0) == 0
    # A run of few hosts has no racks to open: every host a band again, the box hidden.
    controller.set_timeline(simulate(failover()))
    assert panel.opened_rack() is None and not panel.rack_box.isVisible()
    assert view.chart().racks == ()


def test_the_ghost_follows_the_rack_open(qtbot, rows48):
    panel = _charts(qtbot, rows48)
    panel.show_chart("memory")
    panel.open_rack(2)
    ghost = simulate(_scenario(6, 8, fail=3))
    panel.set_ghost(ghost)
    view = panel.current()
    assert view is not None
    # A stacked panel's ghost is its top: rack 2's whole reservation before, a line a panel.
    assert len(view.ghost_items()) == 2
    top = view.ghost_items()[0].yData
    before = metrics.build(ghost, "memory", rack=2)
    np.testing.assert_allclose(top, sum(c.values for c in before.panels[0].curves))


def test_a_legend_never_lists_more_than_24(qtbot, rows48, racks26):
    for timeline in (rows48, racks26):
        panel = _charts(qtbot, timeline)
        for rack in (None, 1):
            panel.open_rack(rack)
            for metric in ("memory", "cpu"):
                panel.show_chart(metric)
                view = panel.current()
                assert view is not None
                assert len(view.legend_names()) <= chart_racks.BAND_LIMIT
                for world_panel in view.chart().panels:
                    assert len(world_panel.curves) <= chart_racks.BAND_LIMIT


def test_the_band_under_the_pointer_is_read_out(qtbot, racks26):
    panel = _charts(qtbot, racks26)
    panel.show_chart("memory")
    view = panel.current()
    assert view is not None
    plot = view.plots()[0]
    curves = view.chart().panels[0].curves
    rack = next(k for k, c in enumerate(curves) if c.short == "Rack 9")
    below = sum(c.value_at(30.0) for c in curves[:rack])
    middle = below + curves[rack].value_at(30.0) / 2
    point = view.mapFromScene(plot.vb.mapViewToScene(QPointF(30.0, middle)))
    qtbot.mouseMove(view.viewport(), QPoint(point.x(), point.y()))
    assert "VMs: Rack 9 " in view.readout() and "; busiest " in view.readout()


# --- exported --------------------------------------------------------------------------------


def test_an_exported_chart_at_scale_keeps_its_text_legible_and_apart(qtbot, racks26):
    chart = metrics.build(racks26, "memory")
    view = ChartView()  # as ``vmc-gui export chart:...`` draws it
    qtbot.addWidget(view)
    view.resize(*view_size(chart))
    view.show()
    view.set_chart(chart)
    view.show_time(racks26.duration_s)
    QApplication.processEvents()
    assert len(view.legend_names()) <= chart_racks.BAND_LIMIT
    shown = view.label_rects()
    assert shown
    for i, (name, rect, plot) in enumerate(shown):
        assert plot.contains(rect), name
        assert not any(rect.intersects(there) for _, there, _ in shown[i + 1 :]), name
    for tag in view._tags:
        assert tag.text.textItem.font().pixelSize() >= LABEL_PX
    for plot in view.plots():
        assert plot.getAxis("left").style["tickFont"].pixelSize() >= 11


def test_a_chart_exported_from_the_app_is_of_the_rack_open(qtbot, tmp_path):
    path = tmp_path / "wide.toml"
    path.write_text(failover_text(racks=6, hosts_per_rack=8, **SMALL))
    window = shown_window(qtbot, tmp_path, (1280, 800))
    assert window.open_file(path)
    charts = window.charts
    assert charts is not None
    charts.show_chart("memory")
    charts.open_rack(5)
    svg = tmp_path / "memory.svg"
    options = export.ExportOptions()
    choice = PictureChoice("chart:memory", 100.0, "light", options, "svg", str(svg))
    export_picture(window, choice)
    text = svg.read_text()
    # Rack 5's hosts (eight bands a panel: a legend each names them), not the racks.
    assert "<title>Memory reserved on each host of rack 5" in text
    assert "r5-h08" in text and "Rack 1" not in text and "r1-h02" not in text
    assert charts.opened_rack() == 5  # the dock is as it was


def test_the_command_line_exports_a_chart_by_rack(qapp, tmp_path, capsys):
    scenario = tmp_path / "wide.toml"
    text = failover_text(racks=6, hosts_per_rack=8, events=RACK_FAIL.format(rack=2), **SMALL)
    scenario.write_text(text)
    csv = tmp_path / "memory.csv"
    assert main(["export", f"chart:{scenario}:memory", "--out", str(csv)]) == 0
    header = csv.read_text().splitlines()[0].split(",")
    assert len(header) == 1 + 12  # time, and 6 racks a world: not 96 hosts
    assert "VM world: Hyper-V failover cluster · Rack 2" in header
    png = tmp_path / "memory.png"
    argv = ["export", f"chart:{scenario}:memory", "--out", str(png), "--size", "1600x1000"]
    assert main(argv) == 0
    image = to_array(QImage(str(png)))
    assert image.shape[:2] == (1000, 1600)
