"""The VM world: a Hyper-V failover cluster, with Windows Server 2016's defaults.

A crashed node stops sending heartbeats.  After ``hyperv.same_subnet_threshold`` missed
heartbeats, ``hyperv.same_subnet_delay_ms`` apart, the cluster removes it from active
membership.  With VM compute resiliency (``hyperv.resiliency_level`` 2, AlwaysIsolate: the
default by the clustering blog and Petri, while Learn's property page says 1; see the
parameter's note) the node is first Isolated: the survivors cannot tell a crashed node from
one that is only cut off, so its VMs are left Unmonitored for
``hyperv.resiliency_default_period_s`` (240 s) before the node is marked Down and its VMs fail
over.  That a powered-off node waits too is our inference (see the parameter's note).  Level 1
(IsolateOnSpecialHeartbeat) and a period of 0 fail a vanished node over at once.

Failover restarts each VM on the surviving node with the most free memory in the same
failover cluster, where its guest OS boots and then the app starts: the same VM moves, its
running state is lost.  A VM whose VHD is on a node's local disk cannot fail over: it waits
for that node.  A node that leaves ungracefully ``hyperv.quarantine_threshold`` times within an
hour is quarantined for ``hyperv.quarantine_duration_s``: powered on, it may not rejoin or
host VMs (at most a quarter of a cluster's nodes at once, one in a cluster of two or three).

A new VM (scaling out) is created from the template: its VHDX copied (``vm.template_copy_gb``
at ``vm.disk_copy_mb_s``; a differencing disk copies nothing), then its first boot runs setup
(``vm.first_boot_s``, the boot included) before the app starts.  An OS update patches each VM
in place: every guest downloads and stages it while serving, then reboots a batch at a time
(the reboot finishes the install), boots and starts the app.  A hot host sheds VMs by live migration
(:mod:`vmc_gui.sim.policies.live_migration`): each VM keeps running until a short blackout.

In a network partition (runs with switch or link events only), each failover cluster's quorum
decides which part keeps it, and a node cut off from that part goes through the same
detection and isolation as a crashed one, except that it keeps its VMs: they run on, or pause
where the node lost the storage, and the quorum side starts only the paused ones once the
period is over (:mod:`vmc_gui.sim.policies.hyperv_partition`).  Storage resiliency pauses a
VM whose node loses the shared storage, and resumes it when the storage is back
(:mod:`vmc_gui.sim.policies.hyperv_storage`).
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from vmc_gui.model.reachability import Reach
from vmc_gui.model.scenario import Scenario, ServiceSpec, Storage, World
from vmc_gui.sim.clocks import last_tick
from vmc_gui.sim.engine import Priority
from vmc_gui.sim.migration import MigrationRecord
from vmc_gui.sim.policies.hyperv_partition import Membership
from vmc_gui.sim.policies.hyperv_quorum import CrashQuorum
from vmc_gui.sim.policies.hyperv_storage import StorageResiliency
from vmc_gui.sim.policies.live_migration import LiveMigrations
from vmc_gui.sim.policies.vm_load_balancer import VmLoadBalancer
from vmc_gui.sim.records import EventType, HostStatus, Phase
from vmc_gui.sim.world import Num, WorldSim, gather

_EPSILON = 1e-9
# Enum members a failover or a boot reads for each VM, read once (an enum class's attribute
# is slow on Python 3.11: see vmc_gui/sim/world.py).
_UP = HostStatus.UP
_PENDING = Phase.PENDING
_BOOTING = Phase.BOOTING
_STARTING = Phase.STARTING
_FAILED = Phase.FAILED
_CONTROL = Priority.CONTROL
_BOOTED_EVENT = EventType.WORKLOAD_BOOTING
_STARTING_EVENT = EventType.WORKLOAD_STARTING
_RESTARTING = EventType.WORKLOAD_RESTARTING
#: ResiliencyLevel 2: isolate any node that drops out of membership, and wait.
ALWAYS_ISOLATE = 2
#: Quarantine counts a node's ungraceful exits over the last hour (Savill, the blog).
QUARANTINE_WINDOW_S = 3600.0
#: At most this share of a cluster's nodes may be quarantined at once (at least one node).
QUARANTINE_SHARE = 0.25


class HyperVWorld(WorldSim):
    """Replicas are VMs; failover restarts them elsewhere in their failover cluster."""

    world = World.VM
    noun = "VM"
    counts_use = True

    def __init__(self, scenario: Scenario, rng: random.Random, world: World | None = None) -> None:
        super().__init__(scenario, rng, world)
        # Nodes are not in step: each sends its heartbeats at its own offset, drawn as a
        # fraction of the interval so that the draws do not depend on the settings.
        self.heartbeat_phase = [rng.random() for _ in self.host_names]
        self.migrations = LiveMigrations(self)
        self.balancer = VmLoadBalancer(self)
        #: When the cluster last stopped hearing each node (a crash or a cut): where its
        #: heartbeat detection starts.
        self.silent_since = [0.0] * len(self.host_names)
        #: Runs with network events only (sim/policies/hyperv_partition.py and
        #: hyperv_storage.py): quorum and the nodes cut off from it; and, where the VHDs are
        #: on shared storage, the VMs paused because their node lost it.
        self.membership: Membership | None = None
        self.storage_resiliency: StorageResiliency | None = None
        if self.has_network_events:
            self.membership = Membership(self)
            if self.world.storage is Storage.SHARED and scenario.cluster.shared_storage:
                self.storage_resiliency = StorageResiliency(self)
        #: Without network events, quorum is lost only to crashes: a majority of a cluster's
        #: votes failing at once (sim/policies/hyperv_quorum.py).
        self.crash_quorum = CrashQuorum(self) if self.membership is None else None
        self._quorum_lost = (
            self.crash_quorum.lost
            if self.crash_quorum is not None
            else [False] * (max(self.pool_of, default=0) + 1)
        )
        self.configure()
        self.balancer.start()
        #: New VMs that are provisioned before they first boot.
        self.fresh: set[int] = set()
        #: Per service being patched: the VMs not yet patched, those staged and waiting for
        #: their reboot, and the batch rebooting now.
        self.unpatched: dict[int, set[int]] = {}
        self.staged: dict[int, set[int]] = {}
        self.rebooting: dict[int, set[int]] = {}
        #: Each guest's latest piece of work done while serving (download, staging): a newer
        #: one, or a crash, makes an older one's end a no-op.  Tokens come from one counter
        #: for the whole run, never per VM: a VM's entry is dropped when it stops, and a count
        #: that started again at 1 would let a piece of work from before the stop match.
        self.guest_work: dict[int, int] = {}
        self._guest_tokens = itertools.count(1)
        #: Which batch each VM being patched is in (phases are named per batch).
        self.batch_of: dict[int, int] = {}
        self.batches_done: dict[int, int] = {}
        #: When each node last left the cluster ungracefully (for quarantine).
        self.exits: list[list[float]] = [[] for _ in self.host_names]
        #: Until when each node is quarantined (0: it is not), and when each was isolated.
        self.quarantined_until = [0.0] * len(self.host_names)
        self.isolated_at = [0.0] * len(self.host_names)

    def configure(self) -> None:
        p = self.params
        self.delay = p.seconds("hyperv.same_subnet_delay_ms")
        self.threshold = int(p["hyperv.same_subnet_threshold"])
        self.boot_s = p.seconds("vm.guest_boot_s")
        self.app_start_s = p.seconds("vm.app_start_s")
        self.max_per_host = int(p["hyperv.max_vms_per_host"])
        self.max_per_cluster = int(p["hyperv.max_cluster_vms"])
        # A new VM: its template's VHDX copied (nothing for a differencing disk), then its
        # first boot, which runs setup and includes the boot itself.
        self.template_copy_s = (
            float(p["vm.template_copy_gb"]) * 1024.0 / float(p["vm.disk_copy_mb_s"])
        )
        self.first_boot_s = p.seconds("vm.first_boot_s")
        self.patch_download_s = p.seconds("vm.patch_download_s")
        self.patch_stage_s = p.seconds("vm.patch_stage_s")
        self.patch_offline_s = p.seconds("vm.patch_offline_s")
        self.batch_percent = int(p["vm.update_batch_percent"])
        self.resiliency_level = int(p["hyperv.resiliency_level"])
        self.resiliency_period = p.seconds("hyperv.resiliency_default_period_s")
        self.quarantine_threshold = int(p["hyperv.quarantine_threshold"])
        self.quarantine_s = p.seconds("hyperv.quarantine_duration_s")
        self.migrations.configure(p)
        self.balancer.configure(p)
        if self.storage_resiliency is not None:
            self.storage_resiliency.configure()

    # --- resources ----------------------------------------------------------------------

    def host_pools(self) -> list[int]:
        # An estate larger than one failover cluster allows is several clusters, each with
        # nodes in every rack (so that no rack takes out most of one cluster); a VM fails
        # over only within its own cluster.
        size = int(self.params["hyperv.max_cluster_nodes"])
        clusters = max(1, math.ceil(len(self.host_names) / size))
        return [i % clusters for i in range(len(self.host_names))]

    # Hosts' taints (HostSpec.taints, an imported Kubernetes node's) are Kubernetes'; a
    # failover cluster has nothing like them (a VM goes to any node of its cluster with the
    # memory, in its preferred owners if it has some, not modelled), so this world keeps
    # WorldSim.host_groups: every VM may run on every host of its pool.

    def load_of(self, cpu_used: Num, memory_used: Num, cores: Num, memory: Num) -> Num:
        # Failover prefers the node with the most free memory.
        return memory_used / memory

    def fits(self, host: int, cpu: float, memory: float) -> bool:
        # Hyper-V commits a VM's memory but lets virtual processors share cores.
        return (
            self.status[host] == _UP
            and self.memory_used[host] + memory <= self.host_memory[host] + _EPSILON
            and self.count[host] < self.max_per_host
            and self.pool_count[self.pool_of[host]] < self.max_per_cluster
            and (self.membership is None or self.membership.can_host(host))
            and not self._quorum_lost[self.pool_of[host]]
        )

    def room(
        self, hosts: npt.NDArray[np.int64], cpu: float, memory: float
    ) -> npt.NDArray[np.int64]:
        free = gather(self.host_memory, hosts) - gather(self.memory_used, hosts)
        by_memory = np.floor((free + _EPSILON) / memory).astype(np.int64)
        by_count = self.max_per_host - gather(self.count, hosts, np.int64)
        up = gather(self.status, hosts, np.int64) == HostStatus.UP
        return np.where(up, np.minimum(by_memory, by_count), 0)

    def pool_room(self, pool: int) -> int:
        return self.max_per_cluster - self.pool_count[pool]

    def workload_memory(self, service: ServiceSpec) -> float:
        return float(service.memory_mb + self.params["vm.guest_memory_overhead_mb"])

    def instance_overhead_mb(self) -> float:
        return float(self.params["vm.guest_memory_overhead_mb"])

    def limit_on(self, host: int, cpu: float, memory: float) -> str | None:
        if self.pool_count[self.pool_of[host]] >= self.max_per_cluster:
            return "VMs per failover cluster"
        if self.memory_used[host] + memory > self.host_memory[host] + _EPSILON:
            return "memory"
        if self.count[host] >= self.max_per_host:
            return "VMs per host"
        return None

    def no_room_reason(self, w: int) -> str:
        pool = self.w_pool[w]
        members = [h for h, p in enumerate(self.pool_of) if p == pool]
        up = [h for h in members if self.status[h] == HostStatus.UP]
        if self.pool_count[pool] >= self.max_per_cluster:
            return (
                f"failover cluster {pool + 1} already runs {self.max_per_cluster:,} VMs, its limit"
            )
        if self.membership is not None and (why := self.membership.no_room(pool, up)):
            return why
        if self._quorum_lost[pool] and self.crash_quorum is not None:
            return self.crash_quorum.words(pool)
        return (
            f"no node of failover cluster {pool + 1} ({len(up)} of {len(members)} up) has "
            f"{self.w_memory[w] / 1024:.1f} GB of memory free for the VM"
        )

    # --- bringing a VM up ---------------------------------------------------------------

    def created(self, w: int) -> None:
        self.fresh.add(w)

    def start_on(self, w: int, host: int) -> None:
        storage = self.storage_resiliency
        if storage is not None and not storage.reached[host]:
            # Started where the storage is lost (a node powered on with its VMs): it waits.
            first = Phase.PROVISIONING if w in self.fresh and self.template_copy_s > 0 else None
            storage.pause_start(w, host, first or Phase.BOOTING)
            return
        if w in self.fresh:
            # Still fresh until its first boot is over: a crash meanwhile starts it over.
            if self.template_copy_s > 0:
                self.advance(
                    w,
                    host,
                    Phase.PROVISIONING,
                    EventType.WORKLOAD_PROVISIONING,
                    "VHDX copied from the template",
                    self.template_copy_s,
                    self._first_boot,
                )
            else:
                self._first_boot(w, host)
            return
        self._boot(w, host)

    def _first_boot(self, w: int, host: int) -> None:
        self.advance(
            w,
            host,
            _BOOTING,
            _BOOTED_EVENT,
            "first boot (setup)",
            self.first_boot_s,
            self._first_booted,
        )

    def _first_booted(self, w: int, host: int) -> None:
        self.fresh.discard(w)
        self._booted(w, host)

    def _boot(self, w: int, host: int) -> None:
        self.advance(
            w,
            host,
            _BOOTING,
            _BOOTED_EVENT,
            "guest boot",
            self.boot_s,
            self._booted,
        )

    def _booted(self, w: int, host: int) -> None:
        self.advance(
            w,
            host,
            _STARTING,
            _STARTING_EVENT,
            "app start",
            self.app_start_s,
            self.become_ready,
        )

    # --- failure detection --------------------------------------------------------------

    def on_host_failed(self, host: int) -> None:
        self.migrations.host_failed(host)
        if self.storage_resiliency is not None:
            for w in self.casualties[host]:
                self.storage_resiliency.paused.pop(w, None)  # died paused: nothing to resume
        membership = self.membership
        if membership is not None:
            if membership.silent_crash:
                return  # the cluster did not hear it before, and notices nothing new
            membership.heard[host] = False
        self.silent_since[host] = self.engine.now
        self.miss_heartbeats(host)

    def miss_heartbeats(self, host: int) -> None:
        """The cluster stops hearing ``host`` now (a crash or a cut look the same): its
        heartbeats go missing, each on the node's own beat, until the threshold removes it.
        A return (``contact_epoch``) voids the count."""
        now = self.engine.now
        last = last_tick(self.heartbeat_phase[host] * self.delay, self.delay, now)
        epoch = self.contact_epoch[host]
        for k in range(1, self.threshold + 1):
            self.engine.at(last + k * self.delay, _CONTROL, self._missed, host, k, epoch)

    def _missed(self, host: int, k: int, epoch: int) -> None:
        if self.contact_epoch[host] != epoch:
            return
        self.log(EventType.HEARTBEAT_MISSED, -1, host, -1, f"{k}/{self.threshold}")
        if k == self.threshold:
            self._remove(host)

    def _remove(self, host: int) -> None:
        """Out of active membership: isolated for the resiliency period, or down at once."""
        now = self.engine.now
        self.span("heartbeat detection", self.silent_since[host], now)
        self._left_ungracefully(host)
        isolate = self.resiliency_level >= ALWAYS_ISOLATE and self.resiliency_period > 0
        crash = self.crash_quorum
        if crash is not None:
            had = not crash.lost[self.pool_of[host]]
            if not crash.node_removed(host):
                self._without_quorum(host, crash, lost_now=had)
                return
        membership = self.membership
        if membership is not None:
            membership.removed(host)
            if not membership.has_quorum(host):
                self._stopped_without_quorum(host, isolate)
                return
        if not isolate:
            self._down(host, "removed from active membership: down, its VMs fail over")
            return
        detail = (
            "removed from active membership and isolated: its VMs are Unmonitored for "
            f"{self.resiliency_period:g} s (ResiliencyDefaultPeriod)"
        )
        if self.alive[host]:
            detail = (
                "cut off from the quorum side: " + detail + "; they run on where the node "
                "reaches their storage and are Paused-Critical where it does not (stated)"
            )
        self.set_host_status(host, HostStatus.ISOLATED, EventType.NODE_ISOLATED, detail)
        self.isolated_at[host] = now
        self.engine.at(
            now + self.resiliency_period,
            Priority.CONTROL,
            self._isolation_over,
            host,
            self.contact_epoch[host],
        )

    def _stopped_without_quorum(self, host: int, isolate: bool) -> None:
        """No part of ``host``'s failover cluster has quorum: its cluster service stops, and
        nobody marks it Down until a majority hears itself again (rule 7, an assumption)."""
        assert self.membership is not None
        now = self.engine.now
        self.set_host_status(
            host,
            HostStatus.ISOLATED,
            EventType.NODE_ISOLATED,
            "no part of the cluster has quorum: its cluster service stopped (Event ID 1177, "
            "stated) and it is Isolated (the two together inferred); its VMs stay where they "
            "are, paused where the storage is lost, until a majority hears itself again "
            "(assumption)",
        )
        self.isolated_at[host] = now
        if isolate:
            epoch = self.contact_epoch[host]
            at = now + self.resiliency_period
            self.engine.at(at, Priority.CONTROL, self._isolation_over, host, epoch)
        else:
            self.membership.overdue[host] = True

    def _isolation_over(self, host: int, epoch: int) -> None:
        if self.contact_epoch[host] != epoch or self.status[host] != HostStatus.ISOLATED:
            return
        membership = self.membership
        if membership is not None and not membership.has_quorum(host):
            membership.overdue[host] = True
            self.log(
                EventType.NODE_ISOLATED,
                -1,
                host,
                -1,
                "ResiliencyDefaultPeriod over, but no part has quorum: nobody can mark it "
                "down, and its VMs stay (assumption)",
            )
            return
        self._isolation_ends(host)
        if not self.alive[host]:
            self._down(host, "still silent after ResiliencyDefaultPeriod: down, its VMs fail over")
            return
        self._down(
            host,
            "still cut off after ResiliencyDefaultPeriod: down; the quorum side starts its "
            "paused VMs (Finn 2014, stated), whose stale copies stay there until the heal or "
            "the critical-pause timeout, and not those still running there (assumption)",
        )

    def _isolation_ends(self, host: int) -> None:
        self.span("isolated: VMs unmonitored", self.isolated_at[host], self.engine.now)

    def _without_quorum(self, host: int, crash: CrashQuorum, lost_now: bool) -> None:
        """``host`` was removed and its cluster has no quorum: it is Down and its VMs wait.
        At the loss the log says so; the live nodes keep their VMs running (an assumption, as
        with no quorum anywhere in a partition: the sources say only that the cluster stops)."""
        pool = self.pool_of[host]
        why = crash.words(pool)
        if lost_now:
            live = any(self.alive[h] for h, p in enumerate(self.pool_of) if p == pool)
            tail = "; the live nodes stay up and their VMs run on (assumption)" if live else ""
            self.log(EventType.QUORUM_LOST, detail=why + tail)
        self._down(host, why)

    def _quorum_back(self, pool: int) -> None:
        """The cluster has quorum again: what waited may fail over (the caller retries it)."""
        self.log(
            EventType.QUORUM_KEPT,
            detail=f"failover cluster {pool + 1} has quorum again: a majority of its votes is "
            "back, and what waited fails over",
        )
        self.placer.epoch += 1  # refusals cached while it had no quorum are stale

    def _down(self, host: int, why: str) -> None:
        """The node is Down (or quarantined): its VMs fail over."""
        self.mark_down(host)
        if self._quarantined(host):
            self.status[host] = HostStatus.QUARANTINED
        self.log(EventType.NODE_REMOVED, -1, host, self.status[host], why)
        self._fail_over(host)

    def _fail_over(self, host: int) -> None:
        for w in self.casualties[host]:
            if self.w_phase[w] == _FAILED and self.w_host[w] == host:
                self.stalled.pop(w, None)
                self.set_phase(w, _PENDING, -1, _RESTARTING, "failover")
                self.place(w)
        if self.membership is not None and self.alive[host]:
            self.membership.strand(host)  # cut off, not crashed: its VMs are still there

    # --- network partitions (runs with network events only) ------------------------------

    def on_network(self, old: Reach, new: Reach) -> None:
        if self.membership is not None:
            self.membership.on_network(old, new)

    def fail_host(self, host: int) -> None:
        membership = self.membership
        if membership is None or not self.alive[host] or membership.heard[host]:
            super().fail_host(host)
            if membership is not None:
                membership.heard[host] = False  # also a quarantined node, kept out anyway
            return
        # A node the cluster already does not hear (cut off) crashes: its VMs die, but the
        # cluster notices nothing new, so its timers (detection, the period) go on.
        status = HostStatus(self.status[host])
        epoch = self.contact_epoch[host]
        earlier = [
            w
            for w in self.casualties[host]
            if self.w_phase[w] == Phase.FAILED and self.w_host[w] == host
        ]
        left = self.copies.copy_on(host) if self.copies is not None else []
        membership.silent_crash = True
        try:
            super().fail_host(host)  # the copies left there die with it (sim/copies.py)
        finally:
            membership.silent_crash = False
        for w in left:
            if self.storage_resiliency is not None:
                self.storage_resiliency.copy_stopped(w)
            self.log(EventType.COPY_STOPPED, w, host, -1, "its stale copy died with its node")
        self.contact_epoch[host] = epoch
        self.casualties[host] = [*earlier, *(w for w in self.casualties[host] if w not in earlier)]
        if status in (HostStatus.ISOLATED, HostStatus.DOWN) and self.status[host] != status:
            isolated = status == HostStatus.ISOLATED
            kind = EventType.NODE_ISOLATED if isolated else EventType.NODE_REMOVED
            self.set_host_status(
                host,
                status,
                kind,
                f"crashed while cut off: to the cluster, which did not hear it anyway, it is "
                f"still {status.label}",
            )
            if status == HostStatus.DOWN:
                self._fail_over(host)  # VMs it held (still running there) died: start them

    def recover_host(self, host: int) -> None:
        membership = self.membership
        if membership is None or self.alive[host]:
            super().recover_host(host)
            return
        if not membership.on_quorum_side(host):
            # Powered on, but the cluster does not hear it: its cluster service cannot join,
            # so its VMs stay off and the cluster's view (and timers) stand.
            self.alive[host] = True
            self.cordoned[host] = False
            self.host_epoch[host] += 1
            self.log(
                EventType.HOST_RECOVERED,
                -1,
                host,
                -1,
                "powered on, but cut off from its failover cluster's quorum side: it cannot "
                "rejoin, and its VMs stay off",
            )
            return
        membership.heard[host] = True
        super().recover_host(host)
        if self.status[host] == HostStatus.UP:
            membership.rejoined(host)

    def held_back(self, w: int) -> bool:
        # A VM held because its copy on a Down node still runs is held back, even while that
        # copy is ready: the cluster neither monitors it nor starts it elsewhere.
        return w in self.stalled or super().held_back(w)

    def vm_paused(self, w: int) -> None:
        """``w`` went Paused-Critical: its guest's work stops, and it may not move live."""
        self.guest_work.pop(w, None)
        self.migrations.call_off(w, "its node lost the storage")

    def vm_resumed(self, w: int, host: int) -> None:
        """``w`` resumed where it was: a patch download or staging under way starts over."""
        s = self.w_service[w]
        if (
            w in self.unpatched.get(s, ())
            and w not in self.staged[s]
            and w not in self.rebooting[s]
        ):
            self._download(w, host)
        self.serving_again(w)

    def restart_step(self, w: int, host: int, phase: Phase) -> None:
        """``w`` paused while starting: the step it was in starts over (an assumption)."""
        if phase == Phase.PROVISIONING:
            self.start_on(w, host)
        elif w in self.fresh:
            self._first_boot(w, host)
        else:
            self._boot(w, host)

    def power_off(self, w: int, host: int, detail: str) -> None:
        """Paused too long: Hyper-V turns ``w`` off.  A VM the cluster owns is restarted (on a
        node that reaches the storage); one on an isolated node waits for the cluster's call."""
        self.release(w)
        self.set_phase(w, Phase.FAILED, host, EventType.WORKLOAD_FAILED, detail)
        if self.status[host] == HostStatus.ISOLATED:
            self.casualties[host].append(w)  # started again at the heal, or at its Down
            return
        self.set_phase(
            w, Phase.PENDING, -1, EventType.WORKLOAD_RESTARTING, "the cluster restarts it"
        )
        self.place(w)

    def leave_copy(self, w: int, host: int) -> None:
        """Paused ``w`` stays on cut-off ``host`` as a stale copy: the cluster goes on with it
        elsewhere (the caller places it)."""
        assert self.copies is not None
        if self.copies.left.get(w) is not None:
            name = self.host_names[host]
            self.stop_left_copy(
                w,
                f"dropped: its VM leaves a newer stale copy on {name} (one per VM, a "
                "simplification)",
            )
        if self.storage_resiliency is not None:
            self.storage_resiliency.leave(w)
        self.copies.leave(w, host, running=False)
        self.stalled.pop(w, None)
        self.guest_work.pop(w, None)
        self.release(w)

    def stop_left_copy(self, w: int, why: str) -> None:
        """Turn off the stale copy of ``w`` left on a cut-off node, if there is one."""
        copy = self.copies.left.get(w) if self.copies is not None else None
        if copy is None:
            return
        assert self.copies is not None
        self.copies.stop(w)
        if self.storage_resiliency is not None:
            self.storage_resiliency.copy_stopped(w)
        self.log(EventType.COPY_STOPPED, w, copy.host, -1, why)

    # --- quarantine ---------------------------------------------------------------------

    def _quarantined(self, host: int) -> bool:
        return self.engine.now < self.quarantined_until[host]

    def _left_ungracefully(self, host: int) -> None:
        """Count an ungraceful exit; the threshold-th within an hour quarantines the node,
        unless a quarter of its failover cluster (at least one node) is quarantined already."""
        now = self.engine.now
        recent = [t for t in self.exits[host] if t > now - QUARANTINE_WINDOW_S] + [now]
        self.exits[host] = recent
        if len(recent) < self.quarantine_threshold or self.quarantine_s <= 0:
            return
        pool = self.pool_of[host]
        members = [h for h, p in enumerate(self.pool_of) if p == pool]
        cap = max(1, math.floor(QUARANTINE_SHARE * len(members)))
        held = sum(self._quarantined(h) for h in members if h != host)
        if held >= cap:
            self.log(
                EventType.NODE_QUARANTINED,
                -1,
                host,
                -1,
                f"not quarantined: {held} of {len(members)} nodes already are (at most {cap})",
            )
            return
        until = now + self.quarantine_s
        self.quarantined_until[host] = until
        self.exits[host] = []
        self.log(
            EventType.NODE_QUARANTINED,
            -1,
            host,
            -1,
            f"quarantined until {until:g} s: {len(recent)} ungraceful exits within an hour",
        )
        self.engine.at(until, Priority.CONTROL, self._quarantine_over, host)

    def kept_out(self, host: int) -> bool:
        return self.status[host] == HostStatus.QUARANTINED

    def may_rejoin(self, host: int, was: HostStatus) -> bool:
        if was == HostStatus.ISOLATED:
            self._isolation_ends(host)  # back within the period
        if not self._quarantined(host):
            return True
        # Powered on, but kept out: it neither rejoins nor hosts VMs until the time is up.
        self.set_host_status(
            host,
            HostStatus.QUARANTINED,
            EventType.HOST_RECOVERED,
            f"powered on; quarantined until {self.quarantined_until[host]:g} s",
        )
        if was in (HostStatus.FAILED, HostStatus.ISOLATED):
            self._fail_over(host)  # its VMs, still waiting, may not start here
        return False

    def _quarantine_over(self, host: int) -> None:
        if self._quarantined(host):
            return  # quarantined again since
        self.log(EventType.QUARANTINE_ENDED, -1, host, -1, "quarantine over")
        # Back in the cluster: its vote counts again (dynamic quorum), and it may be the one
        # that brings a majority back.
        crash = self.crash_quorum
        if crash is not None and self.alive[host] and crash.node_back(host):
            self._quorum_back(self.pool_of[host])
        membership = self.membership
        if (
            self.alive[host]
            and self.status[host] == HostStatus.QUARANTINED
            and (membership is None or membership.heard[host])
        ):
            self.set_host_status(
                host, HostStatus.UP, EventType.NODE_REJOINED, "rejoined the cluster"
            )
            if membership is not None:
                membership.rejoined(host)
            self.placer.freed(host)
            self.retry_pending()
            self.host_joined(host)

    def on_host_recovered(self, host: int, was: HostStatus) -> None:
        pool = self.pool_of[host]
        if self.crash_quorum is not None and self.crash_quorum.node_back(host):
            self._quorum_back(pool)
        if self._quorum_lost[pool] and self.crash_quorum is not None:
            # No cluster to rejoin: its VMs that died with it wait, as the others do, until a
            # majority is back ("the cluster must stop running").
            self.log(
                EventType.NODE_REJOINED,
                -1,
                host,
                -1,
                f"powered on, but {self.crash_quorum.words(pool)}",
            )
            self._fail_over(host)
            return
        if was in (HostStatus.DOWN, HostStatus.QUARANTINED):
            self.log(EventType.NODE_REJOINED, -1, host, -1, "rejoined the cluster")
            return
        # Back before its VMs failed over (not yet noticed, or isolated): they died with it,
        # and the cluster starts them again where they are (assumed: the VM roles are found
        # off on a member node, and restarting on the same node comes first).
        for w in self.casualties[host]:
            if self.w_phase[w] == Phase.FAILED:
                self.occupy(w, host)
                self.start_on(w, host)

    def out_of_service(self, host: int) -> None:
        # We found no documented failover-cluster command that declares an isolated node dead
        # so that its VMs fail over before ResiliencyDefaultPeriod ends: nothing to do but say so.
        self.log(
            EventType.NOT_APPLICABLE,
            -1,
            host,
            -1,
            "no documented failover-cluster equivalent of the out-of-service taint: the "
            "cluster waits out ResiliencyDefaultPeriod",
        )

    def pinned_reason(self, w: int) -> str:
        host = self.w_pin[w]
        name = self.host_names[host]
        if self._quarantined(host):
            until = self.quarantined_until[host]
            return (
                f"its VHD is on {name}'s local disk: it cannot fail over, and {name} is "
                f"quarantined until {until:g} s"
            )
        return f"its VHD is on {name}'s local disk: it cannot fail over, it waits for {name}"

    # --- OS updates: patch each VM in place, a batch at a time --------------------------

    # --- OS updates: every guest downloads and stages; reboots go a batch at a time -------

    def update(self, s: int) -> None:
        # Each guest downloads and stages the cumulative update while it keeps serving; only
        # the reboot (which finishes the install), the boot and the app's start take it out of
        # service, and those go a batch at a time so that the service keeps its capacity.
        self.unpatched[s] = set(self.active(s))
        self.staged[s] = set()
        self.rebooting[s] = set()
        self.batches_done[s] = 0
        for w in sorted(self.unpatched[s]):
            if self.w_phase[w] == Phase.READY:
                self._download(w, self.w_host[w])
        self._next_batch(s)  # a service with nothing to patch is done at once

    def batch_size(self, s: int) -> int:
        return max(1, self.desired[s] * self.batch_percent // 100)

    def _download(self, w: int, host: int) -> None:
        self._in_guest(w, "patch download (serving)", self.patch_download_s, self._stage)

    def _stage(self, w: int) -> None:
        self._in_guest(w, "patch staged (serving)", self.patch_stage_s, self._staged)

    def _in_guest(self, w: int, label: str, seconds: float, then: Callable[[int], None]) -> None:
        """Work the guest does while it keeps serving: no phase change, so a live migration
        carries it along; a crash (or a stop) ends it, and the guest starts over."""
        now = self.engine.now
        self.log(EventType.WORKLOAD_UPDATING, w, self.w_host[w], -1, label)
        self.span(label, now, now + seconds)
        self.guest_work[w] = token = next(self._guest_tokens)
        self.engine.at(now + seconds, Priority.PROGRESS, self._guest_step, w, token, then)

    def _guest_step(self, w: int, token: int, then: Callable[[int], None]) -> None:
        if self.guest_work.get(w) != token or self.w_phase[w] not in (
            Phase.READY,
            Phase.MIGRATING,
        ):
            return  # the guest crashed or stopped meanwhile (it starts over once it serves)
        then(w)

    def _staged(self, w: int) -> None:
        s = self.w_service[w]
        self.staged[s].add(w)
        self._next_batch(s)

    def _next_batch(self, s: int) -> None:
        """Reboot the next batch of staged VMs once the last batch serves again."""
        if self.rebooting[s]:
            return
        if not self.unpatched[s]:
            for book in (self.unpatched, self.staged, self.rebooting, self.batches_done):
                del book[s]
            self.finish_update(s)
            return
        # Only a serving VM is taken down; one that is down (crashed) patches once it serves.
        # A VM moving live is not taken down until it has landed.
        batch = [
            w
            for w in sorted(self.staged[s])
            if self.w_phase[w] == Phase.READY and w not in self.migrations.moves
        ]
        batch = batch[: self.batch_size(s)]
        staging = [
            w
            for w in self.unpatched[s]
            if w not in self.staged[s] and self.w_phase[w] == Phase.READY
        ]
        if not batch or (len(batch) < self.batch_size(s) and staging):
            return  # a VM finishing its staging, or serving again, calls again
        self.batches_done[s] += 1
        for w in batch:
            self.staged[s].discard(w)
            self.rebooting[s].add(w)
            self.batch_of[w] = self.batches_done[s]
            self.advance(
                w,
                self.w_host[w],
                Phase.UPDATING,
                EventType.WORKLOAD_UPDATING,
                f"batch {self.batch_of[w]}: reboot, installing",
                self.patch_offline_s,
                self._reboot,
            )

    def _reboot(self, w: int, host: int) -> None:
        self.advance(
            w,
            host,
            Phase.BOOTING,
            EventType.WORKLOAD_BOOTING,
            f"batch {self.batch_of[w]}: boot",
            self.boot_s,
            self._after_reboot,
        )

    def _after_reboot(self, w: int, host: int) -> None:
        self.advance(
            w,
            host,
            Phase.STARTING,
            EventType.WORKLOAD_STARTING,
            f"batch {self.batch_of[w]}: app start",
            self.app_start_s,
            self._patched,
        )

    def _patched(self, w: int, host: int) -> None:
        s = self.w_service[w]
        del self.batch_of[w]
        self.rebooting[s].discard(w)
        self.unpatched[s].discard(w)
        super().become_ready(w, host)  # patched: not the failover path below
        self.instance_patched(s)
        self._next_batch(s)

    def become_ready(self, w: int, host: int) -> None:
        super().become_ready(w, host)
        s = self.w_service[w]
        if w in self.unpatched.get(s, ()):
            # Back from a crash mid-update (failed over, booted unpatched): it starts over.
            self.staged[s].discard(w)
            self.rebooting[s].discard(w)
            self.batch_of.pop(w, None)
            self._download(w, host)
            self._next_batch(s)  # its batch may be over, or the update waited for it

    def set_phase(self, w: int, phase: Phase, host: int, kind: EventType, detail: str = "") -> None:
        super().set_phase(w, phase, host, kind, detail)
        if w in self.migrations.queue:
            self.migrations.changed(w)  # a VM waiting to move may have stopped running there

    def stopped(self, w: int) -> None:
        self.guest_work.pop(w, None)
        self.stalled.pop(w, None)
        if self.storage_resiliency is not None:
            self.storage_resiliency.paused.pop(w, None)
        self.migrations.vm_stopped(w)
        s = self.w_service[w]
        if s not in self.unpatched:
            return
        for book in (self.unpatched, self.staged, self.rebooting):
            book[s].discard(w)
        self.batch_of.pop(w, None)
        self._next_batch(s)  # the batch is done, or the update waited for this VM

    def serving_again(self, w: int) -> None:
        """``w`` serves again without booting (a migration ended or was called off): an update
        waiting for a VM to serve goes on."""
        s = self.w_service[w]
        if s in self.unpatched:
            self._next_batch(s)

    # --- a hot host: live migration -----------------------------------------------------

    def drain_host(self, host: int) -> None:
        # Suspend-ClusterNode asks the cluster service, which a cluster without quorum has
        # stopped: nothing is paused or moved.
        if self._refused_without_quorum(host, "cannot be drained"):
            return
        super().drain_host(host)

    def _refused_without_quorum(self, host: int, what: str) -> bool:
        """Whether ``host``'s cluster has lost quorum to crashes, logged as why ``what``."""
        pool = self.pool_of[host]
        if self.crash_quorum is None or not self._quorum_lost[pool]:
            return False
        self.log(EventType.NOT_APPLICABLE, -1, host, -1, f"{what}: {self.crash_quorum.words(pool)}")
        return True

    def drain(self, host: int) -> None:
        # Suspend-ClusterNode -Drain: the node is paused and its VMs live-migrate away; a
        # migration still on its way to it is called off.
        self.migrations.target_draining(host)
        self.rebalance(host, len(self.on_host[host]))

    def host_joined(self, host: int) -> None:
        self.balancer.node_joined(host)

    def migration_records(self) -> list[MigrationRecord]:
        return list(self.migrations.records)

    def rebalance(self, host: int, count: int) -> None:
        if self._refused_without_quorum(host, "no live migration"):
            return  # live migration is the cluster service's too
        vms = [
            w
            for w in self.on_host[host]
            if self.w_phase[w] == Phase.READY and not self.migrations.involves(w)
        ][:count]
        self.migrations.request(vms, host)

    def reserve(self, host: int, w: int, sign: int) -> None:
        """Hold (or give back) room for ``w`` on ``host`` without running it there; logged so
        that the timeline shows the second copy a live migration holds."""
        self.memory_used[host] += sign * self.w_memory[w]
        self.count[host] += sign
        self.pool_count[self.pool_of[host]] += sign
        self.log(EventType.TARGET_RESERVED if sign > 0 else EventType.TARGET_RELEASED, w, host)
        if sign < 0 and self.status[host] == HostStatus.UP:
            self.placer.freed(host)
            self.room_freed()
        else:
            self.placer.update(host)
