"""The rows' own diagrams: what each shows, named in the catalogue, opened by its lesson."""

from __future__ import annotations

import pytest

from vmc_gui.model.diagram_parts import FlowKind, PartKind, Place, State
from vmc_gui.model.lessons import ROWS, View
from vmc_gui.model.parameters import PARAMETERS, ParameterSet
from vmc_gui.model.row_diagrams import BUILDERS
from vmc_gui.model.scenario import World
from vmc_gui.model.stacks import DIAGRAMS, MAX_INSTANCES, Diagram, diagram

ROWS_DRAWN = ("deployment", "os-updates", "persistent-storage", "load-balancing", "fault-tolerance")
NAMES = [f"lesson:{slug}" for slug in ROWS_DRAWN]


def default(name: str) -> float:
    """A parameter's default, as the diagrams quote it (45.0 as 45)."""
    value = PARAMETERS[name].default
    return int(value) if float(value).is_integer() else value


def stack_of(built: Diagram, name: str) -> str:
    """The prefix of the stack an instance (or a stack) belongs to."""
    return next(s.prefix for s in built.stacks if name in (s.prefix, *s.instances))


@pytest.mark.parametrize("slug", ROWS_DRAWN)
def test_each_row_opens_its_own_diagram_beside_its_cluster(slug):
    row = ROWS[slug]
    assert row.diagram == f"lesson:{slug}"
    assert row.diagram in DIAGRAMS and row.diagram in BUILDERS
    assert row.main_view is View.CLUSTER  # the diagram is on a tab beside it


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("instances", [1, 3, MAX_INSTANCES])
def test_every_end_and_mark_names_something_in_the_diagram(name, instances):
    built = diagram(name, instances)
    assert built.name == name and built.title and built.caption
    assert not built.bars  # no resource bars: the row is about something else
    parts = {part.key for part in built.parts}
    assert len(parts) == len(built.parts)
    assert len({flow.key for flow in built.flows}) == len(built.flows)
    for flow in built.flows:
        for end in (flow.source, flow.target):
            assert end in parts or built.covered(end), (flow.key, end)
    for part in built.parts:
        assert all(built.covered(near) for near in part.near), part.key
    for mark in built.states:
        assert built.covered(mark), mark


@pytest.mark.parametrize("name", NAMES)
def test_the_vm_world_is_above_the_container_world_each_stack_in_one_band(name):
    built = diagram(name)
    assert [band.world for band in built.bands] == [World.VM, World.CONTAINER]
    placed = [i for band in built.bands for i in band.stacks]
    assert sorted(placed) == list(range(len(built.stacks)))
    for band in built.bands:
        assert {built.stacks[i].world for i in band.stacks} == {band.world}
    # Stacks are named after hosts in these diagrams, and their keys never clash.
    keys = [layer.key for stack in built.stacks for layer in stack.layers]
    assert len(keys) == len(set(keys))


def test_persistent_storage_a_disk_for_one_and_a_share_for_many():
    built = diagram("lesson:persistent-storage")
    parts = {part.key: part for part in built.parts}
    users: dict[str, set[str]] = {}
    for flow in built.flows:
        assert flow.kind is FlowKind.USE
        users.setdefault(flow.target, set()).add(flow.source)
    # A VM's VHD on its host's local disk; an SMB share that VMs on two hosts reach.
    assert parts["local-disk"].kind is PartKind.DISK and len(users["local-disk"]) == 1
    assert "VHD" in parts["local-disk"].detail and "single VM" in parts["local-disk"].detail
    assert parts["smb-share"].kind is PartKind.SHARE
    assert len({stack_of(built, vm) for vm in users["smb-share"]}) == 2
    assert "SMB file share" in parts["smb-share"].title
    # An Azure Disk for one pod on one node; Azure Files mounted by pods on two nodes.
    assert parts["azure-disk"].kind is PartKind.DISK and len(users["azure-disk"]) == 1
    assert "ReadWriteOnce" in parts["azure-disk"].detail
    assert parts["azure-files"].kind is PartKind.SHARE
    assert len({stack_of(built, pod) for pod in users["azure-files"]}) == 2
    assert "ReadWriteMany" in parts["azure-files"].detail
    assert all(part.place is Place.BELOW for part in built.parts)


def test_load_balancing_a_vm_moves_live_a_pod_is_replaced():
    built = diagram("lesson:load-balancing")
    moves = {flow.kind: flow for flow in built.flows}
    live, replaced = moves[FlowKind.MOVE], moves[FlowKind.REPLACE]
    assert stack_of(built, live.source) != stack_of(built, live.target)
    assert "memory copied" in live.label and "pre-copy" in live.label
    assert f"{default('migration.blackout_target_ms')} ms pause" in live.label
    assert "same process" in live.label.lower()
    assert stack_of(built, replaced.source) != stack_of(built, replaced.target)
    assert "new" in replaced.label and "lost" in replaced.label
    for flow in (live, replaced):
        assert built.states[flow.source] is State.GONE
        assert built.states[flow.target] is State.NEW


def test_fault_tolerance_the_host_fails_the_vm_boots_again_pods_are_recreated():
    built = diagram("lesson:fault-tolerance")
    failed = [name for name, state in built.states.items() if state is State.FAILED]
    assert sorted(failed) == sorted(s.prefix for s in built.stacks if "failed" in s.title)
    assert len(failed) == 2  # one host in each world
    replaced = [flow for flow in built.flows if flow.kind is FlowKind.REPLACE]
    assert len(replaced) == 2
    vm, pods = replaced
    assert (
        stack_of(built, vm.source) in failed
        and f"boots again ({default('vm.guest_boot_s')} s)" in vm.label
    )
    assert stack_of(built, pods.source) in failed and "no OS to boot" in pods.label
    assert f"({default('container.nanoserver_start_s')} s)" in pods.label
    (storage,) = built.parts
    assert storage.kind is PartKind.SHARE and "VHD" in storage.detail


@pytest.mark.parametrize("instances", [1, 3, 5])
def test_os_updates_each_vm_patched_against_four_steps_once(instances):
    built = diagram("lesson:os-updates", instances)
    vm, node = built.stacks
    patches = [flow for flow in built.flows if flow.source == "update"]
    assert sorted(flow.target for flow in patches) == sorted(vm.instances)
    for name in vm.instances:  # each VM's own guest OS is what changes
        assert built.states[f"{name}/guest-kernel"] is State.NEW
        assert built.states[f"{name}/guest-user-mode"] is State.NEW
    steps = [part for part in built.parts if part.key != "update"]
    assert [part.title[:2] for part in steps] == ["1.", "2.", "3.", "4."]
    assert "Dockerfile" in steps[0].title and "base image" in steps[0].detail
    assert "Rebuild" in steps[1].title and "registry" in steps[2].title
    assert "orchestrator" in steps[3].detail
    chain = [
        (flow.source, flow.target) for flow in built.flows if flow.source in {s.key for s in steps}
    ]
    assert chain == [
        ("dockerfile", "build"),
        ("build", "push"),
        ("push", "redeploy"),
        ("redeploy", node.prefix),  # one rollout to the node's pods, whatever their number
    ]


@pytest.mark.parametrize("instances", [1, 3])
def test_deployment_a_copy_and_a_boot_per_vm_against_one_pull_per_node(instances):
    built = diagram("lesson:deployment", instances)
    vm, node = built.stacks
    copies = [flow for flow in built.flows if flow.source == "template"]
    pulls = [flow for flow in built.flows if flow.source == "registry"]
    assert sorted(flow.target for flow in copies) == sorted(vm.instances)
    assert [flow.target for flow in pulls] == [node.prefix]
    assert f"boot ({default('vm.first_boot_s') / 60:g} min)" in copies[0].label
    assert f"start ({default('container.nanoserver_start_s')} s)" in pulls[0].label
    parts = {part.key: part for part in built.parts}
    assert "Hyper-V Manager" in parts["one-vm-tool"].title
    assert "Docker" in parts["one-container-tool"].title
    if instances > 1:
        assert "System Center" in parts["many-vm-tool"].title
        assert "Kubernetes" in parts["orchestrator"].title
    else:  # one VM: nothing to deploy many of
        assert "many-vm-tool" not in parts and "orchestrator" not in parts
    assert f"({default('vm.template_copy_gb')} GB)" in parts["template"].detail
    assert f"({default('container.nanoserver_image_mb')} MB)" in parts["registry"].detail
    assert all(built.states[name] is State.NEW for name in (*vm.instances, *node.instances))


def test_the_figures_come_from_the_parameters():
    p = ParameterSet(
        {
            "migration.blackout_target_ms": 80,
            "vm.guest_boot_s": 90,
            "container.nanoserver_start_s": 2.5,
            "vm.template_copy_gb": 20,
            "vm.patch_offline_s": 600,
        }
    )
    built = [diagram(name, parameters=p) for name in NAMES]
    labels = " ".join(flow.label for d in built for flow in d.flows)
    labels += " ".join(part.detail for d in built for part in d.parts)
    for text in ("80 ms", "boots again (1.5 min)", "(2.5 s)", "(20 GB)", "(10 min out of service)"):
        assert text in labels, text


def test_a_stack_is_named_by_its_key_prefix():
    built = diagram("lesson:load-balancing")
    assert [s.prefix for s in built.stacks] == ["vm-a", "vm-b", "pod-a", "pod-b"]
    assert built.covered("vm-b") == tuple(layer.key for layer in built.stacks[1].layers)
    assert built.covered("vm-a-2") == (
        "vm-a-2/guest-kernel",
        "vm-a-2/guest-user-mode",
        "vm-a-2/app",
    )
    assert built.covered("nothing") == ()
