"""Each workload's name ("web-12"), made when asked for rather than stored.

A deployment of 40,000 replicas names every one; a 10,000-host cluster names 350,000.  The
names are only read for a tooltip, a log line or a digest, so a world keeps each workload's
service and replica number (two integers) and writes the name out on demand: simulating
the 1,000-host lesson no longer formats 80,000 strings it will hardly read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import repeat
from typing import overload


class WorkloadNames(Sequence[str]):
    """The names of a world's workloads, in order: service ``s``'s replica ``r`` is
    ``f"{services[s]}-{r}"``."""

    __slots__ = ("_replica", "_service", "_services")

    def __init__(self, services: Sequence[str]) -> None:
        self._services = list(services)
        self._service: list[int] = []
        self._replica: list[int] = []

    def append(self, service: int, replica: int) -> None:
        self._service.append(service)
        self._replica.append(replica)

    def extend(self, service: int, first: int, count: int) -> None:
        """Replicas ``first`` to ``first + count - 1`` of ``service``."""
        self._service.extend(repeat(service, count))
        self._replica.extend(range(first, first + count))

    def __len__(self) -> int:
        return len(self._replica)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return f"{self._services[self._service[index]]}-{self._replica[index]}"

    def __iter__(self) -> Iterator[str]:
        services = self._services
        for s, r in zip(self._service, self._replica, strict=True):
            yield f"{services[s]}-{r}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, WorkloadNames):
            return self._services == other._services and (
                [self._services[s] for s in self._service],
                self._replica,
            ) == ([other._services[s] for s in other._service], other._replica)
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, as a list is

    def __repr__(self) -> str:
        return f"WorkloadNames({len(self)} names)"
