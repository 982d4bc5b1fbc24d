"""What each chart plots, worked out from a Timeline: curves, markers and levels, no Qt.

A chart is one or more panels of curves over simulated time.  The chart widgets draw it, the
CSV export writes it, and tests check it, all from the same :class:`Chart`:

- ``availability``: ready replicas over desired, per service and world, with the failure
  and each world's recovery marked;
- ``memory`` and ``cpu``: what is reserved on each host, a panel per world, stacked (a
  failed host's band closes up); above 24 hosts, a band per rack, and a rack opened on
  request shows its hosts (:mod:`.chart_racks`);
- ``overhead``: the memory each world spends on its platform (guest OS or container
  runtime) against the memory its apps use: the seed's "Operating system" row, in numbers;
- ``capacity`` (scale-out): ready against desired replicas, with time to capacity marked;
- ``min-ready`` (rolling updates): ready replicas, with the least seen during the update;
- ``precopy`` (live migration): memory still to copy through each pre-copy round;
- ``copies`` (network partitions): per service, the copies desired, those the clients reach
  and those running, so that a gap (cut off) and a duplicate (running twice) both show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from vmc_gui.model.scenario import EventKind, World
from vmc_gui.report import duration
from vmc_gui.sim import chart_racks
from vmc_gui.sim.memory_split import OVERHEAD_NAME
from vmc_gui.sim.migration import MigrationRecord
from vmc_gui.sim.network import network_changes
from vmc_gui.sim.records import EventType
from vmc_gui.sim.summary import capacity_reached
from vmc_gui.sim.timeline import Timeline, WorldTimeline

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Curve:
    """One line: its label (also its CSV column), its world, and its points."""

    label: str
    world: World
    times: FloatArray
    values: FloatArray
    #: Dashed: a target or a second quantity beside the main one.
    dashed: bool = False
    #: Which of a world's several curves this is (hosts get shades of the world's colour).
    shade: int = 0
    #: The label in a legend or a readout, where the panel already says the rest.
    short: str = ""
    #: Drawn as slopes between its points (else it is a step curve: level and upright).
    sloped: bool = False

    @property
    def name(self) -> str:
        return self.short or self.label

    def value_at(self, t: float) -> float:
        """The curve's value at ``t``: the last point at or before it for a step curve,
        between its points for a sloped one (pre-copy)."""
        if not len(self.times):
            return float("nan")
        if self.sloped:
            return float(np.interp(t, self.times, self.values))
        i = int(np.searchsorted(self.times, t, side="right")) - 1
        return float(self.values[max(i, 0)])


@dataclass(frozen=True)
class Marker:
    """A moment worth a vertical line and a word: the failure, a world's recovery."""

    at_s: float
    label: str
    world: World | None = None


@dataclass(frozen=True)
class Level:
    """A value worth a horizontal line: the fewest replicas ready during an update."""

    value: float
    label: str
    world: World | None = None


@dataclass(frozen=True)
class Panel:
    title: str
    unit: str
    curves: tuple[Curve, ...]
    levels: tuple[Level, ...] = ()
    #: Fixed bounds for the value axis, when they mean something (0 to 100 %).
    value_range: tuple[float, float] | None = None
    #: The stretch of the run worth showing, when it is a short part of it (a migration).
    time_range: tuple[float, float] | None = None
    #: Curves drawn each on the one before (a world's hosts: the total, and its parts).
    #: They share their times.
    stacked: bool = False


@dataclass(frozen=True)
class Chart:
    metric: str
    title: str
    panels: tuple[Panel, ...]
    markers: tuple[Marker, ...]
    duration_s: float
    #: The simulation's sample step: the CSV's rows.
    sample_times: FloatArray
    #: A per-host chart of more hosts than a band each: the racks a user can open, and the
    #: one open (its hosts a band each), None while the chart shows every rack.
    racks: tuple[int, ...] = ()
    rack: int | None = None

    def curves(self) -> list[Curve]:
        return [curve for panel in self.panels for curve in panel.curves]


#: Every chart, in the order a user meets them, with a title.
TITLES = {
    "availability": "Availability: ready replicas over desired",
    "memory": "Memory reserved on each host",
    "cpu": "CPU reserved on each host",
    "overhead": "Memory: platform overhead against the apps",
    "capacity": "Scaling out: ready against desired replicas",
    "min-ready": "Rolling update: replicas ready",
    "precopy": "Live migration: memory still to copy",
    "copies": "Copies: desired, reached by the clients, running",
}


def available(timeline: Timeline) -> list[str]:
    """The charts a timeline has data for: four for every scenario that runs something,
    and the lesson's own."""
    runs = [wt.run for wt in timeline.worlds.values()]
    if not any(run.service_names for run in runs):
        return []  # nothing runs (the compatibility lesson): nothing to chart
    names = ["availability", "memory", "cpu", "overhead"]
    if any(run.desired_changes for run in runs):
        names.append("capacity")
    if any(e.kind is EventKind.UPDATE for e in timeline.scenario.events):
        names.append("min-ready")
    if any(wt.has(EventType.MIGRATION_ROUND) for wt in timeline.worlds.values()):
        names.append("precopy")
    if timeline.scenario.cuts_network:
        names.append("copies")
    return names


#: The charts that draw a band per host (a band per rack at scale), and their units.
PER_HOST = {"memory": "GB", "cpu": "cores"}


def build(timeline: Timeline, metric: str, *, rack: int | None = None) -> Chart:
    """The chart ``metric`` of ``timeline``; KeyError names the charts there are.  ``rack``:
    for a per-host chart drawn by rack, that rack's hosts instead (KeyError if it has no such
    rack); the other charts, and per-host charts of few hosts, have nothing to open."""
    racks = chart_racks.racks(timeline) if metric in PER_HOST else ()
    if rack is not None and racks and rack not in racks:
        raise KeyError(f"no rack {rack} in {timeline.scenario.name}: racks 1 to {len(racks)}")
    opened = rack if racks else None
    makers = {
        "availability": _availability,
        "memory": lambda tl: _per_host(tl, "memory", opened),
        "cpu": lambda tl: _per_host(tl, "cpu", opened),
        "overhead": _overhead,
        "capacity": _capacity,
        "min-ready": _min_ready,
        "precopy": _precopy,
        "copies": _copies,
    }
    if metric not in available(timeline):
        has = available(timeline)
        raise KeyError(
            f"no chart {metric!r} for {timeline.scenario.name}; "
            + (f"it has: {', '.join(has)}" if has else "it has none: nothing runs in it")
        )
    panels, markers = makers[metric](timeline)
    title = TITLES[metric]
    if racks:
        title += f" of rack {opened}" if opened else ", summed by rack"
    return Chart(
        metric,
        title,
        tuple(panels),
        tuple(markers),
        timeline.scenario.duration_s,
        timeline.sample_times,
        racks,
        opened,
    )


def to_csv(chart: Chart) -> str:
    """A header (``time_s`` and one column per curve), then a row per sample step."""
    at = chart.sample_times
    curves = chart.curves()
    columns = [np.interp(at, c.times, c.values) if len(c.times) else at * np.nan for c in curves]
    header = ",".join(["time_s", *(_csv_field(c.label) for c in curves)])
    rows = [header]
    for i, t in enumerate(at.tolist()):
        rows.append(",".join([_number(t), *(_number(float(col[i])) for col in columns)]))
    return "\n".join(rows) + "\n"


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def _number(value: float) -> str:
    return "" if np.isnan(value) else repr(float(round(value, 9)))


# --- the charts ---------------------------------------------------------------------------


def _failure(timeline: Timeline) -> list[Marker]:
    faults = [wt.run.first_fault_s for wt in timeline.worlds.values()]
    first = min((f for f in faults if f is not None), default=None)
    return [] if first is None else [Marker(first, "failure")]


def _availability(timeline: Timeline) -> tuple[list[Panel], list[Marker]]:
    curves = []
    at = timeline.sample_times
    summaries = timeline.summary
    markers = _failure(timeline)
    for world, wt in timeline.worlds.items():
        for k, service in enumerate(wt.run.service_names):
            ready = timeline.series(f"{world.value}/service/{service}/ready").values
            desired = timeline.series(f"{world.value}/service/{service}/desired").values
            with np.errstate(invalid="ignore", divide="ignore"):
                share = np.where(desired > 0, 100.0 * ready / desired, 100.0)
            label = f"{world.display_name} · {service}"
            short = f"{SHORT[world]} · {service}"
            curves.append(Curve(label, world, at, share, shade=k, short=short))
        recovery = summaries[world.value].recovery_s
        fault = wt.run.first_fault_s
        if fault is not None and recovery:  # a failure that hit a service, and it came back
            markers.append(Marker(fault + recovery, f"recovered in {duration(recovery)}", world))
    panel = Panel("Ready replicas, % of desired", "%", tuple(curves), value_range=(0.0, 105.0))
    return [panel], markers


def _per_host(timeline: Timeline, what: str, rack: int | None) -> tuple[list[Panel], list[Marker]]:
    """A panel per world, stacked: a band per host (up to ``chart_racks.PER_HOST_LIMIT``),
    else a band per rack, or the hosts of ``rack``."""
    panels = []
    grouped = chart_racks.by_rack(timeline)
    for world, wt in timeline.worlds.items():
        # Short: two panels share a row, and a title sets a panel's least width.
        who = f"{SHORT[world][0].upper()}{SHORT[world][1:]}"
        if grouped and rack is None:
            bands = chart_racks.rack_bands(timeline, world, what)
            parts = [(band.name, band.values) for band in bands]
            title = f"{who}, stacked by {chart_racks.group_word(wt)}"
        elif grouped and rack is not None:
            parts = chart_racks.rack_hosts(timeline, world, what, rack)
            title = f"{who}, {chart_racks.rack_name(wt, rack).lower()} by host"
        else:
            parts = [
                (host, timeline.series(f"{world.value}/host/{host}/{what}").values)
                for host in wt.run.host_names
            ]
            title = f"{who}, stacked by host"
        curves = tuple(
            Curve(
                f"{world.display_name} · {name}",
                world,
                timeline.sample_times,
                values,
                shade=h,
                short=name,
            )
            for h, (name, values) in enumerate(parts)
        )
        panels.append(Panel(title, PER_HOST[what], curves, stacked=True))
    return panels, _failure(timeline)


def _overhead(timeline: Timeline) -> tuple[list[Panel], list[Marker]]:
    curves = []
    for world in timeline.worlds:
        for part, dashed in (("app_memory", False), ("overhead_memory", True)):
            series = timeline.series(f"{world.value}/{part}")
            what = "apps" if part == "app_memory" else OVERHEAD_NAME.get(world, "platform")
            label = f"{world.display_name} · {what}"
            short = f"{SHORT[world]} · {what}"
            curves.append(Curve(label, world, series.times, series.values, dashed, short=short))
    return [Panel("Memory in use", "GB", tuple(curves))], _failure(timeline)


#: A world in a few words, for legends and readouts.
SHORT = {
    World.VM: "VMs",
    World.VM_LOCAL_DISK: "VMs, local disk",
    World.VM_SMB_SHARE: "VMs, SMB share",
    World.CONTAINER: "containers",
    World.CONTAINER_SHARED_VOLUME: "containers, Azure Files",
    World.CONTAINER_NODE_VOLUME: "containers, local volume",
    World.CONTAINER_DISK_VOLUME: "containers, Azure Disk",
    World.HYPERV_CONTAINER: "Hyper-V containers",
}


def _ready_and_desired(timeline: Timeline, *, desired: bool) -> list[Curve]:
    curves = []
    for world, wt in timeline.worlds.items():
        for k, service in enumerate(wt.run.service_names):
            base = f"{world.value}/service/{service}"
            ready = timeline.series(f"{base}/ready")
            label = f"{world.display_name} · {service}"
            short = f"{SHORT[world]} · {service}"
            curves.append(
                Curve(
                    f"{label} ready",
                    world,
                    ready.times,
                    ready.values,
                    shade=k,
                    short=f"{short} ready",
                )
            )
            if desired:
                wanted = timeline.series(f"{base}/desired")
                curves.append(
                    Curve(
                        f"{label} desired",
                        world,
                        wanted.times,
                        wanted.values,
                        True,
                        k,
                        short=f"{short} desired",
                    )
                )
    return curves


def _lesson_start(timeline: Timeline, kind: EventKind, label: str) -> list[Marker]:
    starts = [e.at_s for e in timeline.scenario.events if e.kind is kind]
    return [Marker(min(starts), label)] if starts else []


def _capacity(timeline: Timeline) -> tuple[list[Panel], list[Marker]]:
    markers = []
    for at_s, rose in _scale_events(timeline):
        markers.append(Marker(at_s, "demand rose" if rose else "demand fell"))
        break  # the first: what starts the lesson's stopwatch
    for world, wt in timeline.worlds.items():
        reached = capacity_reached(wt)
        if reached is not None and wt.run.desired_changes:
            took, at_s = reached
            markers.append(Marker(at_s, f"at capacity in {duration(took)}", world))
    curves = _ready_and_desired(timeline, desired=True)
    return [Panel("Replicas", "replicas", tuple(curves), value_range=_from_zero(curves))], markers


def _scale_events(timeline: Timeline) -> list[tuple[float, bool]]:
    """Each change of a service's desired replicas: when, and whether it asked for more."""
    wt = next(iter(timeline.worlds.values()))
    desired = list(wt.run.service_desired)
    out = []
    for at_s, s, n in wt.run.desired_changes:
        out.append((at_s, n > desired[s]))
        desired[s] = n
    return out


def _min_ready(timeline: Timeline) -> tuple[list[Panel], list[Marker]]:
    summaries = timeline.summary
    levels = []
    for world in timeline.worlds:
        fewest = summaries[world.value].extra.get("min_ready_replicas")
        if fewest is not None:
            levels.append(Level(float(fewest), f"never fewer than {fewest} ready", world))
    curves = _ready_and_desired(timeline, desired=False)
    markers = _lesson_start(timeline, EventKind.UPDATE, "the update began")
    panel = Panel(
        "Replicas ready", "replicas", tuple(curves), tuple(levels), value_range=_from_zero(curves)
    )
    return [panel], markers


def _precopy(timeline: Timeline) -> tuple[list[Panel], list[Marker]]:
    """Each live-migrated VM's memory still to copy: every round starts with what the guest
    dirtied during the round before and falls to nothing as it copies; the pause copies what
    is left.  The rounds are the engine's own record of each migration (the copy's rate
    changes as other copies start and end, so each round is drawn from its start to its end)."""
    curves, markers = [], []
    for world, wt in timeline.worlds.items():
        by_vm: dict[int, list[MigrationRecord]] = {}
        for record in wt.migrations:
            by_vm.setdefault(record.workload, []).append(record)
        for shade, (w, records) in enumerate(sorted(by_vm.items())):
            times: list[float] = [0.0]
            values: list[float] = [0.0]
            for record in sorted(records, key=lambda r: r.start_s):
                copies = list(record.rounds)
                if record.blackout is not None:
                    copies.append(record.blackout)
                    start, end, _ = record.blackout
                    label = f"blackout {(end - start) * 1000:.1f} ms"
                    markers.append(Marker(start, label, world))
                for start, end, mb in copies:
                    # Jump to what this copy sends, then down to nothing as it arrives.
                    times += [start, start, end]
                    values += [values[-1], mb, 0.0]
                if record.left_mb > 0:
                    # Called off mid-copy: it stops where it was, and nothing is left to send.
                    values[-1] = record.left_mb
                    times.append(record.end_s)
                    values.append(0.0)
            times.append(timeline.scenario.duration_s)
            values.append(0.0)
            name = wt.run.workload_names[w]
            curves.append(
                Curve(
                    f"{world.display_name} · {name}",
                    world,
                    np.asarray(times),
                    np.asarray(values),
                    shade=shade,
                    short=name,
                    sloped=True,
                )
            )
    # The migrations take seconds of a run of minutes: show them, with a little either side.
    busy = [c.times[(c.values > 0) | (np.roll(c.values, 1) > 0)] for c in curves]
    moments = np.concatenate(busy) if busy else np.zeros(0)
    window = None
    if len(moments):
        margin = max(2.0, 0.15 * float(moments.max() - moments.min()))
        window = (max(0.0, float(moments.min()) - margin), float(moments.max()) + margin)
    return [Panel("Memory still to copy", "MB", tuple(curves), time_range=window)], markers


def _from_zero(curves: list[Curve]) -> tuple[float, float]:
    """From nothing to a little over the highest point: a dip shows its true depth."""
    top = max((float(np.nanmax(c.values)) for c in curves if len(c.values)), default=1.0)
    return 0.0, max(1.0, top * 1.08)


def _copies(timeline: Timeline) -> tuple[list[Panel], list[Marker]]:
    """A panel per world: each service's desired copies (dashed), the copies the clients
    reach, and the copies that run.  Reached below desired is a gap (cut off, or not yet
    replaced); running above reached is a copy out of reach that still runs, and running
    above desired is a workload running twice."""
    at = timeline.sample_times
    panels = []
    for world, wt in timeline.worlds.items():
        curves = []
        running, serving = _copy_counts(timeline, wt)
        for k, service in enumerate(wt.run.service_names):
            desired = timeline.series(f"{world.value}/service/{service}/desired").values
            label = f"{world.display_name} · {service}"
            for what, values, shade, dashed in (
                ("desired", desired, 2 * k, True),
                ("reached", serving[k], 2 * k + 1, False),
                ("running", running[k], 2 * k, False),
            ):
                curves.append(
                    Curve(
                        f"{label} {what}",
                        world,
                        at,
                        values,
                        dashed,
                        shade,
                        short=f"{service} {what}",
                    )
                )
        title = f"{SHORT[world][0].upper()}{SHORT[world][1:]}: copies per service"
        panels.append(Panel(title, "copies", tuple(curves), value_range=_from_zero(curves)))
    network = _network_markers(timeline)
    # A host failure gets its own marker; the network's first fault is already marked.
    cut = {m.at_s for m in network}
    return panels, [m for m in _failure(timeline) if m.at_s not in cut] + network


def _copy_counts(
    timeline: Timeline, wt: WorldTimeline
) -> tuple[list[FloatArray], list[FloatArray]]:
    """Each service's running and reached copies on the sample grid.  The engine records
    both at every change once the network has events; before a service's first record
    (the deployment), both are its ready replicas."""
    at = timeline.sample_times
    running, serving = [], []
    for k, service in enumerate(wt.run.service_names):
        ready = timeline.series(f"{wt.world.value}/service/{service}/ready").values
        rows = [(t, r, s) for t, k2, r, s in wt.run.copies_changes if k2 == k]
        if not rows:
            running.append(ready)
            serving.append(ready)
            continue
        times = np.asarray([t for t, _, _ in rows], dtype=np.float64)
        index = np.searchsorted(times, at, side="right") - 1
        before = index < 0
        picked = np.clip(index, 0, None)
        run = np.asarray([r for _, r, _ in rows], dtype=np.float64)[picked]
        served = np.asarray([s for _, _, s in rows], dtype=np.float64)[picked]
        running.append(np.where(before, ready, run))
        serving.append(np.where(before, ready, served))
    return running, serving


def _network_markers(timeline: Timeline) -> list[Marker]:
    """The cut and the heal: the first network fault, and when the network is whole again."""
    changes = network_changes(timeline.scenario.events)
    markers = []
    cut = next((at for at, state in changes if not state.intact), None)
    if cut is not None:
        markers.append(Marker(cut, "network cut"))
        healed = next((at for at, state in changes if at > cut and state.intact), None)
        if healed is not None:
            markers.append(Marker(healed, "network whole again"))
    return markers
