"""The nine rows of the comparison table (the seed text), each the subject of one lesson."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Row:
    """A row of the seed's comparison table."""

    slug: str
    feature: str


_ROWS = (
    Row("isolation", "Isolation"),
    Row("operating-system", "Operating system"),
    Row("guest-compatibility", "Guest compatibility"),
    Row("deployment", "Deployment"),
    Row("os-updates", "Operating system updates and upgrades"),
    Row("persistent-storage", "Persistent storage"),
    Row("load-balancing", "Load balancing"),
    Row("fault-tolerance", "Fault tolerance"),
    Row("networking", "Networking"),
)

#: The rows by slug, in the table's order.
ROWS = MappingProxyType({row.slug: row for row in _ROWS})
