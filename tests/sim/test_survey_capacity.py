"""The survey's capacity analysis (issue 21, §4): known answers on hand-built clusters, each
platform's own placement rules, and agreement with the simulation wherever both answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sim.survey_cases import (
    GB,
    analysed,
    cluster_scenario,
    hosts,
    random_cluster,
    web,
)
from vmc_gui.model.cluster import HostSpec
from vmc_gui.model.events import HostFail
from vmc_gui.model.library import resolve
from vmc_gui.model.scenario import ServiceKind, ServiceSpec
from vmc_gui.model.taints import Toleration
from vmc_gui.sim import simulate
from vmc_gui.sim.capacity import analyse_hosts, steady_state
from vmc_gui.sim.survey import plan_for
from vmc_gui.sim.survey_outcome import outcomes_of

ROOT = Path(__file__).resolve().parents[2]
IMPORTS = ROOT / "tests" / "import"


def test_a_service_of_two_and_a_half_hosts_worth_leaves_two_pending_after_any_failure():
    # 6 replicas of 4 GB on 3 hosts of 10 GB: two a host (8 GB).  A host fails: its two need
    # 4 GB each, and each host left has 2 GB.  Both worlds: 2 pending, whichever host.
    found = analysed(cluster_scenario(hosts(3, 10), [web(6, 4)]))
    for world in ("vm", "container"):
        for host in ("h1", "h2", "h3"):
            outcome = found[world][host]
            assert (outcome.lost, outcome.pending, outcome.held_back) == (2, {"web": 2}, {})
            assert not outcome.survives and outcome.exact


def test_the_same_service_on_hosts_of_12_gb_survives_any_single_failure():
    # Two a host leave 4 GB on each: the failed host's two go one to each survivor.
    found = analysed(cluster_scenario(hosts(3, 12), [web(6, 4)]))
    assert all(o.survives and o.lost == 2 for by_host in found.values() for o in by_host.values())


def test_a_failover_cluster_boundary_strands_vms_that_one_cluster_would_place():
    # Hosts of 10, 30, 10 and 30 GB in failover clusters of two nodes (hyperv.max_cluster_nodes
    # 2: h1 and h3 are cluster 1, h2 and h4 cluster 2), 8 VMs of 4 GB dealt to the clusters
    # in turn: h1 and h3 hold two each.  h1 fails: its VMs may only go to h3, which has 2 GB.
    mixed = [HostSpec(f"h{i + 1}", 1, 32, memory) for i, memory in enumerate((10, 30, 10, 30))]
    split = analysed(cluster_scenario(mixed, [web(8, 4)], **{"hyperv.max_cluster_nodes": 2}))
    assert split["vm"]["h1"].pending == {"web": 2}
    assert "failover cluster 1" in split["vm"]["h1"].reason
    assert split["vm"]["h2"].survives  # cluster 2's other node has 22 GB free
    # Kubernetes is one cluster of every node: the 30 GB nodes take them.
    assert all(o.survives for o in split["container"].values())
    # One failover cluster of all four: the VMs go where the room is.
    one = analysed(cluster_scenario(mixed, [web(8, 4)], **{"hyperv.max_cluster_nodes": 64}))
    assert all(o.survives for o in one["vm"].values())


def test_a_nodes_pod_capacity_is_kubernetes_own_limit():
    # 7 small pods on 3 nodes of at most 3 pods: 3, 2 and 2.  Any node fails: one pod more
    # than the others' free slots.  VMs have no such limit.
    found = analysed(cluster_scenario(hosts(3, 64, pods=3), [web(7, 1)]))
    for host, outcome in found["container"].items():
        assert outcome.pending == {"web": 1}, host
        assert "Too many pods" in outcome.reason
    assert all(o.survives for o in found["vm"].values())


def test_a_taint_keeps_replacements_off_the_node_unless_they_tolerate_it():
    # h3 is tainted: the pods run two a node on h1 and h2 (8 of 10 GB); one fails, and its two
    # may not go to the empty h3.  The VM world knows no taints.
    tainted = [*hosts(2, 10), HostSpec("h3", 1, 32, 10, taints=("dedicated=db:NoSchedule",))]
    found = analysed(cluster_scenario(tainted, [web(4, 4)]))
    assert found["container"]["h1"].pending == {"web": 2}
    assert "untolerated taint(s)" in found["container"]["h1"].reason
    assert found["container"]["h3"].lost == 0
    assert all(o.survives for o in found["vm"].values())
    tolerating = web(4, 4, tolerations=(Toleration("dedicated", "Equal", "db", "NoSchedule"),))
    assert all(
        o.survives for o in analysed(cluster_scenario(tainted, [tolerating]))["container"].values()
    )


def test_a_statefulset_pod_is_held_back_where_a_deployment_pod_is_replaced():
    stateful = web(3, 4, kind=ServiceKind.STATEFULSET)
    found = analysed(cluster_scenario(hosts(3, 10), [stateful]))
    for outcome in found["container"].values():
        assert (outcome.pending, outcome.held_back) == ({}, {"web": 1})
        assert "stays Terminating" in outcome.reason
    assert all(o.survives for o in found["vm"].values())
    # A grace period of 0: the pod object goes at once and is recreated, one at a time (a
    # clock's order: the survey simulates such a host as well).
    quick = web(3, 4, kind=ServiceKind.STATEFULSET, termination_grace_period_s=0.0)
    for outcome in analysed(cluster_scenario(hosts(3, 10), [quick]))["container"].values():
        assert outcome.survives and not outcome.exact


def test_no_pod_is_evicted_once_every_zone_is_fully_disrupted():
    # Two racks, each its own zone of one node; h2 is down from the start.  h1 fails too: every
    # zone is fully disrupted, and the node lifecycle controller stops all evictions.
    two = [HostSpec("h1", 1, 32, 64), HostSpec("h2", 2, 32, 64)]
    found = analysed(cluster_scenario(two, [web(4, 1)], events=(HostFail(0.0, "h2"),)))
    assert found["container"]["h1"].held_back == {"web": 4}
    assert "every zone is fully disrupted" in found["container"]["h1"].reason
    assert found["vm"]["h1"].pending == {"web": 4}  # nowhere to fail over to


def test_a_small_zone_partially_disrupted_stops_evicting():
    # One zone of five nodes, two down from the start; a third fails: 3 of 5 not ready, more
    # than 2 and over 55 %, in a zone of 50 nodes or fewer: no evictions at all.
    five = hosts(5, 16)
    start = (HostFail(0.0, "h4"), HostFail(0.0, "h5"))
    found = analysed(cluster_scenario(five, [web(5, 1)], events=start))
    assert found["container"]["h1"].held_back and not found["container"]["h1"].pending
    assert "partially disrupted" in found["container"]["h1"].reason
    assert found["vm"]["h1"].survives


def test_the_analysis_leaves_the_world_as_it_found_it():
    scenario = resolve("failover")
    plan = plan_for(scenario)
    fresh = steady_state(plan.baseline, scenario.worlds[0], plan.at_s)
    sim = steady_state(plan.baseline, scenario.worlds[0], plan.at_s)
    first = analyse_hosts(sim, range(len(sim.host_names)))
    for name in ("cpu_used", "memory_used", "count", "pool_count", "on_host", "status"):
        assert getattr(sim, name) == getattr(fresh, name), name
    assert analyse_hosts(sim, range(len(sim.host_names))) == first  # and again: the same


def test_cancelling_stops_the_analysis_at_the_next_host():
    scenario = resolve("failover")
    plan = plan_for(scenario)
    sim = steady_state(plan.baseline, scenario.worlds[0], plan.at_s)
    asked = []
    found = analyse_hosts(sim, range(12), lambda: asked.append(1) or len(asked) > 3)
    assert len(found) == 3


def _imported(source: str, *parts: str):
    from vmc_gui.model.importing.build import import_cluster

    paths = [str(IMPORTS.joinpath(*part.split("/"))) for part in parts]
    return import_cluster(source, paths, name="imported", title="Imported").scenario


AGREEMENT = {
    "two and a half hosts' worth": lambda: cluster_scenario(hosts(3, 10), [web(6, 4)]),
    "failover cluster boundary": lambda: cluster_scenario(
        [HostSpec(f"h{i + 1}", 1, 32, m) for i, m in enumerate((10, 30, 10, 30))],
        [web(8, 4)],
        **{"hyperv.max_cluster_nodes": 2},
    ),
    "pods per node": lambda: cluster_scenario(hosts(3, 64, pods=3), [web(7, 1)]),
    "a statefulset and a deployment": lambda: cluster_scenario(
        hosts(4, 12, racks=2),
        [web(5, 2), ServiceSpec("db", 3, 1.0, 4 * GB, kind=ServiceKind.STATEFULSET)],
    ),
    "the failover lesson": lambda: resolve("failover"),
    "four kinds of storage": lambda: resolve("storage"),
    "unequal hosts": lambda: resolve(str(ROOT / "examples" / "unequal-hosts.toml")),
    "an imported kubernetes cluster": lambda: _imported(
        "kubernetes", "kubernetes/nodes.json", "kubernetes/pods.json"
    ),
    "an imported hyper-v cluster": lambda: _imported(
        "hyperv", "hyperv/ps51/nodes.json", "hyperv/ps51/vms.json", "hyperv/ps51/groups.json"
    ),
    **{f"random cluster {seed}": (lambda seed=seed: random_cluster(seed)) for seed in range(10)},
}


@pytest.mark.parametrize("case", AGREEMENT)
def test_the_analysis_agrees_with_the_simulation_on_every_host(case):
    """What makes the fast path trustworthy: for every host of each case, in every world, the
    capacity analysis finds the very replicas pending and held back that simulating the
    failure leaves at the end of the survey's watch (and none still starting)."""
    scenario = AGREEMENT[case]()
    plan = plan_for(scenario)
    found = analysed(scenario)
    for candidate in plan.hosts:
        event = HostFail(plan.at_s, candidate.name)
        simulated = outcomes_of(simulate(plan.baseline.with_event(event)), plan.at_s)
        for world, outcome in simulated.items():
            analysis = found[world][candidate.name]
            assert not outcome.starting, (candidate.name, world, outcome)
            assert (analysis.pending, analysis.held_back) == (
                outcome.pending,
                outcome.held_back,
            ), (candidate.name, world, outcome.reason)
            assert analysis.lost == outcome.lost or not outcome.lost, (candidate.name, world)
