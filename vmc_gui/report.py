"""The human form of ``vmc-gui simulate``: what happened, then a phase table per world."""

from __future__ import annotations

from typing import Any

from vmc_gui.model.parameters import lookup
from vmc_gui.model.scenario import EventKind, Scenario

WORLD_TITLES = {
    "vm": "VM world: Hyper-V failover cluster",
    "container": "Container world: Kubernetes-style orchestrator",
}


def duration(seconds: float) -> str:
    """'9.6 s', '5 min 48.8 s', '2 h 3 min': what a stopwatch would show."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"{int(minutes)} min {rest:.1f} s"
    hours, minutes = divmod(minutes, 60)
    return f"{int(hours)} h {int(minutes)} min"


def _what_happens(scenario: Scenario) -> list[str]:
    lines = []
    for event in scenario.events:
        if event.kind is EventKind.SET:
            assert event.parameter is not None and event.value is not None
            unit = lookup(event.parameter).unit
            lines.append(f"At {event.at_s:g} s {event.parameter} is set to {event.value:g} {unit}.")
            continue
        verb = {
            EventKind.HOST_FAIL: "fails",
            EventKind.HOST_RECOVER: "comes back",
            EventKind.RACK_FAIL: "fails, every host in it",
        }[event.kind]
        subject = f"host {event.host}" if event.host else f"rack {event.rack}"
        lines.append(f"At {event.at_s:g} s {subject} {verb}.")
    return lines


def phase_report(scenario: Scenario, document: dict[str, Any]) -> str:
    out = [f"{scenario.title}  [{scenario.name}, seed {scenario.seed}, {scenario.duration_s:g} s]"]
    out += _what_happens(scenario)
    for name, value in scenario.parameters.overrides.items():
        out.append(
            f"Setting {name} = {value:g} {lookup(name).unit} (default {lookup(name).default:g})."
        )
    for world, summary in document["worlds"].items():
        out.append("")
        recovery = summary["recovery_s"]
        verdict = (
            f"recovered in {duration(recovery)}" if recovery is not None else "did not recover"
        )
        out.append(f"{WORLD_TITLES.get(world, world)}: {verdict}")
        if summary["phases"]:
            out.append(f"  {'phase':<28}{'start':>9}{'end':>9}{'takes':>14}")
            for phase in summary["phases"]:
                start, end = phase["start_s"], phase["end_s"]
                out.append(
                    f"  {phase['name']:<28}{start:>9.1f}{end:>9.1f}{duration(end - start):>14}"
                )
        if summary["reason"] and recovery is None:
            out.append(f"  why: {summary['reason']}")
        out.append(
            f"  {summary['events']:,} events; degraded {duration(summary['downtime_s'])}; "
            f"peak memory {summary['peak_memory_used_gb']:.1f} GB"
        )
    times = {
        w: s["recovery_s"] for w, s in document["worlds"].items() if s["recovery_s"] is not None
    }
    if len(times) > 1:
        first = min(times, key=lambda w: times[w])
        gap = max(times.values()) - times[first]
        out += ["", f"The {first} world recovered first, {duration(gap)} sooner."]
    out += ["", f"digest {document['digest']}"]
    return "\n".join(out) + "\n"
