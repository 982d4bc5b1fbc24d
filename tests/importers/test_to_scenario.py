"""An imported cluster as a scenario: zones become racks, DaemonSets stay on their nodes (their
requests off the nodes' room), a node not ready fails at the start, names become scenario
names; and the scenario loads and runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from vmc_gui.model.imported import (
    ImportedCluster,
    ImportedHost,
    ImportedService,
    ImportSummary,
    Placement,
    Taint,
    Toleration,
)
from vmc_gui.model.importing.kubernetes import import_kubernetes
from vmc_gui.model.importing.to_scenario import scenario_from
from vmc_gui.model.loader import MAX_DURATION_S, loads_scenario
from vmc_gui.model.scenario import ServiceKind
from vmc_gui.model.scenario_toml import dumps_scenario
from vmc_gui.sim import simulate

FIXTURES = Path(__file__).parents[1] / "import" / "kubernetes"


def cluster(services: tuple[ImportedService, ...], *hosts: ImportedHost) -> ImportedCluster:
    return ImportedCluster("kubernetes", hosts, services, ImportSummary())


def test_zones_become_racks_and_daemonsets_take_their_room():
    hosts = (
        ImportedHost("b-1.example", 4.0, 8192.0, pods=110, zone="zone-b"),
        ImportedHost("a-1.example", 8.0, 16384.0, pods=110, zone="zone-a"),
        ImportedHost(
            "a-2.example",
            8.0,
            16384.0,
            pods=110,
            zone="zone-a",
            taints=(Taint("dedicated", "gpu", "NoSchedule"),),
            ready=False,
        ),
    )
    agent = ImportedService(
        "kube-system/agent",
        "daemonset",
        "kube-system",
        0.25,
        256.0,
        replicas=tuple(Placement(f"agent-{i}", h.name) for i, h in enumerate(hosts)),
    )
    web = ImportedService(
        "shop/web",
        "deployment",
        "shop",
        0.5,
        1024.0,
        "shop/web:1.2",
        tuple(Placement(f"web-{i}", "a-1.example") for i in range(3)),
    )
    db = ImportedService(
        "db", "statefulset", "shop", 1.0, 4096.0, replicas=(Placement("db-0", "b-1.example"),)
    )
    idle = ImportedService(
        "tools/idle", "deployment", "tools", 0.0, 0.0, replicas=(Placement("i", ""),)
    )
    # A bare pod stays on its node (never replaced); one not on a node is left out.
    bare = ImportedService(
        "tools/debug", "pod", "tools", 0.5, 512.0, replicas=(Placement("d", "b-1.example"),)
    )
    lost = ImportedService("tools/lost", "pod", "tools", 0.5, 512.0, replicas=(Placement("l", ""),))
    scenario = scenario_from(cluster((agent, web, db, idle, bare, lost), *hosts), "mine", "Mine")
    spec = scenario.cluster
    # Racks by zone name: zone-a is rack 1, zone-b rack 2; rack by rack, titled by zone.
    assert spec.rack_titles() == ["zone-a", "zone-b"]
    assert spec.host_names() == ["a-1.example", "a-2.example", "b-1.example"]
    assert [h.rack for h in spec.hosts] == [1, 1, 2] and spec.zones == "rack"
    # The DaemonSet's pod is off each node's room: 0.25 cores, 256 MB, one pod; and the bare
    # pod's off its node's.
    assert [(h.cores, h.memory_gb, h.pods) for h in spec.hosts] == [
        (7.75, 15.75, 109),
        (7.75, 15.75, 109),
        (3.25, 7.25, 108),
    ]
    assert spec.hosts[1].taints == ("dedicated=gpu:NoSchedule",)
    assert [(e.kind.value, e.host) for e in scenario.events] == [("host_fail", "a-2.example")]
    names = {s.name: s for s in scenario.services}
    assert set(names) == {"shop-web", "shop-db", "tools-idle"}
    assert names["shop-web"].replicas == 3 and names["shop-web"].kind is ServiceKind.DEPLOYMENT
    assert names["shop-db"].kind is ServiceKind.STATEFULSET
    assert (names["tools-idle"].cpu, names["tools-idle"].memory_mb) == (0.001, 1)
    notes = "\n".join(scenario_summary_lines(scenario))
    assert "4 DaemonSet, bare and static pods kept on their nodes" in notes
    assert "1 DaemonSet, bare and static pods not on a node of the import (left out)" in notes
    again = loads_scenario(dumps_scenario(scenario), source="again.toml")
    assert again.cluster == spec and again.services == scenario.services


def scenario_summary_lines(scenario) -> list[str]:
    return [part.strip() for part in scenario.description.split(". ")]


@pytest.mark.parametrize(
    "paths", [["nodes.json", "pods.json"], ["dump"]], ids=["kubectl get", "cluster-info dump"]
)
def test_the_fixtures_import_to_scenarios_that_run(paths):
    imported = import_kubernetes([FIXTURES / p for p in paths])
    scenario = scenario_from(imported, "fixture", "Fixture")
    loads_scenario(dumps_scenario(scenario), source="fixture.toml")
    zones = sorted({h.zone for h in imported.hosts})
    assert scenario.cluster.racks == len(zones)
    timeline = simulate(scenario)
    for wt in timeline.worlds.values():
        assert len(wt.run.host_names) == len(imported.hosts)


def test_zones_are_keyed_by_region_the_requests_are_whole_and_rounding_is_safe():
    hosts = (
        ImportedHost("a", 7.9105, 30398.265625, pods=110, zone="zone-a", region="eu"),
        ImportedHost("b", 7.9105, 30398.265625, pods=110, zone="zone-a", region="us"),
    )
    web = ImportedService(
        "shop/web", "deployment", "shop", 0.1001, 95.367431640625, replicas=(Placement("w", "a"),)
    )
    scenario = scenario_from(cluster((web,), *hosts), "r", "R")
    # Two regions' zone-a are two zones, as the node lifecycle controller keys them, each
    # titled with its region.
    assert [h.rack for h in scenario.cluster.hosts] == [1, 2]
    assert [h.zone for h in scenario.cluster.hosts] == ["eu zone-a", "us zone-a"]
    assert scenario.cluster.rack_titles()[0] == "eu zone-a"
    # A host's room rounded down, a request up: no more fit than in the cluster.
    assert [(h.cores, h.memory_gb) for h in scenario.cluster.hosts] == [(7.91, 29.685)] * 2
    (service,) = scenario.services
    assert (service.cpu, service.memory_mb) == (0.101, 96)
    # Nothing on top of the requests: the scheduler counts them alone.
    assert scenario.parameters["container.memory_overhead_mb"] == 0
    assert scenario.parameters["vm.guest_memory_overhead_mb"] == 0


DEFAULT_TOLERATIONS = (
    Toleration("node.kubernetes.io/not-ready", "Exists", "", "NoExecute", 300.0),
    Toleration("node.kubernetes.io/unreachable", "Exists", "", "NoExecute", 300.0),
)


def test_fixed_pods_are_taken_off_their_node_once_at_their_own_request():
    hosts = (ImportedHost("a", 4.0, 4096.0, pods=110), ImportedHost("b", 4.0, 4096.0, pods=110))
    # A Job's two pods differ in request (the service takes the larger): each node loses its
    # own pod's, once; a DaemonSet pod on a node the import lacks is left out.
    job = ImportedService(
        "batch/backup",
        "pod",
        "batch",
        1.5,
        1024.0,
        replicas=(
            Placement("x", "a", "Running", 1.5, 1024.0),
            Placement("y", "b", "Running", 0.1, 64.0),
        ),
    )
    agent = ImportedService(
        "kube-system/agent",
        "daemonset",
        "kube-system",
        0.3,
        100.0,
        replicas=(
            Placement("agent-a", "a", "Running", 0.2, 100.0),
            Placement("agent-b", "b", "Running", 0.3, 50.0),
            Placement("agent-z", "z", "Running", 0.3, 50.0),
        ),
    )
    scenario = scenario_from(cluster((job, agent), *hosts), "f", "F")
    assert [(h.name, h.cores, h.pods) for h in scenario.cluster.hosts] == [
        ("a", 4.0 - 1.5 - 0.2, 108),
        ("b", 4.0 - 0.1 - 0.3, 108),
    ]
    # 4096 - 1024 - 100 MB = 2972 MB, 4096 - 64 - 50 MB = 3982 MB, rounded down to 0.001 GB.
    assert [h.memory_gb for h in scenario.cluster.hosts] == [2.902, 3.888]
    notes = "\n".join(scenario_summary_lines(scenario))
    assert "4 DaemonSet, bare and static pods kept on their nodes" in notes
    assert "1 DaemonSet, bare and static pods not on a node of the import (left out)" in notes


def test_tolerations_and_where_each_replica_starts():
    hosts = (
        ImportedHost("a", 8.0, 8192.0, taints=(Taint("dedicated", "batch", "NoSchedule"),)),
        ImportedHost(
            "b", 8.0, 8192.0, taints=(Taint("node.kubernetes.io/unschedulable", "", "NoSchedule"),)
        ),
    )
    batch = Toleration("dedicated", "Equal", "batch", "NoSchedule", None)
    web = ImportedService(
        "shop/web",
        "deployment",
        "shop",
        0.25,
        256.0,
        replicas=(
            Placement("w1", "b"),
            Placement("w2", ""),  # not scheduled yet
            Placement("w3", "gone"),  # on a node the export does not have
            Placement("w4", "a"),
        ),
        tolerations=(*DEFAULT_TOLERATIONS, batch),
    )
    # A toleration of everything, for ever: never evicted from a lost node.
    agent = ImportedService(
        "ops/agent",
        "deployment",
        "ops",
        0.1,
        64.0,
        replicas=(Placement("g1", "a"),),
        tolerations=(Toleration("", "Exists", "", "", None),),
    )
    short = ImportedService(
        "ops/short",
        "statefulset",
        "ops",
        0.1,
        64.0,
        replicas=(Placement("s-0", "b"),),
        tolerations=(
            Toleration("node.kubernetes.io/unreachable", "Exists", "", "NoExecute", 30.0),
            Toleration("", "Exists", "", "NoExecute", 90.0),
            Toleration("slow", "Exists", "", "NoExecute", -5.0),
        ),
    )
    bare = ImportedService(
        "ops/bare", "deployment", "ops", 0.1, 64.0, replicas=(Placement("b", "a"),)
    )
    scenario = scenario_from(cluster((web, agent, short, bare), *hosts), "t", "T")
    services = {s.name: s for s in scenario.services}
    # The pods' own unreachable and not-ready tolerations are toleration_s; the rest are
    # written as they are.
    assert services["shop-web"].toleration_s == 300.0
    assert services["shop-web"].tolerations == (batch,)
    # The replicas found on a host start there, in order; the others are placed as usual.
    assert services["shop-web"].placement == ("b", "a")
    assert services["shop-web"].replicas == 4
    assert services["ops-agent"].toleration_s == MAX_DURATION_S
    assert services["ops-agent"].tolerations == (Toleration("", "Exists", "", "", None),)
    # The least seconds among the tolerations that match the unreachable taint.
    assert services["ops-short"].toleration_s == 30.0
    assert services["ops-short"].tolerations == (
        Toleration("", "Exists", "", "NoExecute", 90.0),
        Toleration("slow", "Exists", "", "NoExecute", 0.0),  # <= 0: at once, as the file takes
    )
    # No toleration of the unreachable taint (a pod file written by hand): the scenario's
    # default stands for what the DefaultTolerationSeconds admission plugin would add.
    assert services["ops-bare"].toleration_s is None and services["ops-bare"].tolerations == ()
    # The cordoned node keeps its taint.
    assert scenario.cluster.hosts[1].taints == ("node.kubernetes.io/unschedulable:NoSchedule",)
    notes = "\n".join(scenario_summary_lines(scenario))
    assert (
        "2 replicas found on no host of the import (the scheduler places them at the start)"
        in notes
    )
    again = loads_scenario(dumps_scenario(scenario), source="again.toml")
    assert again.services == scenario.services


def test_the_fixture_scenario_keeps_tolerations_and_placement():
    imported = import_kubernetes([FIXTURES / "nodes.json", FIXTURES / "pods.json"])
    scenario = scenario_from(imported, "fixture", "Fixture")
    services = {s.name: s for s in scenario.services}
    a1, a2, b1, b2 = (h.name for h in imported.hosts)  # b2: not ready
    web = services["shop-web"]
    assert (web.replicas, web.placement) == (4, (a1, b1, a1))  # the fourth is Pending
    assert web.toleration_s == 300.0 and web.tolerations == ()
    # legacy-report may run on the batch node, whose taint it tolerates.
    assert services["shop-legacy-report"].tolerations == (
        Toleration("dedicated", "Equal", "batch", "NoSchedule", None),
    )
    job = services.get("batch-nightly-export-28891230")
    assert job is None  # a Job's pod is held on its node, not a service that moves
    postgres = services["shop-postgres"]
    assert postgres.kind is ServiceKind.STATEFULSET and postgres.placement == (a1, b1)
    # The node not ready when exported fails at the start; its unreachable taints are the
    # simulation's node lifecycle controller's to set, not written twice.
    hosts = {h.name: h for h in scenario.cluster.hosts}
    assert hosts[b2].taints == () and hosts[a2].taints == ("dedicated=batch:NoSchedule",)
    assert [e.host for e in scenario.events] == [b2]
    notes = "\n".join(scenario_summary_lines(scenario))
    assert "2 unreachable and not-ready taints left to the simulation's node lifecycle" in notes
    again = loads_scenario(dumps_scenario(scenario), source="fixture.toml")
    assert again.services == scenario.services
