"""The cluster view with its playback controls: play, pause, step, speed, a scrubbable slider.

The panel is the controller the scene's requests go to: failing or recovering a host, or a
switch or a link of the network, at the current time adds an event to the
:class:`ScenarioDocument` (one step to undo), which derives a new scenario
(``Scenario.with_event``); the panel's :class:`LessonSession` simulates it again, the timeline
before that moment stays the same, and the clock stays where it is.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QFont,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
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

from vmc_gui.model.cluster import CORE_SWITCH, tor_switch
from vmc_gui.model.events import (
    Drain,
    HostFail,
    HostRecover,
    LinkFail,
    LinkRecover,
    OutOfService,
    RackFail,
    SwitchFail,
    SwitchRecover,
    ZoneFail,
    link_key,
)
from vmc_gui.model.scenario import Platform, Scenario, World
from vmc_gui.report import duration
from vmc_gui.sim.records import HostStatus
from vmc_gui.ui.document import ScenarioDocument
from vmc_gui.ui.fonts import load_fonts, ui_font
from vmc_gui.ui.media_icons import media_icon
from vmc_gui.ui.playback import DEFAULT_SPEED, SPEEDS
from vmc_gui.ui.scenes.cluster_scene import ClusterScene
from vmc_gui.ui.scenes.items.cells_item import CellsItem
from vmc_gui.ui.scenes.items.host_card_item import HostCardItem
from vmc_gui.ui.scenes.items.network_item import NetworkItem, Target
from vmc_gui.ui.scenes.items.rack_heads_item import RackHeadsItem
from vmc_gui.ui.scenes.zoom_view import ZoomView
from vmc_gui.ui.session import LessonSession

#: Slider resolution: steps per simulated second.
_STEPS = 10
#: The clock's size in presentation mode (pixels): the time is read from the back rows.
PROJECTOR_CLOCK_PX = 26

#: What each host action adds, the host statuses (HostCardItem.status) that allow it, and how
#: it reads.
_SERVING = (HostStatus.UP, HostStatus.DRAINING)
_FAILED = (HostStatus.FAILED, HostStatus.DOWN, HostStatus.TAINTED)
_HostEvent = HostFail | Drain | HostRecover | OutOfService
_ACTIONS: dict[str, tuple[type[_HostEvent], tuple[HostStatus, ...], str]] = {
    "fail": (HostFail, _SERVING, "fails"),
    "drain": (Drain, (HostStatus.UP,), "is drained"),
    "recover": (
        HostRecover,
        tuple(s for s in HostStatus if s != HostStatus.UP),
        "comes back",
    ),
    # Kubernetes' non-graceful node shutdown: only for a node that is really down.
    "out_of_service": (
        OutOfService,
        _FAILED,
        "is confirmed down (out-of-service taint)",
    ),
}
#: How each network action reads.
_NETWORK = {
    "switch_fail": "fails",
    "switch_recover": "is restored",
    "link_fail": "is cut",
    "link_recover": "is restored",
}


def _switch_words(switch: str) -> str:
    return "the core switch" if switch == "core" else switch


def _link_words(a: str, b: str) -> str:
    return f"the link {a} \N{EN DASH} {b}"


class ClusterView(ZoomView):
    """The cluster scene's view: right-click a host for what can happen to it."""

    def __init__(self, scene: ClusterScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        # A 1,000-host cluster is read zoomed in: the overview says where.
        self.enable_minimap()
        # At scale (issue 20) the scene lays itself out for this view's size, asks for a
        # rack whose head is clicked, and may show one world at a time.
        self._cluster = scene
        self._viewport_timer = QTimer(self)
        self._viewport_timer.setSingleShot(True)
        self._viewport_timer.setInterval(0)
        self._viewport_timer.timeout.connect(self._tell_viewport)
        scene.zoom_requested.connect(self.show_rect)
        scene.fit_changed.connect(self._refit)

    def _refit(self) -> None:
        self.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # A window being laid out resizes its views several times in a row: the scene is
        # told the size the view settles at, once.
        self._viewport_timer.start()
        super().resizeEvent(event)

    def _tell_viewport(self) -> None:
        # Zoomed in by hand, the layout stays what the user is looking at (its scroll bars
        # coming and going resize the viewport): the size is told when the view fits again.
        # Nor is a view's that is not on screen (its size is no one's yet).
        if not self.is_fitted() or not self.isVisible():
            return
        size = self.viewport().size()
        self._cluster.set_viewport(size.width(), size.height())

    def fit(self) -> None:
        super().fit()
        self._viewport_timer.start()  # the size it fits, told (see _tell_viewport)

    def paintEvent(self, event: QPaintEvent) -> None:
        # At scale the host cards of what is on screen are made when the view comes close
        # enough to read them (before this paint, not during it).
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        self._cluster.ensure_cards(visible, self.zoom())
        super().paintEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.menu_at(event.pos())
        if menu is None:
            return
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())

    def menu_at(self, pos: QPoint) -> QMenu | None:
        """The menu for what is under ``pos`` (view coordinates): a host, a switch or a link;
        at scale, where no fabric is drawn, a rack's head stands for its switch and a world's
        header for the core."""
        for item in self.items(pos):
            if isinstance(item, HostCardItem):
                return self.host_menu(item)
            if isinstance(item, CellsItem):  # a host seen from afar: its card, made now
                h = item.host_at(self.mapToScene(pos))
                timeline = self._cluster.timeline()
                if h >= 0 and timeline is not None:
                    world = World(str(item.data(0)))
                    name = timeline.worlds[world].run.host_names[h]
                    return self.host_menu(self._cluster.card(world, name))
            if isinstance(item, NetworkItem):
                target = item.target_at(self.mapToScene(pos))
                if target is not None:
                    return self.network_menu(item, target)
            if isinstance(item, RackHeadsItem):
                rack = item.rack_at(self.mapToScene(pos))
                if rack >= 0:
                    return self.rack_menu(rack + 1)
        if self._cluster.header_at(self.mapToScene(pos)) is not None:
            return self.core_menu()
        return None

    def rack_menu(self, rack: int) -> QMenu:
        """At scale, a rack's head: fail its hosts or its zone, fail or restore its
        top-of-rack switch, or cut or restore its uplink to the core, now (in every world, as
        the fabric's menu does)."""
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        self._add_outages(menu, rack)
        menu.addSeparator()
        state = self._cluster.net_state()
        switch = tor_switch(rack)
        failed = switch in state.failed_switches
        action = menu.addAction(
            f"{'Restore' if failed else 'Fail'} the switch {_switch_words(switch)} now"
        )
        action.setToolTip(
            f"Rack {rack}'s top-of-rack switch: while it is down the rack's hosts are cut off, "
            "not dead (in every world)"
        )
        request = "switch_recover" if failed else "switch_fail"
        action.triggered.connect(lambda: self._cluster.request_network(request, switch))
        cut = link_key(switch, CORE_SWITCH) in state.failed_links
        link = menu.addAction(
            f"{'Restore' if cut else 'Cut'} {_link_words(switch, CORE_SWITCH)} now"
        )
        link.setToolTip(f"Rack {rack}'s uplink: its switch's one cable to the core")
        verb = "link_recover" if cut else "link_fail"
        link.triggered.connect(lambda: self._cluster.request_network(verb, switch, CORE_SWITCH))
        return menu

    def _add_outages(self, menu: QMenu, rack: int) -> None:
        """What its power failing would do: "Fail rack N now", or, where the rack is a zone
        of a name of its own (an imported cluster's), "Fail zone Z now (rack N)" (the same
        hosts: one item, in the zone's words); a zone over several racks offers both."""
        timeline = self._cluster.timeline()
        if timeline is None:
            return
        spec = timeline.scenario.cluster
        zone = spec.zone_names()[spec.zone_of_rack(rack)] if spec.zones == "rack" else ""
        named = zone and any(host.zone for host in spec.hosts)
        racks = spec.racks_in_zone(zone) if named else []
        if racks != [rack]:
            fail = menu.addAction(f"Fail rack {rack} now")
            fail.setToolTip(
                f"Every host of rack {rack} crashes at once (its power), in every world"
            )
            fail.triggered.connect(lambda: self._cluster.request_outage("rack", str(rack)))
        if racks:
            where = f"rack {rack}" if len(racks) == 1 else f"{len(racks)} racks"
            whole = menu.addAction(f"Fail zone {zone} now ({where})")
            whole.setToolTip(
                f"Every host of zone {zone} ({where}) crashes at once (its power or its "
                "cooling), in every world: a zone_fail event"
            )
            whole.triggered.connect(lambda: self._cluster.request_outage("zone", zone))

    def core_menu(self) -> QMenu:
        """At scale, a world's header: fail or restore the core switch now, and restore the
        racks' switches that are down (in every world)."""
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        down = self._cluster.net_state().failed_switches
        failed = CORE_SWITCH in down
        action = menu.addAction(
            f"{'Restore' if failed else 'Fail'} {_switch_words(CORE_SWITCH)} now"
        )
        action.setToolTip(
            "The core joins the racks' switches, the clients and the storage: while it is down "
            "every rack is cut off from the others (in every world)"
        )
        request = "switch_recover" if failed else "switch_fail"
        action.triggered.connect(lambda: self._cluster.request_network(request, CORE_SWITCH))
        tors = sorted((s for s in down if s != CORE_SWITCH), key=lambda s: (len(s), s))
        for switch in tors:
            again = menu.addAction(f"Restore the switch {_switch_words(switch)} now")
            again.triggered.connect(
                lambda _=False, s=switch: self._cluster.request_network("switch_recover", s)
            )
        return menu

    def network_menu(self, fabric: NetworkItem, target: Target) -> QMenu:
        """Fail or restore a switch, or cut or restore a link, now (in every world: the
        network is the estate's, not a platform's)."""
        menu = QMenu(self)
        scene = self._scene
        if target.is_switch:
            switch = target.switch
            failed = fabric.is_failed(switch)
            verb = "Restore" if failed else "Fail"
            action = menu.addAction(f"{verb} {_switch_words(switch)} now")
            request = "switch_recover" if failed else "switch_fail"
            action.triggered.connect(lambda: scene.request_network(request, switch))
            return menu
        a, b = target.link
        cut = fabric.is_cut(a, b)
        verb = "Restore" if cut else "Cut"
        action = menu.addAction(f"{verb} {_link_words(a, b)} now")
        request = "link_recover" if cut else "link_fail"
        action.triggered.connect(lambda: scene.request_network(request, a, b))
        return menu

    def host_menu(self, card: HostCardItem) -> QMenu:
        """The actions for one host (a menu is the view's, not the item's, to open)."""
        menu = QMenu(self)
        menu.setToolTipsVisible(True)  # the out-of-service item's caution is in its tooltip
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
        timeline = self._scene.timeline()
        if timeline is not None:
            spec = timeline.scenario.cluster
            rack = spec.rack_of(spec.host_names().index(card.name))
            menu.addSeparator()
            self._add_outages(menu, rack)
            # The host's own cable to its rack's switch: cut off alone, still running.
            tor = tor_switch(rack)
            cut = frozenset((card.name, tor)) in self._scene.net_state().failed_links
            request = "link_recover" if cut else "link_fail"
            link = menu.addAction(f"{'Restore' if cut else 'Cut'} its network link now")
            link.setToolTip(f"{'Restores' if cut else 'Cuts'} {_link_words(card.name, tor)}")
            link.triggered.connect(lambda: self._scene.request_network(request, card.name, tor))
        if World(world).platform is Platform.CONTAINER:
            # The administrator's confirmation that the node is down (KEP-2268): its pods
            # are deleted at once and their disks detached without the 6-minute wait.
            confirm = menu.addAction(f"Confirm {card.name} is down (out-of-service taint)")
            confirm.setEnabled(card.status in _ACTIONS["out_of_service"][1])
            confirm.setToolTip(
                "Taints the node node.kubernetes.io/out-of-service: only for a node that is "
                "really shut down. We found no documented failover-cluster equivalent."
            )
            confirm.triggered.connect(
                lambda: self._scene.request(world, card.name, "out_of_service")
            )
        return menu


class EventSlider(QSlider):
    """A time slider with a tick at every moment something happens; a click on its track
    jumps there (not a page step towards it), as a media player's does."""

    def __init__(self) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self.markers: list[int] = []

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            option = QStyleOptionSlider()
            self.initStyleOption(option)
            handle = self.style().subControlRect(
                QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, self
            )
            if not handle.contains(event.position().toPoint()):
                self.setValue(self.value_at(event.position().x()))
        # The handle under the pointer now: a press that goes on dragging scrubs from here.
        super().mousePressEvent(event)

    def value_at(self, x: float) -> int:
        """The value under ``x`` (widget pixels) on the groove."""
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        style = self.style()
        groove = style.subControlRect(
            QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderGroove, self
        )
        handle = style.subControlRect(
            QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, self
        )
        span = groove.width() - handle.width()
        return QStyle.sliderValueFromPosition(
            self.minimum(),
            self.maximum(),
            round(x - groove.left() - handle.width() / 2),
            max(1, span),
        )

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

    #: A line for the status bar: what the last action did.
    message = Signal(str)

    def __init__(
        self,
        source: Scenario | ScenarioDocument | LessonSession,
        parent: QWidget | None = None,
    ) -> None:
        """Bound to ``source``'s session, or to a session of its own on a scenario or a
        document (a stand-alone window, a test)."""
        super().__init__(parent)
        load_fonts()
        if isinstance(source, LessonSession):
            self.session = source
        else:
            self.session = LessonSession(self)
            if isinstance(source, Scenario):
                source = ScenarioDocument(source, parent=self.session)
            self.session.show(source)
        self.controller = self.session.controller
        shown = self.session.document
        self._document = shown if shown is not None and shown.scenario.runs else None
        self.scene = ClusterScene(self)
        self.view = ClusterView(self.scene)

        self.play_action = self._action("Play", "Play or pause (Space)", "Space", self.toggle)
        self.previous_action = self._action(
            "|<", "Previous event (Left)", "Left", self.controller.step_previous
        )
        self.next_action = self._action(
            ">|", "Next event (Right)", "Right", self.controller.step_next
        )
        self.story_action = QAction("Follow the story", self)
        self.story_action.setCheckable(True)
        self.story_action.setToolTip(
            "Follow the story: short events (a live migration, its blackout) play in slow "
            "motion, quiet stretches pass fast"
        )
        self.story_action.toggled.connect(self.controller.set_follow_story)
        self.previous_action.setText("Previous event")
        self.next_action.setText("Next event")
        self.play_button = self._button(self.play_action)
        self.back_button = self._button(self.previous_action)
        self.next_button = self._button(self.next_action)
        self.story_button = self._button(self.story_action)
        self._paint_icons()
        self.speed = QComboBox()
        for speed in SPEEDS:
            self.speed.addItem(f"{speed:g}x", speed)
        self.speed.setCurrentIndex(SPEEDS.index(DEFAULT_SPEED))
        self.speed.setToolTip("Simulated seconds per second")
        self.speed.currentIndexChanged.connect(
            lambda i: self.controller.set_speed(float(self.speed.itemData(i)))
        )
        self.slider = EventSlider()
        self.slider.setToolTip("Drag to scrub; the ticks mark events")
        self.slider.valueChanged.connect(self._on_slider)
        self.clock = QLabel("0.0 s")
        # Wide enough for the longest time it shows, so that the bar never shifts.
        self.clock.setMinimumWidth(self.clock.fontMetrics().horizontalAdvance("00 min 00.0 s") + 8)
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        #: What the last host action did (also sent out as ``message``).
        self.last_message = ""
        # Before and after: shown while the run before the last change is (the window's
        # Simulation menu has it too, on Esc).
        self.dismiss_action = QAction("Dismiss before", self)
        self.dismiss_action.setToolTip(
            "Stop showing the run before your last change: its faded curves in the charts, "
            "its result beside each world's (Esc, outside presentation mode)"
        )
        self.dismiss_action.triggered.connect(self.session.dismiss_ghost)
        self.dismiss_button = self._button(self.dismiss_action)
        self.dismiss_button.setVisible(False)
        # A large cluster on a short view shows one world at a time (issue 20): this shows
        # the next.
        self.world_action = self._action(
            "Next world",
            "Show the next world (W): a cluster this large reads one world at a time here",
            "W",
            self._next_world,
        )
        self.world_button = self._button(self.world_action)
        self.world_button.setVisible(False)

        controls = QHBoxLayout()
        for widget in (
            self.back_button,
            self.play_button,
            self.next_button,
            self.speed,
            self.story_button,
        ):
            controls.addWidget(widget)
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.clock)
        controls.addWidget(self.world_button)
        controls.addWidget(self.dismiss_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(controls)
        # What the last action did goes to the window's status bar (``message``); the view
        # says what a right-click does.
        self.view.setToolTip(
            "Right-click a host to fail, drain or recover it, or a switch or a link to fail or "
            "restore it"
        )

        self.controller.time_changed.connect(self._on_time)
        self.controller.playing_changed.connect(self._on_playing)
        self.controller.timeline_changed.connect(self._on_timeline)
        self.scene.host_action_requested.connect(self._on_host_action)
        self.scene.network_action_requested.connect(self._on_network_action)
        self.scene.outage_requested.connect(self.act_on_outage)
        self.scene.fit_changed.connect(self._on_fit_changed)
        self.session.document_changed.connect(self._on_document)
        self.session.ghost_changed.connect(self._on_ghost)
        self._on_ghost(self.session.ghost)
        if self.controller.timeline() is not None:
            self._on_timeline(self.controller.timeline())
        # Space and the arrows work from the start, without a click into the view first.
        self.setFocusProxy(self.view)
        self.view.setFocus()

    def _next_world(self) -> None:
        self.scene.show_world(self.scene.world_on_show() + 1)
        self.view.fit()
        self._on_fit_changed()

    def _on_fit_changed(self) -> None:
        """The world switch shows while the view shows one world of several at a time."""
        timeline = self.scene.timeline()
        count = len(timeline.worlds) if timeline is not None else 0
        one_at_a_time = count > 1 and self.scene.worlds_at_once() < count
        self.world_button.setVisible(one_at_a_time)
        self.world_action.setEnabled(one_at_a_time)
        if one_at_a_time:
            self._name_next_world()

    def _name_next_world(self) -> None:
        """The switch names the world it shows next, with that world's result: the lesson's
        answer for both worlds stays in sight while one is drawn."""
        timeline = self.scene.timeline()
        if timeline is None:
            return
        worlds = list(timeline.worlds)
        following = worlds[(self.scene.world_on_show() + 1) % len(worlds)]
        name = following.display_name.split(":")[0]
        result = self.scene.result_text(following)
        text = f"{name}: {result} ▸" if result else f"Show the {name}"
        if self.world_action.text() != text:
            self.world_action.setText(text)

    @property
    def document(self) -> ScenarioDocument:
        """The document on show (the last one that runs: the session may be showing a
        diagram-only lesson or the matrix, and then this panel is off screen)."""
        assert self._document is not None
        return self._document

    @property
    def scenario(self) -> Scenario:
        return self.document.scenario

    def _on_document(self, document: ScenarioDocument | None) -> None:
        """Another scenario (another lesson, another file) starts from its beginning."""
        if document is None or not document.scenario.runs or document is self._document:
            return
        self._document = document
        self.view.fit_readable()

    def toggle(self) -> None:
        self.controller.toggle()

    def set_projector(self, on: bool) -> None:
        """The clock in projector type (presentation mode), or the desktop's."""
        font = ui_font(PROJECTOR_CLOCK_PX, bold=True) if on else QFont()
        self.clock.setFont(QFont(font))
        self.clock.setMinimumWidth(self.clock.fontMetrics().horizontalAdvance("00 min 00.0 s") + 8)

    def _action(self, text: str, tip: str, keys: str, slot: object) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        self.addAction(action)
        return action

    @staticmethod
    def _button(action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        return button

    # --- the clock -----------------------------------------------------------------------

    def _on_ghost(self, ghost: object) -> None:
        """The run before the last change (or none): quoted in each world's result."""
        self.scene.set_ghost(self.session.ghost)
        self.dismiss_button.setVisible(self.session.ghost is not None)

    def _on_timeline(self, timeline: object) -> None:
        # The session sets the ghost before the new run: the headers quote it at once.
        self.scene.set_ghost(self.session.ghost)
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
        self.clock.setText(duration(t))  # as the stopwatches and the charts write it
        if self.world_button.isVisible():
            self._name_next_world()

    def _on_slider(self, value: int) -> None:
        self.controller.seek(value / _STEPS)

    def _on_playing(self, playing: bool) -> None:
        self.play_action.setText("Pause" if playing else "Play")
        self._paint_icons()

    def _paint_icons(self) -> None:
        """The playback icons in the palette's text colour (again after a theme change)."""
        colour = self.palette().color(QPalette.ColorRole.ButtonText)
        playing = self.controller.is_playing()
        self.play_action.setIcon(media_icon("pause" if playing else "play", colour))
        self.previous_action.setIcon(media_icon("previous", colour))
        self.next_action.setIcon(media_icon("next", colour))
        self.story_action.setIcon(media_icon("story", colour))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_icons()
        super().changeEvent(event)

    # --- what the user asks of a host ------------------------------------------------------

    def _on_host_action(self, world: str, host: str, action: str) -> None:
        if self.can(host, action, world):
            self.act_on_host(host, action)

    def can(self, host: str, action: str, world: str = "") -> bool:
        """Whether ``action`` changes ``host`` now (in ``world``, or in the first world)."""
        world = world or self.scenario.worlds[0].value
        return self.scene.card(world, host).status in _ACTIONS[action][1]

    def act_on_host(self, host: str, action: str) -> None:
        """Fail, drain or recover ``host`` at the current time, in every world."""
        event_type, _, verb = _ACTIONS[action]
        t = self.controller.time()
        # The same host fails in every world: one stopwatch, the same race.
        self.document.add_event(event_type(t, host), f"{host} {verb} at {t:,.1f} s")
        text = f"{host} {verb} at {t:,.1f} s in every world; play on to watch."
        self.last_message = text
        self.message.emit(text)

    def act_on_outage(self, kind: str, which: str) -> None:
        """Fail every host of rack ``which`` (its number) or of zone ``which`` at the current
        time, in every world: the operator's "what if this rack or zone goes?"."""
        t = self.controller.time()
        event: RackFail | ZoneFail
        if kind == "rack":
            event = RackFail(t, int(which))
            what = f"Rack {which}"
        else:
            event = ZoneFail(t, which)
            what = f"Zone {which}"
        self.document.add_event(event, f"{what} fails at {t:,.1f} s")
        text = f"{what} fails at {t:,.1f} s in every world, every host in it; play on to watch."
        self.last_message = text
        self.message.emit(text)

    # --- what the user asks of the network -----------------------------------------------------

    def _on_network_action(self, action: str, a: str, b: str) -> None:
        self.act_on_network(action, a, b)

    def act_on_network(self, action: str, a: str, b: str = "") -> None:
        """Fail or restore switch ``a``, or cut or restore the link ``a``-``b``, at the
        current time, in every world."""
        verb = _NETWORK[action]
        t = self.controller.time()
        event: SwitchFail | SwitchRecover | LinkFail | LinkRecover
        if action.startswith("switch"):
            event = (SwitchFail if action == "switch_fail" else SwitchRecover)(t, a)
            what = _switch_words(a)
        else:
            event = (LinkFail if action == "link_fail" else LinkRecover)(t, a, b)
            what = _link_words(a, b)
        self.document.add_event(event, f"{what} {verb} at {t:,.1f} s")
        text = f"{what[0].upper()}{what[1:]} {verb} at {t:,.1f} s in every world; play on to watch."
        self.last_message = text
        self.message.emit(text)
