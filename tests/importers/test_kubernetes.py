"""The Kubernetes importer on realistic exports (tests/import/kubernetes/): nodes, services,
effective requests computed by hand, owners, the summary, and what is never copied."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from vmc_gui.model.imported import ImportProblem, Placement, Taint, Toleration
from vmc_gui.model.importing.json_input import JsonPath
from vmc_gui.model.importing.kubernetes import JOB_PODS, import_kubernetes
from vmc_gui.model.importing.kubernetes_pods import pod_request

FIXTURES = Path(__file__).resolve().parent.parent / "import" / "kubernetes"
NODES, PODS, DUMP = FIXTURES / "nodes.json", FIXTURES / "pods.json", FIXTURES / "dump"
#: Written into the fixtures' env values, secret references, commands and annotations.
SECRET = "SECRET-MARKER-never-copy"
A1, A2 = "ip-10-0-1-17.eu-west-1.compute.internal", "ip-10-0-1-42.eu-west-1.compute.internal"
B1, B2 = "ip-10-0-2-23.eu-west-1.compute.internal", "ip-10-0-2-61.eu-west-1.compute.internal"
DEFAULT_TOLERATIONS = (
    Toleration("node.kubernetes.io/not-ready", "Exists", "", "NoExecute", 300.0),
    Toleration("node.kubernetes.io/unreachable", "Exists", "", "NoExecute", 300.0),
)
MB = 2**20


@pytest.fixture(scope="module")
def cluster():
    return import_kubernetes([NODES, PODS])


def _services(cluster):
    return {s.name: s for s in cluster.services}


def test_nodes_as_kubectl_prints_them(cluster):
    assert cluster.source == "kubernetes"
    assert [h.name for h in cluster.hosts] == [A1, A2, B1, B2]
    a1, a2, b1, b2 = cluster.hosts
    # allocatable 7910m and 31127824Ki; capacity 8 and 32761680Ki (KiB / 1024 = MB of 2**20)
    assert (a1.cores, a1.memory_mb, a1.pods) == (7.91, 31127824 / 1024, 110)
    assert a1.memory_mb == 30398.265625
    assert (a1.capacity_cores, a1.capacity_memory_mb) == (8.0, 31993.828125)
    assert (b1.cores, b1.memory_mb, b1.capacity_cores) == (15.89, 63221840 / 1024, 16.0)
    assert [(h.zone, h.region) for h in cluster.hosts] == [
        ("eu-west-1a", "eu-west-1"),
        ("eu-west-1a", "eu-west-1"),
        ("eu-west-1b", "eu-west-1"),
        ("eu-west-1b", "eu-west-1"),
    ]
    assert a1.taints == () and b1.taints == ()
    assert a2.taints == (Taint("dedicated", "batch", "NoSchedule"),)
    assert b2.taints == (
        Taint("node.kubernetes.io/unreachable", "", "NoSchedule"),
        Taint("node.kubernetes.io/unreachable", "", "NoExecute"),
    )
    # b2's Ready condition is "Unknown" (NodeStatusUnknown: the kubelet stopped posting).
    assert [h.ready for h in cluster.hosts] == [True, True, True, False]


def test_services_one_per_owner(cluster):
    services = _services(cluster)
    assert sorted(services) == [
        "batch/nightly-export-28891230",
        "default/toolbox",
        "monitoring/node-exporter",
        "shop/checkout",
        "shop/legacy-report",
        "shop/postgres",
        "shop/web",
    ]
    kinds = {name: s.kind for name, s in services.items()}
    assert kinds == {
        "batch/nightly-export-28891230": "pod",  # a Job: not modelled, taken as a bare pod
        "default/toolbox": "pod",
        "monitoring/node-exporter": "daemonset",
        "shop/checkout": "deployment",
        "shop/legacy-report": "deployment",
        "shop/postgres": "statefulset",
        "shop/web": "deployment",
    }
    assert all(s.namespace == s.name.split("/")[0] for s in cluster.services)


def test_a_deployment_from_its_replicaset_and_pod_template_hash(cluster):
    web = _services(cluster)["shop/web"]
    # ReplicaSet web-7d4b9c6f5d, label pod-template-hash=7d4b9c6f5d: Deployment "web".
    assert (web.cpu, web.memory_mb) == (0.25, 256.0)  # requests 250m, 256Mi (not the limits)
    assert web.image == "registry.example.com/shop/web:2.4.1"
    assert web.replicas == (
        Placement("web-7d4b9c6f5d-x2kqp", A1, "Running", 0.25, 256.0),
        Placement("web-7d4b9c6f5d-8hmrt", B1, "Running", 0.25, 256.0),
        Placement("web-7d4b9c6f5d-qz5wd", A1, "Running", 0.25, 256.0),
        Placement("web-7d4b9c6f5d-p9c2l", "", "Pending", 0.25, 256.0),
    )
    assert web.tolerations == DEFAULT_TOLERATIONS


def test_init_containers_sidecars_and_overhead(cluster):
    # The checkout pod, in spec order:
    #   initContainers: log-shipper (sidecar, restartPolicy Always) 100m  64Mi
    #                   migrate     (regular)                     1      512Mi
    #                   proxy       (sidecar)                       200m 128Mi
    #   containers:     checkout                                    500m 768Mi
    #   overhead (RuntimeClass kata-fc)                             250m 120Mi
    # CPU: app and sidecars 500 + 100 + 200 = 800m.  Init phase: log-shipper alone 100m;
    # migrate 1000m + the sidecar started before it (100m) = 1100m; proxy with log-shipper
    # 300m.  max(800m, 1100m) = 1100m, + 250m overhead = 1350m = 1.35 cores.
    # Memory: 768 + 64 + 128 = 960Mi; init phase at most 512 + 64 = 576Mi; max 960Mi,
    # + 120Mi = 1080Mi = 1080 MB.
    # (The Init Containers page's rule, which leaves out the sidecars started before migrate,
    # would give max(800m, 1000m) + 250m = 1250m.)
    checkout = _services(cluster)["shop/checkout"]
    assert (checkout.cpu, checkout.memory_mb) == (1.35, 1080.0)
    assert checkout.image == "registry.example.com/shop/checkout:1.8.0"
    assert [p.host for p in checkout.replicas] == [A1, B1]


def _pod_spec(name: str) -> dict:
    items = json.loads(PODS.read_text())["items"]
    return copy.deepcopy(next(i for i in items if i["metadata"]["name"] == name)["spec"])


def test_the_order_of_init_containers_matters():
    spec = _pod_spec("checkout-5f6c8d9b7-h7gx4")
    at = JsonPath("pods.json")
    assert pod_request(spec, at).cpu == 1_350_000_000
    # With migrate first, no sidecar runs beside it: max(800m, 1000m) + 250m = 1250m.
    spec["initContainers"].insert(0, spec["initContainers"].pop(1))
    assert pod_request(spec, at).cpu == 1_250_000_000
    # Without the overhead: 1000m; the memory is the app phase's 960Mi either way.
    del spec["overhead"]
    request = pod_request(spec, at)
    assert (request.cpu, request.memory) == (10**9, 960 * MB * 10**9)


def test_the_pod_overhead_docs_example():
    # https://kubernetes.io/docs/concepts/scheduling-eviction/pod-overhead/: test-pod's two
    # containers set limits only (500m/100Mi and 1500m/100Mi), so they request their limits;
    # with the kata-fc overhead (250m, 120Mi) "the scheduler ... looks for a node that has 2.25
    # CPU and 320 MiB of memory available", and `kubectl describe node` shows 2250m and 320Mi.
    spec = {
        "runtimeClassName": "kata-fc",
        "containers": [
            {"name": "busybox-ctr", "image": "busybox:1.28", "stdin": True, "tty": True,
             "resources": {"limits": {"cpu": "500m", "memory": "100Mi"}}},
            {"name": "nginx-ctr", "image": "nginx",
             "resources": {"limits": {"cpu": "1500m", "memory": "100Mi"}}},
        ],
        "overhead": {"cpu": "250m", "memory": "120Mi"},
    }  # fmt: skip
    request = pod_request(spec, JsonPath("test-pod.json"))
    assert request.cpu == 2_250_000_000
    assert request.memory == 320 * MB * 10**9
    assert request.has_limits and request.overhead and request.has_cpu and request.has_memory


def test_limits_default_requests_for_init_containers_too():
    spec = {
        "initContainers": [{"name": "i", "resources": {"limits": {"cpu": "2", "memory": "1Gi"}}}],
        "containers": [
            {"name": "c", "resources": {"requests": {"cpu": "1"}, "limits": {"cpu": "3"}}}
        ],
    }
    request = pod_request(spec, JsonPath("p.json"))
    # The init container requests its limits (SetDefaults_Pod); the app container keeps its
    # request of 1 (a request wins over a limit).
    assert (request.cpu, request.memory) == (2 * 10**9, 1024 * MB * 10**9)


def test_pod_level_requests_replace_the_containers():
    spec = {
        "resources": {"requests": {"cpu": "3"}},
        "containers": [{"name": "c", "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}],
        "overhead": {"cpu": "100m"},
    }
    request = pod_request(spec, JsonPath("p.json"))
    assert (request.cpu, request.memory) == (3_100_000_000, 1024 * MB * 10**9)
    assert request.pod_level


def test_statefulset_daemonset_bare_pod_and_no_requests(cluster):
    services = _services(cluster)
    postgres = services["shop/postgres"]
    # postgres-1 is being resized in place, from 2 CPUs down to the 1 its spec now asks:
    # its container still runs with 2 (status.containerStatuses[0].resources), so the
    # scheduler counts 2, and the service takes the larger of its pods'.
    assert (postgres.cpu, postgres.memory_mb) == (2.0, 2048.0)
    assert [(p.name, p.cpu) for p in postgres.replicas] == [
        ("postgres-0", 1.0),
        ("postgres-1", 2.0),
    ]
    exporter = services["monitoring/node-exporter"]
    assert (exporter.cpu, exporter.memory_mb) == (0.102, 180.0)
    # One per node: node-exporter-zq7w2, the rolling update's surge pod on A1 beside the old
    # one, is left out.
    assert [p.host for p in exporter.replicas] == [A1, A2, B1, B2]
    assert "node-exporter-zq7w2" not in [p.name for p in exporter.replicas]
    assert exporter.tolerations == (Toleration("", "Exists", "", "", None),)
    toolbox = services["default/toolbox"]
    assert (toolbox.cpu, toolbox.memory_mb, toolbox.replicas) == (
        0.05,
        64.0,
        (Placement("toolbox", A1, "Running", 0.05, 64.0),),
    )
    legacy = services["shop/legacy-report"]
    assert (legacy.cpu, legacy.memory_mb) == (0.0, 0.0)
    job = services["batch/nightly-export-28891230"]
    assert (job.cpu, job.memory_mb, job.replicas[0].host) == (2.0, 4096.0, A2)
    assert job.tolerations[0] == Toleration("dedicated", "Equal", "batch", "NoSchedule", None)


def test_the_summary_counts(cluster):
    assert dict(cluster.summary.read) == {
        "files": 2,
        "nodes": 4,
        "pods": 16,  # 18 in the file: one finished, one being deleted
        "deployments": 3,
        "statefulsets": 1,
        "daemonsets": 1,
        "standalone pods": 2,
    }
    assert dict(cluster.summary.notes) == {
        "DaemonSet pods beyond one per node (left out)": 1,  # the rolling update's surge pod
        "finished pods (Succeeded or Failed) left out: they hold no resources": 1,
        "nodes not ready (their Ready condition is not True)": 1,
        "nodes with resources other than cpu, memory and pods (not modelled)": 4,
        "pods being deleted (Terminating) left out: not counted as their owner's replicas": 1,
        "pods not scheduled yet (no node)": 1,
        "pods resized in place (the larger of spec and status taken, as the scheduler does)": 1,
        JOB_PODS: 1,
        "pods with a nodeSelector (not modelled)": 1,
        "pods with a pod overhead (added to their request)": 2,
        "pods with affinity (not modelled)": 8,  # web's anti-affinity, the DaemonSet's
        "pods with limits (not modelled)": 13,
        "pods without requests (counted as 0 cores, 0 MB)": 1,
        "services whose pods differ in requests (the largest of each taken)": 1,  # postgres
    }
    assert cluster.summary.lines()[0] == (
        "read 2 files, 4 nodes, 16 pods, 3 deployments, 1 statefulsets, 1 daemonsets, "
        "2 standalone pods"
    )


def test_secrets_env_commands_and_annotations_are_never_copied(cluster):
    assert SECRET in PODS.read_text() and SECRET in NODES.read_text()
    assert SECRET not in repr(cluster)
    assert all(SECRET not in line for line in cluster.summary.lines())
    dump = import_kubernetes([DUMP])
    assert SECRET not in repr(dump)


def test_a_cluster_info_dump():
    cluster = import_kubernetes([DUMP])
    assert [(h.name, h.cores, h.zone, h.region, h.ready) for h in cluster.hosts] == [
        ("kind-control-plane", 7.91, "", "", True),
        # only the deprecated failure-domain.beta.kubernetes.io labels: read as the zone
        ("kind-worker", 15.89, "eu-west-1b", "eu-west-1", True),
    ]
    assert cluster.hosts[0].taints == (
        Taint("node-role.kubernetes.io/control-plane", "", "NoSchedule"),
    )
    services = {s.name: (s.kind, s.cpu, s.memory_mb, len(s.replicas)) for s in cluster.services}
    assert services == {
        "default/hello": ("deployment", 0.01, 16.0, 1),
        "kube-system/coredns": ("deployment", 0.1, 70.0, 2),
        "kube-system/kindnet": ("daemonset", 0.1, 50.0, 2),
        "kube-system/kube-apiserver-kind-control-plane": ("pod", 0.25, 0.0, 1),
        # No pod-template-hash label on its pod: only replicasets.json names the Deployment.
        "kube-system/metrics-server": ("deployment", 0.1, 200.0, 1),
    }
    assert cluster.summary.read["files"] == 11  # nodes.json, 5 + 5 per namespace (no events)
    assert dict(cluster.summary.notes) == {
        "Deployments with no pods (left out)": 1,  # kube-system/dashboard, scaled to 0
        "nodes with resources other than cpu, memory and pods (not modelled)": 2,
        "pods with limits (not modelled)": 4,
        "pods without a memory request (counted as 0 MB)": 1,
        "static pods (owned by their node: each its own service, never rescheduled)": 1,
    }


def test_files_and_dumps_mixed(tmp_path):
    cluster = import_kubernetes([DUMP, NODES, str(PODS)])
    assert len(cluster.hosts) == 6
    assert len(cluster.services) == 12
    assert cluster.summary.read["files"] == 13


def test_typed_lists_and_single_objects(tmp_path):
    # The API's NodeList (items without kind), and one Pod as `kubectl get pod NAME -o json`.
    nodes = json.loads(NODES.read_text())
    typed = {"kind": "NodeList", "apiVersion": "v1", "metadata": {}, "items": nodes["items"]}
    for item in typed["items"]:
        del item["kind"], item["apiVersion"]
    (tmp_path / "nodes.json").write_text(json.dumps(typed))
    pod = next(
        i for i in json.loads(PODS.read_text())["items"] if i["metadata"]["name"] == "toolbox"
    )
    (tmp_path / "toolbox.json").write_text(json.dumps(pod))
    cluster = import_kubernetes([tmp_path / "nodes.json", tmp_path / "toolbox.json"])
    assert len(cluster.hosts) == 4
    assert [s.name for s in cluster.services] == ["default/toolbox"]


def test_windows_powershell_utf16_output(tmp_path):
    (tmp_path / "nodes.json").write_bytes(NODES.read_text().encode("utf-16"))
    (tmp_path / "pods.json").write_bytes(PODS.read_bytes())
    cluster = import_kubernetes([tmp_path / "nodes.json", tmp_path / "pods.json"])
    assert cluster.hosts == import_kubernetes([NODES, PODS]).hosts


def _write(path: Path, items: list[dict], kind: str = "List") -> Path:
    path.write_text(json.dumps({"apiVersion": "v1", "kind": kind, "items": items}))
    return path


def _pod(name, owner=None, node=A1, labels=None, cpu="100m", phase="Running", namespace="ns"):
    meta = {"name": name, "namespace": namespace, "labels": labels or {}}
    if owner:
        meta["ownerReferences"] = [{"kind": owner[0], "name": owner[1], "controller": True}]
    container = {"name": "c", "image": "img:" + cpu, "resources": {"requests": {"cpu": cpu}}}
    spec = {"containers": [container], "nodeName": node}
    return {"kind": "Pod", "metadata": meta, "spec": spec, "status": {"phase": phase}}


def test_owners_of_every_kind(tmp_path):
    pods = [
        _pod("api-6b8f7-x", ("ReplicaSet", "api-6b8f7"), labels={"pod-template-hash": "6b8f7"}),
        _pod("api-6b8f7-y", ("ReplicaSet", "api-6b8f7"), labels={"pod-template-hash": "6b8f7"}),
        # an older ReplicaSet of the same Deployment, mid-rollout, with a larger request
        _pod(
            "api-55d9c-z",
            ("ReplicaSet", "api-55d9c"),
            labels={"pod-template-hash": "55d9c"},
            cpu="300m",
        ),
        _pod("lone-rs-q", ("ReplicaSet", "lone-rs")),  # no pod-template-hash: a bare ReplicaSet
        _pod("rc-1", ("ReplicationController", "rc")),
        _pod("etcd-" + A1, ("Node", A1)),
        _pod("job-1", ("Job", "job")),
        _pod("job-2", ("Job", "job")),
        _pod("wf-1", ("Workflow", "wf")),
        _pod("gc-only", None),
        _pod("ds-a", ("DaemonSet", "ds")),
        _pod("ds-b", ("DaemonSet", "ds")),  # a second DaemonSet pod on the same node
        _pod("elsewhere", None, node="not-in-the-import"),
        _pod("done", ("Job", "old"), phase="Failed"),
    ]
    pods[9]["metadata"]["ownerReferences"] = [{"kind": "ConfigMap", "name": "x"}]  # no controller
    files = [_write(tmp_path / "nodes.json", json.loads(NODES.read_text())["items"]),
             _write(tmp_path / "pods.json", pods)]  # fmt: skip
    cluster = import_kubernetes(files)
    services = {s.name: (s.kind, s.cpu, [p.name for p in s.replicas]) for s in cluster.services}
    assert services == {
        "ns/api": ("deployment", 0.3, ["api-6b8f7-x", "api-6b8f7-y", "api-55d9c-z"]),
        "ns/ds": ("daemonset", 0.1, ["ds-a"]),
        "ns/elsewhere": ("pod", 0.1, ["elsewhere"]),
        "ns/etcd-" + A1: ("pod", 0.1, ["etcd-" + A1]),
        "ns/gc-only": ("pod", 0.1, ["gc-only"]),
        "ns/job": ("pod", 0.1, ["job-1", "job-2"]),
        "ns/lone-rs": ("deployment", 0.1, ["lone-rs-q"]),
        "ns/rc": ("deployment", 0.1, ["rc-1"]),
        "ns/wf": ("pod", 0.1, ["wf-1"]),
    }
    notes = dict(cluster.summary.notes)
    assert notes["services whose pods differ in requests (the largest of each taken)"] == 1
    assert notes["services whose pods run different images (the first pod's taken)"] == 1
    assert notes["ReplicaSets with no Deployment (each taken as a Deployment of its name)"] == 1
    assert notes["ReplicationController pods (taken as Deployments)"] == 1
    assert notes["static pods (owned by their node: each its own service, never rescheduled)"] == 1
    assert notes[JOB_PODS] == 2
    assert (
        notes["pods owned by a Workflow (not modelled: grouped by owner, taken as bare pods)"] == 1
    )
    assert notes["pods with owners but no controller (each taken as a bare pod)"] == 1
    assert notes["DaemonSet pods beyond one per node (left out)"] == 1
    assert notes["pods on nodes not in the import"] == 1
    assert notes["finished pods (Succeeded or Failed) left out: they hold no resources"] == 1


def test_duplicates_name_clashes_and_other_kinds(tmp_path):
    nodes = json.loads(NODES.read_text())["items"]
    pods = [
        _pod("web-0", ("StatefulSet", "web")),
        _pod("web-0", ("StatefulSet", "web")),
        _pod("web-5f-a", ("ReplicaSet", "web-5f"), labels={"pod-template-hash": "5f"}),
    ]
    others = [
        {"kind": "Service", "metadata": {"name": "s"}},
        {"kind": "Secret", "metadata": {"name": "t"}, "data": {"password": SECRET}},
    ]
    others += [{"kind": f"Kind{i}"} for i in range(20)]
    files = [_write(tmp_path / "a.json", nodes + nodes), _write(tmp_path / "b.json", pods + others)]
    cluster = import_kubernetes(files)
    assert len(cluster.hosts) == 4
    assert [s.name for s in cluster.services] == ["ns/web (deployment)", "ns/web (statefulset)"]
    notes = dict(cluster.summary.notes)
    assert notes["nodes listed twice (the first kept)"] == 4
    assert notes["pods listed twice (the first kept)"] == 1
    assert notes["Secret objects not read (the import models nodes and pods)"] == 1
    # A file listing many made-up kinds gets a bounded number of lines, not one per kind.
    assert notes["other kind objects not read (the import models nodes and pods)"] == 14
    assert len(cluster.summary.lines()) < 20
    assert SECRET not in repr(cluster)


def test_cordoned_nodes_and_missing_allocatable(tmp_path):
    nodes = json.loads(NODES.read_text())["items"][:2]
    nodes[0]["spec"]["unschedulable"] = True
    nodes[1]["status"]["capacity"]["cpu"] = "8"
    del nodes[1]["status"]["allocatable"]
    cluster = import_kubernetes([_write(tmp_path / "n.json", nodes)])
    assert cluster.hosts[0].taints == (Taint("node.kubernetes.io/unschedulable", "", "NoSchedule"),)
    assert (cluster.hosts[1].cores, cluster.hosts[1].memory_mb) == (8.0, 31993.828125)
    assert cluster.services == ()


@pytest.mark.parametrize(
    ("mutate", "where", "message"),
    [
        (lambda n: n["status"]["allocatable"].update(cpu="7.9 cores"), ".status.allocatable.cpu",
         "not a Kubernetes quantity"),
        (lambda n: n["status"]["allocatable"].update(memory="32GB"), ".status.allocatable.memory",
         "no B"),
        (lambda n: n["status"]["allocatable"].update(memory="999999999Ti"),
         ".status.allocatable.memory", "over 1 PiB"),
        (lambda n: n["status"]["allocatable"].pop("cpu"), ".status.allocatable.cpu", "missing"),
        (lambda n: n["status"]["allocatable"].update(cpu=True), ".status.allocatable.cpu",
         "found true"),
        (lambda n: n["metadata"].update(name=["x"]), ".metadata.name", "expected a string"),
        (lambda n: n["spec"].update(taints={"key": "a"}), ".spec.taints", "expected an array"),
        (lambda n: n["spec"].update(taints=[{"key": "a", "effect": "Sometimes"}]),
         ".spec.taints[0].effect", "not a taint effect"),
        (lambda n: n["status"].update(conditions=[5]), ".status.conditions[0]",
         "expected an object"),
    ],
)  # fmt: skip
def test_node_problems_name_the_file_and_the_json_path(tmp_path, mutate, where, message):
    nodes = json.loads(NODES.read_text())
    mutate(nodes["items"][2])
    path = tmp_path / "nodes.json"
    path.write_text(json.dumps(nodes))
    with pytest.raises(ImportProblem) as caught:
        import_kubernetes([path])
    assert caught.value.path == str(path)
    assert caught.value.where == "$.items[2]" + where
    assert message in caught.value.problem


def test_pod_problems_name_the_file_and_the_json_path(tmp_path):
    pods = json.loads(PODS.read_text())
    names = [item["metadata"]["name"] for item in pods["items"]]
    index = names.index("checkout-5f6c8d9b7-h7gx4")
    checkout = pods["items"][index]
    checkout["spec"]["initContainers"][1]["resources"]["requests"]["memory"] = "1.5 Gi"
    path = tmp_path / "pods.json"
    path.write_text(json.dumps(pods))
    with pytest.raises(ImportProblem) as caught:
        import_kubernetes([NODES, path])
    assert str(caught.value) == (
        f"{path}: $.items[{index}].spec.initContainers[1].resources.requests.memory: "
        "'1.5 Gi' is not a Kubernetes quantity"
    )


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"items": []}, "$.kind: missing"),
        ({"kind": "List", "items": [{"metadata": {}}]}, "$.items[0].kind: missing"),
        ({"kind": "List", "items": {"a": 1}}, "$.items: expected an array"),
        ([1, 2], "$: expected an object, found an array"),
        ("nodes", '$: expected an object, found the string "nodes"'),
    ],
)
def test_documents_that_are_not_kubectl_output(tmp_path, document, message):
    path = tmp_path / "x.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ImportProblem) as caught:
        import_kubernetes([path])
    assert str(caught.value).startswith(f"{path}: {message}")
    assert caught.value.path == str(path)


def test_what_is_not_a_dump_or_has_no_nodes(tmp_path):
    with pytest.raises(ImportProblem, match=r"no nodes\.json"):
        import_kubernetes([tmp_path])
    (tmp_path / "nodes.yaml").write_text("kind: NodeList\n")
    with pytest.raises(ImportProblem, match="not written as JSON"):
        import_kubernetes([tmp_path])
    with pytest.raises(ImportProblem, match="no nodes found"):
        import_kubernetes([PODS])
    with pytest.raises(ImportProblem, match="nothing to import"):
        import_kubernetes([])
    with pytest.raises(ImportProblem, match="no such file"):
        import_kubernetes([tmp_path / "missing.json"])


def test_a_dump_with_a_broken_namespace_file(tmp_path):
    dump = tmp_path / "dump"
    shutil.copytree(DUMP, dump)
    (dump / "default" / "pods.json").write_text('{"kind": "PodList", "items": [{"spec": 3}]}')
    with pytest.raises(ImportProblem) as caught:
        import_kubernetes([dump])
    assert caught.value.path == str(dump / "default" / "pods.json")
    assert caught.value.where == "$.items[0].metadata.name"
    assert caught.value.problem == "missing: a name is required here"


def test_owners_of_one_name_and_different_kinds_are_different_services(tmp_path):
    """A bare pod "backup" and a Job "backup", or a ReplicationController and a Deployment
    of one name, are two owners: two services, told apart by their owner's kind."""
    pods = [
        _pod("backup", None),
        _pod("backup-7x", ("Job", "backup")),
        _pod("web-1", ("ReplicationController", "web")),
        _pod("web-5d9-a", ("ReplicaSet", "web-5d9"), labels={"pod-template-hash": "5d9"}),
    ]
    files = [_write(tmp_path / "nodes.json", json.loads(NODES.read_text())["items"]),
             _write(tmp_path / "pods.json", pods)]  # fmt: skip
    cluster = import_kubernetes(files)
    names = {s.name: [p.name for p in s.replicas] for s in cluster.services}
    assert names == {
        "ns/backup (pod)": ["backup"],
        "ns/backup (job)": ["backup-7x"],
        "ns/web (replicationcontroller)": ["web-1"],
        "ns/web (deployment)": ["web-5d9-a"],
    }
