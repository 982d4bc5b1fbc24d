"""Hyper-V's VM Load Balancing (Windows Server 2016 and later): a node whose memory pressure or
CPU use is over the threshold sheds VMs to less loaded nodes by live migration.

From Microsoft Learn's "Virtual Machine Load Balancing overview" and "deep-dive":

- With ``hyperv.auto_balancer_mode`` 2 ("Always", the default) the nodes are evaluated every
  30 minutes and when a node joins; with 1, only when a node joins; 0 turns it off.
- A node is over the threshold when its memory pressure or its CPU utilization ("averaged
  over a 5 minute window") is above ``hyperv.auto_balancer_level``'s: 80 % (1, Low, the
  default), 70 % (2, Medium), or more than 5 % above the nodes' average (3, High).
- "The nodes with the highest pressure are identified to determine priority of balancing";
  "VMs are Live Migrated (with no down time) from a node exceeding the threshold to node under
  minimum threshold."

No source says which VMs move or how many per pass: we move the busiest VM first, each to the
node with the least pressure that stays under the threshold, until the node is under it (an
assumed rule, in the parameters' notes).  The 5-minute CPU average is the current use: the
lessons' loads change in steps, minutes apart.

A pass counts the moves already asked for and not yet made (waiting their turn or under way,
from an earlier pass or a drain) as made: a VM on its way counts on its target (where one was
chosen), not on the node it leaves, and is not asked for again.  So when many nodes join at
once, each join's pass sees what the passes before it planned, and a VM moves once (also an
assumption: the sources say nothing of passes that overlap).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from vmc_gui.model.parameters import ParameterSet
from vmc_gui.sim.engine import Priority
from vmc_gui.sim.records import EventType, HostStatus, Phase

if TYPE_CHECKING:
    from vmc_gui.sim.policies.hyperv import HyperVWorld

#: "the pressure on the cluster nodes is evaluated for balancing every 30 minutes".
EVALUATION_PERIOD_S = 1800.0
#: AutoBalancerLevel 1 and 2: the share of CPU or memory above which a node is over.
LEVEL_THRESHOLDS = {1: 0.80, 2: 0.70}
#: AutoBalancerLevel 3: more than this far above the nodes' average.
ABOVE_AVERAGE = 0.05
DISABLED, ON_JOIN, ALWAYS = 0, 1, 2


class VmLoadBalancer:
    """The cluster's VM Load Balancing: its passes and the moves it asks for."""

    def __init__(self, world: HyperVWorld) -> None:
        self.world = world
        #: How many VMs have been looked at, the least memory and the least CPU of theirs.
        self._least = (0, math.inf, math.inf)
        self.configure(world.params)

    def configure(self, p: ParameterSet) -> None:
        self.mode = int(p["hyperv.auto_balancer_mode"])
        self.level = int(p["hyperv.auto_balancer_level"])

    def start(self) -> None:
        """Schedule the periodic passes (they run whatever the mode; a pass checks it)."""
        engine = self.world.engine
        engine.at(EVALUATION_PERIOD_S, Priority.CONTROL, self._periodic)

    def _periodic(self) -> None:
        engine = self.world.engine
        if self.mode == ALWAYS:
            self.evaluate("its 30-minute pass")
        engine.at(engine.now + EVALUATION_PERIOD_S, Priority.CONTROL, self._periodic)

    def node_joined(self, host: int) -> None:
        if self.mode >= ON_JOIN:
            name = self.world.host_names[host]
            self.world.engine.at(
                self.world.engine.now, Priority.CONTROL, self.evaluate, f"{name} joining"
            )

    # --- one pass ----------------------------------------------------------------------

    def evaluate(self, why: str) -> None:
        w = self.world
        w.metrics.setdefault("balancer_moves", 0)
        up = [h for h, s in enumerate(w.status) if s == HostStatus.UP]
        if not up:
            return
        cores, sizes = w.host_cores, w.host_memory
        cpu = {h: w.cpu_used[h] / cores[h] for h in up}
        memory = {h: w.memory_used[h] / sizes[h] for h in up}
        migrations = w.migrations
        vm_cpu, vm_memory, extra = w.w_cpu, w.w_memory, w.w_extra
        for v, source, target, reserved in migrations.asked():
            # Asked for already: count it moved (a target under way holds its memory already).
            use = vm_cpu[v] + extra.get(v, 0.0)
            if source in cpu:
                cpu[source] -= use / cores[source]
                memory[source] -= vm_memory[v] / sizes[source]
            if target in cpu:
                cpu[target] += use / cores[target]
                if not reserved:
                    memory[target] += vm_memory[v] / sizes[target]
        if self.level in LEVEL_THRESHOLDS:
            limit_cpu = limit_memory = LEVEL_THRESHOLDS[self.level]
            rule = f"{LEVEL_THRESHOLDS[self.level]:.0%}"
        else:
            limit_cpu = sum(cpu.values()) / len(up) + ABOVE_AVERAGE
            limit_memory = sum(memory.values()) / len(up) + ABOVE_AVERAGE
            rule = "5 % above the average"

        def over(h: int) -> bool:
            return cpu[h] > limit_cpu + 1e-9 or memory[h] > limit_memory + 1e-9

        over_cpu, over_memory = limit_cpu + 1e-9, limit_memory + 1e-9
        hot = sorted(
            (h for h in up if cpu[h] > over_cpu or memory[h] > over_memory),
            key=lambda h: -max(cpu[h], memory[h]),
        )
        if not hot:
            w.log(
                EventType.BALANCER_PASS,
                detail=f"VM Load Balancing ({why}): no node over {rule}",
            )
            return
        # A VM moves only within its failover cluster: each cluster's nodes up, in order.
        members: dict[int, list[int]] = {}
        for h in up:
            members.setdefault(w.pool_of[h], []).append(h)
        # The nodes of each cluster that could take a VM at all (the least any VM uses would
        # not take it over the threshold, or fill it), worked out again when a move changes
        # a node's load: a hot node with none in its cluster keeps all its VMs.
        least_memory, least_cpu = self._least_vm()
        open_nodes: dict[int, list[int]] = {}
        moves: dict[int, list[tuple[int, int]]] = {}
        for source in hot:
            said = f"{w.host_names[source]} at {cpu[source]:.0%} CPU, {memory[source]:.0%} memory"
            planned: list[tuple[int, int]] = []
            pool = w.pool_of[source]
            nodes = members[pool]
            if pool not in open_nodes:
                open_nodes[pool] = [
                    h
                    for h in nodes
                    if not (
                        cpu[h] + least_cpu / w.host_cores[h] > limit_cpu
                        or (after := memory[h] + least_memory / w.host_memory[h]) > limit_memory
                        or after > 1.0
                    )
                ]
            room = open_nodes[pool]
            if len(room) > 1 or (room and room[0] != source):
                vms = [
                    v
                    for v in w.on_host[source]
                    if w.w_phase[v] == Phase.READY
                    and w.w_pin[v] < 0
                    and not migrations.asked_for(v)
                ]
                vms.sort(key=lambda v: -(w.w_cpu[v] + w.w_extra.get(v, 0.0)))
            else:
                vms = []  # no node of its cluster could take even one: nothing moves
            for v in vms:
                if not over(source):
                    break
                use = w.w_cpu[v] + w.w_extra.get(v, 0.0)
                target = self._target(v, source, use, nodes, cpu, memory, limit_cpu, limit_memory)
                if target < 0:
                    break
                cpu[source] -= use / w.host_cores[source]
                memory[source] -= w.w_memory[v] / w.host_memory[source]
                cpu[target] += use / w.host_cores[target]
                memory[target] += w.w_memory[v] / w.host_memory[target]
                planned.append((v, target))
                open_nodes.pop(pool, None)
            if planned:
                moves[source] = planned
            w.log(
                EventType.BALANCER_PASS,
                -1,
                source,
                -1,
                f"VM Load Balancing ({why}): {said}, over {rule}: {len(planned)} VMs to move",
            )
        for source, planned in moves.items():
            w.metrics["balancer_moves"] += len(planned)
            w.migrations.request([v for v, _ in planned], source, dict(planned))

    def _least_vm(self) -> tuple[float, float]:
        """The least memory any VM of the world has, and the least CPU any uses (VMs are
        only added, never resized; a busier host's VMs use more, or less)."""
        w = self.world
        counted, memory, cpu = self._least
        if len(w.w_memory) > counted:
            memory = min(memory, min(w.w_memory[counted:]))
            cpu = min(cpu, min(w.w_cpu[counted:]))
            self._least = (len(w.w_memory), memory, cpu)
        if w.w_extra:
            cpu = min(cpu, min(w.w_cpu[v] + extra for v, extra in w.w_extra.items()))
        return memory, cpu

    def _target(
        self,
        v: int,
        source: int,
        use: float,
        nodes: list[int],
        cpu: dict[int, float],
        memory: dict[int, float],
        limit_cpu: float,
        limit_memory: float,
    ) -> int:
        """The node of ``nodes`` (the source's cluster, up) with the least pressure that stays
        under the threshold with ``v``."""
        w = self.world
        best, best_pressure = -1, 2.0
        for h in nodes:
            if h == source:
                continue
            after_cpu = cpu[h] + use / w.host_cores[h]
            after_memory = memory[h] + w.w_memory[v] / w.host_memory[h]
            if after_cpu > limit_cpu or after_memory > limit_memory or after_memory > 1.0:
                continue
            pressure = max(cpu[h], memory[h])
            if pressure < best_pressure:
                best, best_pressure = h, pressure
        return best
