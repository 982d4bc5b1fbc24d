"""Which widget a key belongs to, where the window's shortcuts and a control both want it.

Space is the window's Play; but on a focused button, check box or drop-down list Space is
the control's own (press it, tick it, open it), as everywhere else on the desktop.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QApplication, QComboBox, QWidget


class SpaceForControls(QObject):
    """An application event filter: Space goes to a focused control inside ``window``."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Space
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and isinstance(watched, QAbstractButton | QComboBox)
            and belongs_to(watched, self._window)
        ):
            event.accept()  # the control takes Space; the shortcut does not fire
            return True
        return False


def belongs_to(widget: QWidget | None, window: QWidget) -> bool:
    """Whether ``widget`` is part of ``window``, floating docks included (a floating dock is
    a window of its own, but still the main window's child)."""
    while widget is not None:
        if widget is window:
            return True
        widget = widget.parentWidget()
    return False


def commit_pending_edit(window: QWidget) -> None:
    """A spin box of ``window`` being typed in holds a value it has not reported yet (edits
    count when finished): finish it now, before a save or an export reads the scenario."""
    widget = QApplication.focusWidget()
    while widget is not None and not isinstance(widget, QAbstractSpinBox):
        widget = widget.parentWidget()
    if isinstance(widget, QAbstractSpinBox) and belongs_to(widget, window):
        widget.interpretText()
