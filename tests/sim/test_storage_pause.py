"""Hyper-V storage resiliency (issue 19, plan step 6): a VM whose node loses its storage goes
Paused-Critical and resumes in place when the storage is back; after
``hyperv.critical_pause_timeout_s`` it is powered off and the cluster starts it again."""

from __future__ import annotations

import dataclasses

import pytest

from tests.scenarios import failover
from vmc_gui.model.scenario import World
from vmc_gui.sim import simulate
from vmc_gui.sim.records import EventType, HostStatus, Phase
from vmc_gui.sim.summary import summarize

BOOT_S = 45.0  # vm.guest_boot_s
START_S = BOOT_S + 5.0  # and vm.app_start_s
VMS = 8


def events(*rows: tuple[float, str, dict[str, str]]) -> str:
    out = ""
    for at, kind, fields in rows:
        out += f'[[events]]\nat_s = {at}\nkind = "{kind}"\n'
        out += "".join(f'{key} = "{value}"\n' for key, value in fields.items())
    return out


def storage_cut(start: float, end: float | None) -> str:
    rows = [(start, "link_fail", {"a": "storage", "b": "core"})]
    if end is not None:
        rows.append((end, "link_recover", {"a": "storage", "b": "core"}))
    return events(*rows)


def run(text: str, *worlds: World, **changes: object):
    scenario = failover(events=text, **changes)
    return simulate(dataclasses.replace(scenario, worlds=worlds or (World.VM,)))


def rows(timeline, kind: EventType, world: World = World.VM):
    return [e for e in timeline.events if e.world is world and e.type == kind]


def test_the_storage_link_cut_pauses_every_vm_at_once_and_resumes_them_in_place():
    timeline = run(storage_cut(60, 180))
    vm = timeline.worlds[World.VM]
    paused = rows(timeline, EventType.WORKLOAD_PAUSED)
    assert len(paused) == VMS and {e.time_s for e in paused} == {60.0}
    assert all("Paused-Critical" in e.detail and "stated" in e.detail for e in paused)
    assert set(vm.state_at(100).workload_phase.tolist()) == {Phase.PAUSED}
    # Every node still hears the others: nobody is removed, nothing restarts.
    assert not rows(timeline, EventType.NODE_ISOLATED)
    assert not rows(timeline, EventType.WORKLOAD_RESTARTING)
    assert not rows(timeline, EventType.QUORUM_KEPT) and not rows(timeline, EventType.QUORUM_LOST)
    resumed = rows(timeline, EventType.WORKLOAD_RESUMED)
    assert len(resumed) == VMS and {e.time_s for e in resumed} == {180.0}
    after = vm.state_at(180)
    assert set(after.workload_phase.tolist()) == {Phase.READY}
    assert after.workload_host.tolist() == vm.state_at(0).workload_host.tolist()  # in place
    result = summarize(timeline)["vm"]
    assert result.unreachable_s == pytest.approx(120.0)
    assert result.recovery_s == pytest.approx(120.0)
    assert result.max_duplicates == 0


def test_a_paused_vm_still_holds_its_memory():
    timeline = run(storage_cut(60, 180))
    vm = timeline.worlds[World.VM]
    assert vm.state_at(100).host_memory_gb.tolist() == vm.state_at(30).host_memory_gb.tolist()


def test_a_storage_cut_longer_than_the_timeout_powers_the_vms_off_and_the_cluster_restarts_them():
    timeline = run(storage_cut(60, 2060), duration_s=2400)
    off = rows(timeline, EventType.WORKLOAD_FAILED)
    assert len(off) == VMS and {e.time_s for e in off} == {60.0 + 1800.0}
    assert all("AutomaticCriticalErrorActionTimeout" in e.detail for e in off)
    restarting = rows(timeline, EventType.WORKLOAD_RESTARTING)
    assert {e.time_s for e in restarting} == {1860.0}
    # No node reaches the storage: the cluster cannot start them before it returns.
    waiting = rows(timeline, EventType.WORKLOAD_UNSCHEDULABLE)
    assert waiting and all("reaches the storage" in e.detail for e in waiting)
    ready = rows(timeline, EventType.WORKLOAD_READY)
    assert len(ready) == VMS and {e.time_s for e in ready} == {2060.0 + START_S}
    assert summarize(timeline)["vm"].recovery_s == pytest.approx(2000.0 + START_S)


def test_the_critical_pause_timeout_is_a_setting():
    timeline = run(
        storage_cut(60, None),
        parameters='"hyperv.critical_pause_timeout_s" = 600\n',
        duration_s=800,
    )
    off = rows(timeline, EventType.WORKLOAD_FAILED)
    assert len(off) == VMS and {e.time_s for e in off} == {660.0}


def test_vms_on_local_disk_do_not_notice_the_storage():
    timeline = run(storage_cut(60, 180), World.VM_LOCAL_DISK)
    local = World.VM_LOCAL_DISK
    assert not rows(timeline, EventType.WORKLOAD_PAUSED, local)
    assert set(timeline.worlds[local].state_at(100).workload_phase.tolist()) == {Phase.READY}
    result = summarize(timeline)[local.value]
    assert result.unreachable_s == 0.0 and result.recovery_s == 0.0


def test_vms_on_an_smb_share_pause_too():
    timeline = run(storage_cut(60, 180), World.VM_SMB_SHARE)
    assert len(rows(timeline, EventType.WORKLOAD_PAUSED, World.VM_SMB_SHARE)) == VMS


def test_a_vm_caught_booting_boots_again_once_the_storage_is_back():
    # r1-h01 crashes at 10 s and (period 0) fails over at once; web-0 boots elsewhere from
    # about 19.6 s, and the storage goes at 40 s, in the middle of its boot.
    text = events((10, "host_fail", {"host": "r1-h01"})) + storage_cut(40, 100)
    timeline = run(text, parameters='"hyperv.resiliency_default_period_s" = 0\n')
    web0 = [e for e in rows(timeline, EventType.WORKLOAD_PAUSED) if e.subject == "web-0"]
    assert len(web0) == 1 and "booting starts over" in web0[0].detail
    resumed = [e for e in rows(timeline, EventType.WORKLOAD_RESUMED) if e.subject == "web-0"]
    assert len(resumed) == 1 and "starts over (assumption)" in resumed[0].detail
    ready = [e for e in rows(timeline, EventType.WORKLOAD_READY) if e.subject == "web-0"]
    assert [e.time_s for e in ready] == [pytest.approx(100.0 + START_S)]


def test_a_live_migration_whose_vm_pauses_is_called_off():
    text = events((60, "rebalance", {"host": "r1-h01"})) + storage_cut(61, 200)
    timeline = run(text)
    aborted = rows(timeline, EventType.MIGRATION_ABORTED)
    assert [e.subject for e in aborted] == ["web-0"]
    assert "lost the storage" in aborted[0].detail
    vm = timeline.worlds[World.VM]
    assert vm.state_at(250).workload("web-0").host == "r1-h01"  # resumed where it was
    assert not rows(timeline, EventType.WORKLOAD_MIGRATED)


def test_a_crash_only_run_has_no_pause_machinery():
    timeline = run(events((60, "host_fail", {"host": "r1-h01"})))
    assert not rows(timeline, EventType.WORKLOAD_PAUSED)
    assert timeline.worlds[World.VM].state_at(100).host_status[0] == HostStatus.ISOLATED
