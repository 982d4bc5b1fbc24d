"""Import a Kubernetes cluster from what ``kubectl`` exports (issue 21).

``import_kubernetes(paths)`` reads, in any mix:

* ``kubectl get nodes -o json`` and ``kubectl get pods -A -o json``: a ``List`` whose items
  each carry their ``kind``, as kubectl prints them, or the ``NodeList`` / ``PodList`` the API
  returns, whose items do not;
* the directory ``kubectl cluster-info dump --output-directory DIR`` writes: ``nodes.json`` at
  the top and, per namespace, ``DIR/<namespace>/pods.json``, ``replicasets.json``,
  ``deployments.json``, ``daemonsets.json`` and ``replication-controllers.json``, each a typed
  list (``Run`` in kubernetes/staging/src/k8s.io/kubectl/pkg/cmd/clusterinfo/
  clusterinfo_dump.go).  That code writes no ``statefulsets.json`` (issue 21 expects one): one
  is read where present; StatefulSets are otherwise known from their pods' owners.
  ``events.json``, ``services.json`` and the pods' logs are not read.

Pods are grouped into one service per owner (the owner reference marked ``controller``):

* a ``ReplicaSet`` belongs to its Deployment.  With the dump's ``replicasets.json`` the
  ReplicaSet's own controller says which; without it, the Deployment's name is the
  ReplicaSet's less ``-<pod-template-hash>``, the pod's label of that name, since the
  Deployment controller names each ReplicaSet ``d.Name + "-" + podTemplateSpecHash``
  (``getNewReplicaSet``, kubernetes/pkg/controller/deployment/sync.go);
* a ``StatefulSet``'s and a ``DaemonSet``'s pods are theirs (a DaemonSet runs one pod per node
  and is never rescheduled: its service keeps one replica per node, the first listed, which
  leaves out the new pod a rolling update with ``maxSurge`` starts beside the old one,
  https://kubernetes.io/docs/tasks/manage-daemon/update-daemon-set/);
* a pod with no controller is a service of its own (kind ``pod``), as is a static pod (its
  controller is its ``Node``);
* a ``Job``'s pods (a CronJob's are its Jobs') are grouped by Job and held on their nodes as
  bare pods (kind ``pod``): a Job's pod finishes, and a Job re-runs one lost with its node
  (https://kubernetes.io/docs/concepts/workloads/controllers/job/#handling-pod-and-container-failures),
  which the scenario, of services that run for ever, does not; the summary says so;
* other owners (a custom resource) are noted by kind, and their pods grouped and held the
  same way: the app models no other controller.

Pods of one owner may differ in requests (a rolling update, a vertical autoscaler): the
service takes the largest CPU and the largest memory found, since every replica must fit, and
the summary counts such services; each replica keeps its own request too, which is what a pod
held on its node takes off it.  The image and the tolerations are the first pod's.

A pod list is read by the fast reader (pod_list.py, with msgspec) where it takes the file,
else, and for every other file, by the careful one (json_input.py); both run the same checks,
so an import's result does not depend on which read a file.

Secrets, environment values, command lines and annotations are never read, so never copied.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from vmc_gui.model.imported import (
    ImportedCluster,
    ImportedHost,
    ImportedService,
    ImportProblem,
    ImportSummary,
    Placement,
)
from vmc_gui.model.importing import quantities as q
from vmc_gui.model.importing.json_input import (
    JsonPath,
    as_object,
    gc_paused,
    get_array,
    get_object,
    get_string,
    parse_json,
    read_bytes,
    require_string,
)
from vmc_gui.model.importing.kubernetes_nodes import read_node
from vmc_gui.model.importing.kubernetes_pods import (
    MAX_NAMESPACE_CHARS,
    PodRecord,
    controller_of,
    read_pod,
)

try:  # the fast reader of pod lists; without msgspec the careful reader reads every file
    from vmc_gui.model.importing import pod_list
except ImportError:  # pragma: no cover
    pod_list = None  # type: ignore[assignment]

#: The files of a cluster-info dump read per namespace (clusterinfo_dump.go names them).
DUMP_FILES = (
    "replicasets.json",
    "deployments.json",
    "statefulsets.json",
    "daemonsets.json",
    "replication-controllers.json",
    "pods.json",
)
#: Workload kinds whose objects are counted (to note those with no pods).
WORKLOADS = {
    "Deployment": "deployment",
    "StatefulSet": "statefulset",
    "DaemonSet": "daemonset",
}
#: What the summary's "read" counts services as, by kind.
READ_AS = {
    "deployment": "deployments",
    "statefulset": "statefulsets",
    "daemonset": "daemonsets",
    "pod": "standalone pods",
}

#: Kinds named in the summary's notes; any further kinds share one line.
MAX_KINDS_NAMED = 8

DUPLICATE_NODES = "nodes listed twice (the first kept)"
DUPLICATE_PODS = "pods listed twice (the first kept)"
UNSCHEDULED = "pods not scheduled yet (no node)"
UNKNOWN_NODE = "pods on nodes not in the import"
DIFFERENT_REQUESTS = "services whose pods differ in requests (the largest of each taken)"
DIFFERENT_IMAGES = "services whose pods run different images (the first pod's taken)"
DAEMONSET_EXTRA = "DaemonSet pods beyond one per node (left out)"
BARE_REPLICASET = "ReplicaSets with no Deployment (each taken as a Deployment of its name)"
REPLICATION_CONTROLLER = "ReplicationController pods (taken as Deployments)"
STATIC_PODS = "static pods (owned by their node: each its own service, never rescheduled)"
JOB_PODS = (
    "Job pods (held on their nodes like bare pods: a Job re-runs a pod lost with its node, "
    "the scenario does not)"
)
DIFFERENT_TOLERATIONS = "services whose pods differ in tolerations (the first pod's taken)"


def import_kubernetes(paths: Sequence[str | Path], *, fast: bool = True) -> ImportedCluster:
    """The cluster in the kubectl exports at ``paths`` (files and dump directories, mixed).

    Raises :class:`ImportProblem` (one, naming the file and the JSON path) for anything it
    cannot read; what it reads but cannot model is counted in the result's summary.
    ``fast=False`` reads every file with the careful reader alone, as without msgspec (the
    benchmark and the tests compare the two).
    """
    if not paths:
        raise ImportProblem("kubernetes", "", "nothing to import: give kubectl's JSON or a dump")
    reader = _Reader(fast=fast)
    with gc_paused():  # the parsed files are trees: see json_input.gc_paused
        for path in paths:
            path = Path(path)
            if path.is_dir():
                for file, namespace in _dump_files(path):
                    reader.read_file(file, namespace)
            else:
                reader.read_file(path, "default")
        return reader.cluster(", ".join(str(p) for p in paths))


def _dump_files(directory: Path) -> list[tuple[Path, str]]:
    """The files of a ``kubectl cluster-info dump`` read, each with its namespace."""
    name = str(directory)
    if not (directory / "nodes.json").is_file():
        if (directory / "nodes.yaml").is_file() or (directory / "nodes.txt").is_file():
            raise ImportProblem(
                name,
                "",
                "a cluster-info dump not written as JSON: dump it with the default "
                "output (kubectl cluster-info dump --output-directory DIR)",
            )
        raise ImportProblem(
            name,
            "",
            "not a kubectl cluster-info dump: it has no nodes.json "
            "(kubectl cluster-info dump --all-namespaces --output-directory DIR writes one)",
        )
    try:
        namespaces = sorted(p for p in directory.iterdir() if p.is_dir())
    except OSError as error:
        raise ImportProblem(name, "", f"cannot be listed ({error.strerror})") from None
    files = [(directory / "nodes.json", "default")]
    for folder in namespaces:
        files += [(folder / f, folder.name) for f in DUMP_FILES if (folder / f).is_file()]
    return files


@dataclass(slots=True)
class _Reader:
    """What the files read so far hold: nodes, pods, and the owners needed to group pods."""

    summary: ImportSummary = field(default_factory=ImportSummary)
    hosts: dict[str, ImportedHost] = field(default_factory=dict)
    pods: dict[tuple[str, str], PodRecord] = field(default_factory=dict)
    #: (namespace, ReplicaSet) -> its controller's (kind, name), ("", "") for none.
    replicasets: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    #: (service kind, namespace, name) of the Deployments, StatefulSets and DaemonSets listed.
    workloads: set[tuple[str, str, str]] = field(default_factory=set)
    kinds_named: set[str] = field(default_factory=set)
    #: Whether pod lists go to the fast reader first (where msgspec is installed).
    fast: bool = True
    #: What the fast reader decoded and computed, by text, across the files read.
    parts: Any = field(default_factory=lambda: pod_list.RawParts() if pod_list else None)

    def read_file(self, path: Path, namespace: str) -> None:
        data = read_bytes(path)
        if self._read_pod_list(data, path, namespace):
            return
        at = JsonPath(str(path))
        document = as_object(parse_json(data, str(path)), at)
        del data
        self.summary.read["files"] += 1
        kind = get_string(document, "kind", at, limit=100)
        if not kind:
            (at / "kind").fail(
                "missing: not an object kubectl printed (kubectl get nodes -o json, "
                "kubectl get pods -A -o json)"
            )
        if kind == "List" or (kind.endswith("List") and "items" in document):
            item_kind = "" if kind == "List" else kind.removesuffix("List")
            items_at = at / "items"
            for i, item in enumerate(get_array(document, "items", at)):
                self.read_object(item, items_at / i, item_kind, namespace)
        else:
            self.read_object(document, at, kind, namespace)

    def read_object(self, value: Any, at: JsonPath, kind: str, namespace: str) -> None:
        item = as_object(value, at)
        if not kind:  # an item of a List carries its kind
            kind = get_string(item, "kind", at, limit=100)
            if not kind:
                (at / "kind").fail("missing: each item of a List names its kind")
        if kind == "Node":
            host = read_node(item, at, self.summary)
            if host.name in self.hosts:
                self.summary.note(DUPLICATE_NODES)
            else:
                self.hosts[host.name] = host
        elif kind == "Pod":
            pod = read_pod(item, at, self.summary, namespace)
            if pod is not None:
                self._add_pod(pod)
        elif kind == "ReplicaSet":
            meta = get_object(item, "metadata", at)
            name = require_string(meta, "name", at / "metadata")
            space = get_string(meta, "namespace", at / "metadata", namespace, MAX_NAMESPACE_CHARS)
            self.replicasets[space, name] = controller_of(meta, at / "metadata", self.summary)
        elif kind in WORKLOADS:
            meta = get_object(item, "metadata", at)
            name = require_string(meta, "name", at / "metadata")
            space = get_string(meta, "namespace", at / "metadata", namespace, MAX_NAMESPACE_CHARS)
            self.workloads.add((WORKLOADS[kind], space, name))
        elif kind != "ReplicationController":  # its pods say all the import needs of it
            # A Service, a ConfigMap, a Secret...: not read beyond its kind.
            self.note_kind("{kind} objects not read (the import models nodes and pods)", kind)

    def _read_pod_list(self, data: bytes, path: Path, namespace: str) -> bool:
        """Read a pod list with the fast reader (pod_list.py), if it takes the file and finds
        nothing wrong in it; False otherwise, leaving the file to the careful reader, whose
        checks are the same and which names any problem with the file and the JSON path."""
        if pod_list is None or not self.fast:
            return False
        items = pod_list.read_pod_list(data)
        if items is None:
            return False
        items_at = JsonPath(str(path)) / "items"
        summary = ImportSummary()
        pods = []
        try:
            for i, item in enumerate(items):
                pod = read_pod(item, (items_at, i), summary, namespace, self.parts)
                if pod is not None:
                    pods.append(pod)
        except (ValueError, RecursionError, TypeError):  # ImportProblem is a ValueError
            return False
        self.summary.read["files"] += 1
        self.summary.notes.update(summary.notes)
        for pod in pods:
            self._add_pod(pod)
        return True

    def _add_pod(self, pod: PodRecord) -> None:
        if (pod.namespace, pod.name) in self.pods:
            self.summary.note(DUPLICATE_PODS)
        else:
            self.pods[pod.namespace, pod.name] = pod

    def cluster(self, source: str) -> ImportedCluster:
        if not self.hosts:
            raise ImportProblem(
                source, "", "no nodes found: import kubectl get nodes -o json with the pods"
            )
        self.summary.read["nodes"] = len(self.hosts)
        self.summary.read["pods"] = len(self.pods)
        # Grouped by the owner's own kind too: a bare pod "backup" and a Job "backup" (both
        # taken as pods), or a ReplicationController and a Deployment of one name, are two
        # owners, so two services.
        groups: dict[tuple[str, str, str, str], list[PodRecord]] = {}
        for pod in self.pods.values():
            kind, name = self._owner(pod)
            groups.setdefault((pod.namespace, kind, name, pod.owner_kind), []).append(pod)
            if not pod.node:
                self.summary.note(UNSCHEDULED)
            elif pod.node not in self.hosts:
                self.summary.note(UNKNOWN_NODE)
        made = [(self._service(key, pods), key[3]) for key, pods in groups.items()]
        # A Deployment and a StatefulSet may share a name; the service names must not: each
        # is told by its owner's kind ("backup (job)", "backup (pod)").
        counts = Counter(s.name for s, _ in made)
        services = [
            replace(s, name=f"{s.name} ({_label(s.kind, owner)})") if counts[s.name] > 1 else s
            for s, owner in made
        ]
        services.sort(key=lambda s: s.name)
        for what in READ_AS.values():  # listed in this order, whatever the services' order
            self.summary.read[what] += 0
        for service in services:
            self.summary.read[READ_AS[service.kind]] += 1
        found = {(kind, space, name) for space, kind, name, _ in groups}
        for kind, _space, _name in sorted(self.workloads - found):
            self.summary.note(f"{kind.capitalize()}s with no pods (left out)")
        return ImportedCluster(
            source="kubernetes",
            hosts=tuple(self.hosts.values()),
            services=tuple(services),
            summary=self.summary,
        )

    def note_kind(self, reason: str, kind: str) -> None:
        """Note ``reason`` naming ``kind``, for the first few kinds met; a file listing
        thousands of made-up kinds gets one line for the rest, not a line each."""
        if kind not in self.kinds_named and len(self.kinds_named) >= MAX_KINDS_NAMED:
            kind = "other kind"
        else:
            self.kinds_named.add(kind)
        self.summary.note(reason.format(kind=kind))

    def _owner(self, pod: PodRecord) -> tuple[str, str]:
        """The service a pod belongs to: its kind ("deployment"...) and its owner's name."""
        kind, name = pod.owner_kind, pod.owner_name
        if kind == "ReplicaSet":
            owner = self.replicasets.get((pod.namespace, name))
            if owner is not None:
                if owner == ("", ""):
                    self.summary.note(BARE_REPLICASET)
                    return "deployment", name
                if owner[0] != "Deployment":
                    self.note_kind("ReplicaSets owned by a {kind} (taken as Deployments)", owner[0])
                return "deployment", owner[1]
            suffix = "-" + pod.template_hash
            if pod.template_hash and name.endswith(suffix) and len(name) > len(suffix):
                return "deployment", name.removesuffix(suffix)
            self.summary.note(BARE_REPLICASET)
            return "deployment", name
        if kind in WORKLOADS:
            return WORKLOADS[kind], name
        if kind == "ReplicationController":
            self.summary.note(REPLICATION_CONTROLLER)
            return "deployment", name
        if kind == "Node":
            self.summary.note(STATIC_PODS)
            return "pod", pod.name
        if kind == "Job":  # a CronJob's pods are its Jobs'
            self.summary.note(JOB_PODS)
            return "pod", name
        if kind:
            self.note_kind(
                "pods owned by a {kind} (not modelled: grouped by owner, taken as bare pods)", kind
            )
            return "pod", name
        return "pod", pod.name

    def _service(self, key: tuple[str, str, str, str], pods: list[PodRecord]) -> ImportedService:
        namespace, kind, name, _ = key
        if kind == "daemonset":
            pods = self._one_per_node(pods)
        cpu = max(p.cpu for p in pods)
        memory = max(p.memory for p in pods)
        first = pods[0]
        if any(p.cpu != first.cpu or p.memory != first.memory for p in pods):
            self.summary.note(DIFFERENT_REQUESTS)
        if any(p.image != first.image for p in pods):
            self.summary.note(DIFFERENT_IMAGES)
        if any(p.tolerations != first.tolerations for p in pods):
            self.summary.note(DIFFERENT_TOLERATIONS)
        return ImportedService(
            name=f"{namespace}/{name}",
            kind=kind,
            namespace=namespace,
            cpu=q.cores(cpu),
            memory_mb=q.megabytes(memory),
            image=first.image,
            replicas=tuple(
                Placement(p.name, p.node, p.phase, q.cores(p.cpu), q.megabytes(p.memory))
                for p in pods
            ),
            tolerations=first.tolerations,
        )

    def _one_per_node(self, pods: list[PodRecord]) -> list[PodRecord]:
        seen: set[str] = set()
        kept = []
        for pod in pods:
            if pod.node and pod.node in seen:
                self.summary.note(DAEMONSET_EXTRA)
                continue
            seen.add(pod.node)
            kept.append(pod)
        return kept


def _label(kind: str, owner_kind: str) -> str:
    """What tells two services of one name apart: the owner's kind where it is not the
    service's own ("job", "replicationcontroller"), else the service's kind."""
    if not owner_kind or owner_kind in ("ReplicaSet", "Node"):
        return kind
    return owner_kind.lower()
