"""The container world's node taints (issue 21): which nodes the scheduler may bind a
service's pods to, how it words a refusal, and when a running pod is evicted.

The rules, from "Taints and Tolerations"
(https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/) and the code
it describes:

- ``NoSchedule``: no new pod is scheduled on the node unless it tolerates the taint; "Pods
  currently running on the node are not evicted".  ``NoExecute`` also keeps new pods off, and
  evicts the running ones that do not tolerate it.  The scheduler's TaintToleration filter
  (kubernetes/pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go) refuses a
  node with a NoSchedule or NoExecute taint the pod does not tolerate
  (``FindMatchingUntoleratedTaint``, the first in the node's order), in the words
  ``node(s) had untolerated taint(s)`` (since 1.34.2 and 1.35; ``{key: value}`` before).
- ``PreferNoSchedule`` only lowers a node's score (the same plugin's Score); this model's score
  is the least-allocated alone, so it does not change where a pod goes.
- A cordoned node (``spec.unschedulable``; an import writes it as the taint
  ``node.kubernetes.io/unschedulable:NoSchedule``, which the node lifecycle controller adds)
  is refused first by the NodeUnschedulable filter, in the words ``node(s) were
  unschedulable``, unless the pod tolerates that taint
  (pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go).
- The taint eviction controller (pkg/controller/tainteviction/taint_eviction.go,
  ``processPodOnNode``) deletes a pod on a node with NoExecute taints at once unless each is
  tolerated (``GetMatchingTolerations``: each taint's first matching toleration); then after
  the least ``tolerationSeconds`` of those tolerations (``getMinTolerationTime``: 0 or less is
  at once; none set is for ever).

The node lifecycle controller's own ``unreachable`` and ``not-ready`` taints are modelled apart
(:mod:`.node_lifecycle`), with each pod's ``toleration_s``.  Hyper-V has nothing like taints: the
VM world ignores them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from vmc_gui.model.cluster import ClusterSpec
from vmc_gui.model.scenario import ServiceSpec
from vmc_gui.model.taints import HARD_EFFECTS, Taint, Toleration, parse_taint
from vmc_gui.sim.engine import Priority
from vmc_gui.sim.placement import HostGroups
from vmc_gui.sim.records import CONSUMING, Phase

if TYPE_CHECKING:
    from vmc_gui.sim.policies.kubernetes import KubernetesWorld

#: The taint of a cordoned node (https://kubernetes.io/docs/reference/labels-annotations-taints/
#: #node-kubernetes-io-unschedulable).
UNSCHEDULABLE = Taint("node.kubernetes.io/unschedulable", "", "NoSchedule")
#: The NodeUnschedulable filter's words (ErrReasonUnschedulable).
UNSCHEDULABLE_REASON = "node(s) were unschedulable"
#: TaintToleration's refusal as the scheduler words it since 1.34.2 (see ``refusal``).
UNTOLERATED_REASON = "node(s) had untolerated taint(s)"
NO_EXECUTE = "NoExecute"


def node_taints(spec: ClusterSpec) -> list[tuple[Taint, ...]]:
    """Each host's taints, parsed (the loader checked them), in the order the node lists them;
    the short form's hosts have none."""
    if not spec.hosts:
        return [()] * spec.host_count
    return [tuple(parse_taint(text) for text in host.taints) for host in spec.hosts]


def first_untolerated(taints: Iterable[Taint], tolerations: Sequence[Toleration]) -> Taint | None:
    """The first NoSchedule or NoExecute taint none of ``tolerations`` tolerates, or None: the
    TaintToleration filter's ``FindMatchingUntoleratedTaint``."""
    for taint in taints:
        if taint.effect in HARD_EFFECTS and not any(t.tolerates(taint) for t in tolerations):
            return taint
    return None


def admits(taints: Iterable[Taint], tolerations: Sequence[Toleration]) -> bool:
    """Whether the scheduler may bind a pod with ``tolerations`` to a node with ``taints``."""
    return first_untolerated(taints, tolerations) is None


def refusal(taints: Sequence[Taint], tolerations: Sequence[Toleration]) -> str | None:
    """Why the scheduler's filters refuse the node for the pod, as its FailedScheduling message
    counts it, or None where the taints let it through: a cordoned node's NodeUnschedulable
    first, then TaintToleration's "node(s) had untolerated taint(s)": since Kubernetes 1.35
    (kubernetes/kubernetes#134740) and 1.34.2 (its cherry-pick #135023) the message no longer
    names the taint's key and value; before, it read ``{key: value}``.  The model's node
    lifecycle follows 1.34, so its words are a current 1.34's."""
    if any(t == UNSCHEDULABLE for t in taints) and not any(
        t.tolerates(UNSCHEDULABLE) for t in tolerations
    ):
        return UNSCHEDULABLE_REASON
    taint = first_untolerated(taints, tolerations)
    if taint is None:
        return None
    return UNTOLERATED_REASON


def host_groups(taints: Sequence[tuple[Taint, ...]], services: Sequence[ServiceSpec]) -> HostGroups:
    """The nodes grouped by the services whose pods the scheduler may bind to them.

    Grouping by what a node admits, not by its taints, keeps the groups as few as can be: a
    cluster whose tainted nodes every service tolerates (or that has no NoSchedule or
    NoExecute taint) is one group, and places exactly as an untainted one.
    """
    if not any(t.effect in HARD_EFFECTS for host in taints for t in host):
        return HostGroups.one(len(taints), len(services))
    signatures: dict[tuple[bool, ...], int] = {}
    by_taints: dict[frozenset[Taint], int] = {}
    host_group = []
    for host in taints:
        hard = frozenset(t for t in host if t.effect in HARD_EFFECTS)
        group = by_taints.get(hard)
        if group is None:
            signature = tuple(admits(hard, s.tolerations) for s in services)
            group = by_taints[hard] = signatures.setdefault(signature, len(signatures))
        host_group.append(group)
    allowed = [
        tuple(g for signature, g in signatures.items() if signature[s])
        for s in range(len(services))
    ]
    kinds: dict[tuple[Toleration, ...], int] = {}
    key = [kinds.setdefault(s.tolerations, len(kinds)) for s in services]
    return HostGroups(host_group, [tuple(sorted(a)) for a in allowed], key)


def eviction(
    taints: Iterable[Taint], tolerations: Sequence[Toleration]
) -> tuple[float, Taint, bool] | None:
    """When the taint eviction controller deletes a pod with ``tolerations`` from a node with
    ``taints``, counted from its being there, for which taint, and whether it tolerated it for
    a while: at once for a NoExecute taint none of them tolerates; else after the least
    ``tolerationSeconds`` of the tolerations used (each NoExecute taint's first match), at
    least 0.  None: no NoExecute taint, or each tolerated for ever."""
    soonest: tuple[float, Taint, bool] | None = None
    for taint in taints:
        if taint.effect != NO_EXECUTE:
            continue
        used = next((t for t in tolerations if t.tolerates(taint)), None)
        if used is None:
            return (0.0, taint, False)
        if used.seconds is not None and (soonest is None or used.seconds < soonest[0]):
            soonest = (max(0.0, used.seconds), taint, True)
    return soonest


def descheduler_tolerates(taints: Sequence[Taint], tolerations: Sequence[Toleration]) -> bool:
    """Whether the descheduler counts a pod with ``tolerations`` as able to go to a node with
    ``taints``: every taint tolerated, whatever its effect, and (as its code has it) no more
    taints than tolerations (kubernetes-sigs/descheduler pkg/utils/predicates.go,
    ``PodToleratesTaints``)."""
    return len(tolerations) >= len(taints) and all(
        any(t.tolerates(taint) for t in tolerations) for taint in taints
    )


class TaintManager:
    """The taint eviction controller, for the nodes' own NoExecute taints: each pod bound to
    such a node (at the start, or by the scheduler later) is deleted when its tolerations
    run out, and its owner replaces it elsewhere."""

    def __init__(self, world: KubernetesWorld) -> None:
        self.world = world
        self.taints = world.node_taints
        #: Whether each node has a NoExecute taint of its own, and whether any has.
        self.no_execute = [any(t.effect == NO_EXECUTE for t in host) for host in self.taints]
        self.active = any(self.no_execute)
        #: Per (service, node): when and why its pods are evicted (``eviction``), worked out
        #: once.
        self._due: dict[tuple[int, int], tuple[float, Taint, bool] | None] = {}
        #: Each pod's latest binding to a NoExecute node: an eviction armed for an older one
        #: (a StatefulSet pod recreated under the same name) is void.
        self._armed: dict[int, int] = {}
        self._tokens = itertools.count(1)

    def deployed(self) -> None:
        """At the start: arm the evictions of the pods on the NoExecute nodes."""
        if not self.active:
            return
        world = self.world
        for host, tainted in enumerate(self.no_execute):
            if tainted:
                for w in world.on_host[host]:
                    self.bound(w, host)

    def bound(self, w: int, host: int) -> None:
        """Pod ``w`` is on ``host`` from now: arm its eviction if the host's NoExecute taints
        call for one (``processPodOnNode``)."""
        if not self.no_execute[host]:
            return
        world = self.world
        s = world.w_service[w]
        key = (s, host)
        if key not in self._due:
            self._due[key] = eviction(self.taints[host], world.services[s].tolerations)
        due = self._due[key]
        if due is None:
            return  # tolerated for ever
        token = self._armed[w] = next(self._tokens)
        engine = world.engine
        engine.at(engine.now + due[0], Priority.CONTROL, self._evict, w, host, token)

    def _evict(self, w: int, host: int, token: int) -> None:
        world = self.world
        phase = world.w_phase[w]
        if (
            self._armed.get(w) != token
            or world.w_host[w] != host
            or phase not in CONSUMING
            or phase == Phase.TERMINATING
        ):
            return  # gone, moved, crashed with its node, or being deleted already
        if world.frozen:  # the controller manager does nothing while etcd has no quorum
            world.after_thaw(self._evict, w, host, token)
            return
        due = self._due[(world.w_service[w], host)]
        assert due is not None  # armed only where one is due
        delay, taint, tolerated = due
        why = (
            f"evicted: its toleration of the taint {taint.text} ran out after {delay:g} s"
            if tolerated
            else f"evicted: it does not tolerate the taint {taint.text}"
        )
        world._delete(w, why)  # as the taint eviction controller deletes it
