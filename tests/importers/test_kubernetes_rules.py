"""The Kubernetes rules a review checked against the sources, each as the API or the
scheduler applies it: quantities rounded up to a milli-unit one by one, a limit standing in for
a missing request, pod-level requests, a resize in place, pods being deleted, DaemonSet surge
pods, tolerations as the API validates them, and Jobs."""

from __future__ import annotations

import json

import pytest

from tests.importers.test_kubernetes import A1, A2, NODES, _pod, _write
from vmc_gui.model.imported import ImportProblem, Toleration
from vmc_gui.model.importing import quantities as q
from vmc_gui.model.importing.json_input import JsonPath
from vmc_gui.model.importing.kubernetes import (
    DAEMONSET_EXTRA,
    DIFFERENT_TOLERATIONS,
    JOB_PODS,
    import_kubernetes,
)
from vmc_gui.model.importing.kubernetes_pods import RESIZED, TERMINATING, pod_request
from vmc_gui.model.importing.kubernetes_tolerations import read_tolerations

AT = JsonPath("pods.json")
MB = 2**20


def _container(name="c", requests=None, limits=None, **extra):
    resources = {}
    if requests is not None:
        resources["requests"] = requests
    if limits is not None:
        resources["limits"] = limits
    return {"name": name, "image": "img", "resources": resources, **extra}


def test_each_quantity_is_rounded_up_to_a_millicore_as_the_api_stores_it():
    # SetDefaults_ResourceList rounds every quantity up to milli scale: 0.0001 CPU is 1m,
    # and each container's on its own, so two of 0.0004 ask 2m (not 0.8m rounded to 1m).
    assert q.cpu_nanos("0.0001") == q.cpu_nanos("1m") == 10**6
    assert q.cpu_nanos("1n") == 10**6
    assert q.cores(q.cpu_nanos("0.0001")) == 0.001
    spec = {"containers": [_container("a", {"cpu": "0.0004"}), _container("b", {"cpu": "400u"})]}
    assert pod_request(spec, AT).cpu == 2 * 10**6
    # Memory too, to a milli-byte, which the scheduler's byte count then rounds up.
    assert q.memory_nanos("0.0001") == 10**6
    with pytest.raises(q.QuantityError, match="negative"):
        q.cpu_nanos("-1n")  # not rounded up to 0 first


def test_a_limit_without_a_request_is_the_request_resource_by_resource():
    # "If you specify a limit for a resource, but do not specify any request ... Kubernetes
    # copies the limit you specified and uses it as the requested value" (kubernetes.io,
    # Resource Management for Pods and Containers): per resource, so a CPU request and a
    # memory limit make a request of both.
    spec = {
        "containers": [_container(requests={"cpu": "100m"}, limits={"cpu": "1", "memory": "1Gi"})]
    }
    request = pod_request(spec, AT)
    assert (request.cpu, request.memory) == (10**8, 1024 * MB * 10**9)
    assert request.has_cpu and request.has_memory and request.has_limits


def test_pod_level_requests_and_limits():
    # Pod-level requests win over the containers' sum (kubernetes.io, Assign Pod-level CPU
    # and memory resources: "the pod-level requests take precedence").
    spec = {
        "resources": {"requests": {"memory": "3Gi"}},
        "containers": [_container(requests={"cpu": "500m", "memory": "1Gi"})],
    }
    request = pod_request(spec, AT)
    assert (request.cpu, request.memory) == (5 * 10**8, 3 * 1024 * MB * 10**9)
    assert request.pod_level
    # A pod-level limit with no pod-level request, where no container requests the resource:
    # the limit is the request (defaultPodRequests).
    spec = {"resources": {"limits": {"cpu": "2"}}, "containers": [_container()]}
    assert pod_request(spec, AT).cpu == 2 * 10**9
    # Where a container requests it, the containers' sum stays.
    spec = {
        "resources": {"limits": {"cpu": "2"}},
        "containers": [_container(requests={"cpu": "250m"})],
    }
    assert pod_request(spec, AT).cpu == 25 * 10**7


def test_a_resize_in_place_counts_the_largest_of_spec_allocated_and_status():
    # "the scheduler uses the maximum of a container's desired requests, allocated requests,
    # and actual requests from the status" (kubernetes.io, Resize CPU and Memory Resources
    # assigned to Containers; determineContainerReqs in component-helpers' helpers.go).
    spec = {
        "initContainers": [
            _container("init", {"cpu": "100m"}),
            _container("side", {"cpu": "100m"}, restartPolicy="Always"),
        ],
        "containers": [_container("app", {"cpu": "500m", "memory": "256Mi"})],
    }
    statuses = {"app": (10**9, None), "side": (3 * 10**8, None), "init": (5 * 10**9, None)}
    request = pod_request(spec, AT, statuses)
    # app 1 CPU (its status), sidecar 300m (its status), the regular init container's status
    # not counted: the scheduler reads the spec's for those.
    assert request.cpu == 13 * 10**8
    assert request.memory == 256 * MB * 10**9 and request.resized
    # An infeasible resize: the spec's request is left out, the status's counts.
    spec = {"containers": [_container("app", {"cpu": "4"})]}
    assert pod_request(spec, AT, {"app": (10**9, None)}, infeasible=True).cpu == 10**9
    assert pod_request(spec, AT, {"app": (10**9, None)}).cpu == 4 * 10**9


def test_a_resize_read_from_the_pod_status(tmp_path):
    pods = [
        _pod("db-0", ("StatefulSet", "db"), cpu="1"),
        _pod("db-1", ("StatefulSet", "db"), cpu="1"),
    ]
    pods[1]["spec"]["containers"][0]["name"] = "db"
    pods[1]["status"] |= {
        "containerStatuses": [
            {
                "name": "db",
                "allocatedResources": {"cpu": "2"},
                "resources": {"requests": {"cpu": "1500m"}},
            },
            {"name": "other", "resources": None, "allocatedResources": {"cpu": "8"}},
        ],
        "conditions": [{"type": "PodResizeInProgress", "status": "True"}],
    }
    files = [_write(tmp_path / "n.json", json.loads(NODES.read_text())["items"]),
             _write(tmp_path / "p.json", pods)]  # fmt: skip
    cluster = import_kubernetes(files)
    (db,) = cluster.services
    assert [(r.name, r.cpu) for r in db.replicas] == [("db-0", 1.0), ("db-1", 2.0)]
    assert cluster.summary.notes[RESIZED] == 1
    # Infeasible (the condition PodResizePending, reason Infeasible): the spec is left out.
    pods[1]["status"]["conditions"] = [
        {"type": "PodResizePending", "status": "True", "reason": "Infeasible"}
    ]
    pods[1]["spec"]["containers"][0]["resources"]["requests"]["cpu"] = "6"
    _write(files[1], pods)
    (db,) = import_kubernetes(files).services
    assert [r.cpu for r in db.replicas] == [1.0, 2.0]


def test_pods_being_deleted_are_not_counted_nor_are_finished_ones(tmp_path):
    pods = [
        _pod("web-1-a", ("ReplicaSet", "web-1"), labels={"pod-template-hash": "1"}),
        _pod("web-1-b", ("ReplicaSet", "web-1"), labels={"pod-template-hash": "1"}),
        _pod("web-0-c", ("ReplicaSet", "web-0"), labels={"pod-template-hash": "0"}),
        _pod("done", ("Job", "j"), phase="Succeeded"),
        _pod("failed", None, phase="Failed"),
    ]
    pods[2]["metadata"]["deletionTimestamp"] = "2026-12-01T09:58:30Z"  # Terminating
    files = [_write(tmp_path / "n.json", json.loads(NODES.read_text())["items"]),
             _write(tmp_path / "p.json", pods)]  # fmt: skip
    cluster = import_kubernetes(files)
    assert [(s.name, [r.name for r in s.replicas]) for s in cluster.services] == [
        ("ns/web", ["web-1-a", "web-1-b"])
    ]
    notes = cluster.summary.notes
    assert notes[TERMINATING] == 1
    assert notes["finished pods (Succeeded or Failed) left out: they hold no resources"] == 2
    pods[2]["metadata"]["deletionTimestamp"] = 5
    _write(files[1], pods)
    with pytest.raises(ImportProblem, match=r"\.metadata\.deletionTimestamp: expected a string"):
        import_kubernetes(files)


def test_a_daemonset_surge_pod_counts_once_per_node(tmp_path):
    # A rolling update with maxSurge: the new pod starts beside the old one on the node.
    pods = [
        _pod("agent-old-a1", ("DaemonSet", "agent"), node=A1, cpu="200m"),
        _pod("agent-old-a2", ("DaemonSet", "agent"), node=A2, cpu="200m"),
        _pod("agent-new-a1", ("DaemonSet", "agent"), node=A1, cpu="300m"),
    ]
    files = [_write(tmp_path / "n.json", json.loads(NODES.read_text())["items"]),
             _write(tmp_path / "p.json", pods)]  # fmt: skip
    cluster = import_kubernetes(files)
    (agent,) = cluster.services
    assert [(r.name, r.host, r.cpu) for r in agent.replicas] == [
        ("agent-old-a1", A1, 0.2),
        ("agent-old-a2", A2, 0.2),
    ]
    assert agent.cpu == 0.2  # the pod left out does not count
    assert cluster.summary.notes[DAEMONSET_EXTRA] == 1


def test_job_pods_are_held_and_said_so(tmp_path):
    pods = [_pod("backup-1-x", ("Job", "backup-1")), _pod("backup-1-y", ("Job", "backup-1"))]
    files = [_write(tmp_path / "n.json", json.loads(NODES.read_text())["items"]),
             _write(tmp_path / "p.json", pods)]  # fmt: skip
    cluster = import_kubernetes(files)
    assert [(s.name, s.kind) for s in cluster.services] == [("ns/backup-1", "pod")]
    assert cluster.summary.notes[JOB_PODS] == 2


@pytest.mark.parametrize(
    ("toleration", "where", "words"),
    [
        ({"operator": "Equal", "value": "x"}, "operator", "must be Exists when the key is empty"),
        ({"value": "x"}, "operator", "must be Exists when the key is empty"),  # Equal: default
        ({"key": "k", "operator": "Exists", "value": "x"}, "value", "must be empty"),
        ({"key": "k", "effect": "NoSchedule", "tolerationSeconds": 30}, "effect", "NoExecute"),
        ({"key": "k", "value": "v" * 64}, "value", "over the 63 allowed"),
        ({"key": "k", "operator": "Within"}, "operator", "not a toleration operator"),
    ],
)
def test_tolerations_are_checked_as_the_api_validates_them(toleration, where, words):
    with pytest.raises(ImportProblem) as caught:
        read_tolerations([{"key": "ok", "operator": "Exists"}, toleration], AT / "spec")
    assert caught.value.where == f"$.spec.tolerations[1].{where}"
    assert words in caught.value.problem


def test_tolerations_the_model_cannot_match_are_left_out():
    tolerations, left_out = read_tolerations(
        [
            {"key": "gpu-count", "operator": "Gt", "value": "2", "effect": "NoSchedule"},
            {"operator": "Exists"},
            {"key": "k", "effect": "NoExecute", "tolerationSeconds": 60},
        ],
        AT / "spec",
    )
    assert tolerations == (
        Toleration("", "Exists", "", "", None),
        Toleration("k", "Equal", "", "NoExecute", 60.0),
    )
    assert left_out == 1


def test_pods_of_one_owner_that_differ_in_tolerations_take_the_first_pods(tmp_path):
    pods = [_pod(f"w-{i}", ("StatefulSet", "w")) for i in range(2)]
    pods[0]["spec"]["tolerations"] = [{"key": "dedicated", "operator": "Exists"}]
    files = [_write(tmp_path / "n.json", json.loads(NODES.read_text())["items"]),
             _write(tmp_path / "p.json", pods)]  # fmt: skip
    cluster = import_kubernetes(files)
    (service,) = cluster.services
    assert service.tolerations == (Toleration("dedicated", "Exists", "", "", None),)
    assert cluster.summary.notes[DIFFERENT_TOLERATIONS] == 1


def test_the_unreachable_toleration_is_the_first_that_matches_as_the_taint_manager_takes_it():
    # GetMatchingTolerations keeps, per taint, the first toleration that matches it; its
    # seconds (none: for ever) decide, not the least of all that match.
    from vmc_gui.model.importing.to_scenario import _unreachable_seconds
    from vmc_gui.model.loader import MAX_DURATION_S
    from vmc_gui.model.taints import Toleration

    for_ever = Toleration("node.kubernetes.io/unreachable", "Exists", "", "NoExecute")
    minute = Toleration("", "Exists", "", "NoExecute", 60.0)
    assert _unreachable_seconds((for_ever, minute)) == MAX_DURATION_S
    assert _unreachable_seconds((minute, for_ever)) == 60.0
    assert _unreachable_seconds((Toleration("other", "Exists", "", ""),)) is None
