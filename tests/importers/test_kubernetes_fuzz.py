"""Fuzzing the Kubernetes importer: realistic exports with any value replaced by a wrong type,
a huge number, a hostile quantity, deep nesting, or with keys removed or added.  Whatever the
files hold, the import ends in a cluster or in one ImportProblem naming the file and the JSON
path; never another exception.  And the fast reader of pod lists (pod_list.py) ends where the
careful one does: the same cluster, or the same problem."""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vmc_gui.model.imported import ImportedCluster, ImportProblem
from vmc_gui.model.importing.kubernetes import import_kubernetes

FIXTURES = Path(__file__).resolve().parent.parent / "import" / "kubernetes"
NODES = json.loads((FIXTURES / "nodes.json").read_text())
_ALL_PODS = json.loads((FIXTURES / "pods.json").read_text())
#: One pod of each shape (a Deployment's, the init/sidecar/overhead one, a StatefulSet's, a
#: DaemonSet's, no requests, bare, a Job's, finished, pending), to keep each example quick.
_KEEP = {
    "web-7d4b9c6f5d-x2kqp", "checkout-5f6c8d9b7-h7gx4", "postgres-0", "node-exporter-4kx8p",
    "legacy-report-6d5c4b3a2-zx81k", "toolbox", "nightly-export-28891230-k2j9d",
    "cleanup-28891200-7tq4m", "web-7d4b9c6f5d-p9c2l",
}  # fmt: skip
PODS = {**_ALL_PODS, "items": [p for p in _ALL_PODS["items"] if p["metadata"]["name"] in _KEEP]}
SECRET = "SECRET-MARKER-never-copy"
DEEP = "\x00deep\x00"

HOSTILE_TEXT = [
    "999999999999999Gi", "1e999999999", "1e-999999999", "5KB", "1.5GB", "-1", "-100m", "NaN",
    "Infinity", "0x1F", "1e", ".", "", " ", "\u0661\u0662", "1Ki ", "9Ei", "12E", "1e308",
    "x" * 5000, "Always", "True", "NoSchedule", "Exists", "ReplicaSet", "Node",
]  # fmt: skip


def _json_values():
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(10**40), max_value=10**40)
        | st.integers(min_value=-(10**1000), max_value=10**1000)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=30)
        | st.sampled_from(HOSTILE_TEXT)
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
        ),
        max_leaves=12,
    )


def _places(value: Any, prefix: tuple = ()) -> list[tuple]:
    """The path of every value in a JSON document (the root excluded)."""
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            found.append((*prefix, key))
            found += _places(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found.append((*prefix, index))
            found += _places(inner, (*prefix, index))
    return found


NODE_PLACES = _places(NODES)
POD_PLACES = _places(PODS)


@st.composite
def mutations(draw, document: dict, places: list[tuple]):
    """``document`` with a few places replaced, removed, or given unexpected keys."""
    document = json.loads(json.dumps(document))
    for _ in range(draw(st.integers(1, 3))):
        place = draw(st.sampled_from(places))
        parent = document
        try:
            for key in place[:-1]:
                parent = parent[key]
            last = place[-1]
            parent[last]  # still there after an earlier change?
        except (KeyError, IndexError, TypeError):
            continue
        action = draw(st.sampled_from(["replace", "replace", "remove", "deep", "add"]))
        if action == "replace":
            parent[last] = draw(_json_values())
        elif action == "remove" and isinstance(parent, dict):
            del parent[last]
        elif action == "deep":
            parent[last] = DEEP
        elif action == "add" and isinstance(parent[last], dict):
            parent[last][draw(st.text(max_size=12))] = draw(_json_values())
    return document


def _dumps(document: Any, depth: int) -> str:
    text = json.dumps(document)
    return text.replace(json.dumps(DEEP), "[" * depth + "]" * depth)


def _outcome(files: list[Path], fast: bool) -> ImportedCluster | ImportProblem:
    try:
        return import_kubernetes(files, fast=fast)  # not fast: the careful reader alone
    except ImportProblem as problem:
        return problem


def _same_outcome(fast: ImportedCluster | ImportProblem, careful: Any) -> None:
    """The fast reader ends as the careful one does; the one place they may differ is the
    edge of the nesting limit, which each meets at its own stack depth (json and msgspec both
    stop at the interpreter's recursion limit, some 1,000 levels)."""
    nested = isinstance(careful, ImportProblem) and "nested too deeply" in careful.problem
    if nested and isinstance(fast, ImportedCluster):
        return
    if isinstance(fast, ImportProblem):
        assert str(fast) == str(careful)
    else:
        assert fast == careful


def _check_problem(problem: ImportProblem, files: list[Path]) -> None:
    text = str(problem)
    assert "\n" not in text and len(text) < 600, text
    if problem.problem.startswith("no nodes found"):
        assert problem.path == ", ".join(str(f) for f in files)
        return
    assert problem.path in {str(f) for f in files}, text
    assert text.startswith(problem.path + ": ")
    if problem.where:
        assert problem.where.startswith("$"), text
    else:  # a whole-file problem: only nesting is left, the JSON being valid
        assert "nested too deeply" in problem.problem, text


def _check(nodes: Any, pods: Any, depth: int = 3000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        files = [Path(folder) / "nodes.json", Path(folder) / "pods.json"]
        files[0].write_text(_dumps(nodes, depth))
        files[1].write_text(_dumps(pods, depth))
        outcome = _outcome(files, fast=True)
        _same_outcome(outcome, _outcome(files, fast=False))
        if isinstance(outcome, ImportProblem):
            _check_problem(outcome, files)
            return
        cluster = outcome
        assert isinstance(cluster, ImportedCluster)
        for host in cluster.hosts:
            assert math.isfinite(host.cores) and host.cores >= 0
            assert math.isfinite(host.memory_mb) and host.memory_mb >= 0
        for service in cluster.services:
            assert math.isfinite(service.cpu) and service.cpu >= 0
            assert math.isfinite(service.memory_mb) and service.memory_mb >= 0
        assert SECRET not in repr(cluster)
        cluster.summary.lines()


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_the_fixtures_import():
    _check(NODES, PODS)


@FUZZ
@given(mutations(NODES, NODE_PLACES))
def test_malformed_nodes(nodes):
    _check(nodes, PODS)


@FUZZ
@given(mutations(PODS, POD_PLACES))
def test_malformed_pods(pods):
    _check(NODES, pods)


@FUZZ
@given(st.sampled_from(NODE_PLACES + POD_PLACES), st.integers(1, 5000))
@example(("items", 0, "spec", "containers", 0, "resources"), 1)
@example(("items", 0, "spec", "containers", 0, "resources"), 990)
def test_deep_nesting_anywhere(place, depth):
    nodes, pods = json.loads(json.dumps(NODES)), json.loads(json.dumps(PODS))
    parent = pods if place in POD_PLACES else nodes
    for key in place[:-1]:
        parent = parent[key]
    parent[place[-1]] = DEEP
    _check(nodes, pods, depth)


@FUZZ
@given(_json_values(), _json_values())
@example({"kind": "List", "items": [{"kind": "Node"}]}, {"kind": "PodList", "items": [{}]})
@example({"kind": "NodeList", "items": [None]}, {"kind": "Pod"})
@example(
    {
        "kind": "Node",
        "metadata": {"name": "n"},
        "status": {"allocatable": {"cpu": 1, "memory": 10**400}},
    },
    {},
)
def test_any_json_at_all(nodes, pods):
    _check(nodes, pods)


@FUZZ
@given(
    st.sampled_from(["cpu", "memory", "pods"]),
    st.sampled_from(HOSTILE_TEXT) | st.text(max_size=40) | st.integers(-(10**60), 10**60),
)
def test_hostile_node_quantities(resource, value):
    nodes = json.loads(json.dumps(NODES))
    nodes["items"][1]["status"]["allocatable"][resource] = value
    _check(nodes, PODS)


@FUZZ
@given(
    st.sampled_from(["containers", "initContainers"]),
    st.sampled_from(["requests", "limits"]),
    st.sampled_from(["cpu", "memory", "nvidia.com/gpu"]),
    st.sampled_from(HOSTILE_TEXT)
    | st.text(max_size=40)
    | st.floats(allow_nan=False, allow_infinity=False),
)
def test_hostile_pod_quantities(field, kind, resource, value):
    pods = json.loads(json.dumps(PODS))
    checkout = next(p for p in pods["items"] if p["metadata"]["name"].startswith("checkout"))
    checkout["spec"][field][0]["resources"].setdefault(kind, {})[resource] = value
    _check(NODES, pods)
