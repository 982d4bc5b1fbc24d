"""The container world: a Kubernetes-style orchestrator.

A crashed node stops posting its status (every ``kubernetes.node_status_update_frequency_s``).
The node lifecycle controller, checking every ``kubernetes.node_monitor_period_s``, marks it
NotReady once ``kubernetes.node_monitor_grace_period_s`` has passed without a post, and taints
it ``node.kubernetes.io/unreachable:NoExecute``.  Pods tolerate that taint for
``kubernetes.default_unreachable_toleration_s``; then they are evicted, and their ReplicaSet
creates replacements at once.  The scheduler binds each to the least-allocated node that fits,
the kubelet pulls the image if the node lacks it, and the container starts.  Pods never move:
a replacement is a new pod.  A pod whose volume is on its node's disk is bound to that node:
its replacement waits for the node.

Scaling out creates pods that are scheduled, pull the image unless the node has it, and
start.  An OS update rebuilds the image on the new base image and pushes it, then a rolling
update replaces the pods within maxSurge and maxUnavailable.  A hot node sheds pods by
starting replacements elsewhere and stopping the old ones once those are ready: nothing
moves.  In the ``hyperv-container`` world each pod runs in its own utility VM, which boots
before the container starts and costs memory.
"""

from __future__ import annotations

import math
import random

import numpy as np
import numpy.typing as npt

from vmc_gui.model.parameters import Value
from vmc_gui.model.scenario import Scenario, ServiceSpec, World
from vmc_gui.sim.clocks import first_tick_after, last_tick
from vmc_gui.sim.engine import Priority
from vmc_gui.sim.records import CONSUMING, EventType, HostStatus, Phase
from vmc_gui.sim.world import Num, WorldSim

_EPSILON = 1e-9
UNREACHABLE_TAINT = "node.kubernetes.io/unreachable:NoExecute"


class KubernetesWorld(WorldSim):
    """Replicas are pods; a failed node's pods are evicted and recreated elsewhere."""

    world = World.CONTAINER
    noun = "pod"

    def __init__(self, scenario: Scenario, rng: random.Random, world: World | None = None) -> None:
        super().__init__(scenario, rng, world)
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
        #: The image a pod runs when it is not its service's (a rolled-out update).
        self.pod_image: dict[int, str] = {}
        #: Per service being rolled out: the new image, old pods and new pods.
        self.rollouts: dict[int, tuple[str, list[int], list[int]]] = {}
        #: Replacement pod -> the pod it replaces on a hot node.
        self.replacing: dict[int, int] = {}
        #: The image each service's new pods run: its own, until an update rolls out another.
        self.service_image = [s.image for s in self.services]

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
        self.utility_vm = self.world is World.HYPERV_CONTAINER
        self.utility_vm_boot_s = p.seconds("hyperv_isolation.utility_vm_boot_s")
        self.build_s = p.seconds("container.image_build_s")
        self.surge_percent = int(p["kubernetes.max_surge_percent"])
        self.unavailable_percent = int(p["kubernetes.max_unavailable_percent"])

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
        return float(service.memory_mb + self.instance_overhead_mb())

    def instance_overhead_mb(self) -> float:
        overhead = float(self.params["container.memory_overhead_mb"])
        if self.world is World.HYPERV_CONTAINER:
            overhead += float(self.params["hyperv_isolation.utility_vm_memory_mb"])
        return overhead

    def limit_on(self, host: int, cpu: float, memory: float) -> str | None:
        if self.pool_count[0] >= self.max_pods:
            return "pods per cluster"
        if self.count[host] >= self.max_per_node:
            return "pods per node"
        if self.memory_used[host] + memory > self.host_memory[host] + _EPSILON:
            return "memory"
        if self.cpu_used[host] + cpu > self.host_cores[host] + _EPSILON:
            return "cpu"
        return None

    def pinned_reason(self, w: int) -> str:
        host = self.host_names[self.w_pin[w]]
        return (
            f"0/{len(self.host_names)} nodes are available: volume node affinity conflict "
            f"(its volume is on {host}'s disk)"
        )

    def no_room_reason(self, w: int) -> str:
        # Worded like the scheduler's own FailedScheduling message.
        down = cordoned = cpu = memory = pods = 0
        for h in range(len(self.host_names)):
            if self.status[h] == HostStatus.DRAINING:
                cordoned += 1
            elif self.status[h] != HostStatus.UP:
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
                (cordoned, "node(s) were unschedulable"),
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

    def created(self, w: int) -> None:
        self.created_at[w] = self.engine.now
        s = self.w_service[w]
        if s in self.rollouts:  # while a rollout is open, new pods are the new version
            image, _, new = self.rollouts[s]
            self.pod_image[w] = image
            new.append(w)

    def image_of(self, w: int) -> str:
        return self.pod_image.get(w) or self.service_image[self.w_service[w]]

    def scale_in_order(self, w: int) -> tuple[int, ...]:
        # Pods not serving go first; of those serving, during a rollout, the old version (its
        # ReplicaSet is being retired); then the newest.
        rollout = self.rollouts.get(self.w_service[w])
        is_new = rollout is not None and w in rollout[2]
        return (self.w_phase[w] == Phase.READY, is_new, -w)

    def scaled(self, s: int) -> None:
        if s in self.rollouts:
            self._reconcile(s)

    def change_setting(self, name: str, value: Value) -> None:
        super().change_setting(name, value)
        for s in list(self.rollouts):  # a changed strategy re-runs every open rollout
            if s in self.rollouts:
                self._reconcile(s)

    def start_on(self, w: int, host: int) -> None:
        now = self.engine.now
        created = self.created_at.pop(w, now)
        self.span("scheduling", created, now)
        image = self.image_of(w)
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
        self.images[host].add(self.image_of(w))
        self._start(w, host)

    def _start(self, w: int, host: int) -> None:
        if self.utility_vm:
            self.advance(
                w,
                host,
                Phase.BOOTING,
                EventType.WORKLOAD_BOOTING,
                "utility VM boot",
                self.utility_vm_boot_s,
                self._start_container,
            )
            return
        self._start_container(w, host)

    def _start_container(self, w: int, host: int) -> None:
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
        for w in self.casualties[host]:
            if self.w_phase[w] == Phase.FAILED:
                self.set_phase(w, Phase.STOPPED, host, EventType.POD_EVICTED, "toleration expired")
                self._recreate(w)

    def _recreate(self, old: int) -> None:
        """The ReplicaSet's answer to an evicted pod: a new one, placed by the scheduler."""
        if old in self.replacing.values():
            # Already being replaced (it was on a hot node): its replacement stands in.
            self.replacing = {new: was for new, was in self.replacing.items() if was != old}
            return
        replacement = self.create(self.w_service[old])
        self.created_at[replacement] = self.engine.now
        # A volume on the node's own disk goes with the claim: the new pod is bound to it.
        self.w_pin[replacement] = self.w_pin[old]
        # The replacement comes from the same ReplicaSet: same image, same side of a rollout.
        if old in self.pod_image:
            self.pod_image[replacement] = self.pod_image[old]
        for _, old_side, new_side in self.rollouts.values():
            for side in (old_side, new_side):
                if old in side:
                    side.append(replacement)
        if old in self.replacing:  # a rebalance's replacement, replaced in turn
            self.replacing[replacement] = self.replacing.pop(old)
        self.log(
            EventType.WORKLOAD_CREATED,
            replacement,
            -1,
            Phase.PENDING,
            f"replaces {self.w_name[old]}",
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

    # --- OS updates: rebuild the image, push it, roll it out ----------------------------

    def update(self, s: int) -> None:
        now = self.engine.now
        service = self.services[s]
        image = f"{service.image}:patched-{int(now)}"
        push_s = self.image_mb[s] * self.pull_s_per_mb
        self.log(EventType.IMAGE_BUILD_STARTED, value=s, detail=image)
        self.span("image build", now, now + self.build_s)
        self.span("image push", now + self.build_s, now + self.build_s + push_s)
        self.engine.at(now + self.build_s + push_s, Priority.CONTROL, self._pushed, s, image)

    def _pushed(self, s: int, image: str) -> None:
        self.log(EventType.IMAGE_PUSHED, value=s, detail=image)
        self.rollouts[s] = (image, self.active(s), [])
        self._reconcile(s)

    def rollout_bounds(self, replicas: int) -> tuple[int, int]:
        """(max surge, max unavailable) as pods: surge rounds up, unavailable down."""
        surge = math.ceil(replicas * self.surge_percent / 100)
        unavailable = replicas * self.unavailable_percent // 100
        # Kubernetes refuses both at zero; a rollout must be allowed one step somehow.
        return surge, (1 if surge == 0 and unavailable == 0 else unavailable)

    def _reconcile(self, s: int) -> None:
        """The Deployment controller's rolling update, repeated until it has nothing to do."""
        image, old, new = self.rollouts[s]
        replicas = self.desired[s]
        surge, unavailable = self.rollout_bounds(replicas)
        ready = Phase.READY
        while True:
            old_alive = [w for w in old if self.w_phase[w] != Phase.STOPPED]
            new_alive = [w for w in new if self.w_phase[w] != Phase.STOPPED]
            if not old_alive and sum(self.w_phase[w] == ready for w in new_alive) >= replicas:
                del self.rollouts[s]
                self.service_image[s] = image
                self.finish_update(s)
                return
            # Scale the new ReplicaSet up within the surge...
            add = min(replicas - len(new_alive), replicas + surge - len(old_alive) - len(new_alive))
            for _ in range(max(0, add)):
                w = self.create(s)
                self.created(w)  # joins the new ReplicaSet
                self.log(EventType.WORKLOAD_CREATED, w, -1, Phase.PENDING, image)
                self.place(w)
            # ...and the old one down: unready pods first, then as many as availability allows.
            unready = [w for w in old_alive if self.w_phase[w] != ready]
            available = sum(self.w_phase[w] == ready for w in (*old_alive, *new_alive))
            spare = max(0, available - (replicas - unavailable))
            old_ready = [w for w in old_alive if self.w_phase[w] == ready]
            doomed = unready + old_ready[::-1][:spare]
            for w in doomed:
                self.stop(w, "replaced by the rolling update")
            if add <= 0 and not doomed:
                return

    def become_ready(self, w: int, host: int) -> None:
        super().become_ready(w, host)
        s = self.w_service[w]
        if s in self.rollouts and w in self.rollouts[s][2]:
            self._reconcile(s)
        old = self.replacing.pop(w, None)
        if old is not None and self.w_phase[old] != Phase.STOPPED:
            self.stop(old, f"replaced by {self.w_name[w]} (rebalance)")
            self.metrics["replaced"] += 1

    # --- a drained node: cordon, evict, and the ReplicaSets replace ----------------------

    def drain(self, host: int) -> None:
        # kubectl drain: the node is cordoned and its pods evicted; each ReplicaSet creates a
        # replacement, which the scheduler places on another node.
        for old in [w for w in self.on_host[host] if self.w_phase[w] in CONSUMING]:
            self.set_phase(old, Phase.STOPPED, host, EventType.POD_EVICTED, "drained")
            self.release(old)
            self._recreate(old)

    # --- a hot node: start replacements elsewhere, then stop the old pods ---------------

    def rebalance(self, host: int, count: int) -> None:
        pods = [w for w in self.on_host[host] if self.w_phase[w] == Phase.READY][:count]
        self.metrics.setdefault("replaced", 0)
        self.metrics.update(moved=0, blackout_ms=0.0, state_kept=False)
        for old in pods:
            w = self.create(self.w_service[old])
            self.created(w)
            self.replacing[w] = old
            self.log(
                EventType.WORKLOAD_CREATED, w, -1, Phase.PENDING, f"replaces {self.w_name[old]}"
            )
            if not self.place(w, avoid=host):
                # No other node has room: the old pod stays where it is.
                del self.replacing[w]
                self.stop(w, "no other node has room; the old pod stays")
