"""One Kubernetes Node object (as ``kubectl get nodes -o json`` prints it) read into an
:class:`ImportedHost`.

The fields, from the Node API reference
(https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/node-v1/):

* ``status.allocatable`` is what the scheduler hands out ("Allocatable represents the
  resources of a node that are available for scheduling"), ``status.capacity`` the machine's
  total.  A node without ``allocatable`` is given its capacity, as the API's defaulting does
  (``SetDefaults_NodeStatus``, kubernetes/pkg/apis/core/v1/defaults.go).
* Zone and region are the well-known labels ``topology.kubernetes.io/zone`` and ``/region``
  (https://kubernetes.io/docs/reference/labels-annotations-taints/), or, on nodes from before
  Kubernetes 1.17, the deprecated ``failure-domain.beta.kubernetes.io/zone`` and ``/region``
  they replaced (kubernetes/kubernetes#81431, which had nodes carry both for some releases).
* ``spec.taints``: ``{"key", "value", "effect"}``, the effect one of ``NoSchedule``,
  ``PreferNoSchedule``, ``NoExecute`` (the API rejects any other: "Taints and Tolerations",
  https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/).  A cordoned
  node (``spec.unschedulable``) carries ``node.kubernetes.io/unschedulable:NoSchedule``, which
  the node lifecycle controller adds; a file whose node lacks it is given it.
* Readiness: ``status.conditions``, the condition of type ``Ready`` with status ``"True"``;
  ``"False"`` or ``"Unknown"`` (the controller has not heard from the node), or no such
  condition, is not ready ("Node status", https://kubernetes.io/docs/reference/node/node-status/).

Nothing else is read: not the node's addresses, images, annotations or system information.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vmc_gui.model.imported import ImportedHost, ImportSummary, Taint
from vmc_gui.model.importing import quantities as q
from vmc_gui.model.importing.json_input import (
    MAX_NAME_CHARS,
    JsonPath,
    Where,
    as_object,
    get_array,
    get_bool,
    get_object,
    get_string,
    place,
    require_string,
    scalar_text,
)
from vmc_gui.model.taints import TAINT_EFFECTS

ZONE_LABELS = ("topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone")
REGION_LABELS = ("topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region")
UNSCHEDULABLE = Taint("node.kubernetes.io/unschedulable", "", "NoSchedule")
MODELLED = frozenset({"cpu", "memory", "pods"})
# Label keys are a prefix of up to 253 characters, "/", and a name of up to 63.
MAX_KEY_CHARS = 317

NOT_READY = "nodes not ready (their Ready condition is not True)"
NO_ALLOCATABLE = "nodes without status.allocatable (their capacity taken, as Kubernetes does)"
CORDONED = "cordoned nodes given the node.kubernetes.io/unschedulable taint Kubernetes adds"
OTHER_RESOURCES = "nodes with resources other than cpu, memory and pods (not modelled)"


def read_node(item: dict[str, Any], at: JsonPath, summary: ImportSummary) -> ImportedHost:
    meta_at, spec_at, status_at = at / "metadata", at / "spec", at / "status"
    meta = get_object(item, "metadata", at)
    name = require_string(meta, "name", meta_at)
    labels = get_object(meta, "labels", meta_at)
    spec = get_object(item, "spec", at)
    status = get_object(item, "status", at)

    taints = [
        _taint(t, spec_at / "taints" / i) for i, t in enumerate(get_array(spec, "taints", spec_at))
    ]
    if get_bool(spec, "unschedulable", spec_at) and all(t.key != UNSCHEDULABLE.key for t in taints):
        taints.append(UNSCHEDULABLE)
        summary.note(CORDONED)

    capacity = get_object(status, "capacity", status_at)
    allocatable_at = status_at / "allocatable"
    if status.get("allocatable") is None:
        allocatable, allocatable_at = capacity, status_at / "capacity"
        summary.note(NO_ALLOCATABLE)
    else:
        allocatable = get_object(status, "allocatable", status_at)
    if any(key not in MODELLED for key in allocatable):
        summary.note(OTHER_RESOURCES)

    cpu = quantity(allocatable, "cpu", allocatable_at, q.cpu_nanos, required=True)
    memory = quantity(allocatable, "memory", allocatable_at, q.memory_nanos, required=True)
    pods = quantity(allocatable, "pods", allocatable_at, q.pod_count)
    capacity_cpu = quantity(capacity, "cpu", status_at / "capacity", q.cpu_nanos)
    capacity_memory = quantity(capacity, "memory", status_at / "capacity", q.memory_nanos)

    ready = _ready(status, status_at)
    if not ready:
        summary.note(NOT_READY)
    return ImportedHost(
        name=name,
        cores=q.cores(cpu or 0),
        memory_mb=q.megabytes(memory or 0),
        pods=pods,
        capacity_cores=None if capacity_cpu is None else q.cores(capacity_cpu),
        capacity_memory_mb=None if capacity_memory is None else q.megabytes(capacity_memory),
        zone=_label(labels, ZONE_LABELS, meta_at / "labels"),
        region=_label(labels, REGION_LABELS, meta_at / "labels"),
        taints=tuple(taints),
        ready=ready,
    )


def quantity(
    obj: dict[str, Any],
    key: str,
    at: Where,
    parse: Callable[[str], int],
    required: bool = False,
) -> int | None:
    """``obj[key]`` read by ``parse`` (a function of :mod:`quantities`); absent is None."""
    value = obj.get(key)
    if value is None:
        if required:
            (place(at) / key).fail("missing: the node's scheduler figures need it")
        return None
    text = value if type(value) is str else scalar_text(value, (at, key))
    try:
        return parse(text)
    except q.QuantityError as error:
        (place(at) / key).fail(str(error))


def _taint(value: Any, at: JsonPath) -> Taint:
    taint = as_object(value, at)
    effect = get_string(taint, "effect", at)
    if effect not in TAINT_EFFECTS:
        (at / "effect").fail(
            f"{effect!r} is not a taint effect (NoSchedule, PreferNoSchedule or NoExecute)"
        )
    return Taint(
        key=require_string(taint, "key", at, MAX_KEY_CHARS),
        value=get_string(taint, "value", at, limit=MAX_NAME_CHARS),
        effect=effect,
    )


def _label(labels: dict[str, Any], keys: tuple[str, ...], at: JsonPath) -> str:
    for key in keys:
        if labels.get(key) is not None:
            return get_string(labels, key, at, limit=MAX_NAME_CHARS)
    return ""


def _ready(status: dict[str, Any], at: JsonPath) -> bool:
    conditions = get_array(status, "conditions", at)
    for i, value in enumerate(conditions):
        condition = as_object(value, at / "conditions" / i)
        if get_string(condition, "type", at / "conditions" / i) == "Ready":
            return get_string(condition, "status", at / "conditions" / i) == "True"
    return False
