"""What each lesson comes to, in a line per side, for the comparison table's rows.

The first screen shows, under each side's cell of the seed's table, what that side's lesson
works out at the defaults: each world's final headline (:mod:`vmc_gui.sim.headline`), word
for word ("recovered in 4 min 59.6 s", "168 VMs fit", "5 pods replaced: state lost").  The
guest-compatibility row is answered by :mod:`vmc_gui.model.compat` (how many of its host and
guest pairs each runtime runs) and the networking row by its stack diagram (who has a vNIC
of their own, who shares the firewall).  No figure is typed here: every number comes from a
simulation or a model, so a changed default changes the teaser with it.

Simulating takes numpy and the engine, which the first screen must not load: the table works
these out after its first paint, off the startup path.  Nothing here imports Qt.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vmc_gui.model.lessons import ROWS, Row, Side
from vmc_gui.model.scenario import Platform, Scenario, World

if TYPE_CHECKING:
    from vmc_gui.sim.timeline import Timeline

#: A world's name beside its result, where a side has more than one world.
_LABELS = {
    World.VM: "VMs",
    World.CONTAINER: "process isolation",
    World.HYPERV_CONTAINER: "Hyper-V isolation",
    World.VM_SMB_SHARE: "VHD on an SMB share",
    World.VM_LOCAL_DISK: "VHD on local disk",
    World.CONTAINER_SHARED_VOLUME: "Azure Files",
    World.CONTAINER_DISK_VOLUME: "Azure Disk",
    World.CONTAINER_NODE_VOLUME: "node-local volume",
}
#: In the compatibility lesson the worlds stand for runtimes (model.compat.RUNTIMES).
_COMPAT_LABELS = {World.CONTAINER: "Kubernetes", World.HYPERV_CONTAINER: "standalone host"}
#: Each side's noun in the two-sided line.
_SIDE_NOUNS = {Side.VM: "VMs", Side.CONTAINER: "containers"}


@dataclass(frozen=True, slots=True)
class Result:
    """One world's outcome: its final headline, or the model's answer."""

    #: The world, by value (``vm``, ``container``, ``vm-smb-share``...).
    world: str
    #: The world's short name when its side has more than one world, else "".
    label: str
    #: The outcome in the lesson's own words: "recovered in 4 min 59.6 s".
    text: str
    #: How it reads (a ``sim.headline.Tone`` value): neutral, good or alarm.
    tone: str = "neutral"

    def __str__(self) -> str:
        return f"{self.label}: {self.text}" if self.label else self.text


@dataclass(frozen=True, slots=True)
class Teaser:
    """A row's lesson in brief: what it shows, and what each side comes to at the defaults."""

    slug: str
    #: What the lesson simulates or draws: "the failover race".
    subject: str
    vm: tuple[Result, ...]
    container: tuple[Result, ...]

    def side(self, side: Side) -> tuple[Result, ...]:
        return self.vm if side is Side.VM else self.container

    def side_text(self, side: Side) -> str:
        """One side's results on one line: "Azure Files: recovered in 5 min 56.4 s; ..."."""
        return "; ".join(str(result) for result in self.side(side))

    def line(self) -> str:
        """Both sides on one line: "VMs: recovered in 4 min 59.6 s · containers: recovered
        in 5 min 56.4 s, at the defaults"."""
        sides = " · ".join(f"{_SIDE_NOUNS[s]}: {self.side_text(s)}" for s in Side)
        return f"{sides}, at the defaults"


def teasers() -> dict[str, Teaser]:
    """Every row's teaser that can be worked out, by slug, in the table's order."""
    found = {slug: teaser(row) for slug, row in ROWS.items()}
    return {slug: t for slug, t in found.items() if t is not None}


def teaser(row: Row) -> Teaser | None:
    """``row``'s teaser at the defaults, or None for a row with nothing to say."""
    return work_out(row)[0]


def work_out(row: Row, scenario: Scenario | None = None) -> tuple[Teaser | None, Timeline | None]:
    """``row``'s teaser, and the timeline it came from (None where nothing runs): for the
    table, which draws the lesson's cluster from the same run.  ``scenario``: the row's
    bundled scenario unless given (a test gives one with a setting changed)."""
    if scenario is None and row.scenario:
        from vmc_gui.model.library import resolve

        scenario = resolve(row.scenario)
    if scenario is None:
        return _from_diagram(row), None
    if scenario.compat is not None:
        return _from_compat(row, scenario), None
    if not scenario.runs:
        return None, None
    from vmc_gui.sim import simulate

    timeline = simulate(scenario)
    return _from_timeline(row, timeline), timeline


def final_results(timeline: Timeline) -> dict[str, tuple[str, str]]:
    """Each world's final headline and its tone, by world value; a world that never gets
    there says what it says at the end of the run."""
    from vmc_gui.sim.headline import headlines

    found: dict[str, tuple[str, str]] = {}
    for world, headline in headlines(timeline).items():
        reached = headline.final()
        at = reached[0] if reached is not None else timeline.duration_s
        text, tone, _ = headline.at(at)
        found[world] = (text, tone.value)
    return found


def _from_timeline(row: Row, timeline: Timeline) -> Teaser | None:
    finals = final_results(timeline)
    if not finals:
        return None
    outcomes = {World(w): text_tone for w, text_tone in finals.items()}
    return _teaser(row, _subject(timeline.scenario.title), outcomes, _LABELS)


def _from_compat(row: Row, scenario: Scenario) -> Teaser:
    """How many of the lesson's host and guest pairs each runtime runs."""
    from vmc_gui.model.compat import SYSTEMS, Answer, verdict

    assert scenario.compat is not None
    pairs = [
        (SYSTEMS[h], SYSTEMS[g]) for h in scenario.compat.hosts for g in scenario.compat.guests
    ]
    outcomes: dict[World, tuple[str, str]] = {}
    for world in scenario.worlds:
        answers = Counter(verdict(world, host, guest).answer for host, guest in pairs)
        runs = answers[Answer.ALLOWED] + answers[Answer.RUNS_UNSUPPORTED]
        text = f"runs {runs} of {len(pairs)} host/guest pairs"
        if answers[Answer.RUNS_UNSUPPORTED]:
            text += f", {answers[Answer.RUNS_UNSUPPORTED]} unsupported"
        if answers[Answer.HYPERV_ISOLATION_ONLY]:
            text += f", +{answers[Answer.HYPERV_ISOLATION_ONLY]} with Hyper-V isolation"
        tone = "good" if runs == len(pairs) else "alarm" if runs * 2 < len(pairs) else "neutral"
        outcomes[world] = (text, tone)
    labels = {**_LABELS, **_COMPAT_LABELS}
    return _teaser(row, _subject(scenario.title), outcomes, labels)


def _from_diagram(row: Row) -> Teaser | None:
    """What the row's stack diagram gives each instance of its own, and what it shares."""
    from vmc_gui.model.stacks import DEFAULT_INSTANCES, DIAGRAMS, LayerKind, diagram

    if row.diagram not in DIAGRAMS:
        return None
    built = diagram(row.diagram, DEFAULT_INSTANCES)
    outcomes: dict[World, tuple[str, str]] = {}
    for stack in built.stacks:
        n = len(stack.instances)
        vnics = sum(1 for layer in stack.layers if layer.kind is LayerKind.VNIC)
        if not vnics:
            return None  # a diagram without networking says nothing the cells do not
        shared_firewalls = sum(
            1 for la in stack.layers if la.kind is LayerKind.HOST_FIREWALL and la.shared
        )
        if stack.world.platform is Platform.VM:
            text = f"{n} VMs, {vnics} vNICs of their own"
        else:
            text = f"{n} containers, {vnics} vNIC views, {shared_firewalls} firewall shared"
        outcomes[stack.world] = (text, "neutral")
    return _teaser(row, _subject(DIAGRAMS[row.diagram][0]), outcomes, _LABELS)


def _teaser(
    row: Row,
    subject: str,
    outcomes: dict[World, tuple[str, str]],
    labels: dict[World, str],
) -> Teaser:
    """Sort the worlds' outcomes onto their sides: the side's own world first, then the
    variants in the scenario's order, each named where a side has more than one."""
    sides: dict[Side, list[World]] = {Side.VM: [], Side.CONTAINER: []}
    for world in outcomes:
        sides[Side.VM if world.platform is Platform.VM else Side.CONTAINER].append(world)
    plain = {World.VM, World.CONTAINER}
    results: dict[Side, tuple[Result, ...]] = {}
    for side, worlds in sides.items():
        worlds.sort(key=lambda w: w not in plain)  # stable: the scenario's order otherwise
        named = len(worlds) > 1
        results[side] = tuple(
            Result(
                w.value,
                labels.get(w, w.display_name) if named else "",
                outcomes[w][0],
                outcomes[w][1],
            )
            for w in worlds
        )
    return Teaser(row.slug, subject, results[Side.VM], results[Side.CONTAINER])


def _subject(title: str) -> str:
    """A lesson's title without its row's name: "the failover race"."""
    _, sep, rest = title.partition(": ")
    return rest if sep else title
