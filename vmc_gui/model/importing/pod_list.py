"""The fast reader of a pod list (``kubectl get pods -A -o json``, a dump's ``pods.json``):
only the fields the importer reads become Python objects (issue 21's 2 s for 30,000 pods).

A pod as kubectl prints it is some 7 kB, of which the importer reads a few hundred bytes:
its names, owner, node, phase, and the text of its containers, tolerations and a few more.
Python's ``json`` builds every value of the file, which for 30,000 pods takes longer than
the whole import may (benchmarks/bench_import.py measures it, as the floor).  msgspec
(https://jcristharif.com/msgspec/) decodes JSON against a schema instead: fields not in the
schema are skipped as they are scanned, with no object made for them
(https://jcristharif.com/msgspec/usage.html: unknown fields "are skipped"), and a field typed
``msgspec.Raw`` is kept as its text, undecoded.  So a pod here is a few small dicts holding
the scalars the importer reads (its containers' names, images and restart policies among
them) and the text of its containers' resources, tolerations, affinity and container
statuses' resources; ``RawParts`` decodes such a text (with ``json``, as the whole file would
have been) the first time it is met, and remembers what the importer computes from a pod's
template (its request, image, tolerations) by those fields, since a Deployment's pods all
carry the same.  The pod before, as a rule of the same ReplicaSet (kubectl lists pods by
name), is compared first, field to field, so that most pods need no key built at all.  A
container's other fields, such as a volume mount whose name has a random suffix per pod,
are skipped, so they do not make pods of one template differ.

The schema's dicts are plain ``dict``s (``TypedDict``), in the shape the careful reader's
functions read, so the checks are the same code.  Anything this reader cannot take as it is
makes it give up (``None``): a file not in UTF-8, a list that is not all pods, a value of
the wrong type where the schema wants an object or an array, anything msgspec refuses; and
so does any problem the checks find.  The importer then reads the file whole with
``json_input`` and its checks, which name the problem, if there is one, with the file and
the JSON path.

Where the two readers may part, both within the hostile-input limits:

* nesting: msgspec and ``json`` both stop at the interpreter's recursion limit (some 1,000
  levels), each counting from its own depth on the stack, so a file nested to within a few
  levels of the limit may be read by one and refused, as nested too deeply, by the other;
* a number of more than 4,300 digits in a field never read: ``json`` refuses the file
  (Python's integer conversion limit), this reader skips the number unconverted, at no cost.
  In a field read, msgspec refuses such a number and this reader gives up, as above.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TypedDict, TypeVar

import msgspec
from msgspec import Raw

from vmc_gui.model.importing.json_input import Where, loads
from vmc_gui.model.importing.kubernetes_pods import ABSENT, Parts

T = TypeVar("T")

_Labels = TypedDict("_Labels", {"pod-template-hash": Any}, total=False)


class _Owner(TypedDict, total=False):
    kind: Any
    name: Any
    controller: Any


class _Meta(TypedDict, total=False):
    name: Any
    namespace: Any
    labels: _Labels | None
    ownerReferences: list[_Owner] | None
    deletionTimestamp: Any


class _Container(TypedDict, total=False):
    name: Any
    image: Any
    restartPolicy: Any
    resources: Raw


class _Spec(TypedDict, total=False):
    # Containers field by field: their other fields (volume mounts, whose names carry a
    # random suffix per pod; env...) are skipped, so that a Deployment's pods read alike.
    containers: list[_Container] | None
    initContainers: list[_Container] | None
    resources: Raw
    overhead: Raw
    nodeName: Any
    tolerations: Raw
    affinity: Raw
    nodeSelector: Raw
    topologySpreadConstraints: Raw


class _ContainerStatus(TypedDict, total=False):
    name: Any
    resources: Raw
    allocatedResources: Raw


class _Status(TypedDict, total=False):
    phase: Any
    resize: Any
    conditions: Raw  # read only for a resize whose spec asks more than its status
    containerStatuses: list[_ContainerStatus] | None
    initContainerStatuses: list[_ContainerStatus] | None


class _Pod(TypedDict, total=False):
    kind: Any
    metadata: _Meta | None
    spec: _Spec | None
    status: _Status | None


class _PodList(TypedDict, total=False):
    kind: Any
    items: list[_Pod] | None


# Fractional numbers as Decimal, as json_input reads them.
_DECODER = msgspec.json.Decoder(_PodList, float_hook=Decimal)


def read_pod_list(data: bytes) -> list[dict[str, Any]] | None:
    """The pods of the pod list in ``data`` (a file's bytes), each holding only the fields
    the importer reads; None where this reader does not take the file (the module
    docstring), and the careful reader must."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if not _is_utf8(data):
        return None  # UTF-16 or UTF-32 (Windows PowerShell's >), or not text at all
    try:
        document: dict[str, Any] = _DECODER.decode(data)  # type: ignore[assignment]
    except (msgspec.MsgspecError, RecursionError, ValueError, MemoryError):
        return None
    kind, items = document.get("kind"), document.get("items")
    if type(items) is not list or kind not in ("List", "PodList"):
        return None
    if kind == "List" and any(item.get("kind") != "Pod" for item in items):
        return None  # nodes, or a mix of kinds: each item read as its kind says
    return items


def _is_utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8 throughout, the skipped parts too (msgspec checks only the
    strings it decodes; ``json`` refuses a file with a bad byte anywhere)."""
    if data.isascii():  # what kubectl writes, as a rule: a fast check
        return True
    try:
        codecs.decode(data, "utf-8")
    except UnicodeDecodeError:
        return False
    return True


class RawParts(Parts):
    """A pod's fields as the fast reader leaves them: raw JSON text (``msgspec.Raw``) where it
    skipped a value, decoded the first time a text is met; and what is computed from them,
    remembered by their text."""

    __slots__ = ("_kept", "_results", "_values")
    remembers = True

    def __init__(self) -> None:
        self._values: dict[bytes, Any] = {}
        self._results: dict[Any, Any] = {}
        self._kept: Any = None

    def value(self, raw: Any, at: Where) -> Any:
        kind = type(raw)
        if kind is Raw:
            text = bytes(raw)
            try:
                return self._values[text]
            except KeyError:
                # Errors (nesting, a number of thousands of digits) propagate: the importer
                # then reads the file whole, and names the problem.
                value = self._values[text] = loads(text)
                return value
        if kind is list:
            return [self.value(item, at) for item in raw]
        if kind is dict:
            return {key: self.value(item, at) for key, item in raw.items()}
        return raw

    def text(self, raw: Any) -> Any:
        return bytes(raw) if type(raw) is Raw else raw

    def texts(self, obj: dict[str, Any], keys: tuple[str, ...]) -> tuple[Any, ...]:
        found = [obj.get(key, ABSENT) for key in keys]
        return tuple([bytes(v) if type(v) is Raw else v for v in found])

    def fields(self, obj: dict[str, Any], keys: Iterable[str], at: Where) -> dict[str, Any]:
        return {key: self.value(obj[key], (at, key)) for key in keys if key in obj}

    def memo(self, key: Any, compute: Callable[..., T], *args: Any) -> T:
        try:
            result: T = self._results[key]
        except KeyError:
            result = self._results[key] = compute(*args)
        return result

    def recall(self) -> Any:
        return self._kept

    def keep(self, value: Any) -> None:
        self._kept = value
