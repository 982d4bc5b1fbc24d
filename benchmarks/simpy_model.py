"""The failover model written the SimPy way: the benchmark's baseline.

Each workload is a long-lived SimPy process, as machines are in SimPy's own "machine shop"
example: a host crash interrupts the processes running on it; each then waits for the
platform to act (a process per failed host counts the missed heartbeats or lease renewals)
and recovers with timeouts.  The platforms' control planes (the failover cluster's isolation
timer, the node lifecycle controller's passes and rate-limited taints) are vmc-gui's own code,
with each of their timers a SimPy process.  The state, the placement rules and the event log
are vmc-gui's own (the same world classes), so both runs must end with the same results; only
the way time and reactions are expressed differs.

It covers what the benchmark needs (host and rack failures), not host recovery.
"""

from __future__ import annotations

import contextlib
import math
import random
from collections.abc import Generator
from typing import Any

import simpy

from vmc_gui.model.scenario import Scenario, World
from vmc_gui.sim.clocks import last_tick
from vmc_gui.sim.engine import Priority
from vmc_gui.sim.policies.hyperv import HyperVWorld
from vmc_gui.sim.policies.kubernetes import KubernetesWorld
from vmc_gui.sim.records import CONSUMING, EventType, HostStatus, Phase
from vmc_gui.sim.simulate import world_seed
from vmc_gui.sim.timeline import Timeline
from vmc_gui.sim.world import WorldRun, WorldSim

Process = Generator[simpy.Event, Any, None]


class _Clock:
    """What the world classes read the time from, and schedule their control loops on: each
    timer is a SimPy process."""

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env

    @property
    def now(self) -> float:
        return float(self.env.now)

    def at(self, time: float, priority: Priority, action: Any, *args: Any) -> None:
        self.env.process(self._after(max(0.0, time - self.env.now), action, args))

    def _after(self, delay: float, action: Any, args: tuple[Any, ...]) -> Process:
        yield self.env.timeout(delay)
        action(*args)


class _SimPyWorld(WorldSim):
    """Shared SimPy plumbing: a process per workload, interrupted when its host crashes."""

    def setup(self) -> None:
        self.env = simpy.Environment()
        self.engine = _Clock(self.env)  # type: ignore[assignment]
        self.processes: dict[int, simpy.Process] = {}
        self.noticed: dict[int, simpy.Event] = {}

    def run(self) -> WorldRun:
        self.setup()
        self.deploy()
        for w, phase in enumerate(self.w_phase):
            if phase == Phase.READY:
                self.processes[w] = self.env.process(self.running(w))
        for event in self.scenario.events:
            self.env.process(self.at(event.at_s, self.inject, event))
        self.env.run(until=math.nextafter(self.scenario.duration_s, math.inf))
        return self.result()

    def at(self, time: float, action: Any, *args: Any) -> Process:
        yield self.env.timeout(time - self.env.now)
        action(*args)

    def running(self, w: int) -> Process:
        with contextlib.suppress(simpy.Interrupt):
            yield self.env.event()  # runs until its host crashes
        host = self.w_host[w]
        self.release(w)
        self.set_phase(w, Phase.FAILED, host, EventType.WORKLOAD_FAILED, "host crashed")
        yield from self.after_crash(w, host)

    def after_crash(self, w: int, host: int) -> Process:
        raise NotImplementedError

    def fail_host(self, host: int) -> None:
        if not self.alive[host]:
            return
        self.alive[host] = False
        self.failed_at[host] = self.env.now
        self.status[host] = HostStatus.FAILED
        self.status_changes += 1
        self.placer.remove(host)
        self.log(EventType.HOST_FAILED, -1, host, HostStatus.FAILED)
        self.noticed[host] = self.env.event()
        dead = [w for w in self.on_host[host] if self.w_phase[w] in CONSUMING]
        self.casualties[host] = dead
        for w in dead:
            self.processes[w].interrupt("host crashed")
        self.env.process(self.detect(host))

    def detect(self, host: int) -> Process:
        raise NotImplementedError

    def start_on(self, w: int, host: int) -> None:
        """Placement only reserves the host; the workload's process does the rest."""


class SimPyHyperV(_SimPyWorld, HyperVWorld):
    def detect(self, host: int) -> Process:
        now = self.env.now
        last = last_tick(self.heartbeat_phase[host] * self.delay, self.delay, now)
        for k in range(1, self.threshold + 1):
            yield self.env.timeout(last + k * self.delay - self.env.now)
            self.log(EventType.HEARTBEAT_MISSED, -1, host, -1, f"{k}/{self.threshold}")
        self._remove(host)  # isolated for the resiliency period, then down

    def _fail_over(self, host: int) -> None:
        self.noticed[host].succeed()  # each of its VMs' processes restarts it elsewhere

    def after_crash(self, w: int, host: int) -> Process:
        yield self.noticed[host]
        self.set_phase(w, Phase.PENDING, -1, EventType.WORKLOAD_RESTARTING, "failover")
        if not self.place(w):
            return
        new = self.w_host[w]
        now = self.env.now
        self.set_phase(w, Phase.BOOTING, new, EventType.WORKLOAD_BOOTING, "guest boot")
        self.span("guest boot", now, now + self.boot_s)
        yield self.env.timeout(self.boot_s)
        now = self.env.now
        self.set_phase(w, Phase.STARTING, new, EventType.WORKLOAD_STARTING, "app start")
        self.span("app start", now, now + self.app_start_s)
        yield self.env.timeout(self.app_start_s)
        self.set_phase(w, Phase.READY, new, EventType.WORKLOAD_READY)
        yield from self.running(w)


class SimPyKubernetes(_SimPyWorld, KubernetesWorld):
    def detect(self, host: int) -> Process:
        # The node lifecycle controller judges the node at a pass; its timers are processes.
        self.lifecycle.host_unheard(host)
        yield from ()

    def setup(self) -> None:
        super().setup()
        #: Each failed pod's eviction: the taint eviction controller's timer fires it.
        self.eviction: dict[int, simpy.Event] = {}

    def after_crash(self, w: int, host: int) -> Process:
        self.eviction[w] = self.env.event()
        why = yield self.eviction[w]
        self._delete(w, why)  # Terminating or gone; its owner replaces it

    def _evict(self, host: int, taint: int, pods: list[int], tainted_at: float) -> None:
        if self.taints[host] != taint:
            return
        due = [w for w in pods if self.w_phase[w] == Phase.FAILED and self.w_host[w] == host]
        if due:
            self.span("unreachable toleration", tainted_at, self.env.now)
        for w in due:
            self.eviction[w].succeed("evicted: its toleration of the unreachable taint ran out")

    def _recreate(self, old: int) -> None:
        replacement = self.create(self.w_service[old])
        self.created_at[replacement] = self.env.now
        self.log(
            EventType.WORKLOAD_CREATED,
            replacement,
            -1,
            Phase.PENDING,
            f"replaces {self.w_name[old]}",
        )
        self.processes[replacement] = self.env.process(self.pod(replacement))

    def pod(self, w: int) -> Process:
        created = self.created_at.pop(w, self.env.now)
        if not self.place(w):
            return
        host = self.w_host[w]
        now = self.env.now
        self.span("scheduling", created, now)
        image = self.services[self.w_service[w]].image
        if image not in self.images[host]:
            done = self.pulls[host].get(image)
            if done is None or done < now:
                done = max(now, self.pull_free_at[host]) + self.pull_s[self.w_service[w]]
                self.pull_free_at[host] = done
                self.pulls[host][image] = done
            self.set_phase(w, Phase.PULLING, host, EventType.IMAGE_PULL_STARTED, image)
            self.span("image pull", now, done)
            yield self.env.timeout(done - now)
            self.images[host].add(image)
        now = self.env.now
        self.set_phase(w, Phase.STARTING, host, EventType.WORKLOAD_STARTING, "container start")
        start_s = self.start_s[self.w_service[w]]
        self.span("container start", now, now + start_s)
        yield self.env.timeout(start_s)
        self.set_phase(w, Phase.READY, host, EventType.WORKLOAD_READY)
        yield from self.running(w)


SIMPY_WORLDS: dict[World, type[_SimPyWorld]] = {
    World.VM: SimPyHyperV,
    World.CONTAINER: SimPyKubernetes,
}


def simulate_with_simpy(scenario: Scenario) -> Timeline:
    runs = [
        SIMPY_WORLDS[world](scenario, random.Random(world_seed(scenario.seed, world))).run()
        for world in scenario.worlds
    ]
    return Timeline(scenario, runs)
