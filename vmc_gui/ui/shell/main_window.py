"""The main window: the comparison table first, a page per lesson, and the docks around it.

- Centre: the table, or a lesson's page (its diagram over its cluster view and playback bar).
- Docks: the lessons (left), the inspector with the settings (right), the charts (bottom).
- Menus: File, Edit, View, Simulation, Help; the toolbar carries the everyday ones.

The window is a view of a :class:`LessonSession`: the session keeps the documents (each
with its own undo stack; switching lessons keeps each lesson's edits), simulates the one on
show and runs the one clock; the window arranges the page, the docks and the menus for it.
It simulates off the GUI thread, with a progress dialog for a long run
(``shell.simulation_progress``); a run the user cancels leaves everything as it was.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QGuiApplication,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from vmc_gui.model.lessons import OVERVIEW, OVERVIEW_TEXT, OVERVIEW_TITLE, ROWS, View
from vmc_gui.model.parameters import ParameterError, ParameterSet, Value
from vmc_gui.model.scenario import Scenario
from vmc_gui.ui.document import ScenarioDocument
from vmc_gui.ui.palette import apply_theme
from vmc_gui.ui.panels.comparison_table import ComparisonTable
from vmc_gui.ui.panels.inspector import Inspector
from vmc_gui.ui.panels.lessons_panel import LessonChooser, LessonsPanel
from vmc_gui.ui.panels.partition_note import PartitionNote
from vmc_gui.ui.playback import DEFAULT_SPEED, SPEEDS
from vmc_gui.ui.session import LessonSession
from vmc_gui.ui.shell.app_settings import AppSettings
from vmc_gui.ui.shell.key_routing import SpaceForControls, commit_pending_edit
from vmc_gui.ui.shell.lesson_text import further_links, lesson_html
from vmc_gui.ui.shell.presentation import Presentation
from vmc_gui.ui.shell.simulation_progress import SimulationProgress
from vmc_gui.ui.shell.window_files import ScenarioFiles, dropped_scenario
from vmc_gui.ui.shell.window_menus import WindowMenus
from vmc_gui.ui.theme import THEMES

if TYPE_CHECKING:
    from vmc_gui.ui.panels.cluster_panel import ClusterPanel
    from vmc_gui.ui.shell.lesson_page import LessonPage

_FILE_FILTER = "Scenarios (*.toml);;All files (*)"
_PICTURE_FILTER = "PNG image (*.png);;SVG drawing (*.svg)"
#: The most hosts the "Fail a host" menu lists; a larger cluster is right-clicked instead.
_MENU_HOSTS = 40


class MainWindow(QMainWindow):
    """The app: see the module's docstring."""

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setObjectName("main-window")
        self.settings = AppSettings(settings)
        self.setWindowTitle("vmc-gui")
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self.session = LessonSession(self)
        # Each run in a worker thread, with a progress dialog (and Cancel) if it takes long.
        self.simulation = SimulationProgress(self)
        self.session.simulator = self.simulation.simulate
        self.error_dialog: QMessageBox | None = None
        self.presentation = Presentation(self)
        self.undo_group = self.session.undo_group
        self.files = ScenarioFiles(self)

        self.table = ComparisonTable()
        self._page: LessonPage | None = None  # built with the first lesson: a quick start
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.setCentralWidget(self.pages)

        self.lessons = LessonsPanel()
        self.lesson_chooser = LessonChooser()
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
        self.menus = WindowMenus(self)
        self.menus.stop_at_chapters_action.setChecked(self.settings.stops_at_chapters())
        self.session.controller.set_stop_at_chapters(self.settings.stops_at_chapters())
        self.statusBar().showMessage("Click a cell of the table to open its lesson.", 8000)

        self.table.lesson_requested.connect(self.open_lesson)
        self.lessons.lesson_requested.connect(self.open_lesson)
        self.lesson_chooser.lesson_requested.connect(self.open_lesson)
        self.inspector.parameters.edited.connect(self._on_parameter_edited)
        # What a network partition does at the clock's time, above the explanation.
        self.partition_note = PartitionNote(self.session, self.inspector)
        self.session.document_changed.connect(self._show_document)
        self.session.scenario_changed.connect(self._on_scenario_changed)
        self.session.controller.playing_changed.connect(self._on_playing)
        self.session.cancelled.connect(
            lambda: self.statusBar().showMessage(
                "Simulation cancelled: what was on show is as it was.", 8000
            )
        )
        # The user's own showing or hiding of the charts (not the table's) is remembered.
        self.charts_dock.toggleViewAction().triggered.connect(self.settings.set_charts_wanted)
        # The table's rows say what each lesson shows: the inspector makes room for them, and
        # comes back with a lesson unless the user closed it.
        self._inspector_wanted = True
        self.inspector_dock.toggleViewAction().triggered.connect(self._want_inspector)
        self.undo_group.cleanChanged.connect(lambda clean: self.setWindowModified(not clean))
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self.files.remember_view)
        self._space_for_controls = SpaceForControls(self)
        app.installEventFilter(self._space_for_controls)

        # The side docks run the window's full height; the charts sit under the centre only.
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.resize(_first_size())
        self.resizeDocks(
            [self.lessons_dock, self.inspector_dock], [180, 320], Qt.Orientation.Horizontal
        )
        self.resizeDocks([self.charts_dock], [250], Qt.Orientation.Vertical)
        # The lesson's main view gets the width: the lessons are in the toolbar's menu, and
        # the list is one click away (View > Lessons).
        self.lessons_dock.hide()
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

    @property
    def document(self) -> ScenarioDocument | None:
        """The document on show (the session's)."""
        return self.session.document

    @property
    def lesson(self) -> str:
        """What is on show: a lesson's slug, a file's path, or the overview."""
        return self.session.lesson

    def has_page(self) -> bool:
        """Whether the lessons' page is built (the first lesson builds it)."""
        return self._page is not None

    @property
    def page(self) -> LessonPage:
        """The lessons' page, built on first use."""
        if self._page is None:
            from vmc_gui.ui.shell.lesson_page import LessonPage

            self._page = LessonPage(self.session)
            self.pages.addWidget(self._page)
            self._page.diagram.explained.connect(self.inspector.explain)
            self._page.further_requested.connect(self._open_further)
            self._theme_views()
        return self._page

    def _open_further(self, link: str) -> None:
        slug, _, scenario = link.partition("/")
        self.open_lesson(slug, "", scenario)

    # --- what is on show -------------------------------------------------------------------

    def open_overview(self) -> None:
        """The comparison table."""
        self.pages.setCurrentWidget(self.table)
        self.mark_lesson(OVERVIEW)
        self.inspector.explain(
            f"<h3>{escape(OVERVIEW_TITLE)}</h3><p>{escape(OVERVIEW_TEXT)}</p>"
            "<p>Each row of the table is a lesson. Click a cell to open it: its stack diagram, "
            "and where the row describes something that happens over time, a simulated cluster "
            "with both worlds on one clock, and charts of what each world costs.</p>"
        )
        self.inspector.show_settings(False)
        self.session.show(None, OVERVIEW)
        if not self.presentation.on:
            self._place_inspector()
        self.setWindowTitle("vmc-gui[*]")
        self.table.setFocus()

    def _want_inspector(self, shown: bool) -> None:
        self._inspector_wanted = shown

    def _place_inspector(self) -> None:
        on_table = self.pages.currentWidget() is self.table
        self.inspector_dock.setVisible(self._inspector_wanted and not on_table)

    def mark_lesson(self, slug: str) -> None:
        """Show ``slug`` as the lesson on show, in the dock's list and the toolbar's menu."""
        self.lessons.select(slug)
        self.lesson_chooser.select(slug)

    def mark_shown(self) -> None:
        """Mark the lesson of what the session shows (a lesson, a file of one, or none)."""
        slug = self.session.lesson.partition("/")[0]
        if slug != OVERVIEW and slug not in ROWS:  # a file: the lesson its scenario teaches
            row = self.session.row()
            slug = row.slug if row is not None else ""
        self.mark_lesson(slug)

    def open_lesson(self, slug: str, side: str = "", scenario: str = "") -> None:
        """Open a lesson (a row's slug, or the overview) on one side of the table or both;
        ``scenario`` names one of the scenarios that take it further (``Row.further``)."""
        if slug == OVERVIEW:
            self.open_overview()
            return
        row = ROWS[slug]
        further = row.further_one(scenario) if scenario else None
        if further is not None:
            document: ScenarioDocument | None = self.session.further_document(slug, scenario)
            key, hint = f"{slug}/{scenario}", further.hint
        else:
            document, key, hint = self.session.lesson_document(slug), slug, row.hint
        html = lesson_html(row, side, document.scenario if document else None, hint)
        links = further_links(row, further.scenario if further else row.scenario)
        if not self.show_on_page(document, key, row.diagram, row.feature, hint, html, links):
            self.mark_shown()  # cancelled: the list points at what is on show again
            return
        self.mark_lesson(slug)
        if self.session.runs():
            self.statusBar().showMessage("Space plays and pauses; the arrows step between events.")
        else:
            self.statusBar().clearMessage()

    def show_on_page(
        self,
        document: ScenarioDocument | None,
        key: str,
        diagram: str,
        title: str,
        hint: str,
        html: str,
        further: str = "",
    ) -> bool:
        """Show ``document`` (kept under ``key``) on the lesson page; False if the user
        cancelled its simulation, and then nothing changed."""
        if not self.session.prepare(document):
            return False
        self.pages.setCurrentWidget(self.page)
        if not self.presentation.on:
            self._place_inspector()
        self.page.set_heading(title, hint, further)
        parameters = document.scenario.parameters if document else ParameterSet()
        self.page.diagram.show_diagram(diagram, parameters)
        self.inspector.explain(html)
        self.session.show(document, key)  # simulated already: nothing left to cancel
        if document is None:
            self.setWindowTitle(f"{title} — vmc-gui")
        return True

    def _show_document(self, document: ScenarioDocument | None) -> None:
        """Arrange the page, the docks and the actions for what the session shows."""
        runs = self.session.runs()
        if document is None:
            if self._page is not None:
                self._page.arrange(View.DIAGRAM, None)
        else:
            built = self.page.cluster, self.page.compat
            if runs:
                cluster = self.page.ensure_cluster()
                self._ensure_charts(cluster)
            else:
                self.page.compat_for(document)
            simulation = View.CLUSTER if runs else View.MATRIX
            self.page.arrange(self._main_view(simulation), simulation)
            if runs:
                self._lesson_playback()
                # Space and the arrows drive the clock from the start, without a click.
                cluster.view.setFocus()
            if built[1] is None and self.page.compat is not None:
                self.page.compat.explained.connect(self.inspector.explain)
            if built != (self.page.cluster, self.page.compat):
                self._theme_views()  # a part built just now is in the light theme
            self._show_settings(document.scenario)
            self.setWindowTitle(f"{document.display_name()}[*] — vmc-gui")
        self.inspector.show_settings(runs)
        self.setWindowModified(document is not None and not document.undo_stack.isClean())
        self._place_charts()
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
            self.menus.play_action,
            self.menus.previous_action,
            self.menus.next_action,
            self.menus.previous_chapter_action,
            self.menus.next_chapter_action,
            self.menus.reset_action,
            self.menus.speed_menu.menuAction(),
            self.menus.fail_menu.menuAction(),
        ):
            action.setEnabled(runs)
        self.menus.reset_action.setEnabled(document is not None)
        self.menus.save_action.setEnabled(document is not None)
        self.menus.save_as_action.setEnabled(document is not None)
        self.files.forget_last_view()

    def _main_view(self, simulation: View) -> View:
        """What the page shows first: the lesson's choice, or for a file, its simulation."""
        row = ROWS.get(self.lesson)
        return row.main_view if row is not None else simulation

    def _lesson_playback(self) -> None:
        """A lesson opens at its own speed, with its own charts, its first one on show (a
        file of a lesson's scenario too)."""
        row = self.session.row()
        self.set_speed(row.speed if row is not None else DEFAULT_SPEED)
        self.page.ensure_cluster().story_action.setChecked(row is not None)
        if self.charts is not None:
            charts = row.charts if row else None
            document = self.session.document
            if charts and document is not None and document.scenario.cuts_network:
                # A partition's lesson is in its copies: which run, which the clients reach.
                charts = ("copies", *charts)
            self.charts.offer(charts, future="hide" if row else "")

    def _place_charts(self) -> None:
        """The charts show where something runs, unless the user closed them; elsewhere they
        make room for what is on show, and come back with the next simulation."""
        row = self.session.row()
        charted = row is None or bool(row.charts)  # a lesson offers only charts that teach
        self.charts_dock.setVisible(
            self.session.runs()
            and charted
            and self.settings.charts_wanted()
            and not self.presentation.on  # one main view fills the screen
        )

    def _ensure_charts(self, panel: ClusterPanel) -> None:
        if self.charts is not None:
            return
        from vmc_gui.ui.charts.charts_panel import ChartsPanel

        self.charts = ChartsPanel(self.session.controller, theme=THEMES[self._theme_name()])
        self.charts_stack.addWidget(self.charts)
        panel.message.connect(self.statusBar().showMessage)
        # The menu's speed follows the playback bar's.
        panel.speed.currentIndexChanged.connect(
            lambda i: self.menus.speed_actions[SPEEDS[i]].setChecked(True)
        )

    def _show_settings(self, scenario: Scenario) -> None:
        row = ROWS.get(scenario.lesson)
        key = row.key_settings if row else ()
        # A scenario that takes the lesson further leads with the settings it turns on.
        further = row.further_one(scenario.name) if row else None
        if further is not None:
            key = tuple(dict.fromkeys((*further.key_settings, *key)))
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
        """The session simulated the edited scenario; the settings and the diagram follow."""
        self._show_settings(scenario)
        # The diagram on show (the user may have picked another one), with the new costs.
        self.page.diagram.show_diagram(self.page.diagram.scene.name(), scenario.parameters)
        if self.page.compat is not None and scenario.compat is not None:
            self.page.compat.set_scenario(scenario)

    def reset_scenario(self) -> None:
        if self.document is None:
            return
        self.document.reset()
        if self.session.runs():
            timeline = self.session.controller.timeline()
            if timeline is not None and timeline.scenario != self.document.scenario:
                return  # its run was cancelled: the reset is being taken back
            self.session.controller.pause()
            self.session.controller.seek(0.0)
        self.statusBar().showMessage("The scenario is as it was opened.", 5000)

    def fail_host(self, host: str) -> None:
        """Fail ``host`` now, in every world (as a right-click on it does)."""
        cluster = self.running_cluster()
        if cluster is not None and cluster.can(host, "fail"):
            cluster.act_on_host(host, "fail")

    # --- playback ------------------------------------------------------------------------

    def running_cluster(self) -> ClusterPanel | None:
        """The cluster panel, when it is what the lesson page runs."""
        page = self._page
        on_page = page is not None and self.pages.currentWidget() is page
        return page.cluster if self.session.runs() and on_page and page is not None else None

    def seek(self, seconds: float) -> None:
        """Move the lesson's clock to ``seconds`` (as dragging the playback bar does)."""
        cluster = self.running_cluster()
        if cluster is not None:
            cluster.controller.seek(seconds)

    def toggle_play(self) -> None:
        cluster = self.running_cluster()
        if cluster is None:
            return
        if not cluster.controller.is_playing() and not self.page.showing(View.CLUSTER):
            # Play shows what plays: a lesson that opened on its diagram turns to its cluster.
            self.page.show_view(View.CLUSTER)
        cluster.toggle()

    def step_previous(self) -> None:
        cluster = self.running_cluster()
        if cluster is not None:
            cluster.controller.step_previous()

    def step_next(self) -> None:
        cluster = self.running_cluster()
        if cluster is not None:
            cluster.controller.step_next()

    def next_chapter(self) -> None:
        """On to the lesson's next chapter (its caption shows under the views)."""
        cluster = self.running_cluster()
        if cluster is not None:
            cluster.controller.next_chapter()

    def previous_chapter(self) -> None:
        cluster = self.running_cluster()
        if cluster is not None:
            cluster.controller.previous_chapter()

    def set_stop_at_chapters(self, on: bool) -> None:
        """Whether playing pauses at each chapter's start (remembered)."""
        self.menus.stop_at_chapters_action.setChecked(on)
        self.session.controller.set_stop_at_chapters(on)
        self.settings.set_stops_at_chapters(on)

    def next_view(self) -> None:
        """The lesson's next view on show (Ctrl+Tab): the cluster, the diagram, the matrix."""
        if self._page is None or self.pages.currentWidget() is not self._page:
            return
        views = self._page.views
        if views.count() > 1:
            views.setCurrentIndex((views.currentIndex() + 1) % views.count())
            views.currentWidget().setFocus()

    def set_speed(self, speed: float) -> None:
        cluster = self.page.cluster
        if cluster is not None:
            cluster.speed.setCurrentIndex(SPEEDS.index(speed))
        self.menus.speed_actions[speed].setChecked(True)

    def _pause(self) -> None:
        self.session.controller.pause()

    def _on_playing(self, playing: bool) -> None:
        self.menus.play_action.setText("&Pause" if playing else "&Play")

    # --- files -----------------------------------------------------------------------------

    def open_file(self, path: str | Path) -> bool:
        """Open a scenario file (File > Open, a recent file, a drop, the command line)."""
        return self.files.open_file(path)

    def save_to(self, path: Path) -> bool:
        return self.files.save_to(path)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_scenario(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = dropped_scenario(event)
        if path is not None:
            event.acceptProposedAction()
            # After the drop returns: a dialog opened inside a drop handler can freeze the source.
            QTimer.singleShot(0, lambda: self.open_file(path))

    # --- looks ---------------------------------------------------------------------------

    def _theme_name(self) -> str:
        return "dark" if self.menus.dark_action.isChecked() else "light"

    def set_dark(self, dark: bool) -> None:
        self.set_theme("dark" if dark else "light")

    def set_theme(self, name: str) -> None:
        self.menus.dark_action.setChecked(name == "dark")
        apply_theme(THEMES[name])
        self._theme_views()
        self.settings.set_theme(name)

    def _theme_views(self) -> None:
        """Give every scene and chart built so far the window's theme."""
        theme = THEMES[self._theme_name()]
        self.table.set_theme(theme)
        if self._page is not None:
            self._page.diagram.scene.set_theme(theme)
            if self._page.cluster is not None:
                self._page.cluster.scene.set_theme(theme)
            if self._page.compat is not None:
                self._page.compat.set_theme(theme)
            self._page.results.set_theme(theme)
        if self.charts is not None:
            self.charts.set_theme(theme)

    def set_presentation(self, on: bool, *, full_screen: bool = True) -> None:
        """Presentation mode (F11; Esc or F11 again leaves): see ``shell.presentation``.
        ``full_screen=False`` presents in the window as it is (a test at a given size)."""
        self.menus.presentation_action.setChecked(on)
        if on == self.presentation.on:
            return
        if on:
            self.presentation.enter(full_screen=full_screen)
            return
        self.presentation.leave_looks()
        if self.isFullScreen():
            self.showNormal()
        if self.presentation.geometry_before is not None:
            self.restoreGeometry(self.presentation.geometry_before)
        # The docks as saved on entering: for the page on show then, which may have changed.
        self._place_charts()
        self._place_inspector()

    def set_app_font(self, font: QFont) -> None:
        QApplication.setFont(font)
        # Headings are sized from the application's font: size them again, now.
        self.table.apply_fonts()
        if self._page is not None:
            self._page.apply_fonts()

    def reset_layout(self) -> None:
        self.restoreState(self._default_state)
        for dock in (self.lessons_dock, self.inspector_dock, self.charts_dock):
            dock.setFloating(False)
        self._inspector_wanted = True
        self._place_inspector()
        self.charts_dock.show()
        self.lessons_dock.hide()  # as on a first start: the toolbar's menu has the lessons
        self.settings.set_charts_wanted(True)
        self._place_charts()
        self.settings.forget_layout()

    # --- help and errors -------------------------------------------------------------------

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
        commit_pending_edit(self)
        for document in self.session.documents():
            unsaved = document.path is not None and not document.undo_stack.isClean()
            if unsaved and not self.confirm_discard(document):
                event.ignore()
                return
        self._pause()
        geometry = self.presentation.geometry_before if self.isFullScreen() else None
        if self.presentation.on:
            self.set_presentation(False)
        self.settings.save_window(self, geometry)
        QApplication.instance().removeEventFilter(self._space_for_controls)
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        # Leaving full screen by the window manager (not F11) ends presentation mode too.
        left = event.type() == QEvent.Type.WindowStateChange and not self.isFullScreen()
        if left and self.presentation.on:
            self.menus.presentation_action.setChecked(False)
            self.presentation.leave_looks()
            self._place_charts()
            self._place_inspector()
        super().changeEvent(event)


def _first_size() -> QSize:
    """1600x1000, or what fits the screen's free area on a smaller screen (a first start)."""
    wanted = QSize(1600, 1000)
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return wanted
    room = screen.availableGeometry().size()
    return QSize(min(wanted.width(), room.width()), min(wanted.height(), room.height()))
