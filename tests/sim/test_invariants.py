"""Whatever happens to the cluster, the bookkeeping holds."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.scenarios import failover
from vmc_gui.model.events import HostFail, HostRecover, RackFail, SetParameter
from vmc_gui.model.scenario import World
from vmc_gui.sim import simulate
from vmc_gui.sim.records import HostStatus, Phase
from vmc_gui.sim.summary import summarize

HOSTS = [f"r{r}-h0{h}" for r in (1, 2) for h in (1, 2, 3)]

event = st.one_of(
    st.builds(
        lambda t, cls, host: cls(t, host),
        st.floats(0, 500),
        st.sampled_from([HostFail, HostRecover]),
        st.sampled_from(HOSTS),
    ),
    st.builds(
        lambda t, rack: RackFail(t, rack=rack),
        st.floats(0, 500),
        st.integers(1, 2),
    ),
    st.builds(
        lambda t, value: SetParameter(
            t, parameter="kubernetes.default_unreachable_toleration_s", value=value
        ),
        st.floats(0, 500),
        st.floats(0, 120),
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    events=st.lists(event, max_size=8),
    replicas=st.integers(0, 20),
    memory_mb=st.sampled_from([1000, 6000, 15000]),
)
def test_resources_readiness_and_hosts_stay_consistent(events, replicas, memory_mb):
    scenario = failover(
        racks=2, hosts_per_rack=3, memory_gb=32, replicas=replicas, memory_mb=memory_mb, events=""
    )
    for e in events:
        scenario = scenario.with_event(e)
    timeline = simulate(scenario)
    summaries = summarize(timeline)
    for world, wt in timeline.worlds.items():
        ready_series = timeline.series(f"{world.value}/service/web/ready").values
        for t in (0.0, 59.5, 130.0, 333.3, 600.0):
            state = wt.state_at(t)
            assert (state.host_cpu >= -1e-9).all()
            if world is World.CONTAINER:  # Hyper-V lets virtual processors share cores
                assert (state.host_cpu <= 32 + 1e-9).all()
            assert (state.host_memory_gb >= -1e-9).all() and (
                state.host_memory_gb <= 32 + 1e-9
            ).all()
            ready = state.workload_phase == Phase.READY
            assert int(state.service_ready[0]) == int(ready.sum()) <= replicas
            hosts_of_ready = state.workload_host[ready]
            assert (state.host_status[hosts_of_ready] == HostStatus.UP).all()
            if float(t).is_integer():
                assert ready_series[int(t)] == ready.sum()
            # A dead host holds nothing.
            dead = state.host_status != HostStatus.UP
            assert np.allclose(state.host_cpu[dead], 0.0)
        summary = summaries[world.value]
        assert summary.recovery_s is None or summary.recovery_s >= 0
        assert 0 <= summary.outage_s <= summary.downtime_s <= scenario.duration_s + 1e-9
