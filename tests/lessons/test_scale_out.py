"""Deployment: time to capacity as demand ramps from 4 to 32 instances (scale-out.toml)."""

from __future__ import annotations

import pytest

from tests.lessons.conftest import pull_s, run, seconds

# The scenario: demand rises at 60 s, 120 s and 180 s, to 32 instances.
FIRST_RISE, LAST_RISE, DEMAND = 60.0, 180.0, 32


def test_vm_world_pays_provisioning_boot_and_app_start_for_the_last_wave():
    vm = run("scale-out")["worlds"]["vm"]
    per_vm = (
        seconds("cloud.vm_provision_s") + seconds("vm.guest_boot_s") + seconds("vm.app_start_s")
    )
    assert vm["time_to_capacity_s"] == pytest.approx(LAST_RISE - FIRST_RISE + per_vm)
    assert vm["instances"] == DEMAND


def test_container_world_pays_a_cold_pull_once_per_node_then_only_the_start():
    document = run("scale-out")
    container = document["worlds"]["container"]
    # By the last rise every one of the 12 nodes runs a pod, so the image is cached everywhere.
    assert container["time_to_capacity_s"] == pytest.approx(
        LAST_RISE - FIRST_RISE + seconds("container.start_s")
    )
    assert container["instances"] == DEMAND
    pull = next(p for p in container["phases"] if p["name"] == "image pull")
    # The first wave lands on empty nodes: a cold pull of 1,580 MB of servercore.
    assert pull["start_s"] == FIRST_RISE
    assert pull["end_s"] - pull["start_s"] >= pull_s(1580) - 1e-9


def test_windows_provisioning_moves_the_vm_figure():
    base = run("scale-out")["worlds"]["vm"]["time_to_capacity_s"]
    slower = run("scale-out", cloud__vm_provision_s=810)["worlds"]["vm"]["time_to_capacity_s"]
    assert slower == pytest.approx(base + 810 - seconds("cloud.vm_provision_s"))


def test_a_slower_container_start_moves_the_container_figure():
    base = run("scale-out")["worlds"]["container"]["time_to_capacity_s"]
    slower = run("scale-out", container__start_s=4.0)["worlds"]["container"]
    assert slower["time_to_capacity_s"] == pytest.approx(base + 4.0 - seconds("container.start_s"))


@pytest.mark.parametrize("gbps", [1.0, 0.1])
def test_the_registry_bandwidth_sets_the_cold_pulls(gbps):
    # The second rise (120 s) lands on the last four empty nodes: the last cold pulls.
    container = run("scale-out", registry__bandwidth_gbps=gbps)["worlds"]["container"]
    pull = next(p for p in container["phases"] if p["name"] == "image pull")
    assert pull["end_s"] == pytest.approx(120.0 + 1580 * 8 / (gbps * 1000))


def test_every_instance_asked_for_is_created_once():
    for world in run("scale-out")["worlds"].values():
        assert world["pending"] == 0
        assert world["limiting_resource"] is None
