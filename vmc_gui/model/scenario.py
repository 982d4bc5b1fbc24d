"""A scenario: the cluster, the worlds to compare, the services, the timed events, the settings.

Scenarios are immutable values.  A user action at time t derives a new scenario
(:meth:`Scenario.with_event`, :meth:`Scenario.with_parameters`) rather than editing one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from vmc_gui.model.cluster import ClusterSpec
from vmc_gui.model.parameters import ParameterSet, Value


class World(StrEnum):
    """A way of running the same services on the same cluster."""

    #: Each replica is a VM in a Hyper-V failover cluster.
    VM = "vm"
    #: Each replica is a pod placed by a Kubernetes-style orchestrator.
    CONTAINER = "container"


class EventKind(StrEnum):
    """What a timed event in a scenario does."""

    HOST_FAIL = "host_fail"
    HOST_RECOVER = "host_recover"
    RACK_FAIL = "rack_fail"
    #: A platform setting changes; decisions from then on use the new value.
    SET = "set"


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    """A service: identical replicas of one app."""

    name: str
    replicas: int
    cpu: float
    memory_mb: int
    image: str = "nanoserver"
    #: The image's size; None takes ``container.image_mb``.
    image_mb: int | None = None
    #: The worlds this service runs in; empty means all of the scenario's worlds.
    worlds: tuple[World, ...] = ()

    def runs_in(self, world: World) -> bool:
        return not self.worlds or world in self.worlds


@dataclass(frozen=True, slots=True)
class TimedEvent:
    """Something that happens to the cluster at a simulated time."""

    at_s: float
    kind: EventKind
    host: str | None = None
    rack: int | None = None
    #: For ``set``: the parameter's name and its new value.
    parameter: str | None = None
    value: Value | None = None

    @property
    def is_fault(self) -> bool:
        return self.kind in (EventKind.HOST_FAIL, EventKind.RACK_FAIL)


@dataclass(frozen=True, slots=True)
class Scenario:
    """Everything :func:`vmc_gui.sim.simulate` needs, and nothing it could change."""

    name: str
    title: str
    description: str
    seed: int
    duration_s: float
    cluster: ClusterSpec
    worlds: tuple[World, ...]
    services: tuple[ServiceSpec, ...]
    events: tuple[TimedEvent, ...] = ()
    parameters: ParameterSet = field(default_factory=ParameterSet)
    #: Spacing of the sampled series, in simulated seconds.
    sample_step_s: float = 1.0
    #: The row of the comparison table this scenario teaches, if any.
    lesson: str = ""

    def with_event(self, event: TimedEvent) -> Scenario:
        """This scenario with one more timed event, as when the user fails a host at time t."""
        events = sorted((*self.events, event), key=lambda e: e.at_s)
        return dataclasses.replace(self, events=tuple(events))

    def with_parameters(self, overrides: Mapping[str, Value]) -> Scenario:
        """This scenario with some settings changed (checked against the parameter table)."""
        return dataclasses.replace(self, parameters=self.parameters.with_overrides(overrides))
