"""The inspector's text for a lesson or an opened scenario file."""

from __future__ import annotations

from html import escape
from pathlib import Path

from vmc_gui.model.lessons import Row, Side
from vmc_gui.model.parameters import PARAMETERS
from vmc_gui.model.scenario import Scenario
from vmc_gui.model.stacks import diagram


def lesson_html(row: Row, side: str, scenario: Scenario | None, hint: str | None = None) -> str:
    """The lesson's text, what matters first: the seed's two cells (the side clicked first),
    what to try (``hint``, or the lesson's own), then what the scenario simulates and where
    its figures come from."""
    hint = row.hint if hint is None else hint
    sides = [Side.VM, Side.CONTAINER]
    if side == Side.CONTAINER.value:
        sides.reverse()
    quotes = "".join(
        f"<p><b>{escape(s.label)}</b>{' (you clicked this side)' if s.value == side else ''}"
        f"<br><i>{escape(row.cell(s))}</i></p>"
        for s in sides
    )
    to_try = f"<p><b>What to try</b><br>{escape(hint)}</p>" if hint else ""
    what = (
        f"<p><b>What happens</b><br>{escape(scenario.description)}</p>"
        if scenario is not None
        else ""
    )
    return (
        f"<h3>{escape(row.feature)}</h3>{quotes}{to_try}{what}{sources_html(_shown_settings(row))}"
        "<p><small>Click a layer of the diagram or hover a host for details.</small></p>"
    )


def _shown_settings(row: Row) -> tuple[str, ...]:
    """The settings a lesson shows figures of: its key settings, then those its diagram's
    words and layers read (each once)."""
    return tuple(dict.fromkeys((*row.key_settings, *diagram(row.diagram).parameters)))


def sources_html(names: tuple[str, ...]) -> str:
    """Where the lesson's figures come from: each source once, as a link to follow, the
    settings no source gives (assumed), and the documented figures applied by an assumed
    rule."""
    linked: dict[str, tuple[str, list[str]]] = {}
    assumed, ruled = [], []
    for name in names:
        p = PARAMETERS[name]
        if p.assumed:
            assumed.append(name)
        elif p.assumed_rule:
            ruled.append(name)
        if p.source_url:
            linked.setdefault(p.source_url, (p.source_title, []))[1].append(name)
    if not linked and not assumed:
        return ""
    items = "".join(
        f"<li><a href='{escape(url, quote=True)}'>{escape(title)}</a> "
        f"<small>({escape(', '.join(settings))})</small></li>"
        for url, (title, settings) in linked.items()
    )
    if assumed:
        items += (
            f"<li>Assumed, no published figure: <small>{escape(', '.join(assumed))}</small> "
            "(hover a setting for why)</li>"
        )
    if ruled:
        items += (
            "<li>A published figure, applied here by an assumed rule: "
            f"<small>{escape(', '.join(ruled))}</small></li>"
        )
    return f"<p><b>Sources</b></p><ul>{items}</ul>"


def scenario_html(scenario: Scenario, path: Path) -> str:
    """A scenario file's title and description; a description of several lines (an
    imported cluster's: its summary's counts) reads as its first line and a list."""
    first, *rest = scenario.description.splitlines() or [""]
    items = "".join(f"<li>{escape(line)}</li>" for line in rest if line.strip())
    listed = f"<ul><small>{items}</small></ul>" if items else ""
    return (
        f"<h3>{escape(scenario.title)}</h3><p>{escape(first)}</p>{listed}"
        f"<p><small>From {escape(str(path))}</small></p>"
    )


def further_links(row: Row, current: str) -> str:
    """The links between a lesson's own scenario and those that take it further, each under
    the question it answers: "Crashed or cut off? a host crashes · a switch fails for 3
    minutes · … — At scale? a rack of 40 fails …", the one on show in bold.  The row's own
    question comes first, with its own scenario; the others follow in the order of
    ``row.further``."""
    if not row.further:
        return ""
    groups: dict[str, list[tuple[str, str]]] = {
        row.further_title: [(row.scenario, "a host crashes")]
    }
    for f in row.further:
        groups.setdefault(f.asks(row), []).append((f.scenario, f.link))
    return " \N{EM DASH} ".join(
        f"{escape(question)} " + " · ".join(_link(row, name, text, current) for name, text in links)
        for question, links in groups.items()
    )


def _link(row: Row, name: str, text: str, current: str) -> str:
    if name == current:
        return f"<b>{escape(text)}</b>"
    return f"<a href='{escape(f'{row.slug}/{name}', quote=True)}'>{escape(text)}</a>"
