"""The layered stacks: which layers each world runs, where they sit, what they cost.

A :class:`Diagram` is one or more :class:`Stack` side by side.  Each stack lays its layers out
on a grid of rows (0 is the hardware at the bottom) and columns (one per instance, plus the
host's own column), so that the UI only has to scale the grid to pixels.  Layer keys are
stable across instance counts (``vm-2/guest-kernel`` is the same layer with 2 VMs or 5), which
is what lets the scene animate a stack as it grows.

Costs come from the platform parameters; an app's own size is the diagram's nominal app.
Nothing here imports Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from vmc_gui.model.diagram_parts import Band, Flow, Part, State
from vmc_gui.model.parameters import ParameterSet
from vmc_gui.model.scenario import World

#: The nominal app every diagram runs: its memory and disk (an assumption, for the bars).
APP_MEMORY_MB = 1024.0
APP_DISK_GB = 0.5
#: Instances a diagram starts with, and the most the scene lets the user add.
DEFAULT_INSTANCES = 3
MAX_INSTANCES = 8


class LayerKind(StrEnum):
    HARDWARE = "hardware"
    HYPERVISOR = "hypervisor"
    HOST_KERNEL = "host-kernel"
    HOST_USER_MODE = "host-user-mode"
    CONTAINER_RUNTIME = "container-runtime"
    VIRTUAL_SWITCH = "virtual-switch"
    HOST_FIREWALL = "host-firewall"
    GUEST_KERNEL = "guest-kernel"
    GUEST_USER_MODE = "guest-user-mode"
    UTILITY_VM_KERNEL = "utility-vm-kernel"
    CONTAINER_USER_MODE = "container-user-mode"
    VNIC = "vnic"
    APP = "app"


@dataclass(frozen=True, slots=True)
class Layer:
    """One block of a stack."""

    key: str
    kind: LayerKind
    title: str
    #: Grid position: bottom row, left column, width in columns, height in rows.
    row: int
    col: float
    span: float
    height: int = 1
    #: The instance (VM, container) the layer belongs to; "" for the host's shared layers.
    instance: str = ""
    #: What the layer is, in a sentence or two, for tooltips and the inspector.
    what: str = ""
    #: What the layer costs per copy.
    memory_mb: float = 0.0
    disk_gb: float = 0.0
    #: Whether its cost is an assumption rather than a documented figure.
    assumed: bool = False

    @property
    def shared(self) -> bool:
        return not self.instance

    def short_cost(self) -> str:
        """The memory alone, short enough for the block: '512 MB', '1 GB'."""
        if not self.memory_mb:
            return ""
        if self.memory_mb >= 1024:
            return f"{self.memory_mb / 1024:g} GB memory"
        return f"{self.memory_mb:,.0f} MB memory"

    def cost_text(self) -> str:
        """'512 MB memory, 32 GB disk', or '' when the layer costs nothing we model."""
        parts = []
        if self.memory_mb:
            parts.append(f"{self.memory_mb:,.0f} MB memory")
        if self.disk_gb:
            disk = f"{self.disk_gb:,.1f}".rstrip("0").rstrip(".")
            parts.append(f"{disk} GB disk")
        text = ", ".join(parts)
        return f"{text} (assumed)" if text and self.assumed else text


@dataclass(frozen=True, slots=True)
class Boundary:
    """An isolation boundary drawn by the overlay: what it encloses and how strong it is."""

    key: str
    title: str
    #: The layers inside, by key.
    encloses: tuple[str, ...]
    #: True for a hypervisor boundary (own kernel); False for a shared-kernel one.
    strong: bool


@dataclass(frozen=True, slots=True)
class Stack:
    """One world's stack."""

    world: World
    title: str
    layers: tuple[Layer, ...]
    boundaries: tuple[Boundary, ...]
    instances: tuple[str, ...]
    columns: float
    rows: int

    def layer(self, key: str) -> Layer:
        for layer in self.layers:
            if layer.key == key:
                return layer
        raise KeyError(key)

    def apps(self) -> list[Layer]:
        return [layer for layer in self.layers if layer.kind is LayerKind.APP]

    def overhead_mb(self) -> float:
        """Memory one instance spends on anything but its app (guest OS, utility VM, runtime)."""
        first = self.instances[0] if self.instances else ""
        return sum(
            layer.memory_mb
            for layer in self.layers
            if layer.instance == first and layer.kind is not LayerKind.APP
        )

    def app_mb(self) -> float:
        return sum(layer.memory_mb for layer in self.apps()[:1])

    @property
    def prefix(self) -> str:
        """The key prefix of the stack's shared layers ("vm" in "vm/hardware"): how a
        diagram's parts, flows and marks name the stack."""
        return self.layers[0].key.partition("/")[0]


@dataclass(frozen=True, slots=True)
class Diagram:
    """A picture: stacks side by side at the same scale."""

    name: str
    title: str
    caption: str
    stacks: tuple[Stack, ...]
    #: Draw the isolation overlay from the start (the isolation lesson).
    overlay: bool = False
    #: Lay the stacks out with resource bars beneath (the operating-system lesson).
    bars: bool = True
    extra: dict[str, str] = field(default_factory=dict)
    #: At most this many stacks a row (0: all in one): three stacks side by side do not fit
    #: a window's width at a legible scale, two rows of fewer do.
    per_row: int = 0
    #: Each world's stacks in a band of their own, under its title (none: every stack in
    #: one row, hardware aligned).  A row's diagram (model.row_diagrams) uses these, and:
    bands: tuple[Band, ...] = ()
    #: Things beside the stacks: disks, shares, registries, templates, tools.
    parts: tuple[Part, ...] = ()
    #: Labelled arrows between parts, instances and stacks.
    flows: tuple[Flow, ...] = ()
    #: How the change the diagram is about leaves a stack, an instance or a layer.
    states: dict[str, State] = field(default_factory=dict)
    #: The parameters the figures of its parts' and flows' words come from (a row's
    #: diagram quotes times and sizes); :attr:`parameters` adds its layers' costs.
    figures: tuple[str, ...] = ()

    @property
    def parameters(self) -> tuple[str, ...]:
        """Every parameter a figure on the diagram comes from, each once: its words', then
        its layers' costs.  The lesson lists them among its sources."""
        return tuple(dict.fromkeys((*self.figures, *stack_parameters(self.stacks))))

    def covered(self, name: str) -> tuple[str, ...]:
        """The layer keys a mark or a flow's end names: a whole stack (by prefix), an
        instance, or one layer; () for a part, or a name the diagram does not have."""
        for stack in self.stacks:
            keys = tuple(
                layer.key
                for layer in stack.layers
                if name in (stack.prefix, layer.instance, layer.key)
            )
            if keys:
                return keys
        return ()


#: The parameters each kind of layer takes its costs from (its block, its tooltip, the bars).
_COST_PARAMETERS: dict[LayerKind, tuple[str, ...]] = {
    LayerKind.GUEST_KERNEL: ("vm.guest_memory_overhead_mb", "vm.guest_disk_gb"),
    LayerKind.CONTAINER_USER_MODE: (
        "container.memory_overhead_mb",
        "container.nanoserver_image_mb",
        "container.image_expansion",
    ),
    LayerKind.UTILITY_VM_KERNEL: ("hyperv_isolation.utility_vm_memory_mb",),
}


def stack_parameters(stacks: tuple[Stack, ...]) -> tuple[str, ...]:
    """The parameters the stacks' layers take their costs from, each once, in order."""
    kinds = dict.fromkeys(layer.kind for stack in stacks for layer in stack.layers)
    return tuple(dict.fromkeys(name for kind in kinds for name in _COST_PARAMETERS.get(kind, ())))


# --- explanations ---------------------------------------------------------------------------


def _guest_os(p: ParameterSet) -> tuple[float, float]:
    return float(p["vm.guest_memory_overhead_mb"]), float(p["vm.guest_disk_gb"])


_WHAT = {
    LayerKind.HARDWARE: "The physical server: CPUs, memory, disks and network adapters.",
    LayerKind.HYPERVISOR: (
        "Hyper-V, a type-1 hypervisor: it runs directly on the hardware, beneath every "
        "partition, and is the boundary between them."
    ),
    LayerKind.GUEST_KERNEL: (
        "This VM's own operating-system kernel. It runs in the VM's child partition, and the "
        "hypervisor keeps it apart from every other kernel."
    ),
    LayerKind.GUEST_USER_MODE: (
        "The guest OS's user mode: system services, libraries and shells of a complete "
        "operating system (its memory is counted with the guest kernel)."
    ),
    LayerKind.UTILITY_VM_KERNEL: (
        "A lightweight utility VM's own kernel: Hyper-V isolation gives each container a "
        "kernel of its own, so an exploit stops at the hypervisor."
    ),
    LayerKind.CONTAINER_USER_MODE: (
        "The user-mode part of an OS that the container image carries: just the libraries "
        "and services the app needs. No kernel: it uses the one beneath."
    ),
    LayerKind.CONTAINER_RUNTIME: (
        "The container runtime (containerd, Docker): it starts each container as isolated "
        "processes of the host kernel, in their own namespaces or job objects."
    ),
    LayerKind.APP: "The application itself, the same in every world.",
    LayerKind.VNIC: "",
    LayerKind.VIRTUAL_SWITCH: (
        "The Hyper-V virtual switch in the parent partition: it connects each VM's virtual "
        "network adapter to the physical network."
    ),
    LayerKind.HOST_FIREWALL: (
        "The host's firewall and network stack, shared by every container on the host: a "
        "little less virtualization, and less overhead, than a vNIC per VM."
    ),
}


# --- builders -------------------------------------------------------------------------------

_HOST_COLUMN = 1.4  # the host's own column is a little wider: its titles are longer


class _Grid:
    """Collects a stack's layers and boundaries while it is laid out."""

    def __init__(self, prefix: str, instances: int) -> None:
        self.prefix = prefix
        self.names = tuple(f"{prefix}-{i + 1}" for i in range(instances))
        self.columns = _HOST_COLUMN + instances
        self.layers: list[Layer] = []
        self.boundaries: list[Boundary] = []

    def add(self, key: str, kind: LayerKind, title: str, row: int, **place: Any) -> Layer:
        """A layer; by default across the whole stack, with the kind's explanation."""
        place.setdefault("col", 0.0)
        place.setdefault("span", self.columns)
        place.setdefault("what", _WHAT.get(kind, ""))
        layer = Layer(key, kind, title, row, **place)
        self.layers.append(layer)
        return layer

    def host(self, key: str, kind: LayerKind, title: str, row: int, **place: Any) -> Layer:
        """A layer of the host's own column."""
        return self.add(f"{self.prefix}/{key}", kind, title, row, span=_HOST_COLUMN, **place)

    def own(self, i: int, key: str, kind: LayerKind, title: str, row: int, **cost: Any) -> Layer:
        """A layer of instance ``i`` (its own column)."""
        name = self.names[i]
        col = _HOST_COLUMN + i
        return self.add(f"{name}/{key}", kind, title, row, col=col, span=1, instance=name, **cost)

    def app(self, i: int, row: int) -> Layer:
        return self.own(
            i,
            "app",
            LayerKind.APP,
            "App",
            row,
            memory_mb=APP_MEMORY_MB,
            disk_gb=APP_DISK_GB,
            assumed=True,
        )

    def user_mode(self, i: int, row: int, p: ParameterSet) -> Layer:
        """A container's user-mode libraries and services.  Its memory is the runtime's
        overhead; its image's read-only layers are stored once per host, not per container."""
        image = float(p["container.nanoserver_image_mb"]) * float(p["container.image_expansion"])
        return self.own(
            i,
            "user-mode",
            LayerKind.CONTAINER_USER_MODE,
            "Libraries, services",
            row,
            what=f"{_WHAT[LayerKind.CONTAINER_USER_MODE]} They come from the image's "
            f"read-only layers ({image:,.0f} MB on disk for Nano Server), stored once per host "
            "and shared by every container started from it.",
            memory_mb=float(p["container.memory_overhead_mb"]),
            assumed=True,
        )

    def enclose(self, key: str, title: str, layers: list[Layer], *, strong: bool) -> None:
        self.boundaries.append(Boundary(key, title, tuple(la.key for la in layers), strong))

    def stack(self, world: World, title: str) -> Stack:
        rows = max(layer.row + layer.height for layer in self.layers)
        return Stack(
            world, title, tuple(self.layers), tuple(self.boundaries), self.names, self.columns, rows
        )


def vm_stack(
    instances: int, p: ParameterSet, *, networking: bool = False, prefix: str = "vm"
) -> Stack:
    """Hyper-V: hardware, the hypervisor, the parent partition with the host OS, and a child
    partition per VM with its own kernel, user mode and app."""
    g = _Grid(prefix, instances)
    memory, disk = _guest_os(p)
    g.add(f"{prefix}/hardware", LayerKind.HARDWARE, "Hardware", 0)
    g.add(f"{prefix}/hypervisor", LayerKind.HYPERVISOR, "Hyper-V hypervisor (type 1)", 1)
    parent = [
        g.host(
            "host-kernel",
            LayerKind.HOST_KERNEL,
            "Host kernel",
            2,
            what="The parent (root) partition's Windows kernel: the management OS that owns "
            "the devices. It is a partition too: the hypervisor sits beneath it.",
        )
    ]
    if networking:
        parent.append(g.host("virtual-switch", LayerKind.VIRTUAL_SWITCH, "Virtual switch", 3))
    top = 4 if networking else 3
    parent.append(
        g.host(
            "host-user-mode",
            LayerKind.HOST_USER_MODE,
            "Management OS: VMMS, worker processes",
            top,
            height=2,
            what="The parent partition's user mode: the Virtual Machine Management Service and "
            "a worker process per VM.",
        )
    )
    g.enclose(f"{prefix}/parent", "Parent partition", parent, strong=True)
    for i, vm in enumerate(g.names):
        row = 2
        inside = []
        if networking:
            inside.append(
                g.own(
                    i,
                    "vnic",
                    LayerKind.VNIC,
                    "vNIC",
                    row,
                    what="This VM's own virtual network adapter, plugged into the virtual "
                    "switch: full virtualization of the network.",
                )
            )
            row += 1
        inside += [
            g.own(
                i,
                "guest-kernel",
                LayerKind.GUEST_KERNEL,
                "Guest kernel",
                row,
                memory_mb=memory,
                disk_gb=disk,
            ),
            g.own(i, "guest-user-mode", LayerKind.GUEST_USER_MODE, "Guest user mode", row + 1),
            g.app(i, row + 2),
        ]
        g.enclose(f"{vm}/partition", f"{vm}: child partition", inside, strong=True)
    return g.stack(World.VM, "Virtual machines (Hyper-V)")


def container_stack(
    instances: int, p: ParameterSet, *, networking: bool = False, prefix: str = "container"
) -> Stack:
    """Process isolation: hardware, one host kernel shared by all, the runtime and host
    services, and per container only its user-mode libraries and app."""
    g = _Grid(prefix, instances)
    g.add(f"{prefix}/hardware", LayerKind.HARDWARE, "Hardware", 0)
    g.add(
        f"{prefix}/host-kernel",
        LayerKind.HOST_KERNEL,
        "Host kernel (shared)",
        1,
        what="The host's one kernel. Every container's processes run on it: it is shared by "
        "all of them, and it is their only isolation boundary.",
    )
    row = 2
    if networking:
        g.add(
            f"{prefix}/host-firewall",
            LayerKind.HOST_FIREWALL,
            "Host firewall and network stack (shared)",
            row,
        )
        row += 1
    g.host("runtime", LayerKind.CONTAINER_RUNTIME, "Container runtime", row)
    g.host(
        "host-user-mode",
        LayerKind.HOST_USER_MODE,
        "Host user mode",
        row + 1,
        what="The host's own user-mode services, beside the containers.",
    )
    for i, name in enumerate(g.names):
        r = row
        inside = []
        if networking:
            inside.append(
                g.own(
                    i,
                    "vnic",
                    LayerKind.VNIC,
                    "vNIC view",
                    r,
                    what="An isolated view of a virtual network adapter (a network "
                    "compartment): its own addresses, but the host's firewall.",
                )
            )
            r += 1
        inside += [g.user_mode(i, r, p), g.app(i, r + 1)]
        g.enclose(f"{name}/namespace", f"{name}: namespaces, shared kernel", inside, strong=False)
    return g.stack(World.CONTAINER, "Containers (process isolation)")


def hyperv_container_stack(
    instances: int, p: ParameterSet, *, prefix: str = "hv-container"
) -> Stack:
    """Hyper-V isolation: each container runs in a lightweight utility VM with its own kernel,
    beside the parent partition that runs the container runtime."""
    g = _Grid(prefix, instances)
    g.add(f"{prefix}/hardware", LayerKind.HARDWARE, "Hardware", 0)
    g.add(f"{prefix}/hypervisor", LayerKind.HYPERVISOR, "Hyper-V hypervisor (type 1)", 1)
    parent = [
        g.host(
            "host-kernel",
            LayerKind.HOST_KERNEL,
            "Host kernel",
            2,
            what="The parent partition's kernel: it runs the container runtime, not the "
            "containers.",
        ),
        g.host(
            "runtime",
            LayerKind.CONTAINER_RUNTIME,
            "Container runtime, host services",
            3,
            height=2,
            what="The runtime asks Hyper-V for a utility VM per container and starts the "
            "container inside it.",
        ),
    ]
    g.enclose(f"{prefix}/parent", "Parent partition", parent, strong=True)
    utility = float(p["hyperv_isolation.utility_vm_memory_mb"])
    for i, name in enumerate(g.names):
        inside = [
            g.own(
                i,
                "utility-kernel",
                LayerKind.UTILITY_VM_KERNEL,
                "Utility VM kernel",
                2,
                memory_mb=utility,
                assumed=True,
            ),
            g.user_mode(i, 3, p),
            g.app(i, 4),
        ]
        g.enclose(f"{name}/utility-vm", f"{name}: utility VM", inside, strong=True)
    return g.stack(World.HYPERV_CONTAINER, "Hyper-V-isolated containers")


# --- what reaches what ----------------------------------------------------------------------


def exploit_reach(stack: Stack, app_key: str) -> tuple[str, ...]:
    """The layers a kernel exploit in the app ``app_key`` reaches (model.isolation's rule)."""
    app = stack.layer(app_key)
    own = [layer.key for layer in stack.layers if layer.instance == app.instance]
    if stack.world.own_kernel:
        return tuple(own)
    # The shared host kernel: every layer on the host but the hardware.
    return tuple(layer.key for layer in stack.layers if layer.kind is not LayerKind.HARDWARE)


def sharing(stack: Stack, key: str) -> tuple[str, ...]:
    """The layers that depend on a shared layer (everything above it in its columns); for an
    instance's layer, the rest of that instance."""
    layer = stack.layer(key)
    if not layer.shared:
        return tuple(
            other.key
            for other in stack.layers
            if other.instance == layer.instance and other.key != key
        )
    left, right = layer.col, layer.col + layer.span
    return tuple(
        other.key
        for other in stack.layers
        if other.row > layer.row
        and other.col < right - 1e-9
        and other.col + other.span > left + 1e-9
    )


def isolated_by(stack: Stack, key: str) -> tuple[str, ...]:
    """The boundaries a layer keeps apart: for the hypervisor, every partition; for a shared
    kernel, the containers' namespaces (a weak boundary)."""
    layer = stack.layer(key)
    if layer.kind is LayerKind.HYPERVISOR:
        return tuple(b.key for b in stack.boundaries if b.strong)
    if layer.kind is LayerKind.HOST_KERNEL and not stack.world.own_kernel:
        return tuple(b.key for b in stack.boundaries if not b.strong)
    return ()


def explain(stack: Stack, key: str) -> str:
    """A layer in words, for the inspector: what it is, what it costs, what shares it."""
    layer = stack.layer(key)
    where = f" · {layer.instance}" if layer.instance else ""
    lines = [f"{layer.title} · {stack.title}{where}", layer.what]
    cost = layer.cost_text()
    if cost:
        lines.append(f"Costs: {cost} per copy.")
    if layer.shared:
        users = sorted({stack.layer(k).instance for k in sharing(stack, key)} - {""})
        if users:
            lines.append(f"Shared by {len(users)} of {len(stack.instances)}: {', '.join(users)}.")
    kept = isolated_by(stack, key)
    if kept:
        strong = layer.kind is LayerKind.HYPERVISOR
        lines.append(
            f"Keeps {len(kept)} {'partitions' if strong else 'containers'} apart"
            + ("." if strong else ", but only as far as the one kernel they share allows.")
        )
    return "\n".join(lines)


# --- the diagram catalogue ------------------------------------------------------------------


Builder = Callable[[int, ParameterSet], Diagram]


def _single(world_stack: Callable[..., Stack], name: str, title: str, caption: str) -> Builder:
    def build(instances: int, p: ParameterSet) -> Diagram:
        return Diagram(name, title, caption, (world_stack(instances, p),))

    return build


def _vm_vs_container(instances: int, p: ParameterSet) -> Diagram:
    return Diagram(
        "vm-vs-container",
        "Virtual machines and containers",
        "The same apps, at the same scale: each VM carries a whole operating system with its "
        "own kernel; containers carry only user-mode libraries and share the host's kernel.",
        (vm_stack(instances, p), container_stack(instances, p)),
    )


def _isolation(instances: int, p: ParameterSet) -> Diagram:
    return Diagram(
        "lesson:isolation",
        "Isolation: where each world draws its boundaries",
        "Solid outlines are hypervisor boundaries (a kernel of its own); dashed ones share "
        "the host kernel. Compromise an app to see what an attacker reaches.",
        (
            vm_stack(instances, p),
            container_stack(instances, p),
            hyperv_container_stack(instances, p),
        ),
        overlay=True,
        per_row=2,
    )


def _networking(instances: int, p: ParameterSet) -> Diagram:
    return Diagram(
        "lesson:networking",
        "Networking: a vNIC per VM, a shared firewall for containers",
        "Each VM has its own virtual network adapter on the Hyper-V virtual switch; each "
        "container gets an isolated view of one and shares the host's firewall.",
        (vm_stack(instances, p, networking=True), container_stack(instances, p, networking=True)),
    )


def _operating_system(instances: int, p: ParameterSet) -> Diagram:
    base = _vm_vs_container(instances, p)
    return Diagram(
        "lesson:operating-system",
        "Operating system: what each instance carries",
        "The bars beneath each stack show the memory per instance: a guest OS per VM against "
        "a few megabytes of runtime per container.",
        base.stacks,
    )


def _row(name: str) -> Builder:
    """A row's own diagram, built in model.row_diagrams.  That module builds on this one's
    stacks, so it is imported when the diagram is first built, not when this one loads."""

    def build(instances: int, p: ParameterSet) -> Diagram:
        from vmc_gui.model.row_diagrams import BUILDERS

        return BUILDERS[name](instances, p)

    return build


DIAGRAMS: MappingProxyType[str, tuple[str, Builder]] = MappingProxyType(
    {
        "vm": (
            "Virtual machines on Hyper-V",
            _single(
                vm_stack,
                "vm",
                "Virtual machines on Hyper-V",
                "A type-1 hypervisor on the hardware; the host OS runs in the parent "
                "partition, and each VM in a child partition with its own kernel.",
            ),
        ),
        "container": (
            "Containers on a shared kernel",
            _single(
                container_stack,
                "container",
                "Containers on a shared kernel",
                "One host kernel runs every container; each carries only its app and the "
                "user-mode libraries it needs.",
            ),
        ),
        "hyperv-container": (
            "Hyper-V-isolated containers",
            _single(
                hyperv_container_stack,
                "hyperv-container",
                "Hyper-V-isolated containers",
                "Each container runs in a lightweight utility VM with a kernel of its own.",
            ),
        ),
        "vm-vs-container": ("Virtual machines and containers, side by side", _vm_vs_container),
        "lesson:isolation": ("Isolation: where each world draws its boundaries", _isolation),
        "lesson:networking": ("Networking: a vNIC per VM, a shared firewall", _networking),
        "lesson:operating-system": (
            "Operating system: what each instance carries",
            _operating_system,
        ),
        "lesson:deployment": (
            "Deployment: a VM from a template, a container from an image",
            _row("lesson:deployment"),
        ),
        "lesson:os-updates": (
            "OS updates: patch each VM, or rebuild the image once",
            _row("lesson:os-updates"),
        ),
        "lesson:persistent-storage": (
            "Persistent storage: local disks and SMB shares",
            _row("lesson:persistent-storage"),
        ),
        "lesson:load-balancing": (
            "Load balancing: a VM moves, a container is replaced",
            _row("lesson:load-balancing"),
        ),
        "lesson:fault-tolerance": (
            "Fault tolerance: a VM reboots elsewhere, a container is recreated",
            _row("lesson:fault-tolerance"),
        ),
    }
)


#: The instances a diagram opens with, where not ``DEFAULT_INSTANCES``: the lessons whose main
#: view is their diagram fit a 1600x1000 window's page at a legible scale with two apiece
#: (isolation's three stacks in two rows; two stacks side by side for the others).
OPENING_INSTANCES: MappingProxyType[str, int] = MappingProxyType(
    {"lesson:isolation": 2, "lesson:operating-system": 2, "lesson:networking": 2}
)


def opening_instances(name: str) -> int:
    """How many instances diagram ``name`` opens with."""
    return OPENING_INSTANCES.get(name, DEFAULT_INSTANCES)


class UnknownDiagram(ValueError):
    """A diagram name that is not in the catalogue; the message is one line for the user."""


def diagram(
    name: str, instances: int = DEFAULT_INSTANCES, parameters: ParameterSet | None = None
) -> Diagram:
    """Build the diagram called ``name`` with ``instances`` VMs or containers per stack."""
    if name not in DIAGRAMS:
        known = ", ".join(DIAGRAMS)
        raise UnknownDiagram(f"no diagram {name!r}; the diagrams are: {known}")
    if not 1 <= instances <= MAX_INSTANCES:
        raise UnknownDiagram(f"a diagram shows 1 to {MAX_INSTANCES} instances, not {instances}")
    return DIAGRAMS[name][1](instances, parameters or ParameterSet())
