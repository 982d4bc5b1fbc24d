"""Where the parts of a row go: each as wide as what it is near, centred on it as far as
its neighbours allow.

Parts that would overlap move apart together, each as little as it can (the run they form
sits where its parts' wishes average out); a part near nothing packs against its neighbour,
so that a chain of steps reads left to right into the part that is anchored.  Plain numbers
in scene units: nothing here draws.
"""

from __future__ import annotations

from vmc_gui.model.diagram_parts import Part

#: Between two parts of a row; a part's least width (a column is narrower than its words).
PART_GAP = 24.0
PART_MIN = 260.0


def pack(
    parts: list[Part], spans: dict[str, tuple[float, float]]
) -> dict[str, tuple[float, float]]:
    """Each part's left edge and width in its row.  A part is as wide as what it is near
    (at least PART_MIN) and as close to centred on it as its neighbours allow: parts that
    would overlap move apart together, each as little as it can.  A part near nothing packs
    against the part after it (or the part before, at the end of the row)."""
    # Runs of parts that travel together: a part near nothing joins its neighbour's run.
    runs: list[_Run] = []
    loose: list[tuple[str, float]] = []
    for part in parts:
        near = [spans[name] for name in part.near if name in spans]
        if not near:
            loose.append((part.key, PART_MIN))
            continue
        lo, hi = min(a for a, _ in near), max(b for _, b in near)
        width = max(PART_MIN, hi - lo)
        runs.append(_Run([*loose, (part.key, width)], [(len(loose), (lo + hi) / 2)]))
        loose = []
    if loose:
        if runs:
            runs[-1].items += loose
        else:
            runs.append(_Run(loose, []))
    # Pool neighbours that overlap, until none do.
    placed: list[_Run] = []
    for run in runs:
        placed.append(run)
        while len(placed) > 1 and placed[-2].right() + PART_GAP > placed[-1].left():
            last = placed.pop()
            placed[-1].join(last)
    return {key: place for run in placed for key, place in run.places()}


class _Run:
    """Parts side by side, PART_GAP apart, placed so that their anchors are, on average,
    as near their targets as can be."""

    def __init__(self, items: list[tuple[str, float]], anchors: list[tuple[int, float]]) -> None:
        self.items = items
        #: Which item is anchored, and the x its centre wants.
        self.anchors = anchors

    def offsets(self) -> list[float]:
        out, x = [], 0.0
        for _, width in self.items:
            out.append(x)
            x += width + PART_GAP
        return out

    def left(self) -> float:
        if not self.anchors:
            return 0.0
        offsets = self.offsets()
        wanted = [c - offsets[i] - self.items[i][1] / 2 for i, c in self.anchors]
        return sum(wanted) / len(wanted)

    def right(self) -> float:
        return self.left() + self.offsets()[-1] + self.items[-1][1]

    def join(self, other: _Run) -> None:
        shift = len(self.items)
        self.items += other.items
        self.anchors += [(i + shift, c) for i, c in other.anchors]

    def places(self) -> list[tuple[str, tuple[float, float]]]:
        left = self.left()
        return [
            (key, (left + offset, width))
            for (key, width), offset in zip(self.items, self.offsets(), strict=True)
        ]
