"""What a network partition adds to a host card (issue 19), as data and words: the marks the
scene hands each card, the words of its last line and of its tooltip.  The card paints them;
this module keeps the card's own module about cards.
"""

from __future__ import annotations

from typing import NamedTuple

from vmc_gui.sim.records import Phase

#: The mark of a workload running twice ("times two").
TWICE = "\N{MULTIPLICATION SIGN}2"
#: The line under the glyphs that says what a partition does to the host (scenarios with
#: network events only: the others keep the card as it was).
NOTE_LINE = 18.0


class NetMarks(NamedTuple):
    """What a network partition adds to a card at a time."""

    #: Why the host, which runs, is out of the clients' reach ("" while it is not).
    cut_off: str = ""
    #: The host runs (known where the scenario cuts the network): never drawn as failed,
    #: whatever its platform calls it.
    running: bool = False
    #: Slots whose workload runs twice (its other copy is elsewhere).
    twice: frozenset[int] = frozenset()
    #: The workloads with a copy here that run twice, by name.
    twice_names: tuple[str, ...] = ()
    #: Its VMs run Unmonitored: the host is out of the failover cluster's membership.
    unmonitored: bool = False
    #: Copies left behind here, whose workload runs elsewhere now: (phase, workload), drawn
    #: faded and outlined after the host's own workloads.
    left: tuple[tuple[int, int], ...] = ()
    #: Its own link to its rack's switch is cut.
    link_cut: bool = False


NO_MARKS = NetMarks()


def partition_details(marks: NetMarks) -> str:
    """What a partition does to the host, for its tooltip ("" while nothing)."""
    lines = []
    if marks.cut_off:
        lines.append(
            f"<b>cut off · running</b>: {marks.cut_off}. It keeps running, but the clients "
            "cannot reach it, and to the rest of the cluster it is as silent as a host "
            "that crashed."
        )
    if marks.unmonitored:
        lines.append(
            "<b>VMs Unmonitored</b>: out of the failover cluster's membership, its VMs "
            "run on unwatched until the resiliency period ends."
        )
    if marks.twice_names:
        names = ", ".join(marks.twice_names)
        lines.append(f"<b>&#215;2</b>: {names} runs twice: one copy here, one elsewhere.")
    return "".join(f"<br>{line}" for line in lines)


def note_parts(marks: NetMarks) -> list[tuple[str, str]]:
    """What the card's last line says, as (words, how: "cut", "twice" or "text"), left to
    right; the card fits them (``HostCardItem.note_layout``)."""
    parts = []
    if marks.cut_off:
        parts.append(("cut off · running", "cut"))
    if marks.twice_names:
        parts.append((TWICE, "twice"))
        parts.append((", ".join(marks.twice_names), "text"))
    elif marks.unmonitored and not marks.cut_off:
        parts.append(("VMs unmonitored", "text"))
    return parts


def left_copy_tip(name: str, host: str, code: int) -> str:
    """The tooltip of ``name``'s copy left behind on ``host``, in phase ``code``."""
    paused = (
        " It is paused (Paused-Critical): it holds its memory and runs nothing."
        if code == Phase.PAUSED
        else " It still runs, out of its platform's reach."
    )
    return (
        f"<b>{name}</b>: a copy left behind on {host}, {Phase(code).label}. Its platform "
        f"started {name} again elsewhere, and this copy stays here until the host is heard "
        f"again and it is turned off.{paused}"
    )
