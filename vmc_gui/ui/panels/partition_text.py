"""The words of the inspector's partition note (``partition_note``): what is down, who is cut
off, and who keeps each platform's brain, at one time of a run.  Apart from the note's widget
code so that the first screen, which builds the note, loads no engine or numpy.  Who keeps each
platform's brain, with how many votes, is the engine's decision as its log gives it
(``sim.partitions``): only who runs where is the network's."""

from __future__ import annotations

from html import escape

from vmc_gui.model.quorum import Witness
from vmc_gui.model.scenario import Platform, World
from vmc_gui.report import duration
from vmc_gui.sim.network import NetState
from vmc_gui.sim.partition_decisions import PartitionDecision
from vmc_gui.sim.partitions import (
    NetworkStory,
    control_plane,
    describe_hosts,
    failover_quorum,
    zones_at,
)
from vmc_gui.sim.records import ZoneState
from vmc_gui.sim.timeline import Timeline

_ZONE_WORDS = {
    ZoneState.NORMAL: "normal",
    ZoneState.PARTIAL: "partially disrupted",
    ZoneState.FULL: "fully disrupted",
}


def partition_html(timeline: Timeline, story: NetworkStory, t: float) -> str:
    """The note at ``t``: the network's state, who is cut off, and each world's answer."""
    state = story.state_at(t)
    spec = story.spec
    head = f"<h4>The network at {escape(duration(t))}</h4>"
    if state.intact:
        since = story.since(t)
        words = "Every switch and link works" + (
            ": the partition has healed." if since is not None else " (so far)."
        )
        return head + f"<p>{words}</p>"
    cut = story.cut_off_at(t)
    lines = [f"<p><b>Down:</b> {escape(_down_words(state))}.</p>"]
    if cut:
        reach = story.reach_at(t)
        parts = [p for p in reach.partitions if not p & reach.reach_clients]
        split = ""
        if len(parts) > 1:
            alone = all(len(p) == 1 for p in parts)
            split = f", {'each host alone' if alone else f'in {len(parts)} parts'}"
        lines.append(
            f"<p><b>Cut off, still running:</b> {escape(describe_hosts(cut, spec))}{split}. "
            "The clients cannot reach them; to the rest of the cluster they are as silent as "
            "crashed hosts.</p>"
        )
    for world, wt in timeline.worlds.items():
        title = f"<b>{escape(world.display_name.split(':')[0])}</b>"
        if world.platform is Platform.VM:
            clusters = failover_quorum(wt, t)
            words = " ".join(_quorum_words(q, story, t, len(clusters) > 1) for q in clusters)
        else:
            plane = control_plane(wt, t)
            words = _control_plane_words(plane, story, t) + " " + _zones_words(world, timeline, t)
        lines.append(f"<p>{title}: {words[:1].upper()}{words[1:]}</p>")
    return head + "".join(lines)


def _down_words(state: NetState) -> str:
    parts = [
        "the core switch" if s == "core" else f"switch {s}" for s in sorted(state.failed_switches)
    ]
    dash = " \N{EN DASH} "
    parts += [
        f"the link {dash.join(sorted(link))}" for link in sorted(state.failed_links, key=sorted)
    ]
    return ", ".join(parts)


def _quorum_words(q: PartitionDecision, story: NetworkStory, t: float, numbered: bool) -> str:
    """Failover cluster ``q.pool``'s quorum as the engine last logged it; the hosts named are
    those that run at ``t``."""
    off = story.off_at(t)
    name = f"Failover cluster {q.pool + 1}" if numbered else "The failover cluster"
    total, need, nodes = q.total, q.needed, q.nodes
    if q.witness_votes:
        reached_by = q.witness_reached_by - off
        where = (
            f"reached by {escape(describe_hosts(reached_by, story.spec))}"
            if reached_by
            else "which no part reaches"
        )
        counted = f"{nodes} nodes and {escape(q.witness_place)}, {where}"
    elif q.zeroed:
        counted = f"{nodes} nodes: dynamic quorum zeroed {escape(q.zeroed)}'s vote"
    else:
        counted = f"{nodes} nodes; {escape(q.witness_place)}"
        if q.witness is not Witness.NONE:
            counted += ", whose vote does not count with an odd number of nodes"
    lead = f"{name}: {total} votes, {need} needed ({counted})."
    if q.keeper is not None:
        keeper = escape(describe_hosts(q.keeper - off, story.spec))
        others = (
            ""
            if len(story.reach_at(t).partitions) == 1
            else (
                " The nodes outside are isolated: their VMs run Unmonitored, or pause where "
                "their node lost the storage too."
            )
        )
        return f"{lead} <b>Kept by {keeper}</b>, with {q.held}.{others}"
    return (
        f"{lead} No part holds {need} (at most {q.held}): <b>no quorum</b>. The cluster service "
        "stops everywhere, and nothing fails over."
    )


def _control_plane_words(plane: PartitionDecision | None, story: NetworkStory, t: float) -> str:
    """Where the engine last put the control plane (the hosts that run at ``t``)."""
    if plane is None:
        return ""
    if plane.keeper is None:
        return (
            f"control plane <b>frozen: no etcd majority</b> (its {plane.total} members are cut "
            f"apart, at most {plane.held} together). No node is marked NotReady, nothing is "
            "evicted or scheduled, and the kubelets keep their pods running."
        )
    hosts = plane.keeper - story.off_at(t)
    where = describe_hosts(hosts, story.spec) if hosts else "no host"
    return (
        f"the control plane works with {escape(where)} ({plane.held} of {plane.total} "
        "etcd members: a majority)."
    )


def _zones_words(world: World, timeline: Timeline, t: float) -> str:
    zones = zones_at(timeline.worlds[world], t)
    if not zones:
        return ""
    parts = []
    for name, state, rate in zones:
        rule = "no evictions" if rate <= 0 else f"evicts {rate:g}/s"
        parts.append(f"{escape(name or 'the one zone')} {_ZONE_WORDS[state]} ({rule})")
    return "Zones: " + "; ".join(parts) + "."
