"""The rows' own diagrams: what each shows, named in the catalogue, opened by its lesson."""

from __future__ import annotations

import pytest

from vmc_gui.model.diagram_parts import FlowKind, PartKind, Place, State
from vmc_gui.model.images import image_mb, start_setting
from vmc_gui.model.lessons import ROWS, View
from vmc_gui.model.library import resolve
from vmc_gui.model.parameters import PARAMETERS, ParameterSet
from vmc_gui.model.row_diagrams import BUILDERS, assumed
from vmc_gui.model.scenario import World
from vmc_gui.model.stacks import DIAGRAMS, MAX_INSTANCES, Diagram, diagram

ROWS_DRAWN = ("deployment", "os-updates", "persistent-storage", "load-balancing", "fault-tolerance")
NAMES = [f"lesson:{slug}" for slug in ROWS_DRAWN]


def default(name: str) -> float:
    """A parameter's default, as the diagrams quote it (45.0 as 45)."""
    value = PARAMETERS[name].default
    return int(value) if float(value).is_integer() else value


def duration(seconds: float) -> str:
    """A time as the diagrams write it: '1.5 s', '45 s', '2 min', '5 min 50 s'."""
    if seconds < 10:
        return f"{seconds:.2g} s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def words(built: Diagram) -> str:
    """Everything the diagram writes on the canvas besides the layers."""
    texts = [built.caption, *(band.title for band in built.bands)]
    texts += [stack.title for stack in built.stacks]
    texts += [f"{part.title} {part.detail}" for part in built.parts]
    texts += [flow.label for flow in built.flows]
    return " ".join(texts)


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
    # An Azure Disk attached to one node; Azure Files mounted by pods on two nodes.
    assert parts["azure-disk"].kind is PartKind.DISK and len(users["azure-disk"]) == 1
    assert "ReadWriteOnce" in parts["azure-disk"].detail
    # The share is shared; each VHD is opened by the host that runs its VM.
    assert "one share every server reaches" in parts["smb-share"].detail
    assert parts["azure-files"].kind is PartKind.SHARE
    assert len({stack_of(built, pod) for pod in users["azure-files"]}) == 2
    assert "ReadWriteMany" in parts["azure-files"].detail
    assert all(part.place is Place.BELOW for part in built.parts)


def test_read_write_once_is_described_per_node_not_per_pod():
    built = diagram("lesson:persistent-storage")
    disk = next(part for part in built.parts if part.key == "azure-disk")
    # ReadWriteOnce: read-write by a single node; pods on that node may share it
    # (kubernetes.io, persistent volumes, access modes).  One pod only is ReadWriteOncePod.
    assert "ReadWriteOnce" in disk.detail and "one node" in disk.detail
    assert "pods on that node" in disk.detail
    assert "one pod" not in disk.detail and "local storage" not in disk.detail
    assert "ReadWriteOncePod" in disk.what
    (attached,) = [flow for flow in built.flows if flow.target == "azure-disk"]
    assert "Node 1" in attached.label


def test_load_balancing_a_vm_moves_live_a_pod_is_replaced():
    built = diagram("lesson:load-balancing")
    moves = {flow.kind: flow for flow in built.flows}
    live, replaced = moves[FlowKind.MOVE], moves[FlowKind.REPLACE]
    assert stack_of(built, live.source) != stack_of(built, live.target)
    assert "copied while it runs" in live.label and "pre-copy" in live.label
    assert "The same running VM" in live.label and "process" not in live.label
    assert stack_of(built, replaced.source) != stack_of(built, replaced.target)
    assert "new" in replaced.label and "lost" in replaced.label
    # Core Kubernetes does not rebalance: an add-on (the descheduler) evicts, the pod's
    # controller creates a new one, the scheduler places it.
    assert "descheduler" in replaced.label and "add-on" in replaced.label
    assert "scheduler places it" in replaced.label
    # The descheduler judges requests, not use.
    assert "Node A (over-requested)" in [stack.title for stack in built.stacks]
    for flow in (live, replaced):
        assert built.states[flow.source] is State.GONE
        assert built.states[flow.target] is State.NEW


def test_the_load_balancing_pause_is_not_stated_as_the_50_ms_target():
    built = diagram("lesson:load-balancing")
    (live,) = [flow for flow in built.flows if flow.kind is FlowKind.MOVE]
    target = default("migration.blackout_target_ms")
    # The target is where pre-copy stops (assumed); the pause is the rest copied plus the
    # switch-over: 39.2 ms in the lesson's run.
    assert f"{target} ms pause" not in live.label and f"a {target} ms" not in live.label
    assert "brief pause" in live.label
    assert f"within {target} ms (assumed)" in live.label
    assert f"switch-over, {default('migration.switchover_ms')} ms (assumed)" in live.label
    # The memory: the picture's nominal VM, and the lesson's (the scenario's app + guest OS).
    service = resolve(ROWS["load-balancing"].scenario).services[0]
    run_gb = (service.memory_mb + default("vm.guest_memory_overhead_mb")) / 1024
    assert "1.5 GB in this picture" in live.label and f"{run_gb:g} GB in the lesson" in live.label


def test_fault_tolerance_the_host_fails_the_vm_boots_again_pods_are_recreated():
    built = diagram("lesson:fault-tolerance")
    failed = [name for name, state in built.states.items() if state is State.FAILED]
    assert sorted(failed) == sorted(s.prefix for s in built.stacks if "failed" in s.title)
    assert len(failed) == 2  # one host in each world
    replaced = [flow for flow in built.flows if flow.kind is FlowKind.REPLACE]
    assert len(replaced) == 2
    vm, pods = replaced
    assert stack_of(built, vm.source) in failed and "boots again" in vm.label
    assert stack_of(built, pods.source) in failed and "no OS to boot" in pods.label
    # Both wait on purpose first, for the figures the parameters give.
    assert "deliberate wait" in vm.label and "deliberate wait" in pods.label
    period = default("hyperv.resiliency_default_period_s") / 60
    assert f"Unmonitored for {period:g} min (assumed)" in vm.label
    toleration = default("kubernetes.default_unreachable_toleration_s") / 60
    assert f"tolerate that for {toleration:g} min." in pods.label
    grace = default("kubernetes.node_monitor_grace_period_s")
    assert f"NotReady after {grace} s," in pods.label
    # The boot and the start: the simulation's phases, summed; assumed.
    boot = default("vm.guest_boot_s") + default("vm.app_start_s")
    assert f"the app starts: {boot} s (assumed)" in vm.label
    service = resolve(ROWS["fault-tolerance"].scenario).services[0]
    p = ParameterSet()
    pull = image_mb(service, p) * (
        8 * 2**20 / (default("registry.bandwidth_gbps") * 1e9)
        + 1 / default("container.extract_mb_s")
    )
    start = pull + p.seconds(start_setting(service.image))
    assert f"no OS to boot: {start:.2g} s (assumed)" in pods.label
    # In all: the lesson's run recovers VMs in 4 min 59.6 s, containers in 5 min 56.4 s.
    assert vm.label.endswith("In all about 5 min (assumed).")
    assert pods.label.endswith("In all about 6 min (assumed).")
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
    assert "once per image" in built.bands[1].title
    assert "node's own operating system is updated separately" in built.caption
    steps = [part for part in built.parts if part.key != "update"]
    assert [part.title[:2] for part in steps] == ["1.", "2.", "3.", "4."]
    assert "Dockerfile" in steps[0].title and "base image" in steps[0].detail
    assert "Rebuild" in steps[1].title and "registry" in steps[2].title
    build = default("container.image_build_s") / 60
    assert f"{build:g} min (assumed)" in steps[1].detail
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
    copy_s = default("vm.template_copy_gb") * 1024 / default("vm.disk_copy_mb_s")
    assert f"copy {copy_s:.0f} s + first boot with setup 2 min + app start 5 s" in copies[0].label
    ready = round(copy_s + default("vm.first_boot_s") + default("vm.app_start_s"))
    assert f"= {ready // 60} min {ready % 60} s (assumed)" in copies[0].label
    parts = {part.key: part for part in built.parts}
    assert "Hyper-V Manager" in parts["one-vm-tool"].title
    assert "Docker" in parts["one-container-tool"].title
    # AKS nodes run containerd: docker run is for a standalone container host.
    assert "standalone" in parts["one-container-tool"].detail
    assert "containerd" in parts["one-container-tool"].detail
    if instances > 1:
        assert "System Center" in parts["many-vm-tool"].title
        assert "Kubernetes" in parts["orchestrator"].title
    else:  # one VM: nothing to deploy many of
        assert "many-vm-tool" not in parts and "orchestrator" not in parts
    assert f"{default('vm.template_copy_gb')} GB (assumed)" in parts["template"].detail
    assert "typically" in parts["template"].detail
    assert all(built.states[name] is State.NEW for name in (*vm.instances, *node.instances))


def test_the_deployment_pull_and_start_come_from_the_scale_out_scenarios_image():
    row = ROWS["deployment"]
    service = resolve(row.scenario).services[0]
    assert row.scenario == "scale-out" and service.image == "servercore"
    p = ParameterSet({"registry.bandwidth_gbps": 2, "container.extract_mb_s": 20})
    built = diagram("lesson:deployment", parameters=p)
    size = image_mb(service, p)
    download = size * 8 * 2**20 / (2 * 1e9)
    extract = size / 20
    (pull,) = [flow for flow in built.flows if flow.source == "registry"]
    assert f"download {duration(download)} + extract {duration(extract)}" in pull.label
    assert f"= {duration(download + extract)} (assumed)" in pull.label
    start = p.seconds(start_setting(service.image))
    assert f"each container starts: {start:.2g} s (assumed)" in pull.label
    registry = next(part for part in built.parts if part.key == "registry")
    assert f"Server Core: {size:,.0f} MB" in registry.detail
    assert "(assumed)" not in registry.detail  # a documented size
    assert "container.servercore_start_s" in built.figures
    assert "container.nanoserver_start_s" not in built.figures


def test_the_os_update_out_of_service_is_the_sum_of_the_simulations_phases():
    for offline, boot, app in [(300, 45, 5), (600, 90, 10), (120, 30, 0)]:
        p = ParameterSet(
            {"vm.patch_offline_s": offline, "vm.guest_boot_s": boot, "vm.app_start_s": app}
        )
        update = next(
            part
            for part in diagram("lesson:os-updates", parameters=p).parts
            if part.key == "update"
        )
        total = offline + boot + app  # the reboot, the guest's boot, the app's start
        minutes, seconds = divmod(total, 60)
        figure = f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
        assert update.detail.endswith(f"start: {figure} (assumed)"), update.detail
    assert "5 min 50 s (assumed)" in next(
        part.detail for part in diagram("lesson:os-updates").parts if part.key == "update"
    )


@pytest.mark.parametrize("name", NAMES)
def test_assumed_figures_carry_assumed_and_documented_ones_do_not(name):
    built = diagram(name)
    text = words(built)
    for figure in built.figures:
        assert figure in PARAMETERS, figure
    if any(assumed(figure) for figure in built.figures):
        assert "(assumed)" in text
    expected = {
        "lesson:deployment": [
            "10 GB (assumed)",
            "3.5 s (assumed)",
            "2 min 25 s (assumed)",
            "1 min 42 s (assumed)",
        ],
        "lesson:os-updates": ["2 min (assumed)", "25 % (assumed)", "5 min 50 s (assumed)"],
        "lesson:load-balancing": ["50 ms (assumed)", "30 ms (assumed)", "1.5 s (assumed)"],
        "lesson:fault-tolerance": ["4 min (assumed)", "50 s (assumed)", "9.6 s (assumed)"],
        "lesson:persistent-storage": [],
    }[name]
    for figure in expected:
        assert figure in text, figure
    # Documented figures stand alone.
    documented = {
        "lesson:deployment": ["1,280 MB to download,"],
        "lesson:fault-tolerance": ["heartbeats missed for 10 s,", "NotReady after 50 s,"],
    }.get(name, [])
    for figure in documented:
        assert figure in text, figure


def test_the_assumed_mark_follows_the_parameters_flags(monkeypatch):
    import dataclasses

    from vmc_gui.model import row_diagrams

    marked = dict(PARAMETERS)
    marked["hyperv.same_subnet_delay_ms"] = dataclasses.replace(
        PARAMETERS["hyperv.same_subnet_delay_ms"], assumed=True
    )
    marked["vm.guest_boot_s"] = dataclasses.replace(PARAMETERS["vm.guest_boot_s"], assumed=False)
    marked["vm.app_start_s"] = dataclasses.replace(PARAMETERS["vm.app_start_s"], assumed=False)
    monkeypatch.setattr(row_diagrams, "PARAMETERS", marked)
    failover = next(f for f in diagram("lesson:fault-tolerance").flows if f.key == "failover")
    assert "heartbeats missed for 10 s (assumed)," in failover.label
    assert "the app starts: 50 s." in failover.label


def test_vm_first_boot_is_marked_assumed_for_its_rule():
    # vm.first_boot_s is documented, but for Google Compute Engine: its rule is assumed.
    assert PARAMETERS["vm.first_boot_s"].assumed_rule and assumed("vm.first_boot_s")
    assert not assumed("container.extract_mb_s")


@pytest.mark.parametrize("name", NAMES)
def test_a_diagram_names_the_parameters_its_figures_come_from(name):
    built = diagram(name)
    assert set(built.figures) <= set(built.parameters)
    assert all(parameter in PARAMETERS for parameter in built.parameters)
    assert len(set(built.parameters)) == len(built.parameters)
    # The layers' costs are figures too.
    assert "vm.guest_memory_overhead_mb" in built.parameters
    assert "container.memory_overhead_mb" in built.parameters
    wanted = {
        "lesson:deployment": {
            "vm.template_copy_gb",
            "vm.disk_copy_mb_s",
            "vm.first_boot_s",
            "vm.app_start_s",
            "registry.bandwidth_gbps",
            "container.extract_mb_s",
            "container.servercore_image_mb",
            "container.servercore_start_s",
        },
        "lesson:os-updates": {
            "vm.patch_offline_s",
            "vm.guest_boot_s",
            "vm.app_start_s",
            "vm.update_batch_percent",
            "container.image_build_s",
        },
        "lesson:persistent-storage": set(),
        "lesson:load-balancing": {
            "migration.blackout_target_ms",
            "migration.switchover_ms",
            "container.nanoserver_start_s",
        },
        "lesson:fault-tolerance": {
            "hyperv.same_subnet_threshold",
            "hyperv.same_subnet_delay_ms",
            "hyperv.resiliency_default_period_s",
            "hyperv.resiliency_level",
            "vm.guest_boot_s",
            "vm.app_start_s",
            "kubernetes.node_monitor_grace_period_s",
            "kubernetes.default_unreachable_toleration_s",
            "container.nanoserver_start_s",
        },
    }[name]
    assert wanted <= set(built.figures), wanted - set(built.figures)


def test_the_side_by_side_diagrams_name_their_layers_costs():
    assert diagram("vm").parameters == ("vm.guest_memory_overhead_mb", "vm.guest_disk_gb")
    assert "hyperv_isolation.utility_vm_memory_mb" in diagram("lesson:isolation").parameters


def test_the_figures_come_from_the_parameters():
    p = ParameterSet(
        {
            "migration.blackout_target_ms": 80,
            "vm.guest_boot_s": 90,
            "container.nanoserver_start_s": 2.5,
            "container.servercore_start_s": 4.5,
            "vm.template_copy_gb": 20,
            "vm.patch_offline_s": 600,
            "kubernetes.default_unreachable_toleration_s": 120,
        }
    )
    built = [diagram(name, parameters=p) for name in NAMES]
    labels = " ".join(words(d) for d in built)
    for text in (
        "within 80 ms (assumed)",
        "the app starts: 1 min 35 s (assumed)",  # 90 s boot + 5 s app start
        "where it starts: 2.5 s (assumed)",
        "each container starts: 4.5 s (assumed)",
        "20 GB (assumed)",
        "start: 11 min 35 s (assumed)",  # 600 s + 90 s + 5 s
        "tolerate that for 2 min.",
        "In all about 3 min (assumed).",  # 50 s + 120 s + 11 s, about
    ):
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
