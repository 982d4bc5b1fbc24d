"""Where memory goes: to the apps, or to the platform each instance carries.

Every instance holding memory spends the same on its platform: a VM its guest OS
(``vm.guest_memory_overhead_mb``), a container the runtime and its own system processes
(``container.memory_overhead_mb``), a Hyper-V-isolated container its utility VM as well.  The
policy says how much (``WorldSim.instance_overhead_mb``, kept in the run); the rest of what an
instance holds is its app.  The overhead chart (``Timeline.series``'s ``overhead_memory`` and
``app_memory``) counts the same way over a world, the cluster's cards per host.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from vmc_gui.model.scenario import World
from vmc_gui.sim.records import CONSUMING, EventType, Phase
from vmc_gui.sim.timeline import WorldState, WorldTimeline

FloatArray = npt.NDArray[np.float64]
#: By phase code plus one (``NOT_CREATED`` is -1): does a workload in it hold memory?  A
#: lookup, not ``np.isin``: it is asked every frame.
_HOLDS = np.zeros(max(Phase) + 2, dtype=bool)
_HOLDS[[int(p) + 1 for p in CONSUMING]] = True

#: What each world's per-instance overhead is made of.
OVERHEAD_NAME = {
    World.VM: "guest OS",
    World.VM_LOCAL_DISK: "guest OS",
    World.VM_SMB_SHARE: "guest OS",
    World.CONTAINER: "container runtime",
    World.CONTAINER_SHARED_VOLUME: "container runtime",
    World.CONTAINER_NODE_VOLUME: "container runtime",
    World.CONTAINER_DISK_VOLUME: "container runtime",
    World.HYPERV_CONTAINER: "runtime and utility VM",
}


def platform_memory_gb(instances: npt.ArrayLike, overhead_mb: float) -> FloatArray:
    """The memory ``instances`` (a count, or counts) spend on their platform, in GB."""
    return np.asarray(instances, dtype=np.float64) * overhead_mb / 1024.0


@dataclass(frozen=True)
class HostMemory:
    """Each host's memory in use at one moment, in GB, split in two."""

    app: FloatArray
    platform: FloatArray


class MemorySplit:
    """A world's per-host split, asked frame after frame: what the log says of the room
    live migrations hold on their targets (a VM's memory, guest OS and all) is read once."""

    def __init__(self, wt: WorldTimeline) -> None:
        self.overhead_mb = float(wt.run.instance_overhead_mb)
        self._hosts = len(wt.run.host_names)
        rows = wt.rows(EventType.TARGET_RESERVED, EventType.TARGET_RELEASED)
        log = wt.run.log
        self._held_times = wt.times[rows]
        self._held_hosts = np.asarray([log.host[int(i)] for i in rows.tolist()], dtype=np.int64)
        self._held_sign = np.where(wt.kinds[rows] == EventType.TARGET_RESERVED, 1.0, -1.0)
        #: Whether any live migration holds room in the run.
        self.reserves = bool(len(rows))

    def reserved_at(self, t: float) -> FloatArray:
        """How many arriving VMs hold room on each host at ``t`` (live migrations)."""
        held = self._held_times <= t
        count = np.bincount(
            self._held_hosts[held], weights=self._held_sign[held], minlength=self._hosts
        )
        return count.astype(np.float64)  # with no rows, bincount gives integers

    def instances(self, state: WorldState) -> FloatArray:
        """How many instances hold memory on each host (room held for one arriving counts)."""
        count = np.bincount(
            state.workload_host[holds_memory(state.workload_phase) & (state.workload_host >= 0)],
            minlength=self._hosts,
        ).astype(np.float64)
        return count + self.reserved_at(state.time_s)

    def platform_gb(self, instances: npt.ArrayLike, used_gb: npt.ArrayLike) -> FloatArray:
        """What ``instances`` spend on their platform, within the ``used_gb`` they hold."""
        return np.minimum(platform_memory_gb(instances, self.overhead_mb), used_gb)

    def at(self, state: WorldState) -> HostMemory:
        """Each host's memory in use, apps and platform."""
        platform = self.platform_gb(self.instances(state), state.host_memory_gb)
        return HostMemory(np.maximum(state.host_memory_gb - platform, 0.0), platform)


def holds_memory(phases: npt.NDArray[np.int32]) -> npt.NDArray[np.bool_]:
    """Per workload: does its phase (a code, or ``NOT_CREATED``) hold its host's memory?"""
    return _HOLDS[phases + 1]
