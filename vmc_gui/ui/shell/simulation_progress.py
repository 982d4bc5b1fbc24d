"""Simulating off the GUI thread: the run goes to a worker thread, the window keeps
repainting, and a run that takes more than a moment gets a progress dialog with Cancel.

- :class:`SimulationJob`: ``simulate(scenario)`` in a thread of its own, with the latest
  :class:`~vmc_gui.sim.simulate.Progress` and a way to stop it.  No Qt: the command line's
  export uses it too (``ui.headless``).
- :class:`SimulationProgress`: the main window's simulator (``LessonSession.simulator``).  A
  quick run (nearly every lesson: tens of milliseconds) is waited for as before, with no
  dialog and no event loop; a longer one waits in a local event loop, so the caller keeps
  its synchronous shape while the window repaints, and after :data:`SHOW_AFTER_MS` a modal
  QProgressDialog says how far it has got ("Simulating 10,000 hosts… world 1 of 2, 3 min
  20 s of 15 min").  Cancel returns None at once; the worker stops at its next report.

The simulation is pure Python and numpy and never touches Qt, so the worker needs no Qt
thread: it only writes the job's fields, which the GUI thread polls.

One thing would still reach Qt from the worker: Python's cyclic garbage collector runs in
whichever thread allocates when a collection is due, and it would finalize the GUI's garbage
there, a closed window's wrapper in a reference cycle deleting its QMainWindow off the GUI
thread (a crash).  So the collector is off while a worker runs (:func:`pause_collector`), and
the thread that waits turns it back on once every worker has ended (:func:`resume_collector`).
A run's own garbage waits for that: about 20 MB at 10,000 hosts, no higher peak.
"""

from __future__ import annotations

import gc
import threading
import time
from typing import TYPE_CHECKING, Generic, Self, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import QProgressDialog, QWidget

from vmc_gui.model.scenario import Scenario
from vmc_gui.sim.simulate import Cancelled, Progress, ProgressCallback

if TYPE_CHECKING:
    from vmc_gui.sim.timeline import Timeline

T = TypeVar("T")

#: A run that ends within this is waited for without an event loop: nothing else happens
#: meanwhile, as when the GUI thread simulated itself (a lesson takes 10-80 ms).
QUICK_S = 0.1
#: After this long the progress dialog shows (its minimumDuration).
SHOW_AFTER_MS = 300
#: How often the GUI thread reads the worker's progress and sees whether it is done.
POLL_MS = 40
#: The progress bar's steps.
STEPS = 1000


#: The workers that run (a cancelled one runs on to its next report), and whether the
#: collector was on before the first of them started.  Touched only by the thread that
#: starts runs and waits for them (the GUI's).
_workers: list[threading.Thread] = []
_collector_was_on = [True]


def pause_collector(worker: threading.Thread) -> None:
    """Turn the cyclic garbage collector off for ``worker``'s run (see the module)."""
    if not _workers:
        _collector_was_on[0] = gc.isenabled()
        gc.disable()
    _workers.append(worker)


def resume_collector() -> bool:
    """Forget the workers that have ended and, when none is left, turn the collector back on
    (here, in the thread that waits: never a worker's).  True when no worker runs."""
    for worker in [w for w in _workers if not w.is_alive()]:
        worker.join()  # it has run its last Python: a collection from now is not its
        _workers.remove(worker)
    if not _workers and _collector_was_on[0]:
        gc.enable()
    return not _workers


def _simulate(scenario: Scenario, progress: ProgressCallback) -> Timeline:
    """The simulation the worker runs (a test replaces it with a slow one)."""
    from vmc_gui.sim import simulate

    return simulate(scenario, progress)


class WorkerJob(Generic[T]):
    """A computation in a worker thread of its own, the collector paused meanwhile (see the
    module): :meth:`start`, then wait on (or poll) :attr:`done`; :meth:`cancel` stops it at
    its next report.  The simulation's job and the survey's are this one piece."""

    #: The thread's name (as a debugger lists it).
    thread_name = "vmc-gui worker"
    #: What the computation raises when it notices :meth:`cancel`: not an error.
    stopped: tuple[type[BaseException], ...] = (Cancelled,)

    def __init__(self) -> None:
        #: Set when the worker has finished: with a value, an error, or cancelled.
        self.done = threading.Event()
        self.value: T | None = None
        #: An error in the worker, handed to the thread that waits (where the app's error
        #: handling is), never lost in the worker.
        self.error: BaseException | None = None
        self._cancel = threading.Event()
        # A daemon: a job cancelled as the app quits must not keep the process alive.
        self._thread = threading.Thread(target=self._work, name=self.thread_name, daemon=True)

    def start(self) -> Self:
        pause_collector(self._thread)
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Stop at the next report; nobody waits for it."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def finish(self) -> None:
        """Once :attr:`done` is set: wait out the worker's last lines (``done`` is set just
        before them), and turn the collector back on if no other worker runs."""
        self._thread.join()
        resume_collector()

    def compute(self) -> T:
        """What the worker computes (in the worker thread)."""
        raise NotImplementedError

    def _work(self) -> None:
        try:
            self.value = self.compute()
        except self.stopped:
            pass
        except BaseException as error:  # handed over to the waiting thread, not lost here
            self.error = error
        finally:
            self.done.set()


class SimulationJob(WorkerJob["Timeline"]):  # the engine loads on first use, not here
    """``simulate(scenario)`` in a worker thread: start, then wait on :attr:`done`."""

    thread_name = "vmc-gui simulation"

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        #: The latest report from the worker (None until the first).
        self.progress: Progress | None = None
        self._run = _simulate  # looked up now: a test's replacement holds for this job
        super().__init__()

    def compute(self) -> Timeline:
        return self._run(self.scenario, self._report)

    def result(self) -> Timeline:
        """The run, once :attr:`done` is set; an error in the worker is raised here, in the
        thread that asked for the run (where the app's error handling is)."""
        self.finish()
        if self.error is not None:
            raise self.error
        assert self.value is not None
        return self.value

    def _report(self, progress: Progress) -> None:
        if self._cancel.is_set():
            raise Cancelled
        self.progress = progress


def hosts_text(scenario: Scenario) -> str:
    count = scenario.cluster.host_count
    return f"{count:,} host" if count == 1 else f"{count:,} hosts"


def clock_text(seconds: float) -> str:
    """'45 s', '3 min 20 s', '15 min', '2 h 5 min': a clock read at a glance."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def describe(scenario: Scenario, progress: Progress | None) -> str:
    """What the dialog says: how large the run is and how far it has got."""
    head = f"Simulating {hosts_text(scenario)}…"
    if progress is None:
        return head
    world = progress.world.display_name.split(":")[0]
    where = f"world {progress.index + 1} of {progress.worlds} ({world})"
    if progress.placing:
        replicas = sum(s.replicas for s in scenario.services if s.runs_in(progress.world))
        return f"{head}\n{where}: placing {replicas:,} replicas"
    now, end = clock_text(progress.now_s), clock_text(progress.duration_s)
    return f"{head}\n{where}: {now} of {end}"


def progress_line(scenario: Scenario, progress: Progress | None) -> str:
    """One line for the command line: 'simulating 10,000 hosts: world 1 of 2 (vm), 40 %'."""
    head = f"simulating {hosts_text(scenario)}"
    if progress is None:
        return head
    where = f"world {progress.index + 1} of {progress.worlds} ({progress.world.value})"
    if progress.placing:
        return f"{head}: {where}, placing its replicas"
    return f"{head}: {where}, {min(100.0, 100 * progress.now_s / progress.duration_s):.0f} %"


class _Dialog(QProgressDialog):
    """A QProgressDialog that says when it is on screen (from then on, Cancel can be
    clicked: the wait stops excluding the user's input)."""

    shown = Signal()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.shown.emit()


class SimulationProgress(QObject):
    """The main window's simulator: see the module's docstring."""

    #: The progress dialog is on screen (a test cancels it from here).
    dialog_shown = Signal(QProgressDialog)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        # A cancelled run goes on to its next report: the collector comes back after it.
        self._resume = QTimer(self)
        self._resume.setInterval(200)
        self._resume.timeout.connect(self._try_resume)

    def _try_resume(self) -> None:
        if resume_collector():
            self._resume.stop()

    def simulate(self, scenario: Scenario) -> Timeline | None:
        """The run of ``scenario``, or None if the user cancelled it."""
        started = time.monotonic()
        job = SimulationJob(scenario).start()
        if job.done.wait(QUICK_S):
            return job.result()
        dialog = _Dialog(self._window)
        dialog.setObjectName("simulation-progress")
        dialog.setWindowTitle("Simulating")
        dialog.setLabelText(describe(scenario, job.progress))
        dialog.setRange(0, STEPS)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(max(0, SHOW_AFTER_MS - int((time.monotonic() - started) * 1000)))
        dialog.setValue(0)  # starts the clock that shows the dialog after minimumDuration
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(POLL_MS)
        busy = [True]  # the busy cursor is on (until the dialog shows)

        def not_busy() -> None:
            if busy[0]:
                busy[0] = False
                QGuiApplication.restoreOverrideCursor()

        def check() -> None:
            if job.done.is_set():
                loop.quit()
            elif job.progress is not None:
                dialog.setValue(min(STEPS - 1, int(job.progress.fraction * STEPS)))
                dialog.setLabelText(describe(scenario, job.progress))

        def on_shown() -> None:
            if not waiting[0]:
                return  # the run ended as the dialog came up
            not_busy()  # the dialog says it is busy
            self.dialog_shown.emit(dialog)
            loop.quit()  # on to the wait that lets the user click Cancel

        waiting = [True]
        poll.timeout.connect(check)
        # Queued: after the dialog is fully shown, not from inside its show event (a Cancel
        # clicked there would hide it while Qt is still showing it).
        dialog.shown.connect(on_shown, Qt.ConnectionType.QueuedConnection)
        dialog.canceled.connect(job.cancel)
        dialog.canceled.connect(loop.quit)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        poll.start()
        try:
            # Until the dialog shows, the window repaints but takes no input: a second click
            # would otherwise open something else in the middle of this.
            loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
            if dialog.isVisible() and not job.done.is_set() and not job.cancelled:
                loop.exec()  # the modal dialog keeps the window's input to itself
        finally:
            waiting[0] = False
            poll.stop()
            not_busy()
            dialog.shown.disconnect(on_shown)
            dialog.reset()  # stops its clock: it never shows after this
            dialog.hide()
            dialog.deleteLater()
        if job.cancelled:
            self._resume.start()
            return None
        return job.result()
