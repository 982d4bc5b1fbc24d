"""Two runs of one lesson side by side: "before 5 min 49 s → now 1 min 15 s", no Qt.

After a setting changes, the run before the change stays on show as a faded ghost beside the
new one.  Each world's large result then says what its lesson's headline figure
(:mod:`vmc_gui.sim.headline`) was before and what it is now.  The figures are the headline's
final words ("recovered in 5 min 49 s"), or, where a run never reaches one, its words at the
end of the run.  The words both share ("recovered in") are said once, by the lesson, and left
out: the header reads the figures alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from vmc_gui.sim.headline import Headline, headlines
from vmc_gui.sim.timeline import Timeline

#: Between the run before and the run now.
ARROW = "→"


@dataclass(frozen=True, slots=True)
class Comparison:
    """One world's result before the change and now.

    ``before`` and ``now`` are the figures, the words both results share left out ("5 min
    49 s", "1 min 15 s"); ``before_full`` and ``now_full`` are the results in full."""

    before: str
    now: str
    before_full: str
    now_full: str

    @property
    def same(self) -> bool:
        return self.before_full == self.now_full

    def segments(self, live: str = "", reached: bool = True) -> tuple[tuple[str, bool], ...]:
        """The line in parts, each with whether it quotes the run before (the views draw
        that part quieter).  ``reached``: the run now has reached its result (else ``live``
        is what it says so far, and the answer now is not given away, not even whether it
        is the same): 'before 5 min 49 s → now 1 min 15 s', 'recovered in 5 min 49 s, same
        as before', 'before 5 min 49 s → now down 32 s'."""
        if reached and self.same:
            return ((self.now_full, False), (", same as before", True))
        now = self.now if reached else live
        if not now:
            return ((f"before {self.before}", True),)
        return ((f"before {self.before} {ARROW} ", True), (f"now {now}", False))

    def text(self, live: str = "", reached: bool = True) -> str:
        """:meth:`segments` in one line."""
        return "".join(part for part, _ in self.segments(live, reached))


def final_words(headline: Headline, duration_s: float) -> str:
    """A finished run's result: its final words, or what it says at its end."""
    final = headline.final()
    if final is not None:
        return final[1]
    return headline.at(duration_s)[0]


def finals(timeline: Timeline) -> dict[str, str]:
    """Each world's result at the end of ``timeline``, by world name (none where the
    scenario has no headline)."""
    return {
        world: final_words(headline, timeline.duration_s)
        for world, headline in headlines(timeline).items()
    }


def figures(before: str, now: str) -> tuple[str, str]:
    """The two results without the words they begin with alike: ('recovered in 5 min 49 s',
    'recovered in 1 min 15 s') gives ('5 min 49 s', '1 min 15 s').  Whole words only, and
    never all of either (then both are given in full)."""
    a, b = before.split(" "), now.split(" ")
    shared = 0
    # Words only, up to the first figure: "5 min 59.6 s" against "5 min 56.4 s" shares its
    # "5 min", and leaving that out would quote "59.6 s" for five minutes.
    while shared < min(len(a), len(b)) - 1 and a[shared] == b[shared] and not _figure(a[shared]):
        shared += 1
    # Alike, or one the start of the other (a figure alike in both is no such start).
    if shared == 0 or (a[shared] == b[shared] and not _figure(a[shared])):
        return before, now
    return " ".join(a[shared:]), " ".join(b[shared:])


def _figure(word: str) -> bool:
    """Whether ``word`` is (or starts) a figure: "5", "59.6", "-3", "+2"."""
    return bool(word) and (word[0].isdigit() or (word[0] in "+-" and word[1:2].isdigit()))


def compare_finals(before: Mapping[str, str], now: Mapping[str, str]) -> dict[str, Comparison]:
    """Each world both runs have a result for, in the order of ``now``.  A world whose result
    did not change has no other words to be compared with: it leaves out the words another
    world's results share ("recovered in"), so that every header quotes figures alike."""
    pairs = {
        world: (before[world], words) for world, words in now.items() if before.get(world) and words
    }
    shortened = {world: figures(old, words) for world, (old, words) in pairs.items()}
    shared = [
        old[: len(old) - len(short)].strip()
        for (old, _), (short, _) in zip(pairs.values(), shortened.values(), strict=True)
        if short != old
    ]
    out = {}
    for world, (old, words) in pairs.items():
        short_before, short_now = shortened[world]
        if short_before == old:
            lead = next(
                (s for s in shared if old.startswith(s + " ") and words.startswith(s + " ")), ""
            )
            if lead:
                short_before, short_now = old[len(lead) + 1 :], words[len(lead) + 1 :]
        out[world] = Comparison(short_before, short_now, old, words)
    return out


def compare(before: Timeline, now: Timeline) -> dict[str, Comparison]:
    """Each world's result in the run ``before`` a change and in the run ``now``."""
    return compare_finals(finals(before), finals(now))
