"""The diagrams of the rows that are about more than the layers: deployment, OS updates,
persistent storage, load balancing and fault tolerance.

Each puts the VM world above the container world (a :class:`Band` each), draws its hosts
with the same stacks as every other diagram, and adds what the row is about with the
general parts of :mod:`model.diagram_parts`: the disk or share a VHD lives on, the
registry an image comes from, a VM's memory crossing to another host, a pod stopped here and
a new one started there.  The words are the seed's where it has them; every figure comes
from the platform parameters, a time as the sum of the phases the simulation runs, and the
image and the VM's memory from the lesson's own bundled scenario, so that the diagram says
what the simulation does.  A figure is marked "(assumed)" where a setting it rests on is
assumed or applied by an assumed rule, and each diagram names the settings it quotes
(:attr:`Diagram.figures`), for the lesson's sources.

Nothing here imports Qt.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from types import MappingProxyType

from vmc_gui.model.diagram_parts import Band, Flow, FlowKind, Part, PartKind, Place, State
from vmc_gui.model.images import base_image, image_mb, start_setting
from vmc_gui.model.lessons import ROWS
from vmc_gui.model.library import resolve
from vmc_gui.model.parameters import PARAMETERS, ParameterSet
from vmc_gui.model.scenario import ServiceSpec, World
from vmc_gui.model.stacks import APP_MEMORY_MB, Diagram, Stack, container_stack, vm_stack

#: The most VMs or containers a one-host band shows: more would only repeat the point.
_MAX_ON_ONE_HOST = 5
#: A VM's guest OS, the layers an update patches.
_GUEST_OS = ("guest-kernel", "guest-user-mode")
#: hyperv.resiliency_level's AlwaysIsolate: a node that drops out is isolated, and waited for.
_ALWAYS_ISOLATE = 2
#: The base images' names as a reader knows them.
_BASE_NAMES = {"nanoserver": "Nano Server", "servercore": "Server Core"}


def _duration(seconds: float) -> str:
    """'1.5 s', '45 s', '2 min', '5 min 50 s': how the words quote a time (whole seconds
    from 10 s up, so that a sum of them adds up)."""
    if seconds < 10:
        return f"{seconds:.2g} s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def assumed(name: str) -> bool:
    """Whether a figure from the parameter ``name`` rests on an assumption: its default is
    ours, or the model applies it by a rule no source states."""
    parameter = PARAMETERS[name]
    return parameter.assumed or bool(parameter.assumed_rule)


@dataclass(frozen=True, slots=True)
class _Time:
    """A time the words quote, and the parameters it is the sum of."""

    seconds: float
    names: tuple[str, ...]

    def __add__(self, other: _Time) -> _Time:
        return _Time(self.seconds + other.seconds, (*self.names, *other.names))

    @property
    def assumed(self) -> bool:
        return any(assumed(name) for name in self.names)

    @property
    def plain(self) -> str:
        return _duration(self.seconds)

    def __str__(self) -> str:
        """'45 s (assumed)', or '50 s' where no setting it rests on is assumed."""
        return f"{self.plain} (assumed)" if self.assumed else self.plain

    def about(self) -> str:
        """Roughly, as a run gives it (heartbeats and leases are not in step with the
        failure): to the minute from 2 minutes up, else to 5 s; marked as :meth:`__str__`."""
        step = 60.0 if self.seconds >= 120 else 5.0
        rough = _duration(max(step, round(self.seconds / step) * step))
        return f"{rough} (assumed)" if self.assumed else rough


class _Figures:
    """Reads the figures a diagram quotes from the parameters and remembers which, so that
    the diagram can name them (:attr:`Diagram.figures`)."""

    def __init__(self, p: ParameterSet) -> None:
        self.p = p
        self._used: list[str] = []

    def value(self, name: str) -> float:
        self._used.append(name)
        return float(self.p[name])

    def mark(self, text: str, *names: str) -> str:
        """``text`` (a figure from ``names``), marked '(assumed)' where one of them is."""
        self._used += names
        return f"{text} (assumed)" if any(assumed(name) for name in names) else text

    def time(self, name: str) -> _Time:
        self._used.append(name)
        return _Time(self.p.seconds(name), (name,))

    def pull(self, service: ServiceSpec) -> tuple[_Time, _Time]:
        """A node's pull of ``service``'s image, as the simulation times it: the compressed
        image downloaded at the registry's bandwidth, then extracted."""
        size = image_mb(service, self.p)
        size_names = () if service.image_mb is not None else (_size_setting(service),)
        download = size * 8.0 * 2**20 / (self.value("registry.bandwidth_gbps") * 1e9)
        extract = size / self.value("container.extract_mb_s")
        self._used += size_names
        return (
            _Time(download, ("registry.bandwidth_gbps", *size_names)),
            _Time(extract, ("container.extract_mb_s", *size_names)),
        )

    def start(self, service: ServiceSpec) -> _Time:
        """A container's start from ``service``'s image already on the node."""
        return self.time(start_setting(service.image))

    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self._used))


def _size_setting(service: ServiceSpec) -> str:
    return f"container.{base_image(service.image)}_image_mb"


@functools.cache
def _service(slug: str) -> ServiceSpec:
    """The app the lesson's bundled scenario runs (its first service): the image, size and
    memory the diagram quotes are the simulation's."""
    return resolve(ROWS[slug].scenario).services[0]


def _named(stack: Stack, title: str) -> Stack:
    """The stack under a host's name ("Host A") instead of its world's."""
    return replace(stack, title=title)


def _bands(vm: str, container: str, vm_stacks: int, container_stacks: int) -> tuple[Band, ...]:
    """The VM world's stacks first, then the container world's, one band each."""
    return (
        Band(World.VM, vm, tuple(range(vm_stacks))),
        Band(World.CONTAINER, container, tuple(range(vm_stacks, vm_stacks + container_stacks))),
    )


# --- the rows --------------------------------------------------------------------------------


def deployment(instances: int, p: ParameterSet) -> Diagram:
    """A tool for one and a tool for many in each world; a template copied per VM against an
    image pulled once per node.  The times are the simulation's phases (a VM: copy, first
    boot, app start; a pod: pull, start), for the image of the lesson's scenario."""
    n = min(instances, _MAX_ON_ONE_HOST)
    vms = vm_stack(n, p)
    pods = container_stack(n, p)
    f = _Figures(p)
    copy_gb = f.value("vm.template_copy_gb")
    copy_s = copy_gb * 1024.0 / f.value("vm.disk_copy_mb_s")  # as the simulation copies
    copy = _Time(copy_s, ("vm.template_copy_gb", "vm.disk_copy_mb_s"))
    boot, app = f.time("vm.first_boot_s"), f.time("vm.app_start_s")
    service = _service("deployment")
    download, extract = f.pull(service)
    start = f.start(service)
    image = _BASE_NAMES[base_image(service.image)]
    size = f"{image_mb(service, p):,.0f} MB"
    if service.image_mb is None:
        size = f.mark(size, _size_setting(service))
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
            "docker run: one container, on a standalone container host (AKS nodes run "
            "containerd, not Docker)",
            what="One command starts one container from an image, on a host that runs "
            "Docker. AKS's Windows nodes run containerd (the default since Kubernetes 1.23; "
            "their Docker runtime was retired on May 1, 2023), which you drive through the "
            "orchestrator.",
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
        "a generalized guest OS; each new VM typically gets a copy of its own, "
        f"{f.mark(f'{copy_gb:g} GB', 'vm.template_copy_gb')}",
        what="A sysprepped virtual hard disk: each new VM gets a copy of its own (a "
        "differencing disk on the template copies nothing), then boots it for the first "
        "time, setup included, and starts the app.",
        near=(vms.prefix,),
    )
    registry = Part(
        "registry",
        PartKind.REGISTRY,
        "Container registry",
        f"the app's image, on {image}: {size} to download, pulled once per node",
        what="Where images are kept. A node pulls an image once (downloads, then extracts "
        "its layers); every container it starts from it shares its read-only layers. The "
        "image is the one the lesson's scenario runs.",
        near=(pods.prefix,),
    )
    # A copy, a first boot and an app start for each VM; one pull for the node, then a
    # process per container: the phases the simulation runs, and their sum.
    ready = copy + boot + app
    pulled = download + extract
    copies = [
        Flow(
            f"copy-{vm}",
            "template",
            vm,
            ""
            if i
            else f"copy {copy.plain} + first boot with setup {boot.plain} + app start "
            f"{app.plain} = {ready}",
        )
        for i, vm in enumerate(vms.instances)
    ]
    pull = Flow(
        "pull",
        "registry",
        pods.prefix,
        f"pull: download {download.plain} + extract {extract.plain} = {pulled}; "
        f"then each container starts: {start}",
    )
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
        figures=f.names(),
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
    """The update installed inside every VM, against the seed's four steps done once.  A VM's
    time out of service is the simulation's: the reboot that finishes the install, the guest's
    boot and the app's start."""
    n = min(instances, _MAX_ON_ONE_HOST)
    vms = vm_stack(n, p)
    pods = container_stack(n, p)
    f = _Figures(p)
    offline = f.time("vm.patch_offline_s") + f.time("vm.guest_boot_s") + f.time("vm.app_start_s")
    batch = f.mark(f"{f.value('vm.update_batch_percent'):g} %", "vm.update_batch_percent")
    build = f.time("container.image_build_s")
    steps = [
        (
            "dockerfile",
            PartKind.SOURCE,
            "1. Edit the Dockerfile",
            "FROM the latest Windows base image",
        ),
        ("build", PartKind.SOURCE, "2. Rebuild the image", f"on the new base image: {build}"),
        ("push", PartKind.REGISTRY, "3. Push to the registry", "your container registry"),
        ("redeploy", PartKind.TOOL, "4. Redeploy", "the orchestrator rolls it out"),
    ]
    parts = [
        Part(
            "update",
            PartKind.SOURCE,
            "Operating system update",
            "downloaded and installed in each VM while it serves; then the VMs reboot in "
            f"batches of {batch}, each out of service for the reboot, its boot and the app's "
            f"start: {offline}",
            what="A cumulative update: every VM downloads and installs it in its own guest "
            "OS while it keeps serving, then restarts to finish; the guest boots and the app "
            "starts again.",
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
        "come from its image: edit the Dockerfile, rebuild, push, redeploy, once per image. "
        "The node's own operating system is updated separately.",
        (_named(vms, "Hyper-V host"), _named(pods, "Node")),
        bars=False,
        bands=_bands(
            "Virtual machines: the update is installed on each VM",
            "Containers: four steps, once per image, whatever the number of containers",
            1,
            1,
        ),
        parts=tuple(parts),
        flows=tuple(flows),
        states=states,
        figures=f.names(),
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
            "the VMs' VHDs, on one share every server reaches over the network",
            what="A file server's SMB 3 share: each host opens the .vhdx files of the VMs it "
            "runs from the share, so any host of the cluster can run any VM.",
            near=shared,
        ),
        Part(
            "azure-disk",
            PartKind.DISK,
            "Azure Disk",
            "a disk attached to one node at a time (ReadWriteOnce): pods on that node can use it",
            what="A managed disk reached over Azure's network, attached to one node at a "
            "time; several pods on that node may mount it (ReadWriteOncePod would allow one "
            "pod only). A pod on another node waits until it is detached and attached there.",
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
        Flow("attached", disk, "azure-disk", "attached to Node 1", FlowKind.USE),
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
    """A running VM moved live to another host, against a pod evicted and a new one
    started.  The VM's memory in the lesson is the scenario's; the pause is named by the
    settings that bound it, not quoted as one of them."""
    host_a, host_b = vm_stack(2, p, prefix="vm-a"), vm_stack(1, p, prefix="vm-b")
    node_a, node_b = container_stack(2, p, prefix="pod-a"), container_stack(1, p, prefix="pod-b")
    moved, arrived = host_a.instances[0], host_b.instances[0]
    stopped, started = node_a.instances[0], node_b.instances[0]
    f = _Figures(p)
    service = _service("load-balancing")
    pictured_gb = (APP_MEMORY_MB + host_a.overhead_mb()) / 1024
    run_gb = (service.memory_mb + f.value("vm.guest_memory_overhead_mb")) / 1024
    target = f.mark(
        f"{f.value('migration.blackout_target_ms'):g} ms", "migration.blackout_target_ms"
    )
    switch = f.mark(f"{f.value('migration.switchover_ms'):g} ms", "migration.switchover_ms")
    start = f.start(service)
    flows = (
        Flow(
            "live-migration",
            moved,
            arrived,
            f"Live migration: its memory ({pictured_gb:g} GB in this picture, {run_gb:g} GB "
            "in the lesson's run) copied while it runs, in pre-copy rounds; then a brief "
            f"pause: the last pages, pre-copy having stopped once they would copy within "
            f"{target}, and the switch-over, {switch}. The same running VM: guest OS and app "
            "keep running, memory kept.",
            FlowKind.MOVE,
        ),
        Flow(
            "replaced",
            stopped,
            started,
            "Not moved: the descheduler (an add-on; Kubernetes has no rebalancer of its own) "
            "evicts the pod, its controller creates a new one and the scheduler places it on "
            f"Node B, where it starts: {start}. A new process: what it held in memory is lost.",
            FlowKind.REPLACE,
        ),
    )
    return Diagram(
        "lesson:load-balancing",
        "Load balancing: a VM moves, a container is replaced",
        "Virtual machine load balancing moves running VMs to other servers in a failover "
        "cluster. Containers themselves don't move: a pod is evicted (in Kubernetes by an "
        "add-on such as the descheduler) and a new one starts on another node.",
        (
            _named(host_a, "Host A (hot by use)"),
            _named(host_b, "Host B"),
            _named(node_a, "Node A (over-requested)"),
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
        figures=f.names(),
    )


def fault_tolerance(instances: int, p: ParameterSet) -> Diagram:
    """A host fails: its VM's OS boots again on another host, its pods are recreated; each
    after the wait its platform makes on purpose, as the simulation runs them."""
    host_a, host_b = vm_stack(1, p, prefix="vm-a"), vm_stack(1, p, prefix="vm-b")
    node_a, node_b = container_stack(2, p, prefix="pod-a"), container_stack(2, p, prefix="pod-b")
    f = _Figures(p)
    service = _service("fault-tolerance")
    # The VM world: heartbeats missed, the isolated node's VMs Unmonitored (AlwaysIsolate,
    # a period above 0), then the guest's boot and the app's start.
    heartbeats = f.value("hyperv.same_subnet_threshold")
    missed = f.time("hyperv.same_subnet_delay_ms")
    missed = _Time(missed.seconds * heartbeats, (*missed.names, "hyperv.same_subnet_threshold"))
    period = f.time("hyperv.resiliency_default_period_s")
    isolates = f.value("hyperv.resiliency_level") == _ALWAYS_ISOLATE and period.seconds > 0
    boot = f.time("vm.guest_boot_s") + f.time("vm.app_start_s")
    vm_total = missed + (period if isolates else _Time(0.0, ())) + boot
    unmonitored = (
        f"then Unmonitored for {period}, in case Host A is only cut off"
        if isolates
        else "then no Unmonitored wait at this resiliency setting"
    )
    # The container world: the node marked NotReady after its grace period, the pods'
    # toleration of the unreachable taint, then a pull where the node lacks the image and
    # the container's start.
    grace = f.time("kubernetes.node_monitor_grace_period_s")
    toleration = f.time("kubernetes.default_unreachable_toleration_s")
    download, extract = f.pull(service)
    start = download + extract + f.start(service)
    pod_total = grace + toleration + start
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
            f"Fails over to Host B after a deliberate wait: heartbeats missed for {missed}, "
            f"{unmonitored}. Then its guest OS boots again and the app starts: {boot}. "
            f"In all about {vm_total.about()}.",
            FlowKind.REPLACE,
        ),
        Flow("vhd-a", host_a.prefix, "shared-storage", kind=FlowKind.USE),
        Flow("vhd-b", host_b.prefix, "shared-storage", kind=FlowKind.USE),
        Flow(
            "recreated",
            node_a.prefix,
            node_b.prefix,
            "Recreated by the orchestrator on Node B after a deliberate wait: the node is "
            f"NotReady after {grace}, then the pods tolerate that for {toleration}. Then the "
            f"image is pulled and the process starts, no OS to boot: {start}. "
            f"In all about {pod_total.about()}.",
            FlowKind.REPLACE,
        ),
    )
    return Diagram(
        "lesson:fault-tolerance",
        "Fault tolerance: a VM reboots elsewhere, a container is recreated",
        "VMs fail over to another server in the cluster, their operating system restarting "
        "there. The orchestrator recreates a failed node's containers on another node. Both "
        "first wait on purpose: a host that cannot be heard may still be running.",
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
        figures=f.names(),
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
