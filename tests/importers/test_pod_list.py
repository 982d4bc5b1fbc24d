"""The fast reader of pod lists (pod_list.py): what it takes and what it leaves to the careful
reader, that its result is the careful reader's, and that it computes a template once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.importers.test_kubernetes import NODES, PODS, _pod, _write
from vmc_gui.model.imported import ImportProblem
from vmc_gui.model.importing import kubernetes
from vmc_gui.model.importing.kubernetes import import_kubernetes

pod_list = pytest.importorskip("vmc_gui.model.importing.pod_list")

DUMP = PODS.parent / "dump"


def _careful(paths: list[Path]):
    return import_kubernetes(paths, fast=False)


def _pods_document() -> dict:
    return json.loads(PODS.read_text())


def test_it_takes_kubectls_list_and_the_apis_pod_list():
    items = pod_list.read_pod_list(PODS.read_bytes())
    assert items is not None and len(items) == len(_pods_document()["items"])
    # Only the fields read: no env (where the fixture's secret is), no annotations.
    assert "SECRET" not in repr(items)
    assert set(items[0]) == {"kind", "metadata", "spec", "status"}
    typed = {"kind": "PodList", "items": [{"metadata": {"name": "p"}}]}
    assert pod_list.read_pod_list(json.dumps(typed).encode()) == [{"metadata": {"name": "p"}}]
    assert pod_list.read_pod_list(b"\xef\xbb\xbf" + json.dumps(typed).encode())  # a UTF-8 BOM


@pytest.mark.parametrize(
    "data",
    [
        NODES.read_bytes(),  # nodes: each item read as its kind says
        b'{"kind": "List", "items": [{"kind": "Pod"}, {"kind": "Service"}]}',
        b'{"kind": "Pod", "metadata": {"name": "p"}}',  # one pod, as kubectl get pod NAME
        json.dumps({"kind": "List", "items": []}).encode("utf-16"),  # Windows PowerShell's >
        b'{"kind": "List", "items": [{"kind": "Pod", "x": "\xff"}]}',  # not UTF-8, unread
        b'{"kind": "List", "items": [{"kind": "Pod", "x": NaN}]}',
        b'{"kind": "List", "items": [{"kind": "Pod", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}]}",
        b'{"kind": "List", "items": [{"kind": "Pod", "metadata": "p"}]}',  # not an object
        b'{"kind": "List", "items": [{"kind": "Pod"}]} trailing',
        b'{"kind": "List", "items": [{"kind": "Pod", "metadata": {"name": 1'
        + b"0" * 5000
        + b"}}]}",
    ],
    ids=[
        "nodes",
        "mixed kinds",
        "one pod",
        "utf-16",
        "bad utf-8",
        "NaN",
        "deep",
        "wrong type",
        "trailing",
        "huge integer read",
    ],
)
def test_it_leaves_to_the_careful_reader_what_it_does_not_take(data):
    assert pod_list.read_pod_list(data) is None


def test_a_problem_is_named_by_the_careful_reader(tmp_path):
    pods = _pods_document()
    pods["items"][0]["spec"]["containers"][0]["resources"]["requests"]["cpu"] = "lots"
    pods["items"][1]["spec"]["tolerations"] = [{"operator": "Equal"}]
    path = tmp_path / "pods.json"
    path.write_text(json.dumps(pods))
    with pytest.raises(ImportProblem) as caught:
        import_kubernetes([NODES, path])
    assert caught.value.where == "$.items[0].spec.containers[0].resources.requests.cpu"
    with pytest.raises(ImportProblem) as careful:
        _careful([NODES, path])
    assert str(caught.value) == str(careful.value)


@pytest.mark.parametrize(
    "paths", [[NODES, PODS], [DUMP], [DUMP, NODES, PODS]], ids=["get", "dump", "both"]
)
def test_the_fixtures_import_as_the_careful_reader_imports_them(paths):
    assert import_kubernetes(paths) == _careful(paths)


def test_a_template_is_read_once_for_all_its_pods(tmp_path):
    # Ten pods of one ReplicaSet whose containers differ only in what is not read (the
    # projected token volume's name carries a random suffix per pod), and a Deployment of
    # another template: two templates computed, not eleven.
    pods = []
    for i in range(10):
        pod = _pod(f"web-1-{i}", ("ReplicaSet", "web-1"), labels={"pod-template-hash": "1"})
        pod["spec"]["containers"][0]["volumeMounts"] = [{"name": f"kube-api-access-{i:05x}"}]
        pods.append(pod)
    pods.append(
        _pod("api-2-a", ("ReplicaSet", "api-2"), labels={"pod-template-hash": "2"}, cpu="1")
    )
    files = [_write(tmp_path / "n.json", json.loads(NODES.read_text())["items"]),
             _write(tmp_path / "p.json", pods)]  # fmt: skip
    reader = kubernetes._Reader()
    for path in files:
        reader.read_file(path, "default")
    templates = [key for key in reader.parts._results if key[0] == "template"]
    assert len(templates) == 2
    assert reader.summary.read["files"] == 2 and len(reader.pods) == 11
    assert import_kubernetes(files) == _careful(files)


def test_what_a_pod_does_not_share_is_read_for_each(tmp_path):
    # Same containers' text, different tolerations: each pod keeps its own.
    pods = [_pod(f"w-{i}", ("StatefulSet", "w")) for i in range(2)]
    pods[1]["spec"]["tolerations"] = [{"key": "dedicated", "operator": "Exists"}]
    pods[1]["spec"]["nodeName"] = "elsewhere"
    files = [_write(tmp_path / "n.json", json.loads(NODES.read_text())["items"]),
             _write(tmp_path / "p.json", pods)]  # fmt: skip
    cluster = import_kubernetes(files)
    assert cluster == _careful(files)
    (service,) = cluster.services
    assert [r.host for r in service.replicas][1] == "elsewhere"


def test_the_generated_cluster_reads_the_same_both_ways(tmp_path):
    from benchmarks.kubernetes_cluster import write

    paths, _plan = write(tmp_path, nodes=60, pods=900)
    assert import_kubernetes(paths) == _careful(paths)
