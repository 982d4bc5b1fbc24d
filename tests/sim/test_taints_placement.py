"""Node taints and where replicas start (issue 21).

The container world's scheduler keeps a pod off a node with a NoSchedule or NoExecute taint it
does not tolerate, whenever it binds one (at the start, after a failure, a scale-out, a rolling
update, a descheduler's eviction); the taint eviction controller evicts a pod on a node with a
NoExecute taint it does not tolerate, at once or when its ``tolerationSeconds`` run out
(https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/).  The VM world
ignores taints.  A service's ``placement`` starts its first replicas on the hosts named, where
each has room, in both worlds.
"""

from __future__ import annotations

import numpy as np
import pytest

from vmc_gui.model.cluster import ClusterSpec, HostSpec
from vmc_gui.model.events import HostFail, HostRecover, Scale, TimedEvent, Update
from vmc_gui.model.parameters import ParameterSet
from vmc_gui.model.scenario import Scenario, ServiceSpec, World
from vmc_gui.model.taints import Toleration
from vmc_gui.sim import simulate
from vmc_gui.sim.records import EventType, HostStatus
from vmc_gui.sim.simulate import world_sim
from vmc_gui.sim.timeline import Timeline

GPU = "dedicated=gpu:NoSchedule"
GPU_OK = Toleration("dedicated", "Equal", "gpu", "NoSchedule")
CORDONED = "node.kubernetes.io/unschedulable:NoSchedule"
MAINTENANCE = "maintenance=true:NoExecute"


def host(name: str, *taints: str, rack: int = 1, memory_gb: float = 64.0, **sizes) -> HostSpec:
    return HostSpec(name, rack, memory_gb=memory_gb, taints=taints, **sizes)


def scenario(
    hosts: list[HostSpec],
    *services: ServiceSpec,
    events: tuple[TimedEvent, ...] = (),
    worlds: tuple[World, ...] = (World.CONTAINER,),
    duration_s: float = 600.0,
    parameters: dict[str, float] | None = None,
) -> Scenario:
    return Scenario(
        name="taints",
        title="Taints",
        description="",
        seed=3,
        duration_s=duration_s,
        cluster=ClusterSpec.of_hosts(hosts),
        worlds=worlds,
        services=services,
        events=events,
        parameters=ParameterSet().with_overrides(parameters or {}),
    )


def web(replicas: int = 6, **fields) -> ServiceSpec:
    return ServiceSpec("web", replicas, cpu=1.0, memory_mb=1024, **fields)


def four_nodes(*fourth_taints: str) -> list[HostSpec]:
    return [host("n1"), host("n2"), host("n3"), host("n4", *fourth_taints)]


def hosts_used(timeline: Timeline, world: World = World.CONTAINER) -> set[str]:
    """Every host a workload of the world was ever placed on or deployed to."""
    kinds = (EventType.WORKLOAD_DEPLOYED, EventType.WORKLOAD_PLACED)
    return {e.host for e in timeline.events if e.world == world and e.type in kinds}


def on(timeline: Timeline, t: float, name: str, world: World = World.CONTAINER) -> tuple:
    return timeline.worlds[world].state_at(t).host(name).workloads


def events(timeline: Timeline, kind: EventType, world: World = World.CONTAINER) -> list:
    return [e for e in timeline.events if e.world == world and e.type == kind]


# --- the scheduler's TaintToleration filter ---------------------------------------------------


def test_a_tainted_node_gets_no_intolerant_pod_at_deploy_nor_after_a_failure():
    timeline = simulate(
        scenario(four_nodes(GPU), web(), events=(HostFail(60.0, "n1"),), duration_s=900)
    )
    # n4 is empty, so the least-allocated scheduler would choose it first: it never does.
    assert on(timeline, 0, "n4") == ()
    assert "n4" not in hosts_used(timeline)
    # n1's two pods were evicted and replaced on the nodes they may use.
    assert len(events(timeline, EventType.WORKLOAD_PLACED)) == 2
    end = timeline.worlds[World.CONTAINER].state_at(900)
    assert end.service_ready.tolist() == [6]
    assert len(on(timeline, 900, "n2")) + len(on(timeline, 900, "n3")) == 6


def test_a_service_that_tolerates_the_taint_uses_the_node():
    for toleration in (GPU_OK, Toleration("dedicated", "Exists", "", "")):
        timeline = simulate(scenario(four_nodes(GPU), web(8, tolerations=(toleration,)), events=()))
        assert len(on(timeline, 0, "n4")) == 2  # spread over the four nodes alike


def test_one_service_is_kept_off_a_node_another_may_use():
    gpu = ServiceSpec("gpu", 4, cpu=1.0, memory_mb=1024, tolerations=(GPU_OK,))
    timeline = simulate(scenario(four_nodes(GPU), web(6), gpu))
    names = set(on(timeline, 0, "n4"))
    assert names and all(name.startswith("gpu-") for name in names)


def test_a_cordoned_node_takes_nothing_unless_tolerated():
    timeline = simulate(
        scenario(four_nodes(CORDONED), web(), events=(HostFail(60.0, "n1"),), duration_s=900)
    )
    assert "n4" not in hosts_used(timeline)
    # A pod that tolerates the unschedulable taint (as a DaemonSet's do) may go there.
    tolerant = web(
        8, tolerations=(Toleration("node.kubernetes.io/unschedulable", "Exists", "", "NoSchedule"),)
    )
    assert on(simulate(scenario(four_nodes(CORDONED), tolerant)), 0, "n4")


def test_prefer_no_schedule_does_not_keep_pods_off():
    timeline = simulate(scenario(four_nodes("spot=true:PreferNoSchedule"), web(8)))
    assert len(on(timeline, 0, "n4")) == 2


def test_scale_out_and_a_rolling_update_keep_off_the_tainted_node():
    timeline = simulate(
        scenario(
            four_nodes(GPU),
            web(3),
            events=(Scale(30.0, "web", 9), Update(60.0, "web")),
            duration_s=1800,
        )
    )
    assert events(timeline, EventType.UPDATE_FINISHED)
    assert len(events(timeline, EventType.WORKLOAD_PLACED)) >= 6 + 9
    assert "n4" not in hosts_used(timeline)


def test_the_pending_reason_names_each_untolerated_taint_as_the_scheduler_words_it():
    hosts = [
        host("n1", pods=1),
        host("n2", GPU),
        host("n3", "node-role.kubernetes.io/control-plane:NoSchedule"),
        host("n4", CORDONED, GPU),
    ]
    timeline = simulate(scenario(hosts, web(3)))
    reasons = set(timeline.worlds[World.CONTAINER].run.pending_reasons.values())
    assert reasons == {
        "0/4 nodes are available: 1 node(s) were unschedulable, "
        "2 node(s) had untolerated taint(s), "  # since 1.34 the taints are not named
        "1 Too many pods"
    }
    assert len(events(timeline, EventType.WORKLOAD_UNSCHEDULABLE)) == 2


def test_a_service_no_node_admits_waits_whatever_the_room():
    timeline = simulate(scenario([host("n1", GPU), host("n2", GPU)], web(2)))
    assert hosts_used(timeline) == set()
    reasons = set(timeline.worlds[World.CONTAINER].run.pending_reasons.values())
    assert reasons == {"0/2 nodes are available: 2 node(s) had untolerated taint(s)"}


def test_a_service_refused_by_other_taints_gets_its_own_reason():
    hosts = [host("n1", pods=1), host("n2", GPU)]
    tolerant = ServiceSpec("gpu", 3, cpu=1.0, memory_mb=1024, tolerations=(GPU_OK,))
    sim = world_sim(scenario(hosts, web(2), tolerant, worlds=(World.CONTAINER,)), World.CONTAINER)
    sim.deploy()
    by_service = {sim.services[sim.w_service[w]].name: r for w, r in sim.pending_reasons.items()}
    assert by_service["web"] == (
        "0/2 nodes are available: 1 node(s) had untolerated taint(s), 1 Too many pods"
    )
    assert "untolerated" not in by_service.get("gpu", "")


# --- the taint eviction controller: NoExecute ---------------------------------------------


def test_a_pod_found_on_a_node_whose_no_execute_taint_it_does_not_tolerate_is_evicted_at_once():
    hosts = [host("n1"), host("n2", MAINTENANCE)]
    timeline = simulate(scenario(hosts, web(2, placement=("n2", "n2")), duration_s=300))
    evicted = events(timeline, EventType.POD_EVICTED)
    assert [(e.time_s, e.host) for e in evicted] == [(0.0, "n2"), (0.0, "n2")]
    assert all(MAINTENANCE in e.detail for e in evicted)
    assert on(timeline, 300, "n2") == ()
    assert len(on(timeline, 300, "n1")) == 2
    assert timeline.worlds[World.CONTAINER].state_at(300).service_ready.tolist() == [2]


def test_a_toleration_with_seconds_keeps_the_pod_that_long():
    hosts = [host("n1"), host("n2", MAINTENANCE)]
    for_a_while = Toleration("maintenance", "Exists", "", "NoExecute", seconds=120.0)
    timeline = simulate(
        scenario(hosts, web(1, placement=("n2",), tolerations=(for_a_while,)), duration_s=200)
    )
    (evicted,) = events(timeline, EventType.POD_EVICTED)
    assert (evicted.time_s, evicted.host, evicted.subject) == (120.0, "n2", "web-0")
    assert "ran out after 120 s" in evicted.detail
    assert on(timeline, 119, "n2") == ("web-0",)


def test_a_no_execute_taint_tolerated_for_ever_evicts_nothing():
    hosts = [host("n1"), host("n2", MAINTENANCE)]
    forever = Toleration("maintenance", "Equal", "true", "NoExecute")
    timeline = simulate(scenario(hosts, web(2, placement=("n2", "n2"), tolerations=(forever,))))
    assert not events(timeline, EventType.POD_EVICTED)
    assert len(on(timeline, 600, "n2")) == 2


def test_a_no_schedule_taint_leaves_a_pod_found_running_there():
    # "Pods currently running on the node are not evicted": only new pods are kept off.
    hosts = [host("n1"), host("n2", GPU)]
    timeline = simulate(scenario(hosts, web(2, placement=("n2", "n2"))))
    assert on(timeline, 600, "n2") == ("web-0", "web-1")
    assert not events(timeline, EventType.POD_EVICTED)


# --- where replicas start ---------------------------------------------------------------


@pytest.mark.parametrize("world", [World.VM, World.CONTAINER])
def test_start_placement_puts_replicas_where_named(world):
    service = web(5, placement=("n3", "n3", "n1"))
    timeline = simulate(scenario(four_nodes(), service, worlds=(world,)))
    state = timeline.worlds[world].state_at(0)
    assert [state.workload(f"web-{r}").host for r in range(3)] == ["n3", "n3", "n1"]
    # The other two go where the least-loaded placement sends them: the empty nodes.
    assert {state.workload("web-3").host, state.workload("web-4").host} == {"n2", "n4"}


@pytest.mark.parametrize("world", [World.VM, World.CONTAINER])
def test_a_replica_whose_named_host_is_full_is_placed_elsewhere(world):
    # n1 holds one replica (a pod: its allocatable pods; a VM: its memory); a name no host has
    # is placed as usual too.
    hosts = [host("n1", memory_gb=2.0, pods=1), host("n2"), host("n3")]
    service = web(4, placement=("n1", "n1", "gone", "n3"))
    timeline = simulate(scenario(hosts, service, worlds=(world,)))
    state = timeline.worlds[world].state_at(0)
    where = [state.workload(f"web-{r}").host for r in range(4)]
    assert where[0] == "n1" and where[3] == "n3"
    assert where[1] in ("n2", "n3") and where[2] in ("n2", "n3")
    assert state.host("n1").workloads == ("web-0",)
    assert state.service_ready.tolist() == [4]


def test_a_hyperv_replica_placed_on_a_named_host_belongs_to_that_hosts_failover_cluster():
    # Two failover clusters of two nodes: n1 and n3 are cluster 1, n2 and n4 cluster 2.
    s = scenario(
        four_nodes(),
        web(4, placement=("n1", "n1", "n1")),
        worlds=(World.VM,),
        events=(HostFail(60.0, "n1"),),
        parameters={"hyperv.max_cluster_nodes": 2},
    )
    sim = world_sim(s, World.VM)
    sim.deploy()
    assert sim.pool_of == [0, 1, 0, 1]
    assert [sim.w_host[w] for w in range(3)] == [0, 0, 0]
    assert all(sim.w_pool[w] == sim.pool_of[sim.w_host[w]] for w in range(4))
    assert sim.pool_count == [sum(sim.count[h] for h in (0, 2)), sum(sim.count[h] for h in (1, 3))]
    # Failed over within its own cluster: to n3, never to n2 or n4.
    timeline = simulate(s)
    state = timeline.worlds[World.VM].state_at(600)
    assert [state.workload(f"web-{r}").host for r in range(3)] == ["n3"] * 3


def test_the_vm_world_ignores_taints():
    hosts = four_nodes(GPU, MAINTENANCE)
    timeline = simulate(
        scenario(hosts, web(8, placement=("n4",)), worlds=(World.VM, World.CONTAINER))
    )
    assert len(on(timeline, 600, "n4", World.VM)) == 2
    assert not events(timeline, EventType.POD_EVICTED, World.VM)
    assert on(timeline, 600, "n4") == ()  # the container world: evicted and kept off


def test_taints_every_service_tolerates_place_as_an_untainted_cluster():
    everything = Toleration("", "Exists", "", "")
    plain = simulate(scenario(four_nodes(), web(7, tolerations=(everything,))))
    tainted = simulate(scenario(four_nodes(GPU), web(7, tolerations=(everything,))))
    lines = list(plain.worlds[World.CONTAINER].canonical_lines())
    assert list(tainted.worlds[World.CONTAINER].canonical_lines()) == lines


def test_a_large_imported_placement_is_honoured_in_bulk():
    hosts = [host(f"n{i}", rack=1 + i % 10, cores=16, pods=40) for i in range(1000)]
    rng = np.random.default_rng(5)
    named = tuple(f"n{i}" for i in rng.integers(0, 1000, 30_000).tolist())
    sim = world_sim(scenario(hosts, web(30_000, placement=named)), World.CONTAINER)
    sim.deploy()
    seen: dict[str, int] = {}
    for w, name in enumerate(named):
        # Each replica whose host still had room (16 cores, 40 pods) stays where it was found.
        seen[name] = seen.get(name, 0) + 1
        if seen[name] <= 16:
            assert sim.host_names[sim.w_host[w]] == name
    # The rest fill what room is left: every host, to its 16 cores.
    assert sim.count == [16] * 1000


# --- the descheduler ---------------------------------------------------------------------


def _hot_and_empty(*empty_taints: str, tolerations: tuple[Toleration, ...] = ()) -> Timeline:
    # n1 holds four pods of 2.5 cores (62 % of 16, over the 50 % target); n2 is empty.
    hosts = [host("n1", cores=16), host("n2", *empty_taints, cores=16)]
    service = ServiceSpec(
        "web", 4, cpu=2.5, memory_mb=1024, placement=("n1",) * 4, tolerations=tolerations
    )
    return simulate(
        scenario(hosts, service, duration_s=300, parameters={"descheduler.interval_s": 120})
    )


def test_the_descheduler_evicts_no_pod_that_tolerates_no_underutilized_node():
    untainted = _hot_and_empty()
    assert events(untainted, EventType.POD_EVICTED)
    assert on(untainted, 300, "n2")

    tainted = _hot_and_empty(GPU)
    assert not events(tainted, EventType.POD_EVICTED)
    passes = [e.detail for e in events(tainted, EventType.BALANCER_PASS)]
    assert passes and all(
        "skipped: they tolerate no underutilized node's taints" in d for d in passes
    )

    tolerated = _hot_and_empty(GPU, tolerations=(GPU_OK,))
    assert events(tolerated, EventType.POD_EVICTED)
    assert on(tolerated, 300, "n2")


def test_the_descheduler_never_counts_a_cordoned_node_as_underutilized():
    cordoned = _hot_and_empty(CORDONED)
    assert not events(cordoned, EventType.POD_EVICTED)
    assert all("nothing to do" in e.detail for e in events(cordoned, EventType.BALANCER_PASS))


def test_a_node_imported_cordoned_shows_cordoned_and_keeps_what_runs_there():
    found = web(6, placement=("n4", "n4", "n1"))
    events_ = (HostFail(60.0, "n4"), HostRecover(400.0, "n4"))
    timeline = simulate(
        scenario(four_nodes(CORDONED), found, events=events_, worlds=(World.VM, World.CONTAINER))
    )
    container = timeline.worlds[World.CONTAINER]
    assert container.state_at(0.0).host("n4").status == "draining"  # drawn "cordoned"
    assert len(on(timeline, 30.0, "n4")) == 2  # a cordon evicts nothing
    # The VM world has no cordon: the same host is up there.
    assert timeline.worlds[World.VM].state_at(0.0).host("n4").status == "up"
    # Back from its failure, it is cordoned still: the cordon is the Node object's.
    assert container.state_at(500.0).host("n4").status == "draining"


def test_a_short_form_cluster_has_no_cordon():
    timeline = simulate(scenario(four_nodes(), web()))
    statuses = timeline.worlds[World.CONTAINER].state_at(0.0).host_status
    assert set(statuses.tolist()) == {int(HostStatus.UP)}


def test_a_host_found_down_is_offered_nothing_new():
    # An import's node that was not Ready (down = true) fails at 0 s: the replicas found on
    # it start there and fail with it, but none of those still to place is put on it first.
    # A host_fail at 0 s written by hand is a failure like any other: that host is filled.
    nodes = [*four_nodes()[:3], host("n4", down=True)]
    cases = ((nodes, web(6, placement=("n4",)), 1), (nodes, web(6), 0), (four_nodes(), web(8), 2))
    for hosts_, service, on_n4 in cases:
        timeline = simulate(
            scenario(
                hosts_,
                service,
                events=(HostFail(0.0, "n4"),),
                worlds=(World.VM, World.CONTAINER),
            )
        )
        for world in (World.VM, World.CONTAINER):
            deployed = [
                e.host
                for e in timeline.events
                if e.world == world and e.type == EventType.WORKLOAD_DEPLOYED
            ]
            assert deployed.count("n4") == on_n4, world
