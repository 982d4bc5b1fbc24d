"""Where a stack diagram's items go, in scene units (pixels at 100 % zoom).

A diagram without bands lays every stack out in one row, hardware aligned, with the resource
bars beneath (:func:`side_by_side`); a row's diagram puts each world in a band of its own,
with its parts and flows (:mod:`row_layout`).  Both place a stack the same way
(:func:`place_stack`), so a layer looks the same in every diagram.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QRectF

from vmc_gui.model.stacks import Diagram, Stack
from vmc_gui.ui.scenes.items.flow_item import FlowShape
from vmc_gui.ui.scenes.items.resource_bar_item import BAR_HEIGHT, TEXT_HEIGHT

COLUMN = 150.0
ROW = 54.0
GAP = 4.0
STACK_GAP = 72.0
MARGIN = 36.0
TITLE = 30.0
BOUNDARY_PAD = 3.0
#: Room for the diagram's title and caption above everything else.
HEADER = 80.0


@dataclass(frozen=True, slots=True)
class Label:
    """A text the scene sets at ``rect`` (its width wraps it): a band's title, a flow's."""

    text: str
    rect: QRectF
    size: int
    bold: bool
    #: Its colour: "text", "muted", or "world:NAME" for a world's own.
    role: str


@dataclass(frozen=True, slots=True)
class Layout:
    """Where everything goes for one diagram: scene rectangles by key."""

    layers: dict[str, QRectF]
    boundaries: dict[str, QRectF]
    bars: dict[str, QRectF]
    titles: dict[str, QRectF]
    caption: QRectF
    bounds: QRectF
    #: A row's diagram only: its parts, its flows' shapes, the labels of both and of the
    #: bands, and the outline of each state mark.
    parts: dict[str, QRectF] = field(default_factory=dict)
    flows: dict[str, FlowShape] = field(default_factory=dict)
    labels: list[Label] = field(default_factory=list)
    states: dict[str, QRectF] = field(default_factory=dict)


def place_stack(
    stack: Stack, x: float, bottom: float, layers: dict[str, QRectF], boundaries: dict[str, QRectF]
) -> QRectF:
    """Lay ``stack`` out from ``x`` with its hardware on ``bottom``; returns its title's
    rectangle, above its top row."""
    width = stack.columns * COLUMN
    for layer in stack.layers:
        layers[layer.key] = QRectF(
            x + layer.col * COLUMN + GAP / 2,
            bottom - (layer.row + layer.height) * ROW + GAP / 2,
            layer.span * COLUMN - GAP,
            layer.height * ROW - GAP,
        )
    for boundary in stack.boundaries:
        rect = QRectF()
        for key in boundary.encloses:
            rect = rect.united(layers[key]) if not rect.isNull() else QRectF(layers[key])
        pad = BOUNDARY_PAD
        boundaries[boundary.key] = rect.adjusted(-pad, -pad, pad, pad)
    return QRectF(x, bottom - stack.rows * ROW - TITLE, width, TITLE)


def side_by_side(built: Diagram) -> Layout:
    """The stacks side by side at one scale, hardware aligned, bars beneath; in rows of
    ``built.per_row`` stacks when the diagram asks for them."""
    rows = max(stack.rows for stack in built.stacks)
    per_row = built.per_row or len(built.stacks)
    below = 16 + BAR_HEIGHT + TEXT_HEIGHT + 6 if built.bars else 0
    layers: dict[str, QRectF] = {}
    boundaries: dict[str, QRectF] = {}
    bars: dict[str, QRectF] = {}
    titles: dict[str, QRectF] = {}
    right = 0.0
    top = MARGIN + HEADER
    for first in range(0, len(built.stacks), per_row):
        bottom = top + TITLE + rows * ROW  # the hardware rows line up across stacks
        x = MARGIN
        for index in range(first, min(first + per_row, len(built.stacks))):
            stack = built.stacks[index]
            width = stack.columns * COLUMN
            titles[str(index)] = place_stack(stack, x, bottom, layers, boundaries)
            if built.bars:
                bars[str(index)] = QRectF(x, bottom + 16, width, BAR_HEIGHT + TEXT_HEIGHT + 6)
            x += width + STACK_GAP
        right = max(right, x - STACK_GAP + MARGIN)
        top = bottom + below + STACK_GAP / 2
    caption = QRectF(MARGIN, MARGIN, right - 2 * MARGIN, 76)
    end = top - STACK_GAP / 2 + MARGIN
    return Layout(layers, boundaries, bars, titles, caption, QRectF(0, 0, right, end))
