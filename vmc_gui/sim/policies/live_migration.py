"""Hyper-V live migration: queued per host, each a setup, pre-copy rounds and a blackout, the
copies sharing the hosts' links.

Microsoft's "Virtual Machine Live Migration Overview" gives the stages: setup (a connection, a
skeleton VM on the target with its memory allocated), memory pages copied in rounds ("Hyper-V
iterates the memory copy process several times, with each iteration requiring a smaller
number of modified pages to be copied"), then the VM pauses while the last modified pages and
its CPU and device state move, and it is brought online on the target.

- Each host takes part in at most ``hyperv.max_simultaneous_live_migrations`` migrations at
  once, as source or as target (Set-VMHost -MaximumVirtualMachineMigrations); the rest wait
  their turn, in order.
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
        #: VMs waiting to be live-migrated, in order, each with the host it leaves.
        self.waiting: list[tuple[int, int]] = []
        #: The migrations under way, by VM.
        self.moves: dict[int, _Move] = {}
        #: How many migrations each host takes part in now.
        self.busy = [0] * len(world.host_names)
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
        self.link = LinkModel.from_parameters(p)
        self.setup_s = p.seconds("migration.setup_s")
        self.switch_s = p.seconds("migration.switchover_ms")
        self.dirty_mb_s = float(p["migration.dirty_rate_mb_s"])
        self.target_s = p.seconds("migration.blackout_target_ms")
        self.max_rounds = int(p["migration.max_rounds"])
        if self.copying:
            self._reflow()
        if self.waiting:
            self._start_waiting()  # a raised limit lets more begin

    # --- asking for migrations ----------------------------------------------------------

    def request(self, vms: list[int], source: int, targets: dict[int, int] | None = None) -> None:
        """Live-migrate ``vms`` off ``source``, as slots allow; to ``targets[vm]`` where one
        was chosen (VM Load Balancing) and it still has room, else where placement says."""
        metrics = self.world.metrics
        metrics.setdefault("blackout_ms", None)
        metrics.setdefault("moved", 0)
        metrics.update(replaced=0, state_kept=True)
        self.waiting += [(w, source) for w in vms]
        self.targets.update(targets or {})
        self._start_waiting()

    def _start_waiting(self) -> None:
        world = self.world
        still: list[tuple[int, int]] = []
        for w, source in self.waiting:
            if w in self.moves or world.w_phase[w] != Phase.READY or world.w_host[w] != source:
                continue  # it stopped running there (crashed, moved, scaled in)
            if self.busy[source] >= self.limit:
                still.append((w, source))
                continue
            if world.w_pin[w] >= 0:
                world.log(EventType.MIGRATION_ABORTED, w, source, -1, "its VHD is on local disk")
                continue
            if world.membership is not None and not world.membership.heard[source]:
                world.log(
                    EventType.MIGRATION_ABORTED,
                    w,
                    source,
                    -1,
                    "its node is cut off from the cluster",
                )
                continue
            full = [h for h, n in enumerate(self.busy) if n >= self.limit]
            chosen = self.targets.get(w, -1)
            if chosen >= 0 and chosen in full:
                still.append((w, source))  # its chosen node is busy: wait for it
                continue
            self.targets.pop(w, None)
            fits = chosen >= 0 and world.fits(chosen, world.w_cpu[w], world.w_memory[w])
            target = chosen if fits else world.pick(w, avoid=[source, *full])
            if target < 0:
                if full and world.pick(w, avoid=source) >= 0:
                    still.append((w, source))  # a host with room is busy: wait for it
                else:
                    world.log(
                        EventType.MIGRATION_ABORTED,
                        w,
                        source,
                        -1,
                        "no other node has room to receive it",
                    )
                continue
            self._begin(w, source, target)
        self.waiting = still

    def _begin(self, w: int, source: int, target: int) -> None:
        world = self.world
        now = world.engine.now
        epochs = (world.host_epoch[source], world.host_epoch[target], world.w_moves[w])
        move = _Move(w, source, target, epochs, now)
        self.moves[w] = move
        self.busy[source] += 1
        self.busy[target] += 1
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
        return w in self.moves or any(v == w for v, _ in self.waiting)

    def target_draining(self, host: int) -> None:
        """``host`` is being drained: a migration on its way there is called off."""
        for move in [m for m in self.moves.values() if m.target == host]:
            self._abort(move, "its target is being drained")

    def vm_stopped(self, w: int) -> None:
        """``w`` was stopped (scaled in): its migration, if any, is called off at once."""
        self.waiting = [(v, source) for v, source in self.waiting if v != w]
        move = self.moves.get(w)
        if move is not None:
            self._abort(move, "the VM was stopped")

    def call_off(self, w: int, why: str) -> None:
        """``w`` may not move now (it paused): its migration, if any, is called off."""
        self.waiting = [(v, source) for v, source in self.waiting if v != w]
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
        self.busy[move.source] -= 1
        self.busy[move.target] -= 1
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
        rates = water_fill(
            [(m.source, m.target) for m in self.copying], link.adapter_mb_s, link.stream_mb_s
        )
        for move, rate in zip(self.copying, rates, strict=True):
            move.rate = rate
        self._tick += 1
        if self.copying:
            wait = min(max(m.left_mb, 0.0) / m.rate for m in self.copying)
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
