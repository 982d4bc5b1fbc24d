"""The vocabulary of a run: event types, workload phases and host statuses, as small integers.

The simulation writes its log as rows of integers (cheap to append, cheap to replay); these
enums give each code its name for the event log, the JSON output and the UI.
"""

from __future__ import annotations

from enum import IntEnum


class Phase(IntEnum):
    """Where a workload (a VM or a pod) is in its life."""

    PENDING = 0
    PULLING = 1
    BOOTING = 2
    STARTING = 3
    READY = 4
    MIGRATING = 5
    STOPPED = 6
    FAILED = 7
    #: A new VM being created before its guest boots.
    PROVISIONING = 8
    #: An OS update downloading or installing inside the VM (out of service).
    UPDATING = 9
    #: A pod deleted with a grace period whose kubelet has not confirmed (its node is down):
    #: the object stays, so a StatefulSet may not replace it.
    TERMINATING = 10
    #: A pod scheduled to a node, waiting for its ReadWriteOnce disk to be detached from the
    #: old node and attached here (ContainerCreating).
    ATTACHING = 11
    #: A VM that lost its storage: Paused-Critical, holding its memory, executing nothing
    #: (storage resiliency); it resumes in place when the storage is back.
    PAUSED = 12

    @property
    def label(self) -> str:
        return self.name.lower()


#: Phases in which a workload holds its host's CPU and memory.
CONSUMING = frozenset(
    {
        Phase.PROVISIONING,
        Phase.ATTACHING,
        Phase.PULLING,
        Phase.BOOTING,
        Phase.STARTING,
        Phase.UPDATING,
        Phase.READY,
        Phase.MIGRATING,
        Phase.PAUSED,
    }
)

#: The phase code of a workload that does not exist yet at the time asked about.
NOT_CREATED = -1


class HostStatus(IntEnum):
    """A host's health, and whether the platform has noticed."""

    UP = 0
    #: Crashed; the platform has not noticed yet.
    FAILED = 1
    #: Crashed, and the platform has noticed (removed from the cluster, or NotReady).
    DOWN = 2
    #: Up, but taking no new workloads while its own move elsewhere (paused, or cordoned).
    DRAINING = 3
    #: Hyper-V: out of active membership; its VMs are Unmonitored until the resiliency
    #: period ends (the cluster cannot tell a crash from a node cut off).
    ISOLATED = 4
    #: Hyper-V: left the cluster ungracefully too often; it may not rejoin or host VMs.
    QUARANTINED = 5
    #: Kubernetes: NotReady and tainted ``node.kubernetes.io/unreachable:NoExecute``; its
    #: pods' tolerations are counting down.
    TAINTED = 6
    #: Kubernetes: the administrator tainted it ``node.kubernetes.io/out-of-service``.
    OUT_OF_SERVICE = 7

    @property
    def label(self) -> str:
        return self.name.lower()

    @property
    def serving(self) -> bool:
        """Whether the host is in service: up, or up and draining."""
        return self in (HostStatus.UP, HostStatus.DRAINING)


class ZoneState(IntEnum):
    """A Kubernetes zone as the node lifecycle controller judges it (ComputeZoneState)."""

    NORMAL = 0
    #: More than 2 of its nodes NotReady, and at least --unhealthy-zone-threshold of them.
    PARTIAL = 1
    #: Every node NotReady.
    FULL = 2

    @property
    def label(self) -> str:
        return {0: "normal", 1: "partial disruption", 2: "full disruption"}[int(self)]


class EventType(IntEnum):
    """Every kind of event a run logs."""

    # Hosts.
    HOST_FAILED = 1
    HOST_RECOVERED = 2
    #: A host runs hot and some of its replicas must go elsewhere.
    HOST_HOT = 3
    #: A host is drained: it takes nothing new, and what runs on it goes elsewhere.
    HOST_DRAINING = 4
    #: What the replicas on a host use changed (WorldRun.load_changes has the figures).
    HOST_LOAD = 5
    #: A platform's balancer judged the hosts (VM Load Balancing, the descheduler).
    BALANCER_PASS = 6
    # Hyper-V failover cluster.
    HEARTBEAT_MISSED = 10
    NODE_REMOVED = 11
    NODE_REJOINED = 12
    #: Out of membership: its VMs Unmonitored for the resiliency period.
    NODE_ISOLATED = 13
    NODE_QUARANTINED = 14
    QUARANTINE_ENDED = 15
    #: A failover cluster's quorum was decided after the network changed: a part keeps it
    #: (the detail gives its votes), or no part does and the cluster service stops on every
    #: node (Event ID 1177).  The value is -1: the detail names the failover cluster.
    QUORUM_KEPT = 16
    QUORUM_LOST = 17
    # Kubernetes node lifecycle.
    #: The node's Lease was not renewed when due (its kubelet is silent).
    LEASE_NOT_RENEWED = 20
    NODE_NOT_READY = 21
    NODE_TAINTED = 22
    NODE_READY = 23
    POD_EVICTED = 24
    #: A zone's state changed (the log's detail names the zone, the rate and the rule).
    ZONE_STATE_CHANGED = 25
    #: No part of the network holds a majority of etcd's members: the control plane can write
    #: nothing (no NotReady, no taint, no eviction, no scheduling); and it can again.
    CONTROL_PLANE_FROZEN = 26
    CONTROL_PLANE_THAWED = 28
    NODE_UNTAINTED = 27
    #: The pod object is gone (grace 0, force-deleted, or its kubelet confirmed).
    POD_DELETED = 29
    NODE_OUT_OF_SERVICE = 90
    #: A ReadWriteOnce disk leaves its node, or arrives on a new one.
    VOLUME_DETACH_STARTED = 91
    VOLUME_DETACHED = 92
    VOLUME_ATTACH_STARTED = 93
    VOLUME_ATTACHED = 95
    #: A platform has no equivalent of what was asked (the detail says so).
    NOT_APPLICABLE = 94
    #: Hyper-V storage resiliency: a VM whose node lost its storage pauses (Paused-Critical)
    #: and resumes when the storage is back.
    WORKLOAD_PAUSED = 96
    WORKLOAD_RESUMED = 97
    #: A copy a platform left behind on a cut-off host is turned off (the workload names it).
    COPY_STOPPED = 98
    # Workloads.
    WORKLOAD_DEPLOYED = 30
    WORKLOAD_CREATED = 31
    WORKLOAD_PLACED = 32
    WORKLOAD_UNSCHEDULABLE = 33
    IMAGE_PULL_STARTED = 34
    WORKLOAD_BOOTING = 35
    WORKLOAD_STARTING = 36
    WORKLOAD_READY = 37
    WORKLOAD_FAILED = 38
    WORKLOAD_STOPPED = 39
    WORKLOAD_RESTARTING = 40
    WORKLOAD_PROVISIONING = 41
    WORKLOAD_UPDATING = 42
    # Live migration (the workload keeps running until the blackout).
    MIGRATION_STARTED = 43
    MIGRATION_ROUND = 44
    MIGRATION_BLACKOUT = 45
    WORKLOAD_MIGRATED = 46
    MIGRATION_ABORTED = 47
    # Image builds for an update.
    IMAGE_BUILD_STARTED = 48
    IMAGE_PUSHED = 49
    # Services.
    SERVICE_DEGRADED = 50
    SERVICE_RESTORED = 51
    #: A service has fewer desired replicas that the clients reach (cut off, or no longer an
    #: endpoint), and has all of them again; logged only in runs with network events.
    SERVICE_UNREACHABLE = 55
    SERVICE_REACHABLE = 56
    #: How many workloads run twice changed (the value); the workload is the one concerned.
    DUPLICATES = 57
    #: A service's desired replica count changed (demand).
    SERVICE_SCALED = 52
    UPDATE_STARTED = 53
    UPDATE_FINISHED = 54
    # The user.
    SETTING_CHANGED = 60
    # Security.
    KERNEL_EXPLOIT = 70
    WORKLOAD_EXPOSED = 71
    # Room a live migration holds on its target until the switch-over (or its abort).
    TARGET_RESERVED = 80
    TARGET_RELEASED = 81
    # Kubernetes in a partition.
    #: A live node the control plane can no longer hear (cut off): its kubelet keeps its pods.
    NODE_UNHEARD = 84
    #: The node is heard again: its kubelet renews its lease and learns what was deleted.
    NODE_HEARD = 85
    # The network: a switch or a link fails or comes back (the detail names it).
    SWITCH_FAILED = 100
    SWITCH_RECOVERED = 101
    LINK_FAILED = 102
    LINK_RECOVERED = 103

    @property
    def label(self) -> str:
        return self.name.lower()


class EventLog:
    """A run's events as parallel columns: cheap to append one at a time or in bulk.

    Row i is: ``time[i]``; ``kind[i]`` (an :class:`EventType`); the ``workload[i]`` and
    ``host[i]`` it concerns (-1 for none); ``value[i]``, the workload's new :class:`Phase` or
    the host's new :class:`HostStatus` (-1 when nothing changes; a service's index for service
    events); and ``detail[i]``, a few words.
    """

    __slots__ = ("detail", "host", "kind", "time", "value", "workload")

    def __init__(self) -> None:
        self.time: list[float] = []
        self.kind: list[int] = []
        self.workload: list[int] = []
        self.host: list[int] = []
        self.value: list[int] = []
        self.detail: list[str] = []

    def __len__(self) -> int:
        return len(self.time)

    def extend(
        self,
        time: float,
        kind: int,
        workloads: list[int],
        hosts: list[int],
        value: int,
        detail: str = "",
    ) -> None:
        """Log the same event for many workloads at once (a bulk deployment)."""
        n = len(workloads)
        self.time.extend([time] * n)
        self.kind.extend([kind] * n)
        self.workload.extend(workloads)
        self.host.extend(hosts)
        self.value.extend([value] * n)
        self.detail.extend([detail] * n)
