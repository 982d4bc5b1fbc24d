"""The bulk deployment is the pool-by-pool deployment it replaced, only faster.

``deploy`` used to fill each failover cluster (pool) with its own call of ``greedy_fill`` and
bind its replicas host by host; it now searches every pool side by side
(``greedy_fill_rows``) and binds a service at once.  These tests keep the old way here, as the
reference, and check that the new one leaves the same placements, the same log row for row,
the same state, and so the same run after it.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from vmc_gui.model.loader import loads_scenario
from vmc_gui.model.scenario import World
from vmc_gui.sim.engine import Priority
from vmc_gui.sim.placement import greedy_fill, greedy_fill_rows
from vmc_gui.sim.records import EventType, Phase
from vmc_gui.sim.simulate import world_sim


def _reference_greedy_fill(start, step, room, count):
    """greedy_fill as it was before the rows: one pool, one binary search."""
    room = np.minimum(np.maximum(room, 0), count).astype(np.int64)
    count = min(count, int(room.sum()))
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    step = np.maximum(step, 1e-12)
    has_room = room > 0
    lo = float(start[has_room].min()) - 1.0
    hi = float((start + (room - 1) * step)[has_room].max())
    for _ in range(100):
        mid = (lo + hi) / 2.0
        taken = _reference_taken(start, step, room, mid).sum()
        if taken == count:
            hi = mid
            break
        if taken > count:
            hi = mid
        else:
            lo = mid
        if hi - lo <= 1e-12 * max(1.0, abs(hi)):
            break
    take = _reference_taken(start, step, room, hi)
    hosts = np.repeat(np.arange(len(room), dtype=np.int64), take)
    k = np.arange(len(hosts), dtype=np.int64) - np.repeat(np.cumsum(take) - take, take)
    loads = start[hosts] + k * step[hosts]
    order = np.lexsort((k, hosts, loads))[:count]
    return hosts[order]


def _reference_taken(start, step, room, level):
    below = np.floor((level - start) / step).astype(np.int64) + 1
    return np.clip(below, 0, room)


# A pool: each host's load, its step (tiny ones included: the search's floor is 1e-12), and
# its room; all hosts alike sometimes, as in a fresh failover cluster, where the counts tie
# and the search ends on its tolerance rather than on an exact count.
_HOST = st.tuples(
    st.floats(0.0, 2.0, allow_nan=False),
    st.one_of(st.floats(1e-9, 0.5), st.sampled_from([0.0, 1 / 3, 0.1, 2.0**-20])),
    st.integers(-1, 15),
)
_POOL = st.one_of(
    st.lists(_HOST, max_size=9),
    st.builds(lambda host, n: [host] * n, _HOST, st.integers(1, 9)),
)


@settings(max_examples=300, deadline=None)
@given(pools=st.lists(st.tuples(_POOL, st.integers(0, 60)), min_size=1, max_size=6))
def test_each_row_is_filled_as_its_pool_alone(pools):
    width = max(len(hosts) for hosts, _ in pools)
    start = np.zeros((len(pools), width))
    step = np.ones((len(pools), width))
    room = np.zeros((len(pools), width), dtype=np.int64)  # padding: no room
    for r, (hosts, _) in enumerate(pools):
        for i, (load, each, free) in enumerate(hosts):
            start[r, i], step[r, i], room[r, i] = load, each, free
    counts = np.array([count for _, count in pools], dtype=np.int64)
    rows = greedy_fill_rows(start, step, room, counts)
    for r, (hosts, count) in enumerate(pools):
        n = len(hosts)
        expected = _reference_greedy_fill(start[r, :n], step[r, :n], room[r, :n], count)
        assert rows[r].tolist() == expected.tolist()
        assert greedy_fill(start[r, :n], step[r, :n], room[r, :n], count).tolist() == (
            expected.tolist()
        )


def _reference_deploy(sim):
    """WorldSim.deploy as it was: each pool filled, bound and logged in turn."""
    sim._deploying = True
    pools = len(sim.pool_count)
    members = [np.flatnonzero(np.asarray(sim.pool_of) == p) for p in range(pools)]
    cores = np.asarray(sim.host_cores)
    memory = np.asarray(sim.host_memory)
    for s, service in enumerate(sim.services):
        first = len(sim.w_name)
        sim.create_many(s, service.replicas)
        cpu, mem = service.cpu, sim.workload_memory(service)
        for pool in range(pools):
            workloads = range(first + pool, first + service.replicas, pools)
            hosts = members[pool]
            used_cpu = np.asarray(sim.cpu_used)[hosts]
            used_mem = np.asarray(sim.memory_used)[hosts]
            load = sim.load_of(used_cpu, used_mem, cores[hosts], memory[hosts])
            step = sim.load_of(used_cpu + cpu, used_mem + mem, cores[hosts], memory[hosts]) - load
            room = sim.room(hosts, cpu, mem)
            wanted = min(len(workloads), sim.pool_room(pool))
            chosen = hosts[_reference_greedy_fill(load, step, room, wanted)]
            _reference_deploy_on(sim, s, workloads[: len(chosen)], chosen)
            for w in workloads[len(chosen) :]:
                sim.unschedulable(w)
    sim.placer.rebuild()
    sim._deploying = False
    for s in range(len(sim.services)):
        sim.check_service(s)


def _reference_deploy_on(sim, s, workloads, chosen):
    if not len(chosen):
        return
    hosts = chosen.tolist()
    ready = int(Phase.READY)
    sim.w_host[workloads.start : workloads.stop : workloads.step] = hosts
    sim.w_phase[workloads.start : workloads.stop : workloads.step] = [ready] * len(hosts)
    sim.events.extend(
        sim.engine.now, int(EventType.WORKLOAD_DEPLOYED), list(workloads), hosts, ready
    )
    cpu, mem = sim.w_cpu[workloads[0]], sim.w_memory[workloads[0]]
    order = np.argsort(chosen, kind="stable")
    by_host = np.arange(workloads.start, workloads.stop, workloads.step)[order].tolist()
    sorted_hosts = chosen[order]
    bounds = np.flatnonzero(np.diff(sorted_hosts)) + 1
    starts = [0, *bounds.tolist()]
    ends = [*bounds.tolist(), len(hosts)]
    for h, a, b in zip(sorted_hosts[starts].tolist(), starts, ends, strict=True):
        n = b - a
        sim.on_host[h].update(dict.fromkeys(by_host[a:b]))
        sim.cpu_used[h] += n * cpu
        sim.memory_used[h] += n * mem
        sim.count[h] += n
        sim.pool_count[sim.pool_of[h]] += n
    sim.ready[s] += len(hosts)
    if sim.local_storage:
        sim.w_pin[workloads.start : workloads.stop : workloads.step] = hosts
    sim.deployed_on(s, np.unique(chosen).tolist())


def _state(sim):
    """Everything a deployment leaves, as plain values (enum members as their codes)."""
    log = sim.events
    columns = (log.time, log.kind, log.workload, log.host, log.value, log.detail)
    state = {
        "log": [[c if isinstance(c, (str, float)) else int(c) for c in col] for col in columns],
        "on_host": [list(d) for d in sim.on_host],
        "pending": list(sim.pending),
        "pending_reasons": dict(sim.pending_reasons),
    }
    for name in (
        "w_name",
        "w_service",
        "w_host",
        "w_phase",
        "w_pool",
        "w_pin",
        "w_moves",
        "cpu_used",
        "memory_used",
        "count",
        "pool_count",
        "ready",
        "degraded",
    ):
        state[name] = [v if isinstance(v, (str, float)) else int(v) for v in getattr(sim, name)]
    if hasattr(sim, "images"):
        state["images"] = [sorted(images) for images in sim.images]
        state["ordinals"] = dict(sim.ordinals)
    return state


def _scenario(racks, per_rack, memory_gb, cluster_nodes, limits, services, events, worlds):
    lines = [
        "[scenario]",
        'name = "deploy"',
        'title = "deploy"',
        "seed = 3",
        "duration_s = 600",
        f"worlds = {worlds!r}".replace("'", '"'),
        "[cluster]",
        f"racks = {racks}",
        f"hosts_per_rack = {per_rack}",
        "cores = 8",
        f"memory_gb = {memory_gb}",
        "[parameters]",
        f'"hyperv.max_cluster_nodes" = {cluster_nodes}',
        *(f'"{name}" = {value}' for name, value in limits),
    ]
    for i, (replicas, cpu, memory_mb, stateful) in enumerate(services):
        lines += [
            "[[services]]",
            f'name = "s{i}"',
            f"replicas = {replicas}",
            f"cpu = {cpu}",
            f"memory_mb = {memory_mb}",
        ]
        if stateful:
            lines.append('kind = "statefulset"')
    hosts = [f"r{r}-h{h:02d}" for r in range(1, racks + 1) for h in range(1, per_rack + 1)]
    for at, kind, which in events:
        lines += ["[[events]]", f"at_s = {at}", f'kind = "{kind}"']
        if kind == "rack_fail":
            lines.append(f"rack = {which % racks + 1}")
        else:
            lines.append(f'host = "{hosts[which % len(hosts)]}"')
    return loads_scenario("\n".join(lines) + "\n", source="deploy")


@settings(max_examples=60, deadline=None)
@given(
    racks=st.integers(1, 4),
    per_rack=st.integers(1, 6),
    memory_gb=st.sampled_from([4, 16, 64]),
    cluster_nodes=st.sampled_from([1, 2, 3, 5, 64]),
    limits=st.lists(
        st.sampled_from(
            [
                ("hyperv.max_vms_per_host", 2),
                ("hyperv.max_cluster_vms", 7),
                ("kubernetes.max_pods_per_node", 3),
                ("kubernetes.max_pods", 20),
            ]
        ),
        max_size=2,
        unique=True,
    ),
    services=st.lists(
        st.tuples(
            st.integers(0, 40),
            st.sampled_from([0.25, 1, 3]),
            st.sampled_from([500, 2048, 3500]),  # 3500: a VM fills a 4 GB host
            st.booleans(),
        ),
        min_size=1,
        max_size=3,
    ),
    events=st.lists(
        st.tuples(
            st.integers(0, 300),
            st.sampled_from(["host_fail", "rack_fail", "host_recover", "drain"]),
            st.integers(0, 30),
        ),
        max_size=4,
    ),
    world=st.sampled_from(
        [
            World.VM,
            World.VM_LOCAL_DISK,
            World.CONTAINER,
            World.CONTAINER_DISK_VOLUME,
            World.HYPERV_CONTAINER,
        ]
    ),
)
def test_deploy_is_the_pool_by_pool_fill(
    racks, per_rack, memory_gb, cluster_nodes, limits, services, events, world
):
    scenario = _scenario(
        racks, per_rack, memory_gb, cluster_nodes, limits, services, events, [world.value]
    )
    bulk, one_by_one = world_sim(scenario, world), world_sim(scenario, world)
    bulk.deploy()
    _reference_deploy(one_by_one)
    # A Kubernetes world's own deploy then lists each StatefulSet's pods, as the new one does.
    if hasattr(one_by_one, "ordinals"):
        for w, s in enumerate(one_by_one.w_service):
            if one_by_one.stateful_service[s]:
                one_by_one.ordinals[s].append(w)
                if one_by_one.disk_world and one_by_one.w_phase[w] == Phase.READY:
                    one_by_one.disks.deployed(w, one_by_one.w_host[w])
    assert _state(bulk) == _state(one_by_one)
    # The same state makes the same run: the faults find each host's workloads in the order
    # they took them.
    for sim in (bulk, one_by_one):
        for event in scenario.events:
            sim.engine.at(event.at_s, Priority.FAULT, sim.inject, event)
        sim.engine.run(scenario.duration_s)
    assert _state(bulk) == _state(one_by_one)
