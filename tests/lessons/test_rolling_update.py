"""OS updates: batch arithmetic for the VMs, build-push-roll for the pods (rolling-update.toml)."""

from __future__ import annotations

import math

import pytest

from tests.lessons.conftest import default, download_s, pull_s, run, seconds

REPLICAS = 8


def serving_s() -> float:
    """What every guest does while it keeps serving: download and stage."""
    return seconds("vm.patch_download_s") + seconds("vm.patch_stage_s")


def down_s() -> float:
    """What takes a guest out of service: the reboot that finishes the install, the boot, the
    app's start."""
    return seconds("vm.patch_offline_s") + seconds("vm.guest_boot_s") + seconds("vm.app_start_s")


def test_every_guest_stages_while_serving_then_reboots_a_batch_at_a_time():
    vm = run("rolling-update")["worlds"]["vm"]
    batch = max(1, REPLICAS * int(default("vm.update_batch_percent")) // 100)  # 2
    batches = math.ceil(REPLICAS / batch)
    assert vm["update_duration_s"] == pytest.approx(serving_s() + batches * down_s())
    assert vm["min_ready_replicas"] == REPLICAS - batch
    # Only the reboots count as degraded: 4 batches of 350 s.
    assert vm["downtime_s"] == pytest.approx(batches * down_s())
    # Each instance serves unpatched until its batch is back: on average 2.5 batches in.
    assert vm["mean_exposure_s"] == pytest.approx(serving_s() + (batches + 1) / 2 * down_s())
    assert vm["instances_patched"] == REPLICAS and "images_built" not in vm
    assert [p["name"] for p in vm["phases"]][:5] == [
        "patch download (serving)",
        "patch staged (serving)",
        "batch 1: reboot, installing",
        "batch 1: boot",
        "batch 1: app start",
    ]


def test_container_update_builds_pushes_then_replaces_in_two_waves():
    container = run("rolling-update")["worlds"]["container"]
    image = default("container.nanoserver_image_mb")
    # maxSurge 25 % of 8 = 2 up, maxUnavailable 2 down: 4 new pods, then the other 4.  Each
    # wave lands on nodes without the new image, so each pulls it (download and extraction).
    wave = pull_s(image) + seconds("container.nanoserver_start_s")
    expected = seconds("container.image_build_s") + download_s(image) + 2 * wave
    assert container["update_duration_s"] == pytest.approx(expected)
    assert container["min_ready_replicas"] == REPLICAS - REPLICAS * 25 // 100


def test_larger_batches_halve_the_reboots():
    half = run("rolling-update", vm__update_batch_percent=50)["worlds"]["vm"]
    assert half["update_duration_s"] == pytest.approx(serving_s() + 2 * down_s())
    assert half["min_ready_replicas"] == REPLICAS // 2


def test_a_shorter_offline_install_shortens_every_batch():
    base = run("rolling-update")["worlds"]["vm"]["update_duration_s"]
    shorter = run("rolling-update", vm__patch_offline_s=60)["worlds"]["vm"]["update_duration_s"]
    assert shorter == pytest.approx(base - 4 * (seconds("vm.patch_offline_s") - 60))
    # The staging runs once, on every guest at once, while they serve.
    staged = run("rolling-update", vm__patch_stage_s=60)["worlds"]["vm"]["update_duration_s"]
    assert staged == pytest.approx(base - (seconds("vm.patch_stage_s") - 60))


def test_an_update_longer_than_the_run_is_reported_unfinished():
    vm = run("rolling-update", vm__patch_offline_s=1200)["worlds"]["vm"]
    assert vm["update_duration_s"] is None
    assert vm["min_ready_replicas"] == REPLICAS - 2


def test_full_surge_replaces_every_pod_in_one_wave():
    container = run("rolling-update", kubernetes__max_surge_percent=100)["worlds"]["container"]
    image = default("container.nanoserver_image_mb")
    one_wave = (
        seconds("container.image_build_s")
        + download_s(image)  # the push
        + pull_s(image)
        + seconds("container.nanoserver_start_s")
    )
    assert container["update_duration_s"] == pytest.approx(one_wave)


def test_no_unavailability_keeps_every_replica_serving():
    container = run("rolling-update", kubernetes__max_unavailable_percent=0)["worlds"]["container"]
    assert container["min_ready_replicas"] == REPLICAS
    assert container["update_duration_s"] is not None


def test_the_image_build_time_moves_the_container_figure():
    base = run("rolling-update")["worlds"]["container"]["update_duration_s"]
    slower = run("rolling-update", container__image_build_s=600)["worlds"]["container"]
    assert slower["update_duration_s"] == pytest.approx(base + 600 - 120)
