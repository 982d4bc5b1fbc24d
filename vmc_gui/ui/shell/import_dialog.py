"""File > Import Cluster…: a real cluster's export (kubectl's JSON or a cluster-info dump,
PowerShell's ConvertTo-Json) read into a scenario, with the summary shown before it opens
(issue 21, §2).

The import runs on a worker thread (a 1,000-node export takes a few seconds), with a busy
bar and Cancel; a file that cannot be read is named with its JSON path on the dialog, and
the files chosen stay chosen.  Nothing opens until the user has read the summary.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QThread, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from vmc_gui.model.importing.build import SOURCES, ImportResult, import_cluster, scenario_name

#: Where each source's files come from, as the dialog says it.
_HOW = {
    "kubernetes": (
        "kubectl get nodes -o json > nodes.json<br>"
        "kubectl get pods -A -o json > pods.json<br>"
        "or the folder of <tt>kubectl cluster-info dump --output-directory DIR</tt>"
    ),
    "hyperv": (
        "Get-ClusterNode | ConvertTo-Json > nodes.json<br>"
        "Get-VM -ComputerName (Get-ClusterNode) | ConvertTo-Json > vms.json<br>"
        "and, if you have it, Get-ClusterGroup | ConvertTo-Json > groups.json"
    ),
}
_FILTER = "JSON exports (*.json);;All files (*)"
_KEY = "import/"


class _ImportThread(QThread):
    """Runs one import off the GUI thread; ``result`` or ``problem`` is set when it ends."""

    def __init__(self, source: str, paths: list[str], name: str, title: str) -> None:
        super().__init__()
        self._args = (source, paths, name, title)
        self.result: ImportResult | None = None
        self.problem = ""

    def run(self) -> None:
        from vmc_gui.model.errors import ScenarioError
        from vmc_gui.model.imported import ImportProblem

        source, paths, name, title = self._args
        try:
            self.result = import_cluster(source, paths, name=name, title=title)
        except ImportProblem as problem:
            self.problem = str(problem)
        except ScenarioError as problem:  # a scenario that would not read back: our bug
            self.problem = "The scenario built does not read back:\n" + "\n".join(
                str(p) for p in problem.problems
            )
        except (OSError, MemoryError, RecursionError) as problem:
            self.problem = f"Cannot read the files: {problem}"


class ImportDialog(QDialog):
    """Choose the export's files, import them, read the summary, then open the scenario."""

    #: The user read the summary and asked for the scenario: open it.
    imported = Signal(object)

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import a Cluster")
        self.setMinimumSize(760, 480)
        self.setAcceptDrops(True)
        self._settings = settings
        self._thread: _ImportThread | None = None
        self.result: ImportResult | None = None
        self._pages = QStackedWidget()
        self._pages.addWidget(self._choose_page())
        self._pages.addWidget(self._summary_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self._pages)
        self._buttons = QDialogButtonBox()
        self.import_button = self._buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start)
        self.open_button = self._buttons.addButton(
            "&Open Scenario", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.open_button.clicked.connect(self._open)
        self.back_button = self._buttons.addButton("&Back", QDialogButtonBox.ButtonRole.ResetRole)
        self.back_button.clicked.connect(self._back)
        self.cancel_button = self._buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(self._buttons)
        self._show_page(0)

    # --- the first page: what to import ----------------------------------------------------

    def _choose_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self._sources = QButtonGroup(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Export from:"))
        last = str(self._settings.value(_KEY + "source", "kubernetes"))
        for key, name in SOURCES.items():
            button = QRadioButton(name)
            button.setProperty("source", key)
            button.setChecked(key == last)
            self._sources.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.how = QLabel()
        self.how.setTextFormat(Qt.TextFormat.RichText)
        self.how.setWordWrap(True)
        layout.addWidget(self.how)
        self._sources.buttonToggled.connect(self._on_source)
        self.files = QListWidget()
        self.files.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.files.setToolTip("The export's files (drop them here too)")
        self.files.setMinimumHeight(140)
        layout.addWidget(self.files, 1)
        buttons = QHBoxLayout()
        add = QPushButton("Add &Files…")
        add.clicked.connect(self._ask_files)
        folder = QPushButton("Add F&older…")
        folder.setToolTip("A folder written by kubectl cluster-info dump --output-directory")
        folder.clicked.connect(self._ask_folder)
        remove = QPushButton("&Remove")
        remove.clicked.connect(self._remove)
        for button in (add, folder, remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no measure of how far: a busy bar
        self.busy.setTextVisible(False)
        self.busy.hide()
        layout.addWidget(self.busy)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold = QFont(self.error.font())
        bold.setBold(True)  # as the other dialogs say what went wrong
        self.error.setFont(bold)
        self.error.hide()
        layout.addWidget(self.error)
        self._on_source()
        return page

    def source(self) -> str:
        checked = self._sources.checkedButton()
        return str(checked.property("source")) if checked else "kubernetes"

    def set_source(self, source: str) -> None:
        for button in self._sources.buttons():
            button.setChecked(button.property("source") == source)

    def _on_source(self) -> None:
        self.how.setText(f"<p>Write the files with:<br><tt>{_HOW[self.source()]}</tt></p>")

    def paths(self) -> list[str]:
        return [self.files.item(i).text() for i in range(self.files.count())]

    def add_paths(self, paths: list[str]) -> None:
        known = set(self.paths())
        for path in paths:
            if path not in known:
                self.files.addItem(path)
                known.add(path)
        self.error.hide()

    def _folder(self) -> str:
        return str(self._settings.value(_KEY + "folder", str(Path.home())))

    def _ask_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "The export's files", self._folder(), _FILTER)
        if paths:
            self._settings.setValue(_KEY + "folder", str(Path(paths[0]).parent))
            self.add_paths(paths)

    def _ask_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "A cluster-info dump", self._folder())
        if path:
            self._settings.setValue(_KEY + "folder", str(Path(path).parent))
            self.add_paths([path])

    def _remove(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.add_paths([url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()])

    # --- importing -------------------------------------------------------------------------

    def start(self) -> None:
        """Import the files chosen, off the GUI thread."""
        paths = self.paths()
        if not paths:
            self._say("Add the export's files first (Add Files…, or drop them here).")
            return
        source = self.source()
        self._settings.setValue(_KEY + "source", source)
        stem = Path(paths[0]).stem if len(paths) == 1 else Path(paths[0]).parent.name
        title = f"{stem}: imported from {SOURCES[source]}"
        self._thread = _ImportThread(source, paths, scenario_name(stem), title)
        self._thread.finished.connect(self._done)
        self.busy.show()
        self.error.hide()
        self.import_button.setEnabled(False)
        self._thread.start()

    def wait_for_import(self) -> None:
        """Block until the import running ends (Cancel and closing wait for it: a reader
        cannot be stopped halfway, and it takes seconds at most)."""
        if self._thread is not None:
            self._thread.wait()

    def _done(self) -> None:
        thread, self._thread = self._thread, None
        self.busy.hide()
        self.import_button.setEnabled(True)
        if thread is None:
            return
        thread.deleteLater()
        if thread.result is None:
            self._say(thread.problem or "The import stopped without a result.")
            return
        self.result = thread.result
        self._fill_summary(thread.result)
        self._show_page(1)

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    # --- the second page: what was found ----------------------------------------------------

    def _summary_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.headline = QLabel()
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.headline.setFont(font)
        self.headline.setWordWrap(True)
        layout.addWidget(self.headline)
        self.shape = QLabel()
        self.shape.setWordWrap(True)
        layout.addWidget(self.shape)
        layout.addWidget(QLabel("What was read, and what the scenario leaves out:"))
        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        self.summary.setMinimumHeight(180)
        layout.addWidget(self.summary, 1)
        hint = QLabel(
            "The scenario opens untitled, at steady state with no failure: right-click a host "
            "to fail it, its rack or its zone, or use Simulation. File > Save As keeps it."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        return page

    def _fill_summary(self, result: ImportResult) -> None:
        cluster = result.scenario.cluster
        hosts, services = cluster.host_count, result.scenario.services
        replicas = sum(s.replicas for s in services)
        zones = len(set(cluster.zone_names())) if cluster.zones == "rack" else 1
        self.headline.setText(
            f"{hosts:,} host{'s' * (hosts != 1)} · {len(services):,} "
            f"service{'s' * (len(services) != 1)} · {replicas:,} replicas"
        )
        self.shape.setText(
            f"{cluster.racks:,} rack{'s' * (cluster.racks != 1)} in {zones:,} "
            f"zone{'s' * (zones != 1)}; the largest host has {cluster.cores:g} cores and "
            f"{cluster.memory_gb:,.1f} GB to give."
        )
        self.summary.setPlainText("\n".join(result.summary))

    def _show_page(self, index: int) -> None:
        self._pages.setCurrentIndex(index)
        self.import_button.setVisible(index == 0)
        self.open_button.setVisible(index == 1)
        self.back_button.setVisible(index == 1)
        (self.import_button if index == 0 else self.open_button).setDefault(True)

    def _back(self) -> None:
        self._show_page(0)

    def _open(self) -> None:
        if self.result is not None:
            self.imported.emit(self.result)
            self.accept()

    def done(self, code: int) -> None:
        self.wait_for_import()  # never leave a thread running behind a closed dialog
        super().done(code)
