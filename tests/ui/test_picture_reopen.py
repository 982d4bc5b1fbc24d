"""Pictures that reopen: every export of something simulated carries its scenario and time, and
'vmc-gui simulate', 'vmc-gui open', File > Open and a drop bring that scenario back, with the
same digest, at the same time."""

from __future__ import annotations

import dataclasses
import json
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog

from tests.ui.main_windows import shown_window
from vmc_gui.cli import main
from vmc_gui.model.errors import ScenarioError
from vmc_gui.model.library import resolve
from vmc_gui.model.loader import loads_scenario
from vmc_gui.model.picture import KEY_SCENARIO, picture_from_bytes, read_picture
from vmc_gui.model.scenario import EventKind
from vmc_gui.model.scenario_toml import dumps_scenario
from vmc_gui.sim import simulate
from vmc_gui.ui.picture_meta import KEYS, embed_in_svg, metadata_for

# Shown offscreen, every top-level window says its platform cannot pass size hints on.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

NO_SCENARIO = "this picture has no vmc-gui scenario in it"


def _digest(capsys, *args: str) -> str:
    capsys.readouterr()
    assert main(["simulate", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)["digest"]


def _export(capsys, target: str, out: Path, *args: str) -> Path:
    assert main(["export", target, "--out", str(out), *args]) == 0, capsys.readouterr().err
    return out


def _raw_texts(path: Path) -> dict[str, bytes]:
    """The PNG's text chunks as stored, read here without the code under test."""
    data, texts, pos = path.read_bytes(), {}, 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        key, _, rest = body.partition(b"\0")
        if kind == b"tEXt":
            texts[key.decode()] = rest
        elif kind == b"zTXt":
            texts[key.decode()] = zlib.decompress(rest[1:])
        elif kind == b"iTXt":
            _, _, value = rest[2:].split(b"\0", 2)
            texts[key.decode()] = zlib.decompress(value) if rest[0] else value
        pos += 12 + length
    return texts


@pytest.fixture
def window(qtbot, tmp_path):
    window = shown_window(qtbot, tmp_path, None)
    return window


# --- the command line ---


def test_exported_pictures_simulate_to_their_scenarios_digest(qapp, tmp_path, capsys):
    original = _digest(capsys, "failover")
    pictures = [
        _export(capsys, "cluster:failover", tmp_path / "cluster.png", "--at", "200"),
        _export(capsys, "cluster:failover", tmp_path / "cluster.svg", "--at", "200"),
        _export(capsys, "lesson:fault-tolerance", tmp_path / "lesson.png", "--at", "200"),
        _export(capsys, "chart:failover:availability", tmp_path / "chart.png"),
    ]
    for path in pictures:
        assert _digest(capsys, str(path)) == original, path.name
    cluster, svg, lesson, chart = (read_picture(p) for p in pictures)
    assert (cluster.at_s, svg.at_s, lesson.at_s) == (200.0, 200.0, 200.0)
    assert chart.at_s == resolve("failover").duration_s  # a chart shows the whole run
    assert lesson.lesson == "fault-tolerance"
    assert cluster.toml_text == svg.toml_text == dumps_scenario(resolve("failover"))
    # The TOML's line breaks survive in the stored chunk (Qt's writer texts would lose them).
    stored = _raw_texts(pictures[0])
    assert stored[KEY_SCENARIO].decode() == dumps_scenario(resolve("failover"))
    assert stored[KEY_SCENARIO].count(b"\n") > 20
    assert stored["vmc-gui:at"] == b"200.0"


def test_png_text_outside_latin_1_survives(qapp):
    """Qt stores Latin-1 text as zTXt, anything else as UTF-8 iTXt: both read back whole."""
    from PySide6.QtGui import QImage

    from vmc_gui.ui.export import png_bytes

    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    for toml in ("# café\n\n  [scenario]\n" * 3, "# ✓ → 終\n\t[scenario]\r\n" * 3):
        data = png_bytes(image, opaque=True, metadata={KEY_SCENARIO: toml, "vmc-gui:at": "1.5"})
        found = picture_from_bytes(data, "p.png")
        assert (found.toml_text, found.at_s) == (toml, 1.5)
    assert image.textKeys() == []  # the caller's image is left as it was


def test_set_overrides_apply_over_the_pictures_scenario(qapp, tmp_path, capsys):
    png = _export(capsys, "cluster:failover", tmp_path / "c.png")
    setting = "kubernetes.node_monitor_grace_period_s=20"
    edited = _digest(capsys, "failover", "--set", setting)
    assert _digest(capsys, str(png), "--set", setting) == edited != _digest(capsys, "failover")


def test_a_picture_without_a_scenario_is_one_line_and_exit_2(qapp, tmp_path, capsys):
    diagram = _export(capsys, "diagram:vm-vs-container", tmp_path / "diagram.png")
    svg = _export(capsys, "diagram:vm-vs-container", tmp_path / "diagram.svg")
    for path in (diagram, svg):
        capsys.readouterr()
        assert main(["simulate", str(path)]) == 2
        err = capsys.readouterr().err
        why = "(exported by an older version, or by another program)"
        assert err == f"vmc-gui: {path}: {NO_SCENARIO} {why}\n"  # one line
    assert main(["validate", str(diagram)]) == 2
    assert NO_SCENARIO in capsys.readouterr().err


def test_a_picture_path_also_serves_validate_and_export(qapp, tmp_path, capsys):
    png = _export(capsys, "cluster:failover", tmp_path / "c.png", "--at", "100")
    assert main(["validate", str(png)]) == 0
    assert f"{png}: ok" in capsys.readouterr().out
    again = _export(capsys, f"cluster:{png}", tmp_path / "again.png", "--at", "100")
    assert read_picture(again).toml_text == read_picture(png).toml_text


def test_pillow_itxt_chunks_read_back(tmp_path):
    """An animated export writes metadata_for's dict as iTXt chunks with Pillow."""
    image = pytest.importorskip("PIL.Image")
    png_plugin = pytest.importorskip("PIL.PngImagePlugin")
    scenario = resolve("failover").with_parameters({"vm.guest_boot_s": 61})
    info = png_plugin.PngInfo()
    for key, value in metadata_for(scenario, 12.5, "fault-tolerance").items():
        info.add_itxt(key, value, zip=True)
    path = tmp_path / "anim.apng"
    image.new("RGB", (4, 4)).save(path, "PNG", pnginfo=info)
    found = read_picture(path)
    assert (found.at_s, found.lesson) == (12.5, "fault-tolerance")
    assert found.load() == scenario


def test_metadata_keys_and_svg_round_trip_of_awkward_text():
    scenario = resolve("failover")
    scenario = dataclasses.replace(scenario, title='a ]]> <b> & "c" ✓\tand')
    texts = metadata_for(scenario, 7.0)
    assert set(texts) == set(KEYS)  # the scenario teaches a lesson: it is named
    svg = embed_in_svg(b'<svg xmlns="http://www.w3.org/2000/svg"><desc>d</desc></svg>', texts)
    found = picture_from_bytes(svg, "p.svg", svg=True)
    assert found.toml_text == texts[KEY_SCENARIO]
    assert loads_scenario(found.toml_text) == scenario


#: Every character XML 1.0 can carry (tab, line feed and carriage return the only controls).
_XML_TEXT = st.text(
    st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r")
        + "\ufffe\uffff",
    ),
    max_size=200,
)


@settings(max_examples=200)
@given(_XML_TEXT, _XML_TEXT, st.floats(0, 1e5))
def test_any_text_survives_the_trip_through_svg(toml, lesson, at):
    texts = {KEY_SCENARIO: toml + "[scenario]", "vmc-gui:at": repr(at), "vmc-gui:lesson": lesson}
    svg = embed_in_svg(b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', texts)
    found = picture_from_bytes(svg, "p.svg", svg=True)
    assert (found.toml_text, found.at_s, found.lesson) == (toml + "[scenario]", at, lesson.strip())


# --- the app ---


def test_export_view_carries_the_users_settings_and_failures(window, tmp_path, capsys):
    window.open_lesson("fault-tolerance")
    window.document.set_parameter("kubernetes.node_monitor_grace_period_s", 20)
    window.seek(30.0)
    window.fail_host("r3-h02")
    window.seek(150.0)
    edited = window.document.scenario
    assert any(e.kind is EventKind.HOST_FAIL and e.at_s == 30.0 for e in edited.events)
    view, whole = tmp_path / "view.png", tmp_path / "window.svg"
    assert window.files.export_view(view)
    assert window.files.export_window(whole)
    for path in (view, whole):
        found = read_picture(path)
        assert (found.at_s, found.lesson) == (150.0, "fault-tolerance")
        assert found.load() == edited
        assert _digest(capsys, str(path)) == simulate(edited).digest
    assert simulate(edited).digest != simulate(resolve("failover")).digest


def test_the_table_exports_no_scenario(window, tmp_path):
    window.open_overview()
    assert window.files.export_view(tmp_path / "table.png")
    with pytest.raises(ScenarioError, match=NO_SCENARIO):
        read_picture(tmp_path / "table.png")


def test_opening_a_picture_shows_its_lesson_at_its_time(window, tmp_path, capsys, monkeypatch):
    png = _export(capsys, "lesson:fault-tolerance", tmp_path / "lesson.png", "--at", "200")
    before = png.read_bytes()
    assert window.open_file(png)
    assert window.session.controller.time() == 200.0
    assert window.document.scenario == resolve("failover")
    assert window.document.path is None  # untitled: the picture is not its file
    assert "(from lesson.png)" in window.windowTitle()
    assert window.page.cluster is not None and window.page.cluster.isVisible()
    # Save asks where, and writes a scenario file: never the picture.
    asked = []
    chosen = str(tmp_path / "lesson.png")
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda *a, **k: asked.append(a) or (chosen, "Scenarios (*.toml)"),
    )
    window.menus.save_action.trigger()
    assert asked and png.read_bytes() == before
    saved = tmp_path / "lesson.png.toml"
    assert window.document.path == saved
    assert loads_scenario(saved.read_bytes()) == resolve("failover")


def test_a_dropped_picture_opens_at_its_time(window, qtbot, tmp_path, capsys):
    svg = _export(capsys, "cluster:failover", tmp_path / "dropped.svg", "--at", "90")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(svg))])
    event = QDropEvent(
        QPointF(200, 200),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert event.isAccepted()
    qtbot.waitUntil(lambda: window.document is not None)
    assert window.session.controller.time() == 90.0
    assert "(from dropped.svg)" in window.windowTitle()


def test_a_picture_without_a_scenario_is_explained_and_the_app_goes_on(window, tmp_path, capsys):
    window.open_lesson("fault-tolerance")
    kept = window.document
    diagram = _export(capsys, "diagram:vm-vs-container", tmp_path / "diagram.png")
    assert not window.open_file(diagram)
    assert window.error_dialog is not None and window.error_dialog.isVisible()
    assert NO_SCENARIO in window.error_dialog.text()
    assert window.document is kept
    window.error_dialog.close()
    assert window.open_file(_export(capsys, "cluster:failover", tmp_path / "c.png"))
