"""The survey in words (``vmc-gui survey``, and the app's dialog): per world, which single
host, rack and zone failures leave replicas short, counted rather than listed in full, and
how long the others took to get back where that was simulated.
"""

from __future__ import annotations

from vmc_gui.model.scenario import World
from vmc_gui.model.what_if import DEFAULT_AT_S
from vmc_gui.report import duration
from vmc_gui.sim.survey import FailureResult, Survey, world_title
from vmc_gui.sim.survey_outcome import Outcome

#: A service's count follows a multiplication sign: "web \u00d73".
TIMES = "\u00d7"
#: How many failures a line names before it says "and N more".
NAMED = 3
#: Each kind of failure, as a line of the report starts it.
KINDS = {"host": "Single hosts", "rack": "Racks", "zone": "Zones"}


def services_text(counts: dict[str, int]) -> str:
    """Each service with its count after a multiplication sign (web, times 3), the most
    first."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{name} {TIMES}{n:,}" for name, n in ordered)


def shortfall_text(outcome: Outcome) -> str:
    """``4 pending: web TIMES 3, db TIMES 1``; ``176 not ready (170 pending, 6 held back):
    ...`` (TIMES: the multiplication sign)."""
    parts = [
        (sum(part.values()), word)
        for part, word in (
            (outcome.pending, "pending"),
            (outcome.held_back, "held back"),
            (outcome.starting, "still starting"),
        )
        if part
    ]
    services = services_text(outcome.services())
    if len(parts) == 1:
        n, word = parts[0]
        return f"{n:,} {word}: {services}"
    split = ", ".join(f"{n:,} {word}" for n, word in parts)
    return f"{outcome.short:,} not ready ({split}): {services}"


def verdict_text(outcome: Outcome) -> str:
    """One cell of the dialog's table, or a line's end: what became of the world."""
    if not outcome.survives:
        return shortfall_text(outcome)
    if outcome.lost == 0:
        return "nothing ran there"
    if outcome.recovery_s is None:
        return "full capacity (not simulated: no time)"
    return f"full capacity, back in {duration(outcome.recovery_s)}"


def ranked(failures: tuple[FailureResult, ...], world: str) -> list[FailureResult]:
    """``failures`` worst first for ``world``: the most replicas not ready, then the most
    lost, then the slowest back, then in the cluster's order."""
    order = {id(f): i for i, f in enumerate(failures)}

    def key(failure: FailureResult) -> tuple[int, int, float, int]:
        outcome = failure.outcome(world)
        slowest = -(outcome.recovery_s or 0.0)
        return (-outcome.short, -outcome.lost, slowest, order[id(failure)])

    return sorted(failures, key=key)


def kind_line(survey: Survey, world: str, kind: str) -> str | None:
    """One line of a world's report: how its failures of ``kind`` went (None: none asked)."""
    failures = survey.of_kind(kind)
    if not failures:
        return None
    label = KINDS[kind]
    short = [f for f in ranked(failures, world) if not f.outcome(world).survives]
    good = [f for f in failures if f.outcome(world).survives]
    if not short:
        text = f"all {len(failures):,} survive at full capacity"
        if len(failures) <= 2:
            text = ("the only one survives", "both survive")[len(failures) - 1]
            text += " at full capacity"
        return f"{label}: {text}{_times(good, world, kind)}"
    all_pending = all(
        not f.outcome(world).held_back and not f.outcome(world).starting for f in short
    )
    what = "pending" if all_pending else "not ready"
    named = ", ".join(
        f"{f.candidate.title} ({shortfall_text(f.outcome(world))})" for f in short[:NAMED]
    )
    more = f" and {len(short) - NAMED:,} more" if len(short) > NAMED else ""
    verb = "leaves" if len(short) == 1 else "leave"
    text = f"{label}: {len(short):,} of {len(failures):,} {verb} replicas {what}: {named}{more}"
    if good:
        others = "the other" if len(good) == 1 else f"the other {len(good):,}"
        verb = "survives" if len(good) == 1 else "survive"
        text += f"; {others} {verb} at full capacity{_times(good, world, kind)}"
    return text


def _times(good: list[FailureResult], world: str, kind: str) -> str:
    """How long the failures that were survived took, where simulated: ``, back in 5 min
    0.0 s`` (one), ``, back in 4 min 59.9 s to 5 min 0.0 s`` (several); for single hosts,
    which of them were simulated and why."""
    timed = [
        (f, o.recovery_s)
        for f in good
        if (o := f.outcome(world)).simulated and o.recovery_s is not None and o.lost
    ]
    if not timed:
        return ""
    if kind == "host":
        # "the most loaded host" of this world; another world's says whose it is.
        own = f" of the {world_title(world)}"
        shown = ", ".join(
            f"{f.candidate.title} ({f.why_simulated.replace(own, '')}) back in {duration(t)}"
            for f, t in timed
        )
        return f"; simulated: {shown}"
    times = sorted(t for _, t in timed)
    if len(times) == 1 or duration(times[0]) == duration(times[-1]):
        return f", back in {duration(times[-1])}"
    return f", back in {duration(times[0])} to {duration(times[-1])}"


def survey_report(survey: Survey) -> str:
    """The text ``vmc-gui survey`` prints."""
    hosts = len(survey.hosts)
    lines = [f"What survives which failure: {survey.title}"]
    counted = [f"{hosts:,} host{'s' * (hosts != 1)} up"]
    if survey.down:
        counted.append(
            f"{len(survey.down):,} already down ({', '.join(survey.down[:3])}"
            f"{', ...' if len(survey.down) > 3 else ''})"
        )
    if survey.racks:
        counted.append(f"{len(survey.racks):,} racks")
    if survey.zones:
        counted.append(f"{len(survey.zones):,} zones across racks")
    settled = " (once the cluster as found had settled)" if survey.at_s > DEFAULT_AT_S else ""
    lines.append(
        f"{', '.join(counted)}. Each failure comes at {survey.at_s:g} s{settled} and is "
        f"watched for {(survey.until_s - survey.at_s) / 60:g} min: single hosts by capacity "
        f"analysis, {survey.simulations:,} failure{'s' * (survey.simulations != 1)} simulated."
    )
    lines += [f"Not asked: {note}." for note in survey.notes]
    for world in survey.worlds:
        lines.append("")
        lines.append(World(world).display_name)
        for kind in KINDS:
            line = kind_line(survey, world, kind)
            if line is not None:
                lines.append(f"  {line}")
    disagreements = survey.disagreements()
    if disagreements:
        lines.append("")
        lines += [f"Analysis and simulation differ: {text}." for text in disagreements]
    return "\n".join(lines) + "\n"
