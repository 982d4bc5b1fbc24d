"""Which failures the survey asks about, and when (issue 21, §4).

- **The cluster as found**: the scenario with its events at 0 s and none later.  An import
  fails the nodes that were not Ready at 0 s: that is the cluster's state, and it stays.  The
  scenario's own story (the lesson's rack failing at one minute) is dropped.
- **When**: each failure comes at :data:`DEFAULT_AT_S` (a minute of steady state, as the
  lessons' failures), or, where the cluster as found is still recovering from its own
  starting failures, a minute after the last of its replicas settled, on a whole minute.
- **How long**: each failure is watched for :data:`WATCH_S`.
- **The candidates**: every single host that is up; every rack, where there are two or
  more; and every zone that spans two racks or more (named zones, ``[cluster] zones =
  "rack"``).  A rack that is a named zone of its own is asked about once, as the rack, titled
  with its zone ("rack 1 (eu-west-1a)").  Racks are not asked about in a one-rack cluster,
  nor a zone that covers every rack: that failure is the whole cluster's.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from dataclasses import dataclass

from vmc_gui.model.cluster import ClusterSpec
from vmc_gui.model.power import power_change
from vmc_gui.model.scenario import Scenario
from vmc_gui.model.what_if import DEFAULT_AT_S

#: How long each failure is watched.  25 minutes: twice the defaults' slowest recovery from
#: one rack (Kubernetes taints a 40-node zone at 0.1 nodes/s, then waits out 300 s of
#: toleration: 12 min 24 s in the at-scale lesson), and short of VM Load Balancing's first
#: periodic pass at 30 min, which may move VMs into room the failover found too scattered to
#: use (the capacity analysis, like the failover, knows nothing of it).
WATCH_S = 1500.0


@dataclass(frozen=True, slots=True)
class Candidate:
    """A failure the survey asks about."""

    #: ``"host"``, ``"rack"`` or ``"zone"``: the ``what_if`` kind.
    kind: str
    #: The host's name, the rack's number, the zone's name.
    name: str
    #: As a person reads it: ``r3-h01``, ``rack 3``, ``rack 1 (eu-west-1a)``, ``zone eu-west-1a``.
    title: str
    #: How many hosts it takes down (of those still up).
    hosts: int

    def what_if(self, at_s: float) -> str:
        """The failure as ``vmc-gui simulate --fail`` writes it: ``rack=3@60``."""
        return f"{self.kind}={self.name}@{at_s:g}"


@dataclass(frozen=True, slots=True)
class SurveyPlan:
    """What the survey runs: the cluster as found, the moment, the candidates."""

    #: The cluster as found, to run until :attr:`until_s` (its ``duration_s``).
    baseline: Scenario
    at_s: float
    until_s: float
    hosts: tuple[Candidate, ...]
    racks: tuple[Candidate, ...]
    zones: tuple[Candidate, ...]
    #: Hosts already down in the cluster as found (not asked about).
    down: tuple[str, ...]
    #: Why a kind of failure is not asked about, one line each.
    notes: tuple[str, ...]


def as_found(scenario: Scenario) -> Scenario:
    """``scenario`` with its events at 0 s only (the cluster's state, not its story)."""
    return dataclasses.replace(
        scenario, events=tuple(event for event in scenario.events if event.at_s <= 0)
    )


def down_at_start(scenario: Scenario) -> set[str]:
    """The hosts the events at 0 s leave down (failed, and not recovered at 0 s)."""
    down: set[str] = set()
    for event in scenario.events:
        change = power_change(event, scenario.cluster) if event.at_s <= 0 else None
        if change is not None:
            hosts, on = change
            if on:
                down.difference_update(hosts)
            else:
                down.update(hosts)
    return down


def failure_time(settled_s: float | None) -> float:
    """When the failures come: a minute in, or a minute after the cluster as found settled
    (``settled_s``: the last time one of its replicas changed), on a whole minute."""
    if settled_s is None:
        return DEFAULT_AT_S
    return max(DEFAULT_AT_S, math.ceil((settled_s + DEFAULT_AT_S) / 60.0) * 60.0)


def plan_survey(scenario: Scenario, settled_s: float | None) -> SurveyPlan:
    """The survey of ``scenario``'s cluster; ``settled_s`` as :func:`failure_time` takes it
    (None where the cluster as found has no starting events)."""
    found = as_found(scenario)
    at = failure_time(settled_s)
    until = at + WATCH_S
    baseline = dataclasses.replace(found, duration_s=until)
    cluster = scenario.cluster
    down = down_at_start(found)
    names = cluster.host_names()
    up = [i for i, name in enumerate(names) if name not in down]
    hosts = tuple(Candidate("host", names[i], names[i], 1) for i in up)
    racks, zones, notes = _racks_and_zones(cluster, up)
    return SurveyPlan(
        baseline=baseline,
        at_s=at,
        until_s=until,
        hosts=hosts,
        racks=racks,
        zones=zones,
        down=tuple(name for name in names if name in down),
        notes=notes,
    )


def _racks_and_zones(
    cluster: ClusterSpec, up: list[int]
) -> tuple[tuple[Candidate, ...], tuple[Candidate, ...], tuple[str, ...]]:
    notes: list[str] = []
    up_in_rack = Counter(cluster.rack_of(i) for i in up)
    everything = len(up)
    titles = cluster.rack_titles()
    racks: list[Candidate] = []
    if cluster.racks < 2:
        notes.append("one rack: its failure would be the whole cluster's")
    else:
        for rack in range(1, cluster.racks + 1):
            count = up_in_rack.get(rack, 0)
            if count == 0 or count == everything:
                continue  # every host down already, or every host still up
            zone = titles[rack - 1]
            title = f"rack {rack}" if zone == f"Rack {rack}" else f"rack {rack} ({zone})"
            racks.append(Candidate("rack", str(rack), title, count))
    zones: list[Candidate] = []
    if cluster.zones == "rack":
        for zone, count in _zones_of_several_racks(cluster, up_in_rack):
            if count == everything:
                notes.append(f"zone {zone} holds every host: its failure is the whole cluster's")
            elif count:
                zones.append(Candidate("zone", zone, f"zone {zone}", count))
    return tuple(racks), tuple(zones), tuple(notes)


def _zones_of_several_racks(
    cluster: ClusterSpec, up_in_rack: Counter[int]
) -> list[tuple[str, int]]:
    """Each zone that spans two racks or more, with its hosts up, in rack order."""
    spans: dict[str, list[int]] = {}
    names = cluster.zone_names()
    for rack in range(1, cluster.racks + 1):
        spans.setdefault(names[cluster.zone_of_rack(rack)], []).append(rack)
    return [
        (zone, sum(up_in_rack.get(r, 0) for r in racks))
        for zone, racks in spans.items()
        if len(racks) > 1
    ]
