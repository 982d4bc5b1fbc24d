"""One Kubernetes Pod object read into a :class:`PodRecord`: its owner, node, image,
tolerations and its effective request as the scheduler counts it (kubernetes_requests.py).

Pods that hold nothing a failover moves are left out, and counted:

* finished pods (``status.phase`` Succeeded or Failed): the scheduler does not count them
  against a node (its pod informer selects "status.phase!=Succeeded,status.phase!=Failed":
  ``newPodInformer``, kubernetes/pkg/scheduler/scheduler.go);
* pods being deleted (``metadata.deletionTimestamp`` set, shown as Terminating): "ReplicaSets
  and other workload resources no longer treat the shutting-down Pod as a valid, in-service
  replica" ("Pod Lifecycle", Termination of Pods,
  https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination;
  ``FilterActivePods`` leaves out a pod with a deletion timestamp,
  kubernetes/pkg/controller/controller_utils.go), and a Deployment has made their
  replacement already.

How the reader reaches a pod's larger fields is a :class:`Parts`: as they are, in a file
parsed whole, or as raw JSON text decoded on demand and remembered by its text, when the fast
reader (``pod_list.py``) skipped them.  The checks are the same either way; the fast reader
runs the computation of a pod's template (its request, image, tolerations) once per
distinct template instead of once per pod: a Deployment's pods share theirs.

Never read: ``env``, ``envFrom``, ``command``, ``args``, volumes' secrets, annotations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from vmc_gui.model.imported import ImportSummary, Toleration
from vmc_gui.model.importing.json_input import (
    MAX_NAME_CHARS,
    Where,
    as_object,
    get_array,
    get_bool,
    get_object,
    get_string,
    require_string,
)
from vmc_gui.model.importing.kubernetes_requests import (
    REQUEST_FIELDS,
    PodRequest,
    pod_request,
    resize_infeasible,
    status_request,
)
from vmc_gui.model.importing.kubernetes_tolerations import read_tolerations

__all__ = ["PodRecord", "PodRequest", "controller_of", "pod_request", "read_pod"]

#: Phases of pods that have finished (see the module docstring).
FINISHED = frozenset({"Succeeded", "Failed"})
# Namespaces are DNS labels: at most 63 characters.
MAX_NAMESPACE_CHARS = 63

NO_REQUESTS = "pods without requests (counted as 0 cores, 0 MB)"
NO_CPU_REQUEST = "pods without a CPU request (counted as 0 cores)"
NO_MEMORY_REQUEST = "pods without a memory request (counted as 0 MB)"
FINISHED_PODS = "finished pods (Succeeded or Failed) left out: they hold no resources"
TERMINATING = "pods being deleted (Terminating) left out: not counted as their owner's replicas"
NO_CONTROLLER = "pods with owners but no controller (each taken as a bare pod)"
WITH_LIMITS = "pods with limits (not modelled)"
WITH_AFFINITY = "pods with affinity (not modelled)"
WITH_NODE_SELECTOR = "pods with a nodeSelector (not modelled)"
WITH_SPREAD = "pods with topologySpreadConstraints (not modelled)"
OTHER_RESOURCES = "pods requesting resources other than cpu and memory (not modelled)"
POD_LEVEL = "pods with pod-level requests (spec.resources, used as Kubernetes uses them)"
WITH_OVERHEAD = "pods with a pod overhead (added to their request)"
RESIZED = "pods resized in place (the larger of spec and status taken, as the scheduler does)"
UNMATCHED_TOLERATIONS = "tolerations with the operator Lt or Gt (not modelled: left out)"

T = TypeVar("T")
#: Stands for a field that is not there, in the keys ``Parts.memo`` remembers results by.
ABSENT = "\x00absent"


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
    #: Its effective request in nano-units (kubernetes_requests.py).
    cpu: int
    memory: int
    image: str
    tolerations: tuple[Toleration, ...]


class Parts:
    """How the reader reaches a pod's larger fields: here, as they are (a file parsed whole).

    ``value`` gives a field's JSON value.  A subclass that ``remembers`` (``pod_list.RawParts``)
    holds some fields as their raw text, decodes them on demand, and remembers what ``memo``
    computes by a key of those texts (``text``): the key must hold every field the
    computation reads, and the computation must note nothing in the summary.
    """

    __slots__ = ()
    #: Whether ``memo`` remembers results (else it computes each time, and keys are not made).
    remembers = False

    def value(self, raw: Any, at: Where) -> Any:
        return raw

    def text(self, raw: Any) -> Any:
        """A field as a part of a key: its raw text, where it has one."""
        return raw

    def texts(self, obj: dict[str, Any], keys: tuple[str, ...]) -> tuple[Any, ...]:
        """``text`` of each of ``keys`` in ``obj`` (``ABSENT`` where missing)."""
        return tuple(self.text(obj.get(key, ABSENT)) for key in keys)

    def fields(self, obj: dict[str, Any], keys: Iterable[str], at: Where) -> dict[str, Any]:
        """``obj`` with at least ``keys`` as JSON values (the others may be missing)."""
        return obj

    def memo(self, key: Any, compute: Callable[..., T], *args: Any) -> T:
        return compute(*args)

    def recall(self) -> Any:
        """What ``keep`` last kept (None here: nothing is kept)."""
        return None

    def keep(self, value: Any) -> None:
        """Keep ``value`` for the next ``recall``."""


AS_IS = Parts()


def read_pod(
    item: dict[str, Any],
    at: Where,
    summary: ImportSummary,
    namespace: str = "default",
    parts: Parts = AS_IS,
) -> PodRecord | None:
    """The pod ``item`` (at ``at``), or None if it has finished or is being deleted."""
    meta_at, spec_at, status_at = (at, "metadata"), (at, "spec"), (at, "status")
    meta = get_object(item, "metadata", at)
    status = get_object(item, "status", at)
    phase = get_string(status, "phase", status_at, limit=MAX_NAME_CHARS)
    name = require_string(meta, "name", meta_at)
    if phase in FINISHED:
        summary.note(FINISHED_PODS)
        return None
    if get_string(meta, "deletionTimestamp", meta_at, limit=64):
        summary.note(TERMINATING)
        return None
    spec = get_object(item, "spec", at)
    owner_kind, owner_name = controller_of(meta, meta_at, summary)
    labels = get_object(meta, "labels", meta_at)
    template = _template(spec, spec_at, status, status_at, parts)
    for reason in template.notes:
        summary.note(reason)
    if template.left_out:
        summary.note(UNMATCHED_TOLERATIONS, template.left_out)
    request = template.request
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
        image=template.image,
        tolerations=template.tolerations,
    )


_UNMODELLED = (
    ("affinity", WITH_AFFINITY),
    ("nodeSelector", WITH_NODE_SELECTOR),
    ("topologySpreadConstraints", WITH_SPREAD),
)


@dataclass(frozen=True, slots=True)
class _Template:
    """What a pod's template gives: the same for every pod of a Deployment's ReplicaSet."""

    request: PodRequest
    image: str
    tolerations: tuple[Toleration, ...]
    #: Tolerations left out (an operator the model does not match).
    left_out: int
    #: The summary's notes for a pod of this template (no requests, limits, affinity...).
    notes: tuple[str, ...]


#: The pod spec's fields a template is read from.
_TEMPLATE_FIELDS = (*REQUEST_FIELDS, "tolerations", *(key for key, _ in _UNMODELLED))
#: Those held whole (the containers are held field by field: ``_containers_key``).
_WHOLE_FIELDS = tuple(f for f in _TEMPLATE_FIELDS if f not in ("containers", "initContainers"))


def _template(
    spec: dict[str, Any], spec_at: Where, status: dict[str, Any], status_at: Where, parts: Parts
) -> _Template:
    """The pod's request, image, tolerations and notes: computed once per distinct text of
    the fields they are read from (and container statuses' requests) by the fast reader."""
    statuses = status_requests(status, status_at, parts)
    template = _remembered(spec, spec_at, statuses, False, parts)
    # Whether the resize is infeasible matters only where a spec asks more than its status:
    # the conditions are read then (by both readers alike).
    if template.request.spec_over_status:
        conditions = parts.value(status.get("conditions"), (status_at, "conditions"))
        if resize_infeasible(status, status_at, conditions):
            template = _remembered(spec, spec_at, statuses, True, parts)
    return template


def _remembered(
    spec: dict[str, Any],
    spec_at: Where,
    statuses: dict[str, tuple[int | None, int | None]],
    infeasible: bool,
    parts: Parts,
) -> _Template:
    if not parts.remembers:
        return _read_template(parts, spec, spec_at, statuses, infeasible)
    # The pod before, as a rule of the same ReplicaSet (kubectl lists pods by name): the
    # same fields make the same template, compared where they lie (a raw text compares its
    # bytes), with no key to build.
    last = parts.recall()
    if (
        last is not None
        and last[1] == statuses
        and last[2] == infeasible
        and all(spec.get(field, ABSENT) == last[0].get(field, ABSENT) for field in _TEMPLATE_FIELDS)
    ):
        template: _Template = last[3]
        return template
    text = parts.text
    key = (
        "template",
        _containers_key(spec.get("containers", ABSENT), text),
        _containers_key(spec.get("initContainers", ABSENT), text),
        parts.texts(spec, _WHOLE_FIELDS),
        tuple(sorted(statuses.items())) if statuses else (),
        infeasible,
    )
    template = parts.memo(key, _read_template, parts, spec, spec_at, statuses, infeasible)
    parts.keep((spec, statuses, infeasible, template))
    return template


def _containers_key(containers: Any, text: Callable[[Any], Any]) -> Any:
    """The fields of the containers a template is read from: each one's name (matched to its
    status), image (the first one's is the service's), restart policy (a sidecar's is
    Always) and the text of its resources.  The rest, such as a volume mount's name that
    differs from pod to pod, is not in the key, since nothing reads it.  (A value of another
    type that Python takes as equal, ``1`` for ``True``, reads alike or fails alike.)"""
    if type(containers) is not list:
        return text(containers)
    return tuple(
        [
            (
                c.get("name"),
                c.get("image"),
                c.get("restartPolicy"),
                text(c.get("resources", ABSENT)),
            )
            if type(c) is dict
            else text(c)
            for c in containers
        ]
    )


def _read_template(
    parts: Parts,
    spec: dict[str, Any],
    at: Where,
    statuses: dict[str, tuple[int | None, int | None]],
    infeasible: bool,
) -> _Template:
    fields = parts.fields(spec, _TEMPLATE_FIELDS, at)
    request = pod_request(fields, at, statuses, infeasible)
    notes = _request_notes(request)
    notes += [reason for key, reason in _UNMODELLED if fields.get(key)]
    image = ""
    containers = get_array(fields, "containers", at)
    if containers:
        first = as_object(containers[0], (at, "containers", 0))
        image = get_string(first, "image", (at, "containers", 0))
    tolerations, left_out = read_tolerations(fields.get("tolerations"), at)
    return _Template(request, image, tolerations, left_out, tuple(notes))


def status_requests(
    status: dict[str, Any], at: Where, parts: Parts = AS_IS
) -> dict[str, tuple[int | None, int | None]]:
    """Per container name, the requests its status reports, for the containers whose status
    has ``resources`` (only those count: ``cs.Resources != nil`` in helpers.go); the init
    containers' statuses after the app containers', a name's last status kept, as there."""
    found: dict[str, tuple[int | None, int | None]] = {}
    for field in ("containerStatuses", "initContainerStatuses"):
        for i, value in enumerate(get_array(status, field, at)):
            status_at = (at, field, i)
            container = as_object(value, status_at)
            raw_resources = container.get("resources")
            if parts.value(raw_resources, (status_at, "resources")) is None:
                continue
            name = get_string(container, "name", status_at, limit=MAX_NAME_CHARS)
            raw_allocated = container.get("allocatedResources")
            key = ("status", parts.text(raw_resources), parts.text(raw_allocated))
            found[name] = parts.memo(
                key,
                _status_request,
                parts,
                raw_resources,
                raw_allocated,
                status_at,
            )
    return found


def _status_request(
    parts: Parts, resources: Any, allocated: Any, at: Where
) -> tuple[int | None, int | None]:
    return status_request(
        parts.value(resources, (at, "resources")),
        parts.value(allocated, (at, "allocatedResources")),
        at,
    )


def _request_notes(request: PodRequest) -> list[str]:
    """The summary's notes on a pod's request."""
    notes = []
    if not request.has_cpu and not request.has_memory:
        notes.append(NO_REQUESTS)
    elif not request.has_cpu:
        notes.append(NO_CPU_REQUEST)
    elif not request.has_memory:
        notes.append(NO_MEMORY_REQUEST)
    for flag, reason in (
        (request.has_limits, WITH_LIMITS),
        (request.other_resources, OTHER_RESOURCES),
        (request.pod_level, POD_LEVEL),
        (request.overhead, WITH_OVERHEAD),
        (request.resized, RESIZED),
    ):
        if flag:
            notes.append(reason)
    return notes


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
