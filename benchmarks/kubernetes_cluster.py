"""A generated Kubernetes export at scale, for ``bench_import.py`` and the importer's tests.

``generate(nodes, pods)`` builds what ``kubectl get nodes -o json`` and ``kubectl get pods -A
-o json`` print for a cluster of that size, in the same shapes as the hand-written fixtures in
``tests/import/kubernetes/`` (a ``List`` of items with their ``kind``; the fields a running pod
has: owner references, labels, tolerations, a projected token volume, container statuses, five
conditions), and ``write`` writes them as kubectl does: keys sorted, indented by four spaces.

The cluster, for 1,000 nodes and 30,000 pods:

* nodes in three zones of one region, 70 % with 7910m and 31127824Ki allocatable (an
  m5.2xlarge) and 30 % with 15890m and 63221840Ki (an m5.4xlarge); every 50th tainted
  ``dedicated=batch:NoSchedule``, every 200th not ready;
* three DaemonSets (one pod per node each), 20 StatefulSets of 5, 20 bare pods, 300 finished
  Job pods, and Deployments of 10 to 50 replicas for the rest, 100 of their pods pending; one
  Deployment in ten has a regular init container and a sidecar, one in twenty no requests.

``Plan`` records what was generated, so a test can check the import against it.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ZONES = ("eu-west-1a", "eu-west-1b", "eu-west-1c")
SMALL = ("7910m", "31127824Ki", "8", "32761680Ki", "m5.2xlarge")
LARGE = ("15890m", "63221840Ki", "16", "64855632Ki", "m5.4xlarge")
DAEMONSETS = (
    ("kube-system", "kube-proxy", "100m", "64Mi"),
    ("monitoring", "node-exporter", "102m", "180Mi"),
    ("logging", "fluent-bit", "50m", "100Mi"),
)
CPU_STEPS = ("50m", "100m", "250m", "500m", "1", "2")
MEMORY_STEPS = ("64Mi", "128Mi", "256Mi", "512Mi", "1Gi", "2Gi")
HEARTBEAT = {
    "lastHeartbeatTime": "2026-12-01T09:58:41Z",
    "lastTransitionTime": "2026-11-30T08:14:02Z",
}
DEFAULT_TOLERATIONS = [
    {
        "effect": "NoExecute",
        "key": "node.kubernetes.io/not-ready",
        "operator": "Exists",
        "tolerationSeconds": 300,
    },
    {
        "effect": "NoExecute",
        "key": "node.kubernetes.io/unreachable",
        "operator": "Exists",
        "tolerationSeconds": 300,
    },
]


@dataclass
class Plan:
    """What ``generate`` made: counts by kind, for checking an import against."""

    nodes: int = 0
    pods: int = 0
    finished: int = 0
    pending: int = 0
    services: dict[str, int] = field(default_factory=dict)


def node_name(i: int) -> str:
    return f"ip-10-{i // 250}-{i % 250}-{17 + i % 200}.eu-west-1.compute.internal"


def _node(i: int) -> dict[str, Any]:
    cpu, memory, capacity_cpu, capacity_memory, instance = LARGE if i % 10 < 3 else SMALL
    name, zone = node_name(i), ZONES[i % 3]
    ready = i % 200 != 199
    node: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "annotations": {"node.alpha.kubernetes.io/ttl": "0"},
            "creationTimestamp": "2026-11-30T08:12:55Z",
            "labels": {
                "kubernetes.io/arch": "amd64",
                "kubernetes.io/hostname": name,
                "kubernetes.io/os": "linux",
                "node.kubernetes.io/instance-type": instance,
                "topology.kubernetes.io/region": "eu-west-1",
                "topology.kubernetes.io/zone": zone,
            },
            "name": name,
            "resourceVersion": str(480000 + i),
            "uid": f"6f1d2c3b-8a1e-4d7f-9c2a-{i:012d}",
        },
        "spec": {
            "podCIDR": f"10.{100 + i // 250}.{i % 250}.0/24",
            "providerID": f"aws:///{zone}/i-{i:017x}",
        },
        "status": {
            "allocatable": {
                "cpu": cpu,
                "ephemeral-storage": "95491281146",
                "hugepages-1Gi": "0",
                "hugepages-2Mi": "0",
                "memory": memory,
                "pods": "110",
            },
            "capacity": {
                "cpu": capacity_cpu,
                "ephemeral-storage": "103584776Ki",
                "hugepages-1Gi": "0",
                "hugepages-2Mi": "0",
                "memory": capacity_memory,
                "pods": "110",
            },
            "conditions": [
                {
                    **HEARTBEAT,
                    "message": "kubelet has sufficient memory available",
                    "reason": "KubeletHasSufficientMemory",
                    "status": "False",
                    "type": "MemoryPressure",
                },
                {
                    **HEARTBEAT,
                    "message": "kubelet is posting ready status"
                    if ready
                    else "Kubelet stopped posting node status.",
                    "reason": "KubeletReady" if ready else "NodeStatusUnknown",
                    "status": "True" if ready else "Unknown",
                    "type": "Ready",
                },
            ],
            "nodeInfo": {
                "containerRuntimeVersion": "containerd://1.7.22",
                "kubeletVersion": "v1.31.2",
                "operatingSystem": "linux",
                "osImage": "Amazon Linux 2023",
            },
        },
    }
    taints = []
    if i % 50 == 49:
        taints.append({"effect": "NoSchedule", "key": "dedicated", "value": "batch"})
    if not ready:
        taints.append({"effect": "NoExecute", "key": "node.kubernetes.io/unreachable"})
    if taints:
        node["spec"]["taints"] = taints
    return node


def _container(name: str, image: str, cpu: str | None, memory: str | None) -> dict[str, Any]:
    resources: dict[str, Any] = {}
    if cpu is not None:
        resources = {"limits": {"memory": memory}, "requests": {"cpu": cpu, "memory": memory}}
    return {
        "env": [
            {"name": "LOG_LEVEL", "value": "info"},
            {
                "name": "DB_PASSWORD",
                "valueFrom": {"secretKeyRef": {"key": "password", "name": name}},
            },
        ],
        "image": image,
        "imagePullPolicy": "IfNotPresent",
        "name": name,
        "ports": [{"containerPort": 8080, "name": "http", "protocol": "TCP"}],
        "resources": resources,
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
        "volumeMounts": [
            {
                "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                "name": "kube-api-access",
                "readOnly": True,
            }
        ],
    }


def _pod(
    n: int,
    namespace: str,
    name: str,
    node: str,
    owner: tuple[str, str] | None,
    labels: dict[str, str],
    containers: list[dict[str, Any]],
    phase: str = "Running",
    init: list[dict[str, Any]] | None = None,
    tolerations: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "creationTimestamp": "2026-12-01T08:01:05Z",
        "labels": labels,
        "name": name,
        "namespace": namespace,
        "resourceVersion": str(510000 + n),
        "uid": f"0a1b2c3d-0000-4000-8000-{n:012d}",
    }
    if owner is not None:
        meta["generateName"] = owner[1] + "-"
        meta["ownerReferences"] = [
            {
                "apiVersion": "batch/v1" if owner[0] == "Job" else "apps/v1",
                "blockOwnerDeletion": True,
                "controller": True,
                "kind": owner[0],
                "name": owner[1],
                "uid": f"9f8e7d6c-0000-4000-8000-{n:012d}",
            }
        ]
    spec: dict[str, Any] = {
        "containers": containers,
        "dnsPolicy": "ClusterFirst",
        "enableServiceLinks": True,
        "preemptionPolicy": "PreemptLowerPriority",
        "priority": 0,
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {},
        "serviceAccount": "default",
        "serviceAccountName": "default",
        "terminationGracePeriodSeconds": 30,
        "tolerations": tolerations if tolerations is not None else DEFAULT_TOLERATIONS,
        "volumes": [
            {
                "name": "kube-api-access",
                "projected": {
                    "defaultMode": 420,
                    "sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}
                    ],
                },
            }
        ],
    }
    if init:
        spec["initContainers"] = init
    status: dict[str, Any] = {
        "phase": phase,
        "qosClass": "Burstable",
        "startTime": "2026-12-01T08:01:05Z",
    }
    if node:
        spec["nodeName"] = node
        ip = f"10.{100 + n // 62500}.{n // 250 % 250}.{n % 250 + 2}"
        status |= {
            "conditions": [
                {
                    "lastProbeTime": None,
                    "lastTransitionTime": "2026-12-01T08:01:09Z",
                    "status": "True",
                    "type": kind,
                }
                for kind in (
                    "PodReadyToStartContainers",
                    "Initialized",
                    "Ready",
                    "ContainersReady",
                    "PodScheduled",
                )
            ],
            "containerStatuses": [
                {
                    "containerID": f"containerd://{n:064x}",
                    "image": c["image"],
                    "imageID": c["image"] + "@sha256:" + "7" * 64,
                    "lastState": {},
                    "name": c["name"],
                    "ready": True,
                    "restartCount": 0,
                    "started": True,
                    "state": {"running": {"startedAt": "2026-12-01T08:01:08Z"}},
                }
                for c in containers
            ],
            "hostIP": "10.0.0.1",
            "podIP": ip,
            "podIPs": [{"ip": ip}],
        }
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}


def generate(
    nodes: int = 1000, pods: int = 30000, seed: int = 21
) -> tuple[dict[str, Any], dict[str, Any], Plan]:
    """The node list, the pod list, and the plan they follow."""
    rng = random.Random(seed)
    names = [node_name(i) for i in range(nodes)]
    plan = Plan(nodes=nodes)
    items: list[dict[str, Any]] = []

    def add(pod: dict[str, Any]) -> None:
        items.append(pod)

    for namespace, name, cpu, memory in DAEMONSETS:
        image = f"registry.example.com/{name}:1.0"
        for i, node in enumerate(names):
            labels = {"app": name, "pod-template-generation": "1"}
            containers = [_container(name, image, cpu, memory)]
            owner = ("DaemonSet", name)
            everything = [{"operator": "Exists"}]
            pod_name = f"{name}-{i:05x}"
            add(
                _pod(
                    len(items),
                    namespace,
                    pod_name,
                    node,
                    owner,
                    labels,
                    containers,
                    tolerations=everything,
                )
            )
    plan.services["daemonset"] = len(DAEMONSETS)
    for s in range(20):
        name = f"db-{s}"
        for i in range(5):
            labels = {"app": name, "statefulset.kubernetes.io/pod-name": f"{name}-{i}"}
            containers = [_container("db", "registry.example.com/postgres:16.4", "1", "2Gi")]
            node = rng.choice(names)
            add(
                _pod(
                    len(items),
                    f"data-{s % 4}",
                    f"{name}-{i}",
                    node,
                    ("StatefulSet", name),
                    labels,
                    containers,
                )
            )
    plan.services["statefulset"] = 20
    for b in range(20):
        containers = [_container("toolbox", "busybox:1.36", "50m", "64Mi")]
        node = rng.choice(names)
        add(_pod(len(items), "default", f"toolbox-{b}", node, None, {"run": "toolbox"}, containers))
    for j in range(300):
        job = f"report-{j}"
        containers = [_container("report", "registry.example.com/report:3", "500m", "512Mi")]
        node = rng.choice(names)
        labels = {"job-name": job}
        add(
            _pod(
                len(items),
                "batch",
                f"{job}-x7k2p",
                node,
                ("Job", job),
                labels,
                containers,
                "Succeeded",
            )
        )
    plan.finished = 300
    plan.services["pod"] = 20
    deployments = pending = 0
    while len(items) < pods:
        name = f"app-{deployments}"
        template_hash = f"{rng.getrandbits(40):010x}"[:10]
        replicas = min(rng.randint(10, 50), pods - len(items))
        cpu, memory = rng.choice(CPU_STEPS), rng.choice(MEMORY_STEPS)
        if deployments % 20 == 19:
            cpu = memory = None  # no requests
        init = None
        if deployments % 10 == 3:
            init = [
                _container("migrate", "registry.example.com/migrate:1", "1", "256Mi"),
                _container("proxy", "registry.example.com/proxy:1", "100m", "64Mi"),
            ]
            init[1]["restartPolicy"] = "Always"
        for r in range(replicas):
            node, phase = rng.choice(names), "Running"
            if pending < 100 and deployments % 7 == 5 and r == 0:
                node, phase = "", "Pending"
                pending += 1
            image = f"registry.example.com/{name}:2.{deployments % 9}"
            add(
                _pod(
                    len(items),
                    f"team-{deployments % 30}",
                    f"{name}-{template_hash}-{r:05x}",
                    node,
                    ("ReplicaSet", f"{name}-{template_hash}"),
                    {"app": name, "pod-template-hash": template_hash},
                    [_container(name, image, cpu, memory)],
                    phase=phase,
                    init=init,
                )
            )
        deployments += 1
    plan.services["deployment"] = deployments
    plan.pods = len(items)
    plan.pending = pending
    node_list = {
        "apiVersion": "v1",
        "items": [_node(i) for i in range(nodes)],
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    }
    pod_list = {
        "apiVersion": "v1",
        "items": items,
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    }
    return node_list, pod_list, plan


def write(folder: Path, nodes: int = 1000, pods: int = 30000) -> tuple[list[Path], Plan]:
    """Write ``nodes.json`` and ``pods.json`` into ``folder`` as kubectl writes them."""
    node_list, pod_list, plan = generate(nodes, pods)
    paths = [folder / "nodes.json", folder / "pods.json"]
    for path, document in zip(paths, (node_list, pod_list), strict=True):
        with open(path, "w") as file:
            json.dump(document, file, indent=4, sort_keys=True)
            file.write("\n")
    return paths, plan
