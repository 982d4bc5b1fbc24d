"""What an exported picture says about itself: the scenario it shows (the TOML text, with the
user's settings and injected failures), the time on show and the lesson, so that the picture
reopens (:mod:`vmc_gui.model.picture` reads it back).

PNG exports write :func:`metadata_for`'s dict as text chunks (``QImage.setText``; an animated
export writes the same dict as iTXt chunks); SVG exports carry it in ``<metadata>``
(:func:`embed_in_svg`).
"""

from __future__ import annotations

from vmc_gui.model.picture import KEY_AT, KEY_LESSON, KEY_SCENARIO, KEYS, SVG_ELEMENT, SVG_NAMESPACE
from vmc_gui.model.scenario import Scenario
from vmc_gui.model.scenario_toml import dumps_scenario

__all__ = ["KEYS", "embed_in_svg", "metadata_for"]


def metadata_for(scenario: Scenario, at_s: float, lesson: str = "") -> dict[str, str]:
    """The texts a picture of ``scenario`` at ``at_s`` seconds carries, by key (KEYS); the
    lesson is the one on show, else the one the scenario teaches, and left out if none."""
    texts = {KEY_SCENARIO: dumps_scenario(scenario), KEY_AT: repr(float(at_s))}
    lesson = lesson or scenario.lesson
    if lesson:
        texts[KEY_LESSON] = lesson
    return texts


def _escape(text: str, *, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if attribute:
        # An attribute's line breaks and tabs would read back as spaces: keep them as such.
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
        text = text.replace("\t", "&#9;")
    else:
        # XML reads a bare \r as \n: keep it as it is.
        text = text.replace("\r", "&#13;")
    return text


def svg_metadata(metadata: dict[str, str]) -> str:
    """``metadata`` as an SVG ``<metadata>`` element (the TOML as escaped text: no CDATA
    section to be broken by a ``]]>`` in a title)."""
    attributes = f' at="{_escape(metadata.get(KEY_AT, "0"), attribute=True)}"'
    if metadata.get(KEY_LESSON):
        attributes += f' lesson="{_escape(metadata[KEY_LESSON], attribute=True)}"'
    body = _escape(metadata.get(KEY_SCENARIO, ""))
    return (
        f'<metadata><vmc:{SVG_ELEMENT} xmlns:vmc="{SVG_NAMESPACE}"{attributes}>'
        f"{body}</vmc:{SVG_ELEMENT}></metadata>\n"
    )


def embed_in_svg(svg: bytes, metadata: dict[str, str] | None) -> bytes:
    """``svg`` with ``metadata`` in a ``<metadata>`` element after its description (or its
    title, or at the top of the ``<svg>`` element); unchanged when there is none."""
    if not metadata:
        return svg
    element = svg_metadata(metadata).encode("utf-8")
    for after in (b"</desc>", b"</title>"):
        at = svg.find(after)
        if at >= 0:
            at += len(after)
            break
    else:
        start = svg.find(b"<svg")
        at = svg.find(b">", start) + 1 if start >= 0 else 0
        if at <= 0:
            raise ValueError("not an SVG document: no <svg> element to put the scenario in")
    # On a line of its own, as Qt writes its elements.
    return svg[:at] + b"\n" + element.rstrip(b"\n") + svg[at:]
