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


def test_scale_out_reaches_capacity_in_4_25_5_against_2_45_7():
    worlds = simulate_json("scale-out")["worlds"]
    # 120 s of rising demand, then the template's VHDX copied (10 GB at 500 MB/s, 20.5 s), the
    # first boot (setup included, 120 s) and the app (5 s).
    assert duration(worlds["vm"]["time_to_capacity_s"]) == "4 min 25.5 s"
    # The second rise lands on nodes without Server Core: a cold pull (10.7 s downloading
    # 1,280 MB, 91.4 s extracting them at 14 MB/s) and a 3.5 s start, from 120 s.
    assert duration(worlds["container"]["time_to_capacity_s"]) == "2 min 45.7 s"


def test_rolling_update_takes_34_20_against_2_20_0_never_below_six():
    worlds = simulate_json("rolling-update")["worlds"]
    # Download 60 s and staging 600 s while serving, then 4 batches of 300 s offline install,
    # 45 s boot and 5 s app start.
    assert duration(worlds["vm"]["update_duration_s"]) == "34 min 20.0 s"
    assert duration(worlds["vm"]["mean_exposure_s"]) == "25 min 35.0 s"  # 660 + 2.5 x 350
    # Build 120 s, push 0.85 s, then two waves each a cold pull (8.1 s) and a 1.5 s start.
    assert duration(worlds["container"]["update_duration_s"]) == "2 min 20.0 s"
    assert duration(worlds["container"]["mean_exposure_s"]) == "2 min 15.2 s"
    assert worlds["vm"]["min_ready_replicas"] == worlds["container"]["min_ready_replicas"] == 6
    assert worlds["vm"]["instances_patched"] == 8 and worlds["container"]["images_built"] == 1


def test_rebalance_moves_one_vm_off_the_hot_node_and_evicts_two_pods():
    worlds = simulate_json("rebalance")["worlds"]
    # 4,608 MB VMs, compressed at 500 MB/s: 9.2 s, 0.92 s and 0.09 s of pre-copy, then 4.6 MB
    # in 9.2 ms and the 30 ms switch-over.
    assert worlds["vm"]["blackout_ms"] == pytest.approx(39.2, abs=0.05)
    assert worlds["vm"]["migration_rounds"] == 3
    assert worlds["vm"]["balancer_moves"] == 1
    assert worlds["container"]["descheduler_evictions"] == 2
    assert worlds["container"]["eviction_gap_s"] == pytest.approx(3.0)


def test_isolation_reaches_one_tenant_four_and_one():
    worlds = simulate_json("isolation")["worlds"]
    assert [worlds[w]["exposed_tenants"] for w in ("vm", "container", "hyperv-container")] == [
        1,
        4,
        1,
    ]


def _readme_row(scenario: str) -> str:
    from tests.fidelity.conftest import ROOT

    for line in (ROOT / "README.md").read_text().splitlines():
        if line.startswith("| ") and f"| `{scenario}` |" in line:
            return line
    raise AssertionError(f"README.md has no row for {scenario}")


def _short(seconds: float) -> str:
    """A duration as the README's table writes it: no '.0' for whole seconds."""
    return duration(seconds).replace(".0 s", " s")


def test_the_readme_table_states_what_the_command_line_prints():
    """Every figure in README.md's lesson table, from ``simulate --json``."""
    failover = simulate_json("failover")["worlds"]
    row = _readme_row("failover")
    assert f"recovers in {duration(failover['vm']['recovery_s'])}" in row
    assert f"recovers in {duration(failover['container']['recovery_s'])}" in row
    storage = simulate_json("storage")["worlds"]
    recipe = simulate_json(
        "storage",
        "--set",
        "kubernetes.termination_grace_period_s=0",
        "--set",
        "kubernetes.default_unreachable_toleration_s=10",
    )["worlds"]
    row = _readme_row("storage")
    assert f"SMB share: {duration(storage['vm-smb-share']['recovery_s'])}" in row
    assert f"Azure Files: {duration(storage['container-shared-volume']['recovery_s'])}" in row
    assert storage["container-disk-volume"]["recovery_s"] is None and "never" in row
    assert f"{duration(recipe['container-disk-volume']['recovery_s'])} with a grace" in row
    scale = simulate_json("scale-out")["worlds"]
    row = _readme_row("scale-out")
    assert f"in {duration(scale['vm']['time_to_capacity_s'])}" in row
    assert f"in {duration(scale['container']['time_to_capacity_s'])}" in row
    update = simulate_json("rolling-update")["worlds"]
    row = _readme_row("rolling-update")
    assert f"{update['vm']['instances_patched']} guests" in row
    assert f"reboot: {_short(update['vm']['update_duration_s'])}" in row
    assert f"{update['vm']['min_ready_replicas']} of 8 always serving" in row
    assert f"rolled out: {duration(update['container']['update_duration_s'])}" in row
    balance = simulate_json("rebalance")["worlds"]
    row = _readme_row("rebalance")
    assert f"pass moves {balance['vm']['balancer_moves']} VM live" in row
    assert f"{balance['vm']['blackout_ms']:.1f} ms blackout" in row
    assert f"evicts {balance['container']['descheduler_evictions']} pods" in row
    assert f"{duration(balance['container']['eviction_gap_s'])} missing in all" in row
    density = simulate_json("density")["worlds"]
    row = _readme_row("density")
    assert f"{density['vm']['instances']} instances" in row
    isolated = density["hyperv-container"]["instances"]
    assert f"{density['container']['instances']} ({isolated} with" in row
    isolation = simulate_json("isolation")["worlds"]
    row = _readme_row("isolation")
    assert f"reaches {isolation['vm']['exposed_tenants']} tenant" in row
    assert f"all {isolation['container']['exposed_tenants']} tenants" in row


def test_the_lessons_texts_state_the_defaults():
    """The figures the in-app lesson texts (the scenarios' descriptions) state, from the
    parameter table, so that a changed default fails here until the text follows."""
    from vmc_gui.model.library import resolve
    from vmc_gui.model.parameters import PARAMETERS

    def default(name: str) -> float:
        return float(PARAMETERS[name].default)

    density = resolve("density").description
    assert f"{default('vm.guest_memory_overhead_mb'):.0f} MB for Server Core" in density
    runtime = default("container.memory_overhead_mb")
    assert f"({runtime:.0f} MB in Microsoft's table)" in density
    utility = runtime + default("hyperv_isolation.utility_vm_memory_mb")
    assert f"({utility:.0f} MB in all)" in density
    failover = resolve("failover").description
    assert f"({default('hyperv.resiliency_default_period_s'):.0f} s)" in failover
    assert f"after its {default('kubernetes.node_monitor_grace_period_s'):.0f} s grace" in failover
    assert f"for {default('kubernetes.default_unreachable_toleration_s'):.0f} s" in failover
    scale = resolve("scale-out").description
    servercore = default("container.servercore_image_mb")
    on_disk = servercore * default("container.image_expansion")
    assert f"a download of {servercore:,.0f} MB" in scale
    assert f"extraction ({on_disk:,.0f} MB land on disk)" in scale
    assert f"{default('vm.first_boot_s') / 60:.0f} minutes" in scale.replace("two", "2")
