"""The inspector: the lesson's explanation leads, its settings follow, the lesson's own
first, each with a label in plain words beside its real name (issue 17, section 4)."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.main_windows import shown_window
from vmc_gui.model.lessons import ROWS
from vmc_gui.model.parameters import PARAMETERS, ParameterSet
from vmc_gui.model.scenario import World
from vmc_gui.ui.panels.inspector import Inspector
from vmc_gui.ui.panels.parameter_editor import ParameterEditor
from vmc_gui.ui.shell.lesson_text import lesson_html
from vmc_gui.ui.shell.main_window import MainWindow

# Shown offscreen, every top-level window says its platform cannot pass size hints on.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

BOTH = (World.VM, World.CONTAINER)
FAULT_TOLERANCE = ROWS["fault-tolerance"].key_settings
#: The lessons whose scenario runs, so that the inspector shows settings under the text.
RUNNING = [slug for slug, row in ROWS.items() if row.key_settings]


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    window = shown_window(qtbot, tmp_path, (1600, 1000))
    return window


def _editor(qtbot, key: tuple[str, ...] = FAULT_TOLERANCE, width: int = 308) -> ParameterEditor:
    """The editor alone, as wide as the default dock's contents."""
    editor = ParameterEditor()
    qtbot.addWidget(editor)
    editor.resize(width, 700)
    editor.show_parameters(ParameterSet(), BOTH, key)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def _top(widget: QWidget, editor: ParameterEditor) -> int:
    """Where ``widget`` is, down the editor's scrolled page."""
    return widget.mapTo(editor.scroll.widget(), widget.rect().topLeft()).y()


# --- the labels ----------------------------------------------------------------------------


def test_each_setting_shows_its_label_above_its_real_name(qtbot):
    editor = _editor(qtbot)
    editor.show_all.setChecked(True)
    for group in editor.groups():
        group.toggle.setChecked(True)
    QApplication.processEvents()  # lays the opened groups out
    rows = editor.rows()
    assert set(rows) == set(PARAMETERS)
    for name, row in rows.items():
        p = PARAMETERS[name]
        assert row.label.text() == p.label
        assert row.name.shown_name() == name or "…" in row.name.shown_name()
        assert name in row.name.toolTip() and escape(p.summary) in row.label.toolTip()
        # The label reads first, the real name under it, the box with its unit under both.
        assert row.label.geometry().bottom() <= row.name.geometry().top()
        assert row.name.geometry().bottom() <= row.spin.geometry().top()
        assert row.spin.accessibleName() == p.label
    resiliency = rows["hyperv.resiliency_default_period_s"]
    assert resiliency.label.text() == "How long VMs stay Unmonitored"
    assert "hyperv.resiliency_default_period_s" in resiliency.name.text()
    assert "monospace" in resiliency.name.text()  # the real name in fixed-pitch type
    assert resiliency.spin.suffix() == " s"
    assert "learn.microsoft.com" in resiliency.spin.toolTip()  # the source, as before


def test_the_name_says_assumed_and_links_its_source(qtbot):
    editor = _editor(qtbot)
    boot = editor.rows()["vm.guest_boot_s"].name.text()
    assert "assumed" in boot
    period = editor.rows()["hyperv.resiliency_default_period_s"]
    assert "rule&nbsp;assumed" in period.name.text()
    assert PARAMETERS[period.parameter.name].source_url in period.name.text()


def test_a_changed_setting_is_bold_and_says_its_default(qtbot):
    editor = _editor(qtbot)
    name = "kubernetes.default_unreachable_toleration_s"
    row = editor.rows()[name]
    assert not row.label.font().bold() and "&nbsp;default" not in row.name.text()
    editor.show_parameters(ParameterSet({name: 30}), BOTH, FAULT_TOLERANCE)
    assert row.label.font().bold() and row.reset.isEnabled()
    assert "default&nbsp;300&nbsp;s" in row.name.text()
    assert "1 differ" in editor.heading.text()


def test_a_long_name_is_elided_never_clipped(qtbot):
    editor = _editor(qtbot, width=200)
    row = editor.rows()["kubernetes.default_unreachable_toleration_s"]
    qtbot.waitUntil(lambda: "…" in row.name.shown_name())
    assert "kubernetes.default_unreachable_toleration_s" in row.name.toolTip()
    editor.resize(700, 700)
    qtbot.waitUntil(lambda: row.name.shown_name() == row.parameter.name)


# --- the order: the lesson's own settings first ---------------------------------------------


def test_the_lessons_settings_come_first_under_their_heading(qtbot):
    editor = _editor(qtbot)
    heading = editor.findChild(QWidget, "lesson-settings")
    assert heading is not None and heading.text() == "This lesson's settings"
    assert editor.key_names() == FAULT_TOLERANCE
    tops = [_top(editor.rows()[name].box, editor) for name in FAULT_TOLERANCE]
    assert _top(heading, editor) < tops[0] and tops == sorted(tops)
    groups = editor.groups()
    assert [g.title for g in groups][:2] == ["Hyper-V failover clustering", "Virtual machines"]
    assert all(_top(g.toggle, editor) > tops[-1] for g in groups)
    # The lesson's settings are not repeated in their platform's group.
    assert all(row.parameter.name not in FAULT_TOLERANCE for g in groups for row in g.rows)


def test_the_other_groups_open_with_a_click_and_stay_open(qtbot):
    editor = _editor(qtbot)
    group = editor.groups()[0]
    assert not group.expanded and group.body.isHidden()
    # Hyper-V's settings but the lesson's three of them (issue 19 added the witness and the
    # critical-pause timeout).
    assert group.toggle.text() == "Hyper-V failover clustering (11)"
    qtbot.mouseClick(group.toggle, Qt.MouseButton.LeftButton)
    assert group.expanded and group.body.isVisible()
    # Another lesson (other key settings): the group the user opened stays open.
    editor.show_parameters(ParameterSet(), BOTH, ROWS["persistent-storage"].key_settings)
    assert editor.groups()[0].expanded
    changed = ParameterSet({"hyperv.same_subnet_delay_ms": 2000})
    editor.show_parameters(changed, BOTH, ROWS["persistent-storage"].key_settings)
    assert "1 changed" in editor.groups()[0].toggle.text()


def test_without_lesson_settings_every_group_is_open(qtbot):
    editor = _editor(qtbot, key=())
    assert editor.findChild(QWidget, "lesson-settings") is None
    assert editor.groups() and all(g.expanded for g in editor.groups())


def test_tab_moves_through_the_controls_in_order(window, qtbot):
    window.open_lesson("fault-tolerance")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    editor = window.inspector.parameters
    first = editor.spin_box(FAULT_TOLERANCE[0])
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    visited = []
    for _ in range(len(FAULT_TOLERANCE)):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        visited.append(focused.property("parameter") or focused.parent().property("parameter"))
    # Every Default button is disabled at the defaults: Tab goes box to box, then on to the
    # first group's heading.
    assert visited[:-1] == list(FAULT_TOLERANCE[1:])
    assert QApplication.focusWidget() is editor.groups()[0].toggle


# --- the explanation leads ------------------------------------------------------------------


def test_the_lesson_text_says_what_to_try_before_what_happens():
    row = ROWS["fault-tolerance"]
    html = lesson_html(row, "vm", None)
    assert "What to try" in html and row.hint[:40] in html
    assert html.index("Container") < html.index("What to try")


@pytest.mark.parametrize("slug", RUNNING)
def test_the_explanation_leads_and_reads_without_scrolling(window, slug):
    window.open_lesson(slug)
    QApplication.processEvents()
    inspector: Inspector = window.inspector
    assert window.inspector_dock.width() == 320
    explanation, settings = inspector.explanation, inspector.parameters
    assert settings.isVisible()
    assert explanation.geometry().bottom() < settings.geometry().top()
    assert explanation.height() > settings.height()
    # Its first paragraphs and what to try fit in the explanation's view, unscrolled.
    document = explanation.document()
    block = document.begin()
    while block.isValid() and not block.text().startswith("What to try"):
        block = block.next()
    assert block.isValid()
    bottom = document.documentLayout().blockBoundingRect(block).bottom()
    assert explanation.verticalScrollBar().value() == 0
    assert bottom <= explanation.viewport().height()


def test_the_split_keeps_its_share_until_the_user_moves_it(window, qtbot):
    window.open_lesson("fault-tolerance")
    splitter = window.inspector.splitter
    top, bottom = splitter.sizes()
    assert 0.5 < top / (top + bottom) < 0.65
    splitter.moveSplitter(300, 1)
    splitter.splitterMoved.emit(300, 1)  # as a drag of the handle says
    moved = splitter.sizes()
    window.resize(1600, 900)
    window.resize(1600, 1000)
    assert splitter.sizes() == moved


def test_nothing_in_the_settings_is_wider_than_the_dock(window):
    window.open_lesson("fault-tolerance")
    editor = window.inspector.parameters
    editor.show_all.setChecked(True)
    for group in editor.groups():
        group.toggle.setChecked(True)
    QApplication.processEvents()
    page = editor.scroll.widget()
    room = editor.scroll.viewport().width()
    assert page.width() <= room and page.minimumSizeHint().width() <= room
    for row in editor.rows().values():
        assert row.box.width() <= room
        box = row.spin
        assert box.mapTo(page, box.rect().topRight()).x() <= room
        # The box is wide enough for its text (the value names of a choice too).
        assert box.width() >= box.sizeHint().width()


def test_an_edit_goes_through_undo(window):
    window.open_lesson("fault-tolerance")
    editor = window.inspector.parameters
    name = "hyperv.resiliency_default_period_s"
    editor.spin_box(name).setValue(10)
    assert window.document.scenario.parameters[name] == 10
    assert editor.rows()[name].label.font().bold()
    window.menus.undo_action.trigger()
    assert editor.spin_box(name).value() == 240
    assert not editor.rows()[name].label.font().bold()


def test_the_dark_theme_keeps_the_labels_readable(window):
    window.open_lesson("persistent-storage")
    window.set_theme("dark")
    try:
        row = window.inspector.parameters.rows()["kubernetes.termination_grace_period_s"]
        text = row.label.palette().color(row.label.foregroundRole())
        ground = row.label.palette().color(row.label.backgroundRole())
        assert abs(text.lightness() - ground.lightness()) > 120
        name = row.name.palette().color(row.name.foregroundRole())
        assert abs(name.lightness() - ground.lightness()) > 120
    finally:
        window.set_theme("light")
