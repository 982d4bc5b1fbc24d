"""Kubernetes' node lifecycle controller, as ``pkg/controller/nodelifecycle`` does it (v1.34+).

The kubelet renews its node Lease every quarter of ``kubernetes.node_lease_duration_s``.  The
controller's monitor pass runs every ``kubernetes.node_monitor_period_s``; it notes the time
it first sees a renewal, and marks the node Unknown (NotReady) at the first pass
``kubernetes.node_monitor_grace_period_s`` after that.  In the same pass the node is queued for
the ``node.kubernetes.io/unreachable:NoExecute`` taint in its zone's queue; once every node has
been judged, each zone's state is worked out again from the Ready conditions just written:

- **full disruption**: no node of the zone is Ready;
- **partial disruption**: more than 2 of its nodes are not Ready, and at least
  ``--unhealthy-zone-threshold`` (0.55) of them;
- **normal** otherwise.

Each zone's queue is drained by a token bucket of one token, tried every 100 ms, at
``--node-eviction-rate`` (0.1 nodes/s) in a normal or fully disrupted zone, and in a partially
disrupted one at ``--secondary-node-eviction-rate`` (0.01) if the zone has more than
``--large-cluster-size-threshold`` (50) nodes, else not at all.  When every zone is fully
disrupted the controller assumes it has lost the nodes rather than the nodes have failed: it
removes the NoExecute taints it applied and stops all evictions until a zone recovers.

Two simplifications, both documented: a pass is atomic (the real taint loop runs beside it, so
a node queued in a pass that ends a zone's normal state may win a token first), and queued
nodes are taken in host order (the real order is whatever order the controller's workers
re-queued them in).

The controller only judges nodes and taints them; the world evicts the pods of a tainted node
(the taint eviction controller) and decides what an evicted pod becomes.

A node is *unheard* when its lease stops reaching the controller: it crashed, or it is cut off
from the part of the network that holds the control plane (issue 19; the kubelet keeps its
pods running, K1 in docs/research/issue-19-kubernetes-partitions.md).  The controller cannot
tell the two apart: both take the same grace period, queue and taint ("NodeReady condition
or lease was last set longer ago than gracePeriod", N3).  Its timers check the world's
``contact_epoch``, bumped by a crash, a recovery, a cut and a heal alike.

While etcd has no quorum the control plane is *frozen* (:meth:`NodeLifecycle.freeze`): no
pass runs, nothing is tainted (Q3, Q4).  When it thaws, the new leader has no history of the
nodes, so every node it does not hear gets a full grace period from then ("Missing
timestamp for Node. Assuming now as a timestamp", Q5).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vmc_gui.model.parameters import ParameterSet
from vmc_gui.sim.clocks import first_tick_after, first_tick_from, last_tick
from vmc_gui.sim.engine import Priority
from vmc_gui.sim.records import EventType, ZoneState

if TYPE_CHECKING:
    from vmc_gui.sim.policies.kubernetes import KubernetesWorld

#: The kubelet renews its Lease every quarter of the lease's duration
#: (pkg/kubelet/kubelet.go: nodeLeaseRenewIntervalFraction = 0.25).
RENEW_FRACTION = 0.25
#: How often the taint loop tries each zone's queue
#: (pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go: NodeEvictionPeriod).
TAINT_LOOP_S = 0.1
#: What a rate-0 limiter reports as its rate (client-go's fakeNeverRateLimiter.QPS returns 1),
#: which SwapLimiter compares with the new rate: leaving rate 0 for a rate of exactly 1 is
#: taken for "no change", and tainting stays stopped.
_NEVER_REPORTS_QPS = 1.0
_EPSILON = 1e-9


class NodeLifecycle:
    """Judges nodes by their leases, keeps each zone's state, and taints unreachable nodes at
    their zone's rate; the world reacts to each judgement (``node_not_ready``,
    ``node_tainted``, ``node_untainted``, ``node_ready``)."""

    def __init__(
        self,
        world: KubernetesWorld,
        lease_phase: list[float],
        monitor_phase: float,
        taint_phase: float,
    ) -> None:
        self.world = world
        spec = world.scenario.cluster
        n = len(world.host_names)
        self.zone_names = spec.zone_names()
        self.host_zone = [spec.zone_of_rack(rack) for rack in world.host_rack]
        zones = range(len(self.zone_names))
        # One pass over the hosts (a scan per zone reads 1,000 hosts 25 times).
        self.members: list[list[int]] = [[] for _ in zones]
        for h, z in enumerate(self.host_zone):
            self.members[z].append(h)
        self.lease_phase = lease_phase
        self.monitor_phase = monitor_phase
        self.taint_phase = taint_phase
        #: The controller's view of each node's Ready condition.
        self.ready = [True] * n
        self.tainted = [False] * n
        self.not_ready_since = [0.0] * n
        #: Nodes not Ready per zone, and each zone's state.
        self.not_ready = [0 for _ in zones]
        self.state = [ZoneState.NORMAL for _ in zones]
        #: Every change of a zone's state or rate: (time, zone, ZoneState, nodes/s).
        self.changes: list[tuple[float, int, int, float]] = []
        self.all_full = False
        #: Nodes waiting for the unreachable taint, per zone.
        self.queue: list[set[int]] = [set() for _ in zones]
        #: Each zone's limiter: its rate, whether it never admits (rate 0), and the time its
        #: bucket of one token is full again.
        self.qps = [0.0 for _ in zones]
        self.never = [False for _ in zones]
        self.full_at = [0.0 for _ in zones]
        self._tries = [0 for _ in zones]
        #: Judgements due at each pass: (host, the host's crash count, Ready or not, and which
        #: of the host's NotReady judgements it is: a fresh grace period overtakes the last).
        self._passes: dict[float, list[tuple[int, int, bool, int]]] = {}
        self._judgements = [0] * n
        #: The unheard nodes not yet judged: host -> its contact epoch (for a fresh grace
        #: period).
        self._silent: dict[int, int] = {}
        #: Whether etcd has lost its quorum: no pass runs and nothing is tainted.
        self.frozen = False
        self.configure(world.params)
        for z in zones:
            # A rate of 0 is a limiter that never admits (SwapLimiter's fake-never limiter).
            self.qps[z] = max(self.rate, 0.0)
            self.never[z] = self.rate <= 0
            self.changes.append((0.0, z, int(ZoneState.NORMAL), self.qps[z]))

    def configure(self, p: ParameterSet) -> None:
        """Read the settings; a changed rate applies to every zone from now on."""
        self.renew_every = p.seconds("kubernetes.node_lease_duration_s") * RENEW_FRACTION
        self.period = p.seconds("kubernetes.node_monitor_period_s")
        self.grace = p.seconds("kubernetes.node_monitor_grace_period_s")
        self.rate = float(p["kubernetes.node_eviction_rate"])
        self.secondary = float(p["kubernetes.secondary_node_eviction_rate"])
        self.threshold = float(p["kubernetes.unhealthy_zone_threshold"])
        self.large = int(p["kubernetes.large_cluster_size_threshold"])
        self.monitor_offset = self.monitor_phase * self.period
        self.taint_offset = self.taint_phase * TAINT_LOOP_S

    def reconfigure(self, p: ParameterSet) -> None:
        """A setting changed during the run: every zone's limiter follows at once."""
        self.configure(p)
        zones = range(len(self.zone_names))
        # Every pass judges every zone again: a changed threshold can change a zone's state.
        self._handle_disruption(set(zones))
        for z in zones:
            self._set_limiter(z)
            rate = self._rate_for(z, self.state[z])
            if self._last_rate(z) != rate:
                self.changes.append((self.world.engine.now, z, int(self.state[z]), rate))
            self._kick(z)
        self.explain()

    def _last_rate(self, z: int) -> float:
        return next(rate for _, zone, _, rate in reversed(self.changes) if zone == z)

    # --- judging nodes ---------------------------------------------------------------------

    def host_unheard(self, host: int, since: float | None = None) -> None:
        """``host``'s lease is not renewed any more (it crashed, or it is cut off from the
        control plane), as of ``since`` (now unless given: a node powered on while cut off
        has not renewed since it crashed); the controller notices a grace period after the
        pass that saw the last renewal.  While frozen, only noted: the thaw gives it a grace
        period."""
        world = self.world
        now = world.engine.now
        epoch = world.contact_epoch[host]
        self._silent[host] = epoch
        if self.frozen:
            return
        at = now if since is None else since
        renewed = last_tick(self.lease_phase[host] * self.renew_every, self.renew_every, at)
        seen = first_tick_after(self.monitor_offset, self.period, renewed)
        judged = first_tick_from(self.monitor_offset, self.period, max(seen + self.grace, now))
        k = 1
        while renewed + k * self.renew_every < judged:
            due = renewed + k * self.renew_every
            if due >= now:  # those before now were logged already
                world.engine.at(due, Priority.CONTROL, world.lease_missed, host, k, epoch)
            k += 1
        self._judge_at(judged, host, epoch, ready=False)

    def host_unheard_again(self, host: int) -> None:
        """``host`` crashed or was cut off again before the controller saw it Ready: it is
        still NotReady; if it is not tainted, it goes back into its zone's queue (each pass
        re-queues it)."""
        if not self.tainted[host]:
            z = self.host_zone[host]
            self.queue[z].add(host)
            self._kick(z)
            self.explain()

    def host_heard(self, host: int) -> None:
        """``host``'s kubelet reaches the control plane again (powered on, or the partition
        healed) and renews the lease at once: a node the controller had judged NotReady is
        Ready at its next pass."""
        self._silent.pop(host, None)
        if not self.ready[host] and not self.frozen:
            world = self.world
            when = first_tick_after(self.monitor_offset, self.period, world.engine.now)
            self._judge_at(when, host, world.contact_epoch[host], ready=True)

    # --- etcd without quorum -----------------------------------------------------------------

    def freeze(self) -> None:
        """etcd lost its quorum: no write succeeds, so the controller's leadership lapses and
        nothing is judged, queued or tainted (Q3, Q4; the ~10 s before the lease lapses is
        not modelled).  The judgements due are dropped."""
        self.frozen = True
        self._passes.clear()
        for z in range(len(self.zone_names)):
            self._tries[z] += 1  # a try already queued finds nothing to do

    def thaw(self) -> None:
        """etcd has its quorum again: a new leader starts with no history of the nodes (Q5).
        Every unheard node not yet NotReady gets a full grace period from now; a NotReady
        node that is heard is Ready at the next pass; a NotReady node not tainted is queued
        again; every zone's queue is tried again.  The nodes' Ready conditions and taints,
        kept in etcd, stand."""
        self.frozen = False
        world = self.world
        now = world.engine.now
        for host, epoch in list(self._silent.items()):
            when = first_tick_from(self.monitor_offset, self.period, now + self.grace)
            self._judge_at(when, host, epoch, ready=False)
        for host, ready in enumerate(self.ready):
            if ready:
                continue
            if world.heard(host):
                when = first_tick_after(self.monitor_offset, self.period, now)
                self._judge_at(when, host, world.contact_epoch[host], ready=True)
            elif not self.tainted[host] and not self.all_full:
                self.queue[self.host_zone[host]].add(host)
        for z in range(len(self.zone_names)):
            self._kick(z)
        self.explain()

    def _judge_at(self, t: float, host: int, epoch: int, *, ready: bool) -> None:
        batch = self._passes.get(t)
        if batch is None:
            batch = self._passes[t] = []
            self.world.engine.at(t, Priority.CONTROL, self._pass, t)
        if not ready:
            self._judgements[host] += 1
        batch.append((host, epoch, ready, self._judgements[host]))

    def _pass(self, t: float) -> None:
        """One monitor pass: judge every node whose judgement is due, then the zones."""
        world = self.world
        batch = self._passes.pop(t, None)
        if batch is None or self.frozen:
            return  # dropped when etcd lost its quorum
        changed: set[int] = set()
        for host, epoch, ready, judgement in batch:
            if world.contact_epoch[host] != epoch:
                continue  # the host came back, was heard again, or failed again, since
            if not ready and judgement != self._judgements[host]:
                continue  # the node was given a fresh grace period since
            z = self.host_zone[host]
            if not ready and self.ready[host] and not world.heard(host):
                self._silent.pop(host, None)
                self.ready[host] = False
                self.not_ready[z] += 1
                self.not_ready_since[host] = t
                self.queue[z].add(host)
                world.node_not_ready(host)
                changed.add(z)
            elif ready and not self.ready[host] and world.heard(host):
                self.ready[host] = True
                self.not_ready[z] -= 1
                self._reachable(host)
                world.node_ready(host)
                changed.add(z)
        self._handle_disruption(changed)
        for z in changed:
            self._kick(z)
        self.explain()

    # --- zones ---------------------------------------------------------------------------

    def _zone_state(self, z: int) -> ZoneState:
        """ComputeZoneState: checked in this order, so a zone with every node down is fully
        disrupted, never partially."""
        not_ready = self.not_ready[z]
        size = len(self.members[z])
        if not_ready == size and not_ready > 0:
            return ZoneState.FULL
        if not_ready > 2 and not_ready / size >= self.threshold:
            return ZoneState.PARTIAL
        return ZoneState.NORMAL

    def _handle_disruption(self, changed: set[int]) -> None:
        """handleDisruption: the new zone states, the all-zones-down corner case, and each
        changed zone's limiter."""
        new = {z: self._zone_state(z) for z in changed}
        states = [new.get(z, self.state[z]) for z in range(len(self.state))]
        all_full = all(s == ZoneState.FULL for s in states)
        was_all_full = self.all_full
        self.all_full = all_full
        moved = [z for z, state in new.items() if state != self.state[z]]
        if all_full != was_all_full:
            moved = list(range(len(self.state)))  # every zone's rate changes with it
        for z in moved:
            self._record(z, states[z])
        if all_full and not was_all_full:
            # Every zone is down: the controller suspects its own view of the nodes.  It
            # removes the NoExecute taints it applied, empties the queues, stops evicting.
            for host in range(len(self.ready)):
                self._reachable(host)
            for z in range(len(self.state)):
                self._swap(z, 0.0)
            self.world.log(
                EventType.ZONE_STATE_CHANGED,
                detail="every zone is fully disrupted: all evictions stop and the unreachable "
                "taints are removed",
            )
            return
        if was_all_full and not all_full:
            # A zone is back: every node gets a fresh grace period, the nodes still NotReady
            # are queued again (each pass re-queues them), and every zone's limiter is reset.
            self.world.log(
                EventType.ZONE_STATE_CHANGED,
                detail="a zone has Ready nodes again: evictions resume",
            )
            now = self.world.engine.now
            for host, epoch in list(self._silent.items()):
                when = first_tick_from(self.monitor_offset, self.period, now + self.grace)
                self._judge_at(when, host, epoch, ready=False)
            for host, ready in enumerate(self.ready):
                if not ready and not self.tainted[host]:
                    self.queue[self.host_zone[host]].add(host)
            for z in range(len(self.state)):
                self._set_limiter(z)
                self._kick(z)
            return
        for z in moved:
            self._set_limiter(z)

    def _record(self, z: int, state: ZoneState) -> None:
        self.state[z] = state
        now = self.world.engine.now
        rate = self._effective_rate(z, state)
        self.changes.append((now, z, int(state), rate))
        size = len(self.members[z])
        stuck = ""
        if rate <= 0 < self._rate_for(z, state):
            stuck = (
                " (the limiter stays at 0: a stopped zone's limiter reports 1 node/s, so a "
                "rate of 1 is never swapped back in; kubernetes/kubernetes#104639)"
            )
        self.world.log(
            EventType.ZONE_STATE_CHANGED,
            value=int(state),
            detail=f"{self.zone_label(z)}: {state.label} ({self.not_ready[z]} of {size} nodes "
            f"NotReady); eviction rate {rate:g} nodes/s{stuck}",
        )

    def _effective_rate(self, z: int, state: ZoneState) -> float:
        """The rate zone ``z`` evicts at in ``state``, as SwapLimiter leaves it (see
        :meth:`_swap`): the rate the state calls for, except where the limiter in place
        reports that rate already and is kept (a stopped limiter reports 1 node/s)."""
        wanted = self._rate_for(z, state)
        current = _NEVER_REPORTS_QPS if self.never[z] else self.qps[z]
        if current == wanted:
            return 0.0 if self.never[z] else self.qps[z]
        return max(wanted, 0.0)

    def _rate_for(self, z: int, state: ZoneState) -> float:
        """setLimiterInZone: the normal rate, unless the zone is partially disrupted; then the
        secondary rate in a zone of more than the large-cluster threshold, else none."""
        if self.all_full:
            return 0.0
        if state == ZoneState.PARTIAL:
            return self.secondary if len(self.members[z]) > self.large else 0.0
        return self.rate

    def _set_limiter(self, z: int) -> None:
        self._swap(z, self._rate_for(z, self.state[z]))

    def _swap(self, z: int, qps: float) -> None:
        """SwapLimiter: a new bucket for a new rate, full only if the old one held a token."""
        current = _NEVER_REPORTS_QPS if self.never[z] else self.qps[z]
        if current == qps:
            return
        now = self.world.engine.now
        had_token = not self.never[z] and now >= self.full_at[z] - _EPSILON
        if qps <= 0:
            self.never[z] = True
            self.qps[z] = 0.0
            return
        self.never[z] = False
        self.qps[z] = qps
        self.full_at[z] = now if had_token else now + 1.0 / qps
        self._kick(z)

    # --- tainting -------------------------------------------------------------------------

    def _kick(self, z: int) -> None:
        """Try zone ``z``'s queue at the taint loop's first tick with a token in the bucket."""
        if self.never[z] or not self.queue[z]:
            return
        world = self.world
        at = max(world.engine.now, self.full_at[z])
        self._tries[z] += 1
        when = first_tick_from(self.taint_offset, TAINT_LOOP_S, at)
        world.engine.at(when, Priority.CONTROL, self._try, z, self._tries[z])

    def _try(self, z: int, attempt: int) -> None:
        if (
            attempt != self._tries[z]
            or self.frozen
            or self.never[z]
            or self.qps[z] <= 0
            or not self.queue[z]
        ):
            return
        now = self.world.engine.now
        if now < self.full_at[z] - _EPSILON:
            self._kick(z)
            return
        self.full_at[z] = now + 1.0 / self.qps[z]
        host = min(self.queue[z])
        self.queue[z].discard(host)
        if self.world.heard(host):
            # Its kubelet is back and says Ready: "Node was in a taint queue, but it's ready
            # now. Ignoring taint request" (the token is spent all the same).
            self._kick(z)
            return
        self.tainted[host] = True
        self.world.node_tainted(host, self.not_ready_since[host])
        self._kick(z)

    def _reachable(self, host: int) -> None:
        """markNodeAsReachable: off the queue, and its unreachable taint removed."""
        self.queue[self.host_zone[host]].discard(host)
        if self.tainted[host]:
            self.tainted[host] = False
            self.world.node_untainted(host)

    # --- why a node waits -------------------------------------------------------------------

    def zone_label(self, z: int) -> str:
        return f"zone {self.zone_names[z]}" if self.zone_names[z] else "the cluster's one zone"

    def waiting_reason(self, host: int) -> str:
        """Why ``host``, NotReady, is not tainted yet (so its pods are not evicted); worded for
        its zone, so that the nodes of one zone share one reason."""
        z = self.host_zone[host]
        if self.all_full:
            return (
                "every zone is fully disrupted: the node lifecycle controller suspects its own "
                "view of the nodes, stops all evictions and removes its taints, so no pod of a "
                "NotReady node is replaced"
            )
        size = len(self.members[z])
        if self.never[z] and self.state[z] == ZoneState.PARTIAL:
            return (
                f"{self.zone_label(z)} is partially disrupted, {self.not_ready[z]} of {size} "
                f"nodes NotReady (more than 2, and at least {self.threshold:.0%}): a zone of "
                f"{self.large} nodes or fewer stops evicting (--large-cluster-size-threshold), "
                "so its nodes not yet tainted never are, and their pods are never replaced"
            )
        if self.never[z]:
            return f"{self.zone_label(z)} evicts at 0 nodes/s: its NotReady nodes are never tainted"
        return (
            f"its node waits its turn in {self.zone_label(z)}'s taint queue ({self.qps[z]:g} "
            f"nodes/s, {self.state[z].label})"
        )

    def explain(self) -> None:
        """Tell the world why each queued node waits (the reason changes with its zone)."""
        for queued in self.queue:
            for host in queued:
                self.world.node_waits(host, self.waiting_reason(host))
        if self.all_full:
            for host, ready in enumerate(self.ready):
                if not ready:
                    self.world.node_waits(host, self.waiting_reason(host))
