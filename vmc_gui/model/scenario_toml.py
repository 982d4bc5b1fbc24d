"""Write a Scenario back as TOML that the loader reads into the same Scenario.

"Save as" in the app writes this: the scenario as opened, with the settings the user changed
(in ``[parameters]``) and the failures the user injected (as ``[[events]]``).  Every field the
loader reads is written, defaults included, so that the file says everything it means.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from vmc_gui.model.cluster import HostSpec
from vmc_gui.model.parameters import Value
from vmc_gui.model.scenario import Scenario, ServiceSpec, TimedEvent
from vmc_gui.model.taints import Toleration

#: TOML's escapes for a basic string; every other control character becomes \\uXXXX.
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f"}
_ESCAPES["\r"] = "\\r"


def _string(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)  # shortest round-trip form; the loader refuses inf and nan
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):  # an inline table, its None values left out
        pairs = (f"{key} = {_value(v)}" for key, v in value.items() if v is not None)
        return "{" + ", ".join(pairs) + "}"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _table(header: str, pairs: Iterable[tuple[str, object]]) -> list[str]:
    lines = [header]
    lines.extend(f"{key} = {_value(value)}" for key, value in pairs if value is not None)
    return [*lines, ""]


def _host(host: HostSpec) -> list[tuple[str, object]]:
    return [
        ("name", host.name),
        ("rack", host.rack),
        ("cores", host.cores),
        ("memory_gb", host.memory_gb),
        ("disk_gb", host.disk_gb),
        ("pods", host.pods),
        ("taints", list(host.taints) if host.taints else None),
        ("zone", host.zone or None),
        ("down", True if host.down else None),
    ]


def _service(service: ServiceSpec) -> list[tuple[str, object]]:
    return [
        ("name", service.name),
        ("replicas", service.replicas),
        ("cpu", service.cpu),
        ("memory_mb", service.memory_mb),
        ("image", service.image),
        ("image_mb", service.image_mb),
        ("worlds", [w.value for w in service.worlds] if service.worlds else None),
        ("toleration_s", service.toleration_s),
        ("termination_grace_period_s", service.termination_grace_period_s),
        ("pdb_max_unavailable", service.pdb_max_unavailable),
        ("kind", service.kind.value),
        ("tolerations", [_toleration(t) for t in service.tolerations] or None),
        ("placement", list(service.placement) or None),
    ]


def _toleration(toleration: Toleration) -> dict[str, object]:
    return {
        "key": toleration.key or None,
        "operator": toleration.operator,
        "value": toleration.value or None,
        "effect": toleration.effect or None,
        "seconds": toleration.seconds,
    }


def _event(event: TimedEvent) -> list[tuple[str, object]]:
    # Every kind's fields are its TOML keys (model/events.py), so no kind can be missed here.
    fields = [(f.name, getattr(event, f.name)) for f in dataclasses.fields(event)]
    return [fields[0], ("kind", event.kind.value), *fields[1:]]


def dumps_scenario(scenario: Scenario) -> str:
    """``scenario`` as a TOML document."""
    c = scenario.cluster
    # The title on one printable line: a comment cannot hold a line break or a control.
    heading = "".join(ch if ch.isprintable() else " " for ch in scenario.title)
    lines = [f"# {heading}", "# Written by vmc-gui; 'vmc-gui validate FILE' checks it.", ""]
    lines += _table(
        "[scenario]",
        [
            ("name", scenario.name),
            ("title", scenario.title),
            ("lesson", scenario.lesson or None),
            ("description", scenario.description),
            ("seed", scenario.seed),
            ("duration_s", scenario.duration_s),
            ("sample_step_s", scenario.sample_step_s),
            ("worlds", [w.value for w in scenario.worlds]),
        ],
    )
    if c.hosts:  # the long form: each host its own, [cluster] the cluster's own keys
        lines += _table("[cluster]", [("shared_storage", c.shared_storage), ("zones", c.zones)])
        for host in c.hosts:
            lines += _table("[[hosts]]", _host(host))
    else:
        lines += _table(
            "[cluster]",
            [
                ("racks", c.racks),
                ("hosts_per_rack", c.hosts_per_rack),
                ("cores", c.cores),
                ("memory_gb", c.memory_gb),
                ("disk_gb", c.disk_gb),
                ("shared_storage", c.shared_storage),
                ("zones", c.zones),
            ],
        )
    for service in scenario.services:
        lines += _table("[[services]]", _service(service))
    for event in scenario.events:
        lines += _table("[[events]]", _event(event))
    overrides: dict[str, Value] = dict(scenario.parameters.overrides)
    if overrides:
        # Quoted, so that a name reads as the one setting it is ("kubernetes.max_pods").
        lines += _table("[parameters]", [])[:-1]
        lines += [f"{_string(name)} = {_value(v)}" for name, v in overrides.items()] + [""]
    if scenario.compat is not None:
        lines += _table(
            "[compat]",
            [("hosts", list(scenario.compat.hosts)), ("guests", list(scenario.compat.guests))],
        )
    return "\n".join(lines).rstrip("\n") + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: into a file beside it, then moved over
    it (an interrupted write leaves the old file, or none)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
