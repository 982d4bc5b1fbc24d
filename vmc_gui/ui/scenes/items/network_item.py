"""The cluster's fabric under one world's racks, drawn from the cluster graph: each rack's
top-of-rack switch uplinked to the core switch, the core's links to the clients (where a
service's users come in) and to the shared storage, and the platform's own parts on the
network: Kubernetes' etcd members beside the switches that carry them, the failover
cluster's witness.

A failed switch is crossed out and a cut link dashed, both in the alarm colour, as the
network stands at the scene's time.  The item only draws: a right-click on a switch or a
link is the view's to turn into a menu (:meth:`NetworkItem.target_at` says what is there).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from vmc_gui.ui.fonts import ui_font
from vmc_gui.ui.theme import LIGHT, Theme, mixed

#: Between a rack's foot and its switch; the switch's size; and the etcd member's beside it.
TOR_DROP = 6.0
TOR_WIDTH = 64.0
BOX_HEIGHT = 22.0
ETCD_WIDTH = 52.0
#: How far the ToR sits left of its rack's middle, so that an etcd member fits beside it.
TOR_SHIFT = 18.0
#: The uplinks' fall from the switches to the core, and the core's size.
UPLINK_DROP = 20.0
CORE_WIDTH = 130.0
CORE_HEIGHT = 24.0
CLIENTS_WIDTH = 68.0
CLIENTS_GAP = 30.0
STORAGE_WIDTH = 190.0
STORAGE_GAP = 48.0
#: The row under the core: the witness, and etcd members on the core.
ROW_GAP = 12.0
WITNESS_WIDTH = 110.0
#: How near a link the pointer must be to be on it (scene units).
LINK_REACH = 4.0
_CORE_TOP = TOR_DROP + BOX_HEIGHT + UPLINK_DROP
#: The height the fabric takes under the racks: without, and with, the row under the core.
HEIGHT = _CORE_TOP + CORE_HEIGHT + 4.0
HEIGHT_WITH_ROW = HEIGHT + ROW_GAP + BOX_HEIGHT

_CORE_TIP = (
    "<b>Core switch</b>: every rack's top-of-rack switch uplinks here, and so do the clients "
    "and the storage. A host that loses its network is as gone to the cluster as one that "
    "loses power, though it keeps running. Right-click to fail it."
)
_TOR_TIP = (
    "<b>{name}</b>: rack {rack}'s top-of-rack switch. Its hosts' links meet here, and its "
    "uplink goes to the core. If it fails, each of its hosts is cut off alone. Right-click "
    "to fail or restore it."
)
_CLIENTS_TIP = (
    "<b>Clients</b>: where a service's users come in, through the core. A copy that runs "
    "but that the clients cannot reach does not serve. Right-click to cut their link."
)
_WITNESS_TIP = (
    "<b>The failover cluster's witness</b> ({words}): one more vote, which counts on the side "
    "that reaches it. With an even split of the nodes, the witness decides which side keeps "
    "the cluster."
)
_ETCD_TIP = (
    "<b>{name}</b>: one of Kubernetes' {count} etcd members (with an API server and a "
    "controller manager beside it), on {switch}. The side that holds a majority of them "
    "keeps the control plane; without a majority it freezes: no node is marked NotReady, "
    "nothing is evicted or scheduled, and the kubelets keep their pods running."
)
_LINK_TIP = "<b>The link {a} &#8211; {b}</b>{state}. Right-click to {verb} it."
_STORAGE_TIP = (
    "<b>Shared storage</b> ({protocol}): disks live here rather than on a host, so a VM or "
    "volume can start again on any surviving host."
)
_FILES_TIP = (
    "<b>Azure Files</b> ({protocol}, ReadWriteMany): a share every node mounts at once, so a "
    "replacement pod on any node reaches the data straight away."
)
_DISKS_TIP = (
    "<b>Azure Disks</b> (ReadWriteOnce): each pod's own network disk, attached to one node at "
    "a time. It can move to another node, but only once it is detached from the old one: "
    "while the old pod object exists (Terminating) it stays; once the pod is gone, Kubernetes "
    "force-detaches it from a node that is down after 6 minutes, or at once when the node is "
    "tainted out-of-service."
)
_LOCAL_TIP = (
    "<b>Local storage</b>: each instance's data is on the disk of the host it runs on. When "
    "that host fails, the data is out of reach until the host comes back."
)


@dataclass(frozen=True, slots=True)
class Target:
    """What a right-click on the fabric is about: a switch, or the link between two nodes."""

    switch: str = ""
    link: tuple[str, str] = ("", "")

    @property
    def is_switch(self) -> bool:
        return bool(self.switch)


@dataclass(frozen=True, slots=True)
class _Link:
    a: str
    b: str
    line: QLineF


class NetworkItem(QGraphicsItem):
    """The switches, the links between them and what hangs off the core, under one world."""

    def __init__(
        self,
        rack_feet: list[QPointF],
        storage: str | None,
        theme: Theme = LIGHT,
        *,
        local: bool = False,
        kind: str = "shared",
        etcd: Sequence[tuple[str, str]] = (),
        witness: str = "",
        row: bool = False,
        left: float | None = None,
    ) -> None:
        """``rack_feet``: the bottom middle of each rack panel, in rack order (each rack's
        switch hangs under it); ``storage``: the shared storage's protocol, if there is one;
        ``local``: this world keeps its data on each host's own disk instead (drawn apart,
        linked to nothing); ``kind``: what the storage is to this world: ``"shared"`` (an SMB
        share), ``"files"`` (Azure Files) or ``"disks"`` (an Azure Disk per pod);  ``etcd``:
        Kubernetes' etcd members and the switch each hangs off; ``witness``: the failover
        cluster's witness (``"cloud"``, ``"file_share"``, or ``"file_share:HOST"``; empty for
        none); ``row``: leave room for the row under the core (the scene's worlds share one
        height); ``left``: the world's left edge, which the clients stay right of."""
        super().__init__()
        self._feet = [QPointF(p) for p in rack_feet]
        self._storage = storage
        self._local = local
        self._kind = kind
        self._theme = theme
        self._etcd = list(etcd)
        self._witness = witness
        self._failed_switches: frozenset[str] = frozenset()
        self._failed_links: frozenset[frozenset[str]] = frozenset()
        top = self._feet[0].y()
        xs = [p.x() for p in self._feet]
        #: Each rack's switch, by name.
        self.switches: dict[str, QRectF] = {
            f"tor-r{rack}": QRectF(
                foot.x() - TOR_SHIFT - TOR_WIDTH / 2, top + TOR_DROP, TOR_WIDTH, BOX_HEIGHT
            )
            for rack, foot in enumerate(self._feet, start=1)
        }
        middle = (min(xs) + max(xs)) / 2
        if left is not None:  # the clients' box stays within the world
            middle = max(middle, left + CLIENTS_WIDTH + CLIENTS_GAP + CORE_WIDTH / 2)
        self.core = QRectF(middle - CORE_WIDTH / 2, top + _CORE_TOP, CORE_WIDTH, CORE_HEIGHT)
        self.switches["core"] = self.core
        y = self.core.center().y()
        self.clients = QRectF(
            self.core.left() - CLIENTS_GAP - CLIENTS_WIDTH,
            y - BOX_HEIGHT / 2,
            CLIENTS_WIDTH,
            BOX_HEIGHT,
        )
        self.storage_box: QRectF | None = None
        if storage is not None or local:
            self.storage_box = QRectF(
                self.core.right() + STORAGE_GAP, self.core.top(), STORAGE_WIDTH, CORE_HEIGHT
            )
        row_top = self.core.bottom() + ROW_GAP
        #: Each etcd member's box, and the witness's (None: no witness).
        self.members: dict[str, QRectF] = {}
        self.witness_box: QRectF | None = None
        under_core: list[str] = []
        if witness == "cloud":
            # Reached as the internet is, through the clients' side of the core.
            x = self.clients.center().x() - WITNESS_WIDTH / 2
            if left is not None:
                x = max(x, left)  # within the world, under the clients still
            self.witness_box = QRectF(x, row_top, WITNESS_WIDTH, BOX_HEIGHT)
        elif witness.startswith("file_share"):
            under_core.append("witness")
        for name, switch in self._etcd:
            box = self.switches.get(switch)
            if switch == "core" or box is None:
                under_core.append(name)
                continue
            self.members[name] = QRectF(box.right() + 10, box.top(), ETCD_WIDTH, BOX_HEIGHT)
        widths = [WITNESS_WIDTH if n == "witness" else ETCD_WIDTH for n in under_core]
        x = self.core.center().x() - (sum(widths) + 8 * (len(widths) - 1)) / 2
        for name, width in zip(under_core, widths, strict=True):
            box = QRectF(x, row_top, width, BOX_HEIGHT)
            if name == "witness":
                self.witness_box = box
            else:
                self.members[name] = box
            x += width + 8
        self._links = self._wire()
        bounds = QRectF(min(xs), top, max(xs) - min(xs), HEIGHT_WITH_ROW if row else HEIGHT)
        for box in [*self.switches.values(), self.clients, *self.members.values()]:
            bounds = bounds.united(box)
        for box in (self.storage_box, self.witness_box):
            if box is not None:
                bounds = bounds.united(box)
        self._bounds = bounds.adjusted(-2, -2, 2, 2)
        self.setAcceptHoverEvents(True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def _wire(self) -> list[_Link]:
        """Every link the fabric draws, as the graph names its ends."""
        links = []
        racks = [name for name in self.switches if name != "core"]
        core = self.core
        for k, name in enumerate(racks):
            # Each uplink meets the core at its own point: no two share a stroke.
            box = self.switches[name]
            entry = core.left() + core.width() * (k + 1) / (len(racks) + 1)
            line = QLineF(box.center().x(), box.bottom(), entry, core.top())
            links.append(_Link(name, "core", line))
        y = core.center().y()
        links.append(_Link("clients", "core", QLineF(self.clients.right(), y, core.left(), y)))
        if self.storage_box is not None and not self._local:
            links.append(
                _Link("storage", "core", QLineF(core.right(), y, self.storage_box.left(), y))
            )
        for name, switch in self._etcd:
            box, on = self.members[name], self.switches.get(switch, core)
            if on is core:
                line = QLineF(box.center().x(), box.top(), box.center().x(), core.bottom())
            else:
                line = QLineF(on.right(), on.center().y(), box.left(), box.center().y())
            links.append(_Link(name, switch if on is not core else "core", line))
        return links

    # --- what it shows -------------------------------------------------------------------

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def show_state(
        self, failed_switches: frozenset[str], failed_links: frozenset[frozenset[str]]
    ) -> None:
        """The network as it stands: the switches down and the links cut."""
        if (failed_switches, failed_links) == (self._failed_switches, self._failed_links):
            return
        self._failed_switches, self._failed_links = failed_switches, failed_links
        self.update()

    def is_failed(self, switch: str) -> bool:
        return switch in self._failed_switches

    def is_cut(self, a: str, b: str) -> bool:
        return frozenset((a, b)) in self._failed_links

    def links(self) -> list[tuple[str, str]]:
        """Every link drawn, as its two ends."""
        return [(link.a, link.b) for link in self._links]

    def link_line(self, a: str, b: str) -> QLineF:
        """Where the link between ``a`` and ``b`` is drawn (scene coordinates)."""
        return next(QLineF(link.line) for link in self._links if {link.a, link.b} == {a, b})

    @property
    def storage_label(self) -> str:
        """The storage box's words, for what the storage is to this world."""
        if self._local:
            return "data on each host's disk"
        if self._kind == "disks":
            return "Azure Disks · one node each"
        if self._kind == "files":
            return f"Azure Files · {self._storage}"
        return f"shared storage · {self._storage}"

    @property
    def witness_label(self) -> str:
        if self._witness == "cloud":
            return "cloud witness"
        return "file share witness" if self._witness else ""

    def target_at(self, point: QPointF) -> Target | None:
        """The switch or link at ``point`` (scene coordinates), if any: what a right-click
        there is about.  A box that hangs off one link (the clients, the storage, an etcd
        member) stands for its link."""
        for name, box in self.switches.items():
            if box.contains(point):
                return Target(switch=name)
        ends = {"clients": self.clients, **self.members}
        if self.storage_box is not None and not self._local:
            ends["storage"] = self.storage_box
        for name, box in ends.items():
            if box.contains(point):
                link = next(link for link in self._links if name in (link.a, link.b))
                return Target(link=(link.a, link.b))
        near = [(_distance(point, link.line), link) for link in self._links]
        distance, link = min(near, key=lambda pair: pair[0])
        return Target(link=(link.a, link.b)) if distance <= LINK_REACH else None

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        # Only what is drawn: the empty band beside the boxes is not the fabric's.
        path = QPainterPath()
        for box in self._boxes():
            path.addRect(box[0])
        for link in self._links:
            line = link.line
            path.addRect(QRectF(line.p1(), line.p2()).normalized().adjusted(-4, -4, 4, 4))
        return path

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.setToolTip(self.tip_at(event.pos()))
        super().hoverMoveEvent(event)

    def tip_at(self, point: QPointF) -> str:
        """What the pointer at ``point`` is on, in words (the tooltip)."""
        if self.storage_box is not None and self.storage_box.contains(point):
            tips = {"files": _FILES_TIP, "disks": _DISKS_TIP}
            tip = _LOCAL_TIP if self._local else tips.get(self._kind, _STORAGE_TIP)
            return tip.format(protocol=self._storage)
        if self.witness_box is not None and self.witness_box.contains(point):
            words = "a cloud witness" if self._witness == "cloud" else "a file share witness"
            if ":" in self._witness:
                words += f" on {self._witness.split(':', 1)[1]}"
            return _WITNESS_TIP.format(words=words)
        for name, box in self.members.items():
            if box.contains(point):
                switch = next(s for n, s in self._etcd if n == name)
                return _ETCD_TIP.format(name=name, count=len(self._etcd), switch=switch)
        if self.clients.contains(point):
            return _CLIENTS_TIP
        target = self.target_at(point)
        if target is None:
            return ""
        if target.switch == "core":
            return _CORE_TIP + (" <b>It has failed.</b>" if self.is_failed("core") else "")
        if target.is_switch:
            rack = target.switch.removeprefix("tor-r")
            failed = " <b>It has failed.</b>" if self.is_failed(target.switch) else ""
            return _TOR_TIP.format(name=target.switch, rack=rack) + failed
        a, b = target.link
        cut = self.is_cut(a, b)
        return _LINK_TIP.format(
            a=a, b=b, state=" is cut" if cut else "", verb="restore" if cut else "cut"
        )

    # --- painting ------------------------------------------------------------------------

    def _boxes(self) -> list[tuple[QRectF, str, str]]:
        """Each box as (rectangle, words, the switch it is or ""), in drawing order."""
        boxes = [
            (box, "core switch" if name == "core" else name, name)
            for name, box in self.switches.items()
        ]
        boxes.append((self.clients, "clients", ""))
        if self.storage_box is not None:
            boxes.append((self.storage_box, self.storage_label, ""))
        boxes += [(box, name, "") for name, box in self.members.items()]
        if self.witness_box is not None:
            boxes.append((self.witness_box, self.witness_label, ""))
        return boxes

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        theme = self._theme
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        alarm = QPen(theme.compromised, 2.0, Qt.PenStyle.DashLine)
        alarm.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(QPen(theme.muted, 1.2))
        for rack, foot in enumerate(self._feet, start=1):
            # Each rack's hosts reach its switch down the rack's foot.
            x = self.switches[f"tor-r{rack}"].center().x()
            painter.drawLine(QPointF(x, foot.y()), QPointF(x, foot.y() + TOR_DROP))
        for link in self._links:
            painter.setPen(alarm if self.is_cut(link.a, link.b) else QPen(theme.muted, 1.2))
            painter.drawLine(link.line)
        if self.witness_box is not None and self._witness == "cloud":
            x = self.clients.center().x()
            painter.setPen(QPen(theme.muted, 1.2, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(x, self.clients.bottom()), QPointF(x, self.witness_box.top()))
        elif self.witness_box is not None and ":" not in self._witness:
            x = self.witness_box.center().x()
            painter.setPen(QPen(theme.muted, 1.2))
            painter.drawLine(QPointF(x, self.core.bottom()), QPointF(x, self.witness_box.top()))
        for box, label, switch in self._boxes():
            failed = bool(switch) and self.is_failed(switch)
            dashed = (box is self.storage_box and self._local) or (
                box is self.witness_box and ":" in self._witness
            )
            style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
            edge = theme.compromised if failed else theme.muted
            painter.setPen(QPen(edge, 2.0 if failed else 1.2, style))
            painter.setBrush(mixed(theme.compromised, theme.card, 0.12) if failed else theme.card)
            painter.drawRoundedRect(box, 6, 6)
            if failed:
                # Crossed out, corner to corner: the switch forwards nothing.  Under its
                # name, which stays legible.
                cross = QPen(mixed(theme.compromised, theme.card, 0.6), 1.6)
                cross.setCapStyle(Qt.PenCapStyle.RoundCap)
                painter.setPen(cross)
                inner = box.adjusted(3, 3, -3, -3)
                painter.drawLine(inner.topLeft(), inner.bottomRight())
                painter.drawLine(inner.topRight(), inner.bottomLeft())
                # The name on a clear patch, over the cross.
                width = QFontMetricsF(ui_font(11, bold=True)).horizontalAdvance(label) + 6
                patch = QRectF(box.center().x() - width / 2, box.top() + 4, width, box.height() - 8)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(mixed(theme.compromised, theme.card, 0.12))
                painter.drawRect(patch)
            painter.setFont(ui_font(11, bold=True))
            painter.setPen(theme.compromised if failed else theme.text)
            text = box.adjusted(4, 0, -4, 0)
            if box is self.witness_box and self._witness == "cloud":
                _cloud(painter, theme, QPointF(box.left() + 13, box.center().y()))
                text = box.adjusted(24, 0, -4, 0)
            painter.drawText(text, int(Qt.AlignmentFlag.AlignCenter), label)
            painter.setBrush(Qt.BrushStyle.NoBrush)


def _cloud(painter: QPainter, theme: Theme, centre: QPointF) -> None:
    """A small cloud: the internet, where a cloud witness lives."""
    painter.setPen(QPen(theme.muted, 1.2))
    painter.setBrush(theme.card)
    x, y = centre.x(), centre.y()
    path = QPainterPath()
    path.addEllipse(QPointF(x - 4, y + 1), 4.5, 3.5)
    path.addEllipse(QPointF(x + 1, y - 1.5), 5.0, 4.5)
    path.addEllipse(QPointF(x + 5.5, y + 1), 4.0, 3.5)
    painter.drawPath(path.simplified())


def _distance(point: QPointF, line: QLineF) -> float:
    """How far ``point`` is from the segment ``line``."""
    dx, dy = line.dx(), line.dy()
    length = dx * dx + dy * dy
    if length == 0:
        return math.dist((point.x(), point.y()), (line.x1(), line.y1()))
    u = ((point.x() - line.x1()) * dx + (point.y() - line.y1()) * dy) / length
    u = min(1.0, max(0.0, u))
    return math.dist((point.x(), point.y()), (line.x1() + u * dx, line.y1() + u * dy))
