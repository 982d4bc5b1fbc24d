"""ReadWriteOnce disks (Azure Disks) and Kubernetes' attach/detach controller.

A disk is attached to one node at a time.  Its pod's replacement can start elsewhere only once
the disk has been detached from the old node and attached to the new one.  The attach/detach
controller (``pkg/controller/volume/attachdetach``) detaches a disk once no pod object on that
node wants it any more:

- at once if the node's kubelet is alive (it unmounts the volume first);
- at once if the node carries the ``node.kubernetes.io/out-of-service`` taint (KEP-2268);
- otherwise the dead node still lists the volume as in use, so the controller waits
  ``maxWaitForUnmountDuration`` (6 minutes, a constant) from when the pod object went, then
  force-detaches if the node is still unhealthy, unless ``--disable-force-detach-on-timeout``.

While the pod object is only Terminating (deleted with a grace period its dead kubelet cannot
honour) the volume is still wanted there, and no clock runs at all.  Detaching and attaching
then take ``storage.disk_detach_s`` and ``storage.disk_attach_s``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vmc_gui.model.parameters import ParameterSet
from vmc_gui.sim.engine import Priority
from vmc_gui.sim.records import EventType, Phase

if TYPE_CHECKING:
    from vmc_gui.sim.policies.kubernetes import KubernetesWorld

#: The attach/detach controller's wait for a volume still listed as mounted on a node
#: (attach_detach_controller.go: ReconcilerMaxWaitForUnmountDuration = 6 * time.Minute).
MAX_WAIT_FOR_UNMOUNT_S = 360.0


class DiskAttachments:
    """Where each pod's disk is attached, and the detaches and attaches under way."""

    def __init__(self, world: KubernetesWorld) -> None:
        self.world = world
        #: The node each pod's disk is attached to (a pod absent has no disk yet).
        self.attached: dict[int, int] = {}
        self.detaching: set[int] = set()
        #: Pods scheduled to a node, waiting for their disk to leave another: pod -> node.
        self.waiting: dict[int, int] = {}
        #: Each pod's latest detach, so that one called off can tell.
        self._detaches: dict[int, int] = {}
        #: Each pod's force-detach timer: the node it waits on, and its count (an older timer
        #: can tell).  The wait counts from when the volume first left the desired state.
        self._timers: dict[int, int] = {}
        self._timer_node: dict[int, int] = {}
        self.configure(world.params)

    def configure(self, p: ParameterSet) -> None:
        self.detach_s = p.seconds("storage.disk_detach_s")
        self.attach_s = p.seconds("storage.disk_attach_s")
        self.no_force_detach = bool(p["kubernetes.disable_force_detach_on_timeout"])

    def deployed(self, pod: int, node: int) -> None:
        """A pod running at the start has its disk attached where it runs."""
        self.attached[pod] = node

    # --- a pod wants its disk on a node ------------------------------------------------------

    def ready_on(self, pod: int, node: int) -> bool:
        """Whether ``pod``, just bound to ``node``, has its disk there; if not, the attach (or
        the wait for the disk to leave its old node) is under way and the world hears of it
        through ``disk_attached``."""
        world = self.world
        where = self.attached.get(pod, -1)
        if where == node:
            if pod in self.detaching:
                # Wanted on the same node again: the controller keeps it attached there.
                self.detaching.discard(pod)
                self._detaches[pod] = self._detaches.get(pod, 0) + 1
                world.log(EventType.VOLUME_ATTACHED, pod, node, -1, "wanted here again: kept")
            return True
        if where < 0:
            self._attach(pod, node)
            return False
        self.waiting[pod] = node
        held = world.host_names[where]
        world.set_phase(
            pod,
            Phase.ATTACHING,
            node,
            EventType.VOLUME_ATTACH_STARTED,
            f"Multi-Attach error: its disk is still attached to {held}",
        )
        if self.no_force_detach and not world.alive[where]:
            world.stalled[pod] = (
                f"Multi-Attach error: its disk stays attached to {held}, which is down, and "
                "force detach on timeout is disabled: only the out-of-service taint frees it"
            )
        return False

    def _attach(self, pod: int, node: int) -> None:
        self.attached[pod] = node
        self.world.advance(
            pod,
            node,
            Phase.ATTACHING,
            EventType.VOLUME_ATTACH_STARTED,
            "disk attach",
            self.attach_s,
            self.world.disk_attached,
        )

    # --- a pod object is gone: its disk may leave ----------------------------------------------

    def pod_gone(self, pod: int) -> None:
        """The pod object was deleted: its volume is no longer wanted on its node."""
        world = self.world
        node = self.attached.get(pod, -1)
        if node < 0 or pod in self.detaching:
            return
        if world.heard(node):  # a cut-off node's kubelet cannot say it unmounted (issue 19)
            self._detach(pod, node, "unmounted by its kubelet")
        elif world.oos_taint[node]:
            self._detach(pod, node, "force detach: the node is out of service")
        elif not self.no_force_detach and self._timer_node.get(pod) != node:
            now = world.engine.now
            self._timer_node[pod] = node
            self._timers[pod] = self._timers.get(pod, 0) + 1
            world.engine.at(
                now + MAX_WAIT_FOR_UNMOUNT_S,
                Priority.CONTROL,
                self._timeout,
                pod,
                node,
                self._timers[pod],
                now,
            )

    def _timeout(self, pod: int, node: int, timer: int, since: float) -> None:
        if self._timers.get(pod) != timer or self.attached.get(pod) != node:
            return
        if pod in self.detaching or self.world.lifecycle.ready[node]:
            return  # detached another way, or the node is healthy: its kubelet unmounts
        if self.world.frozen:  # the attach/detach controller waits for etcd's quorum
            self.world.after_thaw(self._timeout, pod, node, timer, since)
            return
        self.world.span("force-detach wait (6 min)", since, self.world.engine.now)
        self._detach(
            pod,
            node,
            "force detach: 6 min after its pod was deleted (maxWaitForUnmountDuration), "
            "the node still unhealthy",
        )

    def node_out_of_service(self, node: int) -> None:
        """KEP-2268: disks of deleted pods leave an out-of-service node without the wait."""
        for pod, where in list(self.attached.items()):
            if where == node and pod not in self.detaching and not self._wanted_on(pod, node):
                self._detach(pod, node, "force detach: the node is out of service")

    def node_back(self, node: int) -> None:
        """The node's kubelet is back: it unmounts what no pod there wants any more."""
        for pod, where in list(self.attached.items()):
            if where == node and pod not in self.detaching and not self._wanted_on(pod, node):
                self._detach(pod, node, "unmounted by its kubelet")

    def _wanted_on(self, pod: int, node: int) -> bool:
        """Whether a pod object bound to ``node`` still wants the disk there (running,
        failed with its node, or Terminating): its volume is in the desired state."""
        world = self.world
        return world.w_host[pod] == node and world.w_phase[pod] != Phase.STOPPED

    def _detach(self, pod: int, node: int, why: str) -> None:
        world = self.world
        now = world.engine.now
        self.detaching.add(pod)
        self._detaches[pod] = detach = self._detaches.get(pod, 0) + 1
        world.stalled.pop(pod, None)
        world.log(EventType.VOLUME_DETACH_STARTED, pod, node, -1, why)
        world.span("disk detach", now, now + self.detach_s)
        world.engine.at(now + self.detach_s, Priority.CONTROL, self._detached, pod, node, detach)

    def _detached(self, pod: int, node: int, detach: int) -> None:
        world = self.world
        if self._detaches.get(pod) != detach:
            return  # called off: the disk was wanted on the same node again
        self.detaching.discard(pod)
        self._timer_node.pop(pod, None)
        if self.attached.get(pod) == node:
            del self.attached[pod]
        world.log(EventType.VOLUME_DETACHED, pod, node, -1, "disk detached")
        target = self.waiting.pop(pod, -1)
        if (
            target >= 0
            and world.w_host[pod] == target
            and world.w_phase[pod] == Phase.ATTACHING
            and world.alive[target]
        ):
            self._attach(pod, target)
