"""Hand-built clusters for the survey's tests, each with a known answer, and a helper that
runs the capacity analysis alone."""

from __future__ import annotations

import dataclasses
import random

from vmc_gui.model.cluster import ClusterSpec, HostSpec
from vmc_gui.model.parameters import ParameterSet
from vmc_gui.model.scenario import Scenario, ServiceKind, ServiceSpec, World
from vmc_gui.model.taints import Toleration
from vmc_gui.sim.capacity import analyse_hosts, steady_state
from vmc_gui.sim.survey import plan_for
from vmc_gui.sim.survey_outcome import Outcome

BOTH = (World.VM, World.CONTAINER)
#: No guest OS or runtime overhead: a replica is exactly its app's memory, so that the
#: arithmetic of each case is the one in its docstring.
NO_OVERHEAD = {"vm.guest_memory_overhead_mb": 0, "container.memory_overhead_mb": 0}
GB = 1024


def cluster_scenario(
    hosts: list[HostSpec],
    services: list[ServiceSpec],
    *,
    worlds: tuple[World, ...] = BOTH,
    events: tuple = (),
    **settings: float,
) -> Scenario:
    return Scenario(
        name="hand-built",
        title="A hand-built cluster",
        description="",
        seed=7,
        duration_s=600.0,
        cluster=ClusterSpec.of_hosts(hosts),
        worlds=worlds,
        services=tuple(services),
        events=events,
        parameters=ParameterSet().with_overrides({**NO_OVERHEAD, **settings}),
    )


def hosts(count: int, memory_gb: float, *, racks: int = 1, **extra: object) -> list[HostSpec]:
    """``count`` hosts of 32 cores and ``memory_gb``, dealt to ``racks`` racks in turn."""
    return [
        HostSpec(f"h{i + 1}", rack=i % racks + 1, cores=32, memory_gb=memory_gb, **extra)
        for i in range(count)
    ]


def web(replicas: int, memory_gb: float, **extra: object) -> ServiceSpec:
    return ServiceSpec("web", replicas, cpu=1.0, memory_mb=int(memory_gb * GB), **extra)


def analysed(scenario: Scenario) -> dict[str, dict[str, Outcome]]:
    """The capacity analysis of every host's failure, by world and host."""
    plan = plan_for(scenario)
    found: dict[str, dict[str, Outcome]] = {}
    for world in scenario.worlds:
        sim = steady_state(plan.baseline, world, plan.at_s)
        answers = analyse_hosts(sim, range(len(sim.host_names)))
        found[world.value] = {sim.host_names[h]: o for h, o in answers.items()}
    return found


def random_cluster(seed: int) -> Scenario:
    """A small cluster drawn from ``seed``: unequal hosts in 1 to 3 racks, some tainted, some
    with a pod limit; 1 to 4 services of every kind, some tolerating the taint, some with
    their own toleration of an unreachable node or a grace period of 0; failover clusters of
    2, 3 or 64 nodes."""
    r = random.Random(seed)
    racks = r.randint(1, 3)
    cluster_hosts = [
        HostSpec(
            f"n{i}",
            rack=i % racks + 1,
            cores=r.choice([4, 8, 16]),
            memory_gb=r.choice([8, 16, 24, 32]),
            pods=r.choice([None, 4, 8]),
            taints=("dedicated=db:NoSchedule",) if r.random() < 0.2 else (),
        )
        for i in range(r.randint(3, 7))
    ]
    services = [
        ServiceSpec(
            f"s{k}",
            r.randint(1, 10),
            cpu=r.choice([0.5, 1.0, 2.0]),
            memory_mb=r.choice([1, 2, 3, 4]) * GB,
            kind=ServiceKind.STATEFULSET if r.random() < 0.3 else ServiceKind.DEPLOYMENT,
            toleration_s=r.choice([None, None, 60.0]),
            termination_grace_period_s=r.choice([None, None, 0.0]),
            tolerations=(Toleration("dedicated", "Equal", "db", "NoSchedule"),)
            if r.random() < 0.3
            else (),
        )
        for k in range(r.randint(1, 4))
    ]
    scenario = cluster_scenario(
        cluster_hosts, services, **{"hyperv.max_cluster_nodes": r.choice([2, 3, 64])}
    )
    return dataclasses.replace(scenario, name=f"random-{seed}", seed=seed)
