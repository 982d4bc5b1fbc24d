"""One rack of a chart drawn by rack, exported.  From the command line, ``vmc-gui export
chart:SCENARIO:memory|cpu --rack N`` draws rack N's hosts, a band each, in a still, a CSV or
an animation, and says which rack; a rack the scenario lacks, a chart not drawn by rack and a
target that is not a chart are refused with one line and exit 2, nothing written.  In the
app, File > Export and File > Export Animation draw the rack open in the charts.

The command line's cases use the bundled ``at-scale`` scenario (25 racks of 40 hosts, rack 12
fails at 60 s); the app's, a cluster of 6 racks of 8 (quicker to open)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

import numpy as np
import pytest
from PySide6.QtGui import QImage

from tests.scenarios import failover_text
from tests.ui.image_testing import to_array
from tests.ui.main_windows import shown_window
from tests.ui.test_animation_export import frames_of
from vmc_gui.cli import main
from vmc_gui.model.library import resolve
from vmc_gui.model.scenario import World
from vmc_gui.sim import chart_metrics as metrics
from vmc_gui.sim import simulate
from vmc_gui.ui import export, headless
from vmc_gui.ui.charts.chart_view import ChartView
from vmc_gui.ui.shell.animation_dialog import AnimationDialog
from vmc_gui.ui.shell.export_dialog import ExportDialog, PictureChoice, export_picture

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen

#: Rack 12 of at-scale: the rack that fails.
RACK12 = [f"r12-h{i:02d}" for i in range(1, 41)]
#: A few hundred replicas: every host holds some, and the run takes a second.
SMALL = {"replicas": 300, "memory_mb": 2048, "cpu": 0.5}


@pytest.fixture(scope="module")
def at_scale():
    """The at-scale run, simulated once for the module (what the exports are checked with)."""
    return simulate(resolve("at-scale"))


@pytest.fixture
def drawn(monkeypatch) -> list[ChartView]:
    """The chart views the command line draws its stills and animations with, kept open
    until the test ends, so that what they drew can be read."""
    views: list[ChartView] = []
    real = headless.chart_view

    @contextmanager
    def watched(chart: metrics.Chart, theme: str) -> Iterator[ChartView]:
        with real(chart, theme) as view:
            yield view
            views.append(view)

    monkeypatch.setattr(headless, "chart_view", watched)
    return views


def export_cli(*args: str) -> int:
    return main(["export", *args])


def _hosts_of(chart: metrics.Chart) -> list[list[str]]:
    return [[c.short for c in panel.curves] for panel in chart.panels]


# --- the command line ------------------------------------------------------------------------


def test_a_still_of_a_rack_draws_its_40_hosts_and_says_which(
    qapp, tmp_path, capsys, drawn, at_scale
):
    out = tmp_path / "rack12.svg"
    assert export_cli("chart:at-scale:memory", "--rack", "12", "--out", str(out)) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out}")
    (view,) = drawn
    chart = view.chart()
    assert chart is not None and chart.rack == 12 and chart.racks == tuple(range(1, 26))
    # A band per host of rack 12 in each world's panel: 80 curves, not 2 x 24 rack bands.
    assert _hosts_of(chart) == [RACK12, RACK12]
    assert len(view.curve_items()) == 80
    assert all(panel.stacked for panel in chart.panels)
    # The same bands as the app's Rack box opens.
    opened = metrics.build(at_scale, "memory", rack=12)
    for got, want in zip(chart.curves(), opened.curves(), strict=True):
        np.testing.assert_array_equal(got.values, want.values)
    # The picture says which rack: its title, and each panel's.
    text = out.read_text()
    title = f"Memory reserved on each host of rack 12 ({at_scale.scenario.title})"
    assert f"<title>{title}</title>" in text
    assert "VMs, rack 12 by host" in text and "Containers, zone rack-12 by host" in text
    assert "stacked by" not in text  # not the chart of every rack


def test_a_csv_of_a_rack_has_a_column_per_host(qapp, tmp_path, capsys, at_scale):
    out = tmp_path / "rack12.csv"
    assert export_cli("chart:at-scale:cpu", "--rack", "12", "--out", str(out)) == 0
    assert "(901 rows, 81 columns)" in capsys.readouterr().out
    text = out.read_text()
    assert text == metrics.to_csv(metrics.build(at_scale, "cpu", rack=12))
    header = text.splitlines()[0].split(",")
    vm, containers = World.VM.display_name, World.CONTAINER.display_name
    assert header == [
        "time_s",
        *(f"{vm} · {host}" for host in RACK12),
        *(f"{containers} · {host}" for host in RACK12),
    ]
    # Rack 12 fails at 60 s: each of its hosts holds cores before, none after.
    rows = [line.split(",") for line in text.splitlines()[1:]]
    assert all(float(v) > 0 for v in rows[59][1:]) and all(float(v) == 0 for v in rows[61][1:])


def test_an_animation_of_a_rack_is_its_stills(qapp, tmp_path, drawn):
    out = tmp_path / "rack12.apng"
    moving = ["--from", "30", "--to", "90", "--fps", "1", "--speed", "30"]  # at 30 and 60 s
    assert export_cli("chart:at-scale:cpu", "--rack", "12", "--out", str(out), *moving) == 0
    (view,) = drawn
    chart = view.chart()
    assert chart is not None and chart.rack == 12 and _hosts_of(chart) == [RACK12, RACK12]
    assert len(view.curve_items()) == 80
    frames, durations = frames_of(out)
    assert len(frames) == 2 and sum(durations) == 2_000
    # Its first frame is the still of rack 12 at that moment, pixel for pixel.
    still = tmp_path / "still.png"
    args = ["--rack", "12", "--out", str(still), "--scale", "1", "--at", "30"]
    assert export_cli("chart:at-scale:cpu", *args) == 0
    assert np.array_equal(frames[0], to_array(QImage(str(still))))


def test_the_run_before_is_drawn_for_the_same_rack(qapp, tmp_path, drawn):
    out = tmp_path / "rack12.svg"
    before = "kubernetes.default_unreachable_toleration_s=30"
    assert (
        export_cli("chart:at-scale:memory", "--rack", "12", "--compare", before, "--out", str(out))
        == 0
    )
    (view,) = drawn
    ghost = view.ghost()
    assert ghost is not None and ghost.rack == 12 and _hosts_of(ghost) == [RACK12, RACK12]
    assert len(view.ghost_items()) == 2  # a stacked panel's ghost: its top, a line a panel


@pytest.mark.parametrize("suffix", [".png", ".csv", ".apng"])
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["chart:at-scale:memory", "--rack", "26"], "no rack 26 in at-scale: racks 1 to 25"),
        (["chart:at-scale:cpu", "--rack", "0"], "no rack 0 in at-scale: racks 1 to 25"),
        (
            ["chart:at-scale:availability", "--rack", "3"],
            "the availability chart has no racks: --rack is for the memory and cpu charts",
        ),
        (
            ["chart:failover:memory", "--rack", "1"],
            "the memory chart of failover draws its 12 hosts a band each: --rack is for more "
            "than 24 hosts, drawn by rack",
        ),
        (
            ["cluster:at-scale", "--rack", "3"],
            "--rack opens a rack of a chart drawn by rack (chart:SCENARIO:memory or "
            "chart:SCENARIO:cpu), not of a cluster",
        ),
        (["lesson:fault-tolerance/at-scale", "--rack", "3"], "not of a lesson"),
        (["diagram:vm-vs-container", "--rack", "3"], "not of a diagram"),
        (["chart:at-scale:memory", "--rack", "twelve"], "argument --rack: invalid int value"),
    ],
)
def test_a_rack_that_cannot_be_opened_is_one_line_and_exit_2(
    qapp, tmp_path, capsys, monkeypatch, suffix, args, message
):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) if "twelve" in args else nullcontext():
        assert export_cli(*args, "--out", f"x{suffix}") == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


# --- the app -----------------------------------------------------------------------------------


def _window_on_a_rack(qtbot, tmp_path, metric: str, rack: int):
    """The app on 48 hosts (6 racks of 8), the chart ``metric`` on show with ``rack`` open."""
    path = tmp_path / "wide.toml"
    path.write_text(failover_text(racks=6, hosts_per_rack=8, **SMALL))
    window = shown_window(qtbot, tmp_path, (1280, 800))
    assert window.open_file(path)
    charts = window.charts
    assert charts is not None
    charts.show_chart(metric)
    charts.open_rack(rack)
    return window


def test_export_view_offers_the_chart_of_the_rack_open(qtbot, tmp_path):
    window = _window_on_a_rack(qtbot, tmp_path, "memory", 5)
    dialog = ExportDialog(window, "chart:memory")
    qtbot.addWidget(dialog)
    assert dialog.current_target().label == "Chart: Memory, rack 5"
    assert dialog.path.text().endswith("-memory-rack-5.png")
    # The other charts have no rack to open: as before.
    labels = [dialog.target.itemText(i) for i in range(dialog.target.count())]
    assert "Chart: Availability" in labels and "Chart: CPU, rack 5" in labels
    # Written, its title says the rack, as the command line's does.
    svg = tmp_path / "memory.svg"
    options = export.ExportOptions()
    export_picture(window, PictureChoice("chart:memory", 100.0, "light", options, "svg", str(svg)))
    text = svg.read_text()
    assert "<title>Memory reserved on each host of rack 5 (A host fails)</title>" in text
    assert "VMs, rack 5 by host" in text and "r5-h08" in text and "stacked by" not in text


def test_export_animation_plays_the_rack_open(qtbot, tmp_path):
    window = _window_on_a_rack(qtbot, tmp_path, "cpu", 3)
    dialog = AnimationDialog(window, "chart:cpu")
    qtbot.addWidget(dialog)
    assert dialog.current_target().label == "Chart: CPU, rack 3"
    assert dialog.path.text().endswith("-cpu-rack-3.apng")
    out = tmp_path / "cpu.apng"
    dialog.start.setValue(50.0)
    dialog.end.setValue(70.0)
    dialog.speed.setValue(10.0)
    dialog.fps.setValue(1.0)
    dialog.width_.setValue(640)
    dialog.height_.setValue(360)
    dialog.format.setCurrentIndex(dialog.format.findData(".apng"))
    dialog.path.setText(str(out))
    assert dialog.start_export()
    stage = dialog._stage
    assert stage is not None and stage._chart is not None
    chart = stage._chart.chart()
    assert chart is not None and chart.rack == 3
    assert _hosts_of(chart) == [[f"r3-h{i:02d}" for i in range(1, 9)]] * 2
    while dialog.render_slice():
        pass
    frames, _ = frames_of(out)
    assert len(frames) == 2 and frames[0].shape == (360, 640, 4)
    # Its first frame is the still the app exports of the rack open, at that moment.
    still = tmp_path / "still.png"
    options = export.ExportOptions(size=(640, 360))
    export_picture(window, PictureChoice("chart:cpu", 50.0, "light", options, "png", str(still)))
    assert np.array_equal(frames[0], to_array(QImage(str(still))))
    assert window.charts is not None and window.charts.opened_rack() == 3  # as it was
