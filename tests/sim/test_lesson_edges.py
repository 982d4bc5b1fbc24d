"""The lessons' mechanics when something else happens at the same time (found in review)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.scenarios import HOT_HOST, failover
from vmc_gui.model.events import Exploit, HostFail, Scale
from vmc_gui.model.library import resolve
from vmc_gui.model.loader import load_scenario
from vmc_gui.model.scenario import TimedEvent, World
from vmc_gui.sim import simulate
from vmc_gui.sim.records import EventType, HostStatus, Phase
from vmc_gui.sim.simulate import world_sim
from vmc_gui.sim.summary import to_json


def with_events(name: str, *events: TimedEvent, **parameters):
    scenario = resolve(name).with_parameters(parameters)
    for event in events:
        scenario = scenario.with_event(event)
    return scenario


def final(scenario, world: World):
    sim = world_sim(scenario, world)
    sim.run()
    return sim


def test_a_target_crash_during_the_blackout_resumes_the_vm_on_its_source():
    # app-0 pauses at 41.23 s for 11 ms; its target r1-h02 dies in that pause.
    scenario = with_events(HOT_HOST, HostFail(41.235, host="r1-h02"))
    sim = final(scenario, World.VM)
    app0 = sim.w_name.index("app-0")
    assert sim.w_phase[app0] == Phase.READY
    assert sim.host_names[sim.w_host[app0]] == "r1-h01"
    aborted = [
        d
        for k, d in zip(sim.events.kind, sim.events.detail, strict=True)
        if k == EventType.MIGRATION_ABORTED
    ]
    assert aborted == ["a node crashed during migration"]
    summary = to_json(simulate(scenario))["worlds"]["vm"]
    assert summary["recovery_s"] is not None  # the crashed host's own VMs fail over as usual


@pytest.mark.parametrize("replicas", [12, 4])
def test_scaling_during_a_rollout_ends_with_every_pod_on_the_new_image(replicas):
    scenario = with_events("rolling-update", Scale(181.5, service="web", replicas=replicas))
    sim = final(scenario, World.CONTAINER)
    running = [w for w in range(len(sim.w_name)) if sim.w_phase[w] == Phase.READY]
    assert len(running) == replicas == sim.desired[0]
    assert all(sim.image_of(w).startswith("nanoserver:patched") for w in running)
    document = to_json(simulate(scenario))["worlds"]["container"]
    assert document["update_duration_s"] is not None


def test_pods_created_after_a_rollout_run_the_new_image():
    scenario = with_events(
        "rolling-update",
        Scale(1000, service="web", replicas=0),
        Scale(1100, service="web", replicas=8),
    )
    sim = final(scenario, World.CONTAINER)
    running = [w for w in range(len(sim.w_name)) if sim.w_phase[w] == Phase.READY]
    assert len(running) == 8
    assert all(sim.image_of(w).startswith("nanoserver:patched") for w in running)


def test_scaling_in_during_vm_patching_lets_the_update_finish():
    scenario = with_events("rolling-update", Scale(200, service="web", replicas=6))
    scenario = dataclasses.replace(scenario, duration_s=7200)
    vm = to_json(simulate(scenario))["worlds"]["vm"]
    # All eight download and stage while serving (60 + 600 s, to 720 s); scaled in to six at
    # 200 s, the six reboot one at a time (25 % of 6 = 1): 660 + 6 x (300 + 45 + 5).
    assert vm["update_duration_s"] == pytest.approx(660 + 6 * (300 + 45 + 5))
    assert final(scenario, World.VM).ready == [6]


def test_a_vm_that_crashes_mid_patch_is_patched_after_it_fails_over():
    scenario = with_events("rolling-update", HostFail(200, host="r1-h01"))
    sim = final(scenario, World.VM)
    web0 = sim.w_name.index("web-0")
    installs = [
        t
        for t, k, w in zip(sim.events.time, sim.events.kind, sim.events.workload, strict=True)
        if k == EventType.WORKLOAD_UPDATING and w == web0
    ]
    # Download and staging began at 60 s, the crash cut them short; after failover they start
    # over, and it reboots in a later batch.
    assert len(installs) == 5 and installs[2] > 200
    vm = to_json(simulate(scenario))["worlds"]["vm"]
    assert vm["update_duration_s"] >= 2060
    assert sim.ready == [8] and not sim.batch_of


def test_new_instances_in_a_local_storage_world_are_tied_to_their_first_host():
    text_events = (
        '[[events]]\nat_s = 10\nkind = "scale"\nservice = "web"\nreplicas = 20\n'
        '[[events]]\nat_s = 300\nkind = "host_fail"\nhost = "r1-h01"\n'
    )
    scenario = dataclasses.replace(
        failover(events=text_events), worlds=(World.VM_LOCAL_DISK, World.CONTAINER_NODE_VOLUME)
    )
    for world in scenario.worlds:
        sim = final(scenario, world)
        r1h01 = sim.host_index["r1-h01"]
        new_on_it = [w for w in range(8, len(sim.w_name)) if sim.w_pin[w] == r1h01]
        assert new_on_it, world
        assert all(sim.w_phase[w] != Phase.READY for w in new_on_it), world
    assert to_json(simulate(scenario))["worlds"]["vm-local-disk"]["data_unavailable"] is True


def test_a_rebalance_replacement_lost_with_its_node_is_replaced_once():
    # app-24 (replacing app-0) lands on r1-h02 just before that node dies.
    scenario = with_events(HOT_HOST, HostFail(30.5, host="r1-h02"))
    sim = final(scenario, World.CONTAINER)
    assert sim.ready == [24] == sim.desired
    assert not sim.replacing


def test_an_exploit_with_nothing_running_reaches_nothing():
    scenario = with_events(
        "isolation",
        Scale(10, service="tenant-a", replicas=0),
        Exploit(20, service="tenant-a"),
    )
    scenario = dataclasses.replace(
        scenario, events=tuple(e for e in scenario.events if e.at_s != 60)
    )
    for world in to_json(simulate(scenario))["worlds"].values():
        assert world["exposed_tenants"] == 0 and world["exposed_layers"] == []
        # tenant-a wanted no replicas from 10 s on: having none is not an outage.
        assert world["outage_s"] == 0


def test_each_update_is_timed_from_its_own_start():
    text = (
        '[[events]]\nat_s = 60\nkind = "update"\nservice = "web"\n'
        '[[events]]\nat_s = 100\nkind = "update"\nservice = "web"\n'
    )
    base = failover(events=text, duration_s=20000)
    db = dataclasses.replace(base.services[0], name="db", replicas=3)
    later = dataclasses.replace(base.events[1], service="db")
    scenario = dataclasses.replace(
        base, services=(*base.services, db), events=(base.events[0], later)
    )
    vm = to_json(simulate(scenario))["worlds"]["vm"]
    serving, down = 60 + 600, 300 + 45 + 5
    # web: 8 VMs stage, then reboot in batches of 2: 4 reboots from 60 s; db: 3 VMs, one at
    # a time, from 100 s.  The longer is reported, timed from its own start.
    assert vm["update_duration_s"] == pytest.approx(serving + 4 * down)
    assert vm["min_ready_replicas"] == 2  # db, one of three down at a time


# --- found by the second review; each case is a small file in tests/sim/cases/ -----------------

CASES = Path(__file__).resolve().parent / "cases"


def case(name: str):
    return load_scenario(CASES / f"{name}.toml")


@pytest.mark.parametrize("world", ["container", "vm"])
def test_room_freed_by_a_rollout_goes_to_the_pod_waiting_for_it(world):
    # Two 32 GB hosts run four 15 GB replicas: the surge pod waits until an old one stops.
    document = to_json(simulate(case("full-roll")))["worlds"][world]
    assert document["update_duration_s"] is not None
    assert document["pending"] == 0


def test_room_freed_by_a_scale_in_goes_to_the_waiting_replicas():
    for world in to_json(simulate(case("room")))["worlds"].values():
        assert world["pending"] == 0 and world["instances"] == 6
        assert world["limiting_resource"] is None


def test_a_scale_in_of_the_vm_an_update_waits_for_ends_the_update():
    vm = to_json(simulate(case("scalein-update")))["worlds"]["vm-local-disk"]
    assert vm["update_duration_s"] is not None


def test_a_vm_back_from_a_migration_blackout_gets_its_patch():
    vm = to_json(simulate(case("blackout-update")))["worlds"]["vm"]
    assert vm["update_duration_s"] is not None and vm["moved"] == 1


def test_raising_max_unavailable_mid_rollout_lets_it_finish():
    scenario = case("set-unavail")
    container = to_json(simulate(scenario))["worlds"]["container"]
    assert container["update_duration_s"] is not None
    assert container["update_duration_s"] > 300 - 10  # it could not move before the change


def test_the_timeline_replays_a_finished_migration_when_nothing_runs_any_more():
    timeline = simulate(case("tl-crash"))
    assert timeline.state_at(200)[World.VM].host_memory_gb.sum() == 0.0


def test_time_to_capacity_ignores_other_services_and_later_dips():
    worlds = to_json(simulate(case("ttc")))["worlds"]
    # web goes 4 -> 6 at 10 s; api's update at 1000 s is another story.
    # A new VM: its template copied (10 GB at 500 MB/s), its first boot, the app.
    assert worlds["vm"]["time_to_capacity_s"] == pytest.approx(10 * 1024 / 500 + 120 + 5)
    assert worlds["container"]["time_to_capacity_s"] < 10


def test_a_drained_host_empties_and_takes_nothing_new_until_it_returns():
    text = (
        '[[events]]\nat_s = 60\nkind = "drain"\nhost = "r1-h01"\n'
        '[[events]]\nat_s = 100\nkind = "scale"\nservice = "web"\nreplicas = 40\n'
        '[[events]]\nat_s = 300\nkind = "host_recover"\nhost = "r1-h01"\n'
        '[[events]]\nat_s = 310\nkind = "scale"\nservice = "web"\nreplicas = 60\n'
    )
    scenario = failover(events=text)
    timeline = simulate(scenario)
    worlds = to_json(timeline)["worlds"]
    assert worlds["vm"]["moved"] == 1 and worlds["vm"]["state_kept"] is True
    # The VM moved live: the service was short only for the blackout.
    assert worlds["vm"]["outage_s"] == 0
    for wt in timeline.worlds.values():
        h = wt.run.host_names.index("r1-h01")
        during = wt.state_at(299.0)
        assert during.host_status[h] == HostStatus.DRAINING
        assert during.host("r1-h01").workloads == ()  # nothing on it, not even the scale-out
        after = wt.state_at(600.0)
        assert after.host_status[h] == HostStatus.UP
        assert after.host("r1-h01").workloads != ()  # back in service: the next scale-out uses it


@pytest.mark.parametrize("dead", ["r1-h01", "r1-h02"])
def test_a_crash_calls_a_live_migration_off_at_once(dead):
    # rebalance: app-0 migrates from r1-h01 to r1-h02 between 30 s and 41.25 s.
    scenario = with_events(HOT_HOST, HostFail(32.0, host=dead))
    sim = final(scenario, World.VM)
    app0 = sim.w_name.index("app-0")
    rows = [
        (t, EventType(k).label)
        for t, k, w in zip(sim.events.time, sim.events.kind, sim.events.workload, strict=True)
        if w == app0 and k in (EventType.TARGET_RELEASED, EventType.MIGRATION_ABORTED)
    ]
    assert rows[:2] == [(32.0, "target_released"), (32.0, "migration_aborted")]
    timeline = simulate(scenario)
    state = timeline.worlds[World.VM].state_at(35.0)
    target = sim.host_index["r1-h02"]
    if dead == "r1-h02":  # the VM stays, serving, where it was
        assert state.workload_phase[app0] == Phase.READY
        assert sim.host_names[int(state.workload_host[app0])] == "r1-h01"
    else:  # the VM died with its host; nothing is held on the target any more
        assert state.workload_phase[app0] == Phase.FAILED
        assert state.host_memory_gb[target] == pytest.approx(2 * (8192 + 512) / 1024)
