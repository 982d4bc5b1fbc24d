"""The container world: a Kubernetes-style orchestrator.

A crashed node stops renewing its Lease.  The node lifecycle controller
(:mod:`vmc_gui.sim.policies.node_lifecycle`) marks it NotReady a grace period later and taints
it ``node.kubernetes.io/unreachable:NoExecute`` at its zone's eviction rate, or not at all in a
small zone that is partially disrupted, or anywhere while every zone is down.  The taint
eviction controller deletes each of its pods once the pod's ``tolerationSeconds`` (300 s unless
it sets its own) have passed.  A pod deleted with a grace period stays Terminating, because its
kubelet is down and cannot confirm; with a grace period of 0 it is gone at once.

What replaces it depends on what owns it.  A Deployment's ReplicaSet stops counting a pod being
deleted and creates a new one at once; the scheduler binds it to the least-allocated node that
fits, the kubelet pulls the image if the node lacks it, and the container starts.  Pods never
move.  In the ``container-disk-volume`` world each replica is a StatefulSet pod with its own
ReadWriteOnce disk (an Azure Disk): the StatefulSet recreates the same pod only once the old
object is gone, one at a time in order (OrderedReady), and the new pod waits for its disk to be
detached from the dead node and attached to its own (:mod:`.disk_attachments`).  A pod whose
volume is on its node's disk (a local PersistentVolume) is bound to that node: its replacement
waits for the node.

The administrator's ``node.kubernetes.io/out-of-service`` taint (an ``out_of_service`` event)
evicts every pod of the node at once; the pod garbage collector then force-deletes the
Terminating ones on its next run, and their disks are detached without the 6-minute wait.

Scaling out creates pods that are scheduled, pull the image unless the node has it, and
start.  An OS update rebuilds the image on the new base image and pushes it, then a rolling
update replaces the pods within maxSurge and maxUnavailable.  A hot node sheds pods by
starting replacements elsewhere and stopping the old ones once those are ready: nothing
moves.  In the ``hyperv-container`` world each pod runs in its own utility VM, which boots
before the container starts and costs memory.  (In the disk world, updates and scaling follow
the Deployment's rules: not a StatefulSet's.)
"""

from __future__ import annotations

import math
import random
from typing import Any

import numpy as np
import numpy.typing as npt

from vmc_gui.model.images import image_mb, start_setting
from vmc_gui.model.parameters import Value
from vmc_gui.model.scenario import Scenario, ServiceSpec, Storage, World
from vmc_gui.sim.clocks import first_tick_after
from vmc_gui.sim.engine import Priority
from vmc_gui.sim.policies.descheduler import Descheduler
from vmc_gui.sim.policies.disk_attachments import DiskAttachments
from vmc_gui.sim.policies.node_lifecycle import TAINT_LOOP_S, NodeLifecycle
from vmc_gui.sim.records import CONSUMING, EventType, HostStatus, Phase
from vmc_gui.sim.world import Num, WorldSim

_EPSILON = 1e-9
UNREACHABLE_TAINT = "node.kubernetes.io/unreachable:NoExecute"
OUT_OF_SERVICE_TAINT = "node.kubernetes.io/out-of-service:NoExecute"
#: How often the pod garbage collector runs (pkg/controller/podgc: gcCheckPeriod = 20 s).  It
#: force-deletes Terminating pods on a node that is NotReady and out of service.
POD_GC_PERIOD_S = 20.0


class KubernetesWorld(WorldSim):
    """Replicas are pods; a failed node's pods are evicted and recreated elsewhere."""

    world = World.CONTAINER
    noun = "pod"

    def __init__(self, scenario: Scenario, rng: random.Random, world: World | None = None) -> None:
        super().__init__(scenario, rng, world)
        # Kubelets and the controllers tick on their own clocks, not in step; offsets are drawn
        # as fractions of the period so that the draws do not depend on the settings.
        lease_phase = [rng.random() for _ in self.host_names]
        monitor_phase = rng.random()
        taint_phase = rng.random()
        self.gc_phase = rng.random()
        self.lifecycle = NodeLifecycle(self, lease_phase, monitor_phase, taint_phase)
        #: Each node's out-of-service taint, and each taint's count (an eviction scheduled
        #: under an unreachable taint that was removed since is called off).
        self.oos_taint = [False] * len(self.host_names)
        self.taints = [0] * len(self.host_names)
        self.tainted_at = [0.0] * len(self.host_names)
        #: StatefulSet pods (the disk world): each service's pods in ordinal order, those whose
        #: object is gone and not yet recreated, and those scaled away for good.
        self.stateful = self.world.storage is Storage.DISK
        self.disks = DiskAttachments(self)
        #: When the pod each replacement stands in for was evicted by the descheduler.
        self.evicted_at: dict[int, float] = {}
        self.descheduler = Descheduler(self)
        self.ordinals: dict[int, list[int]] = {s: [] for s in range(len(self.services))}
        self.missing: set[int] = set()
        self.retired: set[int] = set()
        #: ReplicaSet pods whose replacement was already created when their deletion began.
        self.replaced: set[int] = set()
        #: What each pod was admitted with: its toleration of the unreachable taint and its
        #: termination grace period.
        self.w_toleration: list[float] = []
        self.w_grace: list[float] = []
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
        toleration = p.seconds("kubernetes.default_unreachable_toleration_s")
        grace = p.seconds("kubernetes.termination_grace_period_s")
        # A pod's own settings win over the defaults (the admission plugin, the Pod API).
        self.toleration = [
            toleration if s.toleration_s is None else s.toleration_s for s in self.services
        ]
        self.pod_grace = [
            grace if s.termination_grace_period_s is None else s.termination_grace_period_s
            for s in self.services
        ]
        self.lifecycle.reconfigure(p)
        self.disks.configure(p)
        self.descheduler.configure(p)
        # Each service's image: its start, and its pull (the compressed download, then the
        # extraction, at a rate Docker counts in compressed bytes).
        download_s_per_mb = 8.0 * 2**20 / (float(p["registry.bandwidth_gbps"]) * 1e9)
        extract_s_per_mb = 1.0 / float(p["container.extract_mb_s"])  # per compressed MB
        self.start_s = [p.seconds(start_setting(s.image)) for s in self.services]
        self.push_s = [image_mb(s, p) * download_s_per_mb for s in self.services]
        self.pull_s = [
            image_mb(s, p) * (download_s_per_mb + extract_s_per_mb) for s in self.services
        ]
        self.max_per_node = int(p["kubernetes.max_pods_per_node"])
        self.max_pods = int(p["kubernetes.max_pods"])
        self.gc_offset = self.gc_phase * POD_GC_PERIOD_S
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
            and self.lifecycle.ready[host]  # the scheduler waits for the controller's Ready
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
            elif self.status[h] != HostStatus.UP or not self.lifecycle.ready[h]:
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

    def deploy(self) -> None:
        super().deploy()
        if not self.stateful:
            return  # only a StatefulSet keeps its pods in order
        for w, s in enumerate(self.w_service):
            self.ordinals[s].append(w)
            if self.w_phase[w] == Phase.READY:
                self.disks.deployed(w, self.w_host[w])

    def stopped(self, w: int) -> None:
        self.retired.add(w)  # scaled in, or replaced: a StatefulSet does not bring it back
        self.missing.discard(w)

    def active(self, s: int) -> list[int]:
        if not self.stateful:
            return super().active(s)
        # A StatefulSet's replicas are its ordinals: one Terminating, or gone and waiting to
        # be recreated, still counts.
        return [w for w in self.ordinals[s] if w not in self.retired]

    def held_back(self, w: int) -> bool:
        return super().held_back(w) or (w in self.missing and w not in self.retired)

    def create_many(self, s: int, count: int) -> None:
        super().create_many(s, count)
        # Each pod keeps what it was admitted with: a later change of the defaults is for pods
        # created after it.
        self.w_toleration.extend([self.toleration[s]] * count)
        self.w_grace.extend([self.pod_grace[s]] * count)

    def create(self, s: int, pool: int = 0) -> int:
        w = super().create(s, pool)
        self.w_toleration.append(self.toleration[s])
        self.w_grace.append(self.pod_grace[s])
        return w

    def zones(self) -> dict[str, Any]:
        lifecycle = self.lifecycle
        return {
            "zone_names": list(lifecycle.zone_names),
            "host_zone": list(lifecycle.host_zone),
            "zone_changes": list(lifecycle.changes),
        }

    def created(self, w: int) -> None:
        if self.stateful:
            self.ordinals[self.w_service[w]].append(w)
        self.created_at[w] = self.engine.now
        s = self.w_service[w]
        if s in self.rollouts:  # while a rollout is open, new pods are the new version
            image, _, new = self.rollouts[s]
            self.pod_image[w] = image
            new.append(w)

    def image_of(self, w: int) -> str:
        return self.pod_image.get(w) or self.service_image[self.w_service[w]]

    def scale_in_order(self, w: int) -> tuple[int, ...]:
        # Pods not serving go first (a StatefulSet's gone or Terminating ones before all); of
        # those serving, during a rollout, the old version (its ReplicaSet is being retired);
        # then the newest.
        rollout = self.rollouts.get(self.w_service[w])
        is_new = rollout is not None and w in rollout[2]
        phase = self.w_phase[w]
        gone = w in self.missing or phase == Phase.TERMINATING
        return (not gone, phase == Phase.READY, is_new, -w)

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
        if self.stateful and not self.disks.ready_on(w, host):
            return  # disk_attached goes on once its disk is here
        self._pull_then_start(w, host)

    def _pull_then_start(self, w: int, host: int) -> None:
        now = self.engine.now
        image = self.image_of(w)
        if image in self.images[host]:
            self._start(w, host)
            return
        done = self.pulls[host].get(image)
        if done is None or done < now:
            begin = max(now, self.pull_free_at[host])
            done = begin + self.pull_s[self.w_service[w]]
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
            self.start_s[self.w_service[w]],
            self.become_ready,
        )

    # --- nodes: what the node lifecycle controller decides, and what follows ---------------

    def on_host_failed(self, host: int) -> None:
        if self.lifecycle.ready[host]:
            self.lifecycle.host_failed(host)
            return
        # Back and failed again before the controller saw it Ready: it is still NotReady
        # (and tainted, if it was); a taint still on evicts the pods when their time comes.
        tainted = self.lifecycle.tainted[host]
        self._set_status(
            host,
            HostStatus.TAINTED if tainted else HostStatus.DOWN,
            EventType.NODE_NOT_READY,
            "still NotReady: the controller had not seen it back",
        )
        self.lifecycle.host_failed_again(host)

    def lease_missed(self, host: int, k: int, epoch: int) -> None:
        if self.host_epoch[host] == epoch:
            self.log(EventType.LEASE_NOT_RENEWED, -1, host, -1, f"lease not renewed #{k}")

    def _set_status(self, host: int, status: HostStatus, kind: EventType, detail: str) -> None:
        # The administrator's out-of-service taint outranks what the controller decides, and a
        # cordon stays until the user lifts it.
        if self.oos_taint[host] and status != HostStatus.UP:
            status = HostStatus.OUT_OF_SERVICE
        if status == HostStatus.UP and self.cordoned[host]:
            status = HostStatus.DRAINING
        self.status[host] = status
        self.status_changes += 1
        self.log(kind, -1, host, status, detail)

    def node_not_ready(self, host: int) -> None:
        """The controller marked ``host`` NotReady and queued it for the unreachable taint."""
        self.span("node-monitor grace period", self.failed_at[host], self.engine.now)
        self._set_status(
            host,
            HostStatus.DOWN,
            EventType.NODE_NOT_READY,
            "NotReady (Unknown): queued for the unreachable taint",
        )

    def node_waits(self, host: int, reason: str) -> None:
        """``host`` is NotReady but not tainted, so its pods are not evicted: why."""
        for w in self.casualties[host]:
            if self.w_phase[w] == Phase.FAILED:
                self.stalled[w] = reason

    def node_tainted(self, host: int, not_ready_since: float) -> None:
        """The controller tainted ``host`` unreachable: the taint eviction controller deletes
        each pod once its toleration has passed (at once for a pod with none)."""
        now = self.engine.now
        if now - not_ready_since > TAINT_LOOP_S + _EPSILON:  # held back by the rate limit
            self.span("taint queue (eviction rate limit)", not_ready_since, now)
        self.tainted_at[host] = now
        self._set_status(host, HostStatus.TAINTED, EventType.NODE_TAINTED, UNREACHABLE_TAINT)
        groups: dict[float, list[int]] = {}
        for w in self.casualties[host]:
            if self.w_phase[w] == Phase.FAILED:
                self.stalled.pop(w, None)
                groups.setdefault(self.w_toleration[w], []).append(w)
        for toleration, pods in groups.items():
            self.engine.at(
                now + toleration, Priority.CONTROL, self._evict, host, self.taints[host], pods, now
            )

    def node_untainted(self, host: int) -> None:
        """The unreachable taint was removed: the evictions it scheduled are called off."""
        self.taints[host] += 1
        status = HostStatus.UP if self.alive[host] else HostStatus.DOWN
        self._set_status(host, status, EventType.NODE_UNTAINTED, "unreachable taint removed")

    def node_ready(self, host: int) -> None:
        """The controller saw ``host``'s lease again: Ready, schedulable."""
        self._set_status(host, HostStatus.UP, EventType.NODE_READY, "Ready")
        if self.status[host] == HostStatus.UP:
            self.placer.freed(host)
            self.retry_pending()

    def _evict(self, host: int, taint: int, pods: list[int], tainted_at: float) -> None:
        if self.taints[host] != taint:
            return  # the taint was removed since
        # Any pod still on the tainted node goes, running or not (its node may be back but not
        # yet seen Ready: the taint is still on).
        due = [
            w
            for w in pods
            if self.w_host[w] == host
            and (self.w_phase[w] == Phase.FAILED or self.w_phase[w] in CONSUMING)
        ]
        if due:
            self.span("unreachable toleration", tainted_at, self.engine.now)
        for w in due:
            self._delete(w, "evicted: its toleration of the unreachable taint ran out")

    # --- pods being deleted, and what replaces them -----------------------------------------

    def _delete(self, w: int, why: str) -> None:
        """Delete pod ``w``.  Its dead kubelet cannot honour a grace period, so the object
        stays Terminating; with none it is gone at once."""
        host = self.w_host[w]
        grace = self.w_grace[w]
        if grace <= 0 or self.alive[host]:
            self._gone(w, why if grace > 0 else f"{why}; gone at once (grace period 0)")
            return
        self.set_phase(
            w,
            Phase.TERMINATING,
            host,
            EventType.POD_EVICTED,
            f"{why}; Terminating: its kubelet is down and cannot confirm the {grace:g} s grace "
            "period",
        )
        if self.stateful:
            self.stalled[w] = (
                f"{self.w_name[w]} stays Terminating on {self.host_names[host]}: its kubelet is "
                "down and cannot confirm the deletion, so the StatefulSet creates no "
                "replacement and its disk stays attached (a grace period of 0, or the "
                "out-of-service taint, frees it)"
            )
            self._reconcile_stateful(self.w_service[w])
        else:
            self.replaced.add(w)
            self._recreate(w)  # a ReplicaSet no longer counts a pod being deleted

    def _gone(self, w: int, why: str, kind: EventType = EventType.POD_EVICTED) -> None:
        """Pod ``w``'s object is gone; its owner replaces it."""
        self.stalled.pop(w, None)
        self.set_phase(w, Phase.STOPPED, self.w_host[w], kind, why)
        self.release(w)
        if self.stateful:
            self.missing.add(w)
            self.disks.pod_gone(w)
            self._reconcile_stateful(self.w_service[w])
        elif w in self.replaced:
            self.replaced.discard(w)  # replaced when its deletion began
        else:
            self._recreate(w)

    def evict(self, w: int, why: str) -> None:
        """The Eviction API deletes pod ``w`` (its kubelet stops it); its owner replaces it,
        and the lesson counts how long the replacement takes to serve."""
        created = len(self.w_name)
        self._gone(w, why)
        for replacement in range(created, len(self.w_name)):
            self.evicted_at[replacement] = self.engine.now

    def _recreate(self, old: int) -> None:
        """The ReplicaSet's answer to a pod being deleted: a new one, placed by the scheduler."""
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

    def _reconcile_stateful(self, s: int) -> None:
        """The StatefulSet controller (OrderedReady): in ordinal order, recreate the first pod
        that is missing, unless an earlier one is not Running and Ready; one at a time."""
        blocker = -1
        for w in self.ordinals[s]:
            if w in self.retired:
                continue
            if w in self.missing:
                if blocker >= 0:
                    self.stalled[w] = (
                        f"{self.w_name[w]} waits for {self.w_name[blocker]}: the StatefulSet "
                        "(OrderedReady) recreates its pods one at a time, in order"
                    )
                    continue
                self.missing.discard(w)
                self.stalled.pop(w, None)
                self.created_at[w] = self.engine.now
                self.w_toleration[w] = self.toleration[s]  # a new pod object, admitted now
                self.w_grace[w] = self.pod_grace[s]
                self.set_phase(
                    w,
                    Phase.PENDING,
                    -1,
                    EventType.WORKLOAD_CREATED,
                    "recreated by its StatefulSet: the same name, the same disk",
                )
                self.place(w)
                blocker = w
            elif blocker < 0 and self.w_phase[w] != Phase.READY:
                blocker = w

    def disk_attached(self, w: int, host: int) -> None:
        """Its disk is attached where it was scheduled: on to the image and the start."""
        self.log(EventType.VOLUME_ATTACHED, w, host, -1, "disk attached")
        self._pull_then_start(w, host)

    # --- the administrator's out-of-service taint -------------------------------------------

    def out_of_service(self, host: int) -> None:
        """KEP-2268: the node is confirmed down.  No pod tolerates the taint, so every pod
        is evicted at once; the pod garbage collector force-deletes the Terminating ones once
        the node is NotReady; their disks are detached without the 6-minute wait."""
        if self.oos_taint[host]:
            return
        self.oos_taint[host] = True
        running = " (it is running: the docs ask for a node that is shut down)"
        self._set_status(
            host,
            HostStatus.OUT_OF_SERVICE,
            EventType.NODE_OUT_OF_SERVICE,
            OUT_OF_SERVICE_TAINT + (running if self.alive[host] else ""),
        )
        if self.lifecycle.tainted[host]:  # their tolerations were counting: cut short
            self.span("unreachable toleration", self.tainted_at[host], self.engine.now)
        pods = self.casualties[host] if not self.alive[host] else list(self.on_host[host])
        for w in pods:
            if self.w_phase[w] in (Phase.FAILED, *CONSUMING) and self.w_host[w] == host:
                self._delete(w, "evicted: out-of-service taint")
        self.disks.node_out_of_service(host)
        now = self.engine.now
        when = first_tick_after(self.gc_offset, POD_GC_PERIOD_S, now)
        self.engine.at(when, Priority.CONTROL, self._collect, host, now)

    def recover_running(self, host: int) -> None:
        """``host_recover`` on a running node: the administrator lifts its out-of-service
        taint, as the docs ask once the node is healthy."""
        if not self.oos_taint[host]:
            return
        self.oos_taint[host] = False
        ready = self.lifecycle.ready[host]
        status = HostStatus.UP if ready else HostStatus.DOWN
        self._set_status(host, status, EventType.NODE_READY, "out-of-service taint removed")
        if self.status[host] == HostStatus.UP:
            self.placer.freed(host)
            self.retry_pending()

    def _collect(self, host: int, since: float) -> None:
        """The pod garbage collector: Terminating pods on a NotReady, out-of-service node are
        force-deleted; on a node not yet NotReady it tries again next run."""
        if not self.oos_taint[host]:
            return
        terminating = [
            w
            for w in self.casualties[host]
            if self.w_phase[w] == Phase.TERMINATING and self.w_host[w] == host
        ]
        if not terminating:
            return
        now = self.engine.now
        if self.lifecycle.ready[host]:
            when = first_tick_after(self.gc_offset, POD_GC_PERIOD_S, now)
            self.engine.at(when, Priority.CONTROL, self._collect, host, since)
            return
        self.span("pod garbage collection", since, now)
        for w in terminating:
            self._gone(
                w,
                "force-deleted by the pod garbage collector (out-of-service taint)",
                EventType.POD_DELETED,
            )

    # --- a node back --------------------------------------------------------------------

    def may_rejoin(self, host: int, was: HostStatus) -> bool:
        # The kubelet is back at once: it confirms the deletions it owed, restarts the
        # containers of the pods still bound here, and unmounts what no pod wants.  The
        # administrator lifts the out-of-service taint, as the docs ask.  New pods land here
        # only once the controller has seen the lease again (``fits`` asks it).
        self.oos_taint[host] = False
        for w in self.casualties[host]:
            if self.w_phase[w] == Phase.TERMINATING and self.w_host[w] == host:
                self._gone(w, "its kubelet confirmed the deletion", EventType.POD_DELETED)
            elif self.w_phase[w] == Phase.FAILED and self.w_host[w] == host:
                self.occupy(w, host)
                # A StatefulSet pod that was waiting for its disk keeps waiting for it.
                if not self.stateful or self.disks.ready_on(w, host):
                    self._start(w, host)
        if self.stateful:
            self.disks.node_back(host)
        self.lifecycle.host_back(host)
        return True

    def on_host_recovered(self, host: int, was: HostStatus) -> None:
        """Back before the controller noticed: nothing more to do (see may_rejoin)."""

    # --- OS updates: rebuild the image, push it, roll it out ----------------------------

    def update(self, s: int) -> None:
        now = self.engine.now
        service = self.services[s]
        image = f"{service.image}:patched-{int(now)}"
        # The rebuilt image goes up the same link it comes down (no extraction on the way up).
        push_s = self.push_s[s]
        self.log(EventType.IMAGE_BUILD_STARTED, value=s, detail=image)
        self.metrics["images_built"] = self.metrics.get("images_built", 0) + 1
        self.span("image build", now, now + self.build_s)
        self.span("image push", now + self.build_s, now + self.build_s + push_s)
        self.engine.at(now + self.build_s + push_s, Priority.CONTROL, self._pushed, s, image)

    def _pushed(self, s: int, image: str) -> None:
        self.log(EventType.IMAGE_PUSHED, value=s, detail=image)
        # Pods of the old version waiting to be recreated are replaced by the new version's.
        for w in [w for w in self.missing if self.w_service[w] == s]:
            self.missing.discard(w)
            self.retired.add(w)
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
        evicted = self.evicted_at.pop(w, None)
        if evicted is not None:
            gap = self.engine.now - evicted
            self.metrics["eviction_gap_s"] = self.metrics.get("eviction_gap_s", 0.0) + gap
        s = self.w_service[w]
        if self.stateful:
            self._reconcile_stateful(s)  # the next pod in order may be recreated
        if s in self.rollouts and w in self.rollouts[s][2]:
            self.instance_patched(s)
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
            self._gone(old, "drained")

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
