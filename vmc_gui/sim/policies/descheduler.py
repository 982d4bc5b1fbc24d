"""The Kubernetes descheduler (kubernetes-sigs/descheduler, an add-on) with its
LowNodeUtilization strategy: evict pods from overutilized nodes so that the scheduler places
their replacements on underutilized ones.

From its README and its code (pkg/framework/plugins/nodeutilization):

- It runs on a schedule (``descheduler.interval_s``; its Helm chart's CronJob every 2 minutes),
  here with a policy that enables LowNodeUtilization alone (the chart's default policy also
  enables RemoveDuplicates and others).
- A node's usage is "the current resources requested on the node vs total allocatable", for
  CPU, memory and pods: by default requests, "not actual usage", so a node whose pods use
  more than they request is not hot to it.
- A node under ``descheduler.thresholds_percent`` for every resource is underutilized; one over
  ``descheduler.target_thresholds_percent`` for any is overutilized.  With no underutilized or
  no overutilized node, it does nothing.
- It evicts from the most used node first, until the node is no longer over its target or the
  underutilized nodes' room (their target less their usage) runs out.
- A cordoned node is never underutilized ("Node is unschedulable, thus not considered as
  underutilized"), and a pod that tolerates the taints of no underutilized node is not
  evicted ("Skipping eviction for pod, doesn't tolerate node taint": ``PodToleratesTaints``,
  pkg/utils/predicates.go, which counts every taint, PreferNoSchedule too) (issue 21).
- Evictions go through the Eviction API, so a PodDisruptionBudget refuses one that would leave
  too many pods unavailable; the ReplicaSet recreates each evicted pod and the scheduler places
  it, so the pod is missing until its replacement has started.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from vmc_gui.model.parameters import ParameterSet
from vmc_gui.sim.engine import Priority
from vmc_gui.sim.policies.node_taints import UNSCHEDULABLE, descheduler_tolerates
from vmc_gui.sim.records import CONSUMING, EventType, HostStatus, Phase

if TYPE_CHECKING:
    from vmc_gui.sim.policies.kubernetes import KubernetesWorld


class Descheduler:
    """The descheduler's runs and the evictions they make."""

    def __init__(self, world: KubernetesWorld) -> None:
        self.world = world
        self.scheduled = False
        self.configure(world.params)

    def configure(self, p: ParameterSet) -> None:
        self.interval = p.seconds("descheduler.interval_s")
        self.low = float(p["descheduler.thresholds_percent"]) / 100.0
        self.target = float(p["descheduler.target_thresholds_percent"]) / 100.0
        self.max_pods = int(p["kubernetes.max_pods_per_node"])
        if self.interval > 0 and not self.scheduled:
            self.scheduled = True
            engine = self.world.engine
            engine.at(engine.now + self.interval, Priority.CONTROL, self._run)

    def _run(self) -> None:
        engine = self.world.engine
        if self.interval <= 0:
            self.scheduled = False  # uninstalled meanwhile
            return
        self.run_once()
        engine.at(engine.now + self.interval, Priority.CONTROL, self._run)

    def capacity(self, h: int) -> tuple[float, float, float]:
        """What node ``h`` holds: cores, MB and pods."""
        w = self.world
        # The node's own allocatable pods where the cluster gives it (an imported node's),
        # as the descheduler's nodeutilization reads status.allocatable.
        pods_on = getattr(w, "pods_on", None)
        pods = float(pods_on[h]) if pods_on is not None else float(self.max_pods)
        return (w.host_cores[h], w.host_memory[h], pods)

    def usage(self, h: int) -> list[float]:
        """What node ``h``'s pods request, as shares of what it holds (CPU, memory, pods)."""
        w = self.world
        requested = (w.cpu_used[h], w.memory_used[h], float(w.count[h]))
        return [r / c for r, c in zip(requested, self.capacity(h), strict=True)]

    def run_once(self) -> None:
        w = self.world
        w.metrics.setdefault("descheduler_evictions", 0)
        # Every Ready node counts; a cordoned one can be overutilized but never underutilized.
        nodes = [
            h
            for h, s in enumerate(w.status)
            if s in (HostStatus.UP, HostStatus.DRAINING) and w.lifecycle.ready[h]
        ]
        usage = {h: self.usage(h) for h in nodes}
        low = [
            h
            for h in nodes
            if not w.cordoned[h]
            and UNSCHEDULABLE not in w.node_taints[h]  # cordoned where it was imported
            and w.status[h] == HostStatus.UP
            and all(u <= self.low for u in usage[h])
        ]
        high = [h for h in nodes if any(u > self.target for u in usage[h])]
        if not low or not high or len(low) == len(nodes):
            w.log(
                EventType.BALANCER_PASS,
                detail=f"descheduler (LowNodeUtilization, by requests): {len(low)} "
                f"underutilized, {len(high)} overutilized: nothing to do",
            )
            return
        # The room the underutilized nodes have up to the target, per resource.
        capacity = {h: self.capacity(h) for h in nodes}
        room = [sum((self.target - usage[h][r]) * capacity[h][r] for h in low) for r in range(3)]
        evicted = refused = skipped = 0
        goes_low = self._tolerating_low(low)

        # Most used first, as the code sorts them: by the raw sum of millicores, bytes and pods
        # requested, which memory dominates.
        def raw(h: int) -> float:
            return w.cpu_used[h] * 1000 + w.memory_used[h] * 2**20 + w.count[h]

        for h in sorted(high, key=lambda h: -raw(h)):
            for pod in list(w.on_host[h]):
                if not any(u > self.target for u in usage[h]) or min(room) <= 0:
                    break
                if w.w_phase[pod] not in CONSUMING or w.w_phase[pod] == Phase.TERMINATING:
                    continue
                if not goes_low(w.w_service[pod]):
                    skipped += 1
                    continue
                if not self._budget_allows(w.w_service[pod]):
                    refused += 1
                    continue
                need = (w.w_cpu[pod], w.w_memory[pod], 1.0)
                for r in range(3):
                    usage[h][r] -= need[r] / capacity[h][r]
                    room[r] -= need[r]
                evicted += 1
                w.metrics["descheduler_evictions"] += 1
                w.evict(pod, f"evicted by the descheduler: {w.host_names[h]} is overutilized")
        names = ", ".join(w.host_names[h] for h in low)
        w.log(
            EventType.BALANCER_PASS,
            detail=f"descheduler (LowNodeUtilization, by requests): {names} underutilized; "
            f"{evicted} evicted"
            + (f", {refused} refused by a disruption budget" if refused else "")
            + (
                f", {skipped} skipped: they tolerate no underutilized node's taints"
                if skipped
                else ""
            ),
        )

    def _tolerating_low(self, low: list[int]) -> Callable[[int], bool]:
        """Whether a service's pods tolerate the taints of one of the ``low`` nodes at least
        (``PodToleratesTaints``), each service worked out once per run."""
        w = self.world
        if not any(w.node_taints[h] for h in low):
            return lambda s: True  # an untainted node takes any pod
        known: dict[int, bool] = {}

        def goes(s: int) -> bool:
            if s not in known:
                tolerations = w.services[s].tolerations
                known[s] = any(descheduler_tolerates(w.node_taints[h], tolerations) for h in low)
            return known[s]

        return goes

    def _budget_allows(self, s: int) -> bool:
        """Whether the service's PodDisruptionBudget allows one more pod to go now."""
        w = self.world
        budget = w.services[s].pdb_max_unavailable
        if budget is None:
            return True
        return w.desired[s] - w.ready[s] < budget
