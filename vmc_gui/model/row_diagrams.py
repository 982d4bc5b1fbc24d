"""The diagrams of the rows that are about more than the layers: deployment, OS updates,
persistent storage, load balancing and fault tolerance.

Each puts the VM world above the container world (a :class:`Band` each), draws its hosts
with the same stacks as every other diagram, and adds what the row is about with the
general parts of :mod:`model.diagram_parts`: the disk or share a VHD lives on, the
registry an image comes from, a VM's memory crossing to another host, a pod stopped here and
a new one started there.  The words are the seed's where it has them; every figure comes
from the platform parameters, so that the diagram says what the simulation does.

Nothing here imports Qt.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from types import MappingProxyType

from vmc_gui.model.diagram_parts import Band, Flow, FlowKind, Part, PartKind, Place, State
from vmc_gui.model.parameters import ParameterSet
from vmc_gui.model.scenario import World
from vmc_gui.model.stacks import APP_MEMORY_MB, Diagram, Stack, container_stack, vm_stack

#: The most VMs or containers a one-host band shows: more would only repeat the point.
_MAX_ON_ONE_HOST = 5
#: A VM's guest OS, the layers an update patches.
_GUEST_OS = ("guest-kernel", "guest-user-mode")


def _duration(seconds: float) -> str:
    """'45 s', '1.5 s', '5 min': how the captions quote a parameter's time."""
    if seconds >= 90:
        return f"{seconds / 60:.3g} min"
    return f"{seconds:.3g} s"


def _named(stack: Stack, title: str) -> Stack:
    """The stack under a host's name ("Host A") instead of its world's."""
    return replace(stack, title=title)


def _bands(vm: str, container: str, vm_stacks: int, container_stacks: int) -> tuple[Band, ...]:
    """The VM world's stacks first, then the container world's, one band each."""
    return (
        Band(World.VM, vm, tuple(range(vm_stacks))),
        Band(World.CONTAINER, container, tuple(range(vm_stacks, vm_stacks + container_stacks))),
    )


def _start_s(p: ParameterSet) -> float:
    """A container's start from an image already on the node (the diagrams' Nano Server)."""
    return float(p["container.nanoserver_start_s"])


# --- the rows --------------------------------------------------------------------------------


def deployment(instances: int, p: ParameterSet) -> Diagram:
    """A tool for one and a tool for many in each world; a template copied per VM against an
    image pulled once per node."""
    n = min(instances, _MAX_ON_ONE_HOST)
    vms = vm_stack(n, p)
    pods = container_stack(n, p)
    copy_gb, boot_s = float(p["vm.template_copy_gb"]), float(p["vm.first_boot_s"])
    image_mb = float(p["container.nanoserver_image_mb"])
    vm_tools, vm_deploys = _tools(
        vms,
        Part(
            "one-vm-tool",
            PartKind.TOOL,
            "Windows Admin Center or Hyper-V Manager",
            "deploys an individual VM",
            what="The graphical tools: a VM at a time.",
        ),
        Part(
            "many-vm-tool",
            PartKind.TOOL,
            "PowerShell or System Center VMM",
            "deploys multiple VMs",
            what="Scripts and System Center Virtual Machine Manager: many VMs at once.",
        ),
    )
    container_tools, container_deploys = _tools(
        pods,
        Part(
            "one-container-tool",
            PartKind.TOOL,
            "Docker via command line",
            "docker run: an individual container",
            what="One command starts one container from an image.",
        ),
        Part(
            "orchestrator",
            PartKind.TOOL,
            "Orchestrator (Azure Kubernetes Service)",
            "deploys multiple containers",
            what="You declare how many replicas; the orchestrator places and starts them.",
        ),
    )
    template = Part(
        "template",
        PartKind.SOURCE,
        "Template VHD (.vhdx)",
        f"a generalized guest OS, copied for each new VM ({copy_gb:g} GB)",
        what="A sysprepped virtual hard disk: each new VM gets a copy of its own, then boots "
        "it for the first time (setup included).",
        near=(vms.prefix,),
    )
    registry = Part(
        "registry",
        PartKind.REGISTRY,
        "Container registry",
        f"the app's image, pulled once per node ({image_mb:g} MB)",
        what="Where images are kept. A node pulls an image once; every container it starts "
        "from it shares its read-only layers.",
        near=(pods.prefix,),
    )
    # A copy and a boot for each VM; one pull for the node, then a process per container.
    copies = [
        Flow(f"copy-{vm}", "template", vm, "" if i else f"copy, then boot ({_duration(boot_s)})")
        for i, vm in enumerate(vms.instances)
    ]
    pull = Flow("pull", "registry", pods.prefix, f"pull, then start ({_duration(_start_s(p))})")
    return Diagram(
        "lesson:deployment",
        "Deployment: a VM from a template, a container from an image",
        "Each new VM copies the template's virtual hard disk and boots a guest OS of its own; "
        "a node pulls the image once and starts each container as a process.",
        (_named(vms, "Hyper-V host"), _named(pods, "Container host (node)")),
        bars=False,
        bands=_bands(
            "Virtual machines: a tool for one, a tool for many; a copy and a boot each",
            "Containers: docker for one, an orchestrator for many; one pull per node",
            1,
            1,
        ),
        parts=(*vm_tools, template, *container_tools, registry),
        flows=(*vm_deploys, *copies, *container_deploys, pull),
        states=dict.fromkeys((*vms.instances, *pods.instances), State.NEW),
    )


def _tools(stack: Stack, one: Part, many: Part) -> tuple[list[Part], list[Flow]]:
    """A tool for one instance over the first, a tool for many over the rest (none when
    there is only one), each with an arrow to what it deploys."""
    parts = [replace(one, place=Place.ABOVE, near=stack.instances[:1])]
    flows = [Flow(f"{one.key}-{stack.instances[0]}", one.key, stack.instances[0])]
    if len(stack.instances) > 1:
        parts.append(replace(many, place=Place.ABOVE, near=stack.instances[1:]))
        flows += [Flow(f"{many.key}-{name}", many.key, name) for name in stack.instances[1:]]
    return parts, flows


def os_updates(instances: int, p: ParameterSet) -> Diagram:
    """The update installed inside every VM, against the seed's four steps done once."""
    n = min(instances, _MAX_ON_ONE_HOST)
    vms = vm_stack(n, p)
    pods = container_stack(n, p)
    offline = _duration(float(p["vm.patch_offline_s"]))
    build = _duration(float(p["container.image_build_s"]))
    steps = [
        (
            "dockerfile",
            PartKind.SOURCE,
            "1. Edit the Dockerfile",
            "FROM the latest Windows base image",
        ),
        ("build", PartKind.SOURCE, "2. Rebuild the image", f"on the new base image ({build})"),
        ("push", PartKind.REGISTRY, "3. Push to the registry", "your container registry"),
        ("redeploy", PartKind.TOOL, "4. Redeploy", "the orchestrator rolls it out"),
    ]
    parts = [
        Part(
            "update",
            PartKind.SOURCE,
            "Operating system update",
            f"downloaded and installed on each VM, then a reboot ({offline} out of service)",
            what="A cumulative update: every VM downloads and installs it in its own guest "
            "OS, then restarts to finish.",
            place=Place.ABOVE,
            near=(vms.prefix,),
        )
    ]
    parts += [
        Part(
            key,
            kind,
            title,
            detail,
            place=Place.ABOVE,
            band=1,
            near=(pods.prefix,) if key == "redeploy" else (),
        )
        for key, kind, title, detail in steps
    ]
    flows = [
        Flow(f"patch-{vm}", "update", vm, "download, install, reboot" if i == 0 else "")
        for i, vm in enumerate(vms.instances)
    ]
    flows += [Flow(f"{a}-{b}", a, b) for (a, *_), (b, *_) in itertools.pairwise(steps)]
    flows.append(
        Flow("rollout", "redeploy", pods.prefix, "new pods replace the old", FlowKind.REPLACE)
    )
    states = {f"{vm}/{layer}": State.NEW for vm in vms.instances for layer in _GUEST_OS}
    states |= {pod: State.NEW for pod in pods.instances}
    return Diagram(
        "lesson:os-updates",
        "OS updates: patch each VM, or rebuild the image once",
        "Each VM's guest OS is patched in place, and each VM reboots. A container's OS files "
        "come from its image: edit the Dockerfile, rebuild, push, redeploy.",
        (_named(vms, "Hyper-V host"), _named(pods, "Node")),
        bars=False,
        bands=_bands(
            "Virtual machines: the update is installed on each VM",
            "Containers: four steps, once, whatever the number of containers",
            1,
            1,
        ),
        parts=tuple(parts),
        flows=tuple(flows),
        states=states,
    )


def persistent_storage(instances: int, p: ParameterSet) -> Diagram:
    """Local storage for one against a share for many, in each world."""
    host_1, host_2 = vm_stack(2, p, prefix="vm-a"), vm_stack(1, p, prefix="vm-b")
    node_1, node_2 = container_stack(2, p, prefix="pod-a"), container_stack(1, p, prefix="pod-b")
    local, shared = host_1.instances[0], (host_1.instances[1], host_2.instances[0])
    disk, mounted = node_1.instances[0], (node_1.instances[1], node_2.instances[0])
    parts = (
        Part(
            "local-disk",
            PartKind.DISK,
            "Host 1's local disk",
            "the VM's virtual hard disk (VHD): local storage for a single VM",
            what="A .vhdx file on the host's own disk: only this host reaches it.",
            near=(local,),
        ),
        Part(
            "smb-share",
            PartKind.SHARE,
            "SMB file share on a file server",
            "VHDs shared by multiple servers, reached over the network",
            what="A file server's SMB 3 share: every host of the cluster opens the VMs' "
            ".vhdx files on it, so any host can run any VM.",
            near=shared,
        ),
        Part(
            "azure-disk",
            PartKind.DISK,
            "Azure Disk",
            "local storage for a single node: one pod mounts it (ReadWriteOnce)",
            what="A managed disk attached to one node at a time; a pod elsewhere waits until "
            "it is detached and attached again.",
            near=(disk,),
        ),
        Part(
            "azure-files",
            PartKind.SHARE,
            "Azure Files (SMB share)",
            "shared by multiple nodes: pods on each mount it (ReadWriteMany)",
            what="An SMB share in Azure: pods on any node mount it at the same time.",
            near=mounted,
        ),
    )
    flows = (
        Flow("vhd", local, "local-disk", "local", FlowKind.USE),
        *(Flow(f"smb-{vm}", vm, "smb-share", "SMB", FlowKind.USE) for vm in shared),
        Flow("attached", disk, "azure-disk", "attached", FlowKind.USE),
        *(Flow(f"files-{pod}", pod, "azure-files", "SMB", FlowKind.USE) for pod in mounted),
    )
    return Diagram(
        "lesson:persistent-storage",
        "Persistent storage: a disk for one, a share for many",
        "A VHD on a host's local disk serves a single VM, an SMB file share several servers; "
        "an Azure Disk serves a single node, Azure Files (SMB shares) several nodes.",
        (
            _named(host_1, "Host 1"),
            _named(host_2, "Host 2"),
            _named(node_1, "Node 1"),
            _named(node_2, "Node 2"),
        ),
        bars=False,
        bands=_bands(
            "Virtual machines: a VHD for a single VM, or an SMB file share for several servers",
            "Containers: an Azure Disk for a single node, or Azure Files for several nodes",
            2,
            2,
        ),
        parts=parts,
        flows=flows,
    )


def load_balancing(instances: int, p: ParameterSet) -> Diagram:
    """A running VM moved live to another host, against a pod stopped and a new one
    started."""
    host_a, host_b = vm_stack(2, p, prefix="vm-a"), vm_stack(1, p, prefix="vm-b")
    node_a, node_b = container_stack(2, p, prefix="pod-a"), container_stack(1, p, prefix="pod-b")
    moved, arrived = host_a.instances[0], host_b.instances[0]
    stopped, started = node_a.instances[0], node_b.instances[0]
    memory_gb = (APP_MEMORY_MB + host_a.overhead_mb()) / 1024
    blackout = float(p["migration.blackout_target_ms"])
    flows = (
        Flow(
            "live-migration",
            moved,
            arrived,
            f"Live migration: its {memory_gb:g} GB of memory copied while it runs (pre-copy "
            f"rounds), then a {blackout:g} ms pause. The same process, its memory kept.",
            FlowKind.MOVE,
        ),
        Flow(
            "replaced",
            stopped,
            started,
            "Not moved: the orchestrator stops the pod and starts a new one on Node B "
            f"({_duration(_start_s(p))}). A new process: what it held in memory is lost.",
            FlowKind.REPLACE,
        ),
    )
    return Diagram(
        "lesson:load-balancing",
        "Load balancing: a VM moves, a container is replaced",
        "Virtual machine load balancing moves running VMs to other servers in a failover "
        "cluster. Containers themselves don't move: the orchestrator stops and starts them.",
        (
            _named(host_a, "Host A (hot)"),
            _named(host_b, "Host B"),
            _named(node_a, "Node A (hot)"),
            _named(node_b, "Node B"),
        ),
        bars=False,
        bands=_bands(
            "Virtual machines: the running VM moves to another server",
            "Containers: a pod stops on one node, a new pod starts on another",
            2,
            2,
        ),
        flows=flows,
        states={moved: State.GONE, arrived: State.NEW, stopped: State.GONE, started: State.NEW},
    )


def fault_tolerance(instances: int, p: ParameterSet) -> Diagram:
    """A host fails: its VM's OS boots again on another host, its pods are recreated."""
    host_a, host_b = vm_stack(1, p, prefix="vm-a"), vm_stack(1, p, prefix="vm-b")
    node_a, node_b = container_stack(2, p, prefix="pod-a"), container_stack(2, p, prefix="pod-b")
    boot = _duration(float(p["vm.guest_boot_s"]))
    parts = (
        Part(
            "shared-storage",
            PartKind.SHARE,
            "Shared storage",
            "the VM's VHD: every host of the cluster reaches it",
            what="The failover cluster's shared storage (an SMB share or Cluster Shared "
            "Volumes): the new host opens the same virtual hard disk.",
            near=(host_a.prefix, host_b.prefix),
        ),
    )
    flows = (
        Flow(
            "failover",
            host_a.instances[0],
            host_b.instances[0],
            f"Fails over: restarted on Host B, its guest OS boots again ({boot})",
            FlowKind.REPLACE,
        ),
        Flow("vhd-a", host_a.prefix, "shared-storage", kind=FlowKind.USE),
        Flow("vhd-b", host_b.prefix, "shared-storage", kind=FlowKind.USE),
        Flow(
            "recreated",
            node_a.prefix,
            node_b.prefix,
            "Recreated by the orchestrator on Node B: the image's process starts "
            f"({_duration(_start_s(p))}), no OS to boot",
            FlowKind.REPLACE,
        ),
    )
    return Diagram(
        "lesson:fault-tolerance",
        "Fault tolerance: a VM reboots elsewhere, a container is recreated",
        "VMs fail over to another server in the cluster, their operating system restarting "
        "there. The orchestrator recreates a failed node's containers on another node.",
        (
            _named(host_a, "Host A (failed)"),
            _named(host_b, "Host B"),
            _named(node_a, "Node A (failed)"),
            _named(node_b, "Node B"),
        ),
        bars=False,
        bands=_bands(
            "Virtual machines: the VM's operating system restarts on another server",
            "Containers: recreated on another node, a process to start",
            2,
            2,
        ),
        parts=parts,
        flows=flows,
        states={host_a.prefix: State.FAILED, node_a.prefix: State.FAILED}
        | {vm: State.NEW for vm in host_b.instances}
        | {pod: State.NEW for pod in node_b.instances},
    )


#: The row diagrams by name, for the catalogue in model.stacks.
BUILDERS: MappingProxyType[str, Callable[[int, ParameterSet], Diagram]] = MappingProxyType(
    {
        "lesson:deployment": deployment,
        "lesson:os-updates": os_updates,
        "lesson:persistent-storage": persistent_storage,
        "lesson:load-balancing": load_balancing,
        "lesson:fault-tolerance": fault_tolerance,
    }
)
