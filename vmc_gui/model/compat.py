"""Which guest OS or container image runs on which host, in each world (not simulated).

The rules are Microsoft's published ones:
- Hyper-V supports guests of the host's release and older, Windows and Linux alike
  ('Supported Windows guest operating systems for Hyper-V on Windows Server').
- A process-isolated Windows container shares the host's kernel, so its base image must be
  of the host's build; Windows 11 also runs Windows Server 2022 images that way.  An older
  image runs only with Hyper-V isolation; a newer image does not run at all
  ('Windows container version compatibility').
- A Linux image needs a Linux kernel: on a Windows host only inside a utility VM (Hyper-V
  isolation, as WSL 2 and Docker Desktop do); a Windows image never runs on a Linux host.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from vmc_gui.model.scenario import Platform, World


class Answer(StrEnum):
    ALLOWED = "allowed"
    REFUSED = "refused"
    HYPERV_ISOLATION_ONLY = "hyperv-isolation-only"


@dataclass(frozen=True, slots=True)
class OperatingSystem:
    """A host OS or a guest OS / base image."""

    slug: str
    title: str
    family: str  # "windows" or "linux"
    #: The Windows build number (0 for Linux).
    build: int = 0
    #: Windows client releases that also run this Windows Server base image process-isolated.
    client: bool = False


_SYSTEMS = (
    OperatingSystem("windows-server-2019", "Windows Server 2019", "windows", 17763),
    OperatingSystem("windows-server-2022", "Windows Server 2022", "windows", 20348),
    OperatingSystem("windows-server-2025", "Windows Server 2025", "windows", 26100),
    OperatingSystem("windows-11", "Windows 11 (22H2+)", "windows", 22621, client=True),
    OperatingSystem("linux", "Linux", "linux"),
)

#: Every host OS and guest OS or image the matrix knows, by slug.
SYSTEMS = MappingProxyType({s.slug: s for s in _SYSTEMS})
#: The image build a Windows 11 host runs process-isolated although the builds differ.
_CLIENT_COMPATIBLE_BUILD = 20348


@dataclass(frozen=True, slots=True)
class Verdict:
    answer: Answer
    reason: str


def verdict(world: World, host: OperatingSystem, guest: OperatingSystem) -> Verdict:
    """Whether ``guest`` runs on ``host`` in ``world``, and why."""
    if world.platform is Platform.VM:
        return _vm(host, guest)
    if world is World.HYPERV_CONTAINER:
        return _in_utility_vm(host, guest)
    return _process_isolated(host, guest)


def _vm(host: OperatingSystem, guest: OperatingSystem) -> Verdict:
    if host.family == "linux":
        return Verdict(Answer.ALLOWED, "a Linux hypervisor (KVM) boots the guest's own kernel")
    if guest.family == "windows" and guest.build > host.build:
        return Verdict(
            Answer.REFUSED,
            f"{guest.title} is newer than the host; Hyper-V supports guests of the host's "
            "release and older",
        )
    return Verdict(Answer.ALLOWED, "the VM boots its own kernel")


def _process_isolated(host: OperatingSystem, guest: OperatingSystem) -> Verdict:
    if guest.family != host.family:
        if host.family == "windows":
            return Verdict(
                Answer.HYPERV_ISOLATION_ONLY,
                "a Linux image needs a Linux kernel: only in a utility VM",
            )
        return Verdict(Answer.REFUSED, "a Windows image needs a Windows kernel")
    if host.family == "linux":
        return Verdict(Answer.ALLOWED, "shares the host's Linux kernel")
    if guest.build == host.build or (host.client and guest.build == _CLIENT_COMPATIBLE_BUILD):
        return Verdict(Answer.ALLOWED, "shares the host's kernel: the builds are compatible")
    if guest.build < host.build:
        return Verdict(
            Answer.HYPERV_ISOLATION_ONLY,
            "an older image: process isolation needs the host's build",
        )
    return Verdict(Answer.REFUSED, f"{guest.title} is newer than the host's kernel")


def _in_utility_vm(host: OperatingSystem, guest: OperatingSystem) -> Verdict:
    if host.family == "linux":
        return (
            Verdict(Answer.ALLOWED, "in a lightweight VM (Kata-style) with a Linux kernel")
            if guest.family == "linux"
            else Verdict(Answer.REFUSED, "a Windows image needs a Windows utility VM")
        )
    if guest.family == "linux":
        return Verdict(Answer.ALLOWED, "runs in a Linux utility VM")
    if guest.build > host.build:
        return Verdict(Answer.REFUSED, f"{guest.title} is newer than the host")
    return Verdict(Answer.ALLOWED, "the utility VM boots the image's own kernel")


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
