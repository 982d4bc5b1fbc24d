"""The diagrams look as they did: image regression against tests/baseline/."""

from __future__ import annotations

import pytest

from tests.ui.image_testing import assert_image_matches, to_array
from vmc_gui.ui.export import ExportOptions, render_image
from vmc_gui.ui.scenes.stack_scene import StackScene
from vmc_gui.ui.theme import THEMES


def render(name: str, theme: str = "light", **actions) -> object:
    scene = StackScene()
    scene.set_animations_enabled(False)
    scene.set_theme(THEMES[theme])
    scene.set_diagram(name)
    if actions.get("compromise"):
        scene.compromise(actions["compromise"])
    if actions.get("select"):
        scene.select(actions["select"])
    return render_image(scene, scene.content_rect(), ExportOptions(size=(1100, 480)))


@pytest.mark.parametrize(
    ("name", "theme", "actions"),
    [
        ("vm-vs-container", "light", {}),
        ("lesson:isolation", "dark", {"compromise": "container-1/app"}),
        ("lesson:networking", "light", {"select": "container/host-firewall"}),
    ],
    ids=["vm-vs-container-light", "isolation-compromised-dark", "networking-selected"],
)
def test_diagram_matches_its_baseline(qapp, name, theme, actions):
    image = render(name, theme, **actions)
    key = f"{name.replace(':', '-')}-{theme}" + ("-" + "-".join(actions) if actions else "")
    assert_image_matches(image, key)


def test_the_comparison_can_fail(qapp):
    """The check is not vacuous: a different picture is caught."""
    light = render("vm-vs-container")
    dark = render("vm-vs-container", "dark")
    with pytest.raises(AssertionError, match="pixels differ"):
        assert_image_matches(dark, "vm-vs-container-light")
    assert to_array(light).shape == (480, 1100, 4)
