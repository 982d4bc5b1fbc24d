"""The human form of ``vmc-gui simulate``: what happens, then each world's figures and phases.

Each world gets a one-line verdict in the terms of its lesson (recovered in, reached
capacity in, updated in, moved with a blackout of, exposed), then its phase table.
"""

from __future__ import annotations

import re
from typing import Any, assert_never

from vmc_gui.model.compat import SYSTEMS, runtime_title
from vmc_gui.model.events import (
    Drain,
    Exploit,
    HostFail,
    HostRecover,
    LinkFail,
    LinkRecover,
    Load,
    OutOfService,
    RackFail,
    Rebalance,
    Scale,
    SetParameter,
    SwitchFail,
    SwitchRecover,
    TimedEvent,
    Update,
    ZoneFail,
    is_fault,
)
from vmc_gui.model.parameters import lookup
from vmc_gui.model.scenario import Scenario, World


def duration(seconds: float) -> str:
    """'11.1 ms', '9.6 s', '5 min 48.8 s', '2 h 3 min': what a stopwatch would show."""
    if 0 < seconds < 0.99995:
        return f"{seconds * 1000:.1f} ms"
    # Rounded before it is split, or 239.99 s would read "3 min 60.0 s".
    seconds = round(seconds, 1)
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"{int(minutes)} min {rest:.1f} s"
    hours, minutes = divmod(minutes, 60)
    return f"{int(hours)} h {int(minutes)} min"


def describe_event(event: TimedEvent) -> str:
    """One sentence for ``event``, as the report lists it."""
    at = f"At {event.at_s:g} s"
    match event:
        case SetParameter(parameter=name, value=value):
            unit = lookup(name).unit
            return f"{at} {name} is set to {value:g} {unit}."
        case Scale(service=service, replicas=replicas):
            return f"{at} demand for {service} becomes {replicas} instances."
        case Update(service=service):
            return f"{at} {service}'s operating system gets its monthly update."
        case Rebalance(host=host, count=count):
            return f"{at} host {host} runs hot: {count} instances must leave it."
        case Exploit(service=service):
            return f"{at} an attacker escapes from {service}'s app into the kernel."
        case Load(host=host, value=value):
            return (
                f"{at} the instances on host {host} get busier: each uses {value:g} times the CPU."
            )
        case Drain(host=host):
            return f"{at} host {host} is drained for maintenance."
        case OutOfService(host=host):
            return f"{at} the administrator confirms host {host} is down (out-of-service taint)."
        case HostFail(host=host):
            return f"{at} host {host} fails."
        case HostRecover(host=host):
            return f"{at} host {host} comes back."
        case RackFail(rack=rack):
            return f"{at} rack {rack} fails, every host in it."
        case ZoneFail(zone=zone):
            return f"{at} zone {zone} fails, every host in it."
        case SwitchFail(switch=switch):
            return f"{at} switch {switch} fails: the hosts behind it are cut off, still running."
        case SwitchRecover(switch=switch):
            return f"{at} switch {switch} works again."
        case LinkFail(a=a, b=b):
            return f"{at} the link between {a} and {b} is cut."
        case LinkRecover(a=a, b=b):
            return f"{at} the link between {a} and {b} is restored."
        case _:
            assert_never(event)


def verdicts(summary: dict[str, Any]) -> list[str]:
    """The world's lesson figures in words, most telling first."""
    out = []
    if summary.get("_network"):
        # Cut off is not down: what a partition costs is reach, and copies that run twice.
        twice = summary["max_duplicates"]
        out.append(f"clients cut off {duration(summary['unreachable_s'])}")
        out.append(
            f"{twice} workload{'s' * (twice != 1)} ran two copies at once"
            if twice
            else "nothing ran twice"
        )
    elif "recovery_s" in summary and summary.get("_fault"):
        recovery = summary["recovery_s"]
        out.append(
            f"recovered in {duration(recovery)}" if recovery is not None else "did not recover"
        )
    if "time_to_capacity_s" in summary:
        t = summary["time_to_capacity_s"]
        out.append(
            f"reached capacity in {duration(t)}" if t is not None else "never reached capacity"
        )
        out.append(f"{summary['instances']:,} instances ready")
        if summary.get("limiting_resource"):
            out.append(f"limited by {summary['limiting_resource']}")
        out.append(f"{summary['overhead_gb']:.1f} GB spent on per-instance overhead")
    if "min_ready_replicas" in summary:
        t = summary["update_duration_s"]
        out.append(f"updated in {duration(t)}" if t is not None else "update not finished")
        exposure = summary.get("mean_exposure_s")
        if exposure is not None:
            out.append(f"each instance unpatched for {duration(exposure)} on average")
        out.append(f"never fewer than {summary['min_ready_replicas']} ready")
        patched = summary.get("instances_patched", 0)
        if "images_built" in summary:
            out.append(f"{summary['images_built']} image built, {patched} pods replaced")
        elif patched:
            out.append(f"{patched} guests each patched in place")
    if "blackout_ms" in summary:
        if summary["state_kept"] and summary["blackout_ms"] is None:
            out.append(f"moved {summary['moved']} live: no migration reached its blackout")
        elif summary["state_kept"]:
            out.append(
                f"moved {summary['moved']} live, blackout {summary['blackout_ms']:.1f} ms "
                f"after {summary['migration_rounds']} pre-copy rounds"
            )
        else:
            out.append(
                f"replaced {summary['replaced']}, moved none: no blackout, in-memory state lost"
            )
    if summary.get("balancer_moves"):
        moves = summary["balancer_moves"]
        out.append(f"VM Load Balancing moved {moves} VM{'s' * (moves != 1)} off a hot node")
    if "descheduler_evictions" in summary:
        evicted = summary["descheduler_evictions"]
        gap = summary.get("eviction_gap_s") or 0.0
        out.append(
            f"the descheduler evicted {evicted} pod{'s' * (evicted != 1)} by requests, "
            f"each missing until its replacement started ({duration(gap)} in all)"
        )
    if "exposed_tenants" in summary:
        out.append(
            f"the exploit reaches {summary['exposed_tenants']} tenant"
            f"{'s' * (summary['exposed_tenants'] != 1)} "
            f"({', '.join(summary['exposed_tenant_names'])}), stopped by "
            f"{summary['stopped_by']}"
        )
    if summary.get("data_unavailable"):
        out.append("its data is unavailable until the failed host returns")
    return out


#: A log detail's note on its rule's standing ("(…, stated)"): the report leaves it out.
_STANDING = re.compile(r" \([^()]*(?:stated|inferred|assum)[^()]*\)")


def _without_sources(detail: str) -> str:
    return _STANDING.sub("", detail)


def _matrix(rows: list[dict[str, str]]) -> list[str]:
    guests = list(dict.fromkeys(r["guest"] for r in rows))
    hosts = list(dict.fromkeys(r["host"] for r in rows))
    width = max(len(SYSTEMS[h].title) for h in hosts) + 2
    cell = max(len(SYSTEMS[g].title) for g in guests) + 2
    short = {
        "allowed": "allowed",
        "refused": "refused",
        "hyperv-isolation-only": "Hyper-V only",
        "runs-unsupported": "unsupported",
    }
    answers = {(r["host"], r["guest"]): short.get(r["answer"], r["answer"]) for r in rows}
    header = "".join(SYSTEMS[g].title.ljust(cell) for g in guests).rstrip()
    out = ["  " + "host \\ guest".ljust(width) + header]
    for h in hosts:
        out.append(
            "  "
            + SYSTEMS[h].title.ljust(width)
            + "".join(answers[h, g].ljust(cell) for g in guests).rstrip()
        )
    return out


def phase_report(scenario: Scenario, document: dict[str, Any]) -> str:
    out = [f"{scenario.title}  [{scenario.name}, seed {scenario.seed}, {scenario.duration_s:g} s]"]
    out += [describe_event(event) for event in scenario.events]
    for name, value in scenario.parameters.overrides.items():
        p = lookup(name)
        out.append(f"Setting {name} = {p.describe(value)} (default {p.describe(p.default)}).")
    faulted = any(is_fault(event) for event in scenario.events)
    network = scenario.cuts_network
    for world, summary in document["worlds"].items():
        out.append("")
        said = verdicts({**summary, "_fault": faulted, "_network": network})
        out.append(
            f"{World(world).display_name}: {'; '.join(said)}" if said else World(world).display_name
        )
        if "matrix" in summary:
            out[-1] = runtime_title(World(world))  # this lesson's runtimes, by their names
            out += _matrix(summary["matrix"])
            continue
        if summary["phases"]:
            out.append(f"  {'phase':<34}{'start':>9}{'end':>9}{'takes':>14}")
            for phase in summary["phases"]:
                start, end = phase["start_s"], phase["end_s"]
                out.append(
                    f"  {phase['name']:<34}{start:>9.1f}{end:>9.1f}{duration(end - start):>14}"
                )
        for note in summary.get("partition", []):
            out.append(f"  at {note['at_s']:.1f} s: {_without_sources(note['what'])}")
        if summary["reason"] and faulted and summary["recovery_s"] is None:
            out.append(f"  why: {summary['reason']}")
        out.append(
            f"  {summary['events']:,} events; degraded {duration(summary['downtime_s'])}; "
            f"peak memory {summary['peak_memory_used_gb']:.1f} GB"
        )
    times = {
        w: s["recovery_s"] for w, s in document["worlds"].items() if s["recovery_s"] is not None
    }
    if faulted and not network and len(times) > 1:
        first = min(times, key=lambda w: times[w])
        gap = max(times.values()) - times[first]
        if duration(gap) == duration(0.0):  # a tie as the report rounds it
            out += ["", "Every world recovered at the same time."]
        else:
            out += ["", f"The {first} world recovered first, {duration(gap)} sooner."]
    out += ["", f"digest {document['digest']}"]
    return "\n".join(out) + "\n"
