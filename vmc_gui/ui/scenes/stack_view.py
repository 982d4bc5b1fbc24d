"""The view on the stack diagrams (a ZoomView; the name is what the app shell embeds)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from vmc_gui.ui.scenes.stack_scene import StackScene
from vmc_gui.ui.scenes.zoom_view import ZoomView


class StackView(ZoomView):
    """Zoom, pan, fit and export for a StackScene."""

    def __init__(self, scene: StackScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)

    def scene(self) -> StackScene:  # type: ignore[override]
        return self._scene  # type: ignore[no-any-return]
