"""The cluster as a scene: every world of a scenario side by side, projected from a Timeline.

The layout comes from the networkx cluster graph: each rack a column of host cards under its
top-of-rack switch.  :meth:`ClusterScene.show_time` draws ``timeline.state_at(t)``: host
status and fill, each workload's phase, and the progress of phases under way; a stopwatch per
world names the recovery phases as they pass.  The scene never changes the model: a host
action leaves as ``host_action_requested`` for the controller.

Each lesson's own question shows too, from what the timeline says at t: the instances a
kernel exploit has reached are red (isolation); each memory bar splits the apps' memory from
the platform's (operating system); a host its balancer would call hot is drawn warm, and
where instances are moved on purpose a line per world counts the state held in memory, which
a live migration keeps and a replaced pod loses (load balancing).  What that needs is read
from the log once per timeline (``sim.exposure``, ``sim.memory_split``, ``sim.hot_hosts``,
``sim.incarnations``), not per frame.

Where the scenario cuts the network, the fabric under each world shows what is down, and the
cards what that does (``partition_marks``): a host that runs but that the clients cannot
reach is tinted and badged, and a workload running twice is marked on both its copies.  A
right-click on a switch or a link leaves as ``network_action_requested``.  At scale, where no
fabric is drawn, a rack's head says when its switch is down or its uplink cut, and each
world's header how the network stands (``rack_summary``); the view's menus on a rack's head
and on a header stand for the rack's switch and for the core.
"""

from __future__ import annotations

import functools
import html
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPen, QTextDocument
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsScene, QGraphicsTextItem

from vmc_gui.model.cluster import (
    CORE_SWITCH,
    SHARED_STORAGE,
    ClusterSpec,
    build_cluster,
    etcd_member,
    etcd_switch,
    hosts_by_rack,
)
from vmc_gui.model.scenario import EventKind, Platform, Storage, World
from vmc_gui.report import duration
from vmc_gui.sim.compare_runs import Comparison, compare_finals, final_words, finals
from vmc_gui.sim.exposure import Exposures, exposures
from vmc_gui.sim.headline import Headline, Tone, headlines
from vmc_gui.sim.hot_hosts import HotHosts, Resource
from vmc_gui.sim.incarnations import Incarnations, incarnations
from vmc_gui.sim.memory_split import OVERHEAD_NAME, MemorySplit, holds_memory
from vmc_gui.sim.network import INTACT, NetState
from vmc_gui.sim.partitions import etcd_members_of, witness_of
from vmc_gui.sim.records import NOT_CREATED, EventType, HostStatus, Phase, ZoneState
from vmc_gui.sim.summary import WorldSummary
from vmc_gui.sim.timeline import Timeline, WorldState, WorldTimeline
from vmc_gui.ui.fonts import ui_font
from vmc_gui.ui.scenes.items.cells_item import CellsItem
from vmc_gui.ui.scenes.items.host_card_item import (
    CARD_WIDTH,
    DETAIL_LOD,
    MAX_GLYPH_ROWS,
    RING_CORNERS,
    RING_SIDE,
    SLOT_CENTRES,
    TIMED,
    HostCardItem,
    Level,
    card_height,
    card_level,
    glyphs_per_row,
)
from vmc_gui.ui.scenes.items.host_cells import CUT_OFF_INDEX, STATE_OF_STATUS, CellState
from vmc_gui.ui.scenes.items.host_cells import legend_html as cells_legend
from vmc_gui.ui.scenes.items.network_item import HEIGHT as NETWORK_HEIGHT
from vmc_gui.ui.scenes.items.network_item import HEIGHT_WITH_ROW, NetworkItem
from vmc_gui.ui.scenes.items.rack_heads_item import RackHeadsItem
from vmc_gui.ui.scenes.items.rings_item import RingsItem
from vmc_gui.ui.scenes.items.travel_item import Flights, TravelItem
from vmc_gui.ui.scenes.partition_marks import PartitionMarks
from vmc_gui.ui.scenes.rack_summary import (
    RackLines,
    host_counts,
    network_parts,
    rack_network,
    totals_line,
    workload_counts,
)
from vmc_gui.ui.scenes.scale_layout import (
    DEFAULT_VIEWPORT,
    HEAD_LINE_PX,
    HEAD_LINES,
    ScaleGrid,
    Spacing,
    needs_scale_layout,
    scale_grid,
)
from vmc_gui.ui.theme import LIGHT, Theme

if TYPE_CHECKING:  # the graph is built only for the usual layout (it draws the fabric)
    import networkx as nx

MARGIN = 20.0
RACK_GAP = 14.0
RACK_PAD = 8.0
RACK_TITLE = 22.0
#: The second title line of a rack that is a Kubernetes zone.
ZONE_LINE = 18.0
CARD_GAP = 8.0
WORLD_GAP = 40.0
#: Between a row of worlds and the next (four worlds lay out two by two).
ROW_GAP = 24.0
#: A world's header: its title, its result in large type, the stopwatch line, the legend
#: (two lines, or more where a lesson adds to it: the header grows), each at its offset
#: from the header's top.
TITLE_Y, RESULT_Y, WATCH_Y, LEGEND_Y = 0.0, 24.0, 62.0, 82.0
HEADER = 122.0
#: Between the legend's last line and the racks.
LEGEND_PAD = 6.0
#: The line that counts the state held in memory, where a lesson moves instances on
#: purpose (under the stopwatch: the legend moves down by as much).
STATE_LINE = 19.0
#: An illustration, not a platform figure: the user sessions each running instance is taken
#: to gather in its memory every minute, so that what a move keeps (a live migration) or
#: loses (a replaced pod) can be counted.  The line's tooltip says so.
ILLUSTRATIVE_SESSIONS_PER_MINUTE = 10
#: Events that move instances on purpose: where the state line is shown.
_MOVES = frozenset({EventKind.DRAIN, EventKind.REBALANCE, EventKind.LOAD})
_STATE_TIP = (
    "<b>State held in memory</b> (an illustration, not a platform figure): each running "
    "instance is taken to gather {rate} user sessions a minute in its memory. A live migration "
    "copies a VM's memory while it runs and keeps its process, so its sessions move with it. "
    "A pod is not moved but replaced: the new pod is a new process and starts with none, and "
    "what the old one held is lost (so is a VM's, when it restarts). Hover an instance for how "
    "long its process has held its state."
)
#: The result's size in pixels: the lesson's answer, read from the back of a room.
RESULT_PX = 26
MIN_WORLD_WIDTH = 460.0
#: Worlds side by side before the next row (four worlds make two rows of two).
MAX_COLUMNS = 3
#: Between the racks' feet and the fabric under them.
NETWORK_GAP = 0.0
#: At scale, the least zoom a click on a rack's head goes to: its cards read (the middle
#: level of semantic zoom, a card about 90 px wide).
RACK_ZOOM = 0.55
#: The usual layout's spacing, which the layout at scale keeps.
_SPACING = Spacing(MARGIN, RACK_GAP, RACK_PAD, CARD_GAP)
#: How long, in simulated seconds at most, a restarted VM is seen travelling to its new host.
TRAVEL_S = 8.0

#: What each platform calls a host in each status (short: the card's header holds it).
_STATUS = {
    Platform.VM: {
        HostStatus.UP: "up",
        HostStatus.FAILED: "failed",
        HostStatus.ISOLATED: "isolated",
        HostStatus.DOWN: "down",
        HostStatus.QUARANTINED: "quarantined",
        HostStatus.DRAINING: "draining",
    },
    Platform.CONTAINER: {
        HostStatus.UP: "up",
        HostStatus.FAILED: "failed",
        HostStatus.DOWN: "NotReady",
        HostStatus.TAINTED: "NotReady · tainted",
        HostStatus.OUT_OF_SERVICE: "out of service",
        HostStatus.DRAINING: "cordoned",
    },
}
#: A zone's state in the rack's second title line, and how loudly (theme role).
_ZONE_WORDS = {
    ZoneState.NORMAL: ("zone normal", "muted"),
    ZoneState.PARTIAL: ("partially down", "alarm"),
    ZoneState.FULL: ("full disruption", "warning"),
}
#: Between the parts of a stopwatch line.
#: The most phases the stopwatch names (the others are counted).
STOPWATCH_PHASES = 4
_SEPARATOR = "  ·  "
#: Host actions the scene may request.
ACTIONS = ("fail", "drain", "recover", "out_of_service")
#: Network actions the scene may request: (action, switch or one end, the other end or "").
NETWORK_ACTIONS = ("switch_fail", "switch_recover", "link_fail", "link_recover")
#: Outages the scene may request: a rack's power, or a whole zone's (issue 21).
OUTAGES = ("rack", "zone")
_ZONE_TIP = (
    "<b>A Kubernetes zone</b> (topology.kubernetes.io/zone: {where}). The node lifecycle "
    "controller taints unreachable nodes at --node-eviction-rate ({rate:g} nodes/s) in a "
    "normal zone and in one with every node down. With more than 2 of its nodes NotReady, "
    "and at least {threshold:.0%} of them, a zone is partially disrupted: it stops evicting if "
    "it has {large} nodes or fewer (--large-cluster-size-threshold), else slows to "
    "{secondary:g} nodes/s. When every zone is down, nothing is evicted and the taints are "
    "removed."
)


class ClusterScene(QGraphicsScene):
    """Every world of a timeline, side by side, at one time."""

    #: A user asked for something to happen to a host: (world, host name, action).
    host_action_requested = Signal(str, str, str)
    #: A user asked for a switch to fail or come back, or a link to be cut or restored:
    #: (action, the switch or one end of the link, the link's other end or "").
    network_action_requested = Signal(str, str, str)
    #: A user asked for every host of a rack (its number) or a zone (its name) to fail:
    #: ("rack" or "zone", which).
    outage_requested = Signal(str, str)
    #: At scale: the user asked to see this part of the scene whole (a rack's head clicked).
    zoom_requested = Signal(QRectF)
    #: At scale on a short view: what a fitted view shows changed (another world on show).
    fit_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._theme: Theme = LIGHT
        self._timeline: Timeline | None = None
        #: Each world's host cards, by host index; at scale, None until a view comes close.
        self._cards: dict[World, list[HostCardItem | None]] = {}
        self._stopwatches: dict[World, QGraphicsTextItem] = {}
        #: Each world's result in large type, and what it says over the run.
        self._results: dict[World, QGraphicsTextItem] = {}
        self._headlines: dict[str, Headline] = {}
        #: The run before the last change (the ghost), each world's result in it, and each
        #: world's result then and now: the large result quotes both.
        self._ghost: Timeline | None = None
        self._ghost_finals: dict[str, str] = {}
        self._comparisons: dict[str, Comparison] = {}
        self._watch_width = MIN_WORLD_WIDTH
        #: Each rack's zone line, by world (container worlds only), and what it last said.
        self._zone_lines: dict[World, list[QGraphicsTextItem]] = {}
        self._zone_shown: dict[World, list[tuple[ZoneState, float]]] = {}
        self._static: list[QGraphicsRectItem | QGraphicsTextItem | NetworkItem] = []
        self._phases: dict[World, list[tuple[str, float, float]]] = {}
        #: After a failure, how long each world took to have every service ready again.
        self._recovered: dict[World, float | None] = {}
        #: Why a world does not recover, in a few words, and from when it applies.
        self._why: dict[World, tuple[float, str]] = {}
        #: When the stopwatch starts in each world, and what starts it.
        self._origin: dict[World, tuple[float, str] | None] = {}
        self._bounds = QRectF()
        self._time = 0.0
        self._travel: TravelItem | None = None
        self._rings: RingsItem | None = None
        self._migrations: dict[World, list[tuple[int, int, int, float, float]]] = {}
        #: Where a workload came from, by (world, workload, start of its phase): a flight
        #: asks every frame, the answer never changes.
        self._came_from: dict[tuple[World, int, float], int] = {}
        #: What each world's cards were last handed, to find the few that change a frame.
        self._last: dict[World, _Frame] = {}
        #: Each world's card corners in the scene (one row a host) and glyphs a card holds.
        self._card_corners: dict[World, npt.NDArray[np.float64]] = {}
        self._capacity: dict[World, int] = {}
        #: What each lesson asks of the cards, read from the timeline once: the instances an
        #: exploit reached and when, the memory split, the balancer's rule, and (worked out
        #: on first use) each instance's incarnations.
        self._exposures: dict[World, Exposures] = {}
        self._splits: dict[World, MemorySplit] = {}
        self._heat: dict[World, HotHosts] = {}
        self._incarnations: dict[World, Incarnations] = {}
        #: Each world's state line (where shown), and the header's height.
        self._state_lines: dict[World, QGraphicsTextItem] = {}
        self._header = HEADER
        #: What a network partition adds to the cards, the fabric under each world, and the
        #: network state they last showed.
        self._partitions: PartitionMarks | None = None
        self._fabrics: dict[World, NetworkItem] = {}
        self._net_shown: NetState | None = None
        #: At scale, each world's network line on its title's line: the item, its right
        #: edge (scene units) and the room it has (its own units, beside the title).
        self._net_lines: dict[World, tuple[QGraphicsTextItem, float, float]] = {}
        #: At scale (issue 20): the layout for the viewport it is shown in, each world's
        #: block, racks' heads and totals line, and the world a short view shows.
        self._viewport = DEFAULT_VIEWPORT
        #: Each host's rack (0-based), for the cluster it was worked out for.
        self._rack_index: tuple[ClusterSpec, npt.NDArray[np.int64]] | None = None
        #: Every world at once whatever the viewport (a picture), or one at a time when short.
        self._every_world = False
        self._grid: ScaleGrid | None = None
        self._world_blocks: dict[World, QRectF] = {}
        self._heads: dict[World, RackHeadsItem] = {}
        self._totals: dict[World, QGraphicsTextItem] = {}
        self._cells: dict[World, CellsItem] = {}
        #: What each world's cells were last coloured from (its state's status array and its
        #: partition marks), and each host's memory in GB.
        self._celled: dict[World, tuple[object, object]] = {}
        self._host_memory_gb: dict[World, npt.NDArray[np.float64]] = {}
        #: At scale, whether a view shows the cards close up (their rings are worked out
        #: only then).
        self._near = False
        #: At scale, which hosts' cards have been made (per world).
        self._made: dict[World, npt.NDArray[np.bool_]] = {}
        #: The live workloads grouped by host, with the state arrays they came from.
        self._groups: dict[World, tuple[object, object, tuple[npt.NDArray[np.int64], ...]]] = {}
        #: The state each world's counts were last made from (its phase array).
        self._counted_state: dict[World, tuple[object, NetState]] = {}
        #: Each world's racks' heads, kept between frames.
        self._rack_lines: dict[World, RackLines] = {}
        #: What a host card is made with at scale: glyph rows, the note line, its height.
        self._card_specs: dict[World, tuple[int, bool, float]] = {}
        self._world_on_show = 0
        self.setBackgroundBrush(self._theme.background)
        # Cards repaint in place; nothing moves, so no index is worth keeping up.
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)

    # --- what is shown -------------------------------------------------------------------

    def set_timeline(self, timeline: Timeline) -> None:
        """Lay out the scenario's cluster once per world (a new timeline of the same scenario,
        after an injected failure, keeps the layout and only redraws)."""
        same_shape = (
            self._timeline is not None
            and self._timeline.scenario.cluster == timeline.scenario.cluster
            and list(self._timeline.worlds) == list(timeline.worlds)
            and self._header_key(self._timeline) == self._header_key(timeline)
            and self._timeline.scenario.cuts_network == timeline.scenario.cuts_network
        )
        self._timeline = timeline
        summaries = timeline.summary
        self._phases = {
            w: [(p.name, p.start_s, p.end_s) for p in summaries[w.value].phases]
            for w in timeline.worlds
        }
        self._origin = {w: _origin(timeline, wt) for w, wt in timeline.worlds.items()}
        self._why = {
            w: why
            for w in timeline.worlds
            if (why := _why_not(summaries[w.value], self._phases[w])) is not None
        }
        self._recovered = {
            w: summaries[w.value].recovery_s
            for w, wt in timeline.worlds.items()
            if wt.run.first_fault_s is not None
        }
        self._headlines = headlines(timeline)
        self._compare()
        self._came_from = {}
        self._last = {}
        self._migrations = {w: _migrations(wt) for w, wt in timeline.worlds.items()}
        self._exposures = {w: exposures(wt) for w, wt in timeline.worlds.items()}
        self._splits = {w: MemorySplit(wt) for w, wt in timeline.worlds.items()}
        self._heat = {
            # "Hot" is the CPU story (the load-balancing lesson): a full host's memory is the
            # density lesson's limit, and its memory bar shows it.
            w: HotHosts(
                w, timeline.scenario, wt.run.host_cores, wt.run.host_memory_mb, (Resource.CPU,)
            )
            for w, wt in timeline.worlds.items()
        }
        self._incarnations = {}
        self._partitions = PartitionMarks(timeline)
        self._net_shown = None
        if not same_shape:
            self._layout(timeline)
        self.show_time(self._time)

    def timeline(self) -> Timeline | None:
        return self._timeline

    def seek_before_showing(self, t: float) -> None:
        """Set the time the next timeline is first drawn at (a still at ``t`` is drawn once,
        not at 0 and then at ``t``)."""
        self._time = t

    @staticmethod
    def shows_state(timeline: Timeline) -> bool:
        """Whether the scenario moves instances on purpose (a drain, a hot host): then each
        world counts the state its instances hold in memory."""
        return any(event.kind in _MOVES for event in timeline.scenario.events)

    def _header_key(self, timeline: Timeline) -> tuple[bool, tuple[str, ...]]:
        """What the headers' height depends on: the state line, and each legend."""
        return self.shows_state(timeline), tuple(
            self.legend_html(world, timeline) for world in timeline.worlds
        )

    def incarnations(self, world: World) -> Incarnations | None:
        """``world``'s incarnations, read from the log on first use."""
        found = self._incarnations.get(world)
        if found is None and self._timeline is not None and world in self._timeline.worlds:
            found = self._incarnations[world] = incarnations(self._timeline.worlds[world])
        return found

    def _layout(self, timeline: Timeline) -> None:
        self.clear()
        self._travel = TravelItem(CARD_WIDTH)
        self._travel.set_theme(self._theme)
        self.addItem(self._travel)
        self._rings = RingsItem(RING_SIDE, DETAIL_LOD)
        self._rings.set_theme(self._theme)
        self.addItem(self._rings)
        self._cards = {}
        self._stopwatches = {}
        self._zone_lines = {}
        self._zone_shown = {}
        self._static = []
        self._fabrics = {}
        self._net_lines = {}
        self._net_shown = None  # what shows the network is made again
        self._world_blocks = {}
        self._made = {}
        self._celled = {}
        self._rack_lines = {}
        self._counted_state = {}
        self._groups = {}
        self._cells = {}
        self._card_specs = {}
        spec = timeline.scenario.cluster
        note = timeline.scenario.cuts_network
        # A second title line per rack, for the zone the node lifecycle controller judges.
        zoned = any(wt.run.zone_names for wt in timeline.worlds.values())
        rack_title = RACK_TITLE + (ZONE_LINE if zoned else 0.0)
        racks, per_rack = spec.racks, spec.hosts_per_rack
        rack_width = CARD_WIDTH + 2 * RACK_PAD
        # At least wide enough for the world's title, stopwatch and legend, however few racks.
        world_width = max(MIN_WORLD_WIDTH, racks * rack_width + (racks - 1) * RACK_GAP)
        # Room for twice the even share of replicas per host (failover piles them up), in
        # as few glyph rows as that needs; more than fits shows as counts.
        replicas = sum(s.replicas for s in timeline.scenario.services)
        share = 2 * replicas / max(1, racks * per_rack)
        rows = min(MAX_GLYPH_ROWS, max(1, math.ceil(share / glyphs_per_row())))
        height = card_height(rows, note)
        rack_height = rack_title + per_rack * (height + CARD_GAP) + RACK_PAD
        worlds = list(timeline.worlds.items())
        # The header holds the tallest legend (a lesson may add to it) and the state line.
        state_line = self.shows_state(timeline)
        legend_y = LEGEND_Y + (STATE_LINE if state_line else 0.0)
        least_header = HEADER + (STATE_LINE if state_line else 0.0)
        self._state_lines = {}
        # The row under the core (a witness, etcd members beyond the racks) for every world
        # if any has one: the worlds side by side keep one height.
        row = any(self._fabric_row(timeline, world) for world, _ in worlds)
        fabric = HEIGHT_WITH_ROW if row else NETWORK_HEIGHT
        # Four worlds make two rows of two: one row of four leaves each a sliver.
        columns = 2 if len(worlds) == 4 else min(MAX_COLUMNS, len(worlds))
        self._results = {}
        self._heads = {}
        self._totals = {}
        rows_of_worlds = math.ceil(len(worlds) / columns)

        def fit(header: float) -> float:
            """The zoom that fits the usual layout with ``header`` to the reference window
            (not the view's size: a small lesson in a small window keeps its cards and
            scrolls)."""
            world_height = header + rack_height + NETWORK_GAP + fabric
            usual = (
                2 * MARGIN + columns * world_width + (columns - 1) * WORLD_GAP,
                2 * MARGIN + rows_of_worlds * world_height + (rows_of_worlds - 1) * ROW_GAP,
            )
            return min(DEFAULT_VIEWPORT[0] / usual[0], DEFAULT_VIEWPORT[1] / usual[1])

        # Too large to read as cards when fitted: the layout at scale (issue 20).  Too large
        # already with the least header, it is, without laying the legends out to know.
        at_scale = needs_scale_layout(CARD_WIDTH, fit(least_header))
        header = least_header
        if not at_scale:
            legends = {w: self.legend_html(w, timeline) for w, _ in worlds}
            tallest = max((_html_height(h, world_width) for h in legends.values()), default=0.0)
            header = max(least_header, legend_y + tallest + LEGEND_PAD)
            at_scale = needs_scale_layout(CARD_WIDTH, fit(header))
        self._header = header
        world_height = header + rack_height + NETWORK_GAP + fabric
        self._grid = None
        if at_scale:
            self._grid = scale_grid(
                racks,
                per_rack,
                len(worlds),
                (CARD_WIDTH, height),
                _SPACING,
                self._viewport,
                self._every_world,
            )
            self._layout_at_scale(timeline, self._grid, height, rows, note)
            return
        # The usual layout draws the fabric: the cluster's graph (networkx comes with it; a
        # cluster at scale, drawn without its fabric, does without).
        graph = build_cluster(spec)
        in_rack = hosts_by_rack(graph)
        titles = spec.rack_titles()
        right = 0.0
        for k, (world, wt) in enumerate(worlds):
            x = MARGIN + (k % columns) * (world_width + WORLD_GAP)
            y = MARGIN + (k // columns) * (world_height + ROW_GAP)
            right = max(right, x + world_width)
            title = self._text("", 17, bold=True)
            _fit_text(title, world.display_name, world_width, (17, 15, 13, 11))
            # In its world's colour: the charts draw the world's lines in it too.
            title.setData(1, f"world:{world.value}")
            title.setDefaultTextColor(self._theme.world(world.value))
            title.setPos(x, y + TITLE_Y)
            result = self._text("", RESULT_PX, bold=True)
            result.setPos(x, y + RESULT_Y)
            result.setCacheMode(result.CacheMode.NoCache)  # it counts while the run goes
            self._results[world] = result
            watch = self._text("", 12, bold=False, muted=True)
            watch.setPos(x, y + WATCH_Y)
            # It changes with every frame: caching its picture would only cost.
            watch.setCacheMode(watch.CacheMode.NoCache)
            self._stopwatches[world] = watch
            self._watch_width = world_width
            if state_line:
                held = self._text("", 12, bold=False, muted=True)
                held.setPos(x, y + WATCH_Y + STATE_LINE)
                held.setCacheMode(held.CacheMode.NoCache)  # it counts every frame
                held.setData(1, f"state:{world.value}")
                held.setToolTip(_STATE_TIP.format(rate=ILLUSTRATIVE_SESSIONS_PER_MINUTE))
                self._state_lines[world] = held
            legend = self._text("", 11, bold=False, muted=True)
            legend.setHtml(legends[world])
            legend.setData(1, f"legend:{world.value}")  # its swatches follow the theme
            legend.setTextWidth(world_width)
            legend.setPos(x, y + legend_y)
            cards: list[HostCardItem] = []
            names = wt.run.host_names
            where = {name: i for i, name in enumerate(names)}
            for rack in range(1, racks + 1):
                left = x + (rack - 1) * (rack_width + RACK_GAP)
                top = y + header
                panel = QGraphicsRectItem(QRectF(left, top, rack_width, rack_height))
                panel.setPen(QPen(self._theme.outline, 1))
                panel.setBrush(QBrush(QColor(self._theme.outline)))
                panel.setZValue(-1)
                panel.setCacheMode(panel.CacheMode.DeviceCoordinateCache)
                self.addItem(panel)
                self._static.append(panel)
                # "Rack 2", or its zone's name where imported.
                title = titles[rack - 1]
                label = self._text(f"{title}  ·  tor-r{rack}", 11, bold=True, muted=True)
                label.setPos(left + RACK_PAD, top + 3)
                if wt.run.zone_names:
                    zone = self._text("", 11, bold=True, muted=True)
                    zone.setPos(left + RACK_PAD, top + RACK_TITLE - 1)
                    zone.setCacheMode(zone.CacheMode.NoCache)  # it changes during a run
                    self._zone_lines.setdefault(world, []).append(zone)
                for slot, host in enumerate(in_rack.get(rack, [])):
                    index = where[host]
                    card = HostCardItem(
                        host,
                        wt.run.host_cores[index],
                        wt.run.host_memory_mb[index] / 1024,
                        world.platform is Platform.VM,
                        self._theme,
                        rows,
                        note,
                    )
                    self.addItem(card)
                    card.setPos(left + RACK_PAD, top + rack_title + slot * (height + CARD_GAP))
                    card.setData(0, world.value)
                    card.platform_name = OVERHEAD_NAME.get(world, card.platform_name)
                    card.workload_note = functools.partial(self.workload_note, world)
                    cards.append(card)
            self._network(graph, world, x, rack_width, y + header + rack_height, row)
            ordered = sorted(cards, key=lambda c: where[c.name])
            self._cards[world] = list(ordered)
            self._card_corners[world] = np.array(
                [(c.pos().x(), c.pos().y()) for c in ordered]
            ).reshape(-1, 2)
            self._capacity[world] = cards[0].capacity() if cards else 0
        bottom = MARGIN + rows_of_worlds * world_height + (rows_of_worlds - 1) * ROW_GAP
        # The fabric's storage box may reach past the last rack: the bounds hold it all.
        drawn = self.itemsBoundingRect().adjusted(0, 0, MARGIN, MARGIN)
        self._bounds = QRectF(0, 0, right + MARGIN, bottom + MARGIN).united(drawn)
        self.setSceneRect(self._bounds)
        self._rings.set_area(self._bounds)

    def _layout_at_scale(
        self,
        timeline: Timeline,
        grid: ScaleGrid,
        height: float,
        rows: int,
        note: bool,
    ) -> None:
        """The worlds one above the other, each rack a column of cells with its head above
        it (``scale_layout``): the header's text scaled up by the grid's ``text_scale`` so
        that it reads when the whole is fitted, the racks' heads painted at screen size."""
        spec = timeline.scenario.cluster
        racks = spec.racks
        # Each rack's hosts in order, from the cluster's own naming (as the graph has them).
        in_rack: dict[int, list[str]] = {}
        for index, name in enumerate(spec.host_names()):
            in_rack.setdefault(spec.rack_of(index), []).append(name)
        u = grid.text_scale
        world_width = racks * grid.rack_width + (racks - 1) * RACK_GAP
        self._header = grid.header_height
        self._state_lines = {}
        # The stopwatch and the result are fitted to the world's width in the text's own
        # (scaled) units.
        self._watch_width = world_width / u
        theme = self._theme
        for k, (world, wt) in enumerate(timeline.worlds.items()):
            x = MARGIN
            y = MARGIN + k * (grid.world_height + grid.world_gap)
            self._world_blocks[world] = QRectF(
                x - MARGIN / 2, y - MARGIN / 2, world_width + MARGIN, grid.world_height + MARGIN
            )
            title = self._text("", 17, bold=True)
            _fit_text(title, world.display_name, world_width / u, (17, 15, 13, 11))
            title.setData(1, f"world:{world.value}")
            title.setDefaultTextColor(theme.world(world.value))
            result = self._text("", RESULT_PX, bold=True)
            result.setCacheMode(result.CacheMode.NoCache)
            self._results[world] = result
            watch = self._text("", 12, bold=False, muted=True)
            watch.setCacheMode(watch.CacheMode.NoCache)
            self._stopwatches[world] = watch
            totals = self._text("", 12, bold=False)
            totals.setCacheMode(totals.CacheMode.NoCache)
            self._totals[world] = totals
            legend = self._text("", 11, bold=False, muted=True)
            legend.setHtml(self.legend_html(world, timeline))
            legend.setData(1, f"legend:{world.value}")
            legend.setTextWidth(world_width / u)
            for item, offset in (
                (title, TITLE_Y),
                (result, RESULT_Y),
                (watch, WATCH_Y),
                (totals, WATCH_Y + STATE_LINE),
                (legend, WATCH_Y + 2 * STATE_LINE),
            ):
                item.setScale(u)
                item.setPos(x, y + offset * u)
            top = y + grid.header_height
            names = wt.run.host_names
            where = {name: i for i, name in enumerate(names)}
            corners = np.zeros((len(names), 2))
            heads: list[QRectF] = []
            for rack in range(1, racks + 1):
                left = x + (rack - 1) * (grid.rack_width + RACK_GAP)
                panel = QGraphicsRectItem(
                    QRectF(left, top, grid.rack_width, grid.heads_height + grid.cards_height)
                )
                panel.setPen(QPen(theme.outline, 1))
                panel.setBrush(QBrush(QColor(theme.outline)))
                panel.setZValue(-1)
                panel.setCacheMode(panel.CacheMode.DeviceCoordinateCache)
                self.addItem(panel)
                self._static.append(panel)
                heads.append(QRectF(left, top, grid.rack_width, grid.heads_height))
                for slot, host in enumerate(in_rack.get(rack, [])):
                    column, row = slot % grid.across, slot // grid.across
                    corners[where[host]] = (
                        left + RACK_PAD + column * (CARD_WIDTH + CARD_GAP),
                        top + grid.heads_height + row * (height + CARD_GAP),
                    )
            # The hosts as cells in one item; their cards are made when a view comes close
            # enough to read them (``ensure_cards``): a thousand items are not built, indexed
            # and painted for what is a few pixels of colour each.
            # Each host's memory, for its cell's shade (a frame divides by it).
            self._host_memory_gb[world] = np.maximum(
                np.asarray(wt.run.host_memory_mb, dtype=np.float64) / 1024, 1e-9
            )
            cells = CellsItem(corners, (CARD_WIDTH, height), theme)
            cells.describe = functools.partial(self.describe_host, world)
            cells.setData(0, world.value)
            self.addItem(cells)
            self._cells[world] = cells
            self._card_specs[world] = (rows, note, height)
            head = RackHeadsItem(heads, theme)
            head.colour_of = self._role_colour
            head.on_click = functools.partial(self._zoom_to_rack, world)
            self.addItem(head)
            self._heads[world] = head
            self._cards[world] = [None] * len(names)
            self._card_corners[world] = corners
            self._capacity[world] = glyphs_per_row() * rows
            self._network_line(world, title, x + world_width, y)
        count = len(timeline.worlds)
        bottom = MARGIN + count * grid.world_height + (count - 1) * grid.world_gap
        self._bounds = QRectF(0, 0, 2 * MARGIN + world_width, bottom + MARGIN)
        self.setSceneRect(self._bounds)
        assert self._rings is not None
        self._rings.set_area(self._bounds)
        self._world_on_show = min(self._world_on_show, count - 1)
        self.fit_changed.emit()  # one world at a time, or all: the view's switch follows

    def _zoom_to_rack(self, world: World, rack: int) -> None:
        """Ask the view to show rack ``rack`` (0-based) of ``world`` whole."""
        rect = QRectF()
        for h in np.flatnonzero(self._rack_of_host() == rack).tolist():
            rect = rect.united(self.host_rect(world, h))
        head = self._heads.get(world)
        if head is not None:
            rect = rect.united(head.head_rect(rack))
        if rect.isEmpty():
            return
        rect.adjust(-RACK_PAD, -RACK_PAD, RACK_PAD, RACK_PAD)
        # A rack is a tall column: shown whole it may be as small as before.  Close enough
        # for its cards to read (the middle level at least), from its head down; the view
        # scrolls for the rest.
        width, height = self._viewport
        zoom = max(min(width / rect.width(), height / rect.height()), RACK_ZOOM)
        shown = QRectF(0, 0, width / zoom, height / zoom)
        shown.moveCenter(rect.center())
        shown.moveTop(rect.top())
        if head is not None:
            # Zoomed in, the head's band is taller than its lines, which sit at its foot:
            # the view starts at the lines, not at the empty band over them.
            lines = (HEAD_LINES * HEAD_LINE_PX + 2 * RACK_PAD) / zoom
            shown.moveTop(max(rect.top(), head.head_rect(rack).bottom() - lines))
        self.zoom_requested.emit(shown)

    def host_rect(self, world: World | str, h: int) -> QRectF:
        """Host ``h``'s card (or cell) in the scene."""
        world = World(world)
        x, y = self._card_corners[world][h]
        height = self._card_specs[world][2] if world in self._card_specs else 0.0
        card = self._cards[world][h]
        if card is not None:
            return card.sceneBoundingRect().adjusted(3, 3, -3, -3)
        return QRectF(float(x), float(y), CARD_WIDTH, height)

    def ensure_cards(self, rect: QRectF, zoom: float) -> int:
        """At scale, make the host cards within ``rect`` (scene units) if a view shows them
        at ``zoom``, where a card is more than a cell; returns how many were made.  Their
        state is handed at once."""
        if self._grid is None:
            return 0
        near = card_level(zoom) is Level.NEAR
        if near != self._near:
            self._near = near
            self._last = {}  # the rings come (or go) with the next frame
            if near:
                self.show_time(self._time)
        if card_level(zoom) is Level.FAR:
            return 0
        made = 0
        for world, corners in self._card_corners.items():
            height = self._card_specs[world][2]
            inside = np.flatnonzero(
                (corners[:, 0] + CARD_WIDTH >= rect.left())
                & (corners[:, 0] <= rect.right())
                & (corners[:, 1] + height >= rect.top())
                & (corners[:, 1] <= rect.bottom())
            )
            cards = self._cards[world]
            fresh = [h for h in inside.tolist() if cards[h] is None]
            for h in fresh:
                self._make_card(world, h)
            if fresh:
                made += len(fresh)
                self._last.pop(world, None)  # every card is handed its state again
        if made:
            self.show_time(self._time)
        return made

    def _make_card(self, world: World, h: int) -> HostCardItem:
        assert self._timeline is not None
        run = self._timeline.worlds[world].run
        rows, note, _ = self._card_specs[world]
        card = HostCardItem(
            run.host_names[h],
            run.host_cores[h],
            run.host_memory_mb[h] / 1024,
            world.platform is Platform.VM,
            self._theme,
            rows,
            note,
        )
        self.addItem(card)
        x, y = self._card_corners[world][h]
        card.setPos(float(x), float(y))
        card.setData(0, world.value)
        card.platform_name = OVERHEAD_NAME.get(world, card.platform_name)
        card.workload_note = functools.partial(self.workload_note, world)
        self._cards[world][h] = card
        made = self._made.setdefault(world, np.zeros(len(self._cards[world]), dtype=bool))
        made[h] = True
        return card

    def describe_host(self, world: World, h: int) -> str:
        """What a cell's tooltip says of host ``h`` at the scene's time."""
        assert self._timeline is not None
        wt = self._timeline.worlds[world]
        state = wt.state_at(self._time)
        status = HostStatus(int(state.host_status[h]))
        words = _STATUS[world.platform].get(status, status.label)
        phase = state.workload_phase
        here = phase[(state.workload_host == h) & (phase != NOT_CREATED) & (phase != Phase.STOPPED)]
        counts = np.bincount(here.astype(np.int64)) if len(here) else np.zeros(0, np.int64)
        listed = ", ".join(
            f"{int(counts[c])} {Phase(int(c)).label}" for c in np.flatnonzero(counts).tolist()
        )
        cores, memory = wt.run.host_cores[h], wt.run.host_memory_mb[h] / 1024
        return (
            f"<b>{wt.run.host_names[h]}</b>: {words}<br>"
            f"CPU {float(state.host_cpu[h]):g} of {cores:g} cores; memory "
            f"{float(state.host_memory_gb[h]):,.1f} of {memory:,.0f} GB<br>"
            f"{listed or 'no workloads'}<br><i>Zoom in for its card</i>"
        )

    def _rack_of_host(self) -> npt.NDArray[np.int64]:
        """Each host's rack, 0-based (racks may differ in size: an imported cluster's)."""
        if self._timeline is None:
            return np.zeros(0, dtype=np.int64)
        spec = self._timeline.scenario.cluster
        if self._rack_index is None or self._rack_index[0] is not spec:
            racks = np.fromiter(
                (spec.rack_of(i) - 1 for i in range(spec.host_count)), dtype=np.int64
            )
            self._rack_index = (spec, racks)
        return self._rack_index[1]

    def at_scale(self) -> bool:
        """Whether the cluster is laid out at scale (worlds one above the other, hosts
        drawn as cells when fitted), so that any zoom reads: the view may fit it whole."""
        return self._grid is not None

    def set_viewport(self, width: float, height: float, *, every_world: bool = False) -> None:
        """The size (pixels) the scene is shown in: a cluster at scale is laid out to fill
        it (the header's text readable when fitted).  A picture (``every_world``) has every
        world at once, a view on a short window one at a time.  Laid out again only if that
        changes the layout."""
        if (width, height) == self._viewport and every_world == self._every_world:
            return
        self._viewport = (float(width), float(height))
        self._every_world = every_world
        timeline = self._timeline
        if timeline is None or self._grid is None:
            return
        graph = timeline.scenario.cluster
        height_ = next(iter(self._card_specs.values()))[2] if self._card_specs else 100.0
        grid = scale_grid(
            graph.racks,
            graph.hosts_per_rack,
            len(timeline.worlds),
            (CARD_WIDTH, height_),
            _SPACING,
            self._viewport,
            self._every_world,
        )
        old = self._grid
        # A view resized a little keeps its layout (a window being dragged is not laid out
        # at every step); a picture is laid out for its own size exactly.
        similar = grid == old or (
            not self._every_world
            and grid.across == old.across
            and grid.worlds_at_once == old.worlds_at_once
            and abs(grid.heads_height * grid.zoom - old.heads_height * old.zoom) < 0.5
            # Its words as large as the new size needs (not under the floor), at most a
            # tenth larger.
            and 1.0 <= old.text_scale / grid.text_scale < 1.1
        )
        if not similar:
            self._layout(timeline)
            self._last = {}
            self.show_time(self._time)

    def worlds_at_once(self) -> int:
        """How many worlds a fitted view shows at once (at scale on a short view: one)."""
        if self._grid is None or self._timeline is None:
            return len(self._timeline.worlds) if self._timeline else 1
        return self._grid.worlds_at_once

    def fit_rect(self) -> QRectF:
        """What a fitted view shows: the whole, or at scale on a short view the world on
        show (:meth:`show_world`)."""
        if self._grid is None or self._grid.worlds_at_once > 1 or not self._world_blocks:
            return self.content_rect()
        blocks = list(self._world_blocks.values())
        return QRectF(blocks[min(self._world_on_show, len(blocks) - 1)])

    def show_world(self, index: int) -> None:
        """Show world ``index`` (in the timeline's order) where one is shown at a time."""
        count = max(1, len(self._world_blocks))
        index %= count
        if index != self._world_on_show:
            self._world_on_show = index
            self.fit_changed.emit()

    def world_on_show(self) -> int:
        return self._world_on_show

    def rack_heads(self, world: World | str) -> RackHeadsItem | None:
        return self._heads.get(World(world))

    def totals_text(self, world: World | str) -> str:
        item = self._totals.get(World(world))
        return item.toPlainText() if item is not None else ""

    def _fabric_row(self, timeline: Timeline, world: World) -> bool:
        """Whether ``world``'s fabric has a row under the core: a failover cluster's
        witness, or etcd members beyond the racks."""
        scenario = timeline.scenario
        if world.platform is Platform.VM:
            return witness_of(scenario).value != "none"
        return etcd_members_of(scenario, world) > scenario.cluster.racks

    def _network(
        self,
        graph: nx.Graph,
        world: World,
        left: float,
        rack_width: float,
        bottom: float,
        row: bool,
    ) -> None:
        """Under a world's racks, its fabric as the graph has it: each top-of-rack switch's
        uplink to the core, the clients and the shared storage (if any) the core serves, or,
        where the world keeps its data on local disks, that instead; and the platform's own
        parts on the network (the witness, etcd's members)."""
        feet = []
        for node in graph.neighbors(CORE_SWITCH):
            data = graph.nodes[node]
            if data.get("tier") == "tor":
                x = left + (data["rack"] - 1) * (rack_width + RACK_GAP) + rack_width / 2
                feet.append((data["rack"], QPointF(x, bottom + NETWORK_GAP)))
        storage = graph.nodes[SHARED_STORAGE]["protocol"] if SHARED_STORAGE in graph else None
        local = world.storage is Storage.LOCAL
        kind = "shared"
        if world.storage is Storage.DISK:
            kind = "disks"
        elif world is World.CONTAINER_SHARED_VOLUME:
            kind = "files"
        assert self._timeline is not None
        scenario = self._timeline.scenario
        spec = scenario.cluster
        etcd = [
            (etcd_member(i), etcd_switch(spec, i))
            for i in range(1, etcd_members_of(scenario, world) + 1)
        ]
        witness = ""
        if world.platform is Platform.VM:
            witness = witness_of(scenario).value
            host = str(getattr(spec, "witness_host", "") or "")
            witness = "" if witness == "none" else witness + (f":{host}" if host else "")
        item = NetworkItem(
            [foot for _, foot in sorted(feet)],
            storage,
            self._theme,
            local=local,
            kind=kind,
            etcd=etcd,
            witness=witness,
            row=row,
            left=left,
        )
        self.addItem(item)
        self._static.append(item)
        self._fabrics[world] = item

    def _text(self, text: str, size: int, *, bold: bool, muted: bool = False) -> QGraphicsTextItem:
        item = QGraphicsTextItem(text)
        item.setFont(ui_font(size, bold=bold))
        item.setDefaultTextColor(self._theme.muted if muted else self._theme.text)
        item.setData(1, "muted" if muted else "text")
        item.document().setDocumentMargin(0)
        item.setCacheMode(item.CacheMode.DeviceCoordinateCache)
        self.addItem(item)
        self._static.append(item)
        return item

    def legend_html(self, world: World, timeline: Timeline | None = None) -> str:
        """What the glyph colours mean (a VM's glyph carries a darker band: its guest OS),
        and what the lesson adds: the memory bar's two parts, the instances an exploit
        reached, a hot host."""
        timeline = timeline or self._timeline
        theme = self._theme
        if self._grid is not None:
            return self._cells_legend(world)
        # Pods never migrate; a pod deleted on a dead node stays Terminating; a StatefulSet
        # pod with its own disk waits for it to be attached.
        shown = [Phase.PENDING, Phase.PULLING]
        if world.storage is Storage.DISK:
            shown.append(Phase.ATTACHING)
        if world is World.HYPERV_CONTAINER:
            shown.append(Phase.BOOTING)
        shown += [Phase.STARTING, Phase.READY, Phase.FAILED, Phase.TERMINATING]
        if world.platform is Platform.VM:
            shown = [
                Phase.PENDING,
                Phase.PROVISIONING,
                Phase.BOOTING,
                Phase.STARTING,
                Phase.UPDATING,
                Phase.READY,
                Phase.MIGRATING,
                Phase.FAILED,
            ]
        cut = timeline is not None and timeline.scenario.cuts_network
        if cut and world.platform is Platform.VM:
            # A VM whose host lost the storage: Paused-Critical (network scenarios only).
            shown.insert(shown.index(Phase.FAILED), Phase.PAUSED)
        spans = [
            # A swatch never wraps away from its name.
            f'<span style="color:{theme.phase(int(p)).name()}">&#9632;</span>&nbsp;{p.label}'
            for p in shown
        ]
        events = timeline.scenario.events if timeline is not None else ()
        if any(e.kind is EventKind.EXPLOIT for e in events):
            # The glyph's own look: red, crossed out.
            danger = theme.compromised
            spans.append(
                f'<span style="background-color:{danger.name()};'
                f'color:{theme.text_on(danger).name()}">&nbsp;&#215;&nbsp;</span>'
                "&nbsp;<b>reached by the exploit</b>"
            )
        noun = "a VM (dark band: its guest OS)" if world.platform is Platform.VM else "a pod"
        platform = OVERHEAD_NAME.get(world, "platform")
        memory = (
            # "MEM bar:" never wraps away from its first swatch.
            f'MEM&nbsp;bar:&nbsp;<span style="color:{theme.bar_app.name()}">&#9632;</span>'
            "&nbsp;app "
            f'<span style="color:{theme.bar_overhead.name()}">&#9632;</span>'
            f"&nbsp;{platform.replace(' ', '&nbsp;')}"
        )
        hot = ""
        # The hot style belongs to the lessons that move instances on purpose; elsewhere a
        # hot card explains itself in its tooltip.
        if timeline is not None and world in timeline.worlds and self.shows_state(timeline):
            wt = timeline.worlds[world]
            rules = HotHosts(world, timeline.scenario, wt.run.host_cores, wt.run.host_memory_mb)
            if rules.ever:
                hot = (
                    f' &nbsp; <span style="color:{theme.hot.name()}">&#9633;</span>'
                    "&nbsp;hot:&nbsp;CPU over the&nbsp;limit"
                )
        partition = self._partition_legend() if cut else ""
        return (
            f"Each square is {noun}: "
            + " &nbsp; ".join(spans)
            + " &nbsp; "
            + memory
            + hot
            + partition
        )

    def _cells_legend(self, world: World) -> str:
        """At scale, what a cell's colour says: the host states its platform has."""
        if world.platform is Platform.VM:
            states = [CellState.UP, CellState.FAILED, CellState.DRAINING, CellState.QUARANTINED]
        else:
            states = [
                CellState.UP,
                CellState.FAILED,
                CellState.TAINTED,
                CellState.DRAINING,
                CellState.OUT_OF_SERVICE,
            ]
        timeline = self._timeline
        if timeline is not None and timeline.scenario.cuts_network:
            states.insert(2, CellState.CUT_OFF)
        return cells_legend(self._theme, states) + " &nbsp; <i>click a rack's head to zoom in</i>"

    def _partition_legend(self) -> str:
        """The marks a partition adds: the tint of a host cut off (it runs), a workload
        running twice, and a copy its platform left behind on a host it no longer hears."""
        theme = self._theme
        cut, danger = theme.cut, theme.compromised
        return (
            f' &nbsp; <span style="background-color:{theme.card_cut.name()};'
            f'color:{cut.name()}"><b>&nbsp;cut&nbsp;off&nbsp;·&nbsp;running&nbsp;</b></span>'
            "&nbsp;the&nbsp;clients&nbsp;cannot&nbsp;reach&nbsp;it"
            f' &nbsp; <span style="background-color:{danger.name()};'
            f'color:{theme.text_on(danger).name()}"><b>&nbsp;&#215;2&nbsp;</b></span>'
            "&nbsp;runs&nbsp;twice"
            f' &nbsp; <span style="color:{theme.muted.name()}">&#9633;</span>'
            "&nbsp;faded:&nbsp;a&nbsp;copy&nbsp;left&nbsp;behind"
        )

    # --- time ----------------------------------------------------------------------------

    def time(self) -> float:
        return self._time

    def show_time(self, t: float) -> None:
        """Draw every world as it stands at ``t``."""
        self._time = t
        timeline = self._timeline
        if timeline is None:
            return
        self._show_network(t)
        shown = [self._show_world(world, wt, t) for world, wt in timeline.worlds.items()]
        if self._travel is not None and self._rings is not None:
            self._travel.set_flights(Flights.join([flights for flights, _, _ in shown]))
            self._rings.set_rings(
                np.concatenate([corners for _, corners, _ in shown]),
                np.concatenate([turns for _, _, turns in shown]),
            )

    def _show_world(
        self, world: World, wt: WorldTimeline, t: float
    ) -> tuple[Flights, npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Hand the cards of one world whose hosts changed their state at ``t``; returns
        its VMs in flight, and its progress rings (corners and turns)."""
        state = wt.state_at(t)
        start, end = wt.phase_window(t)
        with np.errstate(invalid="ignore", divide="ignore"):
            progress = (t - start) / (end - start)
        phase = state.workload_phase
        alive, hosts, bounds = self._grouped(world, state)
        words = _STATUS[world.platform]
        moving, holding = self._live_migrations(world, state, t)
        flights, landing = self._flights(wt, world, state, alive, bounds, start, end, t)
        # What the lessons ask: the instances an exploit reached (none until it lands), the
        # memory the platform takes, and the hosts the balancer would call hot.
        reached = self._exposures[world]
        exposed = reached.mask_at(t) if len(reached) else None
        split = self._splits[world]
        reserved = split.reserved_at(t) if split.reserves else None
        heat = self._heat[world]
        rule = heat.rule_at(t)
        hot = heat.at(state) if rule is not None else None
        # Only the cards whose host changed since the last frame are handed their state:
        # a frame of a large cluster touches a few cards, not all of them.
        special = {int(state.workload_host[w]) for w in moving} | set(holding) | set(landing)
        partitions = self._partitions
        assert partitions is not None
        before = partitions.last(world)
        marks = partitions.frame(world, state, t)
        if before is None:
            special |= set(range(len(self._cards[world])))
        elif marks is not before:
            # The cut moved, or what runs twice: those hosts' cards say something else now.
            special |= marks.changed_hosts(before, state)
        # (A change in the memory split comes with a change of phase, host or memory.)
        extra = [hot.hot.astype(np.float64)] if hot is not None else []
        # At scale, a world whose cards no view has come close to has none to hand state to
        # (its cells are drawn from the state below).
        no_cards = self._grid is not None and world not in self._made
        dirty = (
            []
            if no_cards
            else self._dirty_hosts(world, state, alive, phase, special, exposed, extra)
        )
        for h in dirty:
            card = self._cards[world][h]
            if card is None:
                continue  # at scale, a host no view has come close to yet: its cell says it
            on_host = alive[bounds[h] : bounds[h + 1]]
            status = int(state.host_status[h])
            leaving: frozenset[int] = frozenset()
            if moving:
                leaving = frozenset(i for i, w in enumerate(on_host.tolist()) if w in moving)
            marked: frozenset[int] = frozenset()
            if exposed is not None:
                marked = frozenset(np.flatnonzero(exposed[on_host]).tolist())
            # What the instances here spend on their platform (each holding memory, and each
            # arriving by live migration, spends the same).
            count = int(np.count_nonzero(holds_memory(phase[on_host])))
            count += int(reserved[h]) if reserved is not None else 0
            platform = float(split.platform_gb(count, state.host_memory_gb[h]))
            share: float | None = None
            note = ""
            if hot is not None and rule is not None and hot.hot[h]:
                share = float(hot.share[h])
                percent = f"{share:.0%}".replace("%", " %")
                note = (
                    f"CPU {percent} of its {wt.run.host_cores[h]:g} cores. "
                    f"{rule.describe(Resource.CPU)}."
                )
            card.show_host(
                status,
                words.get(HostStatus(status), HostStatus(status).label),
                float(state.host_cpu[h]),
                float(state.host_memory_gb[h]),
                on_host,
                wt.run.workload_names,
                phase[on_host],
                landing.get(h, frozenset()),
                leaving,
                holding.get(h, 0),
                exposed=marked,
                platform_memory=platform,
                hot=share,
                hot_note=note,
                marks=partitions.card(world, marks, h, on_host, status),
            )
        self._show_zones(world, wt, t)
        self._show_state(world, t)
        if self._grid is not None:
            self._show_counts(world, wt, state)
            cells = self._cells.get(world)
            # A frame between events hands the same state and marks: the cells stand.
            last = self._celled.get(world)
            fresh = last is None or last[0] is not state.host_status or last[1] is not marks
            if cells is not None and fresh:
                # Kept, not their ids: compared by identity, never mistaken for another.
                self._celled[world] = (state.host_status, marks)
                index = STATE_OF_STATUS[state.host_status.astype(np.int64)]
                index[[h for h in marks.cut if h not in marks.off]] = CUT_OFF_INDEX
                cells.set_cells(index, state.host_memory_gb / self._host_memory_gb[world])
        services = _SEPARATOR.join(
            f"{name} {int(state.service_ready[s])}/{int(state.service_desired[s])} ready"
            for s, name in enumerate(state.service_names)
        )
        self._show_result(world, t)
        line = self.stopwatch_line(world, t)
        watch = self._stopwatches[world]
        if watch.toPlainText() != line:
            # One line: what runs now and for how long; the tooltip has every phase.
            metrics = QFontMetricsF(watch.font())
            watch.setPlainText(
                metrics.elidedText(line, Qt.TextElideMode.ElideRight, self._watch_width)
            )
            every = _SEPARATOR.join(
                [services, self.stopwatch_text(world, t)]
                if services
                else [self.stopwatch_text(world, t)]
            )
            watch.setToolTip(every.replace(_SEPARATOR, "\n"))
        # A VM still flying to its slot has no ring yet: the slot is an empty outline.
        flying = np.zeros(len(alive), dtype=bool)
        for h, slots in landing.items():
            flying[[bounds[h] + i for i in slots]] = True
        corners, turns = self._rings_of(
            world, alive, hosts, bounds, phase, progress, moving, flying
        )
        return flights, corners, turns

    def _grouped(
        self, world: World, state: WorldState
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """The live workloads grouped by host: (workloads sorted by host, their hosts, each
        host's bounds in them).  Worked out again only when the state's arrays are new (the
        timeline hands the same ones while no event lies between two frames)."""
        last = self._groups.get(world)
        phase, host = state.workload_phase, state.workload_host
        if last is not None and last[0] is phase and last[1] is host:
            return last[2]
        alive = np.flatnonzero((phase != NOT_CREATED) & (phase != Phase.STOPPED) & (host >= 0))
        # Group the live workloads by host once, rather than scanning them per card.
        hosts = host[alive]
        order = np.argsort(hosts, kind="stable")
        alive, hosts = alive[order], hosts[order]
        bounds = np.searchsorted(hosts, np.arange(len(self._cards[world]) + 1))
        # The arrays are kept with the answer: compared by identity, never reused by another.
        self._groups[world] = (phase, host, (alive, hosts, bounds))
        return alive, hosts, bounds

    def _show_counts(self, world: World, wt: WorldTimeline, state: WorldState) -> None:
        """At scale: each rack's head and the world's totals, counted at ``t``."""
        assert self._timeline is not None
        net = self._net_shown or INTACT  # as ``_show_network`` drew it this frame
        last = self._counted_state.get(world)
        if last is not None and last[0] is state.workload_phase and last[1] == net:
            return  # the same state and network as the last frame's: every count stands
        self._counted_state[world] = (state.workload_phase, net)
        cluster = self._timeline.scenario.cluster
        words = _STATUS[world.platform]
        head = self._heads.get(world)
        if head is not None:
            zones = wt.zones_at(state.time_s) if wt.run.zone_names else []
            rack_of_host = self._rack_of_host()
            hosts = host_counts(state, rack_of_host, cluster.racks)
            work = workload_counts(state, rack_of_host, cluster.racks)
            # Only the racks whose counts changed are written again.
            lines = self._rack_lines.get(world)
            if lines is None:
                lines = self._rack_lines[world] = RackLines(
                    words, cluster.zone_of_rack, cluster.rack_titles()
                )
            head.set_lines(lines.update(hosts, work, zones, rack_network(net, cluster.racks)))
        totals = self._totals.get(world)
        if totals is not None:
            noun = "VMs" if world.platform is Platform.VM else "pods"
            line = totals_line(state, noun, words)
            if totals.toolTip() != line:
                totals.setToolTip(line)
                metrics = QFontMetricsF(totals.font())
                totals.setPlainText(
                    metrics.elidedText(line, Qt.TextElideMode.ElideRight, self._watch_width)
                )

    def state_counts(self, world: World, t: float) -> tuple[int, int, int, int]:
        """At ``t``: the sessions (an illustration: ``ILLUSTRATIVE_SESSIONS_PER_MINUTE``)
        held in memory by ``world``'s running instances; those lost with the processes that
        ended; how many ended; and how many live migrations kept theirs."""
        found = self.incarnations(world)
        if found is None:
            return 0, 0, 0, 0
        held, lost, ended = found.seconds_at(t)
        rate = ILLUSTRATIVE_SESSIONS_PER_MINUTE / 60.0
        return int(held * rate), int(lost * rate), ended, found.moved_by(t)

    def state_line(self, world: World, t: float) -> list[tuple[str, str]]:
        """The state line at ``t``, as (plain text, HTML) with what was lost in the alarm
        colour: "Sessions in memory: 7,440 · none lost: 4 moved live, state kept"; then
        shorter, for a narrow header."""
        held, lost, ended, moved = self.state_counts(world, t)
        vm = world.platform is Platform.VM
        head = f"Sessions in memory: {held:,}"
        if lost:
            noun = ("VM" if vm else "pod") + ("s" * (ended > 1))
            lines = [f"{lost:,} lost: {ended} {noun} {'restarted' if vm else 'replaced'}"]
            lines.append(f"{lost:,} lost")
            colour = self._role_colour("alarm").name()
            return [
                (f"{head} · {tail}", f'{head} · <span style="color:{colour}">{tail}</span>')
                for tail in lines
            ]
        tails = [f"none lost: {moved} moved live, state kept"] if moved else []
        return [(f"{head} · {tail}", f"{head} · {tail}") for tail in [*tails, "none lost"]]

    def _show_state(self, world: World, t: float) -> None:
        """The world's state line (where the lesson moves instances), as it stands at ``t``."""
        item = self._state_lines.get(world)
        if item is None:
            return
        lines = self.state_line(world, t)
        metrics = QFontMetricsF(item.font())
        html = next(
            (h for text, h in lines if metrics.horizontalAdvance(text) <= self._watch_width),
            lines[-1][1],
        )
        if item.data(2) != html:
            item.setHtml(html)
            item.setData(2, html)

    def workload_note(self, world: World, w: int) -> str:
        """More about workload ``w`` at the scene's time, for its tooltip: what a partition
        does to it (running twice, Unmonitored, waiting on its identity); how long its process
        has held its state in memory, and the live migrations it kept it through."""
        partition = self._partitions.workload_note(world, w) if self._partitions else ""
        memory = self._memory_note(world, w)
        return "<br>".join(note for note in (partition, memory) if note)

    def _memory_note(self, world: World, w: int) -> str:
        found = self.incarnations(world)
        t = self._time
        start = found.started(w, t) if found is not None else None
        if found is None or start is None:
            return ""
        moves = found.moves_by(w, t)
        kept = ""
        if moves:
            times = "once" if moves == 1 else f"{moves} times"
            kept = f"; moved live {times}, its memory and process kept"
        restarted = " (a new process)" if start > 0 else ""
        return f"in memory for {duration(t - start)}{restarted}{kept}"

    def _show_network(self, t: float) -> None:
        """The fabric under every world as the network stands at ``t``."""
        state = self.net_state(t)
        if state == self._net_shown:
            return
        self._net_shown = state
        for fabric in self._fabrics.values():
            fabric.show_state(state.failed_switches, state.failed_links)
        for world in self._net_lines:
            self._show_network_line(world, state)

    def _network_line(self, world: World, title: QGraphicsTextItem, right: float, y: float) -> None:
        """At scale, where no fabric is drawn: ``world``'s network in a line at the right of
        its title (``right``: the world's right edge; ``y``: its header's top), scaled as the
        header is; a right-click on the header fails or restores the core switch, one on a
        rack's head its switch (the view's menus)."""
        assert self._grid is not None
        u = self._grid.text_scale
        line = self._text("", 12, bold=False, muted=True)
        line.setData(1, f"network:{world.value}")  # its colours follow the theme
        line.setScale(u)
        # On the title's baseline.
        rise = QFontMetricsF(title.font()).ascent() - QFontMetricsF(line.font()).ascent()
        line.setPos(right, y + (TITLE_Y + rise) * u)
        room = (right - title.pos().x()) / u - title.boundingRect().width() - 24.0
        self._net_lines[world] = (line, right, max(0.0, room))
        head = self._heads.get(world)
        if head is not None:
            head.hint = "Click to zoom in; right-click to fail or restore its switch"

    def _show_network_line(self, world: World, state: NetState) -> None:
        """``world``'s network line as the network stands (what is down in the alarm
        colour), right-aligned; with every switch and link in its tooltip."""
        line, right, room = self._net_lines[world]
        parts = network_parts(state)
        text = "".join(part for part, _ in parts)
        metrics = QFontMetricsF(line.font())
        alarm = self._role_colour("alarm")
        if metrics.horizontalAdvance(text) <= room:
            line.setHtml(
                "".join(
                    f'<span style="color:{alarm.name()}">{html.escape(part)}</span>'
                    if down
                    else html.escape(part)
                    for part, down in parts
                )
            )
            line.setDefaultTextColor(self._theme.muted)
        else:  # a narrow world: as much as fits, in one colour
            line.setPlainText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, room))
            line.setDefaultTextColor(self._role_colour("muted" if state.intact else "alarm"))
        line.setPos(right - line.boundingRect().width() * line.scale(), line.pos().y())
        down = sorted(state.failed_switches, key=lambda s: (len(s), s))
        cut = sorted(
            # The core's end last, as the fabric names an uplink: tor-r3, then core.
            " \N{EN DASH} ".join(sorted(link, key=lambda end: (end == CORE_SWITCH, end)))
            for link in state.failed_links
        )
        lines = [
            "<b>The network</b>, the same in every world: the core switch joins each rack's "
            "switch (tor-r1, tor-r2, …) to the others, the clients and the storage.",
            f"Switches down: {', '.join(down)}." if down else "Every switch works.",
        ]
        if cut:
            lines.append(f"Links cut: {', '.join(cut)}.")
        lines.append(
            "<i>Right-click the world's header to fail or restore the core switch now; "
            "right-click a rack's head for its switch.</i>"
        )
        line.setToolTip("<br>".join(lines))

    def network_text(self, world: World | str) -> str:
        """At scale: what ``world``'s network line says ("" elsewhere)."""
        found = self._net_lines.get(World(world))
        return found[0].toPlainText() if found is not None else ""

    def network_tip(self, world: World | str) -> str:
        """At scale: the network line's tooltip, every switch and link down in full."""
        found = self._net_lines.get(World(world))
        return found[0].toolTip() if found is not None else ""

    def header_at(self, point: QPointF) -> World | None:
        """At scale, the world whose header (its title, result, stopwatch, totals and
        legend) is at ``point`` (scene units), or None."""
        if self._grid is None:
            return None
        for world, block in self._world_blocks.items():
            header = QRectF(block.left(), block.top(), block.width(), MARGIN / 2 + self._header)
            if header.contains(point):
                return world
        return None

    def net_state(self, t: float | None = None) -> NetState:
        """The switches down and the links cut at ``t`` (the scene's time by default)."""
        if self._partitions is None:
            return INTACT
        return self._partitions.story.state_at(self._time if t is None else t)

    def fabric(self, world: World | str) -> NetworkItem:
        """The fabric drawn under ``world``'s racks."""
        return self._fabrics[World(world)]

    def _show_zones(self, world: World, wt: WorldTimeline, t: float) -> None:
        """Each rack's zone line: the zone's state and its eviction rate, in words."""
        lines = self._zone_lines.get(world)
        if not lines:
            return
        zones = wt.zones_at(t)
        if self._zone_shown.get(world) == zones:
            return
        self._zone_shown[world] = zones
        single = len(zones) == 1
        all_down = all(state == ZoneState.FULL for state, _ in zones)
        assert self._timeline is not None
        p = self._timeline.scenario.parameters
        cluster = self._timeline.scenario.cluster
        tip = _ZONE_TIP.format(
            where="the whole cluster is one zone" if single else "one rack here",
            rate=p["kubernetes.node_eviction_rate"],
            threshold=p["kubernetes.unhealthy_zone_threshold"],
            large=p["kubernetes.large_cluster_size_threshold"],
            secondary=p["kubernetes.secondary_node_eviction_rate"],
        )
        metrics = QFontMetricsF(lines[0].font())
        for rack, line in enumerate(lines):
            state, rate = zones[cluster.zone_of_rack(rack + 1)]
            text, role = _ZONE_WORDS[state]
            if all_down:
                text, role = "all zones down", "alarm"
            if single and state == ZoneState.NORMAL:
                text = "one zone"
            # Short: a rack panel is a card wide; the tooltip says it all.
            rule = "no evictions" if rate <= 0 else f"evicts {rate:g}/s"
            if state == ZoneState.FULL and rate > 0:
                rule = f"{rate:g}/s"  # "full disruption" is long already
            # Within its rack panel, whatever the font: a line longer than that is elided.
            words = metrics.elidedText(f"{text} · {rule}", Qt.TextElideMode.ElideRight, CARD_WIDTH)
            line.setPlainText(words)
            line.setData(1, role)
            line.setDefaultTextColor(self._role_colour(role))
            line.setToolTip(tip)

    # --- before and after ----------------------------------------------------------------

    def set_ghost(self, ghost: Timeline | None) -> None:
        """Quote the run ``ghost`` (the run before the last change, a finished run: its
        result is shown whole) beside each world's result now, or stop (None)."""
        if ghost is self._ghost:
            return
        self._ghost = ghost
        self._ghost_finals = finals(ghost) if ghost is not None else {}
        self._compare()
        for world in self._results:
            self._show_result(world, self._time)

    def ghost(self) -> Timeline | None:
        return self._ghost

    def comparison(self, world: World | str) -> Comparison | None:
        """``world``'s result before the last change and now, while a ghost is shown."""
        return self._comparisons.get(World(world).value)

    def _compare(self) -> None:
        timeline = self._timeline
        if self._ghost is None or timeline is None:
            self._comparisons = {}
            return
        now = {w: final_words(h, timeline.duration_s) for w, h in self._headlines.items()}
        self._comparisons = compare_finals(self._ghost_finals, now)

    def _show_result(self, world: World, t: float) -> None:
        """The world's result in large type: counting while the run goes, frozen once the
        lesson's figure is reached; until then, the answer is not shown.  With a ghost, the
        result before the last change comes first, quieter: 'before 5 min 49 s → now …'."""
        item = self._results.get(world)
        headline = self._headlines.get(world.value)
        if item is None:
            return
        text, tone, final = headline.at(t) if headline is not None else ("", Tone.NEUTRAL, False)
        role = {Tone.GOOD: "good", Tone.ALARM: "alarm"}.get(tone, "text")
        comparison = self._comparisons.get(world.value)
        segments = comparison.segments(text, final) if comparison is not None else ()
        if segments:
            text = "".join(part for part, _ in segments)
        if item.toolTip() != text or item.data(1) != role:
            item.setData(1, role)
            item.setDefaultTextColor(self._role_colour(role))
            if segments:
                _fit_segments(item, segments, self._watch_width, self._theme.muted)
            else:
                _fit_text(item, text, self._watch_width, _RESULT_SIZES)

    def result_text(self, world: World | str) -> str:
        """What the world's large result says now (in full: the tooltip keeps it)."""
        item = self._results.get(World(world))
        return item.toolTip() if item is not None else ""

    def _role_colour(self, role: str) -> QColor:
        theme = self._theme
        good = theme.phase(int(Phase.READY))
        return {
            "alarm": theme.compromised,
            "warning": theme.bar_overhead,
            "muted": theme.muted,
            # Green text on white needs to be darker than a green swatch.
            "good": good.darker(125) if theme.name == "light" else good,
        }.get(role, theme.text)

    def _rings_of(
        self,
        world: World,
        alive: npt.NDArray[np.int64],
        hosts: npt.NDArray[np.int64],
        bounds: npt.NDArray[np.int64],
        phase: npt.NDArray[np.int32],
        progress: npt.NDArray[np.float64],
        moving: dict[int, float],
        flying: npt.NDArray[np.bool_],
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """A ring round each live workload whose phase is under way (how far through it is)
        and round each VM live-migrating away (how far its pre-copy is), on cards that show
        glyphs.  ``alive`` is sorted by host (``hosts``); ``bounds`` splits it per host."""
        if self._grid is not None and not (self._near and world in self._made):
            # At scale a ring is drawn only on a card close up (the near level), and cards
            # exist only where a view has come close: none at all when fitted.
            return np.zeros((0, 2)), np.zeros(0)
        slot = np.arange(len(alive)) - bounds[hosts]
        fits = bounds[hosts + 1] - bounds[hosts] <= self._capacity[world]
        turns = progress[alive]
        with np.errstate(invalid="ignore"):
            timed = TIMED[phase[alive]] & (turns >= 0)
        if moving:
            turns = turns.copy()
            place = np.full(len(phase), -1, dtype=np.int64)
            place[alive] = np.arange(len(alive))
            at = place[list(moving)]  # a migrating VM is live, on its source
            timed[at] = True
            turns[at] = list(moving.values())
        keep = timed & fits & ~flying
        if self._grid is not None:
            keep &= self._made[world][hosts]  # close up: on the cards made
        corners = self._card_corners[world][hosts[keep]] + RING_CORNERS[slot[keep]]
        return corners.reshape(-1, 2), np.clip(turns[keep], 0.0, 1.0)

    def _live_migrations(
        self, world: World, state: WorldState, t: float
    ) -> tuple[dict[int, float], dict[int, int]]:
        """Live migrations under way at ``t``: each moving VM's pre-copy progress (shown on
        its source), and how many migrations hold room on each target."""
        moving: dict[int, float] = {}
        holding: dict[int, int] = {}
        serving = (int(Phase.READY), int(Phase.MIGRATING))
        for w, source, target, begun, ended in self._migrations.get(world, []):
            # Only while the VM is still where it left from, and the target still up.
            if (
                begun <= t < ended
                and state.workload_host[w] == source
                and int(state.workload_phase[w]) in serving
                and state.host_status[target] in (HostStatus.UP, HostStatus.DRAINING)
            ):
                moving[w] = (t - begun) / (ended - begun)
                holding[target] = holding.get(target, 0) + 1
        return moving, holding

    def _dirty_hosts(
        self,
        world: World,
        state: WorldState,
        alive: npt.NDArray[np.int64],
        phase: npt.NDArray[np.int32],
        special: set[int],
        exposed: npt.NDArray[np.bool_] | None = None,
        extra: list[npt.NDArray[np.float64]] | None = None,
    ) -> list[int]:
        """The hosts whose card may look different from the last frame: a workload came,
        went, changed phase or was reached by an exploit; the host's status, fill, memory
        split or heat changed (``extra``: more per-host rows); or something travels,
        migrates or holds room there (now or a frame ago)."""
        host = np.full(len(phase), -1, dtype=np.int64)
        host[alive] = state.workload_host[alive]
        fill = np.stack(
            [state.host_status.astype(np.float64), state.host_cpu, state.host_memory_gb]
            + (extra or [])
        )
        last = self._last.get(world)
        self._last[world] = _Frame(
            host, phase.copy(), fill, frozenset(special), None if exposed is None else exposed
        )
        if last is None or last.host.shape != host.shape or last.fill.shape != fill.shape:
            return list(range(len(self._cards[world])))
        changed = (host != last.host) | (phase != last.phase)
        if exposed is not None and last.exposed is not None:
            changed |= exposed != last.exposed
        elif exposed is not None or last.exposed is not None:
            return list(range(len(self._cards[world])))
        touched = np.concatenate([host[changed], last.host[changed]])
        dirty = set(touched[touched >= 0].tolist())
        dirty.update(np.flatnonzero(np.any(fill != last.fill, axis=0)).tolist())
        return sorted(dirty | special | last.special)

    def _flights(
        self,
        wt: WorldTimeline,
        world: World,
        state: WorldState,
        alive: npt.NDArray[np.int64],
        bounds: npt.NDArray[np.int64],
        start: npt.NDArray[np.float64],
        end: npt.NDArray[np.float64],
        t: float,
    ) -> tuple[Flights, dict[int, frozenset[int]]]:
        """A VM restarted on a new host travels there from its old one during the first
        part of its first phase there (a pod is recreated where it lands: it does not
        travel).  Returns the flights, and per host the slots they land in (left empty
        until they arrive).  ``alive`` is sorted by host; ``bounds`` splits it per host."""
        if world.platform is not Platform.VM:
            return Flights.none(), {}
        phase = state.workload_phase
        with np.errstate(invalid="ignore"):
            span = np.where(np.isfinite(end), end - start, TRAVEL_S)
            since = t - start
            window = np.minimum(TRAVEL_S, 0.25 * span)
            candidates = np.flatnonzero(
                ((phase == Phase.BOOTING) | (phase == Phase.PROVISIONING))
                & (since >= 0)
                & (since < window)
            )
        if not len(candidates):
            return Flights.none(), {}
        # A workload's slot is its place among its host's live workloads.
        place = np.full(len(phase), -1, dtype=np.int64)
        place[alive] = np.arange(len(alive))
        host = state.workload_host[candidates].astype(np.int64)
        slot = place[candidates] - bounds[host]
        shown = bounds[host + 1] - bounds[host] <= self._capacity[world]  # else counts
        if self._grid is not None:
            # At scale a flight is drawn per pair of racks from afar, whatever the card
            # shows close up; its landing slot is clamped to the card's last.
            shown = np.ones(len(host), dtype=bool)
        origin = np.array(
            [
                self._came_from_host(wt, world, w, float(start[w]), h)
                for w, h in zip(candidates.tolist(), host.tolist(), strict=True)
            ],
            dtype=np.int64,
        )
        keep = (place[candidates] >= 0) & shown & (origin >= 0)
        w, host, slot, origin = candidates[keep], host[keep], slot[keep], origin[keep]
        corners = self._card_corners[world]
        # From afar the flights are drawn per pair of racks (and world): the route's key.
        rack_of_host = self._rack_of_host()
        index = list(self._cards).index(world)
        racks = max(1, int(rack_of_host.max()) + 1 if len(rack_of_host) else 1)
        route = (index * racks + rack_of_host[origin]) * racks + rack_of_host[host]
        flights = Flights(
            corners[origin] + SLOT_CENTRES[0],
            corners[host] + SLOT_CENTRES[np.minimum(slot, len(SLOT_CENTRES) - 1)],
            since[w] / window[w],
            phase[w].astype(np.int32),
            np.ones(len(w), dtype=bool),
            route.astype(np.int64),
        )
        landing: dict[int, set[int]] = {}
        for h, i in zip(host.tolist(), slot.tolist(), strict=True):
            landing.setdefault(h, set()).add(i)
        return flights, {h: frozenset(slots) for h, slots in landing.items()}

    def _came_from_host(self, wt: WorldTimeline, world: World, w: int, since: float, h: int) -> int:
        """Where a VM restarted on host ``h`` at ``since`` came from (-1 if nowhere): asked
        every frame of its flight, the answer never changes."""
        key = (world, w, since)
        origin = self._came_from.get(key)
        if origin is None:
            origin = self._came_from[key] = wt.host_before(w, since, h)
        return origin

    def _not_started(self, world: World, t: float) -> str:
        """What the stopwatch says before it starts ("" once it runs)."""
        origin = self._origin.get(world)
        if origin is None:
            return "nothing happens in this run"
        begins, what = origin
        return f"{what} comes at {duration(begins)}" if t < begins else ""

    def stopwatch_line(self, world: World, t: float) -> str:
        """The stopwatch in one line: since what, and the phase under way ('since the
        failure 2 min 20 s · now: isolated: VMs unmonitored 1 min 10 s'); once every phase is
        over, how many there were and the longest.  ``stopwatch_text`` has them all."""
        waiting = self._not_started(world, t)
        if waiting:
            return waiting
        begins, what = self._origin[world]  # type: ignore[misc]
        begun = [p for p in self._phases.get(world, []) if p[1] <= t]
        under_way = [p for p in begun if t < p[2]]
        parts = [f"since {what} {duration(t - begins)}"]
        if under_way:
            name, start, _ = max(under_way, key=lambda p: p[1])
            parts.append(f"now: {name} {duration(t - start)}")
        elif begun:
            name, start, end = max(begun, key=lambda p: p[2] - p[1])
            count = f"{len(begun)} phase{'s' * (len(begun) > 1)} ✓"
            parts = [count, f"longest: {name} {duration(end - start)}"]
        why = self._why.get(world)
        if why is not None and t >= why[0]:
            parts = [why[1]]
        return _SEPARATOR.join(parts)

    def stopwatch_text(self, world: World, t: float) -> str:
        """'since the failure 48.2 s · heartbeat detection 9.6 s ✓ · guest boot 38.6 s so far', and
        once every service is ready again 'recovered in 59.6 s · …' with every phase ticked."""
        waiting = self._not_started(world, t)
        if waiting:
            return waiting
        begins, what = self._origin[world]  # type: ignore[misc]
        recovery = self._recovered.get(world)
        if recovery == 0.0:
            parts = [f"{what} hit no service"]
        elif recovery is not None and t >= begins + recovery:
            parts = [f"recovered in {duration(recovery)}"]
        else:
            parts = [f"since {what} {duration(t - begins)}"]
        begun = [
            (name, start, end) for name, start, end in self._phases.get(world, []) if start <= t
        ]
        # The header has room for a few phases: those under way first, then the latest done
        # (a drain of many VMs has a setup, rounds and a blackout for each).
        under_way = [p for p in begun if t < p[2]]
        done = sorted((p for p in begun if t >= p[2]), key=lambda p: p[2])
        keep = under_way[:STOPWATCH_PHASES]
        keep += (
            done[len(done) - max(0, STOPWATCH_PHASES - len(keep)) :]
            if len(keep) < STOPWATCH_PHASES
            else []
        )
        left_out = len(begun) - len(keep)
        if left_out:
            parts.append(f"{left_out} earlier phase{'s' * (left_out > 1)} ✓")
        for name, start, end in sorted(keep, key=lambda p: (p[1], p[2])):
            finished = t >= end
            shown = (end if finished else t) - start
            # A phase still under way says so in words: a trailing "…" read as cut-off text.
            parts.append(f"{name} {duration(shown)}" + (" ✓" if finished else " so far"))
        why = self._why.get(world)
        if why is not None and t >= why[0]:
            parts.append(why[1])
        return _SEPARATOR.join(parts)

    # --- the rest ------------------------------------------------------------------------

    def request(self, world: str, host: str, action: str) -> None:
        """A user gesture on a host (the view's menu calls this)."""
        if action in ACTIONS:
            self.host_action_requested.emit(world, host, action)

    def request_network(self, action: str, a: str, b: str = "") -> None:
        """A user gesture on a switch (``a``) or a link (``a`` to ``b``): the view's menu
        calls this."""
        if action in NETWORK_ACTIONS:
            self.network_action_requested.emit(action, a, b)

    def request_outage(self, kind: str, which: str) -> None:
        """A user asked for rack ``which`` (its number) or zone ``which`` to fail now: the
        view's menu calls this."""
        if kind in OUTAGES:
            self.outage_requested.emit(kind, which)

    def card(self, world: World | str, host: str) -> HostCardItem:
        world = World(world)
        names = self._timeline.worlds[world].run.host_names if self._timeline else []
        if host not in names:
            raise KeyError(host)
        h = list(names).index(host)
        card = self._cards[world][h]
        if card is None:  # at scale: made on first asking, with its state
            card = self._make_card(world, h)
            self._last.pop(world, None)
            self.show_time(self._time)
        return card

    def rings_on(self, card: HostCardItem) -> list[tuple[QRectF, float]]:
        """The progress rings drawn on ``card``: (square in scene coordinates, turn)."""
        if self._rings is None:
            return []
        area = card.sceneBoundingRect()
        return [(rect, turn) for rect, turn in self._rings.rings() if area.contains(rect.center())]

    def cards(self) -> list[HostCardItem]:
        return [card for cards in self._cards.values() for card in cards if card is not None]

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.setBackgroundBrush(theme.background)
        for card in self.cards():
            card.set_theme(theme)
        if self._travel is not None:
            self._travel.set_theme(theme)
        for head in self._heads.values():
            head.set_theme(theme)
        for cells in self._cells.values():
            cells.set_theme(theme)
        if self._rings is not None:
            self._rings.set_theme(theme)
        for item in self._static:
            if isinstance(item, NetworkItem):
                item.set_theme(theme)
            elif isinstance(item, QGraphicsTextItem):
                role = str(item.data(1))
                if role.startswith("legend:"):
                    item.setDefaultTextColor(theme.muted)
                    item.setHtml(self.legend_html(World(role.removeprefix("legend:"))))
                elif role.startswith("state:"):
                    item.setDefaultTextColor(theme.muted)
                    item.setData(2, None)  # its colours are the theme's: written again
                    self._show_state(World(role.removeprefix("state:")), self._time)
                elif role.startswith("world:"):
                    item.setDefaultTextColor(theme.world(role.removeprefix("world:")))
                elif role.startswith("network:"):
                    world = World(role.removeprefix("network:"))
                    self._show_network_line(world, self._net_shown or INTACT)
                else:
                    item.setDefaultTextColor(self._role_colour(role))
            else:
                item.setPen(QPen(theme.outline, 1))
                item.setBrush(QBrush(QColor(theme.outline)))
        for world, result in self._results.items():
            result.setToolTip("")  # a quote of the run before is in the theme's colours
            self._show_result(world, self._time)

    def content_rect(self) -> QRectF:
        return QRectF(self._bounds)

    def world_origin(self, world: str) -> QPointF | None:
        """The top left of ``world``'s header (its title, above its large result), in scene
        units."""
        item = self._results.get(World(world))
        scale = item.scale() if item is not None else 1.0
        return item.pos() - QPointF(0.0, (RESULT_Y - TITLE_Y) * scale) if item is not None else None

    def finish_animation(self) -> None:
        """Nothing animates on its own: the clock drives every change."""

    def export_title(self) -> str:
        if self._timeline is None:
            return ""
        return f"{self._timeline.scenario.title} at {self._time:g} s"


#: The result's sizes, largest first: a long one steps down rather than run into the next world.
_RESULT_SIZES = (RESULT_PX, 22, 19, 16)


def _html_height(html: str, width: float) -> float:
    """The height of ``html`` set in the legend's font, ``width`` wide."""
    document = QTextDocument()
    document.setDefaultFont(ui_font(11))
    document.setDocumentMargin(0)
    document.setHtml(html)
    document.setTextWidth(width)
    return float(document.size().height())


def _fit_text(item: QGraphicsTextItem, text: str, width: float, sizes: tuple[int, ...]) -> None:
    """``text`` on one line within ``width``: at the largest of ``sizes`` that fits, else
    at the smallest, elided; the tooltip keeps it whole."""
    bold = item.font().bold()
    for size in sizes:
        font = ui_font(size, bold=bold)
        metrics = QFontMetricsF(font)
        if metrics.horizontalAdvance(text) <= width or size == sizes[-1]:
            break
    item.setFont(font)
    item.setPlainText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, width))
    item.setToolTip(text)


def _fit_segments(
    item: QGraphicsTextItem, segments: tuple[tuple[str, bool], ...], width: float, quiet: QColor
) -> None:
    """:func:`_fit_text` for a result in parts, those quoting the run before in ``quiet``
    (the rest in the item's colour); elided as plain text where even the smallest size is
    too wide."""
    text = "".join(part for part, _ in segments)
    bold = item.font().bold()
    for size in _RESULT_SIZES:
        if QFontMetricsF(ui_font(size, bold=bold)).horizontalAdvance(text) <= width:
            break
    else:
        _fit_text(item, text, width, _RESULT_SIZES)
        return
    item.setFont(ui_font(size, bold=bold))
    item.setHtml(
        "".join(
            f'<span style="color:{quiet.name()}">{html.escape(part)}</span>'
            if quoted
            else html.escape(part)
            for part, quoted in segments
        )
    )
    item.setToolTip(text)


@dataclass(frozen=True)
class _Frame:
    """What a world's cards were handed in one frame."""

    host: npt.NDArray[np.int64]  # per workload: its host if alive and placed, else -1
    phase: npt.NDArray[np.int32]
    fill: npt.NDArray[np.float64]  # per host: status, CPU, memory, and what a lesson adds
    special: frozenset[int]  # hosts with a flight, a migration or held room
    exposed: npt.NDArray[np.bool_] | None  # per workload: reached by an exploit


def _migrations(wt: WorldTimeline) -> list[tuple[int, int, int, float, float]]:
    """Every live migration of a run: (workload, source, target, start, end), from the
    MIGRATION_STARTED row to the release of the room held on the target."""
    log = wt.run.log
    out: list[tuple[int, int, int, float, float]] = []
    started: dict[int, tuple[int, float]] = {}
    target: dict[int, int] = {}
    rows = wt.rows(
        EventType.MIGRATION_STARTED, EventType.TARGET_RESERVED, EventType.TARGET_RELEASED
    )
    for i in rows.tolist():
        w, host, when, kind = log.workload[i], log.host[i], log.time[i], log.kind[i]
        if kind == EventType.MIGRATION_STARTED:
            started[w] = (host, when)
        elif kind == EventType.TARGET_RESERVED:
            target[w] = host
        elif w in started and w in target:
            source, begun = started.pop(w)
            out.append((w, source, target.pop(w), begun, when))
    return out


#: What starts the stopwatch, by the kind of the scenario's first event.
_STARTS = {
    EventKind.SCALE: "demand rose",
    EventKind.UPDATE: "the update began",
    EventKind.REBALANCE: "the host ran hot",
    EventKind.DRAIN: "the drain began",
    EventKind.EXPLOIT: "the exploit",
}


def _why_not(
    summary: WorldSummary, phases: list[tuple[str, float, float]]
) -> tuple[float, str] | None:
    """Why a world that had a failure does not recover, in the few words before the reason's
    first colon ("1 held back: web-0 stays Terminating on r1-h01"), shown once its last
    phase is over."""
    reason = summary.reason
    if summary.recovery_s is not None or not reason or not (summary.held_back or summary.pending):
        return None
    count, _, rest = reason.partition(": ")
    count = count.replace(" replicas ", " ").replace(" replica ", " ")
    # The headline: before the reason's explanation, and before any aside in brackets.
    headline = rest.split(": ", 1)[0].split(" (", 1)[0]
    after = max((end for _, _, end in phases), default=0.0)
    return after, f"{count}: {headline}"


def _origin(timeline: Timeline, wt: WorldTimeline) -> tuple[float, str] | None:
    """The stopwatch's start: the first failure, or else the lesson's first event."""
    if wt.run.first_fault_s is not None:
        return wt.run.first_fault_s, "the failure"
    for event in timeline.scenario.events:
        if event.kind in _STARTS:
            return event.at_s, _STARTS[event.kind]
    return None
