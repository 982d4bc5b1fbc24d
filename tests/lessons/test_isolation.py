"""Isolation: a kernel exploit's reach in each world (isolation.toml)."""

from __future__ import annotations

from tests.lessons.conftest import run
from vmc_gui.model.isolation import exposed_layers
from vmc_gui.model.library import resolve
from vmc_gui.model.scenario import World
from vmc_gui.sim import simulate


def test_the_shared_kernel_exposes_every_tenant_on_the_host():
    timeline = simulate(resolve("isolation"))
    container = timeline.worlds[World.CONTAINER]
    state = container.state_at(59.0)
    # The victim: tenant-a's first replica; count the tenants with a pod on its host.
    victim = 0
    host = state.workload_host[victim]
    on_host = state.workload_service[state.workload_host == host]
    expected = len(set(on_host.tolist()))
    document = run("isolation")["worlds"]
    assert document["container"]["exposed_tenants"] == expected == 4
    assert document["container"]["exposed_workloads"] == int((state.workload_host == host).sum())
    assert "host kernel" in document["container"]["exposed_layers"]


def test_an_own_kernel_confines_the_exploit_to_its_tenant():
    document = run("isolation")["worlds"]
    for name in ("vm", "hyperv-container"):
        assert document[name]["exposed_tenants"] == 1
        assert document[name]["exposed_tenant_names"] == ["tenant-a"]
        assert document[name]["exposed_workloads"] == 1
        assert "host kernel" not in document[name]["exposed_layers"]
        assert document[name]["stopped_by"] == "the hypervisor"


def test_layers_come_from_the_model():
    document = run("isolation")["worlds"]
    for name, world in document.items():
        assert world["exposed_layers"] == list(exposed_layers(World(name)))
