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
  only a controller makes a new one).  None of them is a service that moves: their requests
  are taken off their nodes' room, as far as fitting goes the same as the scheduler's
  counting them (its scoring, which divides by the whole allocatable, differs a little).
  Pods of a Job or a custom controller are held in place too, for now: the app models no
  such controller.
- **A host that is not ready** (a NotReady node, a cluster node Down) fails at the start
  of the run: its replicas are where the export found them, and each world deals with the
  host being gone, as the real cluster is doing.
- **A request of nothing** (a pod without requests) is counted as the least the scenario
  format takes, 1 millicore and 1 MB, and said in the summary.
- Names become scenario names: lower-case, ``namespace-name``, cut to 63 characters and made
  unique.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from vmc_gui.model.cluster import ClusterSpec, HostSpec
from vmc_gui.model.events import HostFail
from vmc_gui.model.imported import ImportedCluster, ImportedService, ImportSummary
from vmc_gui.model.parameters import ParameterSet
from vmc_gui.model.scenario import Scenario, ServiceKind, ServiceSpec, World

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


def scenario_from(imported: ImportedCluster, name: str, title: str) -> Scenario:
    """The scenario of ``imported``: both worlds run its services on its hosts, at steady
    state, with no failure yet (the user asks "what if" from the view or ``--set``)."""
    summary = imported.summary
    zones = sorted({(host.region, host.zone) for host in imported.hosts})
    rack_of_zone = {zone: i + 1 for i, zone in enumerate(zones)}
    zoned = any(region or zone for region, zone in zones)
    regions = len({region for region, _ in zones})
    fixed = _fixed_load(imported.services, summary)
    hosts = []
    for host in imported.hosts:
        cpu, memory_mb, pods = fixed.get(host.name, (0.0, 0.0, 0))
        hosts.append(
            HostSpec(
                name=host.name,
                rack=rack_of_zone[(host.region, host.zone)],
                cores=max(_LEAST_CPU, math.floor((host.cores - cpu) * 1000) / 1000),
                memory_gb=max(0.001, math.floor((host.memory_mb - memory_mb) / 1024 * 1000) / 1000),
                pods=None if host.pods is None else max(0, host.pods - pods),
                taints=tuple(t.text for t in host.taints),
                # The rack's title: the zone, with its region where the cluster spans several.
                zone=" ".join(
                    part for part in ((host.region if regions > 1 else ""), host.zone) if part
                )[:127],
            )
        )
    if fixed:
        summary.note(
            "DaemonSet, bare and static pods kept on their nodes (never moved: their "
            "requests taken off the nodes' room)",
            sum(p for _, _, p in fixed.values()),
        )
    spec = ClusterSpec.of_hosts(hosts, zones="rack" if zoned else "single")
    services = _services(imported.services, spec, summary)
    down = tuple(HostFail(0.0, host.name) for host in imported.hosts if not host.ready)
    if down:
        summary.note("hosts not ready, failed at the start of the run", len(down))
    return Scenario(
        name=name,
        title=title,
        description=(
            f"Imported from {imported.source}: {len(hosts):,} hosts in {len(zones)} "
            f"{'zones' if zoned else 'rack'}, {len(services):,} services. "
            + " ".join(f"{line}." for line in summary.lines())
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
    services: tuple[ImportedService, ...], summary: ImportSummary
) -> dict[str, tuple[float, float, int]]:
    """Per node, the cores, MB and pods that never move take (DaemonSets', bare and static
    pods); such a pod not yet on a node is left out, and counted."""
    load: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for service in services:
        if service.kind not in _STAY:
            continue
        for replica in service.replicas:
            if not replica.host:
                summary.note("DaemonSet, bare and static pods not on a node yet (left out)")
            else:
                held = load[replica.host]
                held[0] += service.cpu
                held[1] += service.memory_mb
                held[2] += 1
    return {host: (c, m, int(p)) for host, (c, m, p) in load.items()}


def _services(
    imported: tuple[ImportedService, ...], spec: ClusterSpec, summary: ImportSummary
) -> list[ServiceSpec]:
    out: list[ServiceSpec] = []
    taken: set[str] = set()
    for service in imported:
        if service.kind in _STAY or not service.replicas:
            continue
        cpu, memory = service.cpu, service.memory_mb
        if cpu < _LEAST_CPU or memory < _LEAST_MEMORY_MB:
            summary.note("services without a request (counted as 1 millicore and 1 MB)")
        too_large = cpu > spec.cores or memory > spec.memory_gb * 1024
        if too_large:
            summary.note("services larger than any host (left out: no host could run them)")
            continue
        out.append(
            ServiceSpec(
                name=_unique(_scenario_name(service), taken),
                replicas=len(service.replicas),
                cpu=max(_LEAST_CPU, math.ceil(cpu * 1000 - 1e-9) / 1000),
                memory_mb=max(_LEAST_MEMORY_MB, math.ceil(memory - 1e-9)),
                image=(service.image or "nanoserver")[:200],
                kind=_KINDS.get(service.kind, ServiceKind.DEPLOYMENT),
            )
        )
    return out


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
