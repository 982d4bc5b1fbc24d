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

A node's own taints (an imported node's, issue 21; :mod:`.node_taints`) keep off it every pod
that does not tolerate its NoSchedule and NoExecute ones, whenever the scheduler binds one (at
the start, after a failure, a scale-out, a rolling update, a descheduler's eviction); a pod on
it that does not tolerate a NoExecute one is evicted at once, or when its toleration's
``tolerationSeconds`` run out.

A service is a Deployment unless its ``kind`` says ``statefulset`` (every service of the disk
world is a StatefulSet, as before); only the disk world gives its pods disks.

**In a network partition** (issue 19; the rules, their sources and verdicts are in
docs/research/issue-19-kubernetes-partitions.md, cited here by number).  The control plane is
stacked, as kubeadm's HA topology has it (Q6): ``kubernetes.etcd_members`` members, member *i*
on rack *i*'s switch and those beyond the racks on the core, each beside an API server, a
controller manager and a scheduler.  The part of the network holding a majority of the
members, ⌊n/2⌋+1 (Q1, Q2), has the working control plane; a node is *heard* when it runs and
reaches that part.

- A node not heard, but alive, is cut off: its kubelet keeps its pods running, for as long as
  the cut lasts (K1, K2; K3 is an assumption: no source gives a limit).  The controller cannot
  tell it from a crash: NotReady after the grace period (N1-N3), and from then its pods are no
  longer Service endpoints (E1-E3); tainted at its zone's rate (N4, N7-N9, racks as zones
  N10); each pod deleted when its toleration runs out (N5, N6).  The kubelet cannot confirm,
  so a pod deleted with a grace period stays Terminating and runs on.
- A Deployment's ReplicaSet replaces it at once: two copies, the old one out of reach (D1-D3).
  A StatefulSet does not: at most one pod per identity until the node is heard again (S1,
  S2), unless the administrator's out-of-service taint has it force-deleted (S3) or its
  grace period is 0, so the object goes at once (S4): then its replacement runs beside the
  old copy, which the log says.
- When the node is heard again, its kubelet relists its pods (K5) and stops each one deleted
  meanwhile at the end of its grace period (K4; K6 is an assumption, the upper bound): that
  ends the duplicates.  Its lease makes it Ready at the next pass, its pods endpoints again.
- No part holding a majority freezes the control plane (Q3, Q4): nothing is marked NotReady,
  tainted, evicted, scheduled or recreated, and every kubelet keeps its pods.  At the thaw a
  new leader has no history: every node it does not hear gets a full grace period (Q5), and
  the taint eviction controller counts each toleration again from the thaw (inferred from
  N6: its clock starts when it handles the taint).  Not modelled: the leader election's
  delays (about 10 s before the leadership lapses, Q4, and before a new leader starts), and a
  kubelet's seconds of reconnecting.
- Assumptions: the scheduler binds no pod to a node it does not hear (a pod bound to a node
  cut off but not yet NotReady would wait there until the heal); a node powered on while cut
  off runs none of its pods until its kubelet reaches the API server (it has no list of them);
  the administrator lifts an out-of-service taint once the node is heard again, as after a
  crash, and cannot apply one while etcd has no quorum.  Simplified: a drain, a rolling
  update, a scale-in or the descheduler stop a cut-off node's pods at once, as on a node
  heard (no partition scenario uses them).

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
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from vmc_gui.model.cluster import etcd_member
from vmc_gui.model.images import image_mb, start_setting
from vmc_gui.model.parameters import Value
from vmc_gui.model.reachability import Reach, largest_share, majority
from vmc_gui.model.scenario import Scenario, ServiceKind, ServiceSpec, Storage, World
from vmc_gui.sim.clocks import first_tick_after
from vmc_gui.sim.engine import Priority
from vmc_gui.sim.partition_decisions import CONTROL_PLANE, PartitionDecision
from vmc_gui.sim.placement import HostGroups
from vmc_gui.sim.policies.descheduler import Descheduler
from vmc_gui.sim.policies.disk_attachments import DiskAttachments
from vmc_gui.sim.policies.node_lifecycle import TAINT_LOOP_S, NodeLifecycle
from vmc_gui.sim.policies.node_taints import (
    UNSCHEDULABLE,
    UNSCHEDULABLE_REASON,
    TaintManager,
    host_groups,
    node_taints,
    refusal,
)
from vmc_gui.sim.records import CONSUMING, EventType, HostStatus, Phase
from vmc_gui.sim.world import Num, WorldSim, gather

_EPSILON = 1e-9
# Enum members an eviction or a pod's start reads for each pod, read once (an enum class's
# attribute is slow on Python 3.11: see vmc_gui/sim/world.py).
_UP = HostStatus.UP
_PENDING = Phase.PENDING
_PULLING = Phase.PULLING
_BOOTING = Phase.BOOTING
_STARTING = Phase.STARTING
_FAILED = Phase.FAILED
_TERMINATING = Phase.TERMINATING
_STOPPED = Phase.STOPPED
_PULL_STARTED = EventType.IMAGE_PULL_STARTED
_BOOTING_EVENT = EventType.WORKLOAD_BOOTING
_STARTING_EVENT = EventType.WORKLOAD_STARTING
_CREATED = EventType.WORKLOAD_CREATED
_EVICTED = EventType.POD_EVICTED
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
        #: The taint eviction controller for the nodes' own NoExecute taints (``node_taints``
        #: was read by ``host_groups``, as the world was built).
        self.taint_manager = TaintManager(self)
        #: Each node's out-of-service taint, and each taint's count (an eviction scheduled
        #: under an unreachable taint that was removed since is called off).
        self.oos_taint = [False] * len(self.host_names)
        self.taints = [0] * len(self.host_names)
        self.tainted_at = [0.0] * len(self.host_names)
        #: Which services are StatefulSets (their kind, or every service of the disk world;
        #: only there do pods have disks): each one's pods in ordinal order, those whose
        #: object is gone and not yet recreated, and those scaled away for good.
        self.disk_world = self.world.storage is Storage.DISK
        self.stateful_service = [
            self.disk_world or s.kind is ServiceKind.STATEFULSET for s in self.services
        ]
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
        # --- the network (issue 19): who the control plane hears -------------------------
        n = len(self.host_names)
        #: Whether each host reaches the part holding etcd's majority (none while frozen).
        self.cp_reach = [True] * n
        #: Whether each live node's kubelet was last in touch with the control plane: a cut
        #: and a heal are told from this.
        self.kubelet_heard = [True] * n
        #: When the controller last heard each node (its cut, or its crash if it was heard).
        self.unheard_at = [0.0] * n
        #: Whether etcd has no quorum, and since when.
        self.frozen = False
        self.frozen_at = 0.0
        #: Nodes powered on while cut off: their kubelet starts their pods once it is heard.
        self.kubelet_pending: set[int] = set()
        #: Pods deleted in the API while their process ran on a cut-off node: pod -> (node,
        #: grace period, registration).  The kubelet stops them once it hears (K4, K6).
        self.running_deleted: dict[int, tuple[int, float, int]] = {}
        self._registrations = 0
        #: What the controller manager does only once etcd has its quorum again.
        self._on_thaw: list[tuple[Callable[..., None], tuple[Any, ...]]] = []
        if self.has_network_events:
            # Before any cut every member reaches every other and every host: the views'
            # answer until the network first changes where the control plane is.
            members = self.etcd_members()
            self._plane_decided(members, frozenset(self.host_names))

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
        # Each node's own allocatable pods where the cluster gives it (an imported node's
        # status.allocatable.pods, which the kubelet's --max-pods already set), else the
        # setting for every node.
        spec = self.scenario.cluster
        self.pods_on = [
            self.max_per_node if host.pods is None else host.pods for host in spec.hosts
        ] or [self.max_per_node] * spec.host_count
        self.max_pods = int(p["kubernetes.max_pods"])
        self.gc_offset = self.gc_phase * POD_GC_PERIOD_S
        self.utility_vm = self.world is World.HYPERV_CONTAINER
        self.utility_vm_boot_s = p.seconds("hyperv_isolation.utility_vm_boot_s")
        self.build_s = p.seconds("container.image_build_s")
        self.surge_percent = int(p["kubernetes.max_surge_percent"])
        self.unavailable_percent = int(p["kubernetes.max_unavailable_percent"])

    # --- resources ----------------------------------------------------------------------

    def host_groups(self) -> HostGroups:
        # The nodes' own taints (issue 21), read here because WorldSim's constructor asks for
        # the groups before this class's goes on: the scheduler's TaintToleration filter keeps
        # a pod off a node with a NoSchedule or NoExecute taint it does not tolerate.
        # PreferNoSchedule only scores, and changes nothing here (see node_taints).
        self.node_taints = node_taints(self.scenario.cluster)
        return host_groups(self.node_taints, self.services)

    def load_of(self, cpu_used: Num, memory_used: Num, cores: Num, memory: Num) -> Num:
        # The default scheduler's LeastAllocated score: the mean of CPU and memory requested.
        return 0.5 * (cpu_used / cores + memory_used / memory)

    def fits(self, host: int, cpu: float, memory: float) -> bool:
        return (
            self.status[host] == _UP
            and self.lifecycle.ready[host]  # the scheduler waits for the controller's Ready
            and self.cp_reach[host]  # and binds nothing while frozen, or to a node cut off
            and self.cpu_used[host] + cpu <= self.host_cores[host] + _EPSILON
            and self.memory_used[host] + memory <= self.host_memory[host] + _EPSILON
            and self.count[host] < self.pods_on[host]
            and self.pool_count[0] < self.max_pods
        )

    def room(
        self, hosts: npt.NDArray[np.int64], cpu: float, memory: float
    ) -> npt.NDArray[np.int64]:
        free_cpu = gather(self.host_cores, hosts) - gather(self.cpu_used, hosts)
        free_mem = gather(self.host_memory, hosts) - gather(self.memory_used, hosts)
        by_cpu = np.floor((free_cpu + _EPSILON) / cpu).astype(np.int64)
        by_memory = np.floor((free_mem + _EPSILON) / memory).astype(np.int64)
        by_count = gather(self.pods_on, hosts, np.int64) - gather(self.count, hosts, np.int64)
        up = gather(self.status, hosts, np.int64) == HostStatus.UP
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
        if self.count[host] >= self.pods_on[host]:
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
        if self.frozen:
            return (
                f"0/{len(self.host_names)} nodes are available: the control plane is frozen "
                "(etcd has no quorum), so nothing is scheduled"
            )
        down = cordoned = cpu = memory = pods = 0
        # The taints' refusals, each worded once ("node(s) had untolerated taint(s)"),
        # counted in the order met.  The filters run NodeUnschedulable and TaintToleration
        # before NodeResourcesFit: a node refused for a taint is not counted for its room.
        tainted: dict[str, int] = {}
        tolerations = self.services[self.w_service[w]].tolerations
        for h in range(len(self.host_names)):
            if self.status[h] == HostStatus.DRAINING:
                cordoned += 1
            elif (
                self.status[h] != HostStatus.UP
                or not self.lifecycle.ready[h]
                or not self.cp_reach[h]
            ):
                down += 1
            elif not self.admitted(w, h):
                why = refusal(self.node_taints[h], tolerations) or UNSCHEDULABLE_REASON
                if why == UNSCHEDULABLE_REASON:
                    cordoned += 1
                else:
                    tainted[why] = tainted.get(why, 0) + 1
            elif self.cpu_used[h] + self.w_cpu[w] > self.host_cores[h] + _EPSILON:
                cpu += 1
            elif self.memory_used[h] + self.w_memory[w] > self.host_memory[h] + _EPSILON:
                memory += 1
            elif self.count[h] >= self.pods_on[h]:
                pods += 1
        parts = [
            f"{n} {text}"
            for n, text in (
                (down, "node(s) not ready"),
                (cordoned, UNSCHEDULABLE_REASON),
                *((n, why) for why, n in tainted.items()),
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
        self.taint_manager.deployed()  # pods found on a node that a NoExecute taint evicts
        self._cordon_found()
        if not any(self.stateful_service):
            return  # only a StatefulSet keeps its pods in order
        for w, s in enumerate(self.w_service):
            if not self.stateful_service[s]:
                continue
            self.ordinals[s].append(w)
            if self.disk_world and self.w_phase[w] == Phase.READY:
                self.disks.deployed(w, self.w_host[w])

    def _cordon_found(self, only: int = -1) -> None:
        """A node imported cordoned (``spec.unschedulable``, its unschedulable taint) shows as
        cordoned from the start, as kubectl lists it (``SchedulingDisabled``): what runs on it
        stays (a cordon evicts nothing), nothing new lands, and it stays cordoned through a
        failure and back until the user lifts it (host_recover), as a drained node does."""
        specs = self.scenario.cluster.hosts
        if not specs:
            return  # the short form: no host of its own, no cordon
        for host in range(len(specs)) if only < 0 else [only]:
            if UNSCHEDULABLE.text in specs[host].taints and self.status[host] == HostStatus.UP:
                self.set_host_status(
                    host, HostStatus.DRAINING, EventType.HOST_DRAINING, "cordoned (imported)"
                )
                self.cordoned[host] = True
                self.placer.remove(host)

    def recover_host(self, host: int) -> None:
        super().recover_host(host)
        # A cordon is on the Node object, not the machine: a node imported cordoned comes back
        # from a failure cordoned still (only kubectl uncordon lifts it, which the app's
        # scenario cannot: the host's unschedulable taint stays in the file).
        if self.status[host] == HostStatus.UP:
            self._cordon_found(host)

    def stopped(self, w: int) -> None:
        self.retired.add(w)  # scaled in, or replaced: a StatefulSet does not bring it back
        self.missing.discard(w)

    def active(self, s: int) -> list[int]:
        if not self.stateful_service[s]:
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
        if self.stateful_service[self.w_service[w]]:
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
        if self.taint_manager.active:
            self.taint_manager.bound(w, host)  # a NoExecute taint it tolerates for a while
        now = self.engine.now
        created = self.created_at.pop(w, now)
        self.span("scheduling", created, now)
        if self.disk_world and not self.disks.ready_on(w, host):
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
            _PULLING,
            _PULL_STARTED,
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
                _BOOTING,
                _BOOTING_EVENT,
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
            _STARTING,
            _STARTING_EVENT,
            "container start",
            self.start_s[self.w_service[w]],
            self.become_ready,
        )

    # --- nodes: what the node lifecycle controller decides, and what follows ---------------

    def on_host_failed(self, host: int) -> None:
        # What ran on there after its deletion died with it (Copies stops their copies).
        for w in [w for w, (h, _, _) in self.running_deleted.items() if h == host]:
            del self.running_deleted[w]
        self.kubelet_pending.discard(host)  # powered off again before it was heard
        heard = self.kubelet_heard[host]
        if heard:
            self.unheard_at[host] = self.engine.now
        if self.lifecycle.ready[host]:
            # Cut off before it crashed: its lease was last renewed before the cut.
            self.lifecycle.host_unheard(host, None if heard else self.unheard_at[host])
            return
        if not heard:
            self.lifecycle.host_unheard_again(host)  # NotReady already, and still
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
        self.lifecycle.host_unheard_again(host)

    def lease_missed(self, host: int, k: int, epoch: int) -> None:
        if self.contact_epoch[host] == epoch:
            self.log(EventType.LEASE_NOT_RENEWED, -1, host, -1, f"lease not renewed #{k}")

    def _set_status(self, host: int, status: HostStatus, kind: EventType, detail: str) -> None:
        # The administrator's out-of-service taint outranks what the controller decides, and a
        # cordon stays until the user lifts it.
        if self.oos_taint[host] and status != HostStatus.UP:
            status = HostStatus.OUT_OF_SERVICE
        if status == HostStatus.UP and self.cordoned[host]:
            status = HostStatus.DRAINING
        self.set_host_status(host, status, kind, detail)

    def node_not_ready(self, host: int) -> None:
        """The controller marked ``host`` NotReady and queued it for the unreachable taint;
        its pods are marked not Ready, so they are no longer Service endpoints (E1, E2)."""
        alive = self.alive[host]
        since = self.unheard_at[host] if alive else self.failed_at[host]
        self.span("node-monitor grace period", since, self.engine.now)
        detail = "NotReady (Unknown): queued for the unreachable taint"
        if host in self.kubelet_pending:
            detail = (
                "NotReady (Unknown): powered on but cut off, its kubelet runs none of its pods; "
                "queued for the unreachable taint"
            )
        elif alive:
            detail = (
                "NotReady (Unknown): its kubelet is cut off, not down, and keeps its pods "
                "running; they are no longer Service endpoints; queued for the unreachable taint"
            )
        self._set_status(host, HostStatus.DOWN, EventType.NODE_NOT_READY, detail)
        if self.copies is not None:
            self.copies.set_listed(host, False)

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
        self._arm_evictions(host, now)

    def _arm_evictions(self, host: int, since: float) -> None:
        """The taint eviction controller: each pod of tainted ``host`` is deleted once its
        toleration, counted from ``since``, has run out (N5, N6).  A crashed node's pods
        failed with it; a cut-off node's run on."""
        groups: dict[float, list[int]] = {}
        for w in self.casualties[host]:
            if self.w_phase[w] == _FAILED:
                self.stalled.pop(w, None)
                groups.setdefault(self.w_toleration[w], []).append(w)
        for w in self.on_host[host]:  # none on a crashed node: they were released
            if self.w_phase[w] in CONSUMING:
                groups.setdefault(self.w_toleration[w], []).append(w)
        for toleration, pods in groups.items():
            self.engine.at(
                since + toleration,
                Priority.CONTROL,
                self._evict,
                host,
                self.taints[host],
                pods,
                since,
            )

    def node_untainted(self, host: int) -> None:
        """The unreachable taint was removed: the evictions it scheduled are called off."""
        self.taints[host] += 1
        status = HostStatus.UP if self.heard(host) else HostStatus.DOWN
        self._set_status(host, status, EventType.NODE_UNTAINTED, "unreachable taint removed")

    def node_ready(self, host: int) -> None:
        """The controller saw ``host``'s lease again: Ready, schedulable, and its pods are
        Service endpoints again."""
        self._set_status(host, HostStatus.UP, EventType.NODE_READY, "Ready")
        if self.copies is not None:
            self.copies.set_listed(host, True)
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
            and (self.w_phase[w] == _FAILED or self.w_phase[w] in CONSUMING)
        ]
        if due:
            self.span("unreachable toleration", tainted_at, self.engine.now)
        for w in due:
            self._delete(w, "evicted: its toleration of the unreachable taint ran out")

    # --- pods being deleted, and what replaces them -----------------------------------------

    def _delete(self, w: int, why: str) -> None:
        """Delete pod ``w``.  A kubelet that is down, or cut off, cannot honour a grace
        period, so the object stays Terminating; with none it is gone at once.  On a cut-off
        node the pod runs on either way (K1): a copy the owner may replace beside it."""
        host = self.w_host[w]
        grace = self.w_grace[w]
        s = self.w_service[w]
        stateful = self.stateful_service[s]
        runs_on = self.alive[host] and not self.cp_reach[host] and self.w_phase[w] in CONSUMING
        if grace <= 0 or self.heard(host):
            if runs_on:
                # S4: the object is gone without its kubelet, and the process is not.
                why = f"{why}; gone at once (grace period 0), " + (
                    "but its node is only cut off and the pod still runs there: its "
                    "StatefulSet's replacement is a second copy (a grace period of 0 'is unsafe "
                    "and strongly discouraged for StatefulSet Pods')"
                    if stateful
                    else "but its node is only cut off and the pod still runs there: its "
                    "replacement is a second copy"
                )
            elif grace <= 0:
                why = f"{why}; gone at once (grace period 0)"
            stand_in = self._gone(w, why)
            if runs_on:
                self._left_running(stand_in, host, w, grace)
            return
        self.set_phase(
            w,
            _TERMINATING,
            host,
            _EVICTED,
            f"{why}; Terminating: its node is cut off, so its kubelet cannot hear of the "
            f"deletion and the pod runs on until it does ({grace:g} s grace period)"
            if runs_on
            else f"{why}; Terminating: its kubelet is down and cannot confirm the {grace:g} s "
            "grace period",
        )
        if stateful:
            self.stalled[w] = self._terminating_reason(w, host, cut_off=runs_on)
            if runs_on:
                self._left_running(w, host, w, grace)
            self._reconcile_stateful(s)
        else:
            self.replaced.add(w)
            stand_in = self._recreate(w)  # a ReplicaSet no longer counts a pod being deleted
            if runs_on:
                self._left_running(stand_in, host, w, grace)

    def _terminating_reason(self, w: int, host: int, *, cut_off: bool) -> str:
        """Why StatefulSet pod ``w``, Terminating on ``host``, is not replaced."""
        name, node = self.w_name[w], self.host_names[host]
        if cut_off:
            return (
                f"{name} stays Terminating on {node}, which is cut off and still runs it: its "
                "kubelet cannot confirm the deletion, so the StatefulSet creates no "
                "replacement (at most one pod per identity) until the node is heard again or "
                "the administrator applies the out-of-service taint"
                + (" (its disk stays attached)" if self.disk_world else "")
            )
        if self.disk_world:
            return (
                f"{name} stays Terminating on {node}: its kubelet is "
                "down and cannot confirm the deletion, so the StatefulSet creates no "
                "replacement and its disk stays attached (a grace period of 0, or the "
                "out-of-service taint, frees it)"
            )
        return (
            f"{name} stays Terminating on {node}: its kubelet is down and cannot confirm the "
            "deletion, so the StatefulSet creates no replacement (a grace period of 0, or the "
            "out-of-service taint, frees it)"
        )

    def _left_running(self, key: int, host: int, old: int, grace: float) -> None:
        """Pod ``old`` was deleted while it runs on cut-off ``host``: its copy runs on there
        until the kubelet hears of it (``key`` is the pod that carries on: a Deployment's
        replacement, or the StatefulSet pod itself)."""
        self._registrations += 1
        self.running_deleted[old] = (host, grace, self._registrations)
        if self.copies is not None and key >= 0:
            self.copies.leave(key, host, old=old, running=True)

    def _gone(self, w: int, why: str, kind: EventType = _EVICTED) -> int:
        """Pod ``w``'s object is gone; its owner replaces it.  Returns the pod that carries
        on for it (the StatefulSet pod itself, a Deployment's replacement), or -1 (a
        replacement created earlier, or none)."""
        self.stalled.pop(w, None)
        self.set_phase(w, _STOPPED, self.w_host[w], kind, why)
        self.release(w)
        if self.stateful_service[self.w_service[w]]:
            self.missing.add(w)
            if self.disk_world:
                self.disks.pod_gone(w)
            self._reconcile_stateful(self.w_service[w])
            return w
        if w in self.replaced:
            self.replaced.discard(w)  # replaced when its deletion began
            return -1
        return self._recreate(w)

    def evict(self, w: int, why: str) -> None:
        """The Eviction API deletes pod ``w`` (its kubelet stops it); its owner replaces it,
        and the lesson counts how long the replacement takes to serve."""
        created = len(self.w_name)
        self._gone(w, why)
        for replacement in range(created, len(self.w_name)):
            self.evicted_at[replacement] = self.engine.now

    def _recreate(self, old: int) -> int:
        """The ReplicaSet's answer to a pod being deleted: a new one, placed by the scheduler.
        Returns the pod that stands in for ``old``."""
        if old in self.replacing.values():
            # Already being replaced (it was on a hot node): its replacement stands in.
            stand_in = next(new for new, was in self.replacing.items() if was == old)
            self.replacing = {new: was for new, was in self.replacing.items() if was != old}
            return stand_in
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
        self.log(_CREATED, replacement, -1, _PENDING, f"replaces {self.w_name[old]}")
        self.place(replacement)
        return replacement

    def _reconcile_stateful(self, s: int) -> None:
        """The StatefulSet controller (OrderedReady): in ordinal order, recreate the first pod
        that is missing, unless an earlier one is not Running and Ready; one at a time.  It
        runs in the controller manager, so not while etcd has no quorum."""
        if self.frozen:
            self.after_thaw(self._reconcile_stateful, s)
            return
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
                    "recreated by its StatefulSet: the same name, the same disk"
                    if self.disk_world
                    else "recreated by its StatefulSet: the same name",
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
        if self.frozen:
            self.log(
                EventType.NOT_APPLICABLE,
                -1,
                host,
                -1,
                "out-of-service taint refused: the API server cannot write while etcd has no "
                "quorum",
            )
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
        if self.alive[host] and not self.cp_reach[host]:
            # Cut off: what it runs, and what failed in a crash before (powered on cut off).
            pods = list(dict.fromkeys([*self.casualties[host], *self.on_host[host]]))
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
        if self.frozen:  # the garbage collector runs in the controller manager
            self.after_thaw(self._collect, host, since)
            return
        # A cut-off node's Terminating pods are still bound to it (on_host): they run on.
        candidates = [
            *self.casualties[host],
            *(w for w in self.on_host[host] if w not in self.casualties[host]),
        ]
        terminating = [
            w for w in candidates if self.w_phase[w] == Phase.TERMINATING and self.w_host[w] == host
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
            why = "force-deleted by the pod garbage collector (out-of-service taint)"
            if w in self.running_deleted and self.stateful_service[self.w_service[w]]:
                # S3: the taint is for a node that is shut down; this one only is cut off.
                why += (
                    "; its node is only cut off and still runs it: the StatefulSet's "
                    "replacement is a second copy (the docs ask to verify that the node is "
                    "shut down first)"
                )
            self._gone(w, why, EventType.POD_DELETED)

    # --- a node back --------------------------------------------------------------------

    def may_rejoin(self, host: int, was: HostStatus) -> bool:
        # The kubelet is back at once: it confirms the deletions it owed, restarts the
        # containers of the pods still bound here, and unmounts what no pod wants.  The
        # administrator lifts the out-of-service taint, as the docs ask.  New pods land here
        # only once the controller has seen the lease again (``fits`` asks it).
        if not self.cp_reach[host]:
            # Powered on, cut off (or the control plane frozen): its kubelet cannot list its
            # pods, so it runs none until it reaches the API server (an assumption); to the
            # controller it has been silent since it was last heard.
            self.oos_taint[host] = False
            self.kubelet_pending.add(host)
            self.kubelet_heard[host] = False
            self.log(
                EventType.NODE_UNHEARD,
                -1,
                host,
                -1,
                "powered on, but cut off from the control plane: its kubelet cannot list its "
                "pods, so it runs none until it reaches the API server",
            )
            if self.lifecycle.ready[host]:
                self.lifecycle.host_unheard(host, self.unheard_at[host])
            else:
                self.lifecycle.host_unheard_again(host)
            return True
        self._kubelet_back(host)
        return True

    def _kubelet_back(self, host: int) -> None:
        """The kubelet of a node powered on reaches the API server: see may_rejoin."""
        self.kubelet_pending.discard(host)
        self.oos_taint[host] = False
        for w in self.casualties[host]:
            if self.w_phase[w] == Phase.TERMINATING and self.w_host[w] == host:
                self._gone(w, "its kubelet confirmed the deletion", EventType.POD_DELETED)
            elif self.w_phase[w] == Phase.FAILED and self.w_host[w] == host:
                self.occupy(w, host)
                # A StatefulSet pod that was waiting for its disk keeps waiting for it.
                if not self.disk_world or self.disks.ready_on(w, host):
                    self._start(w, host)
        # Deleted while it was cut off, then stopped by its crash: confirmed at once.
        for w in [w for w in self.on_host[host] if self.w_phase[w] == Phase.TERMINATING]:
            self._gone(w, "its kubelet confirmed the deletion", EventType.POD_DELETED)
        if self.disk_world:
            self.disks.node_back(host)
        self.lifecycle.host_heard(host)

    def on_host_recovered(self, host: int, was: HostStatus) -> None:
        """Back before the controller noticed: nothing more to do (see may_rejoin).  Powered
        on while cut off, a node the controller judged NotReady stays so."""
        if host in self.kubelet_pending:
            self.placer.remove(host)  # not schedulable until heard (``fits``)
        if host in self.kubelet_pending and not self.lifecycle.ready[host]:
            tainted = self.lifecycle.tainted[host]
            self._set_status(
                host,
                HostStatus.TAINTED if tainted else HostStatus.DOWN,
                EventType.NODE_NOT_READY,
                "still NotReady: powered on, but its kubelet cannot reach the control plane",
            )

    # --- the network: where the control plane is, and whom it hears (issue 19) -------------

    def etcd_members(self) -> int:
        return int(self.params["kubernetes.etcd_members"])

    def heard(self, host: int) -> bool:
        """Whether the control plane hears ``host``'s kubelet: the host runs and reaches the
        part of the network that holds etcd's majority (never while etcd has no quorum).
        Without network events, whether it runs."""
        return self.alive[host] and self.cp_reach[host]

    def after_thaw(self, action: Callable[..., None], *args: Any) -> None:
        """Run ``action(*args)`` once etcd has its quorum again (a controller's work)."""
        self._on_thaw.append((action, args))

    def on_network(self, old: Reach, new: Reach) -> None:
        """Who hears whom changed: where the control plane is (the part holding a majority of
        etcd's members, Q1, Q2), whether there is one (Q3, Q4), and which nodes it hears.
        Where it is, or that it is frozen, is recorded for the views (``_plane_decided``)."""
        members = [etcd_member(i) for i in range(1, self.etcd_members() + 1)]
        held = majority(new, members)
        if held:
            # The members of one part reach the same hosts; dead ones are listed too.
            where = new.landmarks.get(min(held), frozenset())
            reach = [name in where for name in self.host_names]
        else:
            reach = [False] * len(self.host_names)
        self.cp_reach = reach
        self.status_changes += 1  # the scheduler's cached reasons count unheard nodes
        self.placer.epoch += 1  # and a refusal cached before may not hold now
        if not held:
            best = largest_share(new, members)
            if not self.frozen:
                self._freeze(len(members), best)
            self._plane_decided(best, None)
            return
        thawing = self.frozen
        if thawing:
            self._thaw(len(held), len(members))
        self._plane_decided(len(held), where)
        for h, reached in enumerate(reach):
            if not self.alive[h]:
                self.kubelet_heard[h] = reached  # told when it is powered on (may_rejoin)
            elif reached != self.kubelet_heard[h]:
                self.kubelet_heard[h] = reached
                self.contact_epoch[h] += 1
                if reached:
                    self._heard_again(h)
                else:
                    self._cut_off(h)
        if thawing:
            self._thawed()
        self.retry_pending()

    def _cut_off(self, host: int) -> None:
        """Live ``host`` no longer reaches the control plane: its lease is not renewed (N3),
        and its kubelet keeps its pods running (K1-K3)."""
        self.unheard_at[host] = self.engine.now
        self.placer.remove(host)  # ``fits`` refuses it: out of the scheduler's heap until heard
        running = sum(1 for w in self.on_host[host] if self.w_phase[w] in CONSUMING)
        self.log(
            EventType.NODE_UNHEARD,
            -1,
            host,
            -1,
            "cut off from the control plane: its lease cannot be renewed, and its kubelet "
            f"keeps its {running} pod{'s' * (running != 1)} running",
        )
        if self.lifecycle.ready[host]:
            self.lifecycle.host_unheard(host)
        else:
            self.lifecycle.host_unheard_again(host)

    def _heard_again(self, host: int) -> None:
        """Live ``host`` reaches the control plane again: its kubelet renews its lease (Ready
        at the next pass if it was NotReady) and relists its pods (K5), so it learns of the
        deletions it missed."""
        self.log(
            EventType.NODE_HEARD,
            -1,
            host,
            -1,
            "reaches the control plane again: its kubelet renews its lease and learns of the "
            "deletions it missed",
        )
        if host in self.kubelet_pending:
            self._kubelet_back(host)
        else:
            # As at a node's return after a crash, the administrator lifts an out-of-service
            # taint (the docs ask for it once the node is healthy again).
            self.oos_taint[host] = False
            self.lifecycle.host_heard(host)
        self._learn_deletions(host)
        if self.status[host] == HostStatus.UP and self.lifecycle.ready[host]:
            self.placer.freed(host)  # schedulable again (``fits`` asks for it)

    def _learn_deletions(self, host: int) -> None:
        """The kubelet of ``host``, heard again, stops each pod deleted while it was cut off at
        the end of its grace period (K4; the time is K6's assumption, an upper bound), and
        confirms at once the deletions of pods no longer running."""
        now = self.engine.now
        for w, (where, grace, registration) in self.running_deleted.items():
            if where == host:
                self.engine.at(
                    now + grace, Priority.CONTROL, self._kubelet_stops, w, host, registration
                )
        for w in [w for w in self.on_host[host] if self.w_phase[w] == Phase.TERMINATING]:
            if w not in self.running_deleted:
                self._gone(w, "its kubelet confirmed the deletion", EventType.POD_DELETED)

    def _kubelet_stops(self, w: int, host: int, registration: int) -> None:
        """The grace period of pod ``w``, deleted while ``host`` was cut off, is over: its
        kubelet stops it (the duplicate, if any, ends) and removes the object."""
        entry = self.running_deleted.get(w)
        if entry is None or entry[2] != registration:
            return  # stopped already (a second heal), or the host crashed since
        del self.running_deleted[w]
        grace = entry[1]
        if self.copies is not None:
            self.copies.stop_old(w)
        stopped = (
            "its kubelet heard of the deletion and stopped it, at most its "
            f"{grace:g} s grace period after the heal (K6, assumption)"
        )
        if self.w_phase[w] == Phase.TERMINATING and self.w_host[w] == host and self.heard(host):
            self._gone(w, f"{stopped}; the object is removed", EventType.POD_DELETED)
            return
        # The object went already (a grace period of 0, force-deleted), or the kubelet cannot
        # tell the API server yet (cut off again): it is removed when it can (_learn_deletions).
        self.log(EventType.COPY_STOPPED, w, host, -1, f"the copy left running on it: {stopped}")

    def _plane_decided(self, reached: int, hosts: frozenset[str] | None) -> None:
        """Record where the control plane works now (``hosts``, crashed ones included, that
        reach the part holding ``reached`` of etcd's members), or that it is frozen (None, at
        most ``reached`` members together), where that changed: what the views show."""
        decisions = self.partition_decisions
        last = decisions[-1] if decisions else None  # only the control plane decides here
        if last is not None and (last.held, last.keeper) == (reached, hosts):
            return
        members = self.etcd_members()
        decisions.append(
            PartitionDecision(
                self.engine.now, CONTROL_PLANE, reached, members // 2 + 1, members, hosts
            )
        )

    def _freeze(self, members: int, best: int) -> None:
        """No part holds a majority of etcd's members: every write fails (Q2, Q3), so the
        controllers' leaderships lapse (Q4) and nothing is judged, tainted, evicted, scheduled
        or recreated; the kubelets keep their pods running (K1)."""
        self.frozen = True
        self.frozen_at = self.engine.now
        self.lifecycle.freeze()
        for h, tainted in enumerate(self.lifecycle.tainted):
            if tainted:
                self.taints[h] += 1  # the taint eviction controller stops: re-armed at the thaw
        self.log(
            EventType.CONTROL_PLANE_FROZEN,
            detail=f"etcd: {best} of {members} members reached, a quorum needs "
            f"{members // 2 + 1}: no write succeeds, so no node is marked NotReady, nothing is "
            "tainted, evicted or scheduled, and every kubelet keeps its pods running",
        )

    def _thaw(self, held: int, members: int) -> None:
        now = self.engine.now
        self.frozen = False
        self.span("control plane frozen (no etcd quorum)", self.frozen_at, now)
        self.log(
            EventType.CONTROL_PLANE_THAWED,
            detail=f"etcd: {held} of {members} members reached, a quorum again: a new leader "
            "starts with no history of the nodes, so each node it does not hear gets a full "
            "grace period from now, and the tolerations on tainted nodes count from now",
        )

    def _thawed(self) -> None:
        """After the thaw's heals and cuts: the node lifecycle controller starts afresh (Q5),
        the taint eviction controller re-arms the deletions on tainted nodes from now
        (inferred from N6), the kubelets heard relist, and what waited runs."""
        self.lifecycle.thaw()
        now = self.engine.now
        for h, tainted in enumerate(self.lifecycle.tainted):
            if tainted:
                self._arm_evictions(h, now)
        for h in range(len(self.host_names)):
            if self.heard(h) and h not in self.kubelet_pending:
                # Deletions whose grace period ended while frozen: removed now.
                for w in [w for w in self.on_host[h] if self.w_phase[w] == Phase.TERMINATING]:
                    if w not in self.running_deleted:
                        self._gone(w, "its kubelet confirmed the deletion", EventType.POD_DELETED)
        waiting, self._on_thaw = self._on_thaw, []
        for action, args in waiting:
            action(*args)

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
        if self.stateful_service[s]:
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
