"""The scenario the user is working on, with its undo history.

Scenarios are immutable: every edit (a setting changed in the inspector, a host failed at
time t) derives a new one, and the undo stack holds the one before and the one after.
Whoever shows the scenario listens to :attr:`ScenarioDocument.changed` and simulates again.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from vmc_gui.model.parameters import Value, lookup
from vmc_gui.model.scenario import Scenario, TimedEvent

#: Edits of one setting in quick succession merge into one step to undo (a spin box's arrow
#: held down is one step, not fifty); an edit after a pause is a step of its own.
_PARAMETER_EDIT = 1
_MERGE_WINDOW_S = 1.5


def _clock() -> float:
    """Wall time for merging edits (a test replaces it: edits must not race the clock)."""
    return time.monotonic()


class _Replace(QUndoCommand):
    """Swap the document's scenario for another; undo swaps it back."""

    def __init__(
        self, document: ScenarioDocument, after: Scenario, text: str, merge_key: str = ""
    ) -> None:
        super().__init__(text)
        self._document = document
        self._before = document.scenario
        self._after = after
        self._merge_key = merge_key
        self._when = _clock()

    def id(self) -> int:
        return _PARAMETER_EDIT if self._merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _Replace) or other._merge_key != self._merge_key:
            return False
        if other._when - self._when > _MERGE_WINDOW_S:
            return False
        self._when = other._when
        self._after = other._after
        self.setText(other.text())
        # Moved away and back: no step at all (and a saved file stays clean).
        self.setObsolete(self._after == self._before)
        return True

    def redo(self) -> None:
        self._document._set(self._after)

    def undo(self) -> None:
        self._document._set(self._before)


class ScenarioDocument(QObject):
    """One scenario being worked on: where it came from, what it is now, and its history."""

    #: The scenario changed (an edit, an undo or a redo): simulate it again.
    changed = Signal(object)

    def __init__(
        self, scenario: Scenario, path: Path | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._original = scenario
        self._scenario = scenario
        self.path = path
        self.undo_stack = QUndoStack(self)

    @property
    def scenario(self) -> Scenario:
        return self._scenario

    @property
    def original(self) -> Scenario:
        """The scenario as it was opened, before any edit."""
        return self._original

    def display_name(self) -> str:
        return self.path.name if self.path is not None else self._scenario.title

    def set_parameter(self, name: str, value: Value) -> None:
        """Change a setting for the whole run (checked: a bad value raises ParameterError)."""
        value = lookup(name).coerce(value)
        if self._scenario.parameters[name] == value:
            return
        parameters = self._scenario.parameters
        if value == lookup(name).default:
            # Back to the default: no override left (a saved file does not list it).
            after = dataclasses.replace(self._scenario, parameters=parameters.without(name))
        else:
            after = self._scenario.with_parameters({name: value})
        text = f"Set {name} to {value:g}"
        self.undo_stack.push(_Replace(self, after, text, merge_key=name))

    def add_event(self, event: TimedEvent, text: str) -> None:
        """Add a timed event, as when the user fails a host at the current time."""
        self.undo_stack.push(_Replace(self, self._scenario.with_event(event), text))

    def reset(self) -> None:
        """Back to the scenario as opened (one step to undo)."""
        if self._scenario != self._original:
            self.undo_stack.push(_Replace(self, self._original, "Reset the scenario"))

    def mark_saved(self, path: Path) -> None:
        self.path = path
        self.undo_stack.setClean()

    def _set(self, scenario: Scenario) -> None:
        self._scenario = scenario
        self.changed.emit(scenario)
