"""The generated cluster of the benchmark (benchmarks/kubernetes_cluster.py), at a size a test
can afford: the import matches what was generated.  Its speed at 1,000 nodes and 30,000 pods
is measured by benchmarks/bench_import.py, not here."""

from __future__ import annotations

import pytest

from benchmarks.kubernetes_cluster import generate, node_name, write
from vmc_gui.model.importing.kubernetes import import_kubernetes


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    paths, plan = write(tmp_path_factory.mktemp("generated"), nodes=200, pods=2500)
    return import_kubernetes(paths), plan


def test_the_import_matches_the_plan(generated):
    cluster, plan = generated
    assert len(cluster.hosts) == plan.nodes == 200
    assert sum(len(s.replicas) for s in cluster.services) == plan.pods - plan.finished
    kinds = {kind: sum(s.kind == kind for s in cluster.services) for kind in plan.services}
    assert kinds == plan.services
    notes = cluster.summary.notes
    assert notes["finished pods (Succeeded or Failed) left out: they hold no resources"] == 300
    assert notes["pods not scheduled yet (no node)"] == plan.pending
    assert notes["nodes not ready (their Ready condition is not True)"] == 1  # node 199
    tainted = [h.name for h in cluster.hosts if any(t.key == "dedicated" for t in h.taints)]
    assert tainted == [node_name(i) for i in (49, 99, 149, 199)]


def test_daemonsets_run_one_pod_per_node(generated):
    cluster, _plan = generated
    daemonsets = [s for s in cluster.services if s.kind == "daemonset"]
    assert len(daemonsets) == 3
    for service in daemonsets:
        assert sorted(p.host for p in service.replicas) == sorted(h.name for h in cluster.hosts)
    exporter = next(s for s in daemonsets if s.name == "monitoring/node-exporter")
    assert (exporter.cpu, exporter.memory_mb) == (0.102, 180.0)


def test_requests_with_a_late_sidecar(generated):
    # Deployment app-3 (one in ten) has a regular init container "migrate" (1 core, 256Mi)
    # listed before a sidecar "proxy" (100m, 64Mi): migrate runs alone, so the pod needs
    # max(app + 100m, 1000m) cores and max(app + 64Mi, 256Mi) of memory.
    cluster, _plan = generated
    _nodes, pods, _plan = generate(nodes=200, pods=2500)
    pod = next(p for p in pods["items"] if p["metadata"]["name"].startswith("app-3-"))
    app = pod["spec"]["containers"][0]["resources"]["requests"]
    cpu = {"50m": 50, "100m": 100, "250m": 250, "500m": 500, "1": 1000, "2": 2000}[app["cpu"]]
    memory = {"64Mi": 64, "128Mi": 128, "256Mi": 256, "512Mi": 512, "1Gi": 1024, "2Gi": 2048}
    service = next(s for s in cluster.services if s.name == "team-3/app-3")
    assert service.cpu == max(cpu + 100, 1000) / 1000
    assert service.memory_mb == max(memory[app["memory"]] + 64, 256)
