"""Read the scenario an exported picture carries, without Qt: PNG (and APNG) text chunks,
or an SVG's ``<metadata>``.

Every export of something simulated writes the scenario's TOML text, the time on show and the
lesson into the picture (see :mod:`vmc_gui.ui.picture_meta`), so that ``vmc-gui open``,
``simulate`` and a drop on the window can reopen it.  A picture is untrusted input: it is
read with size limits (the file, each chunk, each decompressed text), and whatever is wrong
with it ends in a :class:`ScenarioError` with one line for the user.
"""

from __future__ import annotations

import math
import re
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from vmc_gui.model.errors import Problem, ScenarioError
from vmc_gui.model.loader import MAX_DURATION_S, MAX_FILE_BYTES, loads_scenario
from vmc_gui.model.scenario import Scenario

#: The text keys a picture carries: the scenario's TOML, the time shown (seconds, as a float's
#: repr), and the lesson on show (a slug from model.lessons), when there was one.
KEY_SCENARIO = "vmc-gui:scenario"
KEY_AT = "vmc-gui:at"
KEY_LESSON = "vmc-gui:lesson"
KEYS = (KEY_SCENARIO, KEY_AT, KEY_LESSON)

#: In an SVG: ``<metadata><vmc:scenario xmlns:vmc=SVG_NAMESPACE at=".." lesson="..">TOML
#: </vmc:scenario></metadata>``.  The address is ours by the .invalid rule: it names, it is
#: never fetched.
SVG_NAMESPACE = "https://vmc-gui.invalid/picture"
SVG_ELEMENT = "scenario"

PICTURE_SUFFIXES = (".png", ".apng", ".svg")

#: A picture larger than this is refused unread (a 16384-pixel-square export is well under).
MAX_PICTURE_BYTES = 64 * 1024 * 1024
#: The most text one chunk may hold, decompressed: a scenario file's own limit.  Decompressing
#: stops there, so a small chunk that inflates to gigabytes costs at most this much.
MAX_TEXT_BYTES = MAX_FILE_BYTES

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_TEXT_CHUNKS = (b"tEXt", b"zTXt", b"iTXt")
_NO_SCENARIO = (
    "this picture has no vmc-gui scenario in it (exported by an older version, or by another "
    "program)"
)


@dataclass(frozen=True, slots=True)
class PictureScenario:
    """What a picture says about itself: the scenario, the moment shown, the lesson."""

    toml_text: str
    at_s: float
    lesson: str
    #: The picture, as named in errors.
    source: str = "<picture>"

    def load(self) -> Scenario:
        """The scenario, checked as a file's is; its problems name the picture."""
        return loads_scenario(self.toml_text, source=f"{self.source} (embedded scenario)")


def is_picture(path: str | Path) -> bool:
    """Whether ``path`` names a picture (by its extension) rather than a scenario file."""
    return Path(path).suffix.lower() in PICTURE_SUFFIXES


def read_picture(path: str | Path) -> PictureScenario:
    """The scenario in the picture at ``path``, or ScenarioError saying why not."""
    source = str(path)
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_PICTURE_BYTES + 1)
    except OSError as err:
        raise _error(source, f"cannot read: {err.strerror or err}") from None
    return picture_from_bytes(data, source, svg=Path(path).suffix.lower() == ".svg")


def load_picture(path: str | Path) -> Scenario:
    """The scenario in the picture at ``path``, loaded."""
    return read_picture(path).load()


def picture_from_bytes(data: bytes, source: str, *, svg: bool = False) -> PictureScenario:
    """The scenario in a picture's bytes: a PNG by its signature, else SVG text when ``svg``
    or when it looks like XML."""
    if len(data) > MAX_PICTURE_BYTES:
        raise _error(source, f"larger than the {MAX_PICTURE_BYTES // 2**20} MB limit for pictures")
    if data.startswith(PNG_SIGNATURE):
        texts = png_texts(data, source)
    elif svg or data.lstrip()[:1] == b"<":
        texts = svg_texts(data, source)
    else:
        raise _error(source, "not a PNG or SVG picture")
    return _scenario_of(texts, source)


# --- PNG ------------------------------------------------------------------------------------


def png_texts(data: bytes, source: str, wanted: Iterable[str] = KEYS) -> dict[str, str]:
    """The text chunks (tEXt, zTXt, iTXt) of a PNG whose keys are ``wanted``: the first of
    each.  Other chunks are stepped over unread; the walk stops at IEND."""
    if not data.startswith(PNG_SIGNATURE):
        raise _error(source, "not a PNG picture")
    keys = set(wanted)
    found: dict[str, str] = {}
    view = memoryview(data)
    pos = len(PNG_SIGNATURE)
    while True:
        if pos + 12 > len(data):
            raise _error(source, "the PNG picture is cut short (damaged, or not all copied)")
        length, kind = struct.unpack_from(">I4s", data, pos)
        end = pos + 12 + length
        # PNG caps a chunk at 2**31 - 1 bytes; a longer one is damage, not data.
        if length > 0x7FFFFFFF or end > len(data):
            raise _error(source, "the PNG picture is cut short (damaged, or not all copied)")
        if kind == b"IEND":
            return found
        if kind in _TEXT_CHUNKS:
            body = bytes(view[pos + 8 : end - 4])
            key, _, _ = body.partition(b"\0")
            name = key.decode("latin-1")
            if name in keys and name not in found:
                (crc,) = struct.unpack_from(">I", data, end - 4)
                if zlib.crc32(kind + body) != crc:
                    raise _error(source, f"the picture's {name} text is damaged (bad checksum)")
                found[name] = _chunk_text(kind, body, source, name)
        pos = end


def _chunk_text(kind: bytes, body: bytes, source: str, name: str) -> str:
    """The text of a tEXt, zTXt or iTXt chunk (``body`` begins with its key)."""
    _, _, rest = body.partition(b"\0")
    if kind == b"tEXt":
        return _limited(rest, source, name).decode("latin-1")
    if kind == b"zTXt":
        if not rest:
            raise _error(source, f"the picture's {name} text is damaged")
        return _inflate(rest[1:], source, name).decode("latin-1")
    # iTXt: compression flag, method, language tag \0, translated key \0, UTF-8 text.
    if len(rest) < 2:
        raise _error(source, f"the picture's {name} text is damaged")
    compressed = rest[0]
    _language, sep1, rest = rest[2:].partition(b"\0")
    _translated, sep2, text = rest.partition(b"\0")
    if not (sep1 and sep2) or compressed not in (0, 1):
        raise _error(source, f"the picture's {name} text is damaged")
    raw = _inflate(text, source, name) if compressed else _limited(text, source, name)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _error(source, f"the picture's {name} text is not UTF-8") from None


def _limited(raw: bytes, source: str, name: str) -> bytes:
    if len(raw) > MAX_TEXT_BYTES:
        raise _error(source, f"the picture's {name} text is over the {MAX_TEXT_BYTES:,}-byte limit")
    return raw


def _inflate(raw: bytes, source: str, name: str) -> bytes:
    """Decompress at most MAX_TEXT_BYTES + 1 bytes: more is refused, however small ``raw``."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(raw, MAX_TEXT_BYTES + 1)
    except zlib.error:
        raise _error(source, f"the picture's {name} text is damaged (bad compression)") from None
    _limited(out, source, name)
    if not inflater.eof:
        raise _error(source, f"the picture's {name} text is cut short")
    return out


# --- SVG ------------------------------------------------------------------------------------

#: A start tag of our element, whatever prefix the namespace was given.
_SVG_START = re.compile(rf"<([A-Za-z_][\w.-]*):{SVG_ELEMENT}(?=[\s/>])")
_ATTRIBUTE = re.compile(r"""([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')""")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_REFERENCE = re.compile(r"&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z]{1,8});")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def svg_texts(data: bytes, source: str) -> dict[str, str]:
    """What the SVG's ``<prefix:scenario>`` element in our namespace says, by the keys a
    PNG uses.  A bounded scan, not an XML parser: nothing is fetched or expanded."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _error(source, "not a PNG picture, nor SVG text in UTF-8") from None
    if SVG_NAMESPACE not in text:
        return {}
    for start in _SVG_START.finditer(text):
        prefix = start.group(1)
        close = text.find(">", start.end())
        if close < 0:
            break
        attributes = _attributes(text[start.end() : close], source)
        if attributes.get(f"xmlns:{prefix}", SVG_NAMESPACE) != SVG_NAMESPACE:
            continue  # another vocabulary's "scenario"
        found = {KEY_AT: attributes.get("at", ""), KEY_LESSON: attributes.get("lesson", "")}
        if text[close - 1] == "/":  # <vmc:scenario/>: nothing in it
            return {k: v for k, v in found.items() if v}
        end = text.find(f"</{prefix}:{SVG_ELEMENT}>", close)
        if end < 0:
            raise _error(source, "the SVG picture is cut short (damaged, or not all copied)")
        found[KEY_SCENARIO] = _element_text(text[close + 1 : end], source)
        return {k: v for k, v in found.items() if v}
    return {}


def _attributes(tag: str, source: str) -> dict[str, str]:
    return {
        m.group(1): _unescape(m.group(2) or m.group(3) or "", source)
        for m in _ATTRIBUTE.finditer(tag)
    }


def _element_text(content: str, source: str) -> str:
    """An element's text: CDATA sections as they are, the rest with XML's references."""
    # XML reads every line break in the file as \n (before references: a &#13; stays \r).
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    parts, pos = [], 0
    for section in _CDATA.finditer(content):
        parts.append(_unescape(content[pos : section.start()], source))
        parts.append(section.group(1))
        pos = section.end()
    parts.append(_unescape(content[pos:], source))
    text = "".join(parts)
    _limited(text.encode("utf-8", "surrogatepass"), source, KEY_SCENARIO)
    return text


def _unescape(text: str, source: str) -> str:
    if "<" in text:
        raise _error(source, "the SVG picture's scenario holds markup where text belongs")

    def replace(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref[0] != "#":
            if ref not in _NAMED:
                raise _error(source, f"the SVG picture's scenario uses an unknown entity &{ref};")
            return _NAMED[ref]
        code = int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:])
        if not 0 < code <= 0x10FFFF:
            raise _error(source, f"the SVG picture's scenario has a bad character &{ref};")
        return chr(code)

    return _REFERENCE.sub(replace, text)


# --- what the texts say ---------------------------------------------------------------------


def _scenario_of(texts: dict[str, str], source: str) -> PictureScenario:
    toml_text = texts.get(KEY_SCENARIO, "")
    if not toml_text.strip():
        raise _error(source, _NO_SCENARIO)
    at = texts.get(KEY_AT, "0").strip() or "0"
    try:
        at_s = float(at)
    except ValueError:
        at_s = math.nan
    if not (math.isfinite(at_s) and 0.0 <= at_s <= MAX_DURATION_S):
        raise _error(source, f"the picture's time {at[:40]!r} is not a number of seconds")
    return PictureScenario(toml_text, at_s, texts.get(KEY_LESSON, "").strip(), source)


def _error(source: str, message: str) -> ScenarioError:
    return ScenarioError([Problem(source, None, "", message)])
