"""Kubernetes in a network partition (issue 19, plan steps 8-10): nodes the control plane
cannot hear, Deployments running twice, StatefulSets waiting on their identity, and etcd's
quorum freezing the control plane.

The rules and their sources are in docs/research/issue-19-kubernetes-partitions.md (K, N, E, D,
S and Q numbers below).  Seed 42's clocks: rack 1's nodes were last seen renewing their
leases such that two are marked NotReady 46.8 s after a cut at 60 s (106.8 s) and two at
51.8 s (111.8 s); the taint loop's tick is 0.02 s into its 0.1 s period, so the first taint
comes at 106.82 s and, rack 1 fully disrupted, one every 10 s (0.1 nodes/s) after it.
"""

from __future__ import annotations

import dataclasses
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vmc_gui.model.cluster import ClusterSpec, link_names, switch_names
from vmc_gui.model.events import (
    HostFail,
    HostRecover,
    LinkFail,
    LinkRecover,
    SwitchFail,
    SwitchRecover,
    TimedEvent,
)
from vmc_gui.model.loader import loads_scenario
from vmc_gui.model.scenario import Scenario, World
from vmc_gui.sim.policies.kubernetes import KubernetesWorld
from vmc_gui.sim.records import CONSUMING, EventType, Phase
from vmc_gui.sim.simulate import world_seed
from vmc_gui.sim.summary import summarize_world
from vmc_gui.sim.timeline import Timeline
from vmc_gui.sim.world import WorldRun

CUT_AT = 60.0
#: Rack 1's NotReady marks after a cut at 60 s (see the module's docstring).
NOT_READY = {"r1-h01": 106.8, "r1-h02": 111.8, "r1-h03": 111.8, "r1-h04": 106.8}
#: Rack 1's taints: the first at once, then one every 10 s, in host order.
TAINTED = {"r1-h01": 106.82, "r1-h02": 116.82, "r1-h03": 126.82, "r1-h04": 136.82}
TOLERATION = 300.0
GRACE = 30.0


def _near(expected: object) -> object:
    """Within 10 ms: the figures are given to two decimals."""
    return pytest.approx(expected, abs=0.01)


def _service(name: str, replicas: int, kind: str, extra: str = "") -> str:
    return f"""
[[services]]
name = "{name}"
replicas = {replicas}
cpu = 2.0
memory_mb = 4096
kind = "{kind}"
{extra}
"""


def _event(at: float, kind: str, **fields: str) -> str:
    lines = "".join(f'{key} = "{value}"\n' for key, value in fields.items())
    return f'[[events]]\nat_s = {at}\nkind = "{kind}"\n{lines}'


def _cut(switch: str, at: float, until: float | None) -> str:
    events = _event(at, "switch_fail", switch=switch)
    return events + (_event(until, "switch_recover", switch=switch) if until else "")


def _scenario(
    events: str,
    *,
    kind: str = "deployment",
    extra: str = "",
    replicas: int = 8,
    racks: int = 3,
    hosts_per_rack: int = 4,
    duration_s: float = 1500,
    parameters: str = "",
) -> Scenario:
    """The failover lesson's shape (tests/scenarios.py), the container world only, with the
    service's kind and settings as given."""
    text = f"""
[scenario]
name = "k8s-partition"
title = "A partition"
seed = 42
duration_s = {duration_s}
worlds = ["container"]

[cluster]
racks = {racks}
hosts_per_rack = {hosts_per_rack}
cores = 32
memory_gb = 256
{_service("web", replicas, kind, extra)}
{events}
[parameters]
{parameters}
"""
    return loads_scenario(text, source="test.toml")


def _world(scenario: Scenario) -> KubernetesWorld:
    return KubernetesWorld(scenario, random.Random(world_seed(scenario.seed, World.CONTAINER)))


def _run(scenario: Scenario) -> tuple[KubernetesWorld, WorldRun, dict[str, float]]:
    world = _world(scenario)
    run = world.run()
    summary = summarize_world(Timeline(scenario, [run]).worlds[World.CONTAINER])
    figures = {"unreachable_s": summary.unreachable_s, "max_duplicates": summary.max_duplicates}
    return world, run, figures


def _rows(run: WorldRun, kind: EventType) -> list[tuple[float, str, str, int, str]]:
    """Each logged row of ``kind``: (time, workload, host, value, detail)."""
    log = run.log
    return [
        (
            log.time[i],
            run.workload_names[log.workload[i]] if log.workload[i] >= 0 else "",
            run.host_names[log.host[i]] if log.host[i] >= 0 else "",
            log.value[i],
            log.detail[i],
        )
        for i in range(len(log))
        if log.kind[i] == kind
    ]


def _times(run: WorldRun, kind: EventType) -> dict[str, float]:
    """The first time each host (or else workload) had a row of ``kind``."""
    out: dict[str, float] = {}
    for t, workload, host, _, _ in _rows(run, kind):
        out.setdefault(host or workload, t)
    return out


def _deployed_on(run: WorldRun) -> dict[str, str]:
    return {w: h for _, w, h, _, _ in _rows(run, EventType.WORKLOAD_DEPLOYED)}


def _rack_1_pods(run: WorldRun) -> list[str]:
    return sorted(w for w, h in _deployed_on(run).items() if h.startswith("r1-"))


# --- step 8: a node cut off, and a Deployment -------------------------------------------------


def test_a_three_minute_cut_marks_rack_1_not_ready_and_moves_nothing():
    world, run, figures = _run(_scenario(_cut("tor-r1", CUT_AT, CUT_AT + 180)))
    assert _times(run, EventType.NODE_UNHEARD) == dict.fromkeys(NOT_READY, CUT_AT)
    not_ready = _times(run, EventType.NODE_NOT_READY)
    assert not_ready == _near(NOT_READY)  # a grace period after the last renewal seen
    assert _times(run, EventType.NODE_TAINTED) == _near(TAINTED)
    # Healed at 240 s, before any toleration ran out: Ready at the next pass, taints removed.
    assert _times(run, EventType.NODE_READY) == _near(dict.fromkeys(NOT_READY, 241.8))
    assert set(_times(run, EventType.NODE_UNTAINTED)) == set(NOT_READY)
    for kind in (EventType.POD_EVICTED, EventType.WORKLOAD_CREATED, EventType.DUPLICATES):
        assert _rows(run, kind) == []
    # Out of the clients' reach from the cut until the nodes are endpoints again (N3, E1-E3).
    assert figures == {"unreachable_s": _near(181.8), "max_duplicates": 0}
    assert 180 <= figures["unreachable_s"] <= 185
    # Nothing moved: every pod runs where it was deployed, and it never stopped.
    deployed = _deployed_on(run)
    for w, name in enumerate(world.w_name):
        assert world.w_phase[w] == Phase.READY
        assert world.host_names[world.w_host[w]] == deployed[name]


def test_a_short_cut_is_over_before_the_grace_period_and_evicts_nothing():
    _, run, figures = _run(_scenario(_cut("tor-r1", CUT_AT, CUT_AT + 30)))
    assert len(_rows(run, EventType.LEASE_NOT_RENEWED)) > 0  # the kubelets did miss renewals
    for kind in (EventType.NODE_NOT_READY, EventType.NODE_TAINTED, EventType.POD_EVICTED):
        assert _rows(run, kind) == []
    assert figures == {"unreachable_s": _near(30.0), "max_duplicates": 0}


def test_a_fifteen_minute_cut_runs_a_deployment_twice_until_the_heal_plus_its_grace():
    heal = CUT_AT + 900
    world, run, figures = _run(_scenario(_cut("tor-r1", CUT_AT, heal)))
    rack_1 = _rack_1_pods(run)
    assert len(rack_1) == 4
    # Rack 1, a zone of its own, is fully disrupted: tainted at the normal rate (N9).
    zone = [d for *_, d in _rows(run, EventType.ZONE_STATE_CHANGED) if "rack-1: full" in d]
    assert zone and "0.1 nodes/s" in zone[0]
    # Each pod is deleted its toleration after its node's taint (N5, N6), and runs on (K1).
    evicted = _rows(run, EventType.POD_EVICTED)
    assert sorted(w for _, w, *_ in evicted) == rack_1
    for t, _, host, phase, detail in evicted:
        assert t == _near(TAINTED[host] + TOLERATION)
        assert phase == Phase.TERMINATING and "the pod runs on" in detail
    # The ReplicaSet replaces each at once (D1, D2); the replacement serves while the old copy
    # still runs, out of reach: two copies of each of rack 1's pods.
    created = _rows(run, EventType.WORKLOAD_CREATED)
    assert sorted(d.removeprefix("replaces ") for *_, d in created) == rack_1
    assert {t for t, *_ in created} == {t for t, *_ in evicted}
    assert figures["max_duplicates"] == len(rack_1)
    duplicates = _rows(run, EventType.DUPLICATES)
    assert max(v for *_, v, _ in duplicates) == len(rack_1)
    first_twice = min(t for t, *_ in duplicates)
    assert first_twice > TAINTED["r1-h01"] + TOLERATION  # once the replacement is ready
    # The kubelets hear of the deletions at the heal and stop the old copies a grace period
    # later (K4, K6): the duplicates end at heal + 30 s.
    assert duplicates[-1][0] == heal + GRACE and duplicates[-1][3] == 0
    deleted = _rows(run, EventType.POD_DELETED)
    assert sorted(w for _, w, *_ in deleted) == rack_1
    assert {t for t, *_ in deleted} == {heal + GRACE}
    assert world.copies is not None and not world.copies.left and not world.running_deleted
    # Out of reach from the cut until the last replacement served.
    assert figures["unreachable_s"] == _near(386.383711)


def test_every_host_cut_off_with_the_control_plane_intact_fully_disrupts_every_zone():
    spec = ClusterSpec()
    hosts = spec.host_names()
    events = "".join(_event(CUT_AT, "link_fail", a=h, b=f"tor-r{h[1]}") for h in hosts)
    world, run, figures = _run(_scenario(events))
    assert _rows(run, EventType.CONTROL_PLANE_FROZEN) == []  # etcd's members reach each other
    assert set(_times(run, EventType.NODE_NOT_READY)) == set(hosts)
    zones = [d for *_, d in _rows(run, EventType.ZONE_STATE_CHANGED)]
    assert any("every zone is fully disrupted" in d for d in zones)
    # N9: the controller suspects its own view, removes its taints and evicts nothing.
    assert set(_times(run, EventType.NODE_TAINTED)) <= set(_times(run, EventType.NODE_UNTAINTED))
    assert _rows(run, EventType.POD_EVICTED) == [] and figures["max_duplicates"] == 0
    assert not any(world.lifecycle.tainted) and world.lifecycle.all_full


def test_with_two_racks_the_control_plane_stays_with_rack_2_and_the_core_member():
    # Member 1 on tor-r1, member 2 on tor-r2, member 3 on the core (a third zone): rack 1's
    # uplink cut leaves members 2 and 3 together, a majority.
    events = _event(CUT_AT, "link_fail", a="tor-r1", b="core")
    world, run, figures = _run(_scenario(events, replicas=6, racks=2, hosts_per_rack=3))
    assert _rows(run, EventType.CONTROL_PLANE_FROZEN) == []
    assert world.cp_reach == [False] * 3 + [True] * 3
    assert set(_times(run, EventType.NODE_UNHEARD)) == {"r1-h01", "r1-h02", "r1-h03"}
    assert set(_times(run, EventType.NODE_NOT_READY)) == {"r1-h01", "r1-h02", "r1-h03"}
    placed = [h for _, w, h, *_ in _rows(run, EventType.WORKLOAD_PLACED)]
    assert placed and all(h.startswith("r2-") for h in placed)
    assert figures["max_duplicates"] == 3  # rack 1's pods, each running twice to the end


# --- step 9: a StatefulSet keeps one pod per identity ----------------------------------------


def test_a_statefulset_waits_for_the_heal_and_never_runs_twice():
    heal = CUT_AT + 900
    world, run, figures = _run(_scenario(_cut("tor-r1", CUT_AT, heal), kind="statefulset"))
    rack_1 = _rack_1_pods(run)
    evicted = _rows(run, EventType.POD_EVICTED)
    assert sorted(w for _, w, *_ in evicted) == rack_1
    assert all(phase == Phase.TERMINATING for *_, phase, _ in evicted)
    # No replacement while the node cannot confirm (S1, S2): the first comes at heal + 30 s,
    # once its kubelet stopped the old copy; then one at a time, in order (OrderedReady).
    created = _rows(run, EventType.WORKLOAD_CREATED)
    assert sorted(w for _, w, *_ in created) == rack_1
    assert min(t for t, *_ in created) == heal + GRACE
    assert _rows(run, EventType.DUPLICATES) == [] and figures["max_duplicates"] == 0
    assert all(world.w_phase[w] == Phase.READY for w in range(len(world.w_name)))
    assert len(world.w_name) == 8  # the same identities, no new names


def test_a_statefulset_pod_waits_with_a_reason_while_its_node_is_cut_off():
    world = _world(_scenario(_cut("tor-r1", CUT_AT, None), kind="statefulset"))
    run = world.run()
    stalled = run.stalled_reasons
    assert sorted(run.workload_names[w] for w in stalled) == _rack_1_pods(run)
    assert all("cut off and still runs it" in reason for reason in stalled.values())
    assert world.copies is not None
    assert world.copies.running(0) == 8  # four serve, four run on, cut off and Terminating


def test_a_statefulset_with_a_grace_period_of_0_runs_twice_as_the_docs_warn():
    heal = CUT_AT + 900
    scenario = _scenario(
        _cut("tor-r1", CUT_AT, heal), kind="statefulset", extra="termination_grace_period_s = 0"
    )
    _, run, figures = _run(scenario)
    rack_1 = _rack_1_pods(run)
    evicted = _rows(run, EventType.POD_EVICTED)
    assert all(phase == Phase.STOPPED for *_, phase, _ in evicted)  # gone at once (S4)
    assert all("second copy" in detail and "unsafe" in detail for *_, detail in evicted)
    assert figures["max_duplicates"] == len(rack_1)
    duplicates = _rows(run, EventType.DUPLICATES)
    assert duplicates[-1][0] == heal and duplicates[-1][3] == 0  # heal + a grace period of 0
    stopped = _rows(run, EventType.COPY_STOPPED)
    assert sorted(w for _, w, *_ in stopped) == rack_1 and {t for t, *_ in stopped} == {heal}


def test_the_out_of_service_taint_on_a_node_only_cut_off_runs_a_statefulset_pod_twice():
    events = _cut("tor-r1", CUT_AT, CUT_AT + 900) + _event(200, "out_of_service", host="r1-h01")
    _, run, figures = _run(_scenario(events, kind="statefulset"))
    pod = next(w for w, h in _deployed_on(run).items() if h == "r1-h01")
    deleted = [row for row in _rows(run, EventType.POD_DELETED) if row[1] == pod]
    assert deleted[0][0] < CUT_AT + 900 and "shut down" in deleted[0][4]  # S3's warning
    twice = [row for row in _rows(run, EventType.DUPLICATES) if row[4] == f"{pod} runs twice"]
    assert len(twice) == 1 and figures["max_duplicates"] == 1  # the other three wait (S1)


def test_a_plain_container_statefulset_pod_stays_terminating_after_a_crash():
    """Plan step 4: the service's kind makes a StatefulSet outside the disk world too."""
    events = _event(CUT_AT, "host_fail", host="r1-h01")
    world, run, _ = _run(_scenario(events, kind="statefulset", duration_s=900))
    pod = next(w for w, h in _deployed_on(run).items() if h == "r1-h01")
    assert [(w, phase) for _, w, _, phase, _ in _rows(run, EventType.POD_EVICTED)] == [
        (pod, Phase.TERMINATING)
    ]
    assert _rows(run, EventType.WORKLOAD_CREATED) == []
    assert [run.workload_names[w] for w in run.stalled_reasons] == [pod]
    assert "kubelet is down" in next(iter(run.stalled_reasons.values()))
    assert world.copies is None  # no network event: nothing of issue 19's counting runs
    # The same as a Deployment is replaced at once.
    _, deployment, _ = _run(_scenario(events, duration_s=900))
    assert len(_rows(deployment, EventType.WORKLOAD_CREATED)) == 1


def test_a_node_powered_on_while_cut_off_runs_nothing_until_it_is_heard():
    events = (
        _cut("tor-r1", CUT_AT, 960)
        + _event(80, "host_fail", host="r1-h01")
        + _event(90, "host_recover", host="r1-h01")
    )
    _, run, _ = _run(_scenario(events, kind="statefulset"))
    pod = next(w for w, h in _deployed_on(run).items() if h == "r1-h01")
    # Still judged from its last renewal before the cut: NotReady at the same time.
    assert _times(run, EventType.NODE_NOT_READY)["r1-h01"] == _near(106.8)
    rows = [row for row in _rows(run, EventType.WORKLOAD_STARTING) if row[1] == pod]
    assert rows and rows[0][0] >= 960  # its pod is not restarted while it is cut off
    confirmed = [row for row in _rows(run, EventType.POD_DELETED) if row[1] == pod]
    assert confirmed[0][0] == 960 and "confirmed" in confirmed[0][4]  # no copy ran: at once


# --- step 10: etcd's quorum ------------------------------------------------------------------


def test_the_core_out_for_400_s_freezes_the_control_plane_and_nothing_moves():
    world, run, figures = _run(_scenario(_cut("core", CUT_AT, CUT_AT + 400)))
    frozen = _rows(run, EventType.CONTROL_PLANE_FROZEN)
    assert [t for t, *_ in frozen] == [CUT_AT] and "etcd: 1 of 3 members reached" in frozen[0][4]
    assert [t for t, *_ in _rows(run, EventType.CONTROL_PLANE_THAWED)] == [CUT_AT + 400]
    for kind in (
        EventType.NODE_UNHEARD,
        EventType.NODE_NOT_READY,
        EventType.NODE_TAINTED,
        EventType.POD_EVICTED,
        EventType.WORKLOAD_CREATED,
        EventType.WORKLOAD_PLACED,
        EventType.WORKLOAD_FAILED,
    ):
        assert _rows(run, kind) == [], kind
    # The kubelets kept every pod running; the clients, on the core, reached none.
    assert figures == {"unreachable_s": _near(400.0), "max_duplicates": 0}
    assert all(world.w_phase[w] == Phase.READY for w in range(len(world.w_name)))
    assert run.spans["control plane frozen (no etcd quorum)"] == (CUT_AT, CUT_AT + 400)


def test_nothing_is_scheduled_while_frozen():
    world = _world(_scenario(_cut("core", CUT_AT, None)))
    world.run()
    assert world.frozen and not any(world.fits(h, 1.0, 1.0) for h in range(12))
    assert "frozen" in world.no_room_reason(0)


def test_pending_evictions_are_counted_again_from_the_thaw():
    # Rack 1 cut at 60 s and tainted by 137 s; tor-r2 failing at 200 s leaves etcd-3 alone
    # (1 of 3): frozen, the evictions due at ~407-437 s do not happen.  At the thaw (500 s)
    # the taint eviction controller handles the taints afresh: every pod at 500 + 300 s.
    events = _cut("tor-r1", CUT_AT, 1200) + _cut("tor-r2", 200, 500)
    _, run, figures = _run(_scenario(events))
    assert [t for t, *_ in _rows(run, EventType.CONTROL_PLANE_FROZEN)] == [200]
    evicted = _rows(run, EventType.POD_EVICTED)
    assert len(evicted) == 4 and {t for t, *_ in evicted} == {500 + TOLERATION}
    assert figures["max_duplicates"] == 4
    # Rack 2, cut while frozen and heard again at the thaw, was never judged.
    assert not any(h.startswith("r2-") for h in _times(run, EventType.NODE_NOT_READY))


def test_the_thaw_gives_each_node_it_does_not_hear_a_full_grace_period():
    # tor-r2 fails while the control plane is frozen; when tor-r1 comes back (500 s) the
    # majority is etcd-1 and etcd-3, without rack 2: its nodes are NotReady a grace period
    # after the thaw (Q5), not after their cut.
    events = _cut("tor-r1", CUT_AT, 500) + _cut("tor-r2", 200, 1400)
    _, run, _ = _run(_scenario(events, duration_s=1800))
    assert [t for t, *_ in _rows(run, EventType.CONTROL_PLANE_THAWED)] == [500]
    rack_2 = {h: t for h, t in _times(run, EventType.NODE_NOT_READY).items() if "r2-" in h}
    assert len(rack_2) == 4 and all(550 <= t < 555 for t in rack_2.values())
    assert set(_times(run, EventType.NODE_UNHEARD)) >= set(rack_2)


def test_an_out_of_service_taint_is_refused_while_frozen():
    events = _cut("core", CUT_AT, None) + _event(100, "out_of_service", host="r1-h01")
    world, run, _ = _run(_scenario(events, kind="statefulset", duration_s=400))
    assert _rows(run, EventType.NODE_OUT_OF_SERVICE) == []
    assert "etcd has no quorum" in _rows(run, EventType.NOT_APPLICABLE)[0][4]
    assert not any(world.oos_taint)


# --- properties -------------------------------------------------------------------------------

_SPEC = ClusterSpec(racks=3, hosts_per_rack=2)
_LINKS = sorted(tuple(sorted(link)) for link in link_names(_SPEC))
_AT = st.integers(1, 120).map(lambda k: k * 10.0)
_NETWORK = st.one_of(
    st.builds(SwitchFail, _AT, st.sampled_from(switch_names(_SPEC))),
    st.builds(SwitchRecover, _AT, st.sampled_from(switch_names(_SPEC))),
    st.sampled_from(_LINKS).flatmap(lambda ab: st.builds(LinkFail, _AT, *map(st.just, ab))),
    st.sampled_from(_LINKS).flatmap(lambda ab: st.builds(LinkRecover, _AT, *map(st.just, ab))),
)
_HOSTS = st.sampled_from(_SPEC.host_names())
_CRASH = st.one_of(st.builds(HostFail, _AT, _HOSTS), st.builds(HostRecover, _AT, _HOSTS))


def _base(kind: str, grace: float) -> Scenario:
    return _scenario(
        "",
        kind=kind,
        extra=f"termination_grace_period_s = {grace:g}",
        replicas=6,
        racks=_SPEC.racks,
        hosts_per_rack=_SPEC.hosts_per_rack,
        duration_s=2400,
        # Short timers, so that random cuts of a few minutes reach evictions.
        parameters="kubernetes.default_unreachable_toleration_s = 30",
    )


_STATEFUL = _base("statefulset", 30)
_DEPLOYMENT = _base("deployment", 30)
_GRACE_0 = _base("statefulset", 0)


def _with(base: Scenario, events: list[TimedEvent]) -> Scenario:
    # A network event first, so that every example runs with the copies counted.
    ordered = sorted([SwitchRecover(0.0, "core"), *events], key=lambda e: e.at_s)
    return dataclasses.replace(base, events=tuple(ordered))


def _check_copies(world: KubernetesWorld) -> None:
    """The copies' counters equal a recount from the world's state."""
    copies = world.copies
    assert copies is not None
    ready = [0] * len(world.services)
    unserved = [0] * len(world.services)
    for w, phase in enumerate(world.w_phase):
        if phase == Phase.READY:
            s = world.w_service[w]
            ready[s] += 1
            host = world.w_host[w]
            unserved[s] += not (copies.reaches_clients[host] and copies.listed[host])
    assert world.ready == ready and copies.unserved == unserved
    running_left = [0] * len(world.services)
    for key, copy in copies.left.items():
        running_left[world.w_service[key]] += copy.running
    assert copies.running_left == running_left
    doubled = {
        key
        for key, copy in copies.left.items()
        if copy.running and world.alive[copy.host] and world.w_phase[key] == Phase.READY
    }
    assert copies.doubled == doubled and copies.max_duplicates >= len(doubled)
    # Every copy left running is a pod deleted while its process ran on, and back.
    assert set(copies.key_of_old) == set(world.running_deleted)
    for old, (host, _, _) in world.running_deleted.items():
        assert copies.left[copies.key_of_old[old]].host == host and world.alive[host]
    if world.reach is not None:
        clients = world.reach.reach_clients
        assert copies.reaches_clients == [h in clients for h in world.host_names]
    # A pod runs (holds its node) only where it was placed; a Terminating one on a live node
    # is one whose process runs on, cut off.
    for w, phase in enumerate(world.w_phase):
        if phase in CONSUMING:
            assert w in world.on_host[world.w_host[w]]


def _checked_run(scenario: Scenario) -> KubernetesWorld:
    world = _world(scenario)
    react = world.on_network

    def on_network(old, new):  # check after every partition change the platform handled
        react(old, new)
        _check_copies(world)

    world.on_network = on_network  # type: ignore[method-assign]
    world.run()
    _check_copies(world)
    return world


_PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_PROPERTY
@given(st.lists(_NETWORK, max_size=10))
def test_a_statefulset_with_a_grace_period_never_runs_twice_under_any_partitions(events):
    world = _checked_run(_with(_STATEFUL, events))
    assert world.copies is not None and world.copies.max_duplicates == 0


@_PROPERTY
@given(st.lists(st.one_of(_NETWORK, _CRASH), max_size=12), st.sampled_from(["dep", "sts0"]))
def test_the_copies_stay_consistent_under_partitions_and_crashes(events, which):
    base = _DEPLOYMENT if which == "dep" else _GRACE_0
    world = _checked_run(_with(base, events))
    # Once the network is whole again and every host is up, no copy is left after the
    # grace period (the run ends 1,200 s after the last event).
    if world.net.intact and all(world.alive) and not world.frozen:
        assert world.copies is not None and not world.copies.left
