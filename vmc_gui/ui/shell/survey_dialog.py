"""Simulation > What Survives Which Failure…: the survey of the scenario's cluster (issue 21,
§4) with its progress and Cancel, then each world's answer as a table.

- The survey (:func:`vmc_gui.sim.survey.survey`, its process pool inside) runs in a thread
  of its own (:class:`SurveyJob`); the dialog polls it on the GUI's clock, as the app's
  long simulations are (``simulation_progress``), and the cyclic garbage collector is off
  while it runs for the same reason (see that module).  Cancel closes the dialog at once:
  the survey stops at its next task and nothing has changed.
- The answer: a tab per world, its failures in one table, those that leave replicas short
  first (the most first), each with the replicas it took down, those still not ready, the
  services they belong to, and the time the world took to get back where it was simulated.
- Fail Now (or a double-click, or Enter) adds the selected row's failure to the scenario at
  the playback clock's time in every world, as the cluster's right-click does (one step to
  undo); the dialog stays open for the next.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from vmc_gui.model.events import HostFail, RackFail, ZoneFail
from vmc_gui.model.scenario import Scenario, World
from vmc_gui.report import duration
from vmc_gui.sim.survey import (
    FailureResult,
    Survey,
    SurveyCancelled,
    SurveyProgress,
)
from vmc_gui.sim.survey import survey as run_survey
from vmc_gui.sim.survey_text import kind_line, ranked, shortfall_text, survey_report
from vmc_gui.ui.shell.simulation_progress import WorkerJob, hosts_text, resume_collector

if TYPE_CHECKING:
    from vmc_gui.ui.shell.main_window import MainWindow

#: How often the dialog reads the survey's progress.
POLL_MS = 40
#: The table's columns: header, and what the header's tooltip says.
COLUMNS = (
    ("Failure", "The host, rack or zone that fails, every host of it at once"),
    ("Hosts", "How many hosts the failure takes down"),
    ("Lost", "Replicas that were running there (at the worst moment, where simulated)"),
    ("Not ready", "Replicas still not ready when the watch ends: 0 is full capacity"),
    ("What is not ready", "Pending a host, held back by the platform, or still starting"),
    ("Back in", "From the failure until every service had its replicas again (simulated)"),
    ("Answered by", "The simulation, or the capacity analysis (no clock: no time)"),
)
_KEY = Qt.ItemDataRole.UserRole
_FAILURE = Qt.ItemDataRole.UserRole + 1


def _survey(scenario: Scenario, cancel: threading.Event, progress: SurveyProgress) -> Survey:
    """The survey the job runs (a test replaces it with one it controls)."""
    return run_survey(scenario, progress=progress, cancel=cancel)


class SurveyJob(WorkerJob[Survey]):
    """The survey of ``scenario`` in a worker thread: start, then poll :attr:`done`."""

    thread_name = "vmc-gui survey"
    stopped = (SurveyCancelled,)

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        #: The latest ``(done, total, what)`` (None until the first task is done).
        self.progress: tuple[int, int, str] | None = None
        self._run = _survey  # looked up now: a test's replacement holds for this job
        super().__init__()

    @property
    def result(self) -> Survey | None:
        return self.value

    def compute(self) -> Survey:
        return self._run(self.scenario, self._cancel, self._report)

    def _report(self, done: int, total: int, what: str) -> None:
        self.progress = (done, total, what)


class _CollectorBack(QObject):
    """Turns the garbage collector back on once a cancelled survey's thread has ended
    (parented to the window: the dialog is gone by then)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self._try)
        self._timer.start()

    def _try(self) -> None:
        if resume_collector():
            self._timer.stop()
            self.deleteLater()


class _Item(QTableWidgetItem):
    """A cell that sorts by its key (a number), not by its text."""

    def __init__(self, text: str, key: float | str) -> None:
        super().__init__(text)
        self.setData(_KEY, key)
        self.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(_KEY), other.data(_KEY)
        if isinstance(mine, str) or isinstance(theirs, str):
            return str(mine) < str(theirs)
        return float(mine) < float(theirs)


class SurveyDialog(QDialog):
    """The survey's progress, then its answer; see the module."""

    #: A row's failure was added to the scenario: its ``what_if`` text (``rack=3@80``).
    failure_added = Signal(str)

    def __init__(self, window: MainWindow, scenario: Scenario) -> None:
        super().__init__(window)
        self.window_ = window
        self.scenario = scenario
        self.survey: Survey | None = None
        self.job: SurveyJob | None = None
        self.setWindowTitle("What Survives Which Failure")
        self.setObjectName("survey-dialog")
        self.pages = QStackedWidget()
        self.pages.addWidget(self._progress_page())
        self.pages.addWidget(self._result_page())
        self.buttons = QDialogButtonBox()
        self.fail_button = self.buttons.addButton(
            "&Fail Now", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.fail_button.setToolTip(
            "Add the selected failure to the scenario at the playback clock's time, in every "
            "world, and play on to watch it (Enter, or a double-click; Ctrl+Z undoes it)"
        )
        self.fail_button.clicked.connect(self.fail_now)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setToolTip("Close the survey (Esc)")
        self.close_button.clicked.connect(self.reject)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setToolTip("Stop the survey; nothing changes (Esc)")
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.buttons)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._check)
        self._show_page(0)
        self.resize(1080, 660)

    # --- the progress page -----------------------------------------------------------------

    def _progress_page(self) -> QWidget:
        page = QWidget()
        self.progress_label = QLabel(f"Surveying {hosts_text(self.scenario)}…")
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 0)  # busy until the first task is done
        self.progress_bar.setToolTip(
            "Single hosts by capacity analysis, racks and zones simulated, on every core"
        )
        self.progress_detail = QLabel(
            "Every single host, rack and zone failure, in every world: racks and zones "
            "simulated, single hosts by capacity analysis."
        )
        self.progress_detail.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.progress_detail)
        layout.addStretch(1)
        return page

    def start(self) -> None:
        """Start the survey (the dialog shows its progress until it is done)."""
        self.job = SurveyJob(self.scenario).start()
        # Gone with its window (the app quitting) before the survey is: stop the survey too,
        # and its workers with it.
        self.destroyed.connect(self.job.cancel)
        self._poll.start()

    def _check(self) -> None:
        job = self.job
        if job is None:
            return
        if job.progress is not None:
            done, total, what = job.progress
            self.progress_bar.setRange(0, max(total, 1))
            self.progress_bar.setValue(done)
            last = f"; the last: {what}" if done else ""
            self.progress_detail.setText(f"{done:,} of {total:,} tasks done{last}")
        if not job.done.is_set():
            return
        self._poll.stop()
        self.job = None
        job.finish()
        if job.error is not None:
            self.reject()
            self.window_.show_error("The survey failed", str(job.error))
            return
        if job.result is not None:
            self.show_survey(job.result)

    def reject(self) -> None:
        """Cancel (while it runs: the survey stops at its next task) or Close."""
        if self.job is not None:
            self._poll.stop()
            self.job.cancel()
            self.job = None
            _CollectorBack(self.window_)
        super().reject()

    # --- the answer --------------------------------------------------------------------------

    def _result_page(self) -> QWidget:
        page = QWidget()
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget()
        self.tabs.setToolTip("Each world's answer (Ctrl+Tab: the next world)")
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        return page

    def show_survey(self, survey: Survey) -> None:
        """Show ``survey``'s answer (what the job found, or one a test hands over)."""
        self.survey = survey
        lines = survey_report(survey).splitlines()
        self.heading.setText(f"<b>{_escape(lines[0])}</b><br>{_escape(lines[1])}")
        self.tables: dict[str, QTableWidget] = {}
        for world in survey.worlds:
            self.tabs.addTab(self._world_tab(survey, world), World(world).display_name)
        self.tabs.currentChanged.connect(self._on_world_changed)
        self._show_page(1)
        self._on_world_changed(0)

    def _on_world_changed(self, index: int) -> None:
        """Another world's tab: its table takes the keys, its worst failure selected."""
        if self.survey is None or index < 0:
            return
        table = self.tables[self.survey.worlds[index]]
        table.setFocus()
        if table.rowCount() and not table.selectionModel().hasSelection():
            table.selectRow(0)
        self._enable_fail()

    def _world_tab(self, survey: Survey, world: str) -> QWidget:
        tab = QWidget()
        summary = QLabel(
            "<br>".join(
                _escape(line)
                for kind in ("host", "rack", "zone")
                if (line := kind_line(survey, world, kind)) is not None
            )
        )
        summary.setWordWrap(True)
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        table = QTableWidget(0, len(COLUMNS))
        table.setObjectName(f"survey-table-{world}")
        for column, (header, tip) in enumerate(COLUMNS):
            item = QTableWidgetItem(header)
            item.setToolTip(tip)
            table.setHorizontalHeaderItem(column, item)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        # Tab leaves the table for the buttons, and Ctrl+Tab reaches the tabs (the next world).
        table.setTabKeyNavigation(False)
        table.verticalHeader().setVisible(False)
        table.setToolTip(
            "Each failure of the survey, the worst first; double-click a row (or Enter) to "
            "fail it now and watch"
        )
        rows = _rows(survey, world)
        table.setRowCount(len(rows))
        for row, failure in enumerate(rows):
            self._fill_row(table, row, failure, world)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        # Sortable by a click on a header; until then in the order given, the worst first (no
        # section sorted: enabling sorting would otherwise sort by the first at once).
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        table.doubleClicked.connect(lambda _index: self.fail_now())
        table.itemSelectionChanged.connect(self._enable_fail)
        self.tables[world] = table
        label = QLabel("&Failures:")
        label.setBuddy(table)
        layout = QVBoxLayout(tab)
        layout.addWidget(summary)
        layout.addWidget(label)
        layout.addWidget(table, 1)
        return tab

    def _fill_row(self, table: QTableWidget, row: int, failure: FailureResult, world: str) -> None:
        outcome = failure.outcome(world)
        candidate = failure.candidate
        title = candidate.title if candidate.kind != "host" else f"host {candidate.title}"
        back = "—"
        back_key = -1.0
        if outcome.recovery_s is not None and outcome.lost:
            back, back_key = duration(outcome.recovery_s), outcome.recovery_s
        elif not outcome.survives:
            back, back_key = "never, within the watch", 1e12
        elif outcome.lost == 0:
            back, back_key = "nothing ran there", 0.0
        elif not outcome.simulated:
            back = "not simulated"
        agrees = failure.agrees(world)
        answered = "simulation" if outcome.simulated else "capacity analysis"
        if agrees is not None:
            answered = "both, agreeing" if agrees else "simulation (the analysis differed)"
        cells = (
            _Item(title, _natural(candidate.kind, candidate.title)),
            _Item(f"{candidate.hosts:,}", candidate.hosts),
            _Item(f"{outcome.lost:,}", outcome.lost),
            _Item(f"{outcome.short:,}", outcome.short),
            _Item(shortfall_text(outcome) if outcome.short else "full capacity", outcome.short),
            _Item(back, back_key),
            _Item(answered, answered),
        )
        tip = _row_tip(failure, world)
        for column, item in enumerate(cells):
            item.setToolTip(tip)
            if outcome.short:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            if column in (1, 2, 3):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)
        cells[0].setData(_FAILURE, (candidate.kind, candidate.name))

    # --- failing one -------------------------------------------------------------------------

    def selected_failure(self) -> tuple[str, str] | None:
        """The selected row's failure, ``(kind, name)``, in the tab on show."""
        if self.survey is None:
            return None
        table = self.tables[self.survey.worlds[max(self.tabs.currentIndex(), 0)]]
        rows = table.selectionModel().selectedRows()
        if not rows:
            return None
        item = table.item(rows[0].row(), 0)
        kind, name = item.data(_FAILURE)
        return str(kind), str(name)

    def _enable_fail(self) -> None:
        self.fail_button.setEnabled(self.selected_failure() is not None)

    def fail_now(self) -> None:
        """Add the selected row's failure at the playback clock's time, in every world."""
        chosen = self.selected_failure()
        document = self.window_.document
        if chosen is None or document is None or not self.window_.session.runs():
            return
        kind, name = chosen
        t = self.window_.session.controller.time()
        cluster = self.window_.running_cluster()
        if kind == "host" and cluster is not None and not cluster.can(name, "fail"):
            self.status.setText(f"{name} is not up at {t:,.1f} s: nothing to fail.")
            return
        if cluster is not None:
            # The cluster's own path: the same event, undo step and message as a right-click.
            if kind == "host":
                cluster.act_on_host(name, "fail")
            else:
                cluster.act_on_outage(kind, name)
            message = cluster.last_message
        else:
            event: HostFail | RackFail | ZoneFail
            if kind == "host":
                event, what = HostFail(t, name), name
            elif kind == "rack":
                event, what = RackFail(t, int(name)), f"Rack {name}"
            else:
                event, what = ZoneFail(t, name), f"Zone {name}"
            document.add_event(event, f"{what} fails at {t:,.1f} s")
            message = f"{what} fails at {t:,.1f} s in every world; play on to watch."
        self.status.setText(f"{message} Ctrl+Z undoes it.")
        self.failure_added.emit(f"{kind}={name}@{t:g}")

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        running = index == 0
        self.cancel_button.setVisible(running)
        self.fail_button.setVisible(not running)
        self.close_button.setVisible(not running)
        self.fail_button.setDefault(not running)
        self.fail_button.setEnabled(not running and self.selected_failure() is not None)


def _rows(survey: Survey, world: str) -> list[FailureResult]:
    """A world's failures in the table's order: those that leave replicas short first (the
    most first), then the simulated ones (the slowest first), then the analysed hosts."""
    every = (*survey.racks, *survey.zones, *survey.hosts)
    short = [f for f in ranked(every, world) if not f.outcome(world).survives]
    timed = [f for f in ranked(every, world) if f.outcome(world).survives and f.simulated]
    rest = [f for f in survey.hosts if f.outcome(world).survives and not f.simulated]
    return [*short, *timed, *rest]


def _row_tip(failure: FailureResult, world: str) -> str:
    outcome = failure.outcome(world)
    candidate = failure.candidate
    if candidate.kind == "host":
        lines = [f"Host {candidate.name} fails."]
    else:
        plural = "s" if candidate.hosts != 1 else ""
        lines = [f"{candidate.title.capitalize()} fails: {candidate.hosts:,} host{plural} at once."]
    if outcome.reason:
        lines.append(f"Why: {outcome.reason}")
    if failure.why_simulated:
        lines.append(f"Simulated as {failure.why_simulated}.")
    elif outcome.simulated:
        lines.append("Simulated: a rack or a zone, where timing matters.")
    else:
        lines.append("Capacity analysis: the platform's placement replayed without a clock.")
    if not outcome.exact and not outcome.simulated:
        lines.append(
            "An estimate: only a clock orders these replicas (a StatefulSet with a grace "
            "period of 0, or a NoExecute taint tolerated for a while), and this host was not "
            "simulated."
        )
    if failure.agrees(world) is False:
        lines.append("The capacity analysis said otherwise; the simulation's answer is shown.")
    lines.append("Double-click or Enter: fail it now and watch.")
    return "\n".join(lines)


def _natural(kind: str, title: str) -> str:
    """A failure's sort key: racks, then zones, then hosts, numbers in number order."""
    padded = re.sub(r"\d+", lambda found: found.group().zfill(9), title)
    return f"{('rack', 'zone', 'host').index(kind)}{padded}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def open_survey_dialog(window: MainWindow) -> SurveyDialog | None:
    """Survey the scenario on show (window-modal while it runs; the answer stays open)."""
    document = window.document
    if document is None or not window.session.runs():
        return None
    dialog = SurveyDialog(window, document.scenario)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.start()
    return dialog
