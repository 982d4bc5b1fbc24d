"""The container world: a Kubernetes-style orchestrator.

A crashed node stops posting its status (every ``kubernetes.node_status_update_frequency_s``).
The node lifecycle controller, checking every ``kubernetes.node_monitor_period_s``, marks it
NotReady once ``kubernetes.node_monitor_grace_period_s`` has passed without a post, and taints
it ``node.kubernetes.io/unreachable:NoExecute``.  Pods tolerate that taint for
``kubernetes.default_unreachable_toleration_s``; then they are evicted, and their ReplicaSet
creates replacements at once.  The scheduler binds each to the least-allocated node that fits,
the kubelet pulls the image if the node lacks it, and the container starts.  Pods never move:
a replacement is a new pod.
"""

from __future__ import annotations

import random

import numpy as np
import numpy.typing as npt

from vmc_gui.model.scenario import Scenario, ServiceSpec, World
from vmc_gui.sim.clocks import first_tick_after, last_tick
from vmc_gui.sim.engine import Priority
from vmc_gui.sim.records import EventType, HostStatus, Phase
from vmc_gui.sim.world import Num, WorldSim

_EPSILON = 1e-9
UNREACHABLE_TAINT = "node.kubernetes.io/unreachable:NoExecute"


class KubernetesWorld(WorldSim):
    """Replicas are pods; a failed node's pods are evicted and recreated elsewhere."""

    world = World.CONTAINER
    noun = "pod"

    def __init__(self, scenario: Scenario, rng: random.Random) -> None:
        super().__init__(scenario, rng)
        # Kubelets and the controller tick on their own clocks, not in step; offsets are drawn
        # as fractions of the period so that the draws do not depend on the settings.
        self.update_phase = [rng.random() for _ in self.host_names]
        self.monitor_phase = rng.random()
        self.configure()
        self.images: list[set[str]] = [set() for _ in self.host_names]
        # The kubelet pulls one image at a time (serializeImagePulls); a second pod
        # wanting an image already on its way waits for that same pull.
        self.pull_free_at = [0.0] * len(self.host_names)
        self.pulls: list[dict[str, float]] = [{} for _ in self.host_names]
        self.created_at: dict[int, float] = {}

    def configure(self) -> None:
        p = self.params
        self.update_every = p.seconds("kubernetes.node_status_update_frequency_s")
        self.monitor_every = p.seconds("kubernetes.node_monitor_period_s")
        self.grace = p.seconds("kubernetes.node_monitor_grace_period_s")
        self.toleration = p.seconds("kubernetes.default_unreachable_toleration_s")
        self.start_s = p.seconds("container.start_s")
        self.max_per_node = int(p["kubernetes.max_pods_per_node"])
        self.max_pods = int(p["kubernetes.max_pods"])
        # Seconds per megabyte from the registry: MB * 8 bit / (Gbit/s * 1000).
        self.pull_s_per_mb = 8.0 / (float(p["registry.bandwidth_gbps"]) * 1000.0)
        default_image_mb = float(p["container.image_mb"])
        self.image_mb = [float(s.image_mb or default_image_mb) for s in self.services]
        self.monitor_offset = self.monitor_phase * self.monitor_every

    # --- resources ----------------------------------------------------------------------

    def load_of(self, cpu_used: Num, memory_used: Num, cores: Num, memory: Num) -> Num:
        # The default scheduler's LeastAllocated score: the mean of CPU and memory requested.
        return 0.5 * (cpu_used / cores + memory_used / memory)

    def fits(self, host: int, cpu: float, memory: float) -> bool:
        return (
            self.status[host] == HostStatus.UP
            and self.cpu_used[host] + cpu <= self.host_cores[host] + _EPSILON
            and self.memory_used[host] + memory <= self.host_memory[host] + _EPSILON
            and self.count[host] < self.max_per_node
            and self.pool_count[0] < self.max_pods
        )

    def room(
        self, hosts: npt.NDArray[np.int64], cpu: float, memory: float
    ) -> npt.NDArray[np.int64]:
        free_cpu = np.asarray(self.host_cores)[hosts] - np.asarray(self.cpu_used)[hosts]
        free_mem = np.asarray(self.host_memory)[hosts] - np.asarray(self.memory_used)[hosts]
        by_cpu = np.floor((free_cpu + _EPSILON) / cpu).astype(np.int64)
        by_memory = np.floor((free_mem + _EPSILON) / memory).astype(np.int64)
        by_count = self.max_per_node - np.asarray(self.count, dtype=np.int64)[hosts]
        up = np.asarray(self.status)[hosts] == HostStatus.UP
        return np.where(up, np.minimum(np.minimum(by_cpu, by_memory), by_count), 0)

    def pool_room(self, pool: int) -> int:
        return self.max_pods - self.pool_count[0]

    def workload_memory(self, service: ServiceSpec) -> float:
        return float(service.memory_mb + self.params["container.memory_overhead_mb"])

    def no_room_reason(self, w: int) -> str:
        # Worded like the scheduler's own FailedScheduling message.
        down = cpu = memory = pods = 0
        for h in range(len(self.host_names)):
            if self.status[h] != HostStatus.UP:
                down += 1
            elif self.cpu_used[h] + self.w_cpu[w] > self.host_cores[h] + _EPSILON:
                cpu += 1
            elif self.memory_used[h] + self.w_memory[w] > self.host_memory[h] + _EPSILON:
                memory += 1
            elif self.count[h] >= self.max_per_node:
                pods += 1
        parts = [
            f"{n} {text}"
            for n, text in (
                (down, "node(s) not ready"),
                (cpu, "Insufficient cpu"),
                (memory, "Insufficient memory"),
                (pods, "Too many pods"),
            )
            if n
        ]
        if self.pool_count[0] >= self.max_pods:
            parts.append(f"cluster at its {self.max_pods:,}-pod limit")
        return f"0/{len(self.host_names)} nodes are available: " + ", ".join(parts)

    # --- bringing a pod up --------------------------------------------------------------

    def deployed_on(self, s: int, hosts: list[int]) -> None:
        image = self.services[s].image
        for host in hosts:
            self.images[host].add(image)

    def start_on(self, w: int, host: int) -> None:
        now = self.engine.now
        created = self.created_at.pop(w, now)
        self.span("scheduling", created, now)
        image = self.services[self.w_service[w]].image
        if image in self.images[host]:
            self._start(w, host)
            return
        done = self.pulls[host].get(image)
        if done is None or done < now:
            begin = max(now, self.pull_free_at[host])
            done = begin + self.image_mb[self.w_service[w]] * self.pull_s_per_mb
            self.pull_free_at[host] = done
            self.pulls[host][image] = done
        self.advance(
            w,
            host,
            Phase.PULLING,
            EventType.IMAGE_PULL_STARTED,
            "image pull",
            done - now,
            self._pulled,
            detail=image,
        )

    def _pulled(self, w: int, host: int) -> None:
        self.images[host].add(self.services[self.w_service[w]].image)
        self._start(w, host)

    def _start(self, w: int, host: int) -> None:
        self.advance(
            w,
            host,
            Phase.STARTING,
            EventType.WORKLOAD_STARTING,
            "container start",
            self.start_s,
            self.become_ready,
        )

    # --- node lifecycle -----------------------------------------------------------------

    def on_host_failed(self, host: int) -> None:
        now = self.engine.now
        last = last_tick(self.update_phase[host] * self.update_every, self.update_every, now)
        # The controller acts on its first check strictly after the grace period ran out.
        tick = first_tick_after(
            self.monitor_offset, self.monitor_every, max(last + self.grace, now)
        )
        epoch = self.host_epoch[host]
        k = 1
        while last + k * self.update_every < tick:
            self.engine.at(
                last + k * self.update_every, Priority.CONTROL, self._missed_update, host, k, epoch
            )
            k += 1
        self.engine.at(tick, Priority.CONTROL, self._not_ready, host, epoch)
        self.span("node-monitor grace period", now, tick)

    def _missed_update(self, host: int, k: int, epoch: int) -> None:
        if self.host_epoch[host] == epoch:
            self.log(EventType.STATUS_UPDATE_MISSED, -1, host, -1, f"no status post #{k}")

    def _not_ready(self, host: int, epoch: int) -> None:
        if self.host_epoch[host] != epoch:
            return
        now = self.engine.now
        self.mark_down(host)
        self.log(EventType.NODE_NOT_READY, -1, host, HostStatus.DOWN, "NotReady (Unknown)")
        self.log(EventType.NODE_TAINTED, -1, host, -1, UNREACHABLE_TAINT)
        self.span("unreachable toleration", now, now + self.toleration)
        self.engine.at(now + self.toleration, Priority.CONTROL, self._evict, host, epoch)

    def _evict(self, host: int, epoch: int) -> None:
        if self.host_epoch[host] != epoch:
            return
        now = self.engine.now
        for w in self.casualties[host]:
            if self.w_phase[w] != Phase.FAILED:
                continue
            self.set_phase(w, Phase.STOPPED, host, EventType.POD_EVICTED, "toleration expired")
            replacement = self.create(self.w_service[w])
            self.created_at[replacement] = now
            self.log(
                EventType.WORKLOAD_CREATED,
                replacement,
                -1,
                Phase.PENDING,
                f"replaces {self.w_name[w]}",
            )
            self.place(replacement)

    def on_host_recovered(self, host: int, was: HostStatus) -> None:
        if was == HostStatus.DOWN:
            self.log(EventType.NODE_READY, -1, host, -1, "taint removed")
        # The kubelet restarts the containers it still owns; evicted pods are gone.
        for w in self.casualties[host]:
            if self.w_phase[w] == Phase.FAILED:
                self.occupy(w, host)
                self._start(w, host)
