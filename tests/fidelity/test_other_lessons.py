"""The other timed lessons' figures, as docs/lessons.md and the README state them."""

from __future__ import annotations

import pytest

from tests.fidelity.conftest import simulate_json
from vmc_gui.report import duration


def test_density_fits_168_vms_224_isolated_and_244_containers():
    worlds = simulate_json("density")["worlds"]
    assert worlds["vm"]["instances"] == 168  # 65,536 MB / (1,024 + 512) = 42 per host, x 4
    # Microsoft's table: 40 MB per Nano Server container, 130 MB Hyper-V-isolated.
    assert worlds["hyperv-container"]["instances"] == 224  # / (1,024 + 40 + 90) = 56
    assert worlds["container"]["instances"] == 244  # / (1,024 + 40) = 61


def test_scale_out_reaches_capacity_in_4_25_5_against_4_47_6():
    worlds = simulate_json("scale-out")["worlds"]
    # 120 s of rising demand, then the template's VHDX copied (10 GB at 500 MB/s, 20.5 s), the
    # first boot (setup included, 120 s) and the app (5 s).
    assert duration(worlds["vm"]["time_to_capacity_s"]) == "4 min 25.5 s"
    # The second rise lands on nodes without Server Core: a cold pull (10.7 s download of
    # 1,280 MB, 213.3 s extracting 3,200 MB) and a 3.5 s start, from 120 s.
    assert duration(worlds["container"]["time_to_capacity_s"]) == "4 min 47.6 s"


def test_rolling_update_takes_34_20_against_2_39_2_never_below_six():
    worlds = simulate_json("rolling-update")["worlds"]
    # Download 60 s and staging 600 s while serving, then 4 batches of 300 s offline install,
    # 45 s boot and 5 s app start.
    assert duration(worlds["vm"]["update_duration_s"]) == "34 min 20.0 s"
    assert duration(worlds["vm"]["mean_exposure_s"]) == "25 min 35.0 s"  # 660 + 2.5 x 350
    # Build 120 s, push 0.85 s, then two waves each a cold pull (17.7 s) and a 1.5 s start.
    assert duration(worlds["container"]["update_duration_s"]) == "2 min 39.2 s"
    assert duration(worlds["container"]["mean_exposure_s"]) == "2 min 29.6 s"
    assert worlds["vm"]["min_ready_replicas"] == worlds["container"]["min_ready_replicas"] == 6
    assert worlds["vm"]["instances_patched"] == 8 and worlds["container"]["images_built"] == 1


def test_rebalance_blacks_out_47_4_ms_after_three_rounds():
    worlds = simulate_json("rebalance")["worlds"]
    assert worlds["vm"]["blackout_ms"] == pytest.approx(47.4, abs=0.05)
    assert worlds["vm"]["migration_rounds"] == 3
    assert worlds["container"]["moved"] == 0 and worlds["container"]["replaced"] == 2


def test_isolation_reaches_one_tenant_four_and_one():
    worlds = simulate_json("isolation")["worlds"]
    assert [worlds[w]["exposed_tenants"] for w in ("vm", "container", "hyperv-container")] == [
        1,
        4,
        1,
    ]
