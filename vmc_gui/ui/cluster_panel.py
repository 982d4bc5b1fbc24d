"""The cluster view with its playback controls: play, pause, step, speed, a scrubbable slider.

The panel is the controller the scene's requests go to: failing or recovering a host at the
current time derives a new scenario (``Scenario.with_event``) and simulates it again; the
timeline before that moment stays the same, and the clock stays where it is.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QContextMenuEvent, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vmc_gui.model.scenario import EventKind, Scenario, TimedEvent
from vmc_gui.sim import simulate
from vmc_gui.ui.fonts import load_fonts
from vmc_gui.ui.playback import SPEEDS, PlaybackController
from vmc_gui.ui.scenes.cluster_scene import ClusterScene
from vmc_gui.ui.scenes.items.host_card_item import HostCardItem
from vmc_gui.ui.scenes.zoom_view import ZoomView

#: Slider resolution: steps per simulated second.
_STEPS = 10


class ClusterView(ZoomView):
    """The cluster scene's view: right-click a host for what can happen to it."""

    def __init__(self, scene: ClusterScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        item = self.itemAt(event.pos())
        while item is not None and not isinstance(item, HostCardItem):
            item = item.parentItem()
        if not isinstance(item, HostCardItem):
            return
        menu = self.host_menu(item)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())

    def host_menu(self, card: HostCardItem) -> QMenu:
        """The actions for one host (a menu is the view's, not the item's, to open)."""
        menu = QMenu(self)
        world = str(card.data(0))
        up = card.status == 0
        fail = menu.addAction(f"Fail {card.name} now")
        fail.setEnabled(card.status in (0, 3))  # up, or draining
        fail.triggered.connect(lambda: self._scene.request(world, card.name, "fail"))
        drain = menu.addAction(f"Drain {card.name} for maintenance")
        drain.setEnabled(up)
        drain.triggered.connect(lambda: self._scene.request(world, card.name, "drain"))
        recover = menu.addAction(f"Recover {card.name} now")
        recover.setEnabled(not up)
        recover.triggered.connect(lambda: self._scene.request(world, card.name, "recover"))
        return menu


class EventSlider(QSlider):
    """A time slider with a tick at every moment something happens."""

    def __init__(self) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self.markers: list[int] = []

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.markers or self.maximum() <= 0:
            return
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        groove = self.style().subControlRect(
            QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderGroove, self
        )
        painter = QPainter(self)
        painter.setPen(self.palette().highlight().color())
        for value in self.markers:
            x = groove.left() + groove.width() * value / self.maximum()
            painter.drawLine(QPoint(int(x), groove.bottom() + 2), QPoint(int(x), self.height()))
        painter.end()


class ClusterPanel(QWidget):
    """Two worlds of one scenario on one clock, with the controls to drive it."""

    def __init__(self, scenario: Scenario, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        load_fonts()
        self.scenario = scenario
        self.controller = PlaybackController(self)
        self.scene = ClusterScene(self)
        self.view = ClusterView(self.scene)

        self.play_button = self._button(
            "Play", "Play or pause (Space)", "Space", self.controller.toggle
        )
        self.back_button = self._button(
            "|<", "Previous event (Left)", "Left", self.controller.step_previous
        )
        self.next_button = self._button(
            ">|", "Next event (Right)", "Right", self.controller.step_next
        )
        self.speed = QComboBox()
        for speed in SPEEDS:
            self.speed.addItem(f"{speed:g}x", speed)
        self.speed.setCurrentIndex(SPEEDS.index(10.0))
        self.speed.setToolTip("Simulated seconds per second")
        self.speed.currentIndexChanged.connect(
            lambda i: self.controller.set_speed(float(self.speed.itemData(i)))
        )
        self.slider = EventSlider()
        self.slider.setToolTip("Drag to scrub; the ticks mark events")
        self.slider.valueChanged.connect(self._on_slider)
        self.clock = QLabel("0.0 s")
        self.clock.setMinimumWidth(90)
        self.status = QLabel("Right-click a host to fail, drain or recover it.")

        controls = QHBoxLayout()
        for widget in (self.back_button, self.play_button, self.next_button, self.speed):
            controls.addWidget(widget)
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.clock)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(controls)
        layout.addWidget(self.status)

        self.controller.time_changed.connect(self._on_time)
        self.controller.playing_changed.connect(self._on_playing)
        self.controller.timeline_changed.connect(self._on_timeline)
        self.scene.host_action_requested.connect(self._on_host_action)
        self.controller.set_timeline(simulate(scenario))
        # Space and the arrows work from the start, without a click into the view first.
        self.setFocusProxy(self.view)
        self.view.setFocus()

    def _button(self, text: str, tip: str, keys: str, slot: object) -> QToolButton:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        self.addAction(action)
        button = QToolButton()
        button.setDefaultAction(action)
        return button

    # --- the clock -----------------------------------------------------------------------

    def _on_timeline(self, timeline: object) -> None:
        self.scene.set_timeline(self.controller.timeline())  # type: ignore[arg-type]
        duration = self.controller.duration()
        self.slider.blockSignals(True)
        self.slider.setMaximum(int(duration * _STEPS))
        self.slider.blockSignals(False)
        self.slider.markers = [int(t * _STEPS) for t in self.controller.event_times()]
        self.slider.update()

    def _on_time(self, t: float) -> None:
        self.scene.show_time(t)
        self.slider.blockSignals(True)
        self.slider.setValue(round(t * _STEPS))
        self.slider.blockSignals(False)
        self.clock.setText(f"{t:,.1f} s")

    def _on_slider(self, value: int) -> None:
        self.controller.seek(value / _STEPS)

    def _on_playing(self, playing: bool) -> None:
        self.play_button.defaultAction().setText("Pause" if playing else "Play")

    # --- what the user asks of a host ------------------------------------------------------

    def _on_host_action(self, world: str, host: str, action: str) -> None:
        status = self.scene.card(world, host).status
        allowed = {"fail": (0, 3), "drain": (0,), "recover": (1, 2, 3)}[action]
        if status not in allowed:  # nothing would change: add no event
            return
        t = self.controller.time()
        kind = {
            "fail": EventKind.HOST_FAIL,
            "drain": EventKind.DRAIN,
            "recover": EventKind.HOST_RECOVER,
        }[action]
        # The same host fails in every world: one stopwatch, the same race.
        self.scenario = self.scenario.with_event(TimedEvent(t, kind, host=host))
        self.controller.set_timeline(simulate(self.scenario), keep_time=True)
        verb = {"fail": "fails", "drain": "is drained", "recover": "comes back"}[action]
        self.status.setText(f"{host} {verb} at {t:,.1f} s in every world; play on to watch.")


def show_window(scenario: Scenario) -> int:
    """Open the cluster view of ``scenario`` in a window and run until it closes."""
    from PySide6.QtWidgets import QMainWindow

    from vmc_gui.ui.app import run_window

    def build() -> QMainWindow:
        from PySide6.QtWidgets import QDockWidget

        from vmc_gui.ui.charts.charts_panel import ChartsPanel

        window = QMainWindow()
        panel = ClusterPanel(scenario, window)
        window.setCentralWidget(panel)
        # The charts follow the same clock, docked under the cluster.
        dock = QDockWidget("Charts", window)
        dock.setObjectName("charts")
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        dock.setWidget(ChartsPanel(panel.controller, dock))
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        window.resizeDocks([dock], [340], Qt.Orientation.Vertical)
        window.setWindowTitle(f"vmc-gui — {scenario.title}")
        window.resize(1440, 960)
        return window

    return run_window(build)
