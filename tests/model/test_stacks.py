"""The stack definitions: layout, costs, what an exploit reaches, what shares what."""

from __future__ import annotations

import itertools

import pytest

from vmc_gui.model.parameters import ParameterSet
from vmc_gui.model.scenario import World
from vmc_gui.model.stacks import (
    DIAGRAMS,
    MAX_INSTANCES,
    LayerKind,
    UnknownDiagram,
    diagram,
    explain,
    exploit_reach,
    isolated_by,
    sharing,
)


def stacks(instances=3):
    return [s for name in DIAGRAMS for s in diagram(name, instances).stacks]


@pytest.mark.parametrize("instances", [1, 3, MAX_INSTANCES])
def test_layers_tile_the_grid_without_overlapping(instances):
    for stack in stacks(instances):
        cells = set()
        for layer in stack.layers:
            assert layer.col >= 0 and layer.col + layer.span <= stack.columns + 1e-9
            assert layer.row >= 0 and layer.row + layer.height <= stack.rows
            # Cells of half a column are fine-grained enough for every layout we draw.
            cols = range(round(layer.col * 10), round((layer.col + layer.span) * 10))
            for cell in itertools.product(range(layer.row, layer.row + layer.height), cols):
                assert cell not in cells, f"{stack.title}: {layer.key} overlaps"
                cells.add(cell)
        assert len({layer.key for layer in stack.layers}) == len(stack.layers)


def test_keys_are_stable_as_a_stack_grows():
    small = {layer.key for s in diagram("vm-vs-container", 2).stacks for layer in s.layers}
    large = {layer.key for s in diagram("vm-vs-container", 3).stacks for layer in s.layers}
    assert small < large
    assert large - small == {
        "vm-3/guest-kernel",
        "vm-3/guest-user-mode",
        "vm-3/app",
        "container-3/user-mode",
        "container-3/app",
    }


def test_hyper_v_is_a_type_1_hypervisor_beneath_the_parent_partition():
    (vm,) = diagram("vm").stacks
    row = {layer.kind: layer.row for layer in vm.layers if not layer.instance}
    assert row[LayerKind.HARDWARE] < row[LayerKind.HYPERVISOR] < row[LayerKind.HOST_KERNEL]
    parent = next(b for b in vm.boundaries if b.key == "vm/parent")
    assert "vm/host-kernel" in parent.encloses and parent.strong
    for name in vm.instances:  # every VM has its own kernel, user mode and app
        kinds = {layer.kind for layer in vm.layers if layer.instance == name}
        assert kinds == {LayerKind.GUEST_KERNEL, LayerKind.GUEST_USER_MODE, LayerKind.APP}


def test_containers_share_the_host_kernel_and_carry_no_kernel():
    (stack,) = diagram("container").stacks
    kinds = {layer.kind for layer in stack.layers}
    assert LayerKind.GUEST_KERNEL not in kinds and LayerKind.HYPERVISOR not in kinds
    kernel = stack.layer("container/host-kernel")
    assert kernel.shared and kernel.col == 0 and kernel.span == stack.columns
    users = {stack.layer(k).instance for k in sharing(stack, kernel.key)} - {""}
    assert users == set(stack.instances)


def test_a_hyperv_container_has_a_utility_vm_kernel_of_its_own():
    (stack,) = diagram("hyperv-container").stacks
    for name in stack.instances:
        kinds = [layer.kind for layer in stack.layers if layer.instance == name]
        assert LayerKind.UTILITY_VM_KERNEL in kinds


def test_costs_come_from_the_parameters():
    (vm,) = diagram("vm").stacks
    assert vm.layer("vm-1/guest-kernel").memory_mb == 512
    assert vm.layer("vm-1/guest-kernel").disk_gb == 32
    desktop = ParameterSet({"vm.guest_memory_overhead_mb": 2048})
    (vm,) = diagram("vm", parameters=desktop).stacks
    assert vm.overhead_mb() == 2048
    (hv,) = diagram("hyperv-container").stacks
    assert hv.overhead_mb() == 90 + 40
    (c,) = diagram("container").stacks
    assert c.overhead_mb() == 40 and c.app_mb() == 1024


@pytest.mark.parametrize(
    ("name", "world", "tenants"),
    [
        ("vm", World.VM, 1),
        ("container", World.CONTAINER, 3),
        ("hyperv-container", World.HYPERV_CONTAINER, 1),
    ],
)
def test_an_exploit_reaches_its_own_instance_or_the_whole_host(name, world, tenants):
    (stack,) = diagram(name).stacks
    assert stack.world is world
    app = stack.apps()[0]
    reached = exploit_reach(stack, app.key)
    assert {stack.layer(k).instance for k in reached} - {""} == set(stack.instances[:tenants])
    assert app.key in reached
    kinds = {stack.layer(k).kind for k in reached}
    assert LayerKind.HARDWARE not in kinds and LayerKind.HYPERVISOR not in kinds
    assert (LayerKind.HOST_KERNEL in kinds) == (world is World.CONTAINER)


def test_the_hypervisor_keeps_every_partition_apart():
    (vm,) = diagram("vm").stacks
    assert set(isolated_by(vm, "vm/hypervisor")) == {b.key for b in vm.boundaries}
    (c,) = diagram("container").stacks
    kept = isolated_by(c, "container/host-kernel")
    assert len(kept) == 3 and all(not c.layer(k.replace("namespace", "app")).shared for k in kept)
    assert isolated_by(vm, "vm-1/app") == ()


def test_explanations_say_what_costs_and_what_shares():
    (c,) = diagram("container").stacks
    text = explain(c, "container/host-kernel")
    assert "Shared by 3 of 3" in text and "kernel" in text
    (vm,) = diagram("vm").stacks
    assert "512 MB memory, 32 GB disk" in explain(vm, "vm-2/guest-kernel")


def test_bad_names_and_counts_are_refused():
    with pytest.raises(UnknownDiagram, match="the diagrams are: vm, container"):
        diagram("vmm")
    with pytest.raises(UnknownDiagram, match="1 to 8 instances"):
        diagram("vm", 0)


def test_the_lessons_draw_what_they_teach():
    assert diagram("lesson:isolation").overlay
    assert [s.world for s in diagram("lesson:isolation").stacks] == [
        World.VM,
        World.CONTAINER,
        World.HYPERV_CONTAINER,
    ]
    vm, container = diagram("lesson:networking").stacks
    assert sum(layer.kind is LayerKind.VNIC for layer in vm.layers) == 3
    firewall = container.layer("container/host-firewall")
    assert firewall.shared and firewall.span == container.columns


def test_a_containers_image_is_stored_once_per_host_not_per_container():
    (c,) = diagram("container").stacks
    layer = c.layer("container-2/user-mode")
    assert layer.disk_gb == 0 and layer.memory_mb == 40
    assert "stored once per host" in layer.what
