"""Where a chart's marker and level labels go: rectangles in, rectangles out, no Qt.

Each label belongs to a line: an upright one (a moment: the failure, a recovery) or a level
one (the fewest replicas ready).  :func:`place` puts the labels one at a time, in the order
given (the chart gives the earliest moment first, so that a label appearing as the clock runs
never moves one already shown):

- an upright line's label goes beside it at the highest free height, on its right or else on
  its left: labels of nearby lines stack;
- a level's label goes above or else below its line, from the left.

A label overlaps no other and lies inside the bounds.  Where it can, it also keeps off the
curves (``crowded``); where it cannot, it goes over them.  A label with no room at all is left
out (``None``): the chart lists it beside the plot instead.  Pixels, y down, as on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def overlaps(self, other: Box) -> bool:
        """Whether the two share some area (touching edges do not)."""
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def grown(self, by: float) -> Box:
        return Box(self.left - by, self.top - by, self.width + 2 * by, self.height + 2 * by)

    def within(self, other: Box) -> bool:
        return (
            self.left >= other.left
            and self.top >= other.top
            and self.right <= other.right
            and self.bottom <= other.bottom
        )


@dataclass(frozen=True)
class Label:
    """A label's size, and where its line is: ``at`` is the line's x (upright) or y (level)."""

    at: float
    width: float
    height: float
    upright: bool = True


#: Between a line and its label, and between a label and the bounds' edges.
GAP = 3.0


def place(
    labels: Sequence[Label],
    bounds: Box,
    *,
    crowded: Callable[[Box], bool] | None = None,
    gap: float = GAP,
) -> list[Box | None]:
    """Each label's box, or None where there is no room for it; in the order given, which
    is also the order of preference (the first label gets the best place)."""
    placed: list[Box] = []
    out: list[Box | None] = []
    for label in labels:
        # Kept half a pixel apart: the boxes go through the scene's floating point and back.
        taken = [p.grown(0.5) for p in placed]
        free = [
            box
            for box in _candidates(label, bounds, gap, placed)
            if box.within(bounds) and not any(box.overlaps(t) for t in taken)
        ]
        choice = next((box for box in free if crowded is None or not crowded(box)), None)
        if choice is None and free:
            choice = free[0]  # over a curve, rather than not at all
        if choice is not None:
            placed.append(choice)
        out.append(choice)
    return out


def _candidates(label: Label, bounds: Box, gap: float, placed: Sequence[Box]) -> Iterator[Box]:
    """A label's places, best first."""
    w, h = label.width, label.height
    if label.upright:
        # Row by row from the top, a pixel apart; in each, right of the line, then left of it.
        sides = (label.at + gap, label.at - gap - w)
        top = bounds.top + gap
        while top + h <= bounds.bottom - gap:
            for left in sides:
                yield Box(left, top, w, h)
            top += h + 1.0
    else:
        # From the left: every half a label's width, and just after each label placed (two
        # levels of one value side by side); at each, above the line, then below it.
        tops = (label.at - 1.0 - h, label.at + 1.0)  # clear of the line's pen
        first, last = bounds.left + gap, bounds.right - gap - w
        steps = int(max(last - first, 0.0) // max(w / 2, 8.0))
        lefts = {first + k * max(w / 2, 8.0) for k in range(steps + 1)}
        lefts.update(p.right + gap for p in placed if first <= p.right + gap <= last)
        lefts.add(max(last, first))
        for left in sorted(lefts):
            for top in tops:
                yield Box(left, top, w, h)
