"""What a kernel exploit in one app reaches, in each world.

An exploit that escapes an app into the kernel owns whatever that kernel runs.  A VM's app
reaches its own guest kernel, and the hypervisor stops it there; a process-isolated
container's app reaches the host kernel that every container on the host shares; a
Hyper-V-isolated container's app reaches only its utility VM's kernel.
"""

from __future__ import annotations

from vmc_gui.model.scenario import Platform, World

#: The layers an exploit in one VM's app reaches, innermost first; the hypervisor stops it.
VM_REACH = ("app", "guest user mode", "guest kernel")
#: The same for a process-isolated container: the shared host kernel, so the whole host.
CONTAINER_REACH = (
    "app",
    "container user mode",
    "host kernel",
    "container runtime",
    "host user-mode services",
    "every container on the host",
)
#: The same for a container in its own utility VM.
HYPERV_CONTAINER_REACH = ("app", "container user mode", "utility VM kernel")


def exposed_layers(world: World) -> tuple[str, ...]:
    """The layers a kernel exploit in one app of ``world`` reaches."""
    if world is World.HYPERV_CONTAINER:
        return HYPERV_CONTAINER_REACH
    return VM_REACH if world.platform is Platform.VM else CONTAINER_REACH


def boundary(world: World) -> str:
    """What stops the exploit from reaching further."""
    if world.own_kernel:
        return "the hypervisor"
    return "nothing on the host: only other hosts are out of reach"


def shares_host_kernel(world: World) -> bool:
    """Whether a kernel exploit reaches every other replica on the same host."""
    return not world.own_kernel
