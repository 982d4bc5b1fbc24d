"""The main window: the comparison table first, a page per lesson, and the docks around it.

- Centre: the table, or a lesson's page (its diagram over its cluster view and playback bar).
- Docks: the lessons (left), the inspector with the settings (right), the charts (bottom).
- Menus: File, Edit, View, Simulation, Help; the toolbar carries the everyday ones.

Each scenario on show is a :class:`ScenarioDocument` with its own undo stack; a QUndoGroup
makes Undo and Redo act on the one on show.  Switching lessons keeps each lesson's edits.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QKeySequence,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from vmc_gui.model.errors import ScenarioError
from vmc_gui.model.lessons import OVERVIEW, OVERVIEW_TEXT, OVERVIEW_TITLE, ROWS, Row, Side
from vmc_gui.model.parameters import ParameterError, ParameterSet, Value
from vmc_gui.model.scenario import Scenario
from vmc_gui.model.scenario_toml import dumps_scenario
from vmc_gui.ui.document import ScenarioDocument
from vmc_gui.ui.export import ExportError, export_scene, export_widget, save_bytes
from vmc_gui.ui.fonts import load_fonts
from vmc_gui.ui.playback import SPEEDS
from vmc_gui.ui.scenes.zoom_view import ZoomView
from vmc_gui.ui.shell.app_settings import AppSettings
from vmc_gui.ui.shell.comparison_table import ComparisonTable
from vmc_gui.ui.shell.help_dialogs import InfoDialog, about_html, shortcuts_html, sources_html
from vmc_gui.ui.shell.inspector import Inspector
from vmc_gui.ui.shell.lesson_page import LessonPage
from vmc_gui.ui.shell.lessons_panel import LessonsPanel
from vmc_gui.ui.shell.palette import apply_theme
from vmc_gui.ui.theme import THEMES

#: Scenario files larger than this are refused before they are read (the loader's limit).
_FILE_FILTER = "Scenarios (*.toml);;All files (*)"
_PICTURE_FILTER = "PNG image (*.png);;SVG drawing (*.svg)"
#: The most hosts the "Fail a host" menu lists; a larger cluster is right-clicked instead.
_MENU_HOSTS = 40
#: How much larger the fonts are in presentation mode.
PRESENTATION_SCALE = 1.3


class MainWindow(QMainWindow):
    """The app: see the module's docstring."""

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        load_fonts()
        self.setObjectName("main-window")
        self.settings = AppSettings(settings)
        self.setWindowTitle("vmc-gui")
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self._documents: dict[str, ScenarioDocument] = {}
        self.document: ScenarioDocument | None = None
        self.lesson = OVERVIEW
        self._diagram_name = "vm-vs-container"
        self._normal_font = QFont(QApplication.font())
        self._last_view: QWidget | None = None
        self.error_dialog: QMessageBox | None = None
        self.undo_group = QUndoGroup(self)

        self.table = ComparisonTable()
        self.page = LessonPage()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.page)
        self.setCentralWidget(self.pages)

        self.lessons = LessonsPanel()
        self.inspector = Inspector()
        self.charts_placeholder = QLabel()
        self.charts_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.charts_placeholder.setWordWrap(True)
        self.charts_stack = QStackedWidget()
        self.charts_stack.addWidget(self.charts_placeholder)
        self.charts = None  # a ChartsPanel, built with the first cluster view
        self.lessons_dock = self._dock(
            "lessons", "Lessons", self.lessons, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.inspector_dock = self._dock(
            "inspector", "Inspector", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.charts_dock = self._dock(
            "charts", "Charts", self.charts_stack, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self.statusBar().showMessage("Click a cell of the table to open its lesson.", 8000)

        self.table.lesson_requested.connect(self.open_lesson)
        self.lessons.lesson_requested.connect(self.open_lesson)
        self.page.diagram.explained.connect(self.inspector.explain)
        self.inspector.parameters.edited.connect(self._on_parameter_edited)
        self.undo_group.cleanChanged.connect(lambda clean: self.setWindowModified(not clean))
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._on_focus_changed)

        # The side docks run the window's full height; the charts sit under the centre only.
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.resize(1600, 1000)
        self.resizeDocks(
            [self.lessons_dock, self.inspector_dock], [180, 350], Qt.Orientation.Horizontal
        )
        self.resizeDocks([self.charts_dock], [300], Qt.Orientation.Vertical)
        self._default_state = self.saveState()
        self.settings.restore_window(self)
        self.set_theme(self.settings.theme())
        self.open_overview()

    # --- building -------------------------------------------------------------------------

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)  # saveState finds docks by name
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(
        self,
        text: str,
        slot: object,
        keys: QKeySequence.StandardKey | str | None = None,
        tip: str = "",
        *,
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.setCheckable(checkable)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.open_action = self._action("&Open…", self.ask_open, keys.Open, "Open a scenario file")
        self.save_action = self._action(
            "&Save", self.save, keys.Save, "Save the scenario with your changes"
        )
        self.save_as_action = self._action(
            "Save &As…", self.ask_save_as, "Ctrl+Shift+S", "Save the scenario to a new file"
        )
        self.export_view_action = self._action(
            "&Export View…",
            self.ask_export_view,
            "Ctrl+E",
            "Export the diagram, the cluster or the chart last clicked, as PNG or SVG",
        )
        self.export_window_action = self._action(
            "Export &Window…", self.ask_export_window, "Ctrl+Shift+E", "Export the whole window"
        )
        self.quit_action = self._action("&Quit", self.close, keys.Quit, "Quit vmc-gui")
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(keys.Undo))
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence(keys.Redo), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            self.addAction(action)

        self.table_action = self._action(
            "Comparison &Table", self.open_overview, "Alt+Home", "Back to the comparison table"
        )
        self.dark_action = self._action(
            "&Dark Theme", self._on_dark, "Ctrl+Shift+D", "Light or dark", checkable=True
        )
        self.presentation_action = self._action(
            "&Presentation Mode",
            self.set_presentation,
            "F11",
            "Full screen, larger text",
            checkable=True,
        )
        # The views own Ctrl++, Ctrl+- and Ctrl+0 while they have the focus; these menu items
        # act on the view last used and only show the keys (a second shortcut would clash).
        self.zoom_in_action = self._action("Zoom &In\tCtrl++", lambda: self._zoom("zoom_in"))
        self.zoom_out_action = self._action("Zoom &Out\tCtrl+-", lambda: self._zoom("zoom_out"))
        self.fit_action = self._action("&Fit to Window\tCtrl+0", lambda: self._zoom("fit"))
        self.reset_layout_action = self._action(
            "&Reset Layout", self.reset_layout, tip="Put the docks back where they started"
        )

        self.play_action = self._action("&Play", self.toggle_play, "Space", "Play or pause")
        self.previous_action = self._action(
            "Previous &Event\tLeft", self._step_previous, tip="Step back to the previous event"
        )
        self.next_action = self._action(
            "&Next Event\tRight", self._step_next, tip="Step on to the next event"
        )
        self.reset_action = self._action(
            "&Reset Scenario",
            self.reset_scenario,
            "Ctrl+R",
            "Undo every change to this scenario and go back to its start",
        )
        self.speed_group = QActionGroup(self)
        self.speed_actions: dict[float, QAction] = {}
        for speed in SPEEDS:
            action = QAction(f"{speed:g}x", self, checkable=True)
            action.setData(speed)
            action.triggered.connect(lambda _=False, s=speed: self.set_speed(s))
            self.speed_group.addAction(action)
            self.speed_actions[speed] = action
        self.speed_actions[10.0].setChecked(True)

        self.shortcuts_action = self._action(
            "&Keyboard Shortcuts", self.show_shortcuts, keys.HelpContents, "Every shortcut"
        )
        self.sources_action = self._action(
            "&Sources and References", self.show_sources, tip="Where every default comes from"
        )
        self.about_action = self._action("&About vmc-gui", self.show_about)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.addAction(self.open_action)
        self.recent_menu = file.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._fill_recent()
        file.addSeparator()
        file.addActions([self.save_action, self.save_as_action])
        file.addSeparator()
        file.addActions([self.export_view_action, self.export_window_action])
        file.addSeparator()
        file.addAction(self.quit_action)

        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo_action, self.redo_action])

        view = bar.addMenu("&View")
        view.addAction(self.table_action)
        view.addSeparator()
        view.addActions([self.dark_action, self.presentation_action])
        view.addSeparator()
        view.addActions([self.zoom_in_action, self.zoom_out_action, self.fit_action])
        view.addSeparator()
        for dock in (self.lessons_dock, self.inspector_dock, self.charts_dock):
            view.addAction(dock.toggleViewAction())
        view.addAction(self.reset_layout_action)

        simulation = bar.addMenu("&Simulation")
        simulation.addActions([self.play_action, self.previous_action, self.next_action])
        self.speed_menu = simulation.addMenu("&Speed")
        self.speed_menu.addActions(self.speed_group.actions())
        self.fail_menu = simulation.addMenu("&Fail a Host")
        self.fail_menu.aboutToShow.connect(self._fill_fail_menu)
        simulation.addSeparator()
        simulation.addAction(self.reset_action)
        self.simulation_menu = simulation

        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.shortcuts_action, self.sources_action])
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.table_action)
        toolbar.addSeparator()
        toolbar.addActions([self.open_action, self.save_as_action, self.export_view_action])
        toolbar.addSeparator()
        toolbar.addActions([self.undo_action, self.redo_action])
        toolbar.addSeparator()
        toolbar.addAction(self.dark_action)
        self.table_action.setIconText("Table")
        self.export_view_action.setIconText("Export")
        self.dark_action.setIconText("Dark")

    # --- what is on show -------------------------------------------------------------------

    def open_overview(self) -> None:
        """The comparison table."""
        self.lesson = OVERVIEW
        self._pause()
        self.pages.setCurrentWidget(self.table)
        self.lessons.select(OVERVIEW)
        self.inspector.explain(
            f"<h3>{escape(OVERVIEW_TITLE)}</h3><p>{escape(OVERVIEW_TEXT)}</p>"
            "<p>Each row of the table is a lesson. Click a cell to open it: its stack diagram, "
            "and where the row describes something that happens over time, a simulated cluster "
            "with both worlds on one clock, and charts of what each world costs.</p>"
        )
        self.inspector.show_settings(False)
        self._show_document(None)
        self.setWindowTitle("vmc-gui[*]")
        self.table.setFocus()

    def open_lesson(self, slug: str, side: str = "") -> None:
        """Open a lesson (a row's slug, or the overview) on one side of the table or both."""
        if slug == OVERVIEW:
            self.open_overview()
            return
        row = ROWS[slug]
        document = self._documents.get(slug)
        if document is None and row.scenario:
            from vmc_gui.model.library import resolve

            document = ScenarioDocument(resolve(row.scenario), parent=self)
            self._documents[slug] = document
        self.lesson = slug
        html = _lesson_html(row, side, document.scenario if document else None)
        self._open(document, row.diagram, row.feature, row.hint, html)
        self.lessons.select(slug)
        if document is not None and document.scenario.compat is None:
            self.statusBar().showMessage(
                "Space plays and pauses; the arrows step between events; right-click a host "
                "to fail it."
            )
        else:
            self.statusBar().clearMessage()

    def open_file(self, path: str | Path) -> bool:
        """Open a scenario file; a bad one gets an error dialog and nothing else changes."""
        path = Path(path)
        from vmc_gui.model.loader import load_scenario

        try:
            scenario = load_scenario(path)
        except ScenarioError as problem:
            self.settings.remove_recent(path.resolve())
            self.show_error("Cannot open the scenario", "\n".join(str(p) for p in problem.problems))
            return False
        except OSError as problem:
            self.show_error("Cannot open the scenario", f"{path}: {problem.strerror or problem}")
            return False
        key = str(path.resolve())
        document = ScenarioDocument(scenario, path, parent=self)
        old = self._documents.pop(key, None)
        if old is not None:
            self.undo_group.removeStack(old.undo_stack)
        self._documents[key] = document
        self.settings.add_recent(path)
        row = ROWS.get(scenario.lesson)
        self.lesson = key
        self._open(
            document,
            row.diagram if row else "vm-vs-container",
            scenario.title,
            row.hint if row else "",
            _scenario_html(scenario, path),
        )
        self.lessons.select(row.slug if row else "")
        self.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def _open(
        self,
        document: ScenarioDocument | None,
        diagram: str,
        title: str,
        hint: str,
        html: str,
    ) -> None:
        self._pause()
        self.pages.setCurrentWidget(self.page)
        self.page.set_heading(title, hint)
        self._diagram_name = diagram
        parameters = document.scenario.parameters if document else ParameterSet()
        self.page.diagram.show_diagram(diagram, parameters)
        self.inspector.explain(html)
        self._lesson_html = html
        self._show_document(document)

    def _show_document(self, document: ScenarioDocument | None) -> None:
        if self.document is not None:
            self.document.changed.disconnect(self._on_scenario_changed)
        self.document = document
        runs = document is not None and document.scenario.compat is None
        if document is None:
            self.page.show_diagram_only()
            self.undo_group.setActiveStack(None)  # type: ignore[arg-type]
        else:
            if document.undo_stack not in self.undo_group.stacks():
                self.undo_group.addStack(document.undo_stack)
            self.undo_group.setActiveStack(document.undo_stack)
            document.changed.connect(self._on_scenario_changed)
            built = self.page.cluster, self.page.compat
            if runs:
                self._ensure_charts(self.page.show_cluster(document))
            else:
                compat = self.page.show_compat(document)
                compat.explained.connect(self.inspector.explain, Qt.ConnectionType.UniqueConnection)
            if built != (self.page.cluster, self.page.compat):
                self._theme_views()  # a part built just now is in the light theme
            self._show_settings(document.scenario)
            self.setWindowTitle(f"{document.display_name()}[*] — vmc-gui")
        self.inspector.show_settings(runs)
        self.setWindowModified(document is not None and not document.undo_stack.isClean())
        if runs and self.charts is not None:
            self.charts_stack.setCurrentWidget(self.charts)
        else:
            self.charts_placeholder.setText(
                "Open a lesson to see its charts: each world's availability, memory and CPU, "
                "on the same clock as the cluster."
                if self.pages.currentWidget() is self.table
                else "Nothing in this lesson happens over time, so there is nothing to chart."
            )
            self.charts_stack.setCurrentWidget(self.charts_placeholder)
        for action in (
            self.play_action,
            self.previous_action,
            self.next_action,
            self.reset_action,
            self.speed_menu.menuAction(),
            self.fail_menu.menuAction(),
        ):
            action.setEnabled(runs)
        self.reset_action.setEnabled(document is not None)
        self.save_action.setEnabled(document is not None)
        self.save_as_action.setEnabled(document is not None)
        self._last_view = None

    def _ensure_charts(self, panel: object) -> None:
        if self.charts is not None:
            return
        from vmc_gui.ui.charts.charts_panel import ChartsPanel

        self.charts = ChartsPanel(panel.controller, theme=THEMES[self._theme_name()])  # type: ignore[attr-defined]
        self.charts_stack.addWidget(self.charts)
        panel.message.connect(self.statusBar().showMessage)  # type: ignore[attr-defined]
        panel.controller.playing_changed.connect(self._on_playing)  # type: ignore[attr-defined]

    def _show_settings(self, scenario: Scenario) -> None:
        row = ROWS.get(scenario.lesson)
        key = row.key_settings if row else ()
        self.inspector.parameters.show_parameters(scenario.parameters, scenario.worlds, key)

    # --- editing -----------------------------------------------------------------------------

    def _on_parameter_edited(self, name: str, value: Value) -> None:
        if self.document is None:
            return
        try:
            self.document.set_parameter(name, value)
        except ParameterError as problem:
            self.show_error("That value cannot be used", str(problem))
            self._show_settings(self.document.scenario)

    def _on_scenario_changed(self, scenario: Scenario) -> None:
        self._show_settings(scenario)
        scene = self.page.diagram.scene
        scene.set_diagram(self._diagram_name, scene.instances(), scenario.parameters)
        if self.page.compat is not None and scenario.compat is not None:
            self.page.compat.set_scenario(scenario)

    def reset_scenario(self) -> None:
        if self.document is None:
            return
        self.document.reset()
        cluster = self.page.cluster
        if cluster is not None and self.document.scenario.compat is None:
            cluster.controller.pause()
            cluster.controller.seek(0.0)
        self.statusBar().showMessage("The scenario is as it was opened.", 5000)

    def fail_host(self, host: str) -> None:
        """Fail ``host`` now, in every world (as a right-click on it does)."""
        cluster = self._cluster()
        if cluster is not None and cluster.can(host, "fail"):
            cluster.act_on_host(host, "fail")

    # --- playback ------------------------------------------------------------------------

    def _cluster(self):  # type: ignore[no-untyped-def]
        runs = self.document is not None and self.document.scenario.compat is None
        return self.page.cluster if runs and self.pages.currentWidget() is self.page else None

    def toggle_play(self) -> None:
        cluster = self._cluster()
        if cluster is not None:
            cluster.toggle()

    def _step_previous(self) -> None:
        cluster = self._cluster()
        if cluster is not None:
            cluster.controller.step_previous()

    def _step_next(self) -> None:
        cluster = self._cluster()
        if cluster is not None:
            cluster.controller.step_next()

    def set_speed(self, speed: float) -> None:
        cluster = self.page.cluster
        if cluster is not None:
            cluster.speed.setCurrentIndex(SPEEDS.index(speed))
        self.speed_actions[speed].setChecked(True)

    def _pause(self) -> None:
        if self.page.cluster is not None:
            self.page.cluster.controller.pause()

    def _on_playing(self, playing: bool) -> None:
        self.play_action.setText("&Pause" if playing else "&Play")

    def _fill_fail_menu(self) -> None:
        self.fail_menu.clear()
        cluster = self._cluster()
        if cluster is None:
            return
        hosts = self.document.scenario.cluster.host_names() if self.document else []
        up = [h for h in hosts if cluster.can(h, "fail")]
        for host in up[:_MENU_HOSTS]:
            action = self.fail_menu.addAction(host)
            action.triggered.connect(lambda _=False, h=host: self.fail_host(h))
        if len(up) > _MENU_HOSTS:
            more = self.fail_menu.addAction(f"{len(up) - _MENU_HOSTS} more: right-click a host")
            more.setEnabled(False)
        if not up:
            none = self.fail_menu.addAction("No host is up")
            none.setEnabled(False)

    # --- files -----------------------------------------------------------------------------

    def ask_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a scenario", self._folder(), _FILE_FILTER)
        if path:
            self.open_file(path)

    def save(self) -> bool:
        if self.document is None:
            return False
        if self.document.path is None:
            return self.ask_save_as()
        return self.save_to(self.document.path)

    def ask_save_as(self) -> bool:
        if self.document is None:
            return False
        suggested = (
            self.document.path or Path(self._folder()) / f"{self.document.scenario.name}.toml"
        )
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the scenario as", str(suggested), _FILE_FILTER
        )
        if not path:
            return False
        if not path.lower().endswith(".toml"):
            path += ".toml"
        return self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        """Write the scenario to ``path`` atomically; on failure the old file is left as it was
        and the user is told why."""
        if self.document is None:
            return False
        text = dumps_scenario(self.document.scenario)
        try:
            save_bytes(path, text.encode("utf-8"))
        except ExportError as problem:
            self.show_error(
                "Cannot save the scenario", f"{problem}\n\nThe old file, if any, is unchanged."
            )
            return False
        self.document.mark_saved(path)
        self.settings.add_recent(path)
        self.setWindowTitle(f"{self.document.display_name()}[*] — vmc-gui")
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = self.settings.recent_files()
        for number, path in enumerate(files, start=1):
            action = self.recent_menu.addAction(f"&{number} {path.name}")
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_file(p))
        if files:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction("Clear the List")
            clear.triggered.connect(self.settings.clear_recent)
        else:
            empty = self.recent_menu.addAction("No recent files")
            empty.setEnabled(False)

    def _folder(self) -> str:
        recent = self.settings.recent_files()
        return str(recent[0].parent) if recent else str(Path.home())

    # --- export ------------------------------------------------------------------------------

    def current_view(self) -> QWidget:
        """What "Export View" exports: the view last clicked, else the main one on show."""
        if self._last_view is not None and self._last_view.isVisible():
            return self._last_view
        if self.pages.currentWidget() is self.table:
            return self.table
        cluster = self._cluster()
        if cluster is not None:
            return cluster.view
        if (
            self.page.compat is not None
            and self.page.lower.currentWidget() is self.page.compat
            and self.page.lower.isVisible()
        ):
            return self.page.compat
        return self.page.diagram.view

    def export_view(self, path: str | Path) -> bool:
        view = self.current_view()
        try:
            if isinstance(view, ZoomView):
                view.export(path)
            elif hasattr(view, "content_rect") and hasattr(view, "scene"):  # a chart
                from vmc_gui.ui.export import ExportOptions

                export_scene(
                    view.scene(), view.content_rect(), path, ExportOptions(2.0), self.windowTitle()
                )
            else:
                export_widget(view, path, self.windowTitle())
        except ExportError as problem:
            self.show_error("Export failed", str(problem))
            return False
        self.statusBar().showMessage(f"Exported {path}", 5000)
        return True

    def export_window(self, path: str | Path) -> bool:
        try:
            export_widget(self, path, "vmc-gui")
        except ExportError as problem:
            self.show_error("Export failed", str(problem))
            return False
        self.statusBar().showMessage(f"Exported {path}", 5000)
        return True

    def ask_export_view(self) -> None:
        name = f"{self._export_stem()}.png"
        path = self._ask_picture_path("Export the view", name)
        if path:
            self.export_view(path)

    def ask_export_window(self) -> None:
        path = self._ask_picture_path("Export the window", "vmc-gui-window.png")
        if path:
            self.export_window(path)

    def _ask_picture_path(self, caption: str, name: str) -> str:
        folder = str(self.settings.store.value("files/export_folder", str(Path.home())))
        path, chosen = QFileDialog.getSaveFileName(
            self, caption, str(Path(folder) / name), _PICTURE_FILTER
        )
        if path and Path(path).suffix.lower() not in (".png", ".svg"):
            path += ".svg" if "svg" in chosen.lower() else ".png"
        if path:
            self.settings.store.setValue("files/export_folder", str(Path(path).parent))
        return path

    def _export_stem(self) -> str:
        view = self.current_view()
        if view is self.table:
            return "comparison-table"
        kind = (
            "cluster"
            if self.page.cluster is not None and view is self.page.cluster.view
            else "view"
        )
        if view is self.page.diagram.view:
            kind = "diagram"
        name = self.document.scenario.name if self.document else self.lesson
        return f"{name}-{kind}".replace(":", "-")

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        """Remember the last view the user worked in, for "Export View" and the zoom items."""
        widget = new
        while widget is not None and widget is not self:
            if isinstance(widget, ZoomView) or type(widget).__name__ == "ChartView":
                self._last_view = widget
                return
            widget = widget.parentWidget()

    def _zoom(self, how: str) -> None:
        view = self.current_view()
        if isinstance(view, ZoomView):
            getattr(view, how)()

    # --- looks ---------------------------------------------------------------------------

    def _theme_name(self) -> str:
        return "dark" if self.dark_action.isChecked() else "light"

    def _on_dark(self, dark: bool) -> None:
        self.set_theme("dark" if dark else "light")

    def set_theme(self, name: str) -> None:
        self.dark_action.setChecked(name == "dark")
        apply_theme(THEMES[name])
        self._theme_views()
        self.settings.set_theme(name)

    def _theme_views(self) -> None:
        """Give every scene and chart built so far the window's theme."""
        theme = THEMES[self._theme_name()]
        self.table.set_theme(theme)
        self.page.diagram.scene.set_theme(theme)
        if self.page.cluster is not None:
            self.page.cluster.scene.set_theme(theme)
        if self.page.compat is not None:
            self.page.compat.set_theme(theme)
        if self.charts is not None:
            self.charts.set_theme(theme)

    def set_presentation(self, on: bool) -> None:
        """Full screen with larger text, for a lecture hall; F11 again to leave."""
        self.presentation_action.setChecked(on)
        font = QFont(self._normal_font)
        if on:
            font.setPointSizeF(self._normal_font.pointSizeF() * PRESENTATION_SCALE)
            self.showFullScreen()
        else:
            self.showNormal()
        QApplication.setFont(font)

    def reset_layout(self) -> None:
        self.restoreState(self._default_state)
        for dock in (self.lessons_dock, self.inspector_dock, self.charts_dock):
            dock.show()
            dock.setFloating(False)
        self.settings.forget_layout()

    # --- help and errors -------------------------------------------------------------------

    def _info(self, title: str, html: str) -> InfoDialog:
        dialog = InfoDialog(title, html, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_shortcuts(self) -> InfoDialog:
        menus = [a for m in self.menuBar().findChildren(QMenu) for a in m.actions()]
        return self._info("Keyboard shortcuts", shortcuts_html([*menus, *self.actions()]))

    def show_sources(self) -> InfoDialog:
        return self._info("Sources and references", sources_html())

    def show_about(self) -> InfoDialog:
        return self._info("About vmc-gui", about_html())

    def show_error(self, title: str, text: str) -> QMessageBox:
        """Say what went wrong, without stopping anything (a sheet, not a nested loop)."""
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.error_dialog = box
        self.statusBar().showMessage(f"{title}.", 8000)
        return box

    # --- the window --------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_scenario(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_scenario(event)
        if path is not None:
            event.acceptProposedAction()
            # After the drop returns: a dialog opened inside a drop handler can freeze the source.
            QTimer.singleShot(0, lambda: self.open_file(path))

    def confirm_discard(self, document: ScenarioDocument) -> bool:
        """Whether unsaved changes to ``document`` may be dropped."""
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"{document.display_name()} has changes that are not saved. Quit anyway?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event: QCloseEvent) -> None:
        for document in self._documents.values():
            unsaved = document.path is not None and not document.undo_stack.isClean()
            if unsaved and not self.confirm_discard(document):
                event.ignore()
                return
        self._pause()
        if self.presentation_action.isChecked():
            self.set_presentation(False)
        self.settings.save_window(self)
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        # Leaving full screen by the window manager (not F11) ends presentation mode too.
        left = event.type() == QEvent.Type.WindowStateChange and not self.isFullScreen()
        if left and self.presentation_action.isChecked():
            self.presentation_action.setChecked(False)
            QApplication.setFont(self._normal_font)
        super().changeEvent(event)


def _dropped_scenario(event: QDragEnterEvent | QDropEvent) -> Path | None:
    for url in event.mimeData().urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".toml"):
            return Path(url.toLocalFile())
    return None


def _lesson_html(row: Row, side: str, scenario: Scenario | None) -> str:
    """The lesson's text: the seed's two cells (the side clicked first) and what to try."""
    sides = [Side.VM, Side.CONTAINER]
    if side == Side.CONTAINER.value:
        sides.reverse()
    quotes = "".join(
        f"<p><b>{escape(s.label)}</b>{' (you clicked this side)' if s.value == side else ''}"
        f"<br><i>{escape(row.cell(s))}</i></p>"
        for s in sides
    )
    what = f"<p>{escape(scenario.description)}</p>" if scenario is not None else ""
    return (
        f"<h3>{escape(row.feature)}</h3>{quotes}{what}"
        "<p><small>Click a layer of the diagram or hover a host for details.</small></p>"
    )


def _scenario_html(scenario: Scenario, path: Path) -> str:
    return (
        f"<h3>{escape(scenario.title)}</h3><p>{escape(scenario.description)}</p>"
        f"<p><small>From {escape(str(path))}</small></p>"
    )
