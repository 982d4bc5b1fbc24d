"""The other timed lessons' figures, as docs/lessons.md and the README state them."""

from __future__ import annotations

import pytest

from tests.fidelity.conftest import simulate_json
from vmc_gui.report import duration


def test_density_fits_168_vms_200_isolated_and_248_containers():
    worlds = simulate_json("density")["worlds"]
    assert worlds["vm"]["instances"] == 168  # 65,536 MB / (1,024 + 512) = 42 per host, x 4
    assert worlds["hyperv-container"]["instances"] == 200  # / (1,024 + 20 + 256) = 50
    assert worlds["container"]["instances"] == 248  # / (1,024 + 20) = 62


def test_scale_out_reaches_capacity_in_4_27_against_2_01_2():
    worlds = simulate_json("scale-out")["worlds"]
    assert duration(worlds["vm"]["time_to_capacity_s"]) == "4 min 27.0 s"  # 120 + 97 + 45 + 5
    assert duration(worlds["container"]["time_to_capacity_s"]) == "2 min 1.2 s"  # 120 + 1.2


def test_rolling_update_takes_47_20_against_2_04_8_never_below_six():
    worlds = simulate_json("rolling-update")["worlds"]
    assert duration(worlds["vm"]["update_duration_s"]) == "47 min 20.0 s"  # 4 x 710 s
    assert duration(worlds["container"]["update_duration_s"]) == "2 min 4.8 s"
    assert worlds["vm"]["min_ready_replicas"] == worlds["container"]["min_ready_replicas"] == 6


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
