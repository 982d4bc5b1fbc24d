"""Operating system: instances per host from memory / footprint (density.toml)."""

from __future__ import annotations

import pytest

from tests.lessons.conftest import default, run

HOSTS, HOST_MB, CORES, APP_MB, APP_CPU = 4, 64 * 1024, 16, 1024, 0.25


def per_host(footprint_mb: float, max_count: int) -> int:
    return min(int(HOST_MB // footprint_mb), int(CORES / APP_CPU), max_count)


def test_density_by_hand():
    worlds = run("density")["worlds"]
    guest = default("vm.guest_memory_overhead_mb")
    runtime = default("container.memory_overhead_mb")
    utility = default("hyperv_isolation.utility_vm_memory_mb")
    # VMs do not reserve cores (Hyper-V shares them), so only memory and the VM count limit.
    vm = HOSTS * min(int(HOST_MB // (APP_MB + guest)), 1024)
    container = HOSTS * per_host(APP_MB + runtime, 110)
    hyperv = HOSTS * per_host(APP_MB + runtime + utility, 110)
    assert (vm, hyperv, container) == (168, 224, 244)
    assert worlds["vm"]["instances"] == vm
    assert worlds["container"]["instances"] == container
    assert worlds["hyperv-container"]["instances"] == hyperv
    for world in worlds.values():
        assert world["limiting_resource"] == "memory"
    assert worlds["vm"]["overhead_gb"] == pytest.approx(vm * guest / 1024)
    assert worlds["container"]["overhead_gb"] == pytest.approx(container * runtime / 1024)
    assert worlds["hyperv-container"]["overhead_gb"] == pytest.approx(
        hyperv * (runtime + utility) / 1024
    )


def test_a_pod_limit_below_what_memory_allows_becomes_the_limit():
    container = run("density", kubernetes__max_pods_per_node=50)["worlds"]["container"]
    assert container["instances"] == HOSTS * 50
    assert container["limiting_resource"] == "pods per node"


def test_the_desktop_experience_guest_halves_the_vms():
    vm = run("density", vm__guest_memory_overhead_mb=2048)["worlds"]["vm"]
    assert vm["instances"] == HOSTS * int(HOST_MB // (APP_MB + 2048))


def test_a_vm_count_limit_below_memory_becomes_the_limit():
    vm = run("density", hyperv__max_vms_per_host=10)["worlds"]["vm"]
    assert vm["instances"] == HOSTS * 10
    assert vm["limiting_resource"] == "VMs per host"


def test_demand_beyond_capacity_leaves_the_rest_pending():
    for world in run("density")["worlds"].values():
        assert world["pending"] == 400 - world["instances"]
        assert world["time_to_capacity_s"] is None
