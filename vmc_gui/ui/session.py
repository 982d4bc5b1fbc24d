"""What the user has open: the scenario documents, the one on show, its simulation and the one
playback clock every view of it follows.

The main window, the lesson page, the cluster panel and the charts are views bound to a
:class:`LessonSession`; none of them simulates or keeps documents of its own.  The session
keeps each lesson's document (its edits survive switching lessons) and each opened file's,
makes Undo and Redo act on the one on show (a ``QUndoGroup``), and simulates it again when
it changes, handing the new Timeline to the playback controller (the clock keeps its time).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QUndoGroup

from vmc_gui.model.lessons import OVERVIEW, ROWS, Row
from vmc_gui.model.scenario import Scenario
from vmc_gui.ui.document import ScenarioDocument
from vmc_gui.ui.playback import PlaybackController

if TYPE_CHECKING:
    from vmc_gui.sim.timeline import Timeline


def simulate_with_feedback(scenario: Scenario) -> Timeline:
    """Simulate ``scenario``, with a busy cursor while it runs (a large one takes a moment)."""
    # The engine (and numpy) load with the first simulation: the table opens without them.
    from vmc_gui.sim import simulate

    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return simulate(scenario)
    finally:
        QGuiApplication.restoreOverrideCursor()


class LessonSession(QObject):
    """The open documents, the one on show, and its simulation on one clock."""

    #: The document on show changed (another lesson or file, or none: the table).
    document_changed = Signal(object)
    #: The scenario on show was edited, undone or redone (already simulated again).
    scenario_changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_group = QUndoGroup(self)
        self.controller = PlaybackController(self)
        #: Documents by key: a lesson's slug, or an opened file's resolved path.
        self._documents: dict[str, ScenarioDocument] = {}
        self.document: ScenarioDocument | None = None
        #: What is on show: a lesson's slug, a file's path, or the overview.
        self.lesson = OVERVIEW

    # --- the documents ----------------------------------------------------------------------

    def lesson_document(self, slug: str) -> ScenarioDocument | None:
        """The document of lesson ``slug`` (opened from the library the first time), or None
        for a lesson with nothing to simulate."""
        document = self._documents.get(slug)
        row = ROWS.get(slug)
        if document is None and row is not None and row.scenario:
            from vmc_gui.model.library import resolve

            document = ScenarioDocument(resolve(row.scenario), parent=self)
            self._documents[slug] = document
        return document

    def get(self, key: str) -> ScenarioDocument | None:
        return self._documents.get(key)

    def keep(self, key: str, document: ScenarioDocument) -> None:
        """Keep ``document`` under ``key``, in place of whatever was there."""
        old = self._documents.get(key)
        if old is not None and old is not document:
            self.forget(key)
        self._documents[key] = document

    def forget(self, key: str) -> None:
        """Drop the document kept under ``key`` (its history goes with it)."""
        old = self._documents.pop(key, None)
        if old is not None and old not in self._documents.values():
            self.undo_group.removeStack(old.undo_stack)

    def keys_of(self, document: ScenarioDocument) -> list[str]:
        return [key for key, kept in self._documents.items() if kept is document]

    def documents(self) -> list[ScenarioDocument]:
        """Every open document, each once."""
        return list({id(d): d for d in self._documents.values()}.values())

    # --- the one on show ----------------------------------------------------------------------

    def show(self, document: ScenarioDocument | None, lesson: str = OVERVIEW) -> None:
        """Put ``document`` on show (None: the table or a diagram-only lesson), and simulate
        it from its start if it runs and is not already the one on show."""
        self.lesson = lesson
        self.controller.pause()
        if document is not self.document:
            if self.document is not None:
                self.document.changed.disconnect(self._on_changed)
            self.document = document
            if document is not None:
                document.changed.connect(self._on_changed)
                if document.scenario.runs:
                    self.controller.set_timeline(simulate_with_feedback(document.scenario))
        if document is None:
            self.undo_group.setActiveStack(None)  # type: ignore[arg-type]
        else:
            if document.undo_stack not in self.undo_group.stacks():
                self.undo_group.addStack(document.undo_stack)
            self.undo_group.setActiveStack(document.undo_stack)
        self.document_changed.emit(document)

    def runs(self) -> bool:
        """Whether what is on show runs over time (not the table, a diagram-only lesson or
        the compatibility matrix)."""
        return self.document is not None and self.document.scenario.runs

    def row(self) -> Row | None:
        """The lesson the scenario on show teaches (a file of a lesson's scenario too)."""
        return ROWS.get(self.document.scenario.lesson) if self.document is not None else None

    def _on_changed(self, scenario: Scenario) -> None:
        if scenario.runs:
            self.controller.set_timeline(simulate_with_feedback(scenario), keep_time=True)
        self.scenario_changed.emit(scenario)
