"""The per-host charts at scale: hosts summed by rack (or zone), and one rack's own hosts.

Up to :data:`PER_HOST_LIMIT` hosts a per-host chart draws a band per host.  Above it, a band
per rack, a rack in a container world with a Kubernetes zone per rack named after its zone;
above :data:`BAND_LIMIT` racks, the racks that change most keep their own bands and the rest
share one.  A user may open a rack: its hosts, a band each.  The sums are worked out with
numpy from the world's resource changes, once per timeline (cached beside it), no Qt.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from vmc_gui.model.scenario import Scenario, World
from vmc_gui.sim.timeline import Timeline, WorldTimeline

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: The most hosts a per-host chart draws one band each for: the bundled lessons' 12 to 16
#: hosts stay as they are; above, a band per rack.
PER_HOST_LIMIT = 24
#: The most bands a panel drawn by rack has (and so the most entries a legend could list).
BAND_LIMIT = 24
#: What a per-host chart sums: each host's reserved cores or GB.
QUANTITIES = ("cpu", "memory")


@dataclass(frozen=True)
class Band:
    """One band of a panel drawn by rack: its name, its racks, and its values on the
    timeline's sample grid."""

    name: str
    racks: tuple[int, ...]
    values: FloatArray


def by_rack(timeline: Timeline) -> bool:
    """Whether the per-host charts draw a band per rack: more hosts than a band each."""
    return bool(scenario_racks(timeline.scenario))


def racks(timeline: Timeline) -> tuple[int, ...]:
    """The racks a user can open (1-based), in order; none where hosts get a band each."""
    return scenario_racks(timeline.scenario)


def scenario_racks(scenario: Scenario) -> tuple[int, ...]:
    """:func:`racks` of ``scenario``'s runs, known before it runs (``vmc-gui export --rack``
    is checked so): its racks where it has more hosts than a band each, else none."""
    cluster = scenario.cluster
    return tuple(range(1, cluster.racks + 1)) if cluster.host_count > PER_HOST_LIMIT else ()


def rack_name(wt: WorldTimeline, rack: int) -> str:
    """``Rack 12``; ``Zone rack-12`` in a world whose Kubernetes zones are its racks (the
    model's ``zones = "rack"``; with one zone for the whole cluster, racks it is)."""
    zone = _zone_of_rack(wt).get(rack)
    return f"Zone {zone}" if zone else f"Rack {rack}"


def group_word(wt: WorldTimeline) -> str:
    """What a band of ``wt``'s panel drawn by rack is: a zone, where its racks are zones."""
    return "zone" if _zone_of_rack(wt) else "rack"


def rack_bands(timeline: Timeline, world: World, what: str) -> list[Band]:
    """A band per rack, bottom first, each the sum of its hosts' reservations (summed, not
    averaged: the stack's top stays the cluster's total, as the per-host bands' does).  With
    more than :data:`BAND_LIMIT` racks, the racks whose value moved most over the run (a rack
    that failed, those that took its load) keep a band each, in rack order, and the rest
    share one band at the bottom: the quietest, so it does not shake the bands above it."""
    key = (world, what)
    cache = _cache(timeline).bands
    if key not in cache:
        wt = timeline.worlds[world]
        rack_of = np.asarray(wt.run.host_racks, dtype=np.int64) - 1
        count = max(wt.run.host_racks, default=0)
        sums = _sums(timeline, wt, what, rack_of, count)
        numbers = list(range(1, count + 1))
        bands = [Band(rack_name(wt, r), (r,), sums[r - 1]) for r in numbers]
        if count > BAND_LIMIT:
            moved = sums.max(axis=1) - sums.min(axis=1)
            ranked = sorted(numbers, key=lambda r: (-float(moved[r - 1]), r))
            kept = set(ranked[: BAND_LIMIT - 1])
            rest = tuple(r for r in numbers if r not in kept)
            other = Band(_others(wt, rest), rest, sums[[r - 1 for r in rest]].sum(axis=0))
            bands = [other, *(b for b in bands if b.racks[0] in kept)]
        cache[key] = bands
    return list(cache[key])


def rack_hosts(
    timeline: Timeline, world: World, what: str, rack: int
) -> list[tuple[str, FloatArray]]:
    """Each host of ``rack`` and its reservation on the sample grid, in the rack's order."""
    key = (world, what, rack)
    cache = _cache(timeline).hosts
    if key not in cache:
        wt = timeline.worlds[world]
        mine = [h for h, r in enumerate(wt.run.host_racks) if r == rack]
        if not mine:
            raise KeyError(f"no rack {rack} in {timeline.scenario.name}")
        slot = np.full(len(wt.run.host_names), -1, dtype=np.int64)
        slot[mine] = np.arange(len(mine))
        sums = _sums(timeline, wt, what, slot, len(mine))
        cache[key] = [(wt.run.host_names[h], sums[i]) for i, h in enumerate(mine)]
    return list(cache[key])


# --- the sums ---------------------------------------------------------------------------------


@dataclass
class _Sums:
    """A timeline's sums worked out so far: its bands by (world, quantity), and its racks'
    hosts by (world, quantity, rack)."""

    bands: dict[tuple[World, str], list[Band]] = field(default_factory=dict)
    hosts: dict[tuple[World, str, int], list[tuple[str, FloatArray]]] = field(default_factory=dict)


#: Each timeline's sums, kept as long as the timeline is: a chart built again (a tab looked
#: at again, a rack opened and closed) adds them up once.
_CACHES: weakref.WeakKeyDictionary[Timeline, _Sums] = weakref.WeakKeyDictionary()


def _cache(timeline: Timeline) -> _Sums:
    sums = _CACHES.get(timeline)
    if sums is None:
        sums = _CACHES[timeline] = _Sums()
    return sums


def _sums(
    timeline: Timeline, wt: WorldTimeline, what: str, group_of_host: IntArray, groups: int
) -> FloatArray:
    """Each group's running total of ``what`` on the sample grid, as a (groups, samples)
    array; hosts in group -1 are left out.  One pass over the changes: each adds to its
    group at the first sample that counts it (a change at a sample's time counts there, as
    in :func:`~vmc_gui.sim.timeline.step_sample`), then a running sum along time."""
    if what not in QUANTITIES:
        raise KeyError(f"no per-host quantity {what!r}: one of {', '.join(QUANTITIES)}")
    changes = wt.changes
    at = timeline.sample_times
    values = changes.cpu if what == "cpu" else changes.memory_gb
    group = group_of_host[changes.resource_hosts]
    keep = group >= 0
    width = len(at) + 1  # the last column: changes after the last sample
    column = np.searchsorted(at, changes.resource_times[keep], side="left")
    flat = np.bincount(group[keep] * width + column, weights=values[keep], minlength=groups * width)
    sums = np.cumsum(flat.reshape(groups, width), axis=1, dtype=np.float64)
    return sums[:, :-1]


def _others(wt: WorldTimeline, rest: tuple[int, ...]) -> str:
    """The shared band's name: its racks (or zones) when they are a few, else how many."""
    word = group_word(wt)
    if len(rest) > 3:
        return f"{len(rest)} other {word}s"
    names = [rack_name(wt, r).split(" ", 1)[1] for r in rest]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"{word.capitalize()}{'s' if len(names) > 1 else ''} {listed}"


#: Each world's racks' zone names (worked out once: a name is asked for per rack).
_ZONES: weakref.WeakKeyDictionary[WorldTimeline, dict[int, str]] = weakref.WeakKeyDictionary()


def _zone_of_rack(wt: WorldTimeline) -> dict[int, str]:
    """Each rack's zone name, where the world's zones are its racks (one rack a zone, one
    zone a rack); else nothing."""
    zones = _ZONES.get(wt)
    if zones is None:
        zones = _ZONES[wt] = _zones(wt)
    return zones


def _zones(wt: WorldTimeline) -> dict[int, str]:
    run = wt.run
    if len(run.zone_names) < 2 or len(run.host_zone) != len(run.host_racks):
        return {}
    pairs = set(zip(run.host_racks, run.host_zone, strict=True))
    if len(pairs) != len({r for r, _ in pairs}) or len(pairs) != len({z for _, z in pairs}):
        return {}  # zones across racks: name them by rack
    return {rack: run.zone_names[zone] for rack, zone in pairs}
