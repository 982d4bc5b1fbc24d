"""Persistent storage (storage.toml): a VHD on an SMB share or on local disk, against Azure Files
and an Azure Disk per StatefulSet pod, in the failover of the fault-tolerance lesson."""

from __future__ import annotations

import dataclasses

import pytest

from tests.lessons.conftest import default, pull_s, seconds
from vmc_gui.model.events import HostRecover, OutOfService
from vmc_gui.model.library import resolve
from vmc_gui.model.scenario import World
from vmc_gui.sim import simulate
from vmc_gui.sim.summary import to_json

HEARTBEATS_S = 10 * 1.0  # threshold x delay: the most detection can take
#: The attach/detach controller's wait before it force-detaches from an unhealthy node.
MAX_WAIT_FOR_UNMOUNT_S = 360.0


def worlds(scenario=None, **settings):
    scenario = scenario or resolve("storage")
    overrides = {key.replace("__", "."): value for key, value in settings.items()}
    return to_json(simulate(scenario.with_parameters(overrides)))["worlds"]


def test_the_lesson_pairs_the_source_texts_four_kinds_of_storage():
    assert resolve("storage").worlds == (
        World.VM_SMB_SHARE,
        World.VM_LOCAL_DISK,
        World.CONTAINER_SHARED_VOLUME,
        World.CONTAINER_DISK_VOLUME,
    )


def test_shared_storage_fails_over_exactly_as_in_the_failover_lesson():
    # Same cluster, service, failure and seed; worlds of one platform share a random stream.
    w = worlds()
    failover = to_json(simulate(resolve("failover")))["worlds"]
    assert w["vm-smb-share"]["recovery_s"] == failover["vm"]["recovery_s"]
    assert w["container-shared-volume"]["recovery_s"] == failover["container"]["recovery_s"]
    wait = seconds("hyperv.resiliency_default_period_s")
    boot = seconds("vm.guest_boot_s") + seconds("vm.app_start_s")
    assert wait + boot < w["vm-smb-share"]["recovery_s"] <= wait + boot + HEARTBEATS_S
    assert not w["vm-smb-share"]["data_unavailable"]
    assert not w["container-shared-volume"]["data_unavailable"]


def test_a_vhd_on_local_disk_never_fails_over_while_the_host_is_down():
    w = worlds()["vm-local-disk"]
    assert w["recovery_s"] is None
    assert w["data_unavailable"] is True
    assert "r1-h01's local disk" in w["reason"]


def test_an_azure_disk_pod_stays_terminating_with_default_pod_settings():
    # Evicted after 300 s with a 30 s grace period its dead kubelet cannot confirm: the pod
    # object stays, the StatefulSet creates no replacement, the disk stays attached.
    w = worlds()["container-disk-volume"]
    assert w["recovery_s"] is None
    assert w["held_back"] == 1 and w["pending"] == 0
    assert "stays Terminating" in w["reason"]
    assert "StatefulSet creates no replacement" in w["reason"]
    state = simulate(resolve("storage")).state_at(600.0)["container-disk-volume"]
    stuck = [v for v in state.workloads() if v.phase == "terminating"]
    assert [v.host for v in stuck] == ["r1-h01"]


def test_grace_zero_and_a_short_toleration_take_about_eight_minutes():
    # The azuredisk-csi-driver's node-shutdown recovery note: tolerationSeconds 10,
    # terminationGracePeriodSeconds 0, "around 8min" (1 min NotReady + 6 min + 1 min).
    w = worlds(
        kubernetes__termination_grace_period_s=0, kubernetes__default_unreachable_toleration_s=10
    )["container-disk-volume"]
    phases = {p["name"]: p for p in w["phases"]}
    assert phases["force-detach wait (6 min)"]["end_s"] - phases["force-detach wait (6 min)"][
        "start_s"
    ] == pytest.approx(MAX_WAIT_FOR_UNMOUNT_S)
    assert phases["disk detach"]["end_s"] == pytest.approx(phases["disk attach"]["start_s"])
    assert 7.5 * 60 <= w["recovery_s"] <= 8.5 * 60


def test_force_detach_disabled_leaves_the_disk_attached():
    w = worlds(
        kubernetes__termination_grace_period_s=0,
        kubernetes__default_unreachable_toleration_s=10,
        kubernetes__disable_force_detach_on_timeout=1,
    )["container-disk-volume"]
    assert w["recovery_s"] is None
    assert "Multi-Attach" in w["reason"] and "out-of-service" in w["reason"]


def test_the_out_of_service_taint_frees_the_disk_without_the_six_minutes():
    scenario = resolve("storage").with_event(OutOfService(180.0, host="r1-h01"))
    w = worlds(scenario)
    disk = w["container-disk-volume"]
    # The pod garbage collector's next run (every 20 s), then detach, attach and start.
    ceiling = 180 - 60 + 20 + seconds("storage.disk_detach_s") + seconds("storage.disk_attach_s")
    assert disk["recovery_s"] <= ceiling + 3.0
    assert disk["recovery_s"] >= 180 - 60 + 60
    assert not any(p["name"].startswith("force-detach") for p in disk["phases"])
    # There is no failover-cluster equivalent: the VM worlds are unchanged.
    assert w["vm-smb-share"]["recovery_s"] == worlds()["vm-smb-share"]["recovery_s"]


def test_local_storage_recovers_on_the_host_when_it_returns():
    back = resolve("storage").with_event(HostRecover(500.0, host="r1-h01"))
    w = worlds(back)
    boot = seconds("vm.guest_boot_s") + seconds("vm.app_start_s")
    assert w["vm-local-disk"]["recovery_s"] == pytest.approx(500 - 60 + boot)
    assert w["vm-local-disk"]["data_unavailable"] is False
    # Its kubelet confirms the deletion: the StatefulSet recreates the pod elsewhere, whose disk
    # is unmounted, detached and attached there; that node has not run the image, so it pulls
    # it before the container starts.
    disk = w["container-disk-volume"]["recovery_s"]
    moved = seconds("storage.disk_detach_s") + seconds("storage.disk_attach_s")
    cold = pull_s(default("container.nanoserver_image_mb"))
    start = seconds("container.nanoserver_start_s")
    assert 500 - 60 + moved + start < disk < 500 - 60 + moved + cold + start + 3.0


def test_a_node_local_volume_binds_the_replacement_to_the_dead_node():
    scenario = dataclasses.replace(resolve("storage"), worlds=(World.CONTAINER_NODE_VOLUME,))
    w = worlds(scenario)["container-node-volume"]
    assert w["recovery_s"] is None and w["data_unavailable"] is True
    assert "volume node affinity conflict" in w["reason"]
    back = scenario.with_event(HostRecover(500.0, host="r1-h01"))
    # Schedulable again once the controller's next pass (within 5 s) sees its lease.
    recovered = worlds(back)["container-node-volume"]["recovery_s"]
    earliest = 500 - 60 + seconds("container.nanoserver_start_s")
    assert earliest < recovered <= earliest + seconds("kubernetes.node_monitor_period_s")


def test_a_statefulset_recreates_its_pods_in_order_one_at_a_time():
    # Two pods per node: both of r1-h01's are deleted at once (grace 0), but OrderedReady
    # recreates the later ordinal only once the earlier one is Running and Ready.
    scenario = dataclasses.replace(resolve("storage"), worlds=(World.CONTAINER_DISK_VOLUME,))
    service = dataclasses.replace(scenario.services[0], replicas=24)
    scenario = dataclasses.replace(scenario, services=(service,), duration_s=900).with_parameters(
        {
            "kubernetes.termination_grace_period_s": 0,
            "kubernetes.default_unreachable_toleration_s": 10,
        }
    )
    timeline = simulate(scenario)
    world = timeline.worlds[World.CONTAINER_DISK_VOLUME]
    lost = sorted(
        (int(name.split("-")[1]), name) for name in world.state_at(59).host("r1-h01").workloads
    )
    assert len(lost) == 2
    (_, first), (_, second) = lost
    recreated = {
        e.subject: e.time_s
        for e in timeline.events
        if e.detail.startswith("recreated by its StatefulSet")
    }
    ready = {
        e.subject: e.time_s
        for e in timeline.events
        if e.type.label == "workload_ready" and e.time_s > 60
    }
    assert recreated[second] == pytest.approx(ready[first])
    # Its disk was force-detached meanwhile (its own 6 minutes ran from its deletion): only
    # the attach and the start are left.
    attach = seconds("storage.disk_attach_s")
    assert ready[second] - recreated[second] == pytest.approx(
        attach + seconds("container.nanoserver_start_s"), abs=1.0
    )
