"""Hyper-V live migration: queued per host, each a setup, pre-copy rounds and a blackout, the
copies sharing the hosts' links.

Microsoft's "Virtual Machine Live Migration Overview" gives the stages: setup (a connection, a
skeleton VM on the target with its memory allocated), memory pages copied in rounds ("Hyper-V
iterates the memory copy process several times, with each iteration requiring a smaller
number of modified pages to be copied"), then the VM pauses while the last modified pages and
its CPU and device state move, and it is brought online on the target.

- Each host takes part in at most ``hyperv.max_simultaneous_live_migrations`` migrations at
  once, as source or as target (Set-VMHost -MaximumVirtualMachineMigrations); the rest wait
  their turn, in order.  A VM waits once: asked again while it waits or moves, it keeps its
  turn.
- Setup takes ``migration.setup_s`` and sends no memory, so one migration's setup overlaps
  another's copy.
- Round 1 copies all the VM's memory; each later round copies what the guest dirtied during
  the round before (``migration.dirty_rate_mb_s``, never more than its memory).  Once what is
  left would copy within ``migration.blackout_target_ms`` at the copy's current rate, or after
  ``migration.max_rounds`` rounds, the VM pauses: the rest is copied, then the switch-over
  (``migration.switchover_ms``) moves its state and resumes it on the target.  The pause is the
  blackout.
- Copies in flight share each host's adapter (:func:`vmc_gui.sim.migration.water_fill`); a rate
  changes whenever a copy starts or ends, so progress is integrated between those instants.
"""

from __future__ import annotations

import heapq
import math
from bisect import insort
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vmc_gui.model.parameters import ParameterSet
from vmc_gui.sim.engine import Priority
from vmc_gui.sim.migration import LinkModel, MigrationRecord, water_fill
from vmc_gui.sim.records import EventType, HostStatus, Phase

if TYPE_CHECKING:
    from vmc_gui.sim.policies.hyperv import HyperVWorld

#: Megabytes left that count as copied (rates times times leave rounding crumbs).
_CRUMB_MB = 1e-6


@dataclass(slots=True, eq=False)
class _Move:
    """A migration under way."""

    w: int
    source: int
    target: int
    #: The source's and target's crash counts and the VM's move count when it began.
    epochs: tuple[int, int, int]
    start_s: float
    #: "setup", "round", "paused" (copying the rest) or "switch" (the switch-over).
    stage: str = "setup"
    #: What the current copy still has to send, and the rate it now gets (MB/s).
    left_mb: float = 0.0
    rate: float = 0.0
    copy_mb: float = 0.0
    copy_start: float = 0.0
    rounds: list[tuple[float, float, float]] = field(default_factory=list)
    blackout: tuple[float, float, float] | None = None


class LiveMigrations:
    """The migrations waiting and under way in one Hyper-V world."""

    def __init__(self, world: HyperVWorld) -> None:
        self.world = world
        #: VMs waiting to be live-migrated, in the order asked: each VM's turn and the host it
        #: leaves.  A VM is in it at most once.
        self.queue: dict[int, tuple[int, int]] = {}
        self._turns = 0
        #: The migrations under way, by VM.
        self.moves: dict[int, _Move] = {}
        #: How many migrations each host takes part in now, and the hosts at the limit.
        self.busy = [0] * len(world.host_names)
        self._full: set[int] = set()
        # The queue is indexed, not scanned: each time migrations may begin
        # (``_start_waiting``), only the waiting VMs that may do something now are looked at.
        # One held up by a host at the limit (its source, or the target chosen for it) can do
        # nothing until that host has a free slot, or the VM changes phase (``changed``), or
        # the cluster hears its source differently.
        #: The waiting VMs to look at next time: newly asked, changed, or waiting for any
        #: host with room.
        self._due: set[int] = set()
        #: The waiting VMs held up by a busy host, by host, as (turn, VM, hold) in turn order;
        #: an entry counts only while ``_held_on`` has the VM held there by that hold.
        self._held: dict[int, list[tuple[int, int, int]]] = {}
        self._held_on: dict[int, tuple[int, int]] = {}
        self._holds = 0
        #: Hosts with held-up VMs that got a free slot since the last look.
        self._freed: set[int] = set()
        #: The nodes the cluster heard at the last look (a VM cut off is not migrated).
        self._heard: list[bool] | None = None
        #: The moves whose copy is running, and when their progress was last brought up to date.
        self.copying: list[_Move] = []
        self._settled_at = 0.0
        #: Only the latest scheduled "a copy ends" call counts (rates change in between).
        self._tick = 0
        self.records: list[MigrationRecord] = []
        #: The target chosen for a VM by whoever asked for its move.
        self.targets: dict[int, int] = {}
        self.configure(world.params)

    def configure(self, p: ParameterSet) -> None:
        """Read the settings; a change applies to the copies in flight from now on."""
        if self.copying:
            self._settle()
        self.limit = int(p["hyperv.max_simultaneous_live_migrations"])
        self._full = {h for h, n in enumerate(self.busy) if n >= self.limit}
        #: No host takes part in more migrations than this (a lowered limit lets those under
        #: way finish), so no adapter carries more copies.
        self._busiest = max(self.limit, *self.busy, 1)
        self.link = LinkModel.from_parameters(p)
        self.setup_s = p.seconds("migration.setup_s")
        self.switch_s = p.seconds("migration.switchover_ms")
        self.dirty_mb_s = float(p["migration.dirty_rate_mb_s"])
        self.target_s = p.seconds("migration.blackout_target_ms")
        self.max_rounds = int(p["migration.max_rounds"])
        if self.copying:
            self._reflow()
        if self.queue:
            self._held.clear()
            for w in self.queue:
                self._wake(w)  # a raised limit lets more begin
            self._start_waiting()

    # --- asking for migrations ----------------------------------------------------------

    def request(self, vms: list[int], source: int, targets: dict[int, int] | None = None) -> None:
        """Live-migrate ``vms`` off ``source``, as slots allow; to ``targets[vm]`` where one
        was chosen (VM Load Balancing) and it still has room, else where placement says.  A
        VM already moving, or waiting to, is not asked for again: it keeps its turn (and the
        target chosen with it)."""
        metrics = self.world.metrics
        metrics.setdefault("blackout_ms", None)
        metrics.setdefault("moved", 0)
        metrics.update(replaced=0, state_kept=True)
        queue = self.queue
        asked: list[int] = []
        for w in vms:
            if w in self.moves:
                continue
            if w in queue:
                if not self._stale(w, queue[w][1]):
                    continue
                self._forget(w)  # it no longer runs where it waited: it is asked afresh
            queue[w] = (self._turns, source)
            self._turns += 1
            self._due.add(w)
            asked.append(w)
        if targets:
            self.targets.update((w, targets[w]) for w in asked if w in targets)
        self._start_waiting()

    @property
    def waiting(self) -> list[tuple[int, int]]:
        """The VMs waiting to be live-migrated, in order, each with the host it leaves."""
        return [(w, source) for w, (_, source) in self.queue.items()]

    def asked(self) -> list[tuple[int, int, int, bool]]:
        """The moves asked for and still to make, each (VM, source, target, whether the
        target holds its memory yet), in order: those under way, then those waiting (target
        -1 where placement will choose it)."""
        asked = [(m.w, m.source, m.target, True) for m in self.moves.values()]
        if self.queue:
            world, moves, targets = self.world, self.moves, self.targets
            phase, host, ready = world.w_phase, world.w_host, Phase.READY
            asked += [
                (w, source, targets.get(w, -1), False)
                for w, (_, source) in self.queue.items()
                if w not in moves and phase[w] == ready and host[w] == source
            ]
        return asked

    def asked_for(self, w: int) -> bool:
        """Whether ``w`` is moving, or waiting to from where it runs."""
        return w in self.moves or (w in self.queue and not self._stale(w, self.queue[w][1]))

    def changed(self, w: int) -> None:
        """Waiting VM ``w`` changed phase or host: it is looked at again at the next turn."""
        if w in self.queue:
            self._wake(w)

    def _stale(self, w: int, source: int) -> bool:
        """Whether ``w`` stopped running on ``source`` (crashed, moved, scaled in)."""
        world = self.world
        return w in self.moves or world.w_phase[w] != Phase.READY or world.w_host[w] != source

    def _wake(self, w: int) -> None:
        self._held_on.pop(w, None)  # its entry in a host's list no longer counts
        self._due.add(w)

    def _hold(self, w: int, turn: int, host: int) -> None:
        """``w`` waits for busy ``host``: nothing to do for it until a slot there frees."""
        self._holds += 1
        self._held_on[w] = (host, self._holds)
        insort(self._held.setdefault(host, []), (turn, w, self._holds))

    def _forget(self, w: int) -> None:
        """Take ``w`` out of the queue (its target stays chosen, as it always has)."""
        del self.queue[w]
        self._held_on.pop(w, None)
        self._due.discard(w)

    def _full_hosts(self) -> list[int]:
        return sorted(self._full)

    def _start_waiting(self) -> None:
        """Begin what may begin, in turn order.  Each waiting VM is judged as if the whole
        queue were gone through in order every time, but one held up by a busy host is passed
        over while that host stays busy (it could do nothing: wait, as it was)."""
        world = self.world
        membership = world.membership
        if membership is not None and self._held_on and membership.heard != self._heard:
            # A node heard differently: a VM held up by its target aborts if its source is
            # cut off.
            self._heard = list(membership.heard)
            heard = membership.heard
            queue = self.queue
            for w, (host, _) in list(self._held_on.items()):
                source = queue[w][1]
                if host != source and not heard[source]:
                    self._wake(w)
        if not self._due and not self._freed:
            return
        queue, busy, limit = self.queue, self.busy, self.limit
        # The candidates in turn order: the due VMs, and the held-up lists of hosts freed.
        ready = Phase.READY
        heap: list[tuple[int, int, int, int]] = [(queue[w][0], w, -1, 0) for w in self._due]
        self._due = set()
        lists: dict[int, list[tuple[int, int, int]]] = {}
        for host in self._freed:
            held = self._held.pop(host, [])
            if held:
                lists[host] = held
                heap.append((held[0][0], held[0][1], host, 0))
        self._freed = set()
        heapq.heapify(heap)
        again: list[int] = []
        held_on = self._held_on
        while heap:
            turn, w, host, i = heapq.heappop(heap)
            if host >= 0:
                held = lists[host]
                live = held_on.get(w) == (host, held[i][2])
                if live and busy[host] >= limit:
                    # Full again: it and the rest of the list stay held up, as they were.
                    rest = [e for e in held[i:] if held_on.get(e[1]) == (host, e[2])]
                    mine = self._held.setdefault(host, [])
                    mine += rest
                    mine.sort()
                    continue
                if i + 1 < len(held):
                    heapq.heappush(heap, (held[i + 1][0], held[i + 1][1], host, i + 1))
                if not live:
                    continue  # woken or gone since: not held here
                del held_on[w]
            source = queue[w][1]
            if w in self.moves or world.w_phase[w] != ready or world.w_host[w] != source:
                self._forget(w)  # it stopped running there (crashed, moved, scaled in)
                continue
            if busy[source] >= limit:
                self._hold(w, turn, source)
                continue
            if world.w_pin[w] >= 0:
                self._forget(w)
                world.log(EventType.MIGRATION_ABORTED, w, source, -1, "its VHD is on local disk")
                continue
            if membership is not None and not membership.heard[source]:
                self._forget(w)
                world.log(
                    EventType.MIGRATION_ABORTED,
                    w,
                    source,
                    -1,
                    "its node is cut off from the cluster",
                )
                continue
            chosen = self.targets.get(w, -1)
            if chosen >= 0 and busy[chosen] >= limit:
                self._hold(w, turn, chosen)  # its chosen node is busy: wait for it
                continue
            self.targets.pop(w, None)
            fits = chosen >= 0 and world.fits(chosen, world.w_cpu[w], world.w_memory[w])
            target = chosen if fits else world.pick(w, avoid=[source, *self._full_hosts()])
            if target < 0:
                if self._full and world.pick(w, avoid=source) >= 0:
                    again.append(w)  # a host with room is busy: wait for it
                else:
                    self._forget(w)
                    world.log(
                        EventType.MIGRATION_ABORTED,
                        w,
                        source,
                        -1,
                        "no other node has room to receive it",
                    )
                continue
            self._forget(w)
            self._begin(w, source, target)
        self._due.update(again)
        if membership is not None:
            self._heard = list(membership.heard) if self._held_on else None

    def _begin(self, w: int, source: int, target: int) -> None:
        world = self.world
        now = world.engine.now
        epochs = (world.host_epoch[source], world.host_epoch[target], world.w_moves[w])
        move = _Move(w, source, target, epochs, now)
        self.moves[w] = move
        for host in (source, target):
            self.busy[host] += 1
            if self.busy[host] >= self.limit:
                self._full.add(host)
                self._busiest = max(self._busiest, self.busy[host])
        world.log(EventType.MIGRATION_STARTED, w, source, -1, f"to {world.host_names[target]}")
        # The target holds the VM's memory from the start: both copies exist until the end.
        world.reserve(target, w, +1)
        world.engine.at(now + self.setup_s, Priority.PROGRESS, self._set_up, move)

    # --- the stages ---------------------------------------------------------------------

    def _current(self, move: _Move) -> bool:
        """Whether ``move`` is still under way; if the VM stopped running, it is called off."""
        if self.moves.get(move.w) is not move:
            return False  # called off already (a node crashed: see host_failed)
        if self.world.w_moves[move.w] != move.epochs[2]:
            self._abort(move, "the VM stopped running")
            return False
        return True

    def _set_up(self, move: _Move) -> None:
        if not self._current(move):
            return
        world = self.world
        world.span(f"{world.w_name[move.w]}: migration setup", move.start_s, world.engine.now)
        self._round(move, world.w_memory[move.w])

    def _round(self, move: _Move, mb: float) -> None:
        world = self.world
        k = len(move.rounds) + 1
        move.stage = "round"
        world.log(EventType.MIGRATION_ROUND, move.w, move.source, -1, f"round {k}: {mb:,.1f} MB")
        self._copy(move, mb)

    def _copied(self, move: _Move) -> None:
        """``move``'s current copy has arrived."""
        world = self.world
        now = world.engine.now
        name = world.w_name[move.w]
        if move.stage == "paused":
            move.stage = "switch"
            world.engine.at(now + self.switch_s, Priority.PROGRESS, self._resume, move)
            return
        move.rounds.append((move.copy_start, now, move.copy_mb))
        k = len(move.rounds)
        world.span(f"{name}: pre-copy round {k}", move.copy_start, now)
        dirtied = min(world.w_memory[move.w], self.dirty_mb_s * (now - move.copy_start))
        if dirtied <= move.rate * self.target_s or k >= self.max_rounds:
            self._pause(move, dirtied)
        else:
            self._round(move, dirtied)

    def _pause(self, move: _Move, mb: float) -> None:
        world = self.world
        move.stage = "paused"
        move.blackout = (world.engine.now, world.engine.now, mb)
        world.set_phase(
            move.w, Phase.MIGRATING, move.source, EventType.MIGRATION_BLACKOUT, "blackout"
        )
        # Pausing is this migration's own phase change, not the VM stopping.
        move.epochs = (*move.epochs[:2], world.w_moves[move.w])
        self._copy(move, mb)

    def _resume(self, move: _Move) -> None:
        if not self._current(move):
            return
        world = self.world
        now = world.engine.now
        w, source, target = move.w, move.source, move.target
        assert move.blackout is not None
        move.blackout = (move.blackout[0], now, move.blackout[2])
        world.span(f"{world.w_name[w]}: blackout", move.blackout[0], now)
        self._finish(move, "moved")
        world.release(w)
        world.reserve(target, w, -1)
        world.occupy(w, target)
        world.set_phase(
            w, Phase.READY, target, EventType.WORKLOAD_MIGRATED, f"from {world.host_names[source]}"
        )
        metrics = world.metrics
        metrics["moved"] += 1
        # The lesson's figures: the longest pause any VM took, and its rounds.
        blackout_ms = (now - move.blackout[0]) * 1000.0
        if blackout_ms >= (metrics["blackout_ms"] or -1.0):
            metrics["blackout_ms"] = blackout_ms
            metrics["migration_rounds"] = len(move.rounds)
        world.serving_again(w)
        self._start_waiting()

    # --- calling off --------------------------------------------------------------------

    def involves(self, w: int) -> bool:
        """Whether ``w`` is moving, or waiting to."""
        return w in self.moves or w in self.queue

    def target_draining(self, host: int) -> None:
        """``host`` is being drained: a migration on its way there is called off."""
        for move in [m for m in self.moves.values() if m.target == host]:
            self._abort(move, "its target is being drained")

    def vm_stopped(self, w: int) -> None:
        """``w`` was stopped (scaled in): its migration, if any, is called off at once."""
        if w in self.queue:
            self._forget(w)
        move = self.moves.get(w)
        if move is not None:
            self._abort(move, "the VM was stopped")

    def call_off(self, w: int, why: str) -> None:
        """``w`` may not move now (it paused): its migration, if any, is called off."""
        if w in self.queue:
            self._forget(w)
        move = self.moves.get(w)
        if move is not None:
            self._abort(move, why)

    def call_off_where(self, apart: Callable[[int, int], bool], why: str) -> None:
        """Call off every migration whose source and target ``apart(source, target)`` says
        can no longer complete (the network cut them apart)."""
        for move in [m for m in self.moves.values() if apart(m.source, m.target)]:
            if self.moves.get(move.w) is move:
                self._abort(move, why)

    def host_failed(self, host: int) -> None:
        """A crash calls off, at once, every migration to or from the dead host."""
        for move in [m for m in self.moves.values() if host in (m.source, m.target)]:
            self._abort(move, "a node crashed")

    def _abort(self, move: _Move, why: str) -> None:
        world = self.world
        w, source = move.w, move.source
        self._finish(move, f"{why} during migration")
        world.reserve(move.target, w, -1)
        world.log(EventType.MIGRATION_ABORTED, w, source, -1, f"{why} during migration")
        if world.w_phase[w] == Phase.MIGRATING and world.status[source] in (
            HostStatus.UP,
            HostStatus.DRAINING,
        ):
            # Paused for the switch-over when the target died: it resumes where it was.
            world.set_phase(w, Phase.READY, source, EventType.WORKLOAD_READY, "resumed on source")
        if world.w_phase[w] == Phase.READY:
            world.serving_again(w)  # an update may have waited for it
        self._start_waiting()

    def _finish(self, move: _Move, outcome: str) -> None:
        """Take ``move`` off the books and keep its record."""
        del self.moves[move.w]
        for host in (move.source, move.target):
            self.busy[host] -= 1
            if self.busy[host] < self.limit:
                self._full.discard(host)
                if host in self._held:
                    self._freed.add(host)  # a slot there: what waits for it may begin
        now = self.world.engine.now
        left = 0.0
        if move in self.copying:
            self._settle()
            self.copying.remove(move)
            self._reflow()
            left = max(move.left_mb, 0.0)
        if outcome != "moved":
            # The copy under way when it was called off is part of the record.
            recorded = move.rounds and move.rounds[-1][0] == move.copy_start
            if move.stage == "round" and not recorded:
                move.rounds.append((move.copy_start, now, move.copy_mb))
            elif move.blackout is not None:
                move.blackout = (move.blackout[0], now, move.blackout[2])
        self.records.append(
            MigrationRecord(
                move.w,
                move.source,
                move.target,
                move.start_s,
                now,
                tuple(move.rounds),
                move.blackout,
                outcome,
                left,
            )
        )

    # --- the shared links ---------------------------------------------------------------

    def _copy(self, move: _Move, mb: float) -> None:
        now = self.world.engine.now
        move.copy_mb = move.left_mb = mb
        move.copy_start = now
        self._settle()
        self.copying.append(move)
        self._reflow()

    def _settle(self) -> None:
        """Bring every copy's progress up to now at the rates it has had since last time."""
        now = self.world.engine.now
        elapsed = now - self._settled_at
        if elapsed > 0:
            for move in self.copying:
                move.left_mb -= move.rate * elapsed
        self._settled_at = now

    def _reflow(self) -> None:
        """Share the links among the copies running now and wake up when the next ends."""
        link = self.link
        copying, stream = self.copying, link.stream_mb_s
        self._tick += 1
        if stream < math.inf and link.adapter_mb_s / self._busiest >= stream:
            # No adapter carries so many copies that one would get less than a stream's
            # rate: each gets the stream's, as water_fill would work out; the copy with the
            # least left ends first.
            for move in copying:
                move.rate = stream
            if copying:
                wait = max(min([m.left_mb for m in copying]), 0.0) / stream
        else:
            rates = water_fill(
                [(m.source, m.target) for m in copying], link.adapter_mb_s, link.stream_mb_s
            )
            for move, rate in zip(copying, rates, strict=True):
                move.rate = rate
            if copying:
                wait = min([max(m.left_mb, 0.0) / m.rate for m in copying])
        if copying:
            engine = self.world.engine
            engine.at(engine.now + wait, Priority.PROGRESS, self._copies_end, self._tick)

    def _copies_end(self, tick: int) -> None:
        if tick != self._tick:
            return  # the rates changed since this was scheduled
        self._settle()
        now = self.world.engine.now

        def arrived(m: _Move) -> bool:
            # Late in a long run the rest may be too small to move the clock at all.
            return m.left_mb <= _CRUMB_MB or now + m.left_mb / m.rate <= now

        done = [m for m in self.copying if arrived(m)]
        self.copying = [m for m in self.copying if not arrived(m)]
        self._reflow()
        for move in done:
            if self._current(move):
                self._copied(move)
