"""The Timeline: what a run produced, queryable at any simulated time.

``state_at(t)`` answers from the nearest snapshot before t plus a short replay, so scrubbing
back and forth costs the same anywhere in the run.  ``series(name)`` samples a quantity on
the scenario's fixed step.  Both are built lazily from the event log, so a command-line run
that only wants the summary pays for neither.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from vmc_gui.model.scenario import Scenario, World
from vmc_gui.sim.migration import MigrationRecord
from vmc_gui.sim.records import CONSUMING, NOT_CREATED, EventType, HostStatus, Phase, ZoneState
from vmc_gui.sim.world import WorldRun

if TYPE_CHECKING:
    from vmc_gui.sim.summary import WorldSummary

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]

#: Replay at most this many rows from a snapshot ...
SNAPSHOT_EVERY = 512
#: ... unless the snapshots would then hold more than this many numbers in all: a snapshot
#: copies every workload, so a 100,000-workload run takes them further apart.
SNAPSHOT_BUDGET = 4_000_000

_LABELS = {int(kind): kind.label for kind in EventType}
_CONSUMING_CODES = np.array(sorted(int(p) for p in CONSUMING), dtype=np.int32)


@dataclass(frozen=True, slots=True)
class Event:
    """One logged event."""

    time_s: float
    world: World
    type: EventType
    #: The workload or host it concerns ("" for service-level events).
    subject: str
    #: The host where it happened, if any.
    host: str
    detail: str

    def canonical(self) -> str:
        """The event as one line of the canonical log that the digest hashes."""
        return canonical_line(
            self.time_s, self.world.value, self.type.label, self.subject, self.host, self.detail
        )


def canonical_line(
    time_s: float, world: str, kind: str, subject: str, host: str, detail: str
) -> str:
    """One event of the canonical log: times to the microsecond, so every machine agrees."""
    return f"{time_s:.6f}\t{world}\t{kind}\t{subject}\t{host}\t{detail}\n"


@dataclass(frozen=True, slots=True)
class Series:
    """A quantity sampled on the scenario's fixed step."""

    name: str
    unit: str
    times: FloatArray
    values: FloatArray


@dataclass(frozen=True, slots=True)
class HostView:
    name: str
    status: str
    cpu_used: float
    memory_used_gb: float
    workloads: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WorkloadView:
    name: str
    service: str
    host: str | None
    phase: str


@dataclass(frozen=True)
class WorldState:
    """One world at one moment: arrays indexed like the world's hosts and workloads."""

    world: World
    time_s: float
    host_names: Sequence[str]
    workload_names: Sequence[str]
    service_names: Sequence[str]
    host_status: IntArray
    #: Cores reserved or in use on each host.
    host_cpu: FloatArray
    #: Memory in use on each host, in GB, platform overhead included.
    host_memory_gb: FloatArray
    #: Each workload's host index, or -1.
    workload_host: IntArray
    #: Each workload's :class:`Phase` code, or ``NOT_CREATED``.
    workload_phase: IntArray
    workload_service: IntArray
    service_ready: IntArray
    service_desired: IntArray

    def host(self, name: str) -> HostView:
        h = list(self.host_names).index(name)
        on_host = np.flatnonzero(
            (self.workload_host == h) & np.isin(self.workload_phase, _CONSUMING_CODES)
        )
        return HostView(
            name,
            HostStatus(int(self.host_status[h])).label,
            float(self.host_cpu[h]),
            float(self.host_memory_gb[h]),
            tuple(self.workload_names[int(i)] for i in on_host),
        )

    def workload(self, name: str) -> WorkloadView:
        w = list(self.workload_names).index(name)
        phase = int(self.workload_phase[w])
        if phase == NOT_CREATED:
            raise KeyError(f"{name} does not exist yet at {self.time_s:g} s")
        host = int(self.workload_host[w])
        return WorkloadView(
            name,
            self.service_names[int(self.workload_service[w])],
            self.host_names[host] if host >= 0 else None,
            Phase(phase).label,
        )

    def workloads(self) -> Iterator[WorkloadView]:
        """Every workload that exists at this time."""
        for w in np.flatnonzero(self.workload_phase != NOT_CREATED):
            yield self.workload(self.workload_names[int(w)])


@dataclass(frozen=True)
class State:
    """Every world at one moment."""

    time_s: float
    worlds: dict[World, WorldState]

    def __getitem__(self, world: World | str) -> WorldState:
        return self.worlds[World(world)]


@dataclass(frozen=True, slots=True)
class Changes:
    """A world's phase changes as step changes, in time order.

    Resources: a workload taking or giving back a host's CPU and memory (a move between
    hosts is two entries).  Readiness: +1 or -1 to a service's ready replicas.
    """

    resource_times: FloatArray
    resource_hosts: IntArray
    cpu: FloatArray
    memory_gb: FloatArray
    phase_times: FloatArray
    phase_service: IntArray
    ready: FloatArray


class WorldTimeline:
    """One world's log, with snapshots for fast ``state_at`` and changes for series."""

    def __init__(self, run: WorldRun) -> None:
        self.run = run
        log = run.log
        self.times = np.asarray(log.time, dtype=np.float64)
        # fromiter: the column mixes ints and EventType members, which np.asarray inspects
        # one by one before it converts them (about 1.4 times as long on a 50,000-row log).
        self.kinds = np.fromiter(log.kind, dtype=np.int32, count=len(log.kind))
        self._log = log
        self.workload_service = np.asarray(run.workload_service, dtype=np.int32)
        self.workload_cpu = np.asarray(run.workload_cpu, dtype=np.float64)
        self.workload_memory_gb = np.asarray(run.workload_memory_mb, dtype=np.float64) / 1024.0
        self._host_count = len(run.host_names)
        #: The state and the phase windows last asked for, and how long each holds (a frame
        #: of playback between events asks for the same again).
        self._last_state: tuple[int, int, WorldState] | None = None
        self._last_window: tuple[float, float, FloatArray, FloatArray] | None = None

    @property
    def world(self) -> World:
        return self.run.world

    def __len__(self) -> int:
        return len(self._log)

    def event(self, i: int) -> Event:
        log = self._log
        w, h = log.workload[i], log.host[i]
        return Event(
            time_s=log.time[i],
            world=self.run.world,
            type=EventType(log.kind[i]),
            subject=self.run.workload_names[w]
            if w >= 0
            else (self.run.host_names[h] if h >= 0 else ""),
            host=self.run.host_names[h] if h >= 0 else "",
            detail=log.detail[i],
        )

    # --- queries the views share --------------------------------------------------------

    def rows(self, *kinds: EventType) -> npt.NDArray[np.intp]:
        """The log's rows of any of ``kinds``, in log order (a view's raw-row question asked
        once, here, rather than each view masking ``kinds`` itself)."""
        return np.flatnonzero(np.isin(self.kinds, np.asarray(kinds, dtype=np.int32)))

    def has(self, kind: EventType) -> bool:
        """Whether the log holds any event of ``kind``."""
        return bool(np.any(self.kinds == kind))

    @property
    def migrations(self) -> tuple[MigrationRecord, ...]:
        """Every live migration the world started, in start order, with its rounds, blackout
        and outcome."""
        return tuple(self.run.migrations)

    def moved_live(self) -> list[MigrationRecord]:
        """The migrations that moved their VM (not the ones that failed or were cancelled),
        in the order they finished."""
        return sorted(
            (m for m in self.run.migrations if m.outcome == "moved"), key=lambda m: m.end_s
        )

    def canonical_lines(self) -> Iterator[str]:
        """The log as the digest reads it, one line per event."""
        tag = self.run.world.value
        # Every name written out once (they are made on demand: a line each would make
        # 150,000 again).
        workloads = list(self.run.workload_names)
        hosts = [*self.run.host_names, ""]  # index -1 is "no host"
        log = self._log
        for t, kind, w, h, detail in zip(
            log.time, log.kind, log.workload, log.host, log.detail, strict=True
        ):
            subject = workloads[w] if w >= 0 else hosts[h]
            yield canonical_line(t, tag, _LABELS[kind], subject, hosts[h], detail)

    # --- state at a time ---------------------------------------------------------------

    @cached_property
    def _columns(self) -> tuple[IntArray, IntArray, IntArray]:
        """The log's workload, host and value columns as arrays, for vectorised replay (and
        every other question about them: a list of 100,000 becomes an array once)."""
        log = self._log
        return (
            np.asarray(log.workload, dtype=np.int32),
            np.asarray(log.host, dtype=np.int32),
            np.asarray(log.value, dtype=np.int32),
        )

    @cached_property
    def snapshot_every(self) -> int:
        size = len(self.run.workload_names) * 2 + self._host_count
        return max(SNAPSHOT_EVERY, -(-len(self._log) * size // SNAPSHOT_BUDGET))

    @cached_property
    def _snapshots(self) -> list[tuple[int, IntArray, IntArray, IntArray]]:
        """(rows applied, workload phase, workload host, host status), every few rows: made
        only as far as a state asked for needs (:meth:`_snapshot_before`): a still of one
        moment copies the arrays up to that moment, not to the end of the run."""
        phase = np.full(len(self.run.workload_names), NOT_CREATED, dtype=np.int32)
        host = np.full(len(self.run.workload_names), -1, dtype=np.int32)
        status = np.zeros(self._host_count, dtype=np.int32)
        #: The state after the last snapshot's rows, replayed on to make the next.
        self._replayed = (phase, host, status)
        return [(0, phase.copy(), host.copy(), status.copy())]

    def _snapshot_before(self, upto: int) -> tuple[int, IntArray, IntArray, IntArray]:
        """The last snapshot at or before row ``upto``, making those missing on the way."""
        snaps = self._snapshots
        every = self.snapshot_every
        phase, host, status = self._replayed
        while snaps[-1][0] + every <= min(upto, len(self._log)):
            start = snaps[-1][0]
            self._replay(start, start + every, phase, host, status)
            snaps.append((start + every, phase.copy(), host.copy(), status.copy()))
        return snaps[bisect.bisect_right(snaps, upto, key=lambda snap: snap[0]) - 1]

    def _replay(
        self, start: int, stop: int, phase: IntArray, host: IntArray, status: IntArray
    ) -> None:
        """Apply rows ``start:stop``: for each workload and host, its last change wins."""
        workloads, hosts, values = (column[start:stop] for column in self._columns)
        changed = values >= 0
        for rows, target in (
            (np.flatnonzero(changed & (workloads >= 0)), workloads),
            (np.flatnonzero(changed & (workloads < 0) & (hosts >= 0)), hosts),
        ):
            if not len(rows):
                continue
            latest_first = rows[::-1]
            keys, first = np.unique(target[latest_first], return_index=True)
            last = latest_first[first]
            if target is workloads:
                phase[keys] = values[last]
                host[keys] = hosts[last]
            else:
                status[keys] = values[last]

    def state_at(self, t: float) -> WorldState:
        """The world as it stands after every event at or before ``t``.

        Playback asks every frame, and most frames move the clock past no event: the state
        last worked out is handed again (with its time) while no event, load change or
        change of demand lies between.  Its arrays are never written to by the views."""
        upto = int(np.searchsorted(self.times, t, side="right"))
        load_times = self._loads[0]
        # The loads under way only grow with t: their count says which they are.
        busy = int(np.count_nonzero(load_times <= t))
        desired = self.desired_at(t)
        last = self._last_state
        if (
            last is not None
            and last[1] == busy
            and np.array_equal(last[2].service_desired, desired)
            and not self._changes_between(last[0], upto)
        ):
            # Rows that change nothing (a missed heartbeat) move the clock, not the state.
            self._last_state = (upto, busy, last[2])
            return dataclasses.replace(last[2], time_s=t)
        state = self._state_at(t, upto)
        self._last_state = (upto, busy, state)
        return state

    def _changes_between(self, a: int, b: int) -> bool:
        """Whether any log row between rows ``a`` and ``b`` (either order) changes a
        workload's phase or host, a host's status, or the room a migration holds."""
        lo, hi = min(a, b), max(a, b)
        if lo == hi:
            return False
        # A live migration's room held on its target changes the target's memory too.
        held = self._reservations[0]
        reserved = int(np.searchsorted(held, hi) - np.searchsorted(held, lo))
        return reserved > 0 or bool(np.any(self._columns[2][lo:hi] >= 0))

    def _state_at(self, t: float, upto: int) -> WorldState:
        applied, phase, host, status = self._snapshot_before(upto)
        phase, host, status = phase.copy(), host.copy(), status.copy()
        self._replay(applied, upto, phase, host, status)
        holding = np.isin(phase, _CONSUMING_CODES) & (host >= 0)
        where = host[holding]
        cpu = np.bincount(where, weights=self.workload_cpu[holding], minlength=self._host_count)
        load_times, load_hosts, load_cpu = self._loads
        busy = load_times <= t
        cpu += np.bincount(load_hosts[busy], weights=load_cpu[busy], minlength=self._host_count)
        memory = np.bincount(
            where, weights=self.workload_memory_gb[holding], minlength=self._host_count
        ).astype(np.float64)  # with no workload holding anything, bincount gives integers
        rows, hosts, gb = self._reservations
        held = rows < upto
        memory += np.bincount(hosts[held], weights=gb[held], minlength=self._host_count)
        ready_mask = phase == Phase.READY
        ready = np.bincount(
            self.workload_service[ready_mask], minlength=len(self.run.service_names)
        ).astype(np.int32)
        return WorldState(
            world=self.run.world,
            time_s=t,
            host_names=self.run.host_names,
            workload_names=self.run.workload_names,
            service_names=self.run.service_names,
            host_status=status,
            host_cpu=cpu.astype(np.float64),
            host_memory_gb=memory.astype(np.float64),
            workload_host=host,
            workload_phase=phase,
            workload_service=self.workload_service,
            service_ready=ready,
            service_desired=self.desired_at(t),
        )

    def zones_at(self, t: float) -> list[tuple[ZoneState, float]]:
        """Each zone's state and eviction rate (nodes/s) at ``t``; empty where the platform
        has no zones (a failover cluster)."""
        zones: list[tuple[ZoneState, float]] = [
            (ZoneState.NORMAL, 0.0) for _ in self.run.zone_names
        ]
        for at, z, state, rate in self.run.zone_changes:
            if at > t:
                break
            zones[z] = (ZoneState(state), rate)
        return zones

    def desired_at(self, t: float) -> IntArray:
        """Each service's desired replica count at ``t`` (demand changes with scale events)."""
        desired = np.asarray(self.run.service_desired, dtype=np.int32)
        for at, s, count in self.run.desired_changes:
            if at > t:
                break
            desired[s] = count
        return desired

    @cached_property
    def _loads(self) -> tuple[FloatArray, npt.NDArray[np.int64], FloatArray]:
        """CPU replicas use beyond what they hold (busier VMs): (time, host, +cores/-cores)."""
        changes = self.run.load_changes
        return (
            np.asarray([c[0] for c in changes], dtype=np.float64),
            np.asarray([c[1] for c in changes], dtype=np.int64),
            np.asarray([c[2] for c in changes], dtype=np.float64),
        )

    @cached_property
    def _reservations(self) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64], FloatArray]:
        """Memory a live migration holds on its target: (log row, host, +GB or -GB)."""
        reserved = self.kinds == EventType.TARGET_RESERVED
        rows = np.flatnonzero(reserved | (self.kinds == EventType.TARGET_RELEASED))
        workloads = self._columns[0].astype(np.int64)[rows]
        hosts = self._columns[1].astype(np.int64)[rows]
        sign = np.where(reserved[rows], 1.0, -1.0)
        return rows, hosts, sign * self.workload_memory_gb[workloads]

    @cached_property
    def _phase_keys(self) -> tuple[FloatArray, FloatArray]:
        """Every phase change keyed by (workload, time), for phase windows."""
        workloads = self._columns[0].astype(np.int64)
        values = self._columns[2].astype(np.int64)
        rows = np.flatnonzero((workloads >= 0) & (values >= 0))
        span = float(self.run.duration_s) + 1.0
        times = self.times[rows]
        keys = workloads[rows].astype(np.float64) * span + times
        order = np.argsort(keys, kind="stable")
        return keys[order], times[order]

    @cached_property
    def _host_moves(self) -> tuple[IntArray, FloatArray, IntArray]:
        """Every phase change that names a host, ordered by (workload, time): for each
        workload, where it has been."""
        workloads = self._columns[0].astype(np.int64)
        hosts = self._columns[1].astype(np.int64)
        values = self._columns[2].astype(np.int64)
        rows = np.flatnonzero((workloads >= 0) & (hosts >= 0) & (values >= 0))
        order = np.lexsort((self.times[rows], workloads[rows]))
        rows = rows[order]
        return (
            workloads[rows].astype(np.int32),
            self.times[rows],
            hosts[rows].astype(np.int32),
        )

    def host_before(self, w: int, t: float, host: int) -> int:
        """The last host ``w`` was on before ``t`` other than ``host`` (-1 if none): where a
        restarted VM comes from."""
        workloads, times, hosts = self._host_moves
        lo = int(np.searchsorted(workloads, w, side="left"))
        hi = int(np.searchsorted(workloads, w, side="right"))
        for i in range(hi - 1, lo - 1, -1):
            if times[i] < t and hosts[i] != host:
                return int(hosts[i])
        return -1

    def phase_window(self, t: float) -> tuple[FloatArray, FloatArray]:
        """When each workload entered the phase it is in at ``t``, and when it leaves it
        (NaN if never): what a progress ring shows.  O(workloads x log(changes)); the answer
        holds until the next phase change anywhere, so a frame between changes reuses the
        last one (the arrays are shared: not to be written to)."""
        last = self._last_window
        if last is not None and last[0] <= t < last[1]:
            return last[2], last[3]
        start, end = self._phase_window(t)
        # Valid from the latest change at or before t to the next one after it.
        at = int(np.searchsorted(self._change_times, t, side="right"))
        lo = float(self._change_times[at - 1]) if at > 0 else -np.inf
        hi = float(self._change_times[at]) if at < len(self._change_times) else np.inf
        self._last_window = (lo, hi, start, end)
        return start, end

    @cached_property
    def _change_times(self) -> FloatArray:
        """Every time some workload's phase changes, sorted and distinct: from the log's own
        order (its times never go back), without sorting again."""
        rows = (self._columns[0].astype(np.int64) >= 0) & (self._columns[2].astype(np.int64) >= 0)
        times = self.times[rows]
        if not len(times):
            return times
        if np.any(times[1:] < times[:-1]):  # never so in a run; kept right if it were
            return np.unique(times)
        return times[np.concatenate(([True], times[1:] != times[:-1]))]

    def _phase_window(self, t: float) -> tuple[FloatArray, FloatArray]:
        keys, times = self._phase_keys
        n = len(self.run.workload_names)
        span = float(self.run.duration_s) + 1.0
        base = np.arange(n, dtype=np.float64) * span
        after = np.searchsorted(keys, base + t, side="right")
        start = np.full(n, np.nan)
        end = np.full(n, np.nan)
        has_before = (after > 0) & (after - 1 < len(keys))
        before_idx = np.clip(after - 1, 0, max(len(keys) - 1, 0))
        if len(keys):
            mine = has_before & (keys[before_idx] >= base) & (keys[before_idx] < base + span)
            start[mine] = times[before_idx[mine]]
            next_idx = np.clip(after, 0, len(keys) - 1)
            later = (after < len(keys)) & (keys[next_idx] < base + span)
            end[later] = times[next_idx[later]]
        return start, end

    # --- changes, for series -----------------------------------------------------------

    @cached_property
    def changes(self) -> Changes:
        """Every phase change as resource and readiness changes (see :class:`Changes`)."""
        all_w = self._columns[0].astype(np.int64)
        all_p = self._columns[2].astype(np.int64)
        rows = np.flatnonzero((all_w >= 0) & (all_p >= 0))
        n = len(rows)
        t = self.times[rows]
        w = all_w[rows]
        h = self._columns[1].astype(np.int64)[rows]
        p = all_p[rows]
        # Each change's previous state is the previous change of the same workload.
        order = np.argsort(w, kind="stable")
        prev_p = np.full(n, NOT_CREATED, dtype=np.int64)
        prev_h = np.full(n, -1, dtype=np.int64)
        same = np.zeros(n, dtype=bool)
        same[1:] = w[order][1:] == w[order][:-1]
        prev_p[order[1:][same[1:]]] = p[order[:-1][same[1:]]]
        prev_h[order[1:][same[1:]]] = h[order[:-1][same[1:]]]
        held_before = np.isin(prev_p, _CONSUMING_CODES) & (prev_h >= 0)
        held_after = np.isin(p, _CONSUMING_CODES) & (h >= 0)
        out_idx = np.flatnonzero(held_before)
        in_idx = np.flatnonzero(held_after)
        times = np.concatenate([t[out_idx], t[in_idx]])
        hosts = np.concatenate([prev_h[out_idx], h[in_idx]]).astype(np.int32)
        cpu = np.concatenate([-self.workload_cpu[w[out_idx]], self.workload_cpu[w[in_idx]]])
        mem = np.concatenate(
            [-self.workload_memory_gb[w[out_idx]], self.workload_memory_gb[w[in_idx]]]
        )
        # A live migration's hold on its target is memory without a workload there.
        r_rows, r_hosts, r_gb = self._reservations
        times = np.concatenate([times, self.times[r_rows]])
        hosts = np.concatenate([hosts, r_hosts.astype(np.int32)])
        cpu = np.concatenate([cpu, np.zeros(len(r_rows))])
        mem = np.concatenate([mem, r_gb])
        # Busier VMs: CPU on their host without a workload row of its own.
        l_times, l_hosts, l_cpu = self._loads
        times = np.concatenate([times, l_times])
        hosts = np.concatenate([hosts, l_hosts.astype(np.int32)])
        cpu = np.concatenate([cpu, l_cpu])
        mem = np.concatenate([mem, np.zeros(len(l_times))])
        # Keep time order; a release sorts before a reservation made at the same instant.
        seq = np.concatenate(
            [out_idx * 2, in_idx * 2 + 1, np.where(r_gb < 0, 0, 1), np.where(l_cpu < 0, 0, 1)]
        )
        by_time = np.lexsort((seq, times))
        ready_change = (p == Phase.READY).astype(np.int32) - (prev_p == Phase.READY).astype(
            np.int32
        )
        return Changes(
            resource_times=times[by_time],
            resource_hosts=hosts[by_time],
            cpu=cpu[by_time],
            memory_gb=mem[by_time],
            phase_times=t,
            phase_service=self.workload_service[w].astype(np.int32),
            ready=ready_change.astype(np.float64),
        )


def step_sample(
    change_times: FloatArray, changes: FloatArray, at: FloatArray, start: float = 0.0
) -> FloatArray:
    """Sample the running total of ``changes`` (at ``change_times``, sorted) at times ``at``."""
    totals = start + np.cumsum(changes)
    idx = np.searchsorted(change_times, at, side="right") - 1
    out = np.where(idx >= 0, totals[np.clip(idx, 0, None)] if len(totals) else start, start)
    return np.asarray(out, dtype=np.float64)


class Timeline:
    """A whole run: every world's log, its summary, and queries by time."""

    def __init__(self, scenario: Scenario, runs: Sequence[WorldRun]) -> None:
        self.scenario = scenario
        self.worlds: dict[World, WorldTimeline] = {run.world: WorldTimeline(run) for run in runs}
        self.sample_times = np.arange(
            0.0, scenario.duration_s + scenario.sample_step_s / 2, scenario.sample_step_s
        )

    @property
    def duration_s(self) -> float:
        return self.scenario.duration_s

    @cached_property
    def events(self) -> list[Event]:
        """Every world's events, in time order (ties: world order, then log order)."""
        keyed = [
            (world.times[i], n, i, world)
            for n, world in enumerate(self.worlds.values())
            for i in range(len(world))
        ]
        keyed.sort(key=lambda k: (k[0], k[1], k[2]))
        return [world.event(i) for _, _, i, world in keyed]

    def event_count(self) -> int:
        return sum(len(w) for w in self.worlds.values())

    @cached_property
    def digest(self) -> str:
        """sha256 of the canonical event log: the same scenario and seed give the same digest."""
        sha = hashlib.sha256()
        for world in self.worlds.values():
            sha.update("".join(world.canonical_lines()).encode())
        return sha.hexdigest()

    @cached_property
    def summary(self) -> dict[str, WorldSummary]:
        """Each world's summary (recovery, downtime, phases, peak memory), worked out once
        for every view that shows it."""
        from vmc_gui.sim.summary import summarize  # summary reads the Timeline: no circle

        return summarize(self)

    def state_at(self, t: float) -> State:
        return State(t, {world: wt.state_at(t) for world, wt in self.worlds.items()})

    # --- series ------------------------------------------------------------------------

    def series_names(self) -> list[str]:
        names: list[str] = []
        for world, wt in self.worlds.items():
            names += [f"{world.value}/memory_used", f"{world.value}/cpu_used"]
            names += [f"{world.value}/overhead_memory", f"{world.value}/app_memory"]
            for service in wt.run.service_names:
                names += [
                    f"{world.value}/service/{service}/ready",
                    f"{world.value}/service/{service}/desired",
                ]
            for host in wt.run.host_names:
                names += [f"{world.value}/host/{host}/cpu", f"{world.value}/host/{host}/memory"]
        return names

    def series(self, name: str) -> Series:
        """A sampled series by name; ``series_names()`` lists them."""
        parts = name.split("/")
        try:
            wt = self.worlds[World(parts[0])]
        except (ValueError, KeyError):
            raise KeyError(f"no series {name!r}: unknown world") from None
        c = wt.changes
        at = self.sample_times
        if parts[1:] == ["memory_used"]:
            return Series(name, "GB", at, step_sample(c.resource_times, c.memory_gb, at))
        if parts[1:] == ["cpu_used"]:
            return Series(name, "cores", at, step_sample(c.resource_times, c.cpu, at))
        if parts[1:] in (["overhead_memory"], ["app_memory"]):
            # Every instance holding memory spends the same on its platform (a guest OS, the
            # runtime): count the instances holding memory (a move is a release and a take).
            from vmc_gui.sim.memory_split import platform_memory_gb  # it reads the Timeline

            holding = step_sample(c.resource_times, np.sign(c.memory_gb), at)
            overhead = platform_memory_gb(holding, wt.run.instance_overhead_mb)
            if parts[1] == "overhead_memory":
                return Series(name, "GB", at, overhead)
            used = step_sample(c.resource_times, c.memory_gb, at)
            return Series(name, "GB", at, used - overhead)
        if len(parts) == 4 and parts[1] == "host" and parts[3] in ("cpu", "memory"):
            if parts[2] not in wt.run.host_names:
                raise KeyError(f"no series {name!r}: unknown host")
            mask = c.resource_hosts == wt.run.host_names.index(parts[2])
            values = c.cpu if parts[3] == "cpu" else c.memory_gb
            unit = "cores" if parts[3] == "cpu" else "GB"
            return Series(name, unit, at, step_sample(c.resource_times[mask], values[mask], at))
        if len(parts) == 4 and parts[1] == "service" and parts[3] in ("ready", "desired"):
            if parts[2] not in wt.run.service_names:
                raise KeyError(f"no series {name!r}: unknown service")
            s = wt.run.service_names.index(parts[2])
            if parts[3] == "desired":
                steps = [(when, n) for when, k, n in wt.run.desired_changes if k == s]
                times = np.asarray([when for when, _ in steps], dtype=np.float64)
                deltas = np.diff([wt.run.service_desired[s], *(n for _, n in steps)])
                return Series(
                    name,
                    "replicas",
                    at,
                    step_sample(times, deltas.astype(np.float64), at, wt.run.service_desired[s]),
                )
            mask = c.phase_service == s
            return Series(name, "replicas", at, step_sample(c.phase_times[mask], c.ready[mask], at))
        raise KeyError(f"no series {name!r}; see series_names()")
