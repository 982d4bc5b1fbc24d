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

# EventKind and TimedEvent are re-exported: they were defined here before events.py existed.
from vmc_gui.model.events import NETWORK_EVENTS
from vmc_gui.model.events import EventKind as EventKind
from vmc_gui.model.events import TimedEvent as TimedEvent
from vmc_gui.model.parameters import ParameterSet, Value
from vmc_gui.model.taints import Toleration


class Platform(StrEnum):
    """What runs the replicas: a Hyper-V failover cluster or a Kubernetes-style orchestrator."""

    VM = "vm"
    CONTAINER = "container"


class Storage(StrEnum):
    """Where a replica's data lives."""

    #: On storage every host reaches (a VHD on an SMB share, a shared volume).
    SHARED = "shared"
    #: On the disk of the host it runs on (a VHD on local disk, a node-local volume).
    LOCAL = "local"
    #: On a network disk attached to one node at a time (an Azure Disk, ReadWriteOnce): it
    #: can move to another node, but only once it is detached from the old one.
    DISK = "disk"


class World(StrEnum):
    """A way of running the same services on the same cluster."""

    #: Each replica is a VM in a Hyper-V failover cluster (its VHD on shared storage).
    VM = "vm"
    #: Each replica is a pod placed by a Kubernetes-style orchestrator.
    CONTAINER = "container"
    #: Containers on a standalone container host (Docker or containerd on Windows), each in
    #: a lightweight utility VM with its own kernel: Hyper-V isolation, which Kubernetes does
    #: not run.
    HYPERV_CONTAINER = "hyperv-container"
    #: VMs whose VHD is on the local disk of the host they run on.
    VM_LOCAL_DISK = "vm-local-disk"
    #: VMs whose VHD is on an SMB file share every node reaches.
    VM_SMB_SHARE = "vm-smb-share"
    #: Pods whose volume is on the disk of their node.
    CONTAINER_NODE_VOLUME = "container-node-volume"
    #: Pods whose volume is a shared file share (SMB) every node mounts.
    CONTAINER_SHARED_VOLUME = "container-shared-volume"
    #: StatefulSet pods, each with its own ReadWriteOnce network disk (an Azure Disk).
    CONTAINER_DISK_VOLUME = "container-disk-volume"

    @property
    def display_name(self) -> str:
        """The world's name for people."""
        return _WORLD_TITLES[self]

    @property
    def platform(self) -> Platform:
        return Platform.VM if self.value.startswith("vm") else Platform.CONTAINER

    @property
    def storage(self) -> Storage:
        if self in (World.VM_LOCAL_DISK, World.CONTAINER_NODE_VOLUME):
            return Storage.LOCAL
        return Storage.DISK if self is World.CONTAINER_DISK_VOLUME else Storage.SHARED

    @property
    def own_kernel(self) -> bool:
        """Whether each replica runs its own kernel (a guest OS or a utility VM)."""
        return self.platform is Platform.VM or self is World.HYPERV_CONTAINER


_WORLD_TITLES = {
    World.VM: "VM world: Hyper-V failover cluster",
    World.CONTAINER: "Container world: Kubernetes-style orchestrator",
    World.HYPERV_CONTAINER: "Hyper-V-isolated containers: a standalone host, a utility VM each",
    World.VM_LOCAL_DISK: "VMs with their VHD on local disk",
    World.VM_SMB_SHARE: "VMs with their VHD on an SMB share",
    World.CONTAINER_NODE_VOLUME: "Containers with a node-local volume (local PV)",
    World.CONTAINER_SHARED_VOLUME: "Containers with Azure Files (SMB, ReadWriteMany)",
    World.CONTAINER_DISK_VOLUME: "Containers with an Azure Disk each (ReadWriteOnce)",
}


class ServiceKind(StrEnum):
    """What owns a service's pods in the container worlds (the VM world runs VMs either way)."""

    #: A Deployment's ReplicaSet: a pod being deleted is replaced at once, so a pod on a
    #: cut-off node may run twice (kubernetes.io, Deployments; the pod-safety design note).
    DEPLOYMENT = "deployment"
    #: A StatefulSet: at most one pod per identity, so a pod on a node that cannot confirm
    #: its deletion is not replaced until it can (kubernetes.io, Force Delete StatefulSet Pods).
    STATEFULSET = "statefulset"


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    """A service: identical replicas of one app."""

    name: str
    replicas: int
    cpu: float
    memory_mb: int
    image: str = "nanoserver"
    #: The image's size as the registry sends it (compressed); None takes its base image's
    #: (``container.nanoserver_image_mb`` or ``container.servercore_image_mb``).
    image_mb: int | None = None
    #: The worlds this service runs in; empty means all of the scenario's worlds.
    worlds: tuple[World, ...] = ()
    #: The pods' own ``tolerationSeconds`` for the unreachable and not-ready taints; None
    #: takes what the DefaultTolerationSeconds admission plugin adds
    #: (``kubernetes.default_unreachable_toleration_s``).
    toleration_s: float | None = None
    #: The pods' ``terminationGracePeriodSeconds``; None takes the Pod API's default
    #: (``kubernetes.termination_grace_period_s``, 30 s).
    termination_grace_period_s: float | None = None
    #: A PodDisruptionBudget's maxUnavailable for the pods: an eviction (the descheduler's)
    #: that would leave more than this many unavailable is refused.  None: no budget.
    pdb_max_unavailable: int | None = None
    kind: ServiceKind = ServiceKind.DEPLOYMENT
    #: The pods' tolerations of node taints (the container world's scheduler keeps a pod off
    #: a node with a NoSchedule or NoExecute taint it does not tolerate; model/taints.py).
    tolerations: tuple[Toleration, ...] = ()
    #: Where the replicas run at the start, by host name (an import's placement as found);
    #: the first ``len(placement)`` replicas start there, the rest are placed as usual.
    placement: tuple[str, ...] = ()

    def runs_in(self, world: World) -> bool:
        return not self.worlds or world in self.worlds


@dataclass(frozen=True, slots=True)
class CompatSpec:
    """The rows and columns of a guest-compatibility matrix (names from model.compat)."""

    hosts: tuple[str, ...]
    guests: tuple[str, ...]


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
    #: The row of the comparison table this scenario teaches (a slug from model.lessons).
    lesson: str = ""
    #: For the guest-compatibility lesson: the matrix to answer instead of a timed run.
    compat: CompatSpec | None = None
    #: What the file said that was ignored (a retired setting), one line each: not part of
    #: the scenario itself.
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def runs(self) -> bool:
        """Whether the scenario runs over time (a compatibility matrix is answered, not run)."""
        return self.compat is None

    @property
    def cuts_network(self) -> bool:
        """Whether a switch or a link fails (or comes back) during the run."""
        return any(isinstance(e, NETWORK_EVENTS) for e in self.events)

    def with_event(self, event: TimedEvent) -> Scenario:
        """This scenario with one more timed event, as when the user fails a host at time t."""
        events = sorted((*self.events, event), key=lambda e: e.at_s)
        return dataclasses.replace(self, events=tuple(events))

    def with_parameters(self, overrides: Mapping[str, Value]) -> Scenario:
        """This scenario with some settings changed (checked against the parameter table)."""
        return dataclasses.replace(self, parameters=self.parameters.with_overrides(overrides))
