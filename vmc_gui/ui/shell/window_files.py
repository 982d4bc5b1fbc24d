"""The main window's files: open, save (atomically), recent files, drag and drop, and export
of the view last used or of the whole window.

:class:`ScenarioFiles` is a part of :class:`~vmc_gui.ui.shell.main_window.MainWindow`,
composed into it (``window.files``); the window keeps only the drop events Qt sends it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QDialog, QFileDialog, QGraphicsView, QWidget

from vmc_gui.model.errors import ScenarioError
from vmc_gui.model.lessons import ROWS, View
from vmc_gui.model.scenario import Scenario
from vmc_gui.ui.document import ScenarioDocument
from vmc_gui.ui.shell.key_routing import commit_pending_edit
from vmc_gui.ui.shell.lesson_text import scenario_html

if TYPE_CHECKING:
    from vmc_gui.model.importing.build import ImportResult
    from vmc_gui.ui.shell.main_window import MainWindow

_FILE_FILTER = "Scenarios (*.toml);;All files (*)"
_OPEN_FILTER = (
    "Scenarios and pictures (*.toml *.png *.apng *.svg);;Scenarios (*.toml);;All files (*)"
)


class PictureDocument(ScenarioDocument):
    """A scenario reopened from a picture, or imported from a cluster's export: untitled
    until saved (as a .toml; the file it came from is never written over), and named after
    that file."""

    def __init__(
        self, scenario: Scenario, picture: Path, parent: QObject | None = None, *, how: str = "from"
    ) -> None:
        super().__init__(scenario, None, parent)
        self.picture = picture
        self._how = how

    def display_name(self) -> str:
        if self.path is not None:
            return super().display_name()
        return f"{self.scenario.title} ({self._how} {self.picture.name})"


class ScenarioFiles:
    """What File does: open, save, export, and the view last worked in (what Export View and
    the zoom items act on)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.session = window.session
        self.settings = window.settings
        #: The view the user last worked in (a diagram, the cluster, a chart).
        self._last_view: QWidget | None = None

    def forget_last_view(self) -> None:
        """Another lesson or file is on show: Export View starts from its main view."""
        self._last_view = None

    def open_file(self, path: str | Path) -> bool:
        """Open a scenario file, or a picture vmc-gui exported (at the time it shows); a bad
        one gets an error dialog and nothing else changes."""
        path = Path(path)
        from vmc_gui.model.loader import load_scenario

        key = str(path.resolve())
        open_already = self.session.get(key)
        if open_already is not None and not open_already.undo_stack.isClean():
            # Reading the file again would drop the changes: show them instead.
            if not self._show_file(open_already):
                return False
            self.window.statusBar().showMessage(
                f"{path.name} is open with changes that are not saved; File > Save keeps them.",
                8000,
            )
            return True
        from vmc_gui.model.picture import is_picture  # the scenario model loads on first use

        if is_picture(path):
            return self._open_picture(path, key)
        try:
            scenario = load_scenario(path)
        except ScenarioError as problem:
            self.settings.remove_recent(path.resolve())
            self.window.show_error(
                "Cannot open the scenario", "\n".join(str(p) for p in problem.problems)
            )
            return False
        except OSError as problem:
            self.window.show_error(
                "Cannot open the scenario", f"{path}: {problem.strerror or problem}"
            )
            return False
        document = ScenarioDocument(scenario, path, parent=self.session)
        # Simulated before it is kept or listed: a cancelled run leaves no trace of it.
        if not self.session.prepare(document):
            document.deleteLater()
            return False
        self.session.keep(key, document)
        self.settings.add_recent(path)
        self._show_file(document)
        if scenario.warnings:
            # Opened all the same: say what was left out (a retired setting).
            ignored = "; ".join(w.split(": ignored: ", 1)[-1] for w in scenario.warnings)
            self.window.statusBar().showMessage(
                f"Opened {path}, ignoring a retired setting: {ignored}"
            )
        else:
            self.window.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def _open_picture(self, path: Path, key: str) -> bool:
        """The scenario a picture carries, untitled, on show at the picture's time."""
        try:
            from vmc_gui.model.picture import read_picture

            picture = read_picture(path)
            scenario = picture.load()
        except ScenarioError as problem:
            self.window.show_error(
                "Cannot open the picture's scenario", "\n".join(str(p) for p in problem.problems)
            )
            return False
        document = PictureDocument(scenario, path, parent=self.session)
        if not self.session.prepare(document):
            document.deleteLater()
            return False
        self.session.keep(key, document)
        self._show_file(document)
        self.window.seek(picture.at_s)
        self.window.statusBar().showMessage(
            f"Opened the scenario in {path.name}, at {picture.at_s:g} s. "
            "File > Save As keeps it as a scenario file.",
            8000,
        )
        return True

    def ask_import(self) -> QDialog:
        """File > Import Cluster…: the dialog, whose summary comes before the scenario."""
        from vmc_gui.ui.shell.import_dialog import ImportDialog

        dialog = ImportDialog(self.settings.store, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(self.open_imported)
        dialog.open()
        return dialog

    def open_imported(self, result: ImportResult) -> bool:
        """Open an imported cluster's scenario, untitled (File > Save As keeps it)."""
        origin = Path(result.paths[0])
        document = PictureDocument(
            result.scenario, origin, parent=self.session, how="imported from"
        )
        if not self.session.prepare(document):
            document.deleteLater()
            return False
        self.session.keep(f"import:{id(document)}", document)
        self._show_file(document)
        self.window.statusBar().showMessage(
            f"Imported {result.scenario.cluster.host_count:,} hosts from {origin.name}. "
            "File > Save As keeps the scenario.",
            8000,
        )
        return True

    def _show_file(self, document: ScenarioDocument) -> bool:
        """Show ``document`` on the lesson page; False if the user cancelled its run."""
        scenario = document.scenario
        source = document.path
        if source is None and isinstance(document, PictureDocument):
            source = document.picture  # not saved yet: where it came from
        assert source is not None
        row = ROWS.get(scenario.lesson)
        shown = self.window.show_on_page(
            document,
            str(source.resolve()),
            row.diagram if row else "vm-vs-container",
            scenario.title,
            row.hint if row else "",
            scenario_html(scenario, source),
        )
        if shown:
            self.window.mark_lesson(row.slug if row else "")
        return shown

    def ask_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open a scenario", self._folder(), _OPEN_FILTER
        )
        if path:
            self.open_file(path)

    def save(self) -> bool:
        if self.window.document is None:
            return False
        if self.window.document.path is None:
            return self.ask_save_as()
        return self.save_to(self.window.document.path)

    def ask_save_as(self) -> bool:
        if self.window.document is None:
            return False
        suggested = (
            self.window.document.path
            or Path(self._folder()) / f"{self.window.document.scenario.name}.toml"
        )
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Save the scenario as", str(suggested), _FILE_FILTER
        )
        if not path:
            return False
        if not path.lower().endswith(".toml"):
            path += ".toml"
        return self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        """Write the scenario to ``path`` atomically; on failure the old file is left as it was
        and the user is told why."""
        if self.window.document is None:
            return False
        from vmc_gui.ui import export  # on first use: QtSvg is not needed to start

        commit_pending_edit(self.window)  # the value the user sees is the one saved
        key = str(path.resolve())
        holder = self.session.get(key)
        if holder is not None and holder is not self.window.document:
            # Another document is that file, open: its unsaved changes would go unnoticed.
            if not holder.undo_stack.isClean() and not self.window.confirm_discard(holder):
                return False
            self.session.forget(key)
        from vmc_gui.model.scenario_toml import dumps_scenario

        text = dumps_scenario(self.window.document.scenario)
        try:
            export.save_bytes(path, text.encode("utf-8"))
        except export.ExportError as problem:
            self.window.show_error(
                "Cannot save the scenario", f"{problem}\n\nThe old file, if any, is unchanged."
            )
            return False
        # The document is now that file's: a later Open of the same path finds it.
        self.session.keep(key, self.window.document)
        for kept in self.session.keys_of(self.window.document):
            if kept != key and kept not in ROWS:  # an old file's key, not a lesson's
                self.session.forget(kept)
        self.window.document.mark_saved(path)
        self.settings.add_recent(path)
        self.window.setWindowTitle(f"{self.window.document.display_name()}[*] — vmc-gui")
        self.window.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def _folder(self) -> str:
        recent = self.settings.recent_files()
        return str(recent[0].parent) if recent else str(Path.home())

    def current_view(self) -> QWidget:
        """What "Export View" exports: the view last clicked, else the main one on show."""
        if self._last_view is not None and self._last_view.isVisible():
            return self._last_view
        if self.window.pages.currentWidget() is self.window.table:
            return self.window.table
        if self.window.page.showing(View.CLUSTER) and self.window.page.cluster is not None:
            return self.window.page.cluster.view
        if self.window.page.showing(View.MATRIX) and self.window.page.compat is not None:
            return self.window.page.compat
        return self.window.page.diagram.view

    def export_view(self, path: str | Path) -> bool:
        from vmc_gui.ui import export

        commit_pending_edit(self.window)
        view = self.current_view()
        title = self.window.windowTitle().replace("[*]", "")
        metadata = self.picture_metadata()
        try:
            if hasattr(view, "export"):  # a diagram or the cluster: the whole scene, at 2x
                view.export(path, metadata=metadata)
            elif isinstance(view, QGraphicsView):  # a chart, drawn as 'vmc-gui export' does
                options = export.ExportOptions(2.0)
                source = view.content_rect()
                export.export_scene(view.scene(), source, path, options, title, metadata)
            else:  # the table, the compatibility matrix: as on screen
                export.export_widget(view, path, title, metadata=metadata)
        except export.ExportError as problem:
            self.window.show_error("Export failed", str(problem))
            return False
        self.window.statusBar().showMessage(f"Exported {path}", 5000)
        return True

    def picture_metadata(self) -> dict[str, str] | None:
        """What a picture exported now carries, to reopen as it is: the scenario on show
        (with the user's settings and failures), the clock's time and the lesson; None on
        the table."""
        document = self.window.document
        if document is None:
            return None
        at = self.session.controller.time() if self.session.runs() else 0.0
        row = ROWS.get(self.window.lesson) or self.session.row()
        from vmc_gui.ui.picture_meta import metadata_for

        return metadata_for(document.scenario, at, row.slug if row else "")

    def export_window(self, path: str | Path) -> bool:
        from vmc_gui.ui import export

        try:
            export.export_widget(self.window, path, "vmc-gui", metadata=self.picture_metadata())
        except export.ExportError as problem:
            self.window.show_error("Export failed", str(problem))
            return False
        self.window.statusBar().showMessage(f"Exported {path}", 5000)
        return True

    def ask_export_view(self) -> QDialog:
        """File > Export View: the export dialog, on the view last used (or its chart)."""
        from vmc_gui.ui.shell.export_dialog import open_export_dialog
        from vmc_gui.ui.shell.export_targets import view_target_key

        return open_export_dialog(self.window, view_target_key(self.window))

    def ask_export_window(self) -> QDialog:
        """File > Export Window: the export dialog, on the whole window."""
        from vmc_gui.ui.shell.export_dialog import open_export_dialog

        return open_export_dialog(self.window, "window")

    def remember_view(self, old: QWidget | None, new: QWidget | None) -> None:
        """Remember the last view the user worked in, for "Export View" and the zoom items."""
        widget = new
        while widget is not None and widget is not self.window:
            if isinstance(widget, QGraphicsView):  # a diagram, the cluster or a chart
                self._last_view = widget
                return
            widget = widget.parentWidget()

    def zoom(self, how: str) -> None:
        view = self.current_view()
        if hasattr(view, how):  # a ZoomView; charts zoom with the wheel
            getattr(view, how)()


def dropped_scenario(event: QDragEnterEvent | QDropEvent) -> Path | None:
    """The scenario file, or the picture vmc-gui exported, dropped on the window."""
    from vmc_gui.model.picture import PICTURE_SUFFIXES

    for url in event.mimeData().urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith((".toml", *PICTURE_SUFFIXES)):
            return Path(url.toLocalFile())
    return None
