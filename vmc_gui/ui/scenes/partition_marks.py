"""What a network partition adds to the cluster view at a time: which cards run cut off, which
workloads run twice and where, and what a workload's tooltip adds (Unmonitored, waiting on
its identity).  Read from the timeline once (``sim.partitions``, ``sim.doubles``), asked per
frame; nothing here is Qt's, so the scene stays a projection of the timeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from vmc_gui.model.cluster import tor_switch
from vmc_gui.model.scenario import Platform, ServiceKind, Storage, World
from vmc_gui.sim.doubles import Doubles, LeftCopies
from vmc_gui.sim.partitions import NetworkStory
from vmc_gui.sim.records import CONSUMING, HostStatus, Phase
from vmc_gui.sim.timeline import Timeline, WorldState
from vmc_gui.ui.scenes.items.card_marks import NO_MARKS, NetMarks

_RUNNING_CODES = np.array(sorted(int(p) for p in CONSUMING), dtype=np.int32)

_UNMONITORED = (
    "<b>Unmonitored</b>: its host is out of the failover cluster's membership (isolated). "
    "The VM runs on, but the cluster neither watches nor restarts it until the resiliency "
    "period ends."
)
_IDENTITY = (
    "<b>Waits on its identity</b>: a StatefulSet runs at most one pod per identity, so "
    "{name} is not replaced until its node confirms it has stopped (the node is heard "
    "again), the node object is deleted, or an administrator force-deletes the pod or "
    "taints the node out-of-service."
)


@dataclass(frozen=True)
class WorldMarks:
    """One world's partition marks at one time."""

    #: Hosts that run but that the clients do not reach, with why.
    cut: dict[int, str] = field(default_factory=dict)
    #: Hosts powered off (crashed).
    off: frozenset[int] = frozenset()
    #: Workloads drawn as running twice, each with a line for its tooltip.
    twice: dict[int, str] = field(default_factory=dict)
    #: The names of the workloads running twice with a copy on each host.
    names_on: dict[int, tuple[str, ...]] = field(default_factory=dict)
    #: The copies left behind on each host: (phase, workload).
    left: dict[int, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    #: Hosts whose own link to their rack's switch is cut.
    links_cut: frozenset[int] = frozenset()

    def changed_hosts(self, before: WorldMarks, state: WorldState) -> set[int]:
        """The hosts whose marks differ from ``before``'s (``state``: now): a large cluster's
        frame redraws those cards only, not every card each time a pod is replaced."""
        hosts: set[int] = set()
        for now, then in (
            (self.cut, before.cut),
            (self.names_on, before.names_on),
            (self.left, before.left),
        ):
            hosts.update(h for h in now.keys() | then.keys() if now.get(h) != then.get(h))
        hosts.update(self.off ^ before.off)
        hosts.update(self.links_cut ^ before.links_cut)
        moved = {
            w
            for w in self.twice.keys() | before.twice.keys()
            if self.twice.get(w) != before.twice.get(w)
        }
        hosts.update(int(state.workload_host[w]) for w in moved)
        hosts.discard(-1)
        return hosts


NONE = WorldMarks()


class PartitionMarks:
    """A timeline's partition marks, worked out once and asked per frame."""

    def __init__(self, timeline: Timeline) -> None:
        self.story = NetworkStory(timeline.scenario)
        self.timeline = timeline
        #: Only where the scenario cuts the network: the other lessons draw as they did.
        self.shown = self.story.shown
        worlds = timeline.worlds.items() if self.shown else ()
        self._doubles = {w: Doubles(wt) for w, wt in worlds}
        self._left = {w: LeftCopies(wt) for w, wt in worlds}
        kinds = {s.name: s.kind for s in timeline.scenario.services}
        #: By world, each service: is it a StatefulSet (one pod per identity)?
        self._stateful = {
            w: [
                kinds.get(name) is ServiceKind.STATEFULSET or w.storage is Storage.DISK
                for name in wt.run.service_names
            ]
            for w, wt in timeline.worlds.items()
        }
        self._frames: dict[World, tuple[WorldMarks, WorldState]] = {}
        self._cut_memo: tuple[object, dict[int, str], frozenset[int]] | None = None

    def frame(self, world: World, state: WorldState, t: float) -> WorldMarks:
        """``world``'s marks at ``t`` (``state`` is its state then); kept for the cards."""
        if not self.shown:
            self._frames[world] = (NONE, state)
            return NONE
        cut, off = self._cut_at(state, t)
        twice: dict[int, str] = {}
        names_on: dict[int, list[str]] = {}
        hosts, names = state.host_names, state.workload_names
        for copy in self._doubles[world].at(t, state):
            drawn = [(h, names[w] if w >= 0 else copy.name) for h, w in copy.copies]
            for (h, w), (_, name) in zip(copy.copies, drawn, strict=True):
                names_on.setdefault(h, []).append(name)
                if w < 0:
                    continue
                elsewhere = [f"{n} on {hosts[o]}" for o, n in drawn if o != h]
                twice[w] = (
                    f"Two copies run at once: {name} here"
                    + (f" and {', '.join(elsewhere)}" if elsewhere else "")
                    + ". Its platform started one while the other, out of its reach, "
                    "still runs."
                )
        left: dict[int, list[tuple[int, int]]] = {}
        for copy in self._left[world].at(t):
            left.setdefault(copy.host, []).append((int(copy.phase), copy.workload))
        marks = WorldMarks(
            cut,
            off,
            twice,
            {h: tuple(n) for h, n in names_on.items()},
            {h: tuple(c) for h, c in left.items()},
            self._links_cut(state, t),
        )
        self._frames[world] = (marks, state)
        return marks

    def _cut_at(self, state: WorldState, t: float) -> tuple[dict[int, str], frozenset[int]]:
        """The hosts cut off (with why) and off at ``t``: the same in every world, and the
        same from one frame to the next until the network or the power changes."""
        story = self.story
        off_names = story.off_at(t)
        key = (story.change_index(t), off_names)
        if self._cut_memo is None or self._cut_memo[0] != key:
            index = {name: h for h, name in enumerate(state.host_names)}
            cut = {index[h]: story.why_cut_off(h, t) for h in sorted(story.cut_off_at(t))}
            self._cut_memo = (key, cut, frozenset(index[h] for h in off_names))
        return self._cut_memo[1], self._cut_memo[2]

    def _links_cut(self, state: WorldState, t: float) -> frozenset[int]:
        """The hosts whose own cable to their rack's switch is cut at ``t``."""
        links = self.story.state_at(t).failed_links
        if not links:
            return frozenset()
        spec = self.story.spec
        return frozenset(
            h
            for h, name in enumerate(state.host_names)
            if frozenset((name, tor_switch(spec.rack_of(h)))) in links
        )

    def last(self, world: World) -> WorldMarks | None:
        """``world``'s marks at the last frame asked for."""
        found = self._frames.get(world)
        return found[0] if found is not None else None

    def card(
        self, world: World, marks: WorldMarks, h: int, on_host: npt.NDArray[np.int64], status: int
    ) -> NetMarks:
        """What host ``h``'s card shows of the partition (``on_host``: its workloads)."""
        if not self.shown:
            return NO_MARKS
        running = h not in marks.off
        phases = self._frames[world][1].workload_phase[on_host]
        unmonitored = (
            world.platform is Platform.VM
            and running
            and status == HostStatus.ISOLATED
            and bool(np.isin(phases, _RUNNING_CODES).any())
        )
        twice = frozenset(i for i, w in enumerate(on_host.tolist()) if w in marks.twice)
        return NetMarks(
            marks.cut.get(h, "") if running else "",
            running,
            twice,
            marks.names_on.get(h, ()),
            unmonitored,
            marks.left.get(h, ()),
            h in marks.links_cut,
        )

    def workload_note(self, world: World, w: int) -> str:
        """What workload ``w``'s tooltip adds at the last frame: running twice, Unmonitored,
        or (a StatefulSet pod being deleted) waiting on its identity."""
        found = self._frames.get(world)
        if found is None:
            return ""
        marks, state = found
        notes = [marks.twice[w]] if w in marks.twice else []
        phase = int(state.workload_phase[w])
        host = int(state.workload_host[w])
        if (
            world.platform is Platform.VM
            and host >= 0
            and host not in marks.off
            and int(state.host_status[host]) == HostStatus.ISOLATED
            and phase in CONSUMING
        ):
            notes.append(_UNMONITORED)
        service = int(state.workload_service[w])
        if (
            world.platform is Platform.CONTAINER
            and phase == Phase.TERMINATING
            and self._stateful[world][service]
        ):
            notes.append(_IDENTITY.format(name=state.workload_names[w]))
        return "<br>".join(notes)
