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
)
from vmc_gui.model.importing.kubernetes import import_kubernetes
from vmc_gui.model.importing.to_scenario import scenario_from
from vmc_gui.model.loader import loads_scenario
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
    assert "1 DaemonSet, bare and static pods not on a node yet (left out)" in notes
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
