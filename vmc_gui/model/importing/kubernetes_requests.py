"""A pod's effective request, as the scheduler counts it: its containers, init containers,
sidecars, pod-level requests, overhead, and a resize in progress.

Per resource (CPU, memory), as Kubernetes computes it in ``PodRequests`` /
``AggregateContainerRequests``
(https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/component-helpers/resource/helpers.go):

1. the sum of the app containers' requests;
2. init containers in order: a sidecar (an init container with ``restartPolicy: Always``,
   https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/) adds its request to
   the running sidecar total and to the sum of step 1; a regular init container needs its own
   request plus the sidecars started before it.  The largest of these is the effective init
   request ("InitContainerUse(i) = sum(Resources of restartable init containers with index < i)
   + Resources of i-th init container", KEP-753, quoted in helpers.go);
3. the larger of steps 1 and 2;
4. where the pod sets pod-level requests (``spec.resources.requests``, PodLevelResources),
   those replace step 3 for CPU and memory ("When both are present, the pod-level requests
   take precedence": https://kubernetes.io/docs/tasks/configure-pod-container/assign-pod-level-resources/);
5. plus the pod overhead (``spec.overhead``, set from the RuntimeClass at admission:
   https://kubernetes.io/docs/concepts/scheduling-eviction/pod-overhead/).

Defaults the API server applies, so that objects read from the API already show them and
files written by hand are read as the API would have stored them:

* A container that sets a limit but no request for a resource requests its limit: "If you
  specify a limit for a resource, but do not specify any request, and no admission-time
  mechanism has applied a default request for that resource, then Kubernetes copies the limit
  you specified and uses it as the requested value"
  (https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/;
  ``SetDefaults_Pod`` in kubernetes/pkg/apis/core/v1/defaults.go, per resource, for app and
  init containers).  A container with neither requests 0, which the scheduler's fit uses.
* Pod-level limits without a pod-level request, where no container requests that resource:
  the request is the limit (``defaultPodRequests``, defaults.go: "When no containers specify
  requests for a resource, the pod-level requests will default to match the pod-level
  limits").  Where containers do request it, releases differ (some default to the
  containers' sum, which changes nothing here, newer ones to the limit); the containers' sum
  is kept.
* Every quantity is rounded up to a milli-unit (``quantities.milli_rounded``).

A resize in place (https://kubernetes.io/docs/tasks/configure-pod-container/resize-container-resources/:
"the scheduler uses the maximum of a container's desired requests, allocated requests, and
actual requests from the status when making scheduling decisions"): for an app container or
a sidecar whose status (``status.containerStatuses`` or ``initContainerStatuses``, by name)
has ``resources``, the request is the largest of the spec's request, the status's
``resources.requests`` and its ``allocatedResources``; where the resize is infeasible (the
pod condition ``PodResizePending`` with reason ``Infeasible``, or the older
``status.resize: Infeasible``) the spec's is left out, as ``determineContainerReqs`` does.

Where the sources disagree: the section "Resource sharing within containers", which the
Sidecar Containers and Init Containers pages share, says the effective init request is "the
highest of any particular resource request ... defined on all init containers", leaving out
the sidecars started before each init container (older versions of the Init Containers page
also left out the pod overhead, which the Sidecar Containers and Pod Overhead pages add).  The
code (helpers.go), KEP-753 and the newer page "Effective Pod requests and limits"
(https://kubernetes.io/docs/concepts/resource-management/effective-pod-requests-limits/: "For
each init container, take its request ... and add the requests ... of all sidecar containers
that are listed before it") agree with one another; they are followed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vmc_gui.model.importing import quantities as q
from vmc_gui.model.importing.json_input import (
    MAX_NAME_CHARS,
    Where,
    as_object,
    get_array,
    get_object,
    get_string,
    place,
)
from vmc_gui.model.importing.kubernetes_nodes import quantity

#: The pod spec's fields the request is computed from.
REQUEST_FIELDS = ("containers", "initContainers", "resources", "overhead")
#: A container's requests from its status, by container name: (CPU, memory) in nano-units,
#: None where neither ``resources.requests`` nor ``allocatedResources`` has the resource.
StatusRequests = Mapping[str, tuple[int | None, int | None]]


@dataclass(frozen=True, slots=True)
class PodRequest:
    """A pod's effective request in nano-units, and which parts of it the pod set."""

    cpu: int
    memory: int
    has_cpu: bool = False
    has_memory: bool = False
    has_limits: bool = False
    other_resources: bool = False
    overhead: bool = False
    pod_level: bool = False
    #: A resize in place made the request larger or smaller than the spec's.
    resized: bool = False
    #: A container's spec asks more than its status reports: were the resize infeasible,
    #: the request would be less (``resize_infeasible`` is read only then).
    spec_over_status: bool = False


class _Flags:
    """What the containers set, gathered while their requests are summed."""

    __slots__ = (
        "cpu",
        "limits",
        "memory",
        "other",
        "resized",
        "spec_over_status",
        "status_cpu",
        "status_memory",
    )

    def __init__(self) -> None:
        #: Whether the spec requests CPU, memory (a limit standing in: SetDefaults_Pod).
        self.cpu = self.memory = self.limits = self.other = self.resized = False
        self.spec_over_status = False
        #: Whether a container's status does (a resize in place).
        self.status_cpu = self.status_memory = False


def pod_request(
    spec: dict[str, Any],
    at: Where,
    statuses: StatusRequests | None = None,
    infeasible: bool = False,
) -> PodRequest:
    """The pod's effective request, in nano-units (the rule is in the module docstring).
    ``statuses``: its containers' requests from its status (``status_requests``)."""
    flags = _Flags()
    app_cpu = app_memory = 0
    for i, value in enumerate(get_array(spec, "containers", at)):
        container_at = (at, "containers", i)
        cpu, memory = _container_request(value, container_at, flags)
        if statuses:
            cpu, memory = _resized(value, container_at, (cpu, memory), statuses, infeasible, flags)
        app_cpu += cpu
        app_memory += memory
    sidecar_cpu = sidecar_memory = init_cpu = init_memory = 0
    for i, value in enumerate(get_array(spec, "initContainers", at)):
        container_at = (at, "initContainers", i)
        cpu, memory = _container_request(value, container_at, flags)
        if get_string(value, "restartPolicy", container_at) == "Always":
            if statuses:  # a sidecar resizes as an app container does; an init container not
                cpu, memory = _resized(
                    value, container_at, (cpu, memory), statuses, infeasible, flags
                )
            sidecar_cpu += cpu  # a sidecar: runs from its start to the pod's end
            sidecar_memory += memory
            use_cpu, use_memory = sidecar_cpu, sidecar_memory
        else:  # a regular init container: runs alone beside the sidecars already started
            use_cpu, use_memory = cpu + sidecar_cpu, memory + sidecar_memory
        init_cpu = max(init_cpu, use_cpu)
        init_memory = max(init_memory, use_memory)
    cpu = max(app_cpu + sidecar_cpu, init_cpu)
    memory = max(app_memory + sidecar_memory, init_memory)

    pod_level = False
    if "resources" in spec:  # pod-level resources (PodLevelResources)
        level_cpu, level_memory = _pod_level(spec, at, flags)
        if level_cpu is not None:
            cpu, flags.cpu, pod_level = level_cpu, True, True
        if level_memory is not None:
            memory, flags.memory, pod_level = level_memory, True, True

    overhead = get_object(spec, "overhead", at)
    if overhead:
        cpu += quantity(overhead, "cpu", (at, "overhead"), q.cpu_nanos) or 0
        memory += quantity(overhead, "memory", (at, "overhead"), q.memory_nanos) or 0
    if cpu > q.MAX_CORES * q.NANO:
        place(at).fail(f"the pod's effective CPU request is over {q.MAX_CORES:,} cores")
    if memory > q.MAX_MEMORY_BYTES * q.NANO:
        place(at).fail("the pod's effective memory request is over 1 PiB")
    return PodRequest(
        cpu=cpu,
        memory=memory,
        has_cpu=flags.cpu or flags.status_cpu,
        has_memory=flags.memory or flags.status_memory,
        has_limits=flags.limits,
        other_resources=flags.other,
        overhead=bool(overhead),
        pod_level=pod_level,
        resized=flags.resized,
        spec_over_status=flags.spec_over_status,
    )


def _pod_level(spec: dict[str, Any], at: Where, flags: _Flags) -> tuple[int | None, int | None]:
    """The pod-level CPU and memory requests, None where not set (a pod-level limit stands in
    where no container requests the resource: the module docstring)."""
    resources = get_object(spec, "resources", at)
    resources_at = (at, "resources")
    requests = get_object(resources, "requests", resources_at)
    limits = get_object(resources, "limits", resources_at)
    requests_at, limits_at = (resources_at, "requests"), (resources_at, "limits")
    cpu = quantity(requests, "cpu", requests_at, q.cpu_nanos)
    memory = quantity(requests, "memory", requests_at, q.memory_nanos)
    limit_cpu = quantity(limits, "cpu", limits_at, q.cpu_nanos)
    limit_memory = quantity(limits, "memory", limits_at, q.memory_nanos)
    if limit_cpu is not None or limit_memory is not None:
        flags.limits = True
    if cpu is None and not flags.cpu:
        cpu = limit_cpu
    if memory is None and not flags.memory:
        memory = limit_memory
    return cpu, memory


def _container_request(value: Any, at: Where, flags: _Flags) -> tuple[int, int]:
    container = as_object(value, at)
    resources = get_object(container, "resources", at)
    if not resources:
        return 0, 0
    resources_at = (at, "resources")
    requests = get_object(resources, "requests", resources_at)
    limits = get_object(resources, "limits", resources_at)
    if limits:
        flags.limits = True
    # Anything but cpu and memory (ephemeral-storage, hugepages-2Mi, nvidia.com/gpu...).
    if not flags.other and any(key != "cpu" and key != "memory" for key in (*requests, *limits)):
        flags.other = True
    # A limit without a request is the request (SetDefaults_Pod), resource by resource.
    cpu = memory = None
    if requests.get("cpu") is not None:
        cpu = quantity(requests, "cpu", (resources_at, "requests"), q.cpu_nanos)
    elif limits.get("cpu") is not None:
        cpu = quantity(limits, "cpu", (resources_at, "limits"), q.cpu_nanos)
    if requests.get("memory") is not None:
        memory = quantity(requests, "memory", (resources_at, "requests"), q.memory_nanos)
    elif limits.get("memory") is not None:
        memory = quantity(limits, "memory", (resources_at, "limits"), q.memory_nanos)
    if cpu is not None:
        flags.cpu = True
    if memory is not None:
        flags.memory = True
    return cpu or 0, memory or 0


def _resized(
    value: dict[str, Any],
    at: Where,
    spec: tuple[int, int],
    statuses: StatusRequests,
    infeasible: bool,
    flags: _Flags,
) -> tuple[int, int]:
    """A container's request with its status's (``determineContainerReqs``, helpers.go)."""
    found = statuses.get(get_string(value, "name", at, limit=MAX_NAME_CHARS))
    if found is None:
        return spec
    if spec[0] > (found[0] or 0) or spec[1] > (found[1] or 0):
        flags.spec_over_status = True
    base = (0, 0) if infeasible else spec  # an infeasible resize: the spec is not counted
    resized = (max(base[0], found[0] or 0), max(base[1], found[1] or 0))
    flags.status_cpu |= found[0] is not None
    flags.status_memory |= found[1] is not None
    if resized != spec:
        flags.resized = True
    return resized


def status_request(resources: Any, allocated: Any, at: Where) -> tuple[int | None, int | None]:
    """One container status's requests: the larger of ``resources.requests`` (what runs) and
    ``allocatedResources`` (what the kubelet admitted), resource by resource."""
    requests = get_object(as_object(resources, (at, "resources")), "requests", (at, "resources"))
    requests_at = (at, "resources", "requests")
    admitted = {} if allocated is None else as_object(allocated, (at, "allocatedResources"))
    admitted_at = (at, "allocatedResources")
    cpus = (
        quantity(requests, "cpu", requests_at, q.cpu_nanos),
        quantity(admitted, "cpu", admitted_at, q.cpu_nanos),
    )
    memories = (
        quantity(requests, "memory", requests_at, q.memory_nanos),
        quantity(admitted, "memory", admitted_at, q.memory_nanos),
    )
    return _largest(cpus), _largest(memories)


def _largest(values: tuple[int | None, int | None]) -> int | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def resize_infeasible(status: dict[str, Any], at: Where, conditions: Any) -> bool:
    """Whether the pod's resize cannot be done on its node (``IsPodResizeInfeasible``,
    helpers.go: the condition ``PodResizePending`` with reason ``Infeasible``; before
    Kubernetes 1.33, ``status.resize: Infeasible``).  ``conditions``: the status's
    ``conditions`` as JSON (``Parts.value``)."""
    if get_string(status, "resize", at, limit=MAX_NAME_CHARS) == "Infeasible":
        return True
    for i, value in enumerate(get_array({"conditions": conditions}, "conditions", at)):
        condition_at = (at, "conditions", i)
        condition = as_object(value, condition_at)
        if get_string(condition, "type", condition_at, limit=MAX_NAME_CHARS) == "PodResizePending":
            reason = get_string(condition, "reason", condition_at, limit=MAX_NAME_CHARS)
            return reason == "Infeasible"
    return False
