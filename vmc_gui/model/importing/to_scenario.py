"""A scenario from an imported cluster (issue 21): its hosts as ``[[hosts]]``, its services as
``[[services]]``, and in the summary what was taken as something else.

- **Racks are zones.** A Kubernetes node's zone is its failure domain, and the app's racks
  are its failure domains: each zone becomes a rack, keyed as the node lifecycle controller
  keys zones, by region and zone (``GetZoneKey``, k8s.io/component-helpers/node/topology:
  two regions' "zone-a" are two zones); sorted by them, nodes with neither label share one
  rack.  The scenario's ``zones = "rack"`` gives the controller the same zones.  A Hyper-V
  cluster has no zones: its nodes are one rack.
- **The requests are the whole.** The scheduler counts a pod's requests and overhead and
  nothing more (``PodRequests``; ``fitsRequest`` in the scheduler's NodeResourcesFit), and a
  VM's assigned memory is all its RAM, guest OS included: the scenario sets the per-pod and
  per-VM overheads the lessons add (``container.memory_overhead_mb``,
  ``vm.guest_memory_overhead_mb``) to 0, so that the imported cluster fits as it does.
- **Rounded to the safe side:** a host's room down, a request up (to 1 MB, 1 millicore), so
  that no more replicas fit than in the cluster.
- **DaemonSets, bare and static pods stay where they are.** A DaemonSet runs one pod on each
  node and is never rescheduled (kubernetes.io, DaemonSet); a pod with no controller, or a
  static pod (the kubelet's own), is not replaced when its node goes (kubernetes.io, Pod
  Lifecycle: 'A given Pod (as defined by a UID) is never "rescheduled" to a different node';
  only a controller makes a new one).  None of them is a service that moves: each one's own
  request is taken off its node's room, once, in whole millicores and bytes, as far as
  fitting goes the same as the scheduler's counting them (its scoring, which divides by the
  whole allocatable, differs a little).  Pods of a Job or a custom controller are held in
  place too: a Job's pod finishes, and the app models no such controller (docs/import.md).
- **Each replica starts where it was found** (``placement``: the hosts of the replicas found
  on one, in order); the others, pending or on a node the export lacks, are left to the
  scheduler.  A VM's is its owner node.
- **Tolerations go with their service**, but for the two the node lifecycle controller's
  taints of a lost node are matched by (unreachable, not-ready; NoExecute): those become the
  service's ``toleration_s`` (``_unreachable_seconds``), not repeated in ``tolerations``; and
  those taints themselves, on a node not ready when exported, are left to the simulation's
  node lifecycle controller, which sets them on the host failed at the start (written on the
  host as well, its taint eviction would count them twice).
- **A host that is not ready** (a NotReady node, a cluster node Down) fails at the start
  of the run: its replicas are where the export found them, and each world deals with the
  host being gone, as the real cluster is doing.
- **A request of nothing** (a pod without requests) is counted as the least the scenario
  format takes, 1 millicore and 1 MB, and said in the summary.
- Names become scenario names: lower-case, ``namespace-name``, cut to 63 characters and made
  unique.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import defaultdict

from vmc_gui.model.cluster import ClusterSpec, HostSpec
from vmc_gui.model.events import HostFail
from vmc_gui.model.imported import (
    ImportedCluster,
    ImportedService,
    ImportSummary,
    Placement,
    Toleration,
)
from vmc_gui.model.importing.hyperv_states import VM_STATE_GROUPS
from vmc_gui.model.loader import MAX_DURATION_S
from vmc_gui.model.parameters import ParameterSet
from vmc_gui.model.scenario import Scenario, ServiceKind, ServiceSpec, World
from vmc_gui.model.taints import Taint

#: No overhead on top of an imported request (see the module's docstring).
_WHOLE_REQUESTS = {"container.memory_overhead_mb": 0, "vm.guest_memory_overhead_mb": 0}
#: The kinds whose pods never move to another node (see the module's docstring).
_STAY = ("daemonset", "pod")
#: The least request the scenario format takes (``[[services]]`` cpu and memory_mb).
_LEAST_CPU = 0.001
_LEAST_MEMORY_MB = 1
#: How long an imported cluster's scenario runs: long enough for the slowest recovery the
#: lessons show (evictions 300 s after a taint, rack by rack at 0.1 nodes/s).
DURATION_S = 1800.0
_KINDS = {"deployment": ServiceKind.DEPLOYMENT, "statefulset": ServiceKind.STATEFULSET}
_NOT_NAME = re.compile(r"[^a-z0-9_-]+")
MIB = 2**20
#: The taints the node lifecycle controller puts on a node it has lost, which evict a pod
#: after its tolerationSeconds: the scenario's ``toleration_s`` carries those seconds, so the
#: pods' own tolerations of these two are not repeated in ``tolerations``
#: (https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/#taint-based-evictions).
UNREACHABLE = Taint("node.kubernetes.io/unreachable", "", "NoExecute")
NOT_READY = Taint("node.kubernetes.io/not-ready", "", "NoExecute")
#: The node lifecycle controller's taints of a lost node: the simulation sets them itself on a
#: host that fails (sim/policies/node_lifecycle.py), as the node that was not ready when
#: exported does at the start of the run, so they are not written on the hosts as well.
_LIFECYCLE_TAINTS = frozenset({UNREACHABLE.key, NOT_READY.key})
#: What a scenario file takes of a service's tolerations (model/loader.py).
_MAX_TOLERATIONS = 64
_MAX_TOLERATION_KEY = 316


#: How each source is named to a person.
_SOURCE_NAMES = {"kubernetes": "Kubernetes", "hyperv": "Hyper-V"}


def scenario_from(imported: ImportedCluster, name: str, title: str) -> Scenario:
    """The scenario of ``imported``: both worlds run its services on its hosts, at steady
    state, with no failure yet (the user asks "what if" from the view or ``--set``)."""
    summary = imported.summary
    zones = sorted({(host.region, host.zone) for host in imported.hosts})
    rack_of_zone = {zone: i + 1 for i, zone in enumerate(zones)}
    zoned = any(region or zone for region, zone in zones)
    regions = len({region for region, _ in zones})
    fixed = _fixed_load(imported, summary)
    hosts = []
    for host in imported.hosts:
        millicores, memory_bytes, pods = fixed.get(host.name, (0, 0, 0))
        hosts.append(
            HostSpec(
                name=host.name,
                rack=rack_of_zone[(host.region, host.zone)],
                cores=max(_LEAST_CPU, (_millicores(host.cores, down=True) - millicores) / 1000),
                memory_gb=max(
                    0.001, _gigabytes_down(_bytes(host.memory_mb, down=True) - memory_bytes)
                ),
                pods=None if host.pods is None else max(0, host.pods - pods),
                taints=tuple(t.text for t in host.taints if t.key not in _LIFECYCLE_TAINTS),
                # The rack's title: the zone, with its region where the cluster spans several.
                zone=" ".join(
                    part for part in ((host.region if regions > 1 else ""), host.zone) if part
                )[:127],
                down=not host.ready,
            )
        )
    lost = sum(t.key in _LIFECYCLE_TAINTS for host in imported.hosts for t in host.taints)
    if lost:
        summary.note(
            "unreachable and not-ready taints left to the simulation's node lifecycle "
            "controller (their nodes fail at the start)",
            lost,
        )
    if fixed and imported.source == "hyperv":
        summary.note(
            "VMs not clustered kept on their hosts (never moved: what they hold taken off "
            "their host's room)",
            sum(p for _, _, p in fixed.values()),
        )
    elif fixed:
        summary.note(
            "DaemonSet, bare and static pods kept on their nodes (never moved: their "
            "requests taken off the nodes' room)",
            sum(p for _, _, p in fixed.values()),
        )
    spec = ClusterSpec.of_hosts(hosts, zones="rack" if zoned else "single")
    services = _services(imported, spec, summary)
    down = tuple(HostFail(0.0, host.name) for host in imported.hosts if not host.ready)
    if down:
        summary.note("hosts not ready, failed at the start of the run", len(down))
    return Scenario(
        name=name,
        title=title,
        # A line a person reads first, then the summary's counts a line each (the inspector
        # lists them; the file keeps them where the scenario goes).
        description="\n".join(
            [
                f"Imported from {_SOURCE_NAMES.get(imported.source, imported.source)}: "
                f"{len(hosts):,} hosts in {len(zones)} {'zones' if zoned else 'rack'}, "
                f"{len(services):,} services.",
                *summary.lines(),
            ]
        ),
        seed=1,
        duration_s=DURATION_S,
        cluster=spec,
        worlds=(World.VM, World.CONTAINER),
        services=tuple(services),
        events=down,
        parameters=ParameterSet(_WHOLE_REQUESTS),
    )


def _fixed_load(
    imported: ImportedCluster, summary: ImportSummary
) -> dict[str, tuple[int, int, int]]:
    """Per node, the millicores, bytes and pods that never move take (DaemonSets', bare and
    static pods', Jobs'), each pod counted once at its own request, in whole units so that no
    rounding takes a millicore more; such a pod not on a node of the import is left out."""
    names = {host.name for host in imported.hosts}
    load: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for service in imported.services:
        if not _stays(service) or _not_running(service):
            continue
        for replica in service.replicas:
            if replica.host not in names:
                summary.note(
                    "DaemonSet, bare and static pods not on a node of the import (left out)"
                )
                continue
            cpu, memory_mb = _request_of(replica, service)
            held = load[replica.host]
            held[0] += _millicores(cpu)
            held[1] += _bytes(memory_mb)
            held[2] += 1
    return {host: (c, m, p) for host, (c, m, p) in load.items()}


def _stays(service: ImportedService) -> bool:
    """Whether ``service``'s replicas never move: DaemonSet, bare and static pods, and a VM
    that is not clustered (the failover cluster does not restart it elsewhere: it stops with
    its host, https://learn.microsoft.com/windows-server/failover-clustering/
    failover-clustering-overview, clustered roles fail over; a VM that is not a role is the
    host's alone)."""
    return service.kind in _STAY or (service.kind == "vm" and not service.clustered)


#: A VM in these states holds none of its host's memory (off, or its memory saved to disk),
#: and a failover leaves it so: ``hyperv_states.VM_STATE_GROUPS``' off and saved, and their
#: critical forms (storage lost while off or saved).
_NOT_RUNNING = frozenset(
    name.casefold() for name, group in VM_STATE_GROUPS.items() if group in ("off", "saved")
) | {"offcritical", "savedcritical", "fastsavedcritical"}


def _not_running(service: ImportedService) -> bool:
    """A VM found off or saved: it holds none of its host's memory."""
    return service.kind == "vm" and all(
        r.phase.split(" or ")[0].casefold() in _NOT_RUNNING for r in service.replicas
    )


def _request_of(replica: Placement, service: ImportedService) -> tuple[float, float]:
    """A replica's own request where the import has it, else its service's."""
    cpu = service.cpu if replica.cpu is None else replica.cpu
    memory_mb = service.memory_mb if replica.memory_mb is None else replica.memory_mb
    return cpu, memory_mb


def _millicores(cores: float, *, down: bool = False) -> int:
    """Cores as whole millicores (an import's figures are whole millicores already), a
    finer figure rounded up (a request) or down (a host's room)."""
    millis = round(cores * 1000, 6)
    return math.floor(millis) if down else math.ceil(millis)


def _bytes(megabytes: float, *, down: bool = False) -> int:
    """MB of 2**20 bytes as whole bytes, rounded as ``_millicores`` rounds."""
    exact = round(megabytes * MIB, 3)
    return math.floor(exact) if down else math.ceil(exact)


def _gigabytes_down(memory_bytes: int) -> float:
    """Bytes as GB of 2**30 bytes, rounded down to 0.001 GB (a host's room: the safe side)."""
    return (memory_bytes * 1000 // 2**30) / 1000


def _services(
    imported: ImportedCluster, spec: ClusterSpec, summary: ImportSummary
) -> list[ServiceSpec]:
    out: list[ServiceSpec] = []
    taken: set[str] = set()
    names = {host.name for host in imported.hosts}
    for service in imported.services:
        if _stays(service) or not service.replicas:
            continue
        if _not_running(service):
            # A clustered VM that is off or saved stays offline on a failover (the cluster
            # starts only the roles that were online), and holds no host memory.
            summary.note(
                "VMs off or saved left out (they hold no memory; a failover does not start them)"
            )
            continue
        cpu, memory = service.cpu, service.memory_mb
        if cpu < _LEAST_CPU or memory < _LEAST_MEMORY_MB:
            summary.note("services without a request (counted as 1 millicore and 1 MB)")
        too_large = cpu > spec.cores or memory > spec.memory_gb * 1024
        if too_large:
            summary.note("services larger than any host (left out: no host could run them)")
            continue
        tolerations, toleration_s = _tolerations(service.tolerations, summary)
        out.append(
            ServiceSpec(
                name=_unique(_scenario_name(service), taken),
                replicas=len(service.replicas),
                cpu=max(_LEAST_CPU, math.ceil(cpu * 1000 - 1e-9) / 1000),
                memory_mb=max(_LEAST_MEMORY_MB, math.ceil(memory - 1e-9)),
                image=(service.image or "nanoserver")[:200],
                kind=_KINDS.get(service.kind, ServiceKind.DEPLOYMENT),
                toleration_s=toleration_s if imported.source == "kubernetes" else None,
                tolerations=tolerations,
                placement=_placement(service, names, summary),
            )
        )
    return out


def _placement(
    service: ImportedService, hosts: set[str], summary: ImportSummary
) -> tuple[str, ...]:
    """Where each replica was found, in order, those on a host of the import first: the rest
    (not scheduled yet, or on a node the import lacks) are left to the scheduler."""
    placed = tuple(replica.host for replica in service.replicas if replica.host in hosts)
    if len(placed) < len(service.replicas):
        summary.note(
            "replicas found on no host of the import (the scheduler places them at the start)",
            len(service.replicas) - len(placed),
        )
    return placed


def _tolerations(
    tolerations: tuple[Toleration, ...], summary: ImportSummary
) -> tuple[tuple[Toleration, ...], float | None]:
    """The tolerations a scenario keeps, and ``toleration_s``: how long the pods stay on a
    node the controller has lost (``_unreachable_seconds``), the pods' own tolerations of
    the unreachable and not-ready taints carried by it rather than repeated."""
    kept = []
    for toleration in tolerations:
        if toleration.key in (UNREACHABLE.key, NOT_READY.key) and toleration.effect == "NoExecute":
            continue  # carried by toleration_s (one of every effect also tolerates NoSchedule)
        if len(toleration.key) > _MAX_TOLERATION_KEY:
            summary.note("tolerations with a key too long for a scenario file (left out)")
            continue
        seconds = toleration.seconds
        if seconds is not None:  # at once (<= 0) or longer than any run, as the file takes
            seconds = min(max(seconds, 0.0), MAX_DURATION_S)
        kept.append(dataclasses.replace(toleration, seconds=seconds))
    if len(kept) > _MAX_TOLERATIONS:
        summary.note("tolerations beyond 64 a service (left out)", len(kept) - _MAX_TOLERATIONS)
        kept = kept[:_MAX_TOLERATIONS]
    return tuple(kept), _unreachable_seconds(tolerations)


def _unreachable_seconds(tolerations: tuple[Toleration, ...]) -> float | None:
    """How long a pod stays bound to a node that has become unreachable, as the taint
    manager works it out (``getMinTolerationTime``, kubernetes/pkg/controller/tainteviction/
    taint_eviction.go): ``GetMatchingTolerations`` takes, for the taint, the first toleration
    that matches it, and ``getMinTolerationTime`` its ``tolerationSeconds``: at once if 0 or
    less, for ever if it sets none.  None where
    none matches: the scenario's ``kubernetes.default_unreachable_toleration_s`` then stands
    for the 300 s the DefaultTolerationSeconds admission plugin gives every pod
    (https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#defaulttolerationseconds),
    as a pod file written by hand may lack them."""
    first = next((t for t in tolerations if t.tolerates(UNREACHABLE)), None)
    if first is None:
        return None
    if first.seconds is None:
        return MAX_DURATION_S  # for ever: longer than any run
    return min(max(first.seconds, 0.0), MAX_DURATION_S)


def _scenario_name(service: ImportedService) -> str:
    # "shop/web": the importer's name carries its namespace already.
    named = "/" in service.name or not service.namespace
    raw = service.name if named else f"{service.namespace}-{service.name}"
    name = _NOT_NAME.sub("-", raw.lower()).strip("-_") or "service"
    return name[:55]


def _unique(name: str, taken: set[str]) -> str:
    found, n = name, 2
    while found in taken:
        found, n = f"{name}-{n}", n + 1
    taken.add(found)
    return found
