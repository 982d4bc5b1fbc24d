"""Which guest OS or container image runs on which host, for three runtimes (not simulated).

- **Hyper-V VMs** (the ``vm`` worlds): Microsoft's "Supported Windows guest operating systems
  for Hyper-V" lists, for each guest, the hosts it is supported on: a guest is supported on
  the host of its own release and later, and a new release also on the one before (Windows
  Server 2025 on a Windows Server 2022 host, 2022 on 2019).  A VM boots its own kernel, so a
  guest outside that list still runs, unsupported: "just about any operating system".  Linux
  distributions are supported with the Hyper-V drivers built into their kernels.
- **Windows containers on a standalone host** (Docker or containerd on Windows; the
  ``hyperv-container`` world): "Windows container version compatibility".  Process isolation
  shares the host's kernel, so the image must be of the host's build, except that Windows 11
  runs Windows Server 2022 images and Windows Server 2025 runs them too (the page's table; its
  text names only Windows 11).  Hyper-V isolation runs an older image in a utility VM with its
  own kernel; a newer image runs neither way.  Linux containers on Windows (LCOW) were
  experimental and were removed from Docker (23.0).
- **Windows containers under Kubernetes** (the ``container`` worlds): "Kubernetes does not
  support running Windows containers with Hyper-V isolation", so a pod's Windows Server
  version "must match that of the node" (the guide predates Windows Server 2025, whose
  containerd runs Windows Server 2022 images too, as Microsoft's table says: we follow the
  table); Linux pods run on Linux nodes only, and Windows nodes are Windows Server 2022 or
  2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from vmc_gui.model.scenario import Platform, World

#: What each world stands for in this lesson: a runtime, with its isolation.
RUNTIMES = MappingProxyType(
    {
        World.VM: "Hyper-V VMs",
        World.HYPERV_CONTAINER: "Windows containers on a standalone host (Docker or containerd): "
        "process or Hyper-V isolation",
        World.CONTAINER: "Windows containers under Kubernetes: process isolation only",
    }
)


#: Where each runtime's rules come from (the module's docstring quotes them).
RUNTIME_SOURCES = MappingProxyType(
    {
        World.VM: "https://learn.microsoft.com/en-us/windows-server/virtualization/hyper-v/"
        "supported-windows-guest-operating-systems-for-hyper-v-on-windows",
        World.HYPERV_CONTAINER: "https://learn.microsoft.com/en-us/virtualization/"
        "windowscontainers/deploy-containers/version-compatibility",
        World.CONTAINER: "https://kubernetes.io/docs/concepts/windows/intro/",
    }
)


def runtime_title(world: World) -> str:
    """The world's name in this lesson."""
    return RUNTIMES.get(world, world.display_name)


class Answer(StrEnum):
    ALLOWED = "allowed"
    #: A VM of this guest boots and runs, but Microsoft does not support the pair.
    RUNS_UNSUPPORTED = "runs-unsupported"
    HYPERV_ISOLATION_ONLY = "hyperv-isolation-only"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class OperatingSystem:
    """A host OS or a guest OS / base image."""

    slug: str
    title: str
    family: str  # "windows" or "linux"
    #: The Windows build number (0 for Linux).
    build: int = 0
    #: A Windows client release (not a Kubernetes node OS).
    client: bool = False


_SYSTEMS = (
    OperatingSystem("windows-server-2019", "Windows Server 2019", "windows", 17763),
    OperatingSystem("windows-server-2022", "Windows Server 2022", "windows", 20348),
    OperatingSystem("windows-server-2025", "Windows Server 2025", "windows", 26100),
    OperatingSystem("windows-11", "Windows 11 (22H2, 23H2)", "windows", 22621, client=True),
    OperatingSystem("linux", "Linux", "linux"),
)

#: Every host OS and guest OS or image the matrix knows, by slug.
SYSTEMS = MappingProxyType({s.slug: s for s in _SYSTEMS})
_W2019, _W2022, _W2025 = 17763, 20348, 26100
#: The oldest Windows Server host each Windows Server guest is supported on (the guest page).
_OLDEST_SUPPORTED_HOST = MappingProxyType({_W2025: _W2022, _W2022: _W2019, _W2019: 14393})
#: Windows Server 2022 images run process-isolated on these newer hosts too (the page's table).
_RUNS_2022_PROCESS_ISOLATED = frozenset({22621, _W2025})


@dataclass(frozen=True, slots=True)
class Verdict:
    answer: Answer
    reason: str


def verdict(world: World, host: OperatingSystem, guest: OperatingSystem) -> Verdict:
    """Whether ``guest`` runs on ``host`` in ``world``, and why."""
    if world.platform is Platform.VM:
        return _vm(host, guest)
    if world is World.HYPERV_CONTAINER:
        return _standalone(host, guest)
    return _kubernetes(host, guest)


def _vm(host: OperatingSystem, guest: OperatingSystem) -> Verdict:
    if host.family == "linux":
        return Verdict(
            Answer.ALLOWED, "not Hyper-V: a Linux hypervisor (KVM) boots the guest's own kernel"
        )
    if guest.family == "linux":
        return Verdict(
            Answer.ALLOWED,
            "supported: current Linux kernels carry Hyper-V's drivers (Linux Integration Services)",
        )
    oldest = _OLDEST_SUPPORTED_HOST.get(guest.build, guest.build)
    # A client host's list is the guests of its release and older.
    supported = guest.build <= host.build if host.client else host.build >= oldest
    if supported:
        return Verdict(Answer.ALLOWED, "a supported guest: the VM boots its own kernel")
    return Verdict(
        Answer.RUNS_UNSUPPORTED,
        f"the VM boots its own kernel, but Microsoft does not list {guest.title} as a "
        f"supported guest on {host.title}",
    )


def _standalone(host: OperatingSystem, guest: OperatingSystem) -> Verdict:
    if host.family == "linux":
        if guest.family == "linux":
            return Verdict(Answer.ALLOWED, "shares the host's Linux kernel")
        return Verdict(Answer.REFUSED, "a Windows image needs a Windows kernel")
    if guest.family == "linux":
        return Verdict(
            Answer.REFUSED,
            "a Linux image needs a Linux kernel: not by the Windows container runtime (LCOW "
            "was removed from Docker), only inside a Linux VM such as Docker Desktop's",
        )
    if guest.build == host.build or (
        guest.build == _W2022 and host.build in _RUNS_2022_PROCESS_ISOLATED
    ):
        return Verdict(Answer.ALLOWED, "process isolation: shares the host's kernel")
    if guest.build < host.build:
        return Verdict(
            Answer.HYPERV_ISOLATION_ONLY,
            "an older image: only with --isolation=hyperv, in a utility VM with its own kernel",
        )
    return Verdict(Answer.REFUSED, f"{guest.title} is newer than the host: it runs neither way")


def _kubernetes(host: OperatingSystem, guest: OperatingSystem) -> Verdict:
    if host.family != guest.family:
        return Verdict(
            Answer.REFUSED,
            f"a {guest.family.capitalize()} pod runs only on a {guest.family.capitalize()} "
            "node (nodeSelector kubernetes.io/os)",
        )
    if host.family == "linux":
        return Verdict(Answer.ALLOWED, "shares the node's Linux kernel")
    if host.client or host.build < _W2022:
        return Verdict(
            Answer.REFUSED,
            "not a Kubernetes Windows node: Kubernetes supports Windows Server 2022 and 2025 nodes",
        )
    if guest.build == host.build:
        return Verdict(Answer.ALLOWED, "process isolation: the image matches the node's build")
    if guest.build == _W2022 and host.build in _RUNS_2022_PROCESS_ISOLATED:
        return Verdict(
            Answer.ALLOWED,
            "process isolation: containerd on Windows Server 2025 runs Windows Server 2022 "
            "images (Microsoft's table); Kubernetes' guide, older than 2025, still says the "
            "versions must match",
        )
    return Verdict(
        Answer.REFUSED,
        "the image must match the node's Windows Server version: Kubernetes does not run "
        "Hyper-V isolation",
    )


def matrix(world: World, hosts: tuple[str, ...], guests: tuple[str, ...]) -> list[dict[str, str]]:
    """Every (host, guest) pair's verdict in ``world``, row by row."""
    return [
        {
            "host": host,
            "guest": guest,
            "answer": (v := verdict(world, SYSTEMS[host], SYSTEMS[guest])).answer.value,
            "reason": v.reason,
        }
        for host in hosts
        for guest in guests
    ]
