"""The scenario's settings as controls, each with a label in plain words beside its real
name, its default, its source, and an "assumed" mark where no published figure exists
(DESIGN.md, model).  The lesson's own settings come first, under "This lesson's settings";
the others follow by platform, in groups that open with a click.

The editor only reports edits (:attr:`ParameterEditor.edited`); the window turns them into
undoable changes of the scenario, and shows the result with :meth:`show_parameters`.  The
setting last focused is the selected one: "Open source" opens its source in the browser, as
does the "source" link beside each name.
"""

from __future__ import annotations

import itertools
from html import escape

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QValidator,
)
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
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


#: The spin boxes' least width: all but the widest line up down the dock.
SPIN_WIDTH = 120
#: Space between two settings (a setting's own lines sit closer).
ROW_GAP = 8
#: Wide enough for any name before the label is laid out.
_UNBOUNDED = 1 << 20


def relevant_prefixes(worlds: tuple[World, ...]) -> tuple[str, ...]:
    """The groups of settings that act on ``worlds``."""
    platforms = {w.platform for w in worlds}
    return tuple(
        prefix
        for prefix, _, platform in GROUPS
        if platform in platforms or (platform is None and World.HYPERV_CONTAINER in worlds)
    )


def tooltip(p: Parameter) -> str:
    """What a setting is (its label, its real name, its summary), its default, where that
    default comes from, and what the sources say beyond the figure (versions, disagreements,
    why it is assumed)."""
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
        f"<b>{escape(p.label or p.name)}</b><br><tt>{escape(p.name)}</tt><br>"
        f"{escape(p.summary)}.<br>"
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
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def textFromValue(self, value: int) -> str:
        name = self._names.get(value)
        return f"{value} · {name}" if name else str(value)

    def sizeHint(self) -> QSize:
        # Qt sizes a spin box for its first 18 characters: "1 · IsolateOnSpecialHeartbeat"
        # needs its whole name.
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        texts = [self.textFromValue(v) for v in range(self.minimum(), self.maximum() + 1)]
        widest = max(metrics.horizontalAdvance(text) for text in texts)
        counted = max(metrics.horizontalAdvance(text[:18]) for text in texts)
        return QSize(hint.width() + widest - counted, hint.height())

    def minimumSizeHint(self) -> QSize:
        return super().sizeHint()  # a narrow dock may cut the longest name, never the value

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


class _NameLabel(QLabel):
    """A setting's real name in smaller fixed-pitch type, then its marks ("assumed", the
    "source" link, its default once it differs).  The marks wrap to the next line; a name
    the width cannot hold is elided in the middle (the whole name is in the tooltip), so
    that the dock never clips it."""

    #: The name's size against the label's font.
    SCALE = 0.9

    def __init__(self, name: str, marks: str) -> None:
        super().__init__()
        self._name = name
        self._marks = marks
        self._shown = name
        self._width = _UNBOUNDED  # until the layout gives it one
        self._family = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self._fit(self._width)

    def set_marks(self, marks: str) -> None:
        if marks != self._marks:
            self._marks = marks
            self._fit(self._width)

    def shown_name(self) -> str:
        """The name as it reads now (elided where the width cannot hold it)."""
        return self._shown

    def _name_font(self) -> tuple[QFont, str]:
        """The name's font, and its size as the label's rich text says it."""
        font = QFont(self.font())
        font.setFamily(self._family)
        font.setStyleHint(QFont.StyleHint.Monospace)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * self.SCALE)
            return font, f"{font.pointSizeF():.1f}pt"
        font.setPixelSize(max(1, round(font.pixelSize() * self.SCALE)))
        return font, f"{font.pixelSize()}px"

    def _fit(self, width: int) -> None:
        font, size = self._name_font()
        metrics = QFontMetrics(font)
        shown = self._name
        if metrics.horizontalAdvance(shown) > width - 2:
            shown = metrics.elidedText(shown, Qt.TextElideMode.ElideMiddle, width - 2)
        self._shown = shown
        text = (
            f"<span style=\"font-family:'{escape(self._family)}',monospace; "
            f'font-size:{size}">{escape(shown)}</span>{self._marks}'
        )
        if text != self.text():
            self.setText(text)

    def minimumSizeHint(self) -> QSize:
        # The name elides rather than widen the dock: no minimum width of its own.
        return QSize(0, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._width = event.size().width()
        self._fit(self._width)
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # presentation mode
            self._fit(self._width)


class _Row:
    """One setting: its label in plain words; its real name in smaller fixed-pitch type with
    its default, "assumed" where it is, and a "source" link; then a spin box with the unit
    and a button back to the default."""

    def __init__(self, p: Parameter, editor: ParameterEditor) -> None:
        self.parameter = p
        tip = tooltip(p)
        self.box = QWidget()
        self.box.setObjectName("setting")
        self.label = QLabel(p.label or p.name)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setToolTip(tip)
        # "assumed" and the source ride on the name's line, which wraps (and the default,
        # once the value differs from it).
        mark = " ·&nbsp;<i>assumed</i>" if p.assumed else ""
        mark += " ·&nbsp;<i>rule&nbsp;assumed</i>" if p.assumed_rule else ""
        if p.source_url:
            mark += f" ·&nbsp;<a href='{escape(p.source_url, quote=True)}'>source</a>"
        self._marks = mark
        default = escape(p.describe(p.default)).replace(" ", "&nbsp;")
        self._default_mark = f" ·&nbsp;default&nbsp;{default}"
        self.name = _NameLabel(p.name, mark)
        self.name.setToolTip(tip)
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
        spin.setToolTip(tip)
        spin.setAccessibleName(p.label or p.name)
        spin.setAccessibleDescription(p.name)
        spin.setProperty("parameter", p.name)
        spin.setMinimumWidth(SPIN_WIDTH)
        spin.valueChanged.connect(lambda value: editor.edited.emit(p.name, value))
        spin.installEventFilter(editor.undo_keys)
        spin.lineEdit().installEventFilter(editor.undo_keys)
        spin.installEventFilter(editor.selection)
        spin.lineEdit().installEventFilter(editor.selection)
        self.label.setBuddy(spin)
        self.spin = spin
        self.reset = QToolButton()
        self.reset.setText("Default")
        self.reset.setToolTip(f"Back to the default, {p.describe_default()}")
        self.reset.setAccessibleName(f"{p.label or p.name}: back to the default")
        self.reset.clicked.connect(lambda: editor.edited.emit(p.name, p.default))
        self.widgets = (self.label, self.name, self.spin, self.reset)
        layout = QVBoxLayout(self.box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.label)
        layout.addWidget(self.name)
        controls = QHBoxLayout()
        controls.setContentsMargins(0, 2, 0, 0)
        controls.addWidget(self.spin)
        controls.addWidget(self.reset)
        controls.addStretch(1)
        layout.addLayout(controls)

    def show_value(self, value: Value) -> None:
        self.spin.blockSignals(True)
        self.spin.setValue(value)  # type: ignore[arg-type]
        self.spin.blockSignals(False)
        changed = value != self.parameter.default
        font = QFont(self.label.font())
        font.setBold(changed)
        self.label.setFont(font)
        self.reset.setEnabled(changed)
        self.name.set_marks((self._default_mark if changed else "") + self._marks)

    @property
    def changed(self) -> bool:
        return self.reset.isEnabled()


class _Group:
    """A heading that opens and closes a group of settings (the platforms' other settings)."""

    def __init__(self, title: str, rows: list[_Row], *, expanded: bool) -> None:
        self.title = title
        self.rows = rows
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.toggle.setAccessibleName(title)
        font = QFont(self.toggle.font())
        font.setBold(True)
        self.toggle.setFont(font)
        self.body = QWidget()
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 2, 0, 4)
        layout.setSpacing(ROW_GAP)
        for row in rows:
            layout.addWidget(row.box)
        self.toggle.toggled.connect(self._show)
        self.toggle.setChecked(expanded)
        self._show(expanded)
        self.update_title()

    def _show(self, expanded: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)
        self.toggle.setToolTip(
            f"Hide these {len(self.rows)} settings"
            if expanded
            else f"Show these {len(self.rows)} settings"
        )

    @property
    def expanded(self) -> bool:
        return self.toggle.isChecked()

    def update_title(self) -> None:
        changed = sum(row.changed for row in self.rows)
        count = f"{len(self.rows)}" + (f", {changed} changed" if changed else "")
        self.toggle.setText(f"{self.title} ({count})")


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
    """Every setting that acts on the scenario's worlds (or all of them), editable: the
    lesson's own settings first, under their heading, then the platforms' other settings in
    groups that open with a click."""

    #: The user set ``name`` to ``value``.
    edited = Signal(str, object)
    #: The selected setting changed (its name, or "" for none).
    selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: dict[str, _Row] = {}
        self._groups: list[_Group] = []
        #: The groups the user opened or closed, by title: kept from lesson to lesson.
        self._expanded: dict[str, bool] = {}
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
        self._sections = QWidget()
        self._body_layout = QVBoxLayout(self._body)
        self._body_layout.setContentsMargins(0, 0, 0, 0)
        self._body_layout.addWidget(self._sections)
        self._body_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(self._body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.heading)
        options = QHBoxLayout()
        options.addWidget(self.show_all, 1)
        options.addWidget(self.open_button)
        layout.addLayout(options)
        layout.addWidget(self.scroll, 1)

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

    def groups(self) -> list[_Group]:
        """The groups of settings after the lesson's own, in order."""
        return list(self._groups)

    def key_names(self) -> tuple[str, ...]:
        """The settings shown first, under "This lesson's settings"."""
        return tuple(n for n in self._key if n in self._rows)

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
            for group in self._groups:
                group.update_title()
        changed = len(parameters.changed())
        self.heading.setText(
            "Hover a setting for what it is and its source. "
            + (f"{changed} differ from the default (bold)." if changed else "All at defaults.")
        )

    def _rebuild(self) -> None:
        for group in self._groups:
            self._expanded[group.title] = group.expanded
        old = self._sections
        old.hide()  # at once: deleteLater leaves it painted until the loop runs
        old.deleteLater()
        self._rows.clear()
        self._groups.clear()
        self._sections = QWidget()
        sections = QVBoxLayout(self._sections)
        sections.setContentsMargins(0, 0, 0, 0)
        sections.setSpacing(ROW_GAP)
        prefixes = tuple(g[0] for g in GROUPS) if self.show_all.isChecked() else self._prefixes
        focus: list[QWidget] = [self.show_all, self.open_button]
        key = [n for n in self._key if n in PARAMETERS]
        if key:
            heading = QLabel("This lesson's settings")
            heading.setObjectName("lesson-settings")
            font = QFont(heading.font())
            font.setBold(True)
            heading.setFont(font)
            sections.addWidget(heading)
            for name in key:
                row = self._add_row(name)
                sections.addWidget(row.box)
                focus += [row.spin, row.reset]
            more = QLabel("More settings, by platform:")
            more.setContentsMargins(0, 8, 0, 0)
            sections.addWidget(more)
        for prefix, title, _ in GROUPS:
            if prefix not in prefixes:
                continue
            names = [n for n in PARAMETERS if n.startswith(prefix) and n not in key]
            if not names:
                continue
            rows = [self._add_row(n) for n in names]
            # Closed by default under the lesson's own settings; open where there are none.
            group = _Group(title, rows, expanded=self._expanded.get(title, not key))
            self._groups.append(group)
            sections.addWidget(group.toggle)
            sections.addWidget(group.body)
            focus.append(group.toggle)
            for row in rows:
                focus += [row.spin, row.reset]
        self._body_layout.insertWidget(0, self._sections)
        # Tab follows the page, top to bottom (the rows were built out of order).
        for first, second in itertools.pairwise(focus):
            QWidget.setTabOrder(first, second)
        self.select(self._selected if self._selected in self._rows else "")

    def _add_row(self, name: str) -> _Row:
        row = _Row(PARAMETERS[name], self)
        row.show_value(self._parameters[name])
        self._rows[name] = row
        return row
