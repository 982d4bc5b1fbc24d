"""Where a large cluster goes: the layout the cluster view takes at scale (issue 20).

A lesson's cluster of a dozen hosts lays its worlds out side by side, each rack a column of
host cards, and reads at 100 %.  A thousand hosts per world cannot: fit to a window, a card
would be a few pixels wide and every word on it a smudge.  At scale the view draws less
(semantic zoom, :mod:`vmc_gui.ui.scenes.items.host_card_item`: a far host is a cell, a
middle one a card with counts) and lays out differently, here:

- the worlds one above the other, each as wide as the window: twenty-five racks side by
  side in two worlds side by side leave a rack about 30 px, too narrow for its label;
- each rack a column, its hosts a few cards across (``across``), as many as make the whole
  fill the window best;
- the world's header (its title, its result in large type, the stopwatch, its totals) and
  the racks' heads ("Rack 12", their counts, the zone's state) keep a size that reads at the
  zoom the layout fits at: the header's text is scaled up by ``text_scale``, and the heads
  are painted at screen size in a band tall enough for their lines at that zoom.

The layout is worked out for the viewport it is shown in (an export's size, or the view's),
in closed form: the zoom that fits depends on the header's height in scene units, which
depends on the zoom.  Where the viewport is too short for every world at once, it is laid
out for one world at a time, a viewport's height apart, and the view shows one and switches
between them.

No Qt here: plain geometry, tested on its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: A host card narrower than this on screen is drawn as a cell: below it the card's name
#: and counts cannot be set at the legibility floor (11 px) however they are shortened.
FAR_PX = 48.0
#: The size a layout is worked out for when no view has said its own: an export's default
#: and the reference window of the budgets (DESIGN.md).
DEFAULT_VIEWPORT = (1600.0, 1000.0)
#: What a world's header takes on screen at scale: its title (17 px), its result in large
#: type (26 px), the stopwatch and the totals (12 px each), the legend's line (11 px), with
#: their leading.
HEADER_PX = 128.0
#: What the racks' heads take on screen: the rack's name, two lines of counts and the
#: zone's state, 11 px each with their leading.
HEADS_PX = 58.0
#: Between one world's block and the next, on screen.
WORLD_GAP_PX = 22.0
#: Lines in the racks' heads, and each one's height on screen.
HEAD_LINES = 4
HEAD_LINE_PX = 14.0
#: The least height a world's block may have on screen when every world is shown at once;
#: below it the view shows one world at a time.
MIN_WORLD_PX = 380.0
#: How much larger than the bare fit the header's words are scaled (see ``_grid``).
TEXT_MARGIN = 1.06
#: The most cards across in a rack (beyond, a rack is a block, not a column).
MAX_ACROSS = 8
#: A rack narrower than this on screen has no room for its name ("R100" at 11 px) or its
#: counts: the heads' band is one line, the racks' names at a stride (a hundred racks).
NARROW_RACK_PX = 32.0
#: That one line's band.
NARROW_HEADS_PX = HEAD_LINE_PX + 4.0
#: The least share of the height the racks keep, however short the viewport: below it (a
#: picture 320 px tall of two worlds, or four worlds at 720 px) the headers would leave the
#: cells no room, and the words shrink with the picture instead.
MIN_CARDS_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class Spacing:
    """The scene's spacing around and between the blocks, in scene units."""

    margin: float
    rack_gap: float
    rack_pad: float
    card_gap: float


@dataclass(frozen=True, slots=True)
class ScaleGrid:
    """A large cluster laid out for one viewport."""

    #: Host cards side by side in a rack.
    across: int
    #: Rows of cards in a rack.
    rows: int
    #: The zoom at which the whole (or one world, see ``worlds_at_once``) fits the viewport.
    zoom: float
    #: How much the header's text is scaled up so that it reads at ``zoom`` (at least 1).
    text_scale: float
    #: In scene units: a rack's width, the band of the racks' heads, a rack's cards.
    rack_width: float
    heads_height: float
    cards_height: float
    #: A world's header, and the gap between worlds, in scene units.
    header_height: float
    world_gap: float
    #: Worlds shown at once by a fitted view: all of them, or 1 (the view switches).
    worlds_at_once: int

    @property
    def world_height(self) -> float:
        return self.header_height + self.heads_height + self.cards_height


def needs_scale_layout(card_width: float, fit_zoom: float) -> bool:
    """Whether a cluster whose usual layout fits its viewport at ``fit_zoom`` is too large
    for it: its cards would be cells."""
    return card_width * fit_zoom < FAR_PX


def scale_grid(
    racks: int,
    per_rack: int,
    worlds: int,
    card: tuple[float, float],
    spacing: Spacing,
    viewport: tuple[float, float] = DEFAULT_VIEWPORT,
    every_world: bool = False,
) -> ScaleGrid:
    """The layout of ``worlds`` worlds of ``racks`` racks of ``per_rack`` hosts, each card
    ``card`` (width, height) in scene units, that fills ``viewport`` (pixels) best.  With
    ``every_world`` (a picture: it has no switch) every world is laid out at once however
    short the viewport."""
    width, height = max(1.0, viewport[0]), max(1.0, viewport[1])
    at_once = worlds if every_world or height / max(1, worlds) >= MIN_WORLD_PX else 1
    best: ScaleGrid | None = None
    for across in range(1, min(MAX_ACROSS, per_rack) + 1):
        grid = _grid(racks, per_rack, at_once, card, spacing, width, height, across)
        if best is None or grid.zoom > best.zoom + 1e-9:
            best = grid
    assert best is not None
    return best


def _grid(
    racks: int,
    per_rack: int,
    worlds: int,
    card: tuple[float, float],
    s: Spacing,
    width: float,
    height: float,
    across: int,
) -> ScaleGrid:
    card_w, card_h = card
    rows = math.ceil(per_rack / across)
    rack_width = across * card_w + (across - 1) * s.card_gap + 2 * s.rack_pad
    cards_height = rows * (card_h + s.card_gap) + s.rack_pad
    scene_width = racks * rack_width + (racks - 1) * s.rack_gap + 2 * s.margin
    # On screen, each world's header and heads take a fixed height whatever the zoom; the
    # cards and the gaps take the rest, at the zoom: solve for the zoom that fills it.
    scaled = worlds * cards_height + 2 * s.margin

    def fitting(heads_px: float) -> float:
        fixed_px = worlds * (HEADER_PX + heads_px) * TEXT_MARGIN + (worlds - 1) * WORLD_GAP_PX
        return min(width / scene_width, max(MIN_CARDS_SHARE * height, height - fixed_px) / scaled)

    heads_px = HEADS_PX
    zoom = fitting(heads_px)
    if rack_width * zoom < NARROW_RACK_PX:
        heads_px = NARROW_HEADS_PX
        zoom = fitting(heads_px)
    # A view fits a little more than the cards (a margin round a world, its scroll bars):
    # the words are scaled for a zoom a few per cent below the one worked out.
    text_scale = max(1.0, TEXT_MARGIN / zoom)
    return ScaleGrid(
        across=across,
        rows=rows,
        zoom=zoom,
        text_scale=text_scale,
        rack_width=rack_width,
        heads_height=heads_px * TEXT_MARGIN / zoom,
        cards_height=cards_height,
        header_height=HEADER_PX * TEXT_MARGIN / zoom,
        # Shown one at a time, the next world is a viewport's height below: a fitted view of
        # one (its top left first) never shows the top of the next under it.
        world_gap=(WORLD_GAP_PX if worlds > 1 else max(WORLD_GAP_PX, height)) / zoom,
        worlds_at_once=worlds,
    )
