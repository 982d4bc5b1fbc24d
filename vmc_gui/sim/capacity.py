"""The survey's capacity analysis (issue 21, §4): when one host fails, does what ran on it
fit on what is left, placed by the platform's own rules?

It asks the engine itself rather than a second model of it.  Each world is run to the
moment of the failure (:func:`steady_state`: the cluster as found, settled); then, host by
host, the host is taken out as a crash takes it, each replica the platform would place
again is offered to the world's own placement (``WorldSim.pick``) in the order the platform
offers them, and the world is put back as it was.  So the answer honours exactly what the
engine's placement honours: least-loaded first; Hyper-V within the VM's own failover
cluster (``hyperv.max_cluster_nodes`` makes the pools), its VMs per node and per cluster and
each node's memory; Kubernetes within each node's cores, memory and pod capacity and the
cluster's pod limit and the nodes' taints (the pods' tolerations); and whatever the engine's
``pick`` comes to honour later, with no change here.  It even scatters as the simulation
does: the greedy placement may leave room that no single replica fits in, in both.

No clock runs.  Detection, the resiliency period, tolerations and rate limits change when
replicas come back, not where they land, as long as nothing else changes meanwhile: true of
one failure in a settled cluster.  What the platform would not place again is counted too:

- a replica whose data is on the failed host's own disk waits for it (``pick`` says so);
- Kubernetes: a StatefulSet pod with a termination grace period stays Terminating, its
  kubelet being down to confirm, and is never replaced (held back);
- Kubernetes: no pod is evicted when the node lifecycle controller stops evicting from the
  host's zone (a small zone partially disrupted, or every zone fully disrupted) (held back).

Kubernetes offers a host's pods when their tolerations run out, the shortest first, in the
order they ran.  Two things only a clock can order make an answer inexact
(:attr:`Outcome.exact`), and the survey simulates such a host as well (the simulation's
answer is then the one shown): a StatefulSet with a grace period of 0 recreates its pods one
at a time, each once the one before is ready (the analysis offers them in the order they
ran, and holds back those behind one that found no room, as the StatefulSet does); and a pod
placed on a node whose NoExecute taint it tolerates only for ``tolerationSeconds`` is evicted
again when they run out.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from vmc_gui.model.scenario import Scenario, World
from vmc_gui.sim.policies.kubernetes import KubernetesWorld
from vmc_gui.sim.records import CONSUMING, HostStatus, ZoneState
from vmc_gui.sim.simulate import world_sim
from vmc_gui.sim.survey_outcome import CAPACITY, Outcome
from vmc_gui.sim.world import WorldSim

_FAILED = int(HostStatus.FAILED)


def steady_state(baseline: Scenario, world: World, at_s: float) -> WorldSim:
    """``world`` of ``baseline`` run to ``at_s``: the state a failure then finds (the same
    seed, so the same placement, as the survey's simulations of the same cluster)."""
    sim = world_sim(dataclasses.replace(baseline, duration_s=at_s), world)
    sim.run()
    return sim


def replicas_on(sim: WorldSim, host: int) -> list[int]:
    """The workloads holding ``host``'s resources, in the order they came: a crash's
    casualties."""
    phase = sim.w_phase
    return [w for w in sim.on_host[host] if phase[w] in CONSUMING]


def analyse_hosts(
    sim: WorldSim, hosts: Iterable[int], cancelled: Callable[[], bool] = lambda: False
) -> dict[int, Outcome]:
    """Each of ``hosts``' failure alone (see the module).  Stops early, with what it has,
    once ``cancelled()`` says so."""
    found: dict[int, Outcome] = {}
    for host in hosts:
        if cancelled():
            break
        found[host] = analyse_host(sim, host)
    return found


def analyse_host(sim: WorldSim, host: int) -> Outcome:
    """``host``'s failure alone in ``sim``'s world, which is left as it was."""
    casualties = replicas_on(sim, host)
    if not casualties:
        return Outcome(CAPACITY, 0)
    offer = _offered(sim, host, casualties)
    pending, reason, targets = _replace(sim, host, casualties, offer.placed)
    held = dict(offer.held)
    # A StatefulSet recreates its pods in order, each once the one before is ready: behind
    # one that found no room, the rest wait (held back), as the simulation says.
    blocked: set[int] = set()
    for w in pending:
        if w in offer.in_order:
            s = sim.w_service[w]
            if s in blocked:
                held[w] = (
                    f"{sim.w_name[w]} waits for its StatefulSet's earlier pod: it recreates "
                    "its pods one at a time, in order (OrderedReady)"
                )
            blocked.add(s)
    pending = [w for w in pending if w not in held]
    names = [s.name for s in sim.services]

    def by_service(workloads: Iterable[int]) -> dict[str, int]:
        return dict(Counter(names[sim.w_service[w]] for w in workloads))

    if reason is None and held:
        reason = Counter(held.values()).most_common(1)[0][0]
    return Outcome(
        CAPACITY,
        len(casualties),
        pending=by_service(pending),
        held_back=by_service(held),
        reason=reason,
        exact=not offer.in_order and not _evicts_later(sim, targets),
    )


def _evicts_later(sim: WorldSim, targets: set[int]) -> bool:
    """Whether a replica went to a node whose NoExecute taint it tolerates only for a while
    (Kubernetes evicts it again once its ``tolerationSeconds`` run out: a clock's work)."""
    if not isinstance(sim, KubernetesWorld):
        return False
    return any(t.effect == "NoExecute" for h in targets for t in sim.node_taints[h])


@dataclass(frozen=True, slots=True)
class _Offer:
    """What the platform does with a failed host's replicas."""

    #: Those it places again, in its order.
    placed: list[int]
    #: Those it holds back, with why.
    held: dict[int, str]
    #: Of ``placed``, those a clock orders (a StatefulSet's pods with a grace period of 0:
    #: each recreated once the one before is ready); the analysis offers them in the order
    #: they ran, so its answer is not exact.
    in_order: set[int]


def _offered(sim: WorldSim, host: int, casualties: list[int]) -> _Offer:
    if isinstance(sim, KubernetesWorld):
        return _pods_offered(sim, host, casualties)
    # Hyper-V: the node is Down, and every VM it ran fails over at once, in that order.
    return _Offer(casualties, {}, set())


def _pods_offered(sim: KubernetesWorld, host: int, casualties: list[int]) -> _Offer:
    stop = evictions_stop(sim, host)
    if stop is not None:
        return _Offer([], dict.fromkeys(casualties, stop), set())
    node = sim.host_names[host]
    placed: list[int] = []
    held: dict[int, str] = {}
    in_order: set[int] = set()
    # Each toleration runs out at its own time, the shortest first; sorted() keeps the order
    # they ran in within each (the taint eviction controller's order).
    for w in sorted(casualties, key=lambda w: sim.w_toleration[w]):
        if not sim.stateful_service[sim.w_service[w]]:
            placed.append(w)  # a ReplicaSet replaces a pod as its deletion begins
        elif sim.w_grace[w] > 0:
            held[w] = (
                f"{sim.w_name[w]} stays Terminating on {node}: its kubelet is down and cannot "
                "confirm the deletion, so the StatefulSet creates no replacement (a grace "
                "period of 0, or the out-of-service taint, frees it)"
            )
        else:
            placed.append(w)
            in_order.add(w)
    return _Offer(placed, held, in_order)


def evictions_stop(sim: KubernetesWorld, host: int) -> str | None:
    """Why the node lifecycle controller would evict nothing from ``host`` once it is
    NotReady (its zone's state then, as ``ComputeZoneState`` and ``setLimiterInZone`` in
    node_lifecycle.py decide), or None if it evicts."""
    lifecycle = sim.lifecycle
    zone = lifecycle.host_zone[host]
    size = len(lifecycle.members[zone])
    not_ready = lifecycle.not_ready[zone] + 1
    name = lifecycle.zone_names[zone]
    if not_ready == size:
        others = (s for z, s in enumerate(lifecycle.state) if z != zone)
        if all(state == ZoneState.FULL for state in others):
            return (
                f"with {name} down, every zone is fully disrupted: the node lifecycle "
                "controller stops all evictions"
            )
        rate = lifecycle.rate
    elif not_ready > 2 and not_ready / size >= lifecycle.threshold:
        rate = lifecycle.secondary if size > lifecycle.large else 0.0
        if rate <= 0:
            return (
                f"zone {name} is partially disrupted ({not_ready} of {size} nodes not ready) "
                f"and has {lifecycle.large} nodes or fewer: no evictions"
            )
    else:
        rate = lifecycle.rate
    if rate <= 0:
        return f"the node eviction rate of zone {name} is 0: no evictions"
    return None


def _replace(
    sim: WorldSim, host: int, casualties: list[int], offered: list[int]
) -> tuple[list[int], str | None, set[int]]:
    """Take ``host`` out, place ``offered`` one by one as the platform would, then put
    everything back.  Returns the replicas left without a host, the platform's reason for
    the first of them, and the hosts the others went to."""
    saved = _Saved(sim, host)
    sim.status[host] = _FAILED
    sim.placer.remove(host)
    for w in casualties:
        sim.release(w)  # the host is not up: this frees nothing for the others
    pending: list[int] = []
    reason: str | None = None
    try:
        for w in offered:
            target = sim.pick(w)
            if target < 0:
                if reason is None:
                    # Worded as the platform words it, in the state it would say it in.
                    pin = sim.w_pin[w]
                    reason = sim.pinned_reason(w) if pin >= 0 else sim.no_room_reason(w)
                pending.append(w)
                continue
            saved.touch(target)
            sim.occupy(w, target)
            saved.placed.append((w, target))
    finally:
        saved.restore()
    return pending, reason, {target for _, target in saved.placed}


class _Saved:
    """What :func:`_replace` changes in the world, to put back: the hosts it touched (their
    figures as they were), the pools' counts, the failed host's workloads and status."""

    def __init__(self, sim: WorldSim, host: int) -> None:
        self.sim = sim
        self.host = host
        self.status = sim.status[host]
        self.on_host = dict(sim.on_host[host])
        self.pool_count = list(sim.pool_count)
        self.load_changes = len(sim.load_changes)
        self.hosts: dict[int, tuple[float, float, int]] = {}
        self.placed: list[tuple[int, int]] = []
        self.touch(host)

    def touch(self, host: int) -> None:
        sim = self.sim
        if host not in self.hosts:
            self.hosts[host] = (sim.cpu_used[host], sim.memory_used[host], sim.count[host])

    def restore(self) -> None:
        sim = self.sim
        for w, target in self.placed:
            del sim.on_host[target][w]
        for host, (cpu, memory, count) in self.hosts.items():
            # The very floats from before: adding and taking away again need not give them.
            sim.cpu_used[host] = cpu
            sim.memory_used[host] = memory
            sim.count[host] = count
        sim.pool_count[:] = self.pool_count
        del sim.load_changes[self.load_changes :]
        sim.on_host[self.host] = self.on_host
        sim.status[self.host] = self.status
        for host in self.hosts:
            sim.placer.update(host)
        sim.placer.epoch += 1  # a refusal cached during the replay does not hold now
