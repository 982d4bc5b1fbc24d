"""Which hosts an event switches off or on: a host's, a rack's or a zone's failure, and a
host's return.  The partitions' story (what is off, not just cut off) and the survey's plan
(what the cluster as found has down at 0 s) read power the same way from here."""

from __future__ import annotations

from vmc_gui.model.cluster import ClusterSpec
from vmc_gui.model.events import HostFail, HostRecover, RackFail, TimedEvent, ZoneFail


def power_change(event: TimedEvent, cluster: ClusterSpec) -> tuple[tuple[str, ...], bool] | None:
    """The hosts ``event`` powers off (False) or on (True), or None for an event that
    switches nothing (a setting, a switch, a drain...)."""
    if isinstance(event, HostFail):
        return (event.host,), False
    if isinstance(event, HostRecover):
        return (event.host,), True
    if isinstance(event, RackFail | ZoneFail):
        racks = (
            {event.rack} if isinstance(event, RackFail) else set(cluster.racks_in_zone(event.zone))
        )
        names = cluster.host_names()
        return tuple(n for i, n in enumerate(names) if cluster.rack_of(i) in racks), False
    return None
