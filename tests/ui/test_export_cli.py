"""'vmc-gui export' from the command line: sizes, transparency, themes, SVG text, errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from contextlib import nullcontext

import numpy as np
import pytest
from PySide6.QtGui import QImage

from tests.ui.image_testing import to_array
from vmc_gui.cli import main


def export(tmp_path, capsys, *args, name="out.png"):
    out = tmp_path / name
    code = main(["export", "diagram:vm-vs-container", "--out", str(out), *args])
    return code, out, capsys.readouterr()


def test_png_size_follows_the_scale(qapp, tmp_path, capsys):
    _, one, _ = export(tmp_path, capsys, "--scale", "1", name="one.png")
    _, four, printed = export(tmp_path, capsys, "--scale", "4", name="four.png")
    small, large = QImage(str(one)), QImage(str(four))
    assert large.width() == 4 * small.width() and large.height() == 4 * small.height()
    assert f"({large.width()}x{large.height()})" in printed.out
    # Crisp, not upscaled: a 4x export has far more distinct edges than a blown-up 1x one.
    assert large.dotsPerMeterX() == pytest.approx(4 * small.dotsPerMeterX(), rel=0.01)


def test_png_size_can_be_exact(qapp, tmp_path, capsys):
    code, out, _ = export(tmp_path, capsys, "--size", "3840x2160")
    assert code == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (3840, 2160)
    # The background fills the whole picture, not only where the diagram lands.
    corner = to_array(image)[0, 0]
    assert corner[3] == 255 and corner[:3].min() > 200


def test_transparent_pngs_have_transparent_corners(qapp, tmp_path, capsys):
    _, out, _ = export(tmp_path, capsys, "--transparent", "--scale", "1")
    pixels = to_array(QImage(str(out)))
    for y, x in ((0, 0), (0, -1), (-1, 0), (-1, -1)):
        assert pixels[y, x, 3] == 0
    assert pixels[..., 3].max() == 255  # the diagram itself is opaque


def test_the_dark_theme_is_darker(qapp, tmp_path, capsys):
    _, light, _ = export(tmp_path, capsys, "--scale", "1", name="light.png")
    _, dark, _ = export(tmp_path, capsys, "--scale", "1", "--theme", "dark", name="dark.png")
    mean = {p: to_array(QImage(str(p)))[..., :3].mean() for p in (light, dark)}
    assert mean[dark] < mean[light] - 80


def test_svg_is_vectors_with_text_as_text(qapp, tmp_path, capsys):
    code, out, _ = export(tmp_path, capsys, name="out.svg")
    assert code == 0
    root = ET.parse(out).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "Hyper-V hypervisor (type 1)" in texts and "Host kernel (shared)" in texts
    assert list(root.iter(f"{ns}image")) == []  # no embedded bitmaps
    assert root.find(f"{ns}title").text == "Virtual machines and containers, side by side"


def test_an_existing_file_is_replaced_whole(qapp, tmp_path, capsys):
    out = tmp_path / "out.png"
    out.write_bytes(b"old")
    code, _, _ = export(tmp_path, capsys, "--scale", "1")
    assert code == 0 and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.png"]  # no temporary left behind


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["diagram:nope", "--out", "x.png"], "no diagram 'nope'; the diagrams are: vm"),
        (["diagram:vm", "--out", "x.jpg"], "export writes a .png or .svg file"),
        (["diagram:vm", "--out", "x.png", "--scale", "0"], "--scale 0 is outside 0.1..16"),
        (["diagram:vm", "--out", "x.png", "--size", "big"], "--size takes WIDTHxHEIGHT"),
        (["diagram:vm", "--out", "x.png", "--size", "99999x2"], "outside 1..16384"),
        (["diagram:vm", "--out", "x.png", "--scale", "2", "--size", "9x9"], "not both"),
        (["vm", "--out", "x.png"], "TARGET is diagram:NAME, lesson:NAME, cluster:SCENARIO or"),
        (["lesson:failover", "--out", "x.png"], "no lesson 'failover'; the lessons are: overview"),
        (["lesson:overview", "--out", "x.png", "--transparent"], "which has a background"),
        (["lesson:networking", "--out", "x.png", "--at", "5"], "the networking lesson has none"),
        (["lesson:fault-tolerance", "--out", "x.png", "--at", "601"], "--at 601 is outside"),
        (["lesson:overview", "--out", "x.png", "--size", "300x200"], "from 800x500 to"),
        (["lesson:overview", "--out", "x.csv"], "export writes a .png or .svg file"),
        (["lesson:overview", "--out", "x.png", "--size", "3840x2400", "--scale", "3"], "64-mega"),
        (["lesson:overview", "--out", "no/such/dir/x.png"], "does not exist"),
        (["diagram:vm", "--out", "x.png", "--at", "60"], "--at picks a moment of a scenario"),
        (["diagram:vm", "--out", "x.png", "--size", "10000x10000"], "over the 64-megapixel"),
        (["chart:failover:precopy", "--out", "x.png"], "no chart 'precopy' for failover"),
        (["chart:failover", "--out", "x.png"], "a chart is chart:SCENARIO:METRIC"),
        (["chart:failover:speed", "--out", "x.png"], "no chart 'speed'; the charts are"),
        (["chart:failover:cpu", "--out", "x.txt"], "writes a .png, .svg or .csv file"),
        (["cluster:failover", "--out", "x.csv"], "export writes a .png or .svg file"),
        (["chart:failover:cpu", "--out", "x.csv", "--at", "9"], "a CSV has every sample"),
        (["chart:compat:cpu", "--out", "x.png"], "it has none: nothing runs in it"),
        (["chart:failover:cpu", "--out", "x.png", "--at", "-1"], "--at -1 is outside the run"),
        (["cluster:failover", "--out", "x.png", "--at", "601"], "--at 601 is outside the run"),
        (["cluster:nope", "--out", "x.png"], "nope: no such scenario"),
        (["diagram:vm", "--out", "no/such/dir/x.png"], "does not exist"),
        (["diagram:vm", "--out", "x.png", "--theme", "pink"], "invalid choice: 'pink'"),
    ],
)
def test_bad_arguments_get_one_line_and_exit_2(qapp, tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) if "--theme" in args else nullcontext():
        code = main(["export", *args])
        assert code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not list(tmp_path.glob("*.png"))


def test_export_from_the_view_writes_what_it_shows(qtbot, tmp_path):
    from vmc_gui.ui.scenes.stack_scene import StackScene
    from vmc_gui.ui.scenes.stack_view import StackView

    scene = StackScene()
    scene.set_animations_enabled(False)
    scene.set_diagram("container")
    view = StackView(scene)
    qtbot.addWidget(view)
    size = view.export(tmp_path / "c.png", scale=2)
    image = QImage(str(tmp_path / "c.png"))
    assert (image.width(), image.height()) == (size.width(), size.height())
    assert image.width() == round(2 * scene.content_rect().width())
    svg = view.export(tmp_path / "c.svg")
    assert svg.width() > 0 and (tmp_path / "c.svg").read_text().count("<text") > 5
    assert np.asarray(to_array(image)).shape[2] == 4


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_a_lesson_exports_the_window_at_its_clock(qapp, tmp_path, capsys):
    """lesson:NAME is the app's window on the lesson: --size the window, --scale its pixel
    ratio, --at the lesson's clock."""
    paths = [tmp_path / f"{at}.png" for at in ("0", "90")]
    for path in paths:
        args = ["lesson:fault-tolerance", "--out", str(path), "--size", "1280x800"]
        assert main(["export", *args, "--scale", "1", "--at", path.stem]) == 0
    assert "(1280x800)" in capsys.readouterr().out
    start, later = (to_array(QImage(str(p))) for p in paths)
    assert start.shape[:2] == (800, 1280)
    assert (start != later).any(axis=2).sum() > 2000  # the clock moved: cards, bar, charts
    svg = tmp_path / "window.svg"
    assert main(["export", "lesson:fault-tolerance", "--out", str(svg)]) == 0
    texts = "".join(ET.parse(svg).getroot().itertext())
    assert "Fault tolerance" in texts and "VM world" in texts


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_the_overview_exports_in_the_dark_at_twice_the_pixels(qapp, tmp_path):
    from PySide6.QtWidgets import QApplication

    before = QApplication.palette().window().color(), QApplication.style().name()
    out = tmp_path / "table.png"
    assert main(["export", "lesson:overview", "--out", str(out), "--theme", "dark"]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (3200, 2000)  # 1600x1000 at the default 2x
    assert np.asarray(to_array(image))[..., :3].mean() < 90  # dark
    # The app's own looks stay.
    assert (QApplication.palette().window().color(), QApplication.style().name()) == before
