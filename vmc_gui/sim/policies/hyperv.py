"""The VM world: a Hyper-V failover cluster.

A crashed node stops sending heartbeats.  After ``hyperv.same_subnet_threshold`` missed
heartbeats, ``hyperv.same_subnet_delay_ms`` apart, the cluster removes the node and restarts
each of its VMs on the surviving node with the most free memory in the same failover cluster.
A restarted VM boots its guest OS, then the app starts.  The same VM moves: its identity is
kept, its running state is lost.
"""

from __future__ import annotations

import math
import random

import numpy as np
import numpy.typing as npt

from vmc_gui.model.scenario import Scenario, ServiceSpec, World
from vmc_gui.sim.clocks import last_tick
from vmc_gui.sim.engine import Priority
from vmc_gui.sim.records import EventType, HostStatus, Phase
from vmc_gui.sim.world import Num, WorldSim

_EPSILON = 1e-9


class HyperVWorld(WorldSim):
    """Replicas are VMs; failover restarts them elsewhere in their failover cluster."""

    world = World.VM
    noun = "VM"

    def __init__(self, scenario: Scenario, rng: random.Random) -> None:
        super().__init__(scenario, rng)
        # Nodes are not in step: each sends its heartbeats at its own offset, drawn as a
        # fraction of the interval so that the draws do not depend on the settings.
        self.heartbeat_phase = [rng.random() for _ in self.host_names]
        self.configure()

    def configure(self) -> None:
        p = self.params
        self.delay = p.seconds("hyperv.same_subnet_delay_ms")
        self.threshold = int(p["hyperv.same_subnet_threshold"])
        self.boot_s = p.seconds("vm.guest_boot_s")
        self.app_start_s = p.seconds("vm.app_start_s")
        self.max_per_host = int(p["hyperv.max_vms_per_host"])
        self.max_per_cluster = int(p["hyperv.max_cluster_vms"])

    # --- resources ----------------------------------------------------------------------

    def host_pools(self) -> list[int]:
        # An estate larger than one failover cluster allows is several clusters, each with
        # nodes in every rack (so that no rack takes out most of one cluster); a VM fails
        # over only within its own cluster.
        size = int(self.params["hyperv.max_cluster_nodes"])
        clusters = max(1, math.ceil(len(self.host_names) / size))
        return [i % clusters for i in range(len(self.host_names))]

    def load_of(self, cpu_used: Num, memory_used: Num, cores: Num, memory: Num) -> Num:
        # Failover prefers the node with the most free memory.
        return memory_used / memory

    def fits(self, host: int, cpu: float, memory: float) -> bool:
        # Hyper-V commits a VM's memory but lets virtual processors share cores.
        return (
            self.status[host] == HostStatus.UP
            and self.memory_used[host] + memory <= self.host_memory[host] + _EPSILON
            and self.count[host] < self.max_per_host
            and self.pool_count[self.pool_of[host]] < self.max_per_cluster
        )

    def room(
        self, hosts: npt.NDArray[np.int64], cpu: float, memory: float
    ) -> npt.NDArray[np.int64]:
        free = np.asarray(self.host_memory)[hosts] - np.asarray(self.memory_used)[hosts]
        by_memory = np.floor((free + _EPSILON) / memory).astype(np.int64)
        by_count = self.max_per_host - np.asarray(self.count, dtype=np.int64)[hosts]
        up = np.asarray(self.status)[hosts] == HostStatus.UP
        return np.where(up, np.minimum(by_memory, by_count), 0)

    def pool_room(self, pool: int) -> int:
        return self.max_per_cluster - self.pool_count[pool]

    def workload_memory(self, service: ServiceSpec) -> float:
        return float(service.memory_mb + self.params["vm.guest_memory_overhead_mb"])

    def no_room_reason(self, w: int) -> str:
        pool = self.w_pool[w]
        members = [h for h, p in enumerate(self.pool_of) if p == pool]
        up = [h for h in members if self.status[h] == HostStatus.UP]
        if self.pool_count[pool] >= self.max_per_cluster:
            return (
                f"failover cluster {pool + 1} already runs {self.max_per_cluster:,} VMs, its limit"
            )
        return (
            f"no node of failover cluster {pool + 1} ({len(up)} of {len(members)} up) has "
            f"{self.w_memory[w] / 1024:.1f} GB of memory free for the VM"
        )

    # --- bringing a VM up ---------------------------------------------------------------

    def start_on(self, w: int, host: int) -> None:
        self.advance(
            w,
            host,
            Phase.BOOTING,
            EventType.WORKLOAD_BOOTING,
            "guest boot",
            self.boot_s,
            self._booted,
        )

    def _booted(self, w: int, host: int) -> None:
        self.advance(
            w,
            host,
            Phase.STARTING,
            EventType.WORKLOAD_STARTING,
            "app start",
            self.app_start_s,
            self.become_ready,
        )

    # --- failure detection --------------------------------------------------------------

    def on_host_failed(self, host: int) -> None:
        now = self.engine.now
        last = last_tick(self.heartbeat_phase[host] * self.delay, self.delay, now)
        epoch = self.host_epoch[host]
        for k in range(1, self.threshold + 1):
            self.engine.at(last + k * self.delay, Priority.CONTROL, self._missed, host, k, epoch)
        self.span("heartbeat detection", now, max(now, last + self.threshold * self.delay))

    def _missed(self, host: int, k: int, epoch: int) -> None:
        if self.host_epoch[host] != epoch:
            return
        self.log(EventType.HEARTBEAT_MISSED, -1, host, -1, f"{k}/{self.threshold}")
        if k == self.threshold:
            self._remove(host)

    def _remove(self, host: int) -> None:
        self.mark_down(host)
        self.log(
            EventType.NODE_REMOVED, -1, host, HostStatus.DOWN, "removed from cluster membership"
        )
        for w in self.casualties[host]:
            if self.w_phase[w] == Phase.FAILED:
                self.set_phase(w, Phase.PENDING, -1, EventType.WORKLOAD_RESTARTING, "failover")
                self.place(w)

    def on_host_recovered(self, host: int, was: HostStatus) -> None:
        if was == HostStatus.DOWN:
            self.log(EventType.NODE_REJOINED, -1, host, -1, "rejoined the cluster")
            return
        # Back before the cluster noticed: its VMs died with it and restart in place.
        for w in self.casualties[host]:
            if self.w_phase[w] == Phase.FAILED:
                self.occupy(w, host)
                self.start_on(w, host)
