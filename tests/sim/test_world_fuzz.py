"""Random faults, out-of-service taints, setting changes and scaling against every platform and
storage world: the world's own bookkeeping holds after every instant of simulated time, and
once every host is back each service has exactly its desired replicas ready.

(It found, in review: a rate of 0 that divided by zero, a node tainted while its kubelet was
back, StatefulSet pods recreated beyond the desired count, an out-of-service taint that could
not be lifted.)"""

from __future__ import annotations

import heapq

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vmc_gui.model.loader import loads_scenario
from vmc_gui.model.scenario import World
from vmc_gui.sim.engine import Priority
from vmc_gui.sim.records import CONSUMING, HostStatus, Phase
from vmc_gui.sim.simulate import world_sim

WORLDS = [
    World.VM,
    World.CONTAINER,
    World.CONTAINER_DISK_VOLUME,
    World.VM_LOCAL_DISK,
    World.CONTAINER_NODE_VOLUME,
]
HOSTS = [f"r{r}-h0{h}" for r in (1, 2) for h in (1, 2, 3)]
SETTINGS = {
    "kubernetes.default_unreachable_toleration_s": [0, 10, 300],
    "kubernetes.node_eviction_rate": [0, 0.01, 0.1, 10],
    "kubernetes.node_lease_duration_s": [4, 40, 120],
    "kubernetes.node_monitor_period_s": [1, 5, 30],
    "kubernetes.unhealthy_zone_threshold": [0.0, 0.55, 1.0],
    "kubernetes.termination_grace_period_s": [0, 30],
    "kubernetes.disable_force_detach_on_timeout": [0, 1],
    "hyperv.resiliency_default_period_s": [0, 20, 240],
    "hyperv.quarantine_threshold": [1, 3],
}


def _host_event(kind):
    return st.builds(
        lambda t, h: f'[[events]]\nat_s = {t}\nkind = "{kind}"\nhost = "{h}"\n',
        st.floats(0, 500).map(lambda x: round(x, 2)),
        st.sampled_from(HOSTS),
    )


EVENT = st.one_of(
    _host_event("host_fail"),
    _host_event("host_recover"),
    _host_event("out_of_service"),
    st.builds(
        lambda t, r: f'[[events]]\nat_s = {t}\nkind = "rack_fail"\nrack = {r}\n',
        st.floats(0, 500).map(lambda x: round(x, 2)),
        st.integers(1, 2),
    ),
    st.sampled_from(sorted(SETTINGS)).flatmap(
        lambda name: st.builds(
            lambda t, v: (
                f'[[events]]\nat_s = {t}\nkind = "set"\nparameter = "{name}"\nvalue = {v}\n'
            ),
            st.floats(0, 500).map(lambda x: round(x, 2)),
            st.sampled_from(SETTINGS[name]),
        )
    ),
    st.builds(
        lambda t, n: f'[[events]]\nat_s = {t}\nkind = "scale"\nservice = "web"\nreplicas = {n}\n',
        st.floats(0, 500).map(lambda x: round(x, 2)),
        st.integers(0, 8),
    ),
)


def _check(sim) -> None:
    for h in range(len(sim.host_names)):
        assert sim.cpu_used[h] >= -1e-9 and sim.memory_used[h] >= -1e-9, "negative resources"
        for w in sim.on_host[h]:
            assert sim.w_phase[w] in CONSUMING and sim.w_host[w] == h
    for w, phase in enumerate(sim.w_phase):
        h = sim.w_host[w]
        if phase in CONSUMING:
            assert sim.alive[h], f"{sim.w_name[w]} {Phase(phase).name} on dead {sim.host_names[h]}"
        if phase == Phase.READY:
            assert sim.status[h] in (HostStatus.UP, HostStatus.DRAINING), (
                f"{sim.w_name[w]} ready on {sim.host_names[h]} {HostStatus(sim.status[h]).name}"
            )


def _run_checked(sim):
    sim.deploy()
    for event in sim.scenario.events:
        sim.engine.at(event.at_s, Priority.FAULT, sim.inject, event)
    engine, queue = sim.engine, sim.engine._queue
    while queue and queue[0][0] <= sim.scenario.duration_s:
        time, _, _, action, args = heapq.heappop(queue)
        engine.now = time
        action(*args)
        if not queue or queue[0][0] > time:
            _check(sim)
    return sim


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    events=st.lists(EVENT, max_size=10),
    initial=st.dictionaries(st.sampled_from(sorted(SETTINGS)), st.just(None), max_size=3),
    data=st.data(),
    zones=st.sampled_from(["rack", "single"]),
    replicas=st.integers(0, 8),
)
def test_bookkeeping_holds_and_converges(events, initial, data, zones, replicas):
    params = "\n".join(
        f'"{name}" = {data.draw(st.sampled_from(SETTINGS[name]))}' for name in initial
    )
    recover = "".join(
        f'[[events]]\nat_s = 600\nkind = "host_recover"\nhost = "{h}"\n' for h in HOSTS
    )
    text = f"""
[scenario]
name = "fuzz"
title = "fuzz"
duration_s = 9000
worlds = {[w.value for w in WORLDS]!r}
[cluster]
racks = 2
hosts_per_rack = 3
cores = 32
memory_gb = 64
zones = "{zones}"
[[services]]
name = "web"
replicas = {replicas}
cpu = 2.0
memory_mb = 2000
{"".join(events)}{recover}
[parameters]
{params}
""".replace("'", '"')
    scenario = loads_scenario(text, source="fuzz.toml")
    for world in WORLDS:
        sim = _run_checked(world_sim(scenario, world))
        # Every host is back (and the quarantine over) well before the end: every service
        # has exactly its desired replicas ready, and none more.
        assert sim.ready == sim.desired, (world, sim.ready, sim.desired)
