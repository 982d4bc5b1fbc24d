"""One Kubernetes Pod object read into a :class:`PodRecord`: its owner, node, image,
tolerations and its effective request as the scheduler counts it.

The effective request, per resource (CPU, memory), is computed as Kubernetes computes it in
``PodRequests`` / ``aggregateContainerResourcesByFn``
(kubernetes/staging/src/k8s.io/component-helpers/resource/helpers.go):

1. the sum of the app containers' requests;
2. init containers in order: a sidecar (an init container with ``restartPolicy: Always``,
   https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/) adds its request to
   the running sidecar total and to the sum of step 1; a regular init container needs its own
   request plus the sidecars started before it.  The largest of these is the effective init
   request ("InitContainerUse(i) = sum(Resources of restartable init containers with index < i)
   + Resources of i-th init container", KEP-753, quoted in helpers.go);
3. the larger of steps 1 and 2;
4. where the pod sets pod-level requests (``spec.resources.requests``, PodLevelResources),
   those replace step 3 for CPU and memory (``applyPodLevelResources``, helpers.go);
5. plus the pod overhead (``spec.overhead``, set from the RuntimeClass at admission:
   https://kubernetes.io/docs/concepts/scheduling-eviction/pod-overhead/).

A container that sets a limit but no request for a resource requests its limit: the API
server defaults it so (``SetDefaults_Pod``, kubernetes/pkg/apis/core/v1/defaults.go, for app
and init containers), so objects read from the API already show it; files written by hand may
not.  A container with neither requests 0, which is what the scheduler's fit check uses.

Where the sources disagree: the section "Resource sharing within containers", which the
Sidecar Containers and Init Containers pages share, says the effective init request is "the
highest of any particular resource request ... defined on all init containers", leaving out
the sidecars started before each init container (older versions of the Init Containers page
also left out the pod overhead, which the Sidecar Containers and Pod Overhead pages add).  The
code (helpers.go), KEP-753 and the newer page "Effective Pod requests and limits"
(https://kubernetes.io/docs/concepts/resource-management/effective-pod-requests-limits/: "For
each init container, take its request ... and add the requests ... of all sidecar containers
that are listed before it") agree with one another; they are followed.

Never read: ``env``, ``envFrom``, ``command``, ``args``, volumes' secrets, annotations.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from vmc_gui.model.imported import ImportProblem, ImportSummary, Toleration
from vmc_gui.model.importing import quantities as q
from vmc_gui.model.importing.json_input import (
    MAX_NAME_CHARS,
    JsonPath,
    Where,
    as_object,
    describe,
    get_array,
    get_bool,
    get_integer,
    get_object,
    get_string,
    place,
    require_string,
)
from vmc_gui.model.importing.kubernetes_nodes import MAX_KEY_CHARS, quantity
from vmc_gui.model.taints import OPERATORS, TAINT_EFFECTS

#: Phases of pods that have finished: the scheduler does not count them against a node (its
#: pod informer selects "status.phase!=Succeeded,status.phase!=Failed": newPodInformer,
#: kubernetes/pkg/scheduler/scheduler.go), so neither does the import.
FINISHED = frozenset({"Succeeded", "Failed"})
# Namespaces are DNS labels: at most 63 characters.
MAX_NAMESPACE_CHARS = 63

NO_REQUESTS = "pods without requests (counted as 0 cores, 0 MB)"
NO_CPU_REQUEST = "pods without a CPU request (counted as 0 cores)"
NO_MEMORY_REQUEST = "pods without a memory request (counted as 0 MB)"
FINISHED_PODS = "finished pods (Succeeded or Failed) left out: they hold no resources"
NO_CONTROLLER = "pods with owners but no controller (each taken as a bare pod)"
WITH_LIMITS = "pods with limits (not modelled)"
WITH_AFFINITY = "pods with affinity (not modelled)"
WITH_NODE_SELECTOR = "pods with a nodeSelector (not modelled)"
WITH_SPREAD = "pods with topologySpreadConstraints (not modelled)"
OTHER_RESOURCES = "pods requesting resources other than cpu and memory (not modelled)"
POD_LEVEL = "pods with pod-level requests (spec.resources, used as Kubernetes uses them)"
WITH_OVERHEAD = "pods with a pod overhead (added to their request)"


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


@dataclass(frozen=True, slots=True)
class PodRecord:
    """What the import keeps of one pod."""

    namespace: str
    name: str
    node: str
    phase: str
    #: The controller's kind and name (``ReplicaSet``, ``web-7d4b9c``); "" for none.
    owner_kind: str
    owner_name: str
    #: The ``pod-template-hash`` label a Deployment's ReplicaSet puts on its pods.
    template_hash: str
    cpu: int
    memory: int
    image: str
    tolerations: tuple[Toleration, ...]


def read_pod(
    item: dict[str, Any], at: JsonPath, summary: ImportSummary, namespace: str = "default"
) -> PodRecord | None:
    """The pod ``item`` (at ``at``), or None if it has finished."""
    meta_at, spec_at = (at, "metadata"), (at, "spec")
    meta = get_object(item, "metadata", at)
    status = get_object(item, "status", at)
    phase = get_string(status, "phase", (at, "status"), limit=MAX_NAME_CHARS)
    name = require_string(meta, "name", meta_at)
    if phase in FINISHED:
        summary.note(FINISHED_PODS)
        return None
    spec = get_object(item, "spec", at)
    owner_kind, owner_name = controller_of(meta, meta_at, summary)
    labels = get_object(meta, "labels", meta_at)
    request = pod_request(spec, spec_at)
    _note_request(request, summary)
    for key, reason in _UNMODELLED:
        if spec.get(key):
            summary.note(reason)
    containers = get_array(spec, "containers", spec_at)
    image = ""
    if containers:
        first = as_object(containers[0], (spec_at, "containers", 0))
        image = get_string(first, "image", (spec_at, "containers", 0))
    return PodRecord(
        namespace=get_string(meta, "namespace", meta_at, namespace, MAX_NAMESPACE_CHARS),
        name=name,
        node=get_string(spec, "nodeName", spec_at, limit=MAX_NAME_CHARS),
        phase=phase,
        owner_kind=owner_kind,
        owner_name=owner_name,
        template_hash=get_string(labels, "pod-template-hash", (meta_at, "labels"), limit=63),
        cpu=request.cpu,
        memory=request.memory,
        image=image,
        tolerations=tuple(
            toleration(t, (spec_at, "tolerations", i))
            for i, t in enumerate(get_array(spec, "tolerations", spec_at))
        ),
    )


_UNMODELLED = (
    ("affinity", WITH_AFFINITY),
    ("nodeSelector", WITH_NODE_SELECTOR),
    ("topologySpreadConstraints", WITH_SPREAD),
)


def _note_request(request: PodRequest, summary: ImportSummary) -> None:
    if not request.has_cpu and not request.has_memory:
        summary.note(NO_REQUESTS)
    elif not request.has_cpu:
        summary.note(NO_CPU_REQUEST)
    elif not request.has_memory:
        summary.note(NO_MEMORY_REQUEST)
    for flag, reason in (
        (request.has_limits, WITH_LIMITS),
        (request.other_resources, OTHER_RESOURCES),
        (request.pod_level, POD_LEVEL),
        (request.overhead, WITH_OVERHEAD),
    ):
        if flag:
            summary.note(reason)


def controller_of(meta: dict[str, Any], at: Where, summary: ImportSummary) -> tuple[str, str]:
    """The kind and name of the object's controller: the owner reference marked
    ``controller: true`` (there is at most one: "Owners and Dependents",
    https://kubernetes.io/docs/concepts/overview/working-with-objects/owners-dependents/).
    Owners that are not the controller do not manage the pod; ("", "") if none is."""
    refs = get_array(meta, "ownerReferences", at)
    for i, value in enumerate(refs):
        ref_at = (at, "ownerReferences", i)
        ref = as_object(value, ref_at)
        if get_bool(ref, "controller", ref_at):
            return require_string(ref, "kind", ref_at, 63), require_string(ref, "name", ref_at)
    if refs:
        summary.note(NO_CONTROLLER)
    return "", ""


def pod_request(spec: dict[str, Any], at: Where) -> PodRequest:
    """The pod's effective request, in nano-units (the rule is in the module docstring)."""
    flags = _Flags()
    app_cpu = app_memory = 0
    for i, value in enumerate(get_array(spec, "containers", at)):
        cpu, memory = _container_request(value, (at, "containers", i), flags)
        app_cpu += cpu
        app_memory += memory
    sidecar_cpu = sidecar_memory = init_cpu = init_memory = 0
    for i, value in enumerate(get_array(spec, "initContainers", at)):
        container_at = (at, "initContainers", i)
        cpu, memory = _container_request(value, container_at, flags)
        if get_string(value, "restartPolicy", container_at) == "Always":
            sidecar_cpu += cpu  # a sidecar: runs from its start to the pod's end
            sidecar_memory += memory
            use_cpu, use_memory = sidecar_cpu, sidecar_memory
        else:  # a regular init container: runs alone beside the sidecars already started
            use_cpu, use_memory = cpu + sidecar_cpu, memory + sidecar_memory
        init_cpu = max(init_cpu, use_cpu)
        init_memory = max(init_memory, use_memory)
    cpu = max(app_cpu + sidecar_cpu, init_cpu)
    memory = max(app_memory + sidecar_memory, init_memory)

    level_cpu = level_memory = None
    if "resources" in spec:  # pod-level resources (PodLevelResources), rare
        pod_level = get_object(get_object(spec, "resources", at), "requests", (at, "resources"))
        requests_at = (at, "resources", "requests")
        level_cpu = quantity(pod_level, "cpu", requests_at, q.cpu_nanos)
        level_memory = quantity(pod_level, "memory", requests_at, q.memory_nanos)
        if level_cpu is not None:
            cpu, flags.cpu = level_cpu, True
        if level_memory is not None:
            memory, flags.memory = level_memory, True

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
        has_cpu=flags.cpu,
        has_memory=flags.memory,
        has_limits=flags.limits,
        other_resources=flags.other,
        overhead=bool(overhead),
        pod_level=level_cpu is not None or level_memory is not None,
    )


class _Flags:
    """What the containers set, gathered while their requests are summed."""

    __slots__ = ("cpu", "limits", "memory", "other")

    def __init__(self) -> None:
        self.cpu = self.memory = self.limits = self.other = False


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
    # A limit without a request is the request (SetDefaults_Pod).
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


def toleration(value: Any, at: Where) -> Toleration:
    """A toleration; the same few recur on every pod, so each is checked once (the cache is
    typed, so ``true`` is not taken for ``1``)."""
    raw = as_object(value, at)
    get = raw.get
    try:
        return _toleration(
            get("key"), get("operator"), get("value"), get("effect"), get("tolerationSeconds")
        )
    except _FieldProblem as problem:
        (place(at) / problem.field).fail(problem.message)
    except TypeError:  # an object or an array, which the cache cannot hash
        for key in _TOLERATION_FIELDS:
            if isinstance(raw.get(key), dict | list):
                kind = _TOLERATION_TYPES[key]
                (place(at) / key).fail(f"expected a {kind}, found {describe(raw[key])}")
        raise


_TOLERATION_FIELDS = ("key", "operator", "value", "effect", "tolerationSeconds")
_TOLERATION_TYPES = dict.fromkeys(_TOLERATION_FIELDS, "string") | {
    "tolerationSeconds": "whole number"
}


class _FieldProblem(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


@lru_cache(maxsize=1024, typed=True)
def _toleration(key: Any, operator: Any, value: Any, effect: Any, seconds: Any) -> Toleration:
    fields = dict(zip(_TOLERATION_FIELDS, (key, operator, value, effect, seconds), strict=True))
    at = JsonPath("")
    try:
        operator = get_string(fields, "operator", at, "Equal")  # the API's default
        effect = get_string(fields, "effect", at)
        tolerated = Toleration(
            key=get_string(fields, "key", at, limit=MAX_KEY_CHARS),
            operator=operator,
            value=get_string(fields, "value", at, limit=MAX_NAME_CHARS),
            effect=effect,
            seconds=_seconds(get_integer(fields, "tolerationSeconds", at, -(2**63), 2**63 - 1)),
        )
    except ImportProblem as problem:
        raise _FieldProblem(problem.where.removeprefix("$."), problem.problem) from None
    if operator not in OPERATORS:
        raise _FieldProblem(
            "operator", f"{operator!r} is not a toleration operator (Equal or Exists)"
        )
    if effect and effect not in TAINT_EFFECTS:
        raise _FieldProblem(
            "effect",
            f"{effect!r} is not a taint effect (NoSchedule, PreferNoSchedule or NoExecute)",
        )
    return tolerated


def _seconds(seconds: int | None) -> float | None:
    return None if seconds is None else float(seconds)
