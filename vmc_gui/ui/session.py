"""What the user has open: the scenario documents, the one on show, its simulation and the one
playback clock every view of it follows.

The main window, the lesson page, the cluster panel and the charts are views bound to a
:class:`LessonSession`; none of them simulates or keeps documents of its own.  The session
keeps each lesson's document (its edits survive switching lessons) and each opened file's,
makes Undo and Redo act on the one on show (a ``QUndoGroup``), and simulates it again when
it changes, handing the new Timeline to the playback controller (the clock keeps its time).

Before and after: the run on show before the last change stays as the *ghost*
(:attr:`LessonSession.ghost`), which the charts draw faded and the cluster's headers quote
("before 5 min 49 s → now 1 min 15 s") until it is dismissed.  Every change makes one: an
edit, Undo and Redo (after an Undo the ghost is the run undone), a reset, a failure injected.
Edits merged into one step to undo (a spin box's arrow held down) make one ghost: the run
before the step.  Another document on show (another lesson, another file) has none: a ghost
belongs to the document's last change, and is not remembered when the user leaves it.

Simulating: the session asks its :attr:`LessonSession.simulator` for each run.  By default
that simulates at once, with a busy cursor; the main window's runs in a worker thread with a
progress dialog (``shell.simulation_progress``), and may answer None: the user cancelled.
Nothing changes before a run is there, so a cancelled one leaves what was on show as it was:
:meth:`LessonSession.prepare` simulates a document before the window lays its page out for
it, :meth:`LessonSession.show` before it changes anything, and a change to the document on
show whose run is cancelled is taken back at once (Undo, or Redo for an Undo; the change
stays on the undo stack to redo).  A change back to a scenario whose run is at hand (the one
on show, the ghost, the run before the step on top) takes that run instead of simulating:
the simulation is deterministic, so Undo and Redo of a large scenario are instant.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QUndoGroup

from vmc_gui.model.lessons import OVERVIEW, ROWS, Row
from vmc_gui.model.parameters import Value
from vmc_gui.model.scenario import Scenario
from vmc_gui.ui.document import ScenarioDocument
from vmc_gui.ui.playback import PlaybackController

if TYPE_CHECKING:
    from vmc_gui.sim.timeline import Timeline


#: How a session simulates: the scenario's run, or None if the user cancelled it.
Simulator = Callable[[Scenario], "Timeline | None"]


def simulate_with_feedback(scenario: Scenario) -> Timeline:
    """Simulate ``scenario``, with a busy cursor while it runs (a large one takes a moment):
    a session's simulator unless it is given another (the main window's shows progress)."""
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
    #: The ghost changed: the run before the last change (a Timeline), or None.
    ghost_changed = Signal(object)
    #: The user cancelled a run: what was on show stays (a change is taken back).
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_group = QUndoGroup(self)
        self.controller = PlaybackController(self)
        #: Documents by key: a lesson's slug, or an opened file's resolved path.
        self._documents: dict[str, ScenarioDocument] = {}
        self.document: ScenarioDocument | None = None
        #: What is on show: a lesson's slug, a file's path, or the overview.
        self.lesson = OVERVIEW
        #: The run before the last change, drawn faded beside the run now (None: none).
        self.ghost: Timeline | None = None
        #: While a change is being pushed onto the undo stack: the stack's index before it,
        #: and the run before it.  Then the step on top of the stack, and the run before it:
        #: the ghost again if a change merges into that step.
        self._pending: tuple[int, Timeline | None] | None = None
        self._step: tuple[object, Timeline | None] | None = None
        #: Simulates each run (see the module's docstring); the main window sets its own.
        self.simulator: Simulator = simulate_with_feedback
        #: A run simulated by :meth:`prepare`, for :meth:`show` to take: (scenario, run).
        self._prepared: tuple[Scenario, Timeline] | None = None
        #: A change whose run the user cancelled: the undo stack's index before it, until
        #: the stack has recorded the change (then it is taken back: see _on_step).
        self._cancelled: int | None = None
        #: While a cancelled change is being taken back.
        self._taking_back = False

    @staticmethod
    def of(controller: PlaybackController) -> LessonSession | None:
        """The session whose clock ``controller`` is, or None for a clock of its own (a view
        handed only the clock finds the ghost there)."""
        parent = controller.parent()
        return parent if isinstance(parent, LessonSession) else None

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

    def further_document(self, slug: str, scenario: str) -> ScenarioDocument:
        """The document of a scenario that takes lesson ``slug`` further (``Row.further``),
        kept under ``slug/scenario``."""
        key = f"{slug}/{scenario}"
        document = self._documents.get(key)
        if document is None:
            from vmc_gui.model.library import resolve

            document = ScenarioDocument(resolve(scenario), parent=self)
            self._documents[key] = document
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

    def prepare(self, document: ScenarioDocument | None) -> bool:
        """Simulate ``document`` ahead of :meth:`show`, before the caller changes anything
        for it (the window's page): False if the user cancelled, and nothing changed."""
        if document is None or document is self.document or not document.scenario.runs:
            return True
        if self._prepared is not None and self._prepared[0] is document.scenario:
            return True
        self._prepared = None  # one run kept at a time: a large one is hundreds of MB
        timeline = self._simulate_to_show(document.scenario)
        if timeline is None:
            return False
        self._prepared = (document.scenario, timeline)
        return True

    def _simulate_to_show(self, scenario: Scenario) -> Timeline | None:
        """Simulate ``scenario`` to show it instead of what is on show, whose clock pauses
        meanwhile (as it would for the new one): a cancelled run plays on as before."""
        playing = self.controller.is_playing()
        self.controller.pause()
        timeline = self.simulator(scenario)
        if timeline is None:
            if playing:
                self.controller.play()
            self.cancelled.emit()
        return timeline

    def show(self, document: ScenarioDocument | None, lesson: str = OVERVIEW) -> bool:
        """Put ``document`` on show (None: the table or a diagram-only lesson), and simulate
        it from its start if it runs and is not already the one on show.  False if the user
        cancelled its run: then nothing changed."""
        timeline = None
        prepared, self._prepared = self._prepared, None
        if document is not self.document and document is not None and document.scenario.runs:
            if prepared is not None and prepared[0] is document.scenario:
                timeline = prepared[1]
            else:
                timeline = self._simulate_to_show(document.scenario)
                if timeline is None:
                    return False
        self.lesson = lesson
        self.controller.pause()
        if document is not self.document:
            if self.document is not None:
                self.document.changed.disconnect(self._on_changed)
                self.document.undo_stack.indexChanged.disconnect(self._on_step)
            self.document = document
            self._pending = self._step = None
            self.set_ghost(None)  # the ghost was the last document's
            if document is not None:
                document.changed.connect(self._on_changed)
                document.undo_stack.indexChanged.connect(self._on_step)
                if timeline is not None:
                    self.controller.set_timeline(timeline)
        if document is None:
            self.undo_group.setActiveStack(None)  # type: ignore[arg-type]
        else:
            if document.undo_stack not in self.undo_group.stacks():
                self.undo_group.addStack(document.undo_stack)
            self.undo_group.setActiveStack(document.undo_stack)
        self.document_changed.emit(document)
        return True

    def runs(self) -> bool:
        """Whether what is on show runs over time (not the table, a diagram-only lesson or
        the compatibility matrix)."""
        return self.document is not None and self.document.scenario.runs

    def row(self) -> Row | None:
        """The lesson the scenario on show teaches (a file of a lesson's scenario too)."""
        return ROWS.get(self.document.scenario.lesson) if self.document is not None else None

    def _on_changed(self, scenario: Scenario) -> None:
        before = self.controller.timeline()
        index = self.document.undo_stack.index() if self.document is not None else 0
        timeline = None
        if scenario.runs:
            if self._taking_back and before is not None and before.scenario == scenario:
                # Back to the run on show: the ghost and the step stay as they were.
                self._pending = None
                self.scenario_changed.emit(scenario)
                return
            timeline = self._known_run(scenario)
            if timeline is None:
                timeline = self.simulator(scenario)
            if timeline is None:
                # Cancelled: the undo stack records the change just after this, and then
                # it is taken back (see _on_step); until then nothing else changes.
                self._cancelled = index
                return
        ghost = before if scenario.runs and before is not None else None
        if self.document is not None:
            # The undo stack takes its step (or merges it) just after this: see _on_step.
            self._pending = (index, ghost)
        # The views read the ghost as they draw the new run: it is set first, announced after.
        self.ghost = ghost
        if timeline is not None:
            self.controller.set_timeline(timeline, keep_time=True)
        self.ghost_changed.emit(ghost)
        self.scenario_changed.emit(scenario)

    def _known_run(self, scenario: Scenario) -> Timeline | None:
        """The run of ``scenario`` if one is at hand: the one on show, the ghost, or the run
        before the step on top (an equal scenario has the same run: the simulation is
        deterministic)."""
        known = [self.controller.timeline(), self.ghost, self._step[1] if self._step else None]
        return next((t for t in known if t is not None and t.scenario == scenario), None)

    def _take_back(self, document: ScenarioDocument, before: int, index: int) -> None:
        """Take back a change whose run the user cancelled: its step undone (it stays on
        the stack to redo), or an Undo redone.  A change merged into the step on top undoes
        the whole step."""
        stack = document.undo_stack
        if document is not self.document or stack.index() != index:
            return  # something else changed it since, and was simulated
        self._taking_back = True
        try:
            if index < before and stack.canRedo():
                stack.redo()
            else:
                stack.undo()
        finally:
            self._taking_back = False
        self.cancelled.emit()  # after the change's own messages (a host failed: play on...)

    # --- before and after ---------------------------------------------------------------------

    def set_ghost(self, timeline: Timeline | None) -> None:
        """Show ``timeline`` as the run before (faded in the charts, quoted in the cluster's
        headers), or none.  An export comparing two settings sets it so (see
        :meth:`compare_with`)."""
        if timeline is self.ghost:
            return
        self.ghost = timeline
        self.ghost_changed.emit(timeline)

    def dismiss_ghost(self) -> None:
        """Stop showing the run before the last change (until the next change)."""
        self.set_ghost(None)

    def compare_with(self, overrides: Mapping[str, Value]) -> Timeline | None:
        """Simulate the scenario on show with ``overrides`` and show that run as the ghost:
        a picture of "with these settings" (the ghost) against the scenario as it is (the run
        now).  Returns the ghost; None where nothing on show runs, or if the user cancelled
        the run.  A bad name or value raises ``ParameterError``, before anything changes."""
        if self.document is None or not self.document.scenario.runs:
            return None
        scenario = self.document.scenario.with_parameters(overrides)
        ghost = self.simulator(scenario)
        if ghost is None:
            self.cancelled.emit()
        else:
            self.set_ghost(ghost)
        return ghost

    def _on_step(self, index: int) -> None:
        """The undo stack took the change just made: a new step, an Undo or a Redo keeps the
        run before it as the ghost; a change merged into the step on top (the same setting
        again, at once) shows the run before that step."""
        cancelled, self._cancelled = self._cancelled, None
        if cancelled is not None and self.document is not None:
            # After the stack has finished recording the change: taking it back from inside
            # its own signal would leave the stack's later signals telling of the change.
            QTimer.singleShot(0, partial(self._take_back, self.document, cancelled, index))
            return
        pending, self._pending = self._pending, None
        if pending is None or self.document is None:
            return
        before, run_before = pending
        top = self.document.undo_stack.command(index - 1) if index > 0 else None
        if index == before + 1:  # a new step, or a Redo: the run before it is known
            self._step = (top, run_before)
        elif index == before and self._step is not None and self._step[0] is top:
            self.set_ghost(self._step[1])  # merged: the run before the whole step
        else:
            self._step = None  # an Undo: what came before the step below is not known
