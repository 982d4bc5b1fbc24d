"""One world of a scenario: the cluster's hosts, the workloads on them, and the event log.

:class:`WorldSim` holds the mechanics both platforms share (placing, phase changes, resource
accounting, service readiness, the injected faults).  The platform's own behaviour (how it
notices a failure, how it recovers) lives in a subclass under :mod:`vmc_gui.sim.policies`.

State is kept in parallel lists indexed by host and by workload, and the log is a list of
integer rows, because a 50,000-workload run creates and updates them tens of thousands of
times.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import cycle, islice
from typing import Any, TypeVar, assert_never

import numpy as np
import numpy.typing as npt

from vmc_gui.model.events import (
    Drain,
    Exploit,
    HostFail,
    HostRecover,
    LinkFail,
    LinkRecover,
    Load,
    OutOfService,
    RackFail,
    Rebalance,
    Scale,
    SetParameter,
    SwitchFail,
    SwitchRecover,
    TimedEvent,
    Update,
    ZoneFail,
    is_fault,
)
from vmc_gui.model.isolation import boundary, exposed_layers, shares_host_kernel
from vmc_gui.model.parameters import ParameterSet, Value
from vmc_gui.model.power import power_change
from vmc_gui.model.reachability import Reach
from vmc_gui.model.scenario import Scenario, ServiceSpec, Storage, World
from vmc_gui.sim.copies import Copies
from vmc_gui.sim.engine import Engine, Priority
from vmc_gui.sim.migration import MigrationRecord
from vmc_gui.sim.network import INTACT, NetworkEvent, reach_for
from vmc_gui.sim.partition_decisions import PartitionDecision
from vmc_gui.sim.placement import HostGroups, Placer, greedy_fill_rows
from vmc_gui.sim.records import CONSUMING, EventLog, EventType, HostStatus, Phase
from vmc_gui.sim.workload_names import WorkloadNames

Num = TypeVar("Num", float, npt.NDArray[np.float64])

# The enum members the per-workload paths use, read once here: on Python 3.11 an enum
# class's attribute costs ten times a module constant's (EnumType.__getattr__ slows every
# lookup on the class), and these paths run tens of thousands of times in a large run.
_PENDING = Phase.PENDING
_READY = Phase.READY
_FAILED = Phase.FAILED
_UP = HostStatus.UP
_PROGRESS = Priority.PROGRESS
_CONTROL = Priority.CONTROL
_PLACED = EventType.WORKLOAD_PLACED
_BECAME_READY = EventType.WORKLOAD_READY
_CRASHED = EventType.WORKLOAD_FAILED
_UNSCHEDULABLE = EventType.WORKLOAD_UNSCHEDULABLE


@dataclass(frozen=True, slots=True)
class WorldRun:
    """Everything a world's run produced, handed to the timeline."""

    world: World
    host_names: list[str]
    host_racks: list[int]
    host_cores: list[float]
    host_memory_mb: list[float]
    service_names: list[str]
    #: Each service's desired replicas at the start; ``desired_changes`` has the rest.
    service_desired: list[int]
    workload_names: Sequence[str]
    workload_service: list[int]
    workload_cpu: list[float]
    workload_memory_mb: list[float]
    log: EventLog
    spans: dict[str, tuple[float, float]]
    #: Why each still-pending workload could not be placed, by workload index.
    pending_reasons: dict[int, str]
    first_fault_s: float | None
    duration_s: float
    #: Every change of a service's desired replica count: (time, service, desired).
    desired_changes: list[tuple[float, int, int]]
    #: The lesson's own figures (blackout, exposure, update duration...), for the summary.
    metrics: dict[str, Any]
    #: Memory each instance spends on anything but the app (a guest OS, the runtime).
    instance_overhead_mb: float = 0.0
    #: Why each workload the platform holds back (not pending a host) is not coming back,
    #: by workload index: a zone that stopped evicting, a pod that stays Terminating...
    stalled_reasons: dict[int, str] = field(default_factory=dict)
    #: The platform's failure zones (Kubernetes), each host's zone, and every change of a
    #: zone's state or eviction rate: (time, zone, ZoneState, nodes/s), each zone's first at
    #: 0 s.  Empty where the platform has none.
    zone_names: list[str] = field(default_factory=list)
    host_zone: list[int] = field(default_factory=list)
    zone_changes: list[tuple[float, int, int, float]] = field(default_factory=list)
    #: Every live migration, finished or called off, in the order each ended.
    migrations: list[MigrationRecord] = field(default_factory=list)
    #: CPU a host's replicas use beyond what they hold (VMs that got busier):
    #: (time, host, +cores or -cores).
    load_changes: list[tuple[float, int, float]] = field(default_factory=list)
    #: Runs with network events only: (time, service, running copies, serving copies) at
    #: every change, and the most workloads that ran twice at once (see sim/copies.py).
    copies_changes: list[tuple[float, int, int, int]] = field(default_factory=list)
    max_duplicates: int = 0
    #: Runs with network events only: the platform's decisions on who keeps its brain (each
    #: failover cluster's quorum, the control plane), in time order (sim/partition_decisions.py).
    partition_decisions: list[PartitionDecision] = field(default_factory=list)


class WorldSim:
    """The shared mechanics of a world; subclasses add the platform's reactions."""

    world: World
    #: Which world-specific label the log uses for a workload ("VM" or "pod").
    noun = "workload"
    #: Whether a host's CPU counts what its replicas use (Hyper-V measures it) rather than
    #: what they request (Kubernetes' scheduler and descheduler count requests).
    counts_use = False

    def __init__(self, scenario: Scenario, rng: random.Random, world: World | None = None) -> None:
        if world is not None:
            self.world = world
        self.scenario = scenario
        self.params: ParameterSet = scenario.parameters
        self.rng = rng
        self.engine = Engine()
        self.events = EventLog()
        log = self.events
        self._appends = (
            log.time.append,
            log.kind.append,
            log.workload.append,
            log.host.append,
            log.value.append,
            log.detail.append,
        )
        self.spans: dict[str, tuple[float, float]] = {}
        #: Each phase's latest episode, where it has had more than one ("name (2)"), and
        #: when the network last broke after being whole (a new episode of every phase).
        self._episode: dict[str, str] = {}
        self._episodes_from = -math.inf

        spec = scenario.cluster
        self.host_names = spec.host_names()
        self.host_index = {name: i for i, name in enumerate(self.host_names)}
        n = len(self.host_names)
        self.host_rack = [spec.rack_of(i) for i in range(n)]
        if spec.hosts:  # each host its own size (issue 21)
            self.host_cores = [float(h.cores) for h in spec.hosts]
            self.host_memory = [h.memory_gb * 1024.0 for h in spec.hosts]
        else:
            self.host_cores = [float(spec.cores)] * n
            self.host_memory = [spec.memory_gb * 1024.0] * n
        self.status = [int(_UP)] * n
        #: Whether each host is powered and running, whatever the platform thinks of it,
        #: and when each last failed (where the platform's detection phase starts).
        self.alive = [True] * n
        self.failed_at = [0.0] * n
        #: Hosts drained (cordoned) until the user brings them back into service.
        self.cordoned = [False] * n
        self.cpu_used = [0.0] * n
        self.memory_used = [0.0] * n
        self.count = [0] * n
        #: Workloads on each host (dicts keep insertion order, so iteration is deterministic).
        self.on_host: list[dict[int, None]] = [{} for _ in range(n)]
        #: Bumped on every failure and recovery of a host, so stale timers can tell.
        self.host_epoch = [0] * n
        #: The workloads that died in each host's latest crash, in the order they ran there.
        self.casualties: list[list[int]] = [[] for _ in range(n)]

        self.services = [s for s in scenario.services if s.runs_in(self.world)]
        self.desired = [s.replicas for s in self.services]
        self.ready = [0] * len(self.services)
        self.degraded = [False] * len(self.services)
        self._deploying = False
        self._reasons: dict[tuple[int, int, int, float, float, int], str] = {}
        #: Bumped on every host status change (for cached explanations).
        self.status_changes = 0
        self._next_replica = [0] * len(self.services)

        self.w_name = WorkloadNames([s.name for s in self.services])
        self.w_service: list[int] = []
        self.w_cpu: list[float] = []
        self.w_memory: list[float] = []
        self.w_host: list[int] = []
        self.w_phase: list[int] = []
        self.w_pool: list[int] = []
        #: The host a workload's data ties it to (local storage), or -1.
        self.w_pin: list[int] = []
        #: How many phase changes each workload has had: a timer that sees a different count
        #: when it fires belongs to a course of events that was overtaken.
        self.w_moves: list[int] = []
        self.local_storage = self.world.storage is Storage.LOCAL
        self.desired_changes: list[tuple[float, int, int]] = []
        self.metrics: dict[str, Any] = {}
        #: Per service being updated: the fewest replicas ready since the update began.
        self.update_min_ready: dict[int, int] = {}
        #: Per service being updated: when its update began.
        self.update_started: dict[int, float] = {}
        #: CPU each replica uses beyond its own figure (it got busier), by workload; and
        #: every change of what a host's replicas use beyond what they hold.
        self.w_extra: dict[int, float] = {}
        self.load_changes: list[tuple[float, int, float]] = []
        #: When each instance of a service being updated first served patched.
        self.patched_at: dict[int, list[float]] = {}
        #: Every workload a kernel exploit has reached so far.
        self.exposed: dict[int, None] = {}
        self.pending: deque[int] = deque()
        #: Whether a retry of the pending workloads is already queued for this instant.
        self._retry_queued = False
        self.pending_reasons: dict[int, str] = {}
        #: Workloads the platform holds back, and why (see WorldRun.stalled_reasons).
        self.stalled: dict[int, str] = {}
        self.first_fault: float | None = None
        #: The network: which switches and links are down, and who hears whom (None until
        #: the first network event; everyone hears everyone before).  ``contact_epoch`` is
        #: bumped whenever the platform loses or regains a host (a crash, a cut, a return):
        #: the platform's detection timers check it, while a workload's progress checks
        #: ``host_epoch``, which a cut leaves alone (a cut-off host's VMs keep booting).
        self.has_network_events = scenario.cuts_network
        self.net = INTACT
        self.reach: Reach | None = None
        self._settle_queued = False
        self.contact_epoch = [0] * n
        self.copies: Copies | None = Copies(self) if self.has_network_events else None
        #: What the platform decided on who keeps its brain, as it decided (WorldRun's).
        self.partition_decisions: list[PartitionDecision] = []

        self.pool_of = self.host_pools()
        self.pool_count = [0] * (max(self.pool_of, default=0) + 1)
        #: Which hosts each service's workloads may run on (the container world's node
        #: taints), and per service and pool the placer's heaps it picks from.  One group of
        #: every host, open to every service (``grouped`` False), leaves the heaps those of
        #: the pools alone.
        self.groups = self.host_groups()
        self.grouped = self.groups.restricts
        self.service_heaps = self.groups.service_heaps(len(self.pool_count))
        self.placer = Placer(self.groups.heaps(self.pool_of), self.load, self.fits)

    # --- hooks for the platform ---------------------------------------------------------

    def host_pools(self) -> list[int]:
        """Which pool each host belongs to; a workload is only ever placed within its pool."""
        return [0] * len(self.host_names)

    def host_groups(self) -> HostGroups:
        """Which hosts each service's workloads may run on: every host, unless the platform
        says otherwise (Kubernetes' taints).  Called once, as the world is built."""
        return HostGroups.one(len(self.host_names), len(self.services))

    def load(self, host: int) -> float:
        """How loaded ``host`` is, for least-loaded-first placement."""
        return float(
            self.load_of(
                self.cpu_used[host],
                self.memory_used[host],
                self.host_cores[host],
                self.host_memory[host],
            )
        )

    def load_of(self, cpu_used: Num, memory_used: Num, cores: Num, memory: Num) -> Num:
        """The platform's load score; works on numbers and on numpy arrays alike."""
        raise NotImplementedError

    def fits(self, host: int, cpu: float, memory: float) -> bool:
        """Whether one more workload of this size may start on ``host`` now."""
        raise NotImplementedError

    def room(
        self, hosts: npt.NDArray[np.int64], cpu: float, memory: float
    ) -> npt.NDArray[np.int64]:
        """How many more workloads of this size each of ``hosts`` takes (``fits``, counted)."""
        raise NotImplementedError

    def pool_room(self, pool: int) -> int:
        """How many more workloads ``pool`` as a whole may run (a cluster-wide limit)."""
        raise NotImplementedError

    def workload_memory(self, service: ServiceSpec) -> float:
        raise NotImplementedError

    def start_on(self, w: int, host: int) -> None:
        """Begin bringing workload ``w`` up on ``host`` (boot, pull, start...)."""
        raise NotImplementedError

    def on_host_failed(self, host: int) -> None:
        """The platform's reaction to a crash it has not noticed yet."""
        raise NotImplementedError

    def on_host_recovered(self, host: int, was: HostStatus) -> None:
        """The platform's reaction to a host coming back; ``was`` says if it had noticed."""
        raise NotImplementedError

    # --- running ------------------------------------------------------------------------

    def run(self) -> WorldRun:
        self.deploy()
        for event in self.scenario.events:
            self.engine.at(event.at_s, Priority.FAULT, self.inject, event)
        self.engine.run(self.scenario.duration_s)
        return self.result()

    def result(self) -> WorldRun:
        """What the run produced, for the timeline."""
        return WorldRun(
            world=self.world,
            host_names=self.host_names,
            host_racks=self.host_rack,
            host_cores=self.host_cores,
            host_memory_mb=self.host_memory,
            service_names=[s.name for s in self.services],
            service_desired=[s.replicas for s in self.services],
            workload_names=self.w_name,
            workload_service=self.w_service,
            workload_cpu=self.w_cpu,
            workload_memory_mb=self.w_memory,
            log=self.events,
            spans=self.spans,
            pending_reasons={
                w: r for w, r in self.pending_reasons.items() if self.w_phase[w] == Phase.PENDING
            },
            first_fault_s=self.first_fault,
            duration_s=self.scenario.duration_s,
            desired_changes=self.desired_changes,
            metrics=self.final_metrics(),
            instance_overhead_mb=self.instance_overhead_mb(),
            stalled_reasons={w: r for w, r in self.stalled.items() if self.held_back(w)},
            migrations=self.migration_records(),
            load_changes=self.load_changes,
            copies_changes=self.copies.changes if self.copies is not None else [],
            max_duplicates=self.copies.max_duplicates if self.copies is not None else 0,
            partition_decisions=self.partition_decisions,
            **self.zones(),
        )

    def migration_records(self) -> list[MigrationRecord]:
        """The live migrations this run made (the platform's, where it has any)."""
        return []

    def held_back(self, w: int) -> bool:
        """Whether workload ``w`` is one the platform still holds back at the end."""
        return self.w_phase[w] not in (_READY, Phase.STOPPED)

    def zones(self) -> dict[str, Any]:
        """The platform's zones for the timeline (see WorldRun); none by default."""
        return {}

    def final_metrics(self) -> dict[str, Any]:
        """The lesson's figures as the run ends (see :mod:`vmc_gui.sim.summary`)."""
        metrics = dict(self.metrics)
        if any(isinstance(event, Scale) for event in self.scenario.events):
            holding = sum(self.count)
            metrics["instances"] = sum(self.ready)
            metrics["overhead_gb"] = holding * self.instance_overhead_mb() / 1024.0
            metrics["limiting_resource"] = self.limiting_resource()
        if self.update_min_ready:  # an update still running
            metrics["update_duration_s"] = None
            metrics["mean_exposure_s"] = None
            metrics["min_ready_replicas"] = min(
                metrics.get("min_ready_replicas", 1 << 62), *self.update_min_ready.values()
            )
        if any(is_fault(event) for event in self.scenario.events):
            # Only local storage pins a workload to a host (a 150,000-workload run skips this).
            metrics["data_unavailable"] = self.local_storage and any(
                pin >= 0
                and self.status[pin] != _UP
                and self.w_phase[w] not in (_READY, Phase.STOPPED)
                for w, pin in enumerate(self.w_pin)
            )
        return metrics

    def instance_overhead_mb(self) -> float:
        """Memory each instance spends on anything but the app (a guest OS, the runtime)."""
        raise NotImplementedError

    def limit_on(self, host: int, cpu: float, memory: float) -> str | None:
        """What stops one more workload of this size on ``host`` (None if it fits)."""
        raise NotImplementedError

    def limiting_resource(self) -> str | None:
        """What stopped the pending workloads: the commonest limit over the hosts that are up."""
        waiting = [w for w in self.pending_reasons if self.w_phase[w] == Phase.PENDING]
        if not waiting:
            return None
        w = waiting[0]
        if self.w_pin[w] >= 0:
            return "data on a failed host"
        limits = [
            limit
            for h in range(len(self.host_names))
            if self.status[h] == _UP
            and (limit := self.limit_on(h, self.w_cpu[w], self.w_memory[w])) is not None
        ]
        return max(sorted(set(limits)), key=limits.count) if limits else None

    def deploy(self) -> None:
        """Start the run in steady state: every replica that fits is running at t = 0.

        The replicas are placed as if one at a time, least-loaded first, but computed in bulk
        (:func:`greedy_fill_rows`): a 150,000-replica deployment is the largest single step of
        a run.  A service's pools are filled side by side: they share no host, and each has
        its own limit (``pool_room``), so what one pool takes changes nothing another is
        offered; each pool is then bound and logged in turn, as if filled one after another.

        A service with a ``placement`` (an import's, where it found each replica) first starts
        that many replicas on the hosts it names, each its host has room for
        (:meth:`_start_where_found`); the rest are placed as above.  A workload is only
        offered the hosts its service may run on (``host_groups``: Kubernetes' taints).
        """
        self._deploying = True
        pools = len(self.pool_count)
        # Each pool's hosts as a row of ``grid``, a shorter pool padded (``real`` is False
        # there: no load, no room).
        members = [np.flatnonzero(np.asarray(self.pool_of) == p) for p in range(pools)]
        grid = np.zeros((pools, max((len(m) for m in members), default=0)), dtype=np.int64)
        real = np.zeros(grid.shape, dtype=bool)
        for pool, hosts in enumerate(members):
            grid[pool, : len(hosts)] = hosts
            real[pool, : len(hosts)] = True
        every_host = np.arange(len(self.host_names), dtype=np.int64)
        cores = np.asarray(self.host_cores)
        memory = np.asarray(self.host_memory)
        bound: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]] = []
        #: Per set of groups allowed, the hosts in them (a service's taints allow).
        admitted: dict[tuple[int, ...], npt.NDArray[np.bool_]] = {}
        # A host found down (an import's node that was not Ready, ``HostSpec.down``) is
        # offered nothing new: what was found on it starts there and fails with it, as in the
        # real cluster.  A host_fail at 0 s written by hand is a failure like any other.
        down_at_start = np.array(
            [spec.down for spec in self.scenario.cluster.hosts] or [False] * len(self.host_names),
            dtype=bool,
        )
        for s, service in enumerate(self.services):
            first = len(self.w_name)
            self.create_many(s, service.replicas)
            cpu, mem = service.cpu, self.workload_memory(service)
            workloads: list[range] | list[list[int]]
            if service.placement:
                found, workloads = self._start_where_found(s, first, cpu, mem)
                bound.append(found)
                if not any(workloads):  # each replica started where it was found
                    continue
            else:
                workloads = [
                    range(first + p, first + service.replicas, pools) for p in range(pools)
                ]
            # The load score and the room are worked out host by host (elementwise), so
            # computing them for every host at once gives each pool the numbers it had alone.
            used_cpu = np.asarray(self.cpu_used)
            used_mem = np.asarray(self.memory_used)
            load = self.load_of(used_cpu, used_mem, cores, memory)
            step = self.load_of(used_cpu + cpu, used_mem + mem, cores, memory) - load
            room = self.room(every_host, cpu, mem)
            if self.grouped:  # none on a host the service may not run on (a taint)
                allowed = self.groups.allowed[s]
                if allowed not in admitted:
                    admitted[allowed] = np.isin(self.groups.host_group, allowed)
                room = np.where(admitted[allowed], room, 0)
            if down_at_start.any():
                room = np.where(down_at_start, 0, room)
            wanted = [min(len(workloads[p]), self.pool_room(p)) for p in range(pools)]
            placed = greedy_fill_rows(
                np.where(real, load[grid], 0.0),
                np.where(real, step[grid], 1.0),
                np.where(real, room[grid], 0),
                np.array(wanted, dtype=np.int64),
            )
            chosen = [grid[pool][placed[pool]] for pool in range(pools)]
            bound.append(
                self._deploy_on(s, [workloads[p][: len(chosen[p])] for p in range(pools)], chosen)
            )
            # The log as a pool-by-pool fill wrote it: each pool's deployed replicas, then those
            # it had no room for (their reason reads only their own pool, already filled).
            ready = int(Phase.READY)
            for pool in range(pools):
                hosts = chosen[pool]
                if len(hosts):
                    self.events.extend(
                        self.engine.now,
                        int(EventType.WORKLOAD_DEPLOYED),
                        list(workloads[pool][: len(hosts)]),
                        hosts.tolist(),
                        ready,
                    )
                for w in workloads[pool][len(hosts) :]:
                    self.unschedulable(w)
        self._fill_on_host(bound)
        self.placer.rebuild()
        self._deploying = False
        for s in range(len(self.services)):
            self.check_service(s)  # logs only a service already short at t = 0

    def _start_where_found(
        self, s: int, first: int, cpu: float, memory: float
    ) -> tuple[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]], list[list[int]]]:
        """Start service ``s``'s first replicas (from workload ``first``) on the hosts its
        ``placement`` names, in order, each its host still has room for (``room``: up, its
        resources and its count) within its pool's limit (``pool_room``); it joins that
        host's pool.  A host's taints do not move a replica found running there: a NoSchedule
        taint leaves running pods be, and the platform evicts what a NoExecute one does not
        tolerate (Kubernetes' taint manager).  Logged here; returns the replicas started and
        their hosts (for ``on_host``), and the rest by pool, placed as usual."""
        service = self.services[s]
        count = min(len(service.placement), service.replicas)
        n = len(self.host_names)
        index = self.host_index
        # A name no host has goes to position n, which has no room.
        named = np.fromiter(
            (index.get(name, n) for name in service.placement[:count]), np.int64, count
        )
        room = np.zeros(n + 1, dtype=np.int64)
        hosts_named = np.unique(named[named < n])
        room[hosts_named] = self.room(hosts_named, cpu, memory)
        taken = _rank_among_equals(named) < room[named]
        # Then each pool's limit, in the same order: a replica refused for it frees nothing a
        # later one of its pool could use (the pool stays full).
        pool_of = np.append(np.asarray(self.pool_of, dtype=np.int64), 0)
        limits = np.array([self.pool_room(p) for p in range(len(self.pool_count))], np.int64)
        inside = np.flatnonzero(taken)
        pools = pool_of[named[inside]]
        taken[inside[_rank_among_equals(pools) >= limits[pools]]] = False
        ids = first + np.flatnonzero(taken)
        hosts = named[taken]
        ready = int(Phase.READY)
        for w, h in zip(ids.tolist(), hosts.tolist(), strict=True):
            self.w_host[w] = h
            self.w_phase[w] = ready
            self.w_pool[w] = self.pool_of[h]
            if self.local_storage:
                self.w_pin[w] = h
        for pool, k in enumerate(np.bincount(pool_of[hosts], minlength=len(limits)).tolist()):
            self.pool_count[pool] += k
        self._take(s, ids, hosts)
        self.events.extend(
            self.engine.now, int(EventType.WORKLOAD_DEPLOYED), ids.tolist(), hosts.tolist(), ready
        )
        # The rest, in order, dealt to the pools in turn as ``create_many`` deals them.
        left = np.ones(service.replicas, dtype=bool)
        left[:count] = ~taken
        rest: list[int] = (first + np.flatnonzero(left)).tolist()
        every_pool = len(self.pool_count)
        by_pool = [rest[p::every_pool] for p in range(every_pool)]
        for pool, members in enumerate(by_pool):
            for w in members:
                self.w_pool[w] = pool
        return (ids, hosts), by_pool

    def _deploy_on(
        self,
        s: int,
        workloads: Sequence[Sequence[int]],
        chosen: list[npt.NDArray[np.int64]],
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Run service ``s``'s ``workloads[p]`` on ``chosen[p]`` (pool p's hosts, in placement
        order), every pool at once.  Not logged (``deploy`` logs pool by pool), and not yet
        in ``on_host`` (``_fill_on_host``): returns the workloads and their hosts for that."""
        ready = int(Phase.READY)
        for pool, (placed, hosts) in enumerate(zip(workloads, chosen, strict=True)):
            if len(placed):
                host_list: list[int] = hosts.tolist()
                if isinstance(placed, range):  # a slice of the service's replicas: at once
                    where = slice(placed.start, placed.stop, placed.step)
                    self.w_host[where] = host_list
                    self.w_phase[where] = [ready] * len(host_list)
                    if self.local_storage:
                        self.w_pin[where] = host_list
                else:  # those left after a placement's: one by one
                    for w, h in zip(placed, host_list, strict=True):
                        self.w_host[w] = h
                        self.w_phase[w] = ready
                        if self.local_storage:
                            self.w_pin[w] = h
                self.pool_count[pool] += len(host_list)
        ids = np.concatenate(
            [np.zeros(0, np.int64)]
            + [
                np.arange(r.start, r.stop, r.step)
                if isinstance(r, range)
                else np.asarray(r, dtype=np.int64)
                for r in workloads
            ]
        )
        every = np.concatenate([np.zeros(0, np.int64), *chosen])
        self._take(s, ids, every)
        return ids, every

    def _take(self, s: int, ids: npt.NDArray[np.int64], every: npt.NDArray[np.int64]) -> None:
        """Count service ``s``'s workloads ``ids``, running on ``every`` (host by host), in
        their hosts' resources and the service's ready replicas."""
        if not len(every):
            return
        # What each host took, added to what it held: n * cpu and then the sum, host by
        # host, the very float operations one host at a time did (elementwise, no reduction).
        taken = np.bincount(every, minlength=len(self.host_names))
        used = np.flatnonzero(taken)  # each host that took some, in order
        n = taken[used]
        cpu, mem = self.w_cpu[int(ids[0])], self.w_memory[int(ids[0])]
        if len(used) * 8 < len(self.host_names):
            # A few hosts (a placement's): the same sums, without converting every host's.
            for h, k in zip(used.tolist(), n.tolist(), strict=True):
                self.cpu_used[h] += k * cpu
                self.memory_used[h] += k * mem
                self.count[h] += k
        else:
            for column, each in ((self.cpu_used, cpu), (self.memory_used, mem)):
                values = np.asarray(column, dtype=np.float64)
                values[used] += n * each
                column[:] = values.tolist()
            count = np.asarray(self.count, dtype=np.int64)
            count[used] += n
            self.count[:] = count.tolist()
        self.ready[s] += len(every)
        self.deployed_on(s, used.tolist())

    def _fill_on_host(
        self, bound: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]
    ) -> None:
        """Put the deployed workloads in ``on_host``, once for the whole deployment: each
        host's in the order it took them (service by service, in placement order)."""
        ids = np.concatenate([np.zeros(0, np.int64)] + [b[0] for b in bound])
        hosts = np.concatenate([np.zeros(0, np.int64)] + [b[1] for b in bound])
        if not len(hosts):
            return
        # A stable sort keeps each host's workloads in the order it took them; on 16-bit host
        # numbers numpy's stable sort is a radix sort, six times faster than on 64-bit ones.
        small = len(self.host_names) <= np.iinfo(np.int16).max
        order = np.argsort(hosts.astype(np.int16) if small else hosts, kind="stable")
        by_host = ids[order].tolist()
        sorted_hosts = hosts[order]
        bounds = np.flatnonzero(np.diff(sorted_hosts)) + 1
        starts = [0, *bounds.tolist()]
        ends = [*bounds.tolist(), len(hosts)]
        on_host = self.on_host
        for h, a, b in zip(sorted_hosts[starts].tolist(), starts, ends, strict=True):
            on_host[h].update(dict.fromkeys(by_host[a:b]))

    def deployed_on(self, s: int, hosts: list[int]) -> None:
        """A hook for what deploying service ``s`` leaves on ``hosts`` (a cached image, say)."""

    def inject(self, event: TimedEvent) -> None:
        if is_fault(event) and self.first_fault is None:
            self.first_fault = self.engine.now
        match event:
            case SetParameter(parameter=name, value=value):
                self.change_setting(name, value)
            case HostRecover(host=host):
                self.recover_host(self.host_index[host])
            case Scale(service=service, replicas=replicas):
                if (s := self.service_index(service)) >= 0:  # else not in this world
                    self.scale(s, replicas)
            case Update(service=service):
                if (s := self.service_index(service)) >= 0:
                    self.begin_update(s)
            case Exploit(service=service):
                if (s := self.service_index(service)) >= 0:
                    self.exploit(s)
            case Drain(host=host):
                self.drain_host(self.host_index[host])
            case OutOfService(host=host):
                self.out_of_service(self.host_index[host])
            case Load(host=host, value=value):
                self.busier(self.host_index[host], value)
            case Rebalance(host=name, count=count):
                hot = self.host_index[name]
                self.log(EventType.HOST_HOT, -1, hot, -1, f"runs hot: {count} to move")
                self.rebalance(hot, count)
            case RackFail() | ZoneFail():
                change = power_change(event, self.scenario.cluster)
                assert change is not None
                for name in change[0]:  # in host order, as the cluster lists them
                    self.fail_host(self.host_index[name])
            case HostFail(host=host):
                self.fail_host(self.host_index[host])
            case SwitchFail() | SwitchRecover() | LinkFail() | LinkRecover():
                self.network_event(event)
            case _:
                assert_never(event)

    def network_event(self, event: NetworkEvent) -> None:
        """A switch or link fails or comes back.  Who hears whom is worked out once, after
        every event of this instant (a rack's uplinks cut together are one partition)."""
        self.net = self.net.apply(event)
        if not self._settle_queued:
            self._settle_queued = True
            self.engine.at(self.engine.now, Priority.FAULT, self._network_settled)
        match event:
            case SwitchFail(switch=switch):
                self.log(EventType.SWITCH_FAILED, -1, -1, -1, switch)
            case SwitchRecover(switch=switch):
                self.log(EventType.SWITCH_RECOVERED, -1, -1, -1, switch)
            case LinkFail(a=a, b=b):
                self.log(EventType.LINK_FAILED, -1, -1, -1, f"{a} to {b}")
            case LinkRecover(a=a, b=b):
                self.log(EventType.LINK_RECOVERED, -1, -1, -1, f"{a} to {b}")
            case _:
                assert_never(event)

    def etcd_members(self) -> int:
        """How many etcd members the platform places on the network (Kubernetes' control
        plane); none by default."""
        return 0

    def _network_settled(self) -> None:
        self._settle_queued = False
        spec = self.scenario.cluster
        etcd = self.etcd_members()
        old = self.reach if self.reach is not None else reach_for(spec, etcd, INTACT)
        new = self.reach = reach_for(spec, etcd, self.net)
        if old.partitions == reach_for(spec, etcd, INTACT).partitions and new.split:
            self._episodes_from = self.engine.now
        if self.copies is not None:
            index = self.host_index
            changed = sorted(old.reach_clients ^ new.reach_clients, key=index.__getitem__)
            self.copies.set_reaches_clients(
                {index[name]: name in new.reach_clients for name in changed}
            )
        self.on_network(old, new)

    def on_network(self, old: Reach, new: Reach) -> None:
        """The platform's reaction to who hears whom changing (a partition starting, moving
        or healing); ``new`` counts crashed hosts too: the platform asks ``alive``."""

    def service_index(self, name: str | None) -> int:
        for s, service in enumerate(self.services):
            if service.name == name:
                return s
        return -1

    # --- demand, updates, hot hosts, exploits -------------------------------------------

    def active(self, s: int) -> list[int]:
        """Service ``s``'s workloads that still count towards its replicas (a pod being
        deleted no longer does, as a ReplicaSet sees it)."""
        gone = (Phase.STOPPED, Phase.TERMINATING)
        return [
            w
            for w, service in enumerate(self.w_service)
            if service == s and self.w_phase[w] not in gone
        ]

    def scale(self, s: int, replicas: int) -> None:
        """Demand changed: add new instances, or stop the newest ones (pending ones first)."""
        before = self.desired[s]
        self.desired[s] = replicas
        self.desired_changes.append((self.engine.now, s, replicas))
        name = self.services[s].name
        self.log(EventType.SERVICE_SCALED, value=s, detail=f"{name} {before} -> {replicas}")
        active = self.active(s)
        pools = len(self.pool_count)
        for _ in range(replicas - len(active)):
            w = self.create(s, pool=len(self.w_name) % pools)
            self.created(w)
            self.log(EventType.WORKLOAD_CREATED, w, -1, Phase.PENDING, "scale out")
            self.place(w)
        surplus = sorted(active, key=self.scale_in_order)
        for w in surplus[: max(0, len(active) - replicas)]:
            self.stop(w, "scale in")
        self.check_service(s)
        self.scaled(s)

    def scale_in_order(self, w: int) -> tuple[int, ...]:
        """Which workloads a scale-in stops first (smallest first): pending, then newest."""
        return (self.w_phase[w] == _READY, -w)

    def scaled(self, s: int) -> None:
        """A hook: service ``s`` was scaled (an update in progress may need to catch up)."""

    def created(self, w: int) -> None:
        """A hook: ``w`` is a brand-new instance (not a restart), about to be placed."""

    def stop(self, w: int, why: str) -> None:
        """Stop workload ``w`` for good and give back what it holds."""
        self.pending_reasons.pop(w, None)
        self.release(w)
        self.set_phase(w, Phase.STOPPED, self.w_host[w], EventType.WORKLOAD_STOPPED, why)
        self.stopped(w)

    def stopped(self, w: int) -> None:
        """A hook: ``w`` has stopped for good."""

    def begin_update(self, s: int) -> None:
        """Update service ``s``'s operating system; the platform decides how."""
        if s in self.update_min_ready:
            # One update at a time: the next month's patch waits for this one (not modelled).
            self.log(
                EventType.UPDATE_STARTED,
                value=s,
                detail=f"{self.services[s].name}: already updating",
            )
            return
        self.log(EventType.UPDATE_STARTED, value=s, detail=self.services[s].name)
        self.update_started[s] = self.engine.now
        self.update_min_ready[s] = self.ready[s]
        self.update(s)

    def update(self, s: int) -> None:
        raise NotImplementedError

    def instance_patched(self, s: int) -> None:
        """One more instance of ``s`` serves patched (a VM rebooted, a new pod ready)."""
        self.patched_at.setdefault(s, []).append(self.engine.now)
        self.metrics["instances_patched"] = self.metrics.get("instances_patched", 0) + 1

    def finish_update(self, s: int) -> None:
        now = self.engine.now
        self.log(EventType.UPDATE_FINISHED, value=s, detail=self.services[s].name)
        # Several updates: the longest, and the fewest replicas any of them left serving.
        began = self.update_started.pop(s)
        took = now - began
        self.metrics["update_duration_s"] = max(took, self.metrics.get("update_duration_s") or 0)
        # How long, on average, an instance served unpatched after the update began.
        patched = self.patched_at.pop(s, [])
        if patched:
            exposure = sum(t - began for t in patched) / len(patched)
            self.metrics["mean_exposure_s"] = max(
                exposure, self.metrics.get("mean_exposure_s") or 0.0
            )
        self.metrics["min_ready_replicas"] = min(
            self.update_min_ready.pop(s), self.metrics.get("min_ready_replicas", 1 << 62)
        )

    def rebalance(self, host: int, count: int) -> None:
        """Move ``count`` replicas off a hot ``host``; the platform decides how."""
        raise NotImplementedError

    def exploit(self, s: int) -> None:
        """A kernel exploit in one running replica of service ``s``: log what it reaches."""
        victim = next((w for w in self.active(s) if self.w_phase[w] == _READY), -1)
        if victim < 0:
            self.log(EventType.KERNEL_EXPLOIT, detail="no running replica to attack")
        else:
            host = self.w_host[victim]
            self.log(EventType.KERNEL_EXPLOIT, victim, host, -1, "kernel exploit in the app")
            exposed = [victim]
            if shares_host_kernel(self.world):
                exposed = [w for w in self.on_host[host] if self.w_phase[w] in CONSUMING]
            for w in exposed:
                tenant = self.services[self.w_service[w]].name
                self.log(EventType.WORKLOAD_EXPOSED, w, host, -1, tenant)
            self.exposed.update(dict.fromkeys(exposed))
        # Several exploits add up; one that found nothing to attack reaches nothing.
        tenants = sorted({self.services[self.w_service[w]].name for w in self.exposed})
        self.metrics.update(
            exposed_tenants=len(tenants),
            exposed_tenant_names=tenants,
            exposed_workloads=len(self.exposed),
            exposed_layers=list(exposed_layers(self.world)) if self.exposed else [],
            stopped_by=boundary(self.world),
        )

    def change_setting(self, name: str, value: Value) -> None:
        """From now on the platform decides with the new value; timers already running stand."""
        self.params = self.params.with_overrides({name: value})
        self.log(EventType.SETTING_CHANGED, detail=f"{name} = {value:g}")
        self.configure()
        self.placer.epoch += 1  # a raised limit may let a refused workload fit
        self.retry_pending()

    def configure(self) -> None:
        """Read the settings the platform decides with (again, after a change)."""

    # --- the event log ------------------------------------------------------------------

    def log(
        self, kind: EventType, workload: int = -1, host: int = -1, value: int = -1, detail: str = ""
    ) -> None:
        # The columns' append methods, bound once: the log takes tens of thousands of rows.
        time, kinds, workloads, hosts, values, details = self._appends
        time(self.engine.now)
        kinds(kind)
        workloads(workload)
        hosts(host)
        values(value)
        details(detail)

    def span(self, name: str, start: float, end: float) -> None:
        """Widen the named recovery phase to cover ``start``..``end``.  Once the network
        breaks anew, a phase that had ended before is an episode of its own, "name (2)": two
        cuts ten minutes apart are two detections of 10 s, not one of ten minutes."""
        key = self._episode.get(name, name)
        known = self.spans.get(key)
        if known is not None and known[1] <= self._episodes_from <= start:
            episode = 2
            while f"{name} ({episode})" in self.spans:
                episode += 1
            key = self._episode[name] = f"{name} ({episode})"
            known = None
        self.spans[key] = (
            (start, end) if known is None else (min(known[0], start), max(known[1], end))
        )

    # --- workloads ----------------------------------------------------------------------

    def create_many(self, s: int, count: int) -> None:
        """``count`` new workloads of service ``s``, spread over the pools in turn."""
        service = self.services[s]
        first = self._next_replica[s]
        self._next_replica[s] += count
        pools = len(self.pool_count)
        # Named on demand (see workload_names): a 150,000-replica deployment is two integers
        # each here, not 150,000 strings.
        self.w_name.extend(s, first, count)
        self.w_service.extend([s] * count)
        self.w_cpu.extend([service.cpu] * count)
        self.w_memory.extend([self.workload_memory(service)] * count)
        self.w_host.extend([-1] * count)
        self.w_phase.extend([int(Phase.PENDING)] * count)
        self.w_pool.extend(islice(cycle(range(pools)), count))
        self.w_pin.extend([-1] * count)
        self.w_moves.extend([0] * count)

    def create(self, s: int, pool: int = 0) -> int:
        """A new workload of service ``s``, not yet placed (not logged: callers log it)."""
        service = self.services[s]
        w = len(self.w_name)
        self.w_name.append(s, self._next_replica[s])
        self._next_replica[s] += 1
        self.w_service.append(s)
        self.w_cpu.append(service.cpu)
        self.w_memory.append(self.workload_memory(service))
        self.w_host.append(-1)
        self.w_phase.append(int(Phase.PENDING))
        self.w_pool.append(pool)
        self.w_pin.append(-1)
        self.w_moves.append(0)
        return w

    def set_phase(self, w: int, phase: Phase, host: int, kind: EventType, detail: str = "") -> None:
        """Move workload ``w`` to ``phase`` on ``host`` and log it; keeps readiness counts."""
        old = self.w_phase[w]
        s = self.w_service[w]
        old_host = self.w_host[w]
        self.w_phase[w] = phase
        self.w_moves[w] += 1
        self.w_host[w] = host
        self.log(kind, w, host, phase, detail)
        if self.copies is not None:
            self.copies.phase_changed(w, old, old_host, phase, host)
        if old == _READY and phase != _READY:
            self.ready[s] -= 1
            if s in self.update_min_ready:
                self.update_min_ready[s] = min(self.update_min_ready[s], self.ready[s])
            self.check_service(s)
        elif phase == _READY and old != _READY:
            self.ready[s] += 1
            self.check_service(s)

    def check_service(self, s: int) -> None:
        if self._deploying:
            return
        if self.copies is not None:
            self.copies.check(s)
        below = self.ready[s] < self.desired[s]
        if below != self.degraded[s]:
            self.degraded[s] = below
            # Service rows carry the service's index where others carry a phase.
            self.log(
                EventType.SERVICE_DEGRADED if below else EventType.SERVICE_RESTORED,
                value=s,
                detail=f"{self.services[s].name} {self.ready[s]}/{self.desired[s]} ready",
            )

    def busier(self, host: int, factor: float) -> None:
        """The replicas running on ``host`` use ``factor`` times the CPU they used.  A VM's
        use is what its host accounts (Hyper-V measures it); a pod's requests, which
        Kubernetes counts, do not change."""
        busy = [w for w in self.on_host[host] if self.w_phase[w] in CONSUMING]
        delta = 0.0
        for w in busy:
            more = (factor - 1.0) * (self.w_cpu[w] + self.w_extra.get(w, 0.0))
            self.w_extra[w] = self.w_extra.get(w, 0.0) + more
            delta += more
        counted = "its host counts it" if self.counts_use else "their requests stay"
        self.log(
            EventType.HOST_LOAD,
            -1,
            host,
            -1,
            f"its {len(busy)} replicas use {factor:g} times the CPU ({delta:+.1f} cores; "
            f"{counted})",
        )
        if self.counts_use and delta:
            self._add_load(host, delta)

    def _add_load(self, host: int, cores: float) -> None:
        self.cpu_used[host] += cores
        self.load_changes.append((self.engine.now, host, cores))
        self.placer.update(host)

    def occupy(self, w: int, host: int) -> None:
        """Reserve ``host``'s resources for ``w``."""
        if self.w_extra and self.counts_use and w in self.w_extra:
            self._add_load(host, self.w_extra[w])  # a busy VM's load goes where it runs
        self.cpu_used[host] += self.w_cpu[w]
        self.memory_used[host] += self.w_memory[w]
        self.count[host] += 1
        self.pool_count[self.pool_of[host]] += 1
        self.on_host[host][w] = None
        self.placer.update(host)

    def release(self, w: int) -> None:
        """Give back what ``w`` holds on its host (the host may be dead)."""
        host = self.w_host[w]
        if host < 0 or w not in self.on_host[host]:
            return
        del self.on_host[host][w]
        if self.w_extra and self.counts_use and w in self.w_extra:
            self._add_load(host, -self.w_extra[w])
        self.cpu_used[host] -= self.w_cpu[w]
        self.memory_used[host] -= self.w_memory[w]
        self.count[host] -= 1
        self.pool_count[self.pool_of[host]] -= 1
        if self.status[host] == _UP:
            self.placer.freed(host)
            self.room_freed()

    def room_freed(self) -> None:
        """Room came free on a live host: offer it to the waiting workloads, once per instant
        (after whatever freed it has finished), as a scheduler does on a pod's deletion."""
        if self.pending and not self._retry_queued:
            self._retry_queued = True
            self.engine.at(self.engine.now, _CONTROL, self._retry)

    def _retry(self) -> None:
        self._retry_queued = False
        self.retry_pending()

    def place(self, w: int, avoid: int = -1) -> bool:
        """Find ``w`` a host (not ``avoid``) and start it there, or leave it pending."""
        host = self.pick(w, avoid)
        if host < 0:
            self.unschedulable(w)
            return False
        self._bind(w, host)
        return True

    def pick(self, w: int, avoid: int | Sequence[int] = -1) -> int:
        """The host ``w`` would start on now, or -1, never one of ``avoid``; a workload tied
        to its data waits for it."""
        pin = self.w_pin[w]
        if pin >= 0:
            fits = self.fits(pin, self.w_cpu[w], self.w_memory[w])
            return pin if fits and self.admitted(w, pin) else -1
        if isinstance(avoid, int) and avoid < 0:  # nothing to avoid: most calls
            if self.grouped:
                return self._pick_allowed(w)
            return self.placer.pick(self.w_pool[w], self.w_cpu[w], self.w_memory[w])
        hosts = [avoid] if isinstance(avoid, int) else list(avoid)
        hosts = [h for h in hosts if h >= 0 and self.status[h] == _UP]
        if not hosts:
            return self._pick_allowed(w)
        for host in hosts:
            self.placer.remove(host)
        chosen = self._pick_allowed(w)
        for host in hosts:
            self.placer.update(host)
        self.placer.epoch += 1  # a refusal that ignored a host must not be cached for others
        return chosen

    def _pick_allowed(self, w: int) -> int:
        """The least-loaded host of ``w``'s pool that fits it, among those its service may
        run on (the heaps of its groups)."""
        if self.grouped:
            heaps = self.service_heaps[self.w_service[w]][self.w_pool[w]]
            return self.placer.pick_among(heaps, self.w_cpu[w], self.w_memory[w])
        return self.placer.pick(self.w_pool[w], self.w_cpu[w], self.w_memory[w])

    def admitted(self, w: int, host: int) -> bool:
        """Whether ``w``'s service may run on ``host`` at all (its taints allow it)."""
        if not self.grouped:
            return True
        return self.groups.host_group[host] in self.groups.allowed[self.w_service[w]]

    def _bind(self, w: int, host: int) -> None:
        if self.local_storage and self.w_pin[w] < 0:
            self.w_pin[w] = host  # its disk or volume is created on the host it first runs on
        self.pending_reasons.pop(w, None)
        self.occupy(w, host)
        self.log(_PLACED, w, host)
        self.start_on(w, host)

    def advance(
        self,
        w: int,
        host: int,
        phase: Phase,
        kind: EventType,
        label: str,
        seconds: float,
        then: Callable[[int, int], None],
        detail: str | None = None,
    ) -> None:
        """Hold ``w`` in ``phase`` for ``seconds`` (the recovery phase ``label``), then call
        ``then(w, host)``, unless the host crashed in the meantime."""
        now = self.engine.now
        end = now + seconds
        self.set_phase(w, phase, host, kind, label if detail is None else detail)
        known = self.spans.get(self._episode.get(label, label))
        # Most calls fall inside the span already (a failover's many VMs boot together).
        if known is None or now < known[0] or end > known[1]:
            self.span(label, now, end)
        self.engine.at(
            end,
            _PROGRESS,
            self._after,
            then,
            w,
            host,
            self.host_epoch[host],
            self.w_moves[w],
        )

    def _after(
        self, then: Callable[[int, int], None], w: int, host: int, epoch: int, moves: int
    ) -> None:
        # Anything else that moved the workload meanwhile (its host crashed, it was stopped,
        # migrated or taken for patching) cancels this step.
        if self.host_epoch[host] == epoch and self.w_moves[w] == moves:
            then(w, host)

    def become_ready(self, w: int, host: int) -> None:
        self.set_phase(w, _READY, host, _BECAME_READY)

    def unschedulable(self, w: int) -> None:
        if w not in self.pending_reasons:
            key = (
                self.placer.epoch,
                self.status_changes,
                self.w_pool[w],
                self.w_cpu[w],
                self.w_memory[w],
                self.groups.key[self.w_service[w]],  # its taints' refusals are its own
            )
            reason = self._reasons.get(key)
            if self.w_pin[w] >= 0:
                reason = self.pinned_reason(w)
            elif reason is None:
                reason = self._reasons[key] = self.no_room_reason(w)
            self.pending_reasons[w] = reason
            self.pending.append(w)
            self.log(_UNSCHEDULABLE, w, -1, _PENDING, reason)

    def no_room_reason(self, w: int) -> str:
        return "no host has room"

    def pinned_reason(self, w: int) -> str:
        return f"its data is on {self.host_names[self.w_pin[w]]}'s local disk"

    def retry_pending(self) -> None:
        """Capacity came back: place waiting workloads, oldest first.

        One still refused keeps its place in the queue and its logged reason (a retry is not a
        new event; the placer's cache makes each refusal cheap).
        """
        waiting, self.pending = self.pending, deque()
        for w in waiting:
            if self.w_phase[w] != _PENDING or w not in self.pending_reasons:
                continue
            host = self.pick(w)
            if host < 0:
                self.pending.append(w)
            else:
                self._bind(w, host)

    # --- hosts --------------------------------------------------------------------------

    def out_of_service(self, host: int) -> None:
        """The administrator says ``host`` is really down; the platform decides what that
        changes (Kubernetes' out-of-service taint)."""
        raise NotImplementedError

    def drain_host(self, host: int) -> None:
        """Take ``host`` out of service gracefully: nothing new lands on it (``fits`` asks for
        an up host), and the platform moves what runs there."""
        if self.status[host] != _UP:
            return
        self.set_host_status(host, HostStatus.DRAINING, EventType.HOST_DRAINING, "draining")
        self.cordoned[host] = True
        self.placer.remove(host)
        self.drain(host)

    def drain(self, host: int) -> None:
        """The platform's drain: live-migrate the VMs, or evict the pods."""
        raise NotImplementedError

    def fail_host(self, host: int) -> None:
        if not self.alive[host]:
            return
        self.alive[host] = False
        self.failed_at[host] = self.engine.now
        self.contact_epoch[host] += 1
        if self.copies is not None:
            self.copies.host_died(host)
        if self.kept_out(host):
            # Powered on but kept out of the cluster (quarantined): nothing runs there to lose.
            self.host_epoch[host] += 1
            self.log(EventType.HOST_FAILED, -1, host, self.status[host], "powered off")
            return
        self.set_host_status(host, HostStatus.FAILED, EventType.HOST_FAILED)
        self.host_epoch[host] += 1
        self.placer.remove(host)
        dead = [w for w in self.on_host[host] if self.w_phase[w] in CONSUMING]
        self.casualties[host] = dead
        for w in dead:
            self.release(w)
            self.set_phase(w, _FAILED, host, _CRASHED, "host crashed")
        self.on_host_failed(host)

    def set_host_status(
        self, host: int, status: HostStatus, kind: EventType, detail: str = ""
    ) -> None:
        """``host``'s status becomes ``status``, logged as ``kind``; cached explanations that
        counted the old one are stale."""
        self.status[host] = status
        self.status_changes += 1
        self.log(kind, -1, host, status, detail)

    def mark_down(self, host: int) -> None:
        """The platform has noticed that ``host`` crashed."""
        self.status[host] = HostStatus.DOWN
        self.status_changes += 1

    def recover_host(self, host: int) -> None:
        was = HostStatus(self.status[host])
        self.cordoned[host] = False  # back into service, whatever it was
        if was == _UP:
            return
        if was == HostStatus.DRAINING and self.alive[host]:
            # Back into service (resume, uncordon): nothing crashed, so nothing restarts.
            self.set_host_status(host, _UP, EventType.HOST_RECOVERED, "back in service")
            self.placer.freed(host)
            self.retry_pending()
            return  # resumed, not joined: a balancer waits for its own pass
        if self.alive[host]:
            self.recover_running(host)  # nothing to power on
            return
        self.alive[host] = True
        self.host_epoch[host] += 1
        self.contact_epoch[host] += 1
        if not self.may_rejoin(host, was):
            return
        self.set_host_status(host, _UP, EventType.HOST_RECOVERED)
        self.placer.freed(host)
        self.on_host_recovered(host, was)
        self.retry_pending()
        self.host_joined(host)

    def host_joined(self, host: int) -> None:
        """``host`` joined (powered on again after a failure, or back from quarantine): a
        balancer may act (none by default).  A node resumed after a drain does not join."""

    def may_rejoin(self, host: int, was: HostStatus) -> bool:
        """Whether ``host``, powered on again, goes back into service now; a platform that
        keeps it out (quarantine) logs why and returns False."""
        return True

    def kept_out(self, host: int) -> bool:
        """Whether ``host`` is powered on but kept out of the cluster, running nothing."""
        return False

    def recover_running(self, host: int) -> None:
        """``host_recover`` for a host that is running: what the platform lifts (the
        out-of-service taint); nothing by default."""


def _rank_among_equals(keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Each element's rank among the equal ones before it: [3, 1, 3, 3] gives [0, 0, 1, 2]."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    ranks = np.empty(len(keys), dtype=np.int64)
    ranks[order] = np.arange(len(keys)) - np.searchsorted(ordered, ordered, side="left")
    return ranks


def gather(
    values: Sequence[float] | Sequence[int],
    hosts: npt.NDArray[np.int64],
    dtype: type[np.float64] | type[np.int64] = np.float64,
) -> npt.NDArray[Any]:
    """``np.asarray(values, dtype)[hosts]``: a per-host column at ``hosts``, the same numbers,
    without converting the whole list when they are few (a placement's hosts, not all 1,000)."""
    if len(hosts) * 8 < len(values):
        return np.array([values[h] for h in hosts.tolist()], dtype=dtype)
    return np.asarray(values, dtype=dtype)[hosts]
