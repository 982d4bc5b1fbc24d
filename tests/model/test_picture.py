"""Reading the scenario a picture carries, without Qt: PNG text chunks of each kind, SVG
metadata, and every way a picture can be wrong ending in one ScenarioError."""

from __future__ import annotations

import struct
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vmc_gui.model import picture
from vmc_gui.model.errors import ScenarioError
from vmc_gui.model.library import bundled_text, resolve, scenario_names
from vmc_gui.model.loader import loads_scenario
from vmc_gui.model.picture import (
    KEY_AT,
    KEY_LESSON,
    KEY_SCENARIO,
    PNG_SIGNATURE,
    SVG_NAMESPACE,
    picture_from_bytes,
    png_texts,
    read_picture,
)
from vmc_gui.model.scenario_toml import dumps_scenario
from vmc_gui.sim import simulate

TOML = bundled_text("failover").decode("utf-8")
NO_SCENARIO = (
    "PICTURE.png: this picture has no vmc-gui scenario in it (exported by an older version, "
    "or by another program)"
)


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def text(key: str, value: str) -> bytes:
    return chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1"))


def ztext(key: str, value: bytes) -> bytes:
    return chunk(b"zTXt", key.encode("latin-1") + b"\0\0" + zlib.compress(value))


def itext(key: str, value: str, *, compressed: bool) -> bytes:
    raw = value.encode("utf-8")
    body = zlib.compress(raw) if compressed else raw
    head = key.encode("latin-1") + b"\0" + bytes([int(compressed), 0]) + b"en\0Key\0"
    return chunk(b"iTXt", head + body)


#: A real 1x1 picture's chunks, around the texts under test.
HEADER = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
PIXELS = chunk(b"IDAT", zlib.compress(b"\0\0\0\0"))
END = chunk(b"IEND", b"")


def png(*texts: bytes, after_pixels: bytes = b"") -> bytes:
    return PNG_SIGNATURE + HEADER + b"".join(texts) + PIXELS + after_pixels + END


def test_a_compressed_itxt_scenario_reads_back_with_its_line_breaks():
    data = png(
        text(KEY_AT, "200.0"),
        text(KEY_LESSON, "fault-tolerance"),
        itext(KEY_SCENARIO, TOML, compressed=True),
    )
    found = picture_from_bytes(data, "PICTURE.png")
    assert found.toml_text == TOML and "\n[scenario]\n" in found.toml_text
    assert (found.at_s, found.lesson) == (200.0, "fault-tolerance")
    assert found.load() == resolve("failover")


@pytest.mark.parametrize("kind", ["tEXt", "zTXt", "iTXt", "iTXt-compressed"])
def test_each_kind_of_text_chunk_is_read(kind):
    encoded = {
        "tEXt": lambda: text(KEY_SCENARIO, TOML),
        "zTXt": lambda: ztext(KEY_SCENARIO, TOML.encode("latin-1")),
        "iTXt": lambda: itext(KEY_SCENARIO, TOML, compressed=False),
        "iTXt-compressed": lambda: itext(KEY_SCENARIO, TOML, compressed=True),
    }[kind]()
    found = picture_from_bytes(png(encoded), "PICTURE.png")
    assert found.toml_text == TOML
    assert (found.at_s, found.lesson) == (0.0, "")  # no time said: the start


def test_texts_after_the_pixels_count_as_an_animated_png_writes_them():
    data = png(after_pixels=itext(KEY_SCENARIO, "héllo ✓\n", compressed=True))
    assert png_texts(data, "x.apng") == {KEY_SCENARIO: "héllo ✓\n"}


def test_the_first_of_a_key_wins_and_other_keys_are_left_alone():
    data = png(text("Software", "someone else"), text(KEY_AT, "5"), text(KEY_AT, "6"))
    assert png_texts(data, "x.png") == {KEY_AT: "5"}


def test_a_picture_without_a_scenario_says_so_in_one_line():
    for data in (png(), png(text("Software", "another program"), text(KEY_AT, "3"))):
        with pytest.raises(ScenarioError) as caught:
            picture_from_bytes(data, "PICTURE.png")
        assert caught.value.one_line() == NO_SCENARIO


def test_a_bad_scenario_in_a_picture_names_the_picture():
    data = png(text(KEY_SCENARIO, "[scenario]\nname = 3\n"))
    with pytest.raises(ScenarioError) as caught:
        picture_from_bytes(data, "p.png").load()
    assert caught.value.one_line().startswith("p.png (embedded scenario)")


@pytest.mark.parametrize("at", ["soon", "nan", "-1", "inf", "1e400"])
def test_a_time_that_is_not_seconds_is_refused(at):
    with pytest.raises(ScenarioError, match="not a number of seconds"):
        picture_from_bytes(png(text(KEY_SCENARIO, TOML), text(KEY_AT, at)), "p.png")


def test_a_cut_short_png_is_refused_wherever_it_is_cut():
    whole = png(text(KEY_AT, "2"), itext(KEY_SCENARIO, TOML, compressed=True))
    picture_from_bytes(whole, "p.png")
    for end in range(len(PNG_SIGNATURE), len(whole), 7):
        with pytest.raises(ScenarioError, match="cut short"):
            picture_from_bytes(whole[:end], "p.png")


def test_a_cut_short_compressed_text_is_refused():
    squeezed = zlib.compress(TOML.encode())[:-20]
    body = KEY_SCENARIO.encode() + b"\0\0" + squeezed
    with pytest.raises(ScenarioError, match="cut short"):
        picture_from_bytes(png(chunk(b"zTXt", body)), "p.png")


def test_a_damaged_text_is_refused_by_its_checksum():
    good = text(KEY_SCENARIO, TOML)
    bad = good[:-4] + bytes(4)
    with pytest.raises(ScenarioError, match="damaged"):
        picture_from_bytes(png(bad), "p.png")


def test_a_zip_bomb_stops_at_the_text_limit():
    bomb = zlib.compress(b"#" * 50_000_000, 9)  # about 50 kB that inflate to 50 MB
    assert len(bomb) < 100_000
    for encoded in (
        chunk(b"zTXt", KEY_SCENARIO.encode() + b"\0\0" + bomb),
        chunk(b"iTXt", KEY_SCENARIO.encode() + b"\0\1\0\0\0" + bomb),
    ):
        with pytest.raises(ScenarioError, match="over the 1,000,000-byte limit"):
            picture_from_bytes(png(encoded), "p.png")


def test_an_uncompressed_text_over_the_limit_is_refused():
    with pytest.raises(ScenarioError, match="byte limit"):
        picture_from_bytes(png(text(KEY_SCENARIO, "#" * 1_000_001)), "p.png")


def test_a_picture_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(picture, "MAX_PICTURE_BYTES", 1000)
    large = tmp_path / "large.png"
    large.write_bytes(png(text(KEY_SCENARIO, TOML)))
    with pytest.raises(ScenarioError, match="MB limit"):
        read_picture(large)


def test_what_is_not_a_picture_is_refused(tmp_path):
    with pytest.raises(ScenarioError, match="not a PNG or SVG picture"):
        picture_from_bytes(b"GIF89a\x01\x00", "p.png")
    with pytest.raises(ScenarioError, match="cannot read"):
        read_picture(tmp_path / "missing.png")
    with pytest.raises(ScenarioError, match="not a PNG picture"):
        png_texts(b"\x89PNX", "p.png")


@pytest.mark.parametrize("name", scenario_names())
def test_every_bundled_scenario_survives_the_trip_through_text(name):
    """A picture carries dumps_scenario's text: it must simulate to the same digest."""
    scenario = resolve(name)
    again = loads_scenario(dumps_scenario(scenario))
    assert again == scenario
    if scenario.runs:
        assert simulate(again).digest == simulate(scenario).digest


# --- SVG ---


def svg(metadata: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.2">\n'
        f"<title>t</title>\n<desc>vmc-gui</desc>\n{metadata}\n<g/></svg>\n"
    ).encode()


def test_an_svg_carries_its_scenario_in_metadata_escaped_or_in_cdata():
    escaped = TOML.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for body in (escaped, f"<![CDATA[{TOML}]]>"):
        data = svg(
            f'<metadata><vmc:scenario xmlns:vmc="{SVG_NAMESPACE}" at="200.5" '
            f'lesson="fault-tolerance">{body}</vmc:scenario></metadata>'
        )
        found = picture_from_bytes(data, "p.svg", svg=True)
        assert (found.toml_text, found.at_s, found.lesson) == (TOML, 200.5, "fault-tolerance")


def test_svg_references_and_line_breaks_read_as_xml_reads_them():
    data = svg(
        f'<metadata><x:scenario xmlns:x="{SVG_NAMESPACE}">a &lt;&#62;&#x26;&quot;\r\n'
        "b&#13;</x:scenario></metadata>"
    )
    assert picture_from_bytes(data, "p.svg").toml_text == 'a <>&"\nb\r'


def test_an_svg_without_our_metadata_has_no_scenario():
    other = '<metadata><o:scenario xmlns:o="https://example.org/x">[x]</o:scenario></metadata>'
    for data in (svg(""), svg(other), svg(f"<!-- {SVG_NAMESPACE} -->")):
        with pytest.raises(ScenarioError) as caught:
            picture_from_bytes(data, "PICTURE.png", svg=True)
        assert caught.value.one_line() == NO_SCENARIO


def test_an_svg_is_read_without_expanding_entities():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f'<svg><metadata><vmc:scenario xmlns:vmc="{SVG_NAMESPACE}">&b;</vmc:scenario>'
        "</metadata></svg>"
    ).encode()
    with pytest.raises(ScenarioError, match="unknown entity &b;"):
        picture_from_bytes(bomb, "p.svg", svg=True)


def test_a_cut_short_svg_is_refused():
    data = svg(f'<metadata><vmc:scenario xmlns:vmc="{SVG_NAMESPACE}">[scenario]')
    with pytest.raises(ScenarioError, match="cut short"):
        picture_from_bytes(data, "p.svg", svg=True)


# --- fuzzing: nothing but ScenarioError, whatever the bytes ---

VALID = png(text(KEY_AT, "2"), itext(KEY_SCENARIO, TOML, compressed=True))
VALID_SVG = svg(
    f'<metadata><vmc:scenario xmlns:vmc="{SVG_NAMESPACE}" at="3">{TOML}</vmc:scenario></metadata>'
)


def _read(data: bytes, svg_hint: bool) -> None:
    try:
        found = picture_from_bytes(data, "fuzz.png", svg=svg_hint)
        found.load()
    except ScenarioError:
        pass


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.booleans())
def test_random_bytes_give_a_scenario_error_or_nothing(data, svg_hint):
    _read(data, svg_hint)
    _read(PNG_SIGNATURE + data, svg_hint)
    _read(b"<svg>" + SVG_NAMESPACE.encode() + data, svg_hint)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([VALID, VALID_SVG]),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8),
    st.integers(0, 10**6),
)
def test_damaged_pictures_give_a_scenario_error_or_a_scenario(valid, flips, cut):
    data = bytearray(valid)
    for where, value in flips:
        data[where % len(data)] = value
    _read(bytes(data[: max(1, cut % (len(data) + 1))]), valid is VALID_SVG)


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(st.sampled_from([b"tEXt", b"zTXt", b"iTXt"]), st.binary(max_size=60)),
        max_size=5,
    )
)
def test_text_chunks_with_any_content_give_a_scenario_error_or_texts(chunks):
    data = png(*(chunk(kind, KEY_SCENARIO.encode() + b"\0" + body) for kind, body in chunks))
    _read(data, False)
