"""The main window's actions, menus and toolbar, and the Help menu's windows.

:class:`WindowMenus` is a part composed into :class:`~vmc_gui.ui.shell.main_window.MainWindow`
(``window.menus``): it builds the QActions (parented to the window, whose shortcuts they are)
and connects them to what the window does, so that the window's own module reads as that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu

from vmc_gui.ui.playback import SPEEDS
from vmc_gui.ui.shell.help_dialogs import InfoDialog, about_html, shortcuts_html, sources_html

if TYPE_CHECKING:
    from vmc_gui.ui.shell.main_window import MainWindow

#: The most hosts the "Fail a host" menu lists; a larger cluster is right-clicked instead.
_MENU_HOSTS = 40


class WindowMenus:
    """File, Edit, View, Simulation and Help, and the toolbar: the window's actions, each
    connected to what the window (or its files part) does."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._build_actions()
        self._build_menus()
        self._build_toolbar()

    def _action(
        self,
        text: str,
        slot: object,
        keys: QKeySequence.StandardKey | str | None = None,
        tip: str = "",
        *,
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self.window)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.setCheckable(checkable)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        self.window.addAction(action)
        return action

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.open_action = self._action(
            "&Open…", self.window.files.ask_open, keys.Open, "Open a scenario file"
        )
        self.import_action = self._action(
            "&Import Cluster…",
            self.window.files.ask_import,
            "Ctrl+I",
            "Read a real cluster's export (kubectl or PowerShell JSON) into a scenario",
        )
        self.save_action = self._action(
            "&Save", self.window.files.save, keys.Save, "Save the scenario with your changes"
        )
        self.save_as_action = self._action(
            "Save &As…",
            self.window.files.ask_save_as,
            "Ctrl+Shift+S",
            "Save the scenario to a new file",
        )
        self.export_view_action = self._action(
            "&Export View…",
            self.window.files.ask_export_view,
            "Ctrl+E",
            "Export the diagram, the cluster or the chart last clicked, as PNG or SVG",
        )
        self.export_window_action = self._action(
            "Export &Window…",
            self.window.files.ask_export_window,
            "Ctrl+Shift+E",
            "Export the whole window",
        )
        self.export_animation_action = self._action(
            "Export A&nimation…",
            self.ask_export_animation,
            "Ctrl+Shift+A",
            "Export the cluster or a chart as it plays: APNG, GIF, WebP or MP4",
        )
        # Only a simulation plays: enabled while one is on show.
        self.export_animation_action.setEnabled(False)
        self.window.session.document_changed.connect(self._enable_animation)
        self.quit_action = self._action("&Quit", self.window.close, keys.Quit, "Quit vmc-gui")
        self.undo_action = self.window.undo_group.createUndoAction(self.window, "&Undo")
        self.undo_action.setShortcut(QKeySequence(keys.Undo))
        self.redo_action = self.window.undo_group.createRedoAction(self.window, "&Redo")
        # The platform's Redo keys, and Ctrl+Y wherever they do not include it already
        # (a key listed twice is ambiguous to Qt, and then neither fires).
        redo_keys = QKeySequence.keyBindings(keys.Redo)
        if QKeySequence("Ctrl+Y") not in redo_keys:
            redo_keys.append(QKeySequence("Ctrl+Y"))
        if QKeySequence("Ctrl+Shift+Z") not in redo_keys:
            redo_keys.append(QKeySequence("Ctrl+Shift+Z"))
        self.redo_action.setShortcuts(redo_keys)
        # The toolbar says "Undo"; the menu and the tooltip say what (the group keeps the text).
        self.undo_action.setIconText("Undo")
        self.redo_action.setIconText("Redo")
        self.window.undo_group.undoTextChanged.connect(
            lambda text: self.undo_action.setToolTip(f"Undo: {text}" if text else "Undo")
        )
        self.window.undo_group.redoTextChanged.connect(
            lambda text: self.redo_action.setToolTip(f"Redo: {text}" if text else "Redo")
        )
        for action in (self.undo_action, self.redo_action):
            self.window.addAction(action)

        self.table_action = self._action(
            "Comparison &Table",
            self.window.open_overview,
            "Alt+Home",
            "Back to the comparison table",
        )
        self.dark_action = self._action(
            "&Dark Theme", self.window.set_dark, "Ctrl+Shift+D", "Light or dark", checkable=True
        )
        self.presentation_action = self._action(
            "&Presentation Mode",
            self.window.set_presentation,
            "F11",
            "Full screen, larger text",
            checkable=True,
        )
        # The views own Ctrl++, Ctrl+- and Ctrl+0 while they have the focus; these menu items
        # act on the view last used and only show the keys (a second shortcut would clash).
        self.zoom_in_action = self._action(
            "Zoom &In\tCtrl++", lambda: self.window.files.zoom("zoom_in")
        )
        self.zoom_out_action = self._action(
            "Zoom &Out\tCtrl+-", lambda: self.window.files.zoom("zoom_out")
        )
        self.fit_action = self._action(
            "&Fit to Window\tCtrl+0", lambda: self.window.files.zoom("fit")
        )
        self.reset_layout_action = self._action(
            "&Reset Layout", self.window.reset_layout, tip="Put the docks back where they started"
        )

        self.play_action = self._action("&Play", self.window.toggle_play, "Space", "Play or pause")
        self.previous_action = self._action(
            "Previous &Event\tLeft",
            self.window.step_previous,
            tip="Step back to the previous event",
        )
        self.next_action = self._action(
            "&Next Event\tRight", self.window.step_next, tip="Step on to the next event"
        )
        # Page Up and Page Down: the lesson's chapters, where its story turns.
        self.previous_chapter_action = self._action(
            "Previous &Chapter",
            self.window.previous_chapter,
            "PgUp",
            "Back to the start of this chapter, or the one before",
        )
        self.next_chapter_action = self._action(
            "Next C&hapter", self.window.next_chapter, "PgDown", "On to the next chapter"
        )
        self.stop_at_chapters_action = self._action(
            "S&top at Each Chapter",
            self.window.set_stop_at_chapters,
            tip="Playing pauses where each chapter starts, with its caption; Play goes on",
            checkable=True,
        )
        self.next_view_action = self._action(
            "Next &View",
            self.window.next_view,
            "Ctrl+Tab",
            "Show the lesson's next view: the cluster, the stack diagram, the matrix",
        )
        self.reset_action = self._action(
            "&Reset Scenario",
            self.window.reset_scenario,
            "Ctrl+R",
            "Undo every change to this scenario and go back to its start",
        )
        # Before and after: Esc stops showing the run before the last change, while there is
        # one and presentation mode (which Esc leaves) is off: never two shortcuts that clash.
        self.dismiss_ghost_action = self._action(
            "&Dismiss Before",
            self.window.session.dismiss_ghost,
            "Esc",
            "Stop showing the run before your last change (faded in the charts, quoted beside "
            "each world's result)",
        )
        self.dismiss_ghost_action.setEnabled(False)
        self.window.session.ghost_changed.connect(self._enable_dismiss_ghost)
        self.presentation_action.toggled.connect(self._enable_dismiss_ghost)
        self.survey_action = self._action(
            "&What Survives Which Failure…",
            self.ask_survey,
            tip="Which single host, rack and zone failure each world survives at full capacity, "
            "and which leave replicas pending: racks and zones simulated, hosts by capacity "
            "analysis, on every core",
        )
        # Any cluster that runs (not a compatibility matrix): enabled while one is on show.
        self.survey_action.setEnabled(False)
        self.window.session.document_changed.connect(self._enable_survey)
        self.speed_group = QActionGroup(self.window)
        self.speed_actions: dict[float, QAction] = {}
        for speed in SPEEDS:
            action = QAction(f"{speed:g}x", self.window, checkable=True)
            action.setData(speed)
            action.triggered.connect(lambda _=False, s=speed: self.window.set_speed(s))
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
        bar = self.window.menuBar()
        file = bar.addMenu("&File")
        file.addAction(self.open_action)
        file.addAction(self.import_action)
        self.recent_menu = file.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._fill_recent()
        file.addSeparator()
        file.addActions([self.save_action, self.save_as_action])
        file.addSeparator()
        file.addActions([self.export_view_action, self.export_window_action])
        file.addAction(self.export_animation_action)
        file.addSeparator()
        file.addAction(self.quit_action)

        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo_action, self.redo_action])

        view = bar.addMenu("&View")
        view.addAction(self.table_action)
        view.addSeparator()
        view.addActions([self.dark_action, self.presentation_action, self.next_view_action])
        view.addSeparator()
        view.addActions([self.zoom_in_action, self.zoom_out_action, self.fit_action])
        view.addSeparator()
        for dock in (self.window.lessons_dock, self.window.inspector_dock, self.window.charts_dock):
            view.addAction(dock.toggleViewAction())
        view.addAction(self.reset_layout_action)

        simulation = bar.addMenu("&Simulation")
        simulation.addActions([self.play_action, self.previous_action, self.next_action])
        simulation.addActions([self.previous_chapter_action, self.next_chapter_action])
        simulation.addAction(self.stop_at_chapters_action)
        self.speed_menu = simulation.addMenu("&Speed")
        self.speed_menu.addActions(self.speed_group.actions())
        self.fail_menu = simulation.addMenu("&Fail a Host")
        self.fail_menu.aboutToShow.connect(self._fill_fail_menu)
        simulation.addAction(self.survey_action)
        simulation.addSeparator()
        simulation.addAction(self.dismiss_ghost_action)
        simulation.addAction(self.reset_action)
        self.simulation_menu = simulation

        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.shortcuts_action, self.sources_action])
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        toolbar = self.window.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.table_action)
        toolbar.addWidget(self.window.lesson_chooser)
        toolbar.addSeparator()
        toolbar.addActions([self.open_action, self.save_as_action, self.export_view_action])
        toolbar.addSeparator()
        toolbar.addActions([self.undo_action, self.redo_action])
        toolbar.addSeparator()
        toolbar.addAction(self.dark_action)
        self.table_action.setIconText("Table")
        self.export_view_action.setIconText("Export")
        self.dark_action.setIconText("Dark")

    def _enable_dismiss_ghost(self, *_: object) -> None:
        shown = self.window.session.ghost is not None
        self.dismiss_ghost_action.setEnabled(shown and not self.presentation_action.isChecked())

    def _enable_animation(self, document: object) -> None:
        self.export_animation_action.setEnabled(self.window.session.runs())

    def ask_export_animation(self) -> QDialog:
        """File > Export Animation: its dialog, on the cluster or the chart last clicked."""
        from vmc_gui.ui.shell.animation_dialog import open_animation_dialog

        return open_animation_dialog(self.window)

    def _enable_survey(self, document: object) -> None:
        self.survey_action.setEnabled(self.window.session.runs())

    def ask_survey(self) -> QDialog | None:
        """Simulation > What Survives Which Failure: the survey of the cluster on show."""
        from vmc_gui.ui.shell.survey_dialog import open_survey_dialog

        return open_survey_dialog(self.window)

    def _fill_fail_menu(self) -> None:
        self.fail_menu.clear()
        cluster = self.window.running_cluster()
        if cluster is None:
            return
        hosts = self.window.document.scenario.cluster.host_names() if self.window.document else []
        up = [h for h in hosts if cluster.can(h, "fail")]
        for host in up[:_MENU_HOSTS]:
            action = self.fail_menu.addAction(host)
            action.triggered.connect(lambda _=False, h=host: self.window.fail_host(h))
        if len(up) > _MENU_HOSTS:
            more = self.fail_menu.addAction(f"{len(up) - _MENU_HOSTS} more: right-click a host")
            more.setEnabled(False)
        if not up:
            none = self.fail_menu.addAction("No host is up")
            none.setEnabled(False)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = self.window.settings.recent_files()
        for number, path in enumerate(files, start=1):
            action = self.recent_menu.addAction(f"&{number} {path.name}")
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.window.files.open_file(p))
        if files:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction("Clear the List")
            clear.triggered.connect(self.window.settings.clear_recent)
        else:
            empty = self.recent_menu.addAction("No recent files")
            empty.setEnabled(False)

    def _info(self, title: str, html: str, size: tuple[int, int] = (640, 520)) -> InfoDialog:
        dialog = InfoDialog(title, html, self.window, size)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_shortcuts(self) -> InfoDialog:
        menus = [a for m in self.window.menuBar().findChildren(QMenu) for a in m.actions()]
        return self._info("Keyboard shortcuts", shortcuts_html([*menus, *self.window.actions()]))

    def show_sources(self) -> InfoDialog:
        return self._info("Sources and references", sources_html())

    def show_about(self) -> InfoDialog:
        return self._info("About vmc-gui", about_html(), (520, 330))
