"""The cluster's fabric under one world's racks: each rack's top-of-rack switch uplinked to
the core switch, and the shared storage the core serves, drawn from the cluster graph."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from vmc_gui.ui.fonts import ui_font
from vmc_gui.ui.theme import LIGHT, Theme

#: How far below the racks the uplinks meet, and the boxes' size.
BUS_DROP = 16.0
BOX_HEIGHT = 26.0
CORE_WIDTH = 130.0
STORAGE_WIDTH = 190.0
STORAGE_GAP = 48.0
#: The height the fabric takes under the racks.
HEIGHT = BUS_DROP + 16.0 + BOX_HEIGHT

_CORE_TIP = (
    "<b>Core switch</b>: every rack's top-of-rack switch uplinks here. A host that loses "
    "its network is as gone to the cluster as one that loses power."
)
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


class NetworkItem(QGraphicsItem):
    """Uplinks from the racks' feet to the core switch, and the core's link to storage."""

    def __init__(
        self,
        rack_feet: list[QPointF],
        storage: str | None,
        theme: Theme = LIGHT,
        *,
        local: bool = False,
        kind: str = "shared",
    ) -> None:
        """``rack_feet``: the bottom middle of each rack panel (whose top-of-rack switch
        uplinks to the core); ``storage``: the shared storage's protocol, if there is one;
        ``local``: this world keeps its data on each host's own disk instead (drawn apart,
        linked to nothing); ``kind``: what the storage is to this world: ``"shared"`` (an SMB
        share), ``"files"`` (Azure Files) or ``"disks"`` (an Azure Disk per pod)."""
        super().__init__()
        self._feet = [QPointF(p) for p in rack_feet]
        self._storage = storage
        self._local = local
        self._kind = kind
        self._theme = theme
        left = min(p.x() for p in self._feet)
        right = max(p.x() for p in self._feet)
        top = self._feet[0].y()
        self._bus_y = top + BUS_DROP
        middle = (left + right) / 2
        self.core = QRectF(middle - CORE_WIDTH / 2, self._bus_y + 16, CORE_WIDTH, BOX_HEIGHT)
        self.storage_box: QRectF | None = None
        if storage is not None or local:
            self.storage_box = QRectF(
                self.core.right() + STORAGE_GAP, self.core.top(), STORAGE_WIDTH, BOX_HEIGHT
            )
        bounds = QRectF(left, top, right - left, HEIGHT).united(self.core)
        if self.storage_box is not None:
            bounds = bounds.united(self.storage_box)
        self._bounds = bounds.adjusted(-2, -2, 2, 2)
        self.setAcceptHoverEvents(True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

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

    def boundingRect(self) -> QRectF:
        return self._bounds

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        if self.core.contains(event.pos()):
            self.setToolTip(_CORE_TIP)
        elif self.storage_box is not None and self.storage_box.contains(event.pos()):
            tips = {"files": _FILES_TIP, "disks": _DISKS_TIP}
            tip = _LOCAL_TIP if self._local else tips.get(self._kind, _STORAGE_TIP)
            self.setToolTip(tip.format(protocol=self._storage))
        else:
            self.setToolTip("")
        super().hoverMoveEvent(event)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        theme = self._theme
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(theme.muted, 1.2))
        xs = [p.x() for p in self._feet]
        for foot in self._feet:  # each rack's uplink drops to the bus
            painter.drawLine(foot, QPointF(foot.x(), self._bus_y))
        if len(xs) > 1:
            painter.drawLine(QPointF(min(xs), self._bus_y), QPointF(max(xs), self._bus_y))
        centre = self.core.center().x()
        painter.drawLine(QPointF(centre, self._bus_y), QPointF(centre, self.core.top()))
        boxes = [(self.core, "core switch", Qt.PenStyle.SolidLine)]
        if self.storage_box is not None and self._local:
            # Nothing to link: the data is in the hosts above.
            boxes.append((self.storage_box, "data on each host's disk", Qt.PenStyle.DashLine))
        elif self.storage_box is not None:
            y = self.core.center().y()
            painter.drawLine(QPointF(self.core.right(), y), QPointF(self.storage_box.left(), y))
            boxes.append((self.storage_box, self.storage_label, Qt.PenStyle.SolidLine))
        painter.setFont(ui_font(11, bold=True))
        for box, label, style in boxes:
            painter.setPen(QPen(theme.muted, 1.2, style))
            painter.setBrush(theme.card)
            painter.drawRoundedRect(box, 6, 6)
            painter.setPen(theme.text)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), label)
