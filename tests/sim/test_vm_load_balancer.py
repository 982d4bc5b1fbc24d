"""VM Load Balancing when many nodes join at once, and the live-migration queue it feeds.

Each joining node triggers a pass.  The passes at one instant must not ask for the same VMs
again (a VM waiting or moving is asked for once) nor plan moves that the passes before them
already planned; and the queue, indexed rather than gone through whole each time, must begin
the same migrations in the same order as going through it whole would.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from vmc_gui.model.cluster import ClusterSpec
from vmc_gui.model.events import (
    Drain,
    HostFail,
    HostRecover,
    Load,
    RackFail,
    Rebalance,
    SetParameter,
    SwitchFail,
    SwitchRecover,
    TimedEvent,
    Update,
)
from vmc_gui.model.parameters import ParameterSet
from vmc_gui.model.scenario import Scenario, ServiceSpec, World
from vmc_gui.sim import simulate
from vmc_gui.sim.engine import Priority
from vmc_gui.sim.migration import water_fill
from vmc_gui.sim.policies import hyperv
from vmc_gui.sim.policies.live_migration import LiveMigrations
from vmc_gui.sim.records import EventType, Phase
from vmc_gui.sim.simulate import world_sim
from vmc_gui.sim.summary import to_json

# 64 GB nodes, VMs of 4,096 MB + the 512 MB guest: 11 VMs are 77 % of a node, 12 are 84 %,
# 13 are 91 % (over AutoBalancerLevel 1's 80 %); the CPU (1 of 64 cores each) stays low.
RACK = [f"r2-h0{i}" for i in range(1, 5)]


def _joins(vms: int, **parameters: float) -> Scenario:
    """Rack 2 fails at 60 s, so rack 1's four nodes run all ``vms`` VMs; its four nodes come
    back at 400 s together: four node-join passes at one instant."""
    return Scenario(
        name="many-join",
        title="Four nodes join at once",
        description="",
        seed=1,
        duration_s=600.0,
        cluster=ClusterSpec(racks=2, hosts_per_rack=4, cores=64, memory_gb=64.0),
        worlds=(World.VM,),
        services=(ServiceSpec("app", vms, cpu=1.0, memory_mb=4096),),
        events=(RackFail(60.0, 2), *(HostRecover(400.0, h) for h in RACK)),
        parameters=ParameterSet(dict(parameters)),
    )


@pytest.fixture
def requests(monkeypatch):
    """Every call of LiveMigrations.request: (time, VMs, source, what was moving or waiting)."""
    calls = []
    request = LiveMigrations.request

    def spy(self, vms, source, targets=None):
        involved = set(self.moves) | set(self.queue)
        calls.append((self.world.engine.now, list(vms), source, involved))
        request(self, vms, source, targets)

    monkeypatch.setattr(LiveMigrations, "request", spy)
    return calls


@pytest.mark.parametrize(("vms", "each"), [(48, 1), (52, 2)])
def test_nodes_joining_at_once_shed_each_hot_node_just_under_the_threshold(vms, each):
    # 12 (or 13) VMs on each of rack 1's nodes: each sheds 1 (or 2) to be at 11, 77 %.  The
    # first pass plans it all; the three after it see those moves and find no node over.
    # (Passes that ignored the moves already asked for moved 12 VMs for 4 needed.)
    timeline = simulate(_joins(vms, **{"hyperv.max_simultaneous_live_migrations": 1}))
    vm = to_json(timeline)["worlds"]["vm"]
    assert vm["balancer_moves"] == 4 * each
    moved = [m for m in vm["migrations"] if m["outcome"] == "moved"]
    assert len(moved) == len(vm["migrations"]) == 4 * each
    assert Counter(m["from"] for m in moved) == {f"r1-h0{i}": each for i in range(1, 5)}
    assert Counter(m["to"] for m in moved) == {h: each for h in RACK}
    passes = [e.detail for e in timeline.events if e.type is EventType.BALANCER_PASS]
    assert passes[:4] == [
        f"VM Load Balancing (r2-h01 joining): r1-h0{i} at {vms // 4 / 64:.0%} CPU, "
        f"{vms // 4 * 4608 / 65536:.0%} memory, over 80%: {each} VMs to move"
        for i in range(1, 5)
    ]
    assert passes[4:] == [f"VM Load Balancing ({h} joining): no node over 80%" for h in RACK[1:]]


@pytest.mark.parametrize("limit", [1, 2])
def test_a_pass_never_asks_for_a_vm_twice(requests, limit):
    simulate(_joins(52, **{"hyperv.max_simultaneous_live_migrations": limit}))
    asked = [v for _, vms, _, _ in requests for v in vms]
    assert asked and len(asked) == len(set(asked))
    for _, vms, _, involved in requests:
        assert not involved & set(vms)  # none waiting or moving already


def _rack_2_down(*later: TimedEvent) -> hyperv.HyperVWorld:
    """The 52-VM cluster at 300 s, rack 2 down since 60 s: rack 1's nodes run 13 VMs each,
    with room for one more; one migration at a time.  ``later`` events stay unrun."""
    scenario = _joins(52, **{"hyperv.max_simultaneous_live_migrations": 1})
    events = (scenario.events[0], *later)
    sim = world_sim(dataclasses.replace(scenario, events=events), World.VM)
    assert isinstance(sim, hyperv.HyperVWorld)
    sim.deploy()
    sim.engine.at(60.0, Priority.FAULT, sim.inject, scenario.events[0])
    sim.engine.run(300.0)
    return sim


def test_asking_again_for_a_waiting_vm_keeps_its_turn_and_target():
    sim = _rack_2_down()
    migrations = sim.migrations
    a, b = list(sim.on_host[0])[:2]
    c = next(iter(sim.on_host[1]))
    migrations.request([a, b], 0, {a: 2, b: 2})  # a begins; b waits for r1-h01's one slot
    assert set(migrations.moves) == {a} and migrations.waiting == [(b, 0)]
    migrations.request([b, a, c], 1, {b: 3, a: 3, c: 3})
    # b and a were asked for already: only c joins the queue (and begins: r1-h02 is free).
    assert set(migrations.moves) == {a, c} and migrations.waiting == [(b, 0)]
    assert migrations.targets[b] == 2
    assert sim.w_phase[b] == Phase.READY


def test_a_waiting_vm_that_stopped_running_there_is_dropped_at_the_next_look():
    # As when the whole queue was gone through every time: a VM that is not running where it
    # waits when migrations may next begin is dropped, even if it runs there again before
    # its turn comes; back before that look, it keeps its turn.
    sim = _rack_2_down()
    migrations = sim.migrations
    a, b, c = list(sim.on_host[0])[:3]
    migrations.request([a, b, c], 0)  # a begins; b and c wait for r1-h01's one slot
    assert migrations.waiting == [(b, 0), (c, 0)]
    for w in (b, c):
        sim.set_phase(w, Phase.BOOTING, 0, EventType.WORKLOAD_RESTARTING, "rebooted")
    sim.set_phase(c, Phase.READY, 0, EventType.WORKLOAD_READY)
    migrations.request([], 0)  # a look at the queue: b is not running
    sim.set_phase(b, Phase.READY, 0, EventType.WORKLOAD_READY)
    assert migrations.waiting == [(c, 0)]


def test_a_vm_waiting_for_its_chosen_node_is_called_off_once_its_node_is_cut_off():
    sim = _rack_2_down(SwitchFail(5000.0, "tor-r1"))  # after the run: only for the quorum
    assert sim.membership is not None
    migrations = sim.migrations
    a = next(iter(sim.on_host[0]))
    b = next(iter(sim.on_host[1]))
    migrations.request([a], 0, {a: 2})  # a begins: r1-h03's one slot is taken
    migrations.request([b], 1, {b: 2})  # b waits for r1-h03
    assert migrations.waiting == [(b, 1)]
    sim.membership.heard[1] = False  # the cluster stops hearing r1-h02
    migrations.request([], 0)  # a look at the queue
    assert migrations.waiting == []
    log = sim.events
    aborted = [
        (log.workload[i], log.detail[i])
        for i in range(len(log))
        if log.kind[i] == EventType.MIGRATION_ABORTED
    ]
    assert aborted == [(b, "its node is cut off from the cluster")]


# --- the indexed queue against going through it whole ---------------------------------


class _WholeQueue(LiveMigrations):
    """The queue gone through whole, in order, every time a migration may begin."""

    def _start_waiting(self) -> None:
        world = self.world
        membership = world.membership
        for w, (_, source) in list(self.queue.items()):
            if w in self.moves or world.w_phase[w] != Phase.READY or world.w_host[w] != source:
                self._forget(w)
                continue
            if self.busy[source] >= self.limit:
                continue
            if world.w_pin[w] >= 0:
                self._forget(w)
                world.log(EventType.MIGRATION_ABORTED, w, source, -1, "its VHD is on local disk")
                continue
            if membership is not None and not membership.heard[source]:
                self._forget(w)
                world.log(
                    EventType.MIGRATION_ABORTED,
                    w,
                    source,
                    -1,
                    "its node is cut off from the cluster",
                )
                continue
            full = [h for h, n in enumerate(self.busy) if n >= self.limit]
            chosen = self.targets.get(w, -1)
            if chosen >= 0 and chosen in full:
                continue
            self.targets.pop(w, None)
            fits = chosen >= 0 and world.fits(chosen, world.w_cpu[w], world.w_memory[w])
            target = chosen if fits else world.pick(w, avoid=[source, *full])
            if target < 0:
                if full and world.pick(w, avoid=source) >= 0:
                    continue
                self._forget(w)
                world.log(
                    EventType.MIGRATION_ABORTED,
                    w,
                    source,
                    -1,
                    "no other node has room to receive it",
                )
                continue
            self._forget(w)
            self._begin(w, source, target)


def _busy_queue(seed: int) -> Scenario:
    """A small, full cluster whose migration queue gets long: drains and hot nodes with one
    migration at a time, while nodes fail and are cut off, VMs reboot for an update, the
    limit changes and nodes rejoin."""
    rng = random.Random(seed)
    cluster = ClusterSpec(racks=3, hosts_per_rack=4, cores=16, memory_gb=64.0)
    hosts = cluster.host_names()
    events: list[TimedEvent] = []
    for _ in range(12):
        t = round(rng.uniform(10.0, 900.0), 1)
        host = rng.choice(hosts)
        kind = rng.randrange(8)
        if kind == 0:
            events += [Drain(t, host), HostRecover(t + rng.uniform(30.0, 400.0), host)]
        elif kind == 1:
            events += [HostFail(t, host), HostRecover(t + rng.uniform(5.0, 500.0), host)]
        elif kind == 2:
            events.append(Rebalance(t, host, rng.randint(2, 8)))
        elif kind == 3:
            events.append(Load(t, host, 2.0))
        elif kind == 4:
            limit = rng.randint(1, 3)
            events.append(SetParameter(t, "hyperv.max_simultaneous_live_migrations", limit))
        elif kind == 5:
            switch = f"tor-r{rng.randint(1, 3)}"
            events += [SwitchFail(t, switch), SwitchRecover(t + rng.uniform(5.0, 300.0), switch)]
        elif kind == 6:
            events.append(Update(t, "app"))
        else:
            rack = rng.randint(1, 3)
            events.append(RackFail(t, rack))
            events += [HostRecover(t + 200.0, h) for h in hosts if h.startswith(f"r{rack}-")]
    return Scenario(
        name=f"busy-queue-{seed}",
        title="A long migration queue",
        description="",
        seed=seed,
        duration_s=2000.0,
        cluster=cluster,
        worlds=(World.VM, World.VM_LOCAL_DISK),
        services=(ServiceSpec("app", rng.choice([100, 120, 130]), cpu=2.0, memory_mb=4096),),
        events=tuple(sorted(events, key=lambda e: e.at_s)),
        parameters=ParameterSet(
            {
                "hyperv.max_simultaneous_live_migrations": 1,
                "hyperv.auto_balancer_level": rng.choice([1, 2, 3]),
            }
        ),
    )


@pytest.mark.parametrize("seed", range(24))
def test_the_indexed_queue_begins_what_going_through_it_whole_would(monkeypatch, seed):
    scenario = _busy_queue(seed)
    indexed = simulate(scenario)
    monkeypatch.setattr(hyperv, "LiveMigrations", _WholeQueue)
    whole = simulate(scenario)
    assert indexed.event_count() == whole.event_count()
    assert indexed.digest == whole.digest


@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 5)).filter(lambda e: e[0] != e[1]),
        min_size=1,
        max_size=12,
    ),
    st.floats(1.0, 1000.0),
    st.floats(1.0, 1000.0),
)
def test_copies_that_no_adapter_holds_back_each_get_exactly_the_stream(ends, adapter, stream):
    # The migrations' shortcut (LiveMigrations._reflow): with no adapter carrying more than
    # ``most`` copies and adapter / most >= stream, water_fill gives each copy the stream's
    # rate, to the bit.
    users = Counter(("out", s) for s, _ in ends) + Counter(("in", t) for _, t in ends)
    most = max(users.values())
    assume(adapter / most >= stream)
    assert water_fill(ends, adapter, stream) == [stream] * len(ends)
