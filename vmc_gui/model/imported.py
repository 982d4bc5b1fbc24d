"""What an import of a real cluster found (issue 21): its hosts, as unequal as they are, the
services running on them, and a summary of what was left out and why.

The importers (``model.importing.kubernetes``, ``model.importing.hyperv``) read what
``kubectl`` and PowerShell export into these values; the scenario is built from them
afterwards.  Nothing here holds a secret, an environment value or an annotation: the
importers never copy them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# Taint and Toleration are re-exported: the importers and their tests name them from here.
from vmc_gui.model.taints import Taint as Taint
from vmc_gui.model.taints import Toleration as Toleration


@dataclass(frozen=True, slots=True)
class ImportedHost:
    """One node (Kubernetes) or cluster node (Hyper-V) as its cluster reports it."""

    name: str
    #: What the scheduler may hand out: Kubernetes' ``status.allocatable`` (cores, MB, and
    #: pods), Hyper-V's host processors and memory.
    cores: float
    memory_mb: float
    #: The most pods it takes (Kubernetes' allocatable ``pods``); None: no such limit.
    pods: int | None = None
    #: What the node has in all (``status.capacity``), where the export says.
    capacity_cores: float | None = None
    capacity_memory_mb: float | None = None
    #: ``topology.kubernetes.io/zone`` and ``/region``; "" where unlabelled.
    zone: str = ""
    region: str = ""
    taints: tuple[Taint, ...] = ()
    #: Whether it is ready (Kubernetes' Ready condition, a Hyper-V node's state Up).
    ready: bool = True


@dataclass(frozen=True, slots=True)
class Placement:
    """One replica as found: its name and the host it runs on ("" if not scheduled)."""

    name: str
    host: str
    #: Its phase as reported (``Running``, ``Pending``...; a VM's state).
    phase: str = ""
    #: Its own request where the export says (a pod's, which may be less than its service's
    #: largest: a rolling update); None: the service's.
    cpu: float | None = None
    memory_mb: float | None = None


@dataclass(frozen=True, slots=True)
class ImportedService:
    """The replicas of one owner (a Deployment, a StatefulSet, a DaemonSet, a clustered VM
    role...), each with the same request."""

    name: str
    #: ``deployment``, ``statefulset``, ``daemonset``, ``pod`` (no owner) or ``vm``.
    kind: str
    #: The namespace (Kubernetes), or "" (Hyper-V).
    namespace: str
    #: Per replica, as the scheduler counts it: the pod's effective request (its init
    #: containers, sidecars and overhead included), or a VM's processors and memory.
    cpu: float
    memory_mb: float
    image: str = ""
    replicas: tuple[Placement, ...] = ()
    tolerations: tuple[Toleration, ...] = ()
    #: A VM the failover cluster restarts elsewhere (Hyper-V); False for a VM on one host.
    clustered: bool = True


@dataclass(slots=True)
class ImportSummary:
    """What was read, and what was left out, as counts (not a wall of lines)."""

    #: What was read, by kind: {"nodes": 12, "pods": 340, "deployments": 20...}.
    read: Counter[str] = field(default_factory=Counter)
    #: What was left out or taken as something else, by reason: {"pods without requests
    #: (counted as 0 cores, 0 MB)": 14, ...}.
    notes: Counter[str] = field(default_factory=Counter)

    def note(self, reason: str, count: int = 1) -> None:
        self.notes[reason] += count

    def lines(self) -> list[str]:
        """The summary as a person reads it: what was read, then each note with its count."""
        read = ", ".join(f"{count:,} {what}" for what, count in self.read.items() if count)
        out = [f"read {read}" if read else "read nothing"]
        out += [f"{count:,} {reason}" for reason, count in sorted(self.notes.items())]
        return out


@dataclass(frozen=True, slots=True)
class ImportedCluster:
    """A real cluster as found: where it came from, its hosts and its services."""

    #: "kubernetes" or "hyperv".
    source: str
    hosts: tuple[ImportedHost, ...]
    services: tuple[ImportedService, ...]
    summary: ImportSummary


class ImportProblem(ValueError):
    """One clear error: the file, the JSON path in it, and what is wrong there."""

    def __init__(self, path: str, where: str, problem: str) -> None:
        super().__init__(f"{path}: {where}: {problem}" if where else f"{path}: {problem}")
        self.path, self.where, self.problem = path, where, problem
