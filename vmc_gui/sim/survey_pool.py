"""Where a survey's work runs: a pool of worker processes, one a core, or this process when
there is one job (issue 21, §4).

The pool starts its workers with ``spawn``, never ``fork``: the app runs Qt, whose threads
and locks a forked child would inherit half-held, and ``spawn`` is what Windows has anyway.
Each worker reads the cluster as found once (:func:`vmc_gui.sim.survey_worker.start`), then
takes tasks whose arguments are text and numbers and answers with plain dicts (see
survey_worker): nothing but our own plain values crosses.

Progress is counted in tasks, ``(done, total, what)``; ``total`` grows when the survey adds
work it could only choose once the capacity analysis had answered.  Cancellation is a
``threading.Event`` checked between tasks, and in this process also inside a task (a run's
progress reports, the analysis's hosts); once it is set the pool is shut down without
waiting, its queued tasks cancelled, and :class:`SurveyCancelled` raised.  A worker busy
with a task finishes that one (a second or so at 1,000 hosts) and exits: nobody waits.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from vmc_gui.sim.simulate import Cancelled
from vmc_gui.sim.survey_worker import start

#: ``(done, total, what)``: tasks finished, tasks known so far, what was just finished.
SurveyProgress = Callable[[int, int, str], None]
#: How often a wait for the workers looks at the cancel flag.
POLL_S = 0.05


class SurveyCancelled(Exception):
    """The survey was cancelled; nothing it found is kept."""


@dataclass(frozen=True, slots=True)
class Task:
    """One piece of a survey's work: ``function(toml_text, *args)``, a function of
    :mod:`vmc_gui.sim.survey_worker` that takes ``cancelled=`` and answers a plain dict."""

    #: What the survey looks its answer up by (a failure's text, "capacity:vm").
    key: str
    #: What the progress says once it is done.
    title: str
    function: Callable[..., dict[str, Any]]
    args: tuple[Any, ...]


class TaskRunner:
    """Runs the tasks of one cluster as found, in ``jobs`` processes (1: this one), in the
    order they were submitted."""

    def __init__(
        self,
        toml_text: str,
        jobs: int,
        cancel: threading.Event | None = None,
        progress: SurveyProgress | None = None,
    ) -> None:
        self.toml_text = toml_text
        self.jobs = max(1, jobs)
        self.cancel = cancel or threading.Event()
        self._progress = progress
        self.done = 0
        self.total = 0
        #: This process's queue (one job), or the pool's tasks still running.
        self._queue: deque[Task] = deque()
        self._running: dict[Future[dict[str, Any]], Task] = {}
        self._results: dict[str, dict[str, Any]] = {}
        self._pool: ProcessPoolExecutor | None = None
        if self.jobs > 1:
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=start,
                initargs=(toml_text,),
            )

    def __enter__(self) -> TaskRunner:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close(wait_for_workers=kind is None)

    def close(self, *, wait_for_workers: bool = True) -> None:
        """Stop the pool: once its work is done (a survey that finished), or at once, its
        queue dropped and its workers stopped mid-task (cancelled, or failed)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if not wait_for_workers:
            # The executor has no public way to stop a task under way.  Left to finish, the
            # workers would spend a core each on runs nobody reads, and a process that exits
            # meanwhile races the pool's own thread at shutdown (CPython 3.11 then prints an
            # ignored OSError).  Stopped, the pool notices at once and its thread ends.
            workers = list((getattr(pool, "_processes", None) or {}).values())
            for future in self._running:
                future.cancel()
            for worker in workers:
                worker.terminate()
        pool.shutdown(wait=True, cancel_futures=True)

    def check(self) -> None:
        """Raise :class:`SurveyCancelled` if the survey was cancelled."""
        if self.cancel.is_set():
            raise SurveyCancelled

    def submit(self, tasks: Iterable[Task]) -> None:
        """Queue ``tasks``, after those already queued; the progress hears of the new total."""
        self.check()
        for task in tasks:
            self.total += 1
            if self._pool is None:
                self._queue.append(task)
            else:
                future = self._pool.submit(task.function, self.toml_text, *task.args)
                self._running[future] = task
        if self._progress is not None:
            self._progress(self.done, self.total, "")

    def results(self, keys: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
        """The answers of the tasks ``keys`` (None: of every task submitted), once they are
        in; other tasks' answers that come in meanwhile are kept for later."""
        wanted = set(self._keys() if keys is None else keys)
        while not wanted <= self._results.keys():
            self.check()
            if not self._queue and not self._running:
                raise KeyError(f"no task answers {sorted(wanted - self._results.keys())}")
            if self._pool is None:
                self._run_next()
            else:
                self._collect()
        self.check()
        return {key: self._results[key] for key in wanted}

    def _keys(self) -> list[str]:
        return [
            *self._results,
            *(task.key for task in self._queue),
            *(task.key for task in self._running.values()),
        ]

    def _run_next(self) -> None:
        task = self._queue.popleft()
        try:
            answer = task.function(self.toml_text, *task.args, cancelled=self.cancel.is_set)
        except Cancelled:
            raise SurveyCancelled from None
        self._finished(task, answer)

    def _collect(self) -> None:
        done, _ = wait(self._running, timeout=POLL_S, return_when=FIRST_COMPLETED)
        for future in done:
            task = self._running.pop(future)
            self._finished(task, future.result())  # a worker's error is raised here

    def _finished(self, task: Task, answer: dict[str, Any]) -> None:
        self._results[task.key] = answer
        self.done += 1
        if self._progress is not None:
            self._progress(self.done, self.total, task.title)
