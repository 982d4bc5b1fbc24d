"""The bookkeeping holds under the lessons' events too: scaling, updates, hot hosts, exploits,
mixed with failures, in every world."""

from __future__ import annotations

import os

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.scenarios import failover
from vmc_gui.model.events import (
    Drain,
    Exploit,
    HostFail,
    HostRecover,
    Rebalance,
    Scale,
    SetParameter,
    Update,
)
from vmc_gui.model.scenario import World
from vmc_gui.sim.records import CONSUMING, HostStatus, Phase
from vmc_gui.sim.simulate import world_sim
from vmc_gui.sim.timeline import WorldTimeline

HOSTS = [f"r{r}-h0{h}" for r in (1, 2) for h in (1, 2, 3)]
times = st.floats(0, 500)

event = st.one_of(
    st.builds(
        lambda t, cls, host: cls(t, host),
        times,
        st.sampled_from([HostFail, HostRecover]),
        st.sampled_from(HOSTS),
    ),
    st.builds(lambda t, host: Drain(t, host=host), times, st.sampled_from(HOSTS)),
    st.builds(
        lambda t, n: Scale(t, service="web", replicas=n),
        times,
        st.integers(0, 30),
    ),
    st.builds(lambda t: Update(t, service="web"), times),
    st.builds(lambda t: Exploit(t, service="web"), times),
    st.builds(
        lambda t, host, n: Rebalance(t, host=host, count=n),
        times,
        st.sampled_from(HOSTS),
        st.integers(1, 4),
    ),
    st.builds(
        lambda t, value: SetParameter(t, parameter="kubernetes.max_surge_percent", value=value),
        times,
        st.integers(0, 100),
    ),
)

SHORT = {  # keep updates within the run so that they finish
    "vm.patch_stage_s": 30.0,
    "vm.patch_offline_s": 30.0,
    "container.image_build_s": 10.0,
    "migration.setup_s": 1.0,
}


@settings(
    max_examples=int(os.environ.get("VMC_EXAMPLES", 150)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    events=st.lists(event, max_size=6),
    replicas=st.integers(0, 12),
    memory_mb=st.sampled_from([1000, 6000]),
    world=st.sampled_from(list(World)),
)
def test_accounting_matches_the_workloads_in_every_world(events, replicas, memory_mb, world):
    scenario = failover(
        racks=2, hosts_per_rack=3, memory_gb=32, replicas=replicas, memory_mb=memory_mb, events=""
    ).with_parameters(SHORT)
    for e in events:
        scenario = scenario.with_event(e)
    sim = world_sim(scenario, world)
    run = sim.run()
    wt = WorldTimeline(run)
    state = wt.state_at(scenario.duration_s)

    # The simulation's running totals equal what the timeline replays: the workloads that hold
    # resources, and the memory a live migration holds on its target (which the instance
    # count leaves out while it is in flight).
    in_flight = bool(getattr(sim, "migrations", None) and sim.migrations.moves)
    holding = np.isin(state.workload_phase, [int(p) for p in CONSUMING]) & (
        state.workload_host >= 0
    )
    assert np.allclose(sim.memory_used, state.host_memory_gb * 1024, atol=1e-6)
    assert np.allclose(sim.cpu_used, state.host_cpu, atol=1e-9)
    if not in_flight:
        counts = np.bincount(state.workload_host[holding], minlength=len(sim.host_names))
        assert sim.count == counts.tolist()
    assert min(sim.memory_used) >= -1e-6 and min(sim.count) >= 0
    assert (state.host_memory_gb <= 32 + 1e-9).all()

    # Readiness: the counters, the state and the phases agree; ready replicas run on live hosts.
    ready = state.workload_phase == Phase.READY
    assert sim.ready == [int(ready.sum())]
    serving = (HostStatus.UP, HostStatus.DRAINING)
    assert np.isin(state.host_status[state.workload_host[ready]], serving).all()
    # No workload is both stopped and holding anything.
    stopped = state.workload_phase == Phase.STOPPED
    assert not (stopped & holding).any()
    # Nothing waits while there is room for it (freed room is offered to the waiting).
    waiting = [w for w in sim.pending_reasons if sim.w_phase[w] == Phase.PENDING]
    assert all(sim.pick(w) < 0 for w in waiting)
    # Never more instances than demand allows, plus a rolling update's surge.
    desired = max([replicas, *(e.replicas for e in events if isinstance(e, Scale))])
    assert int(holding.sum()) <= 2 * desired
