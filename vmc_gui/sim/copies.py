"""Which copies of each workload run, and which serve, while the network is cut.

A crash stops a host's workloads; a cut does not.  A copy that runs on a cut-off host may be
out of the clients' reach, and its platform may start another copy elsewhere while it still
runs.  Two counts follow, as issue 19 defines them:

- a replica **serves** when it is ready, its host reaches the clients, and its platform still
  lists it (a pod stops being a Service endpoint once its node is marked NotReady);
- a workload runs **twice** when the copy its platform left behind on a cut-off host still
  executes while its replacement is ready.

Left copies are keyed by the workload that carries the identity on (a VM or a StatefulSet pod
keeps its own index; a Deployment's replacement is a new pod, and the old one is the copy
left behind).  Nothing here is touched in a run without network events, so crash-only runs
log exactly what they logged before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from vmc_gui.sim.records import EventType, Phase

if TYPE_CHECKING:
    from vmc_gui.sim.world import WorldSim

_READY = Phase.READY


@dataclass(slots=True)
class LeftCopy:
    """A copy a platform left behind on a host it no longer hears."""

    #: The workload whose copy it was (the key itself, or the Deployment pod replaced).
    old: int
    host: int
    #: Whether its process executes (a Paused-Critical VM holds memory and runs nothing).
    running: bool
    since: float


class Copies:
    """Serving and duplicate counts for one world, kept as phases and reach change."""

    def __init__(self, world: WorldSim) -> None:
        self.world = world
        hosts = len(world.host_names)
        services = len(world.services)
        #: Whether each host reaches the clients, whether its platform lists its replicas,
        #: and both (what serving asks).
        self.reaches_clients = [True] * hosts
        self.listed = [True] * hosts
        self.serves = [True] * hosts
        #: Ready replicas of each service on hosts that do not serve.
        self.unserved = [0] * services
        self.unreachable = [False] * services
        self.left: dict[int, LeftCopy] = {}
        #: Left copies by the workload they were a copy of (to stop them by that name).
        self.key_of_old: dict[int, int] = {}
        self.running_left = [0] * services
        #: The keys whose left copy runs while the key is ready: the workloads running twice.
        self.doubled: set[int] = set()
        self.max_duplicates = 0
        #: (time, service, running copies, serving copies), at every change of either.
        self.changes: list[tuple[float, int, int, int]] = []

    # --- what the world tells it ------------------------------------------------------------

    def phase_changed(self, w: int, old_phase: int, old_host: int, phase: int, host: int) -> None:
        """Workload ``w`` moved from ``old_phase`` on ``old_host`` to ``phase`` on ``host``."""
        s = self.world.w_service[w]
        if old_phase == _READY and old_host >= 0 and not self.serves[old_host]:
            self.unserved[s] -= 1
        if phase == _READY and host >= 0 and not self.serves[host]:
            self.unserved[s] += 1
        if w in self.left:
            self._judge(w)
        # No check here: set_phase counts the service's ready replicas after this call, then
        # calls check_service, which checks (checking here saw the old count: a ready copy
        # out of reach leaving READY logged "reached" and "unreachable" at one instant).

    def set_reaches_clients(self, reached: dict[int, bool]) -> None:
        """Which hosts the clients reach now (those that changed); each service is judged
        once all have, so that its row counts the whole cut (a rack cut off is one step)."""
        touched: set[int] = set()
        for host, now in reached.items():
            self.reaches_clients[host] = now
            touched |= self._host_serves(host)
        for s in sorted(touched):
            self.check(s)

    def set_listed(self, host: int, listed: bool) -> None:
        """Whether the platform lists ``host``'s ready replicas (its endpoints)."""
        self.listed[host] = listed
        for s in sorted(self._host_serves(host)):
            self.check(s)

    def host_died(self, host: int) -> None:
        """Copies left on ``host`` stop with it."""
        for key, copy in list(self.left.items()):
            if copy.host == host:
                self.stop(key)

    # --- what the platform tells it ---------------------------------------------------------

    def leave(self, key: int, host: int, *, old: int | None = None, running: bool) -> None:
        """The platform goes on with ``key`` elsewhere while a copy stays on ``host``."""
        old = key if old is None else old
        self.stop(key)
        self.left[key] = LeftCopy(old, host, running, self.world.engine.now)
        self.key_of_old[old] = key
        s = self.world.w_service[key]
        if running:
            self.running_left[s] += 1
            self._record(s)
        self._judge(key)

    def set_running(self, key: int, running: bool) -> None:
        """The left copy of ``key`` pauses or resumes."""
        copy = self.left.get(key)
        if copy is None or copy.running == running:
            return
        copy.running = running
        s = self.world.w_service[key]
        self.running_left[s] += 1 if running else -1
        self._record(s)
        self._judge(key)

    def stop(self, key: int) -> None:
        """The left copy of ``key`` stops for good (turned off, or its host heard again)."""
        copy = self.left.pop(key, None)
        if copy is None:
            return
        self.key_of_old.pop(copy.old, None)
        if copy.running:
            s = self.world.w_service[key]
            self.running_left[s] -= 1
            self._record(s)
        self._judge(key)

    def stop_old(self, old: int) -> None:
        """Stop the copy left of workload ``old`` (a Deployment pod, by its own index)."""
        key = self.key_of_old.get(old)
        if key is not None:
            self.stop(key)

    def copy_on(self, host: int) -> list[int]:
        """The keys whose copy is left on ``host``."""
        return [key for key, copy in self.left.items() if copy.host == host]

    # --- the counts -------------------------------------------------------------------------

    def serving(self, s: int) -> int:
        return self.world.ready[s] - self.unserved[s]

    def running(self, s: int) -> int:
        return self.world.ready[s] + self.running_left[s]

    def check(self, s: int) -> None:
        """Log when service ``s`` gains or loses a desired replica the clients reach."""
        world = self.world
        short = self.serving(s) < world.desired[s]
        self._record(s)
        if short != self.unreachable[s]:
            self.unreachable[s] = short
            world.log(
                EventType.SERVICE_UNREACHABLE if short else EventType.SERVICE_REACHABLE,
                value=s,
                detail=f"{world.services[s].name}: {self.serving(s)}/{world.desired[s]} reached",
            )

    def _host_serves(self, host: int) -> set[int]:
        """Count ``host``'s ready replicas as serving or not; the services touched."""
        serves = self.reaches_clients[host] and self.listed[host]
        touched: set[int] = set()
        if serves == self.serves[host]:
            return touched
        self.serves[host] = serves
        world = self.world
        for w in world.on_host[host]:
            if world.w_phase[w] == _READY:
                s = world.w_service[w]
                self.unserved[s] += -1 if serves else 1
                touched.add(s)
        return touched

    def _judge(self, key: int) -> None:
        world = self.world
        copy = self.left.get(key)
        twice = (
            copy is not None
            and copy.running
            and world.alive[copy.host]
            and world.w_phase[key] == _READY
        )
        if twice == (key in self.doubled):
            return
        if twice:
            self.doubled.add(key)
        else:
            self.doubled.discard(key)
        self.max_duplicates = max(self.max_duplicates, len(self.doubled))
        # Neither a workload nor a host on the row: those columns would read as a phase or a
        # status change.  The value is the count; the detail names the workload.
        world.log(EventType.DUPLICATES, value=len(self.doubled), detail=_twice(world, key, twice))

    def _record(self, s: int) -> None:
        entry = (self.world.engine.now, s, self.running(s), self.serving(s))
        if self.changes and self.changes[-1][0] == entry[0] and self.changes[-1][1] == s:
            self.changes[-1] = entry  # one instant, one row per service
        else:
            self.changes.append(entry)


def _twice(world: WorldSim, key: int, twice: bool) -> str:
    name = world.w_name[key]
    return f"{name} runs twice" if twice else f"{name} runs once again"
