"""The themes: every layer kind has its fill in each (the fills are keyed by the kinds'
values, so that the theme loads without the stack diagrams)."""

from __future__ import annotations

import pytest

from vmc_gui.model.stacks import LayerKind
from vmc_gui.ui.theme import THEMES


@pytest.mark.parametrize("name", list(THEMES))
def test_every_layer_kind_has_its_fill(name):
    theme = THEMES[name]
    assert set(theme.fills) == {kind.value for kind in LayerKind}
    for kind in LayerKind:
        assert theme.fill(kind).isValid()
