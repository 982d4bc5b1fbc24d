"""The scenario's settings as controls named after the real ones, each with its default, its
source, and an "assumed" mark where no published figure exists (DESIGN.md, model).

The editor only reports edits (:attr:`ParameterEditor.edited`); the window turns them into
undoable changes of the scenario, and shows the result with :meth:`show_parameters`.  The
setting last focused is the selected one: "Open source" opens its source in the browser, as
does the "source" link beside each name.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QKeyEvent, QKeySequence, QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vmc_gui.model.parameters import PARAMETERS, Parameter, ParameterSet, Value
from vmc_gui.model.scenario import Platform, World

#: Each group of settings: its prefix, its heading, and the platform it belongs to.
GROUPS = (
    ("hyperv.", "Hyper-V failover clustering", Platform.VM),
    ("vm.", "Virtual machines", Platform.VM),
    ("migration.", "Live migration", Platform.VM),
    ("kubernetes.", "Kubernetes", Platform.CONTAINER),
    ("descheduler.", "Descheduler (an add-on)", Platform.CONTAINER),
    ("storage.", "Azure Disks", Platform.CONTAINER),
    ("container.", "Containers", Platform.CONTAINER),
    ("registry.", "Image registry", Platform.CONTAINER),
    ("hyperv_isolation.", "Hyper-V isolation", None),
)


def relevant_prefixes(worlds: tuple[World, ...]) -> tuple[str, ...]:
    """The groups of settings that act on ``worlds``."""
    platforms = {w.platform for w in worlds}
    return tuple(
        prefix
        for prefix, _, platform in GROUPS
        if platform in platforms or (platform is None and World.HYPERV_CONTAINER in worlds)
    )


def tooltip(p: Parameter) -> str:
    """What a setting is, its default, where that default comes from, and what the sources
    say beyond the figure (versions, disagreements, why it is assumed)."""
    source = escape(p.source_title)
    if p.source_url:
        source += f"<br><small>{escape(p.source_url)}</small>"
    if p.assumed:
        source = "<b>assumed</b>" + (f": {source}" if source else ": no published figure")
    note = f"<br><small>{escape(p.note)}</small>" if p.note else ""
    if p.assumed_rule:
        note = f"<br><b>Rule assumed</b>: {escape(p.assumed_rule)}." + note
    # A fixed width: a long note wraps instead of running across the screen.
    return (
        "<table width='460'><tr><td>"
        f"<b>{escape(p.name)}</b><br>{escape(p.summary)}.<br>"
        f"Default: {escape(p.describe_default().removesuffix(' [assumed]'))}<br>"
        f"Range: {p.minimum:g} to {p.maximum:g} {escape(p.unit)}<br>"
        f"Source: {source}{note}"
        "</td></tr></table>"
    )


class _DecimalBox(QDoubleSpinBox):
    """A decimal spin box that writes 45 as "45" and 0.808 as "0.808", not "45.000", in the
    user's locale (a comma where the locale has one, or the box would read 12.5 as 125)."""

    def textFromValue(self, value: float) -> str:
        locale = self.locale()
        text = locale.toString(value, "f", self.decimals())
        point = locale.decimalPoint()
        return text.rstrip("0").rstrip(point) if point in text else text


class _ChoiceBox(QSpinBox):
    """A setting whose documented values each have a name (ResiliencyLevel 2 is
    AlwaysIsolate): the box shows the name beside the number, and takes either."""

    def __init__(self, names: dict[int, str]) -> None:
        super().__init__()
        self._names = names

    def textFromValue(self, value: int) -> str:
        name = self._names.get(value)
        return f"{value} · {name}" if name else str(value)

    def valueFromText(self, text: str) -> int:
        head = text.split("·", 1)[0].strip()
        for value, name in self._names.items():
            if text.strip().casefold() == name.casefold():
                return value
        return int(head) if head.lstrip("-").isdigit() else self.value()

    def validate(self, text: str, pos: int) -> object:
        # Any text is taken while typing; valueFromText keeps the value if it is no name.
        return QValidator.State.Acceptable, text, pos


class _UndoKeysToWindow(QObject):
    """A spin box's line edit would take Ctrl+Z for its own (empty) history: the user, who
    just edited the setting, means the window's Undo, so those keys are left to it."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        # The platform's keys (asked once a QApplication exists, never at import).
        self._keys = [
            *QKeySequence.keyBindings(QKeySequence.StandardKey.Undo),
            *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo),
            QKeySequence("Ctrl+Y"),
            QKeySequence("Ctrl+Shift+Z"),
        ]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            pressed = QKeySequence(event.keyCombination())
            if pressed in self._keys:
                event.ignore()  # not the box's: the shortcut (the window's Undo) runs
                return True
        return False


class _Row:
    """One setting's controls: its name, a spin box, a reset button and its default."""

    def __init__(self, p: Parameter, editor: ParameterEditor, *, full_name: bool) -> None:
        self.parameter = p
        label = escape(p.name if full_name else p.name.split(".", 1)[1])
        # "assumed" rides on the name's line, where there is room for it.
        mark = " <i>· assumed</i>" if p.assumed else ""
        mark += " <i>· rule assumed</i>" if p.assumed_rule else ""
        if p.source_url:
            mark += f" · <a href='{escape(p.source_url, quote=True)}'>source</a>"
        self.name = QLabel(label + mark)
        self.name.setToolTip(tooltip(p))
        self.name.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        # The link goes through the editor, which tests can watch and the browser opens.
        self.name.linkActivated.connect(lambda _url: editor.open_source(p.name))
        spin: QSpinBox | QDoubleSpinBox
        names = p.value_names()
        if names is not None:
            spin = _ChoiceBox(names)
            spin.setRange(int(p.minimum), int(p.maximum))
        elif p.integer:
            spin = QSpinBox()
            spin.setRange(int(p.minimum), int(p.maximum))
        else:
            spin = _DecimalBox()
            spin.setDecimals(3)
            spin.setRange(float(p.minimum), float(p.maximum))
        if names is None:
            spin.setSuffix(f" {p.unit}" if p.unit else "")
        # Only a finished edit counts (Enter, leaving the field, an arrow click): typing "20"
        # would otherwise simulate "2" first.
        spin.setKeyboardTracking(False)
        spin.setAccelerated(True)
        spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        spin.setToolTip(tooltip(p))
        spin.setAccessibleName(p.name)
        spin.setProperty("parameter", p.name)
        spin.setMinimumWidth(120)
        spin.valueChanged.connect(lambda value: editor.edited.emit(p.name, value))
        spin.installEventFilter(editor.undo_keys)
        spin.lineEdit().installEventFilter(editor.undo_keys)
        spin.installEventFilter(editor.selection)
        spin.lineEdit().installEventFilter(editor.selection)
        self.spin = spin
        self.reset = QToolButton()
        self.reset.setText("Default")
        self.reset.setToolTip(f"Back to the default, {p.describe_default()}")
        self.reset.clicked.connect(lambda: editor.edited.emit(p.name, p.default))
        self.note = QLabel(f"default {p.default:g}")
        self.note.setToolTip(tooltip(p))
        self.widgets = (self.name, self.spin, self.reset, self.note)

    def show_value(self, value: Value) -> None:
        self.spin.blockSignals(True)
        self.spin.setValue(value)  # type: ignore[arg-type]
        self.spin.blockSignals(False)
        changed = value != self.parameter.default
        font = QFont(self.name.font())
        font.setBold(changed)
        self.name.setFont(font)
        self.reset.setEnabled(changed)


class _FocusSelects(QObject):
    """A setting whose box takes the focus becomes the selected one."""

    def __init__(self, editor: ParameterEditor) -> None:
        super().__init__(editor)
        self._editor = editor

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            name = watched.property("parameter") or (
                watched.parent().property("parameter") if watched.parent() else None
            )
            if name:
                self._editor.select(str(name))
        return False


class ParameterEditor(QWidget):
    """Every setting that acts on the scenario's worlds (or all of them), editable."""

    #: The user set ``name`` to ``value``.
    edited = Signal(str, object)
    #: The selected setting changed (its name, or "" for none).
    selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: dict[str, _Row] = {}
        self._prefixes: tuple[str, ...] = ()
        self._key: tuple[str, ...] = ()
        self._parameters = ParameterSet()
        self.undo_keys = _UndoKeysToWindow(self)
        self.selection = _FocusSelects(self)
        self._selected = ""
        self.open_button = QPushButton("Open source")
        self.open_button.setEnabled(False)
        self.open_button.setToolTip("Select a setting (click its box) to open its source")
        self.open_button.clicked.connect(lambda: self.open_source(self._selected))
        self.show_all = QCheckBox("Show every setting")
        self.show_all.setToolTip("Also the settings of platforms this scenario does not run")
        self.show_all.toggled.connect(lambda _: self._rebuild())
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self._body = QWidget()
        self._grid = QGridLayout(self._body)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnStretch(2, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self._body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        options = QHBoxLayout()
        options.addWidget(self.show_all, 1)
        options.addWidget(self.open_button)
        layout.addLayout(options)
        layout.addWidget(scroll, 1)

    @property
    def selected_name(self) -> str:
        return self._selected

    def select(self, name: str) -> None:
        """Make ``name`` the selected setting: "Open source" then opens its source."""
        if name == self._selected:
            return
        self._selected = name
        p = PARAMETERS.get(name)
        if p is not None and p.source_url:
            self.open_button.setEnabled(True)
            self.open_button.setToolTip(
                f"Open the source of {escape(name)}: {escape(p.source_title)}"
                f"<br><small>{escape(p.source_url)}</small>"
            )
        else:
            self.open_button.setEnabled(False)
            self.open_button.setToolTip(
                f"{escape(name)} has no source to open: its default is assumed (hover its "
                "name for why)"
                if p is not None
                else "Select a setting (click its box) to open its source"
            )
        self.selected.emit(name)

    def open_source(self, name: str) -> bool:
        """Open ``name``'s source in the browser; False if it has none or none opened."""
        p = PARAMETERS.get(name)
        if p is None or not p.source_url:
            return False
        self.select(name)
        return QDesktopServices.openUrl(QUrl(p.source_url))

    def rows(self) -> dict[str, _Row]:
        return dict(self._rows)

    def spin_box(self, name: str) -> QSpinBox | QDoubleSpinBox:
        return self._rows[name].spin

    def show_parameters(
        self, parameters: ParameterSet, worlds: tuple[World, ...], key: tuple[str, ...] = ()
    ) -> None:
        """Show ``parameters``, the ``key`` ones first; rebuild the controls only if other
        settings now apply."""
        self._parameters = parameters
        prefixes = relevant_prefixes(worlds)
        if prefixes != self._prefixes or key != self._key or not self._rows:
            self._prefixes = prefixes
            self._key = key
            self._rebuild()
        else:
            for name, row in self._rows.items():
                row.show_value(parameters[name])
        changed = len(parameters.changed())
        self.heading.setText(
            "Settings named after the real ones; hover for the source. "
            + (f"{changed} differ from the default (bold)." if changed else "All at defaults.")
        )

    def _rebuild(self) -> None:
        while self._grid.count():
            widget = self._grid.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # at once: deleteLater leaves it painted until the loop runs
                widget.deleteLater()
        self._rows.clear()
        self._grid.setRowStretch(self._grid.rowCount() - 1, 0)
        prefixes = tuple(g[0] for g in GROUPS) if self.show_all.isChecked() else self._prefixes
        groups = [("This lesson's key settings", list(self._key), True)] if self._key else []
        for prefix, title, _ in GROUPS:
            if prefix in prefixes:
                names = [n for n in PARAMETERS if n.startswith(prefix) and n not in self._key]
                groups.append((title, names, False))
        line = 0
        for title, names, full_names in groups:
            heading = QLabel(f"<b>{escape(title)}</b>")
            heading.setContentsMargins(0, 10 if line else 0, 0, 2)
            self._grid.addWidget(heading, line, 0, 1, 3)
            line += 1
            for name in names:
                row = _Row(PARAMETERS[name], self, full_name=full_names)
                self._grid.addWidget(row.name, line, 0, 1, 3)
                self._grid.addWidget(row.spin, line + 1, 0)
                self._grid.addWidget(row.reset, line + 1, 1)
                self._grid.addWidget(row.note, line + 1, 2)
                row.show_value(self._parameters[name])
                self._rows[name] = row
                line += 2
        self._grid.setRowStretch(line, 1)
        self.select(self._selected if self._selected in self._rows else "")
