"""Which hosts each platform's balancer would call hot at a time, by its own rule.

The rules are the balancers' own (see their modules), with the same settings:

- Hyper-V's VM Load Balancing (``policies/vm_load_balancer.py``): a node that is up is over
  the threshold when its CPU use or its memory is above ``hyperv.auto_balancer_level``'s
  share (80 % at level 1, 70 % at 2), or more than 5 points above the up nodes' average (3).
  With ``hyperv.auto_balancer_mode`` 0 it judges nothing.
- The descheduler's LowNodeUtilization (``policies/descheduler.py``): a Ready node is
  overutilized when what its pods *request* (CPU, memory, or pods against
  ``kubernetes.max_pods_per_node``) is above ``descheduler.target_thresholds_percent``.  Not
  installed (``descheduler.interval_s`` 0), it judges nothing: Kubernetes itself calls no node
  hot.

The cards' figures are the same as the balancers': the VM world's CPU is what the VMs use
(Hyper-V measures it), the container world's what the pods request.  A ``set`` event in the
scenario changes the rule from its time on, as it changes the balancer's.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from vmc_gui.model.events import SetParameter
from vmc_gui.model.parameters import ParameterSet
from vmc_gui.model.scenario import Platform, Scenario, World
from vmc_gui.sim.policies.vm_load_balancer import ABOVE_AVERAGE, DISABLED, LEVEL_THRESHOLDS
from vmc_gui.sim.records import CONSUMING, HostStatus, Phase
from vmc_gui.sim.timeline import WorldState

FloatArray = npt.NDArray[np.float64]
#: By phase code plus one (``NOT_CREATED`` is -1): does a workload in it hold its host?
_HOLDS = np.zeros(max(Phase) + 2, dtype=bool)
_HOLDS[[int(p) + 1 for p in CONSUMING]] = True


class Resource(IntEnum):
    """What a host is hot by."""

    CPU = 0
    MEMORY = 1
    PODS = 2

    @property
    def label(self) -> str:
        return ("CPU", "memory", "pods")[int(self)]


@dataclass(frozen=True)
class HotRule:
    """One balancer's rule for "hot"."""

    #: Who judges: "VM Load Balancing", "the descheduler".
    judge: str
    #: The share above which a host is hot; None where it is relative to the average.
    threshold: float | None
    #: Hyper-V's level 3: hot when more than this far above the up nodes' average.
    above_average: float | None
    #: The descheduler also counts pods against this many per node (None: pods not counted).
    max_pods: int | None
    #: The host statuses the balancer judges.
    judged: tuple[int, ...]

    def describe(self, resource: Resource = Resource.CPU) -> str:
        """The rule in words, for a tooltip: what the balancer does, and from when."""
        if self.threshold is None:
            limit = f"more than {self.above_average:.0%} above the hosts' average"
        else:
            limit = f"over {self.threshold:.0%}"
        limit = limit.replace("%", " %")
        if self.max_pods is None:
            return f"{self.judge} moves VMs off a host whose {resource.label} use is {limit}"
        what = "the pods it holds" if resource is Resource.PODS else f"its {resource.label}"
        return f"{self.judge} evicts pods from a node whose pods request {limit} of {what}"

    def limits(self, shares: FloatArray, judged: npt.NDArray[np.bool_]) -> FloatArray:
        """The limit for each resource (one per row of ``shares``)."""
        if self.threshold is not None:
            return np.full(len(shares), self.threshold)
        count = max(1, int(np.count_nonzero(judged)))
        average = shares[:, judged].sum(axis=1) / count
        return np.asarray(average + (self.above_average or 0.0), dtype=np.float64)


def rule_for(platform: Platform, parameters: ParameterSet) -> HotRule | None:
    """The rule of ``platform``'s balancer with ``parameters``; None if no balancer runs."""
    p = parameters
    if platform is Platform.VM:
        if int(p["hyperv.auto_balancer_mode"]) == DISABLED:
            return None
        level = int(p["hyperv.auto_balancer_level"])
        threshold = LEVEL_THRESHOLDS.get(level)
        return HotRule(
            "VM Load Balancing",
            threshold,
            None if threshold is not None else ABOVE_AVERAGE,
            None,
            (int(HostStatus.UP),),
        )
    if p.seconds("descheduler.interval_s") <= 0:
        return None
    return HotRule(
        "the descheduler",
        float(p["descheduler.target_thresholds_percent"]) / 100.0,
        None,
        int(p["kubernetes.max_pods_per_node"]),
        (int(HostStatus.UP), int(HostStatus.DRAINING)),
    )


@dataclass(frozen=True)
class Heat:
    """Each host at one moment: hot or not, and by what."""

    hot: npt.NDArray[np.bool_]
    #: The resource most over its limit (a :class:`Resource` code), per host.
    resource: npt.NDArray[np.int64]
    #: That resource's share of the host (1.0 is all of it), per host.
    share: FloatArray


class HotHosts:
    """A world's balancer rule over a run (a ``set`` event changes it from its time)."""

    def __init__(
        self,
        world: World,
        scenario: Scenario,
        host_cores: list[float] | tuple[float, ...],
        host_memory_mb: list[float] | tuple[float, ...],
        resources: tuple[Resource, ...] = tuple(Resource),
    ) -> None:
        #: The resources judged (the balancers judge them all; a view may ask about fewer).
        self.resources = resources
        self.cores = np.asarray(host_cores, dtype=np.float64)
        self.memory_gb = np.asarray(host_memory_mb, dtype=np.float64) / 1024.0
        parameters = scenario.parameters
        self._times = [0.0]
        self._rules = [rule_for(world.platform, parameters)]
        for event in sorted(scenario.events, key=lambda e: e.at_s):
            if isinstance(event, SetParameter):
                parameters = parameters.with_overrides({event.parameter: event.value})
                self._times.append(event.at_s)
                self._rules.append(rule_for(world.platform, parameters))

    def rule_at(self, t: float) -> HotRule | None:
        return self._rules[bisect.bisect_right(self._times, t) - 1]

    @property
    def ever(self) -> bool:
        """Whether a balancer judges the hosts at any time of the run."""
        return any(rule is not None for rule in self._rules)

    def at(self, state: WorldState) -> Heat:
        """The hosts as the balancer judges them at ``state``'s time (asked every frame:
        a few array operations over the hosts)."""
        n = len(self.cores)
        rule = self.rule_at(state.time_s)
        if rule is None:
            return Heat(np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int64), np.zeros(n))
        wanted = [r for r in self.resources if r is not Resource.PODS or rule.max_pods]
        rows = []
        for resource in wanted:
            if resource is Resource.CPU:
                rows.append(_share(state.host_cpu, self.cores))
            elif resource is Resource.MEMORY:
                rows.append(_share(state.host_memory_gb, self.memory_gb))
            else:
                held = _HOLDS[state.workload_phase + 1] & (state.workload_host >= 0)
                pods = np.bincount(state.workload_host[held], minlength=n).astype(np.float64)
                rows.append(pods / max(1, rule.max_pods or 1))
        judged = np.zeros(n, dtype=bool)
        for status in rule.judged:
            judged |= state.host_status == status
        shares = np.vstack(rows) if len(rows) > 1 else rows[0][None, :]
        over = shares - rule.limits(shares, judged)[:, None]
        most = np.argmax(over, axis=0) if len(rows) > 1 else np.zeros(n, dtype=np.intp)
        hosts = np.arange(n)
        hot = judged & (over[most, hosts] > 1e-9)
        codes = np.asarray([int(r) for r in wanted], dtype=np.int64)[most]
        return Heat(hot, codes, shares[most, hosts])


def _share(used: FloatArray, capacity: FloatArray) -> FloatArray:
    """``used`` over ``capacity``, 0 where there is none."""
    out = np.zeros(len(used))
    np.divide(used, capacity, out=out, where=capacity > 0)
    return out
