"""Deployment: time to capacity as demand ramps from 4 to 32 instances (scale-out.toml)."""

from __future__ import annotations

import pytest

from tests.lessons.conftest import default, download_s, pull_s, run, seconds

# The scenario: demand rises at 60 s, 120 s and 180 s, to 32 instances.
FIRST_RISE, LAST_RISE, DEMAND = 60.0, 180.0, 32


def test_vm_world_copies_the_template_then_boots_it_once_for_the_last_wave():
    vm = run("scale-out")["worlds"]["vm"]
    copy = default("vm.template_copy_gb") * 1024 / default("vm.disk_copy_mb_s")  # 20.48 s
    # The first boot runs setup and is the boot: nothing else is added (issue 16).
    per_vm = copy + seconds("vm.first_boot_s") + seconds("vm.app_start_s")
    assert vm["time_to_capacity_s"] == pytest.approx(LAST_RISE - FIRST_RISE + per_vm)
    assert vm["instances"] == DEMAND
    names = [p["name"] for p in vm["phases"]]
    assert names == ["VHDX copied from the template", "first boot (setup)", "app start"]


def test_a_differencing_disk_copies_nothing():
    base = run("scale-out")["worlds"]["vm"]["time_to_capacity_s"]
    linked = run("scale-out", vm__template_copy_gb="differencing-disk")["worlds"]["vm"]
    copy = default("vm.template_copy_gb") * 1024 / default("vm.disk_copy_mb_s")
    assert linked["time_to_capacity_s"] == pytest.approx(base - copy)


def test_container_world_pays_a_cold_pull_once_per_node_then_only_the_start():
    container = run("scale-out")["worlds"]["container"]
    servercore = default("container.servercore_image_mb")
    # The second rise (120 s) lands on the last empty nodes: their cold pulls (a download of
    # 1,280 MB and their extraction, 102 s) end last; by the third every node has
    # the image or is pulling it, and its pods wait for that pull.
    assert container["time_to_capacity_s"] == pytest.approx(
        120 - FIRST_RISE + pull_s(servercore) + seconds("container.servercore_start_s")
    )
    assert container["instances"] == DEMAND
    pull = next(p for p in container["phases"] if p["name"] == "image pull")
    assert pull["start_s"] == FIRST_RISE
    assert pull["end_s"] == pytest.approx(120 + pull_s(servercore))


def test_extraction_not_the_download_takes_most_of_a_windows_pull():
    servercore = default("container.servercore_image_mb")
    assert pull_s(servercore) - download_s(servercore) > 5 * download_s(servercore)


def test_a_slower_container_start_moves_the_container_figure():
    base = run("scale-out")["worlds"]["container"]["time_to_capacity_s"]
    slower = run("scale-out", container__servercore_start_s=10.0)["worlds"]["container"]
    assert slower["time_to_capacity_s"] == pytest.approx(
        base + 10.0 - seconds("container.servercore_start_s")
    )


@pytest.mark.parametrize("gbps", [1.0, 0.1])
def test_the_registry_bandwidth_sets_the_cold_pulls(gbps):
    container = run("scale-out", registry__bandwidth_gbps=gbps)["worlds"]["container"]
    pull = next(p for p in container["phases"] if p["name"] == "image pull")
    servercore = default("container.servercore_image_mb")
    assert pull["end_s"] == pytest.approx(120.0 + pull_s(servercore, gbps))


def test_every_instance_asked_for_is_created_once():
    for world in run("scale-out")["worlds"].values():
        assert world["pending"] == 0
        assert world["limiting_resource"] is None
