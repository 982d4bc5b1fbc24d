"""What a diagram shows besides its layers: the things stacks use, what flows between them,
and how a change leaves them.

A row of the comparison table is often about something outside the stack: the disk a VM's
VHD lives on, the registry an image is pulled from, a VM's memory crossing to another host.
These parts are few and general, so that each row's diagram is made of them rather than
drawn by hand:

- a :class:`Part` is a thing beside the stacks (a disk, a share, a registry, a template, a
  tool), in a row above or beneath the stacks it serves;
- a :class:`Flow` is a labelled arrow between two ends: a part, an instance (a VM, a
  container) or a whole stack's instances;
- a :class:`Band` groups one world's stacks, so that a diagram can put its worlds one above
  the other, each with its own parts;
- a :class:`State` marks an instance, a stack or a layer as gone, new or failed.

Ends and marks name stacks by their key prefix (``Stack.prefix``), instances by name and
layers by key, the same stable keys the scene keeps its items by.  Nothing here imports Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from vmc_gui.model.scenario import World


class PartKind(StrEnum):
    """What a part is; the scene draws each kind with its own glyph."""

    #: A disk, or a file on one: a host's local disk, an Azure Disk.
    DISK = "disk"
    #: A file share reached over the network: an SMB share, Azure Files.
    SHARE = "share"
    #: Where images are kept and pulled from: a container registry.
    REGISTRY = "registry"
    #: What something is built or copied from: a Dockerfile, an image, a template VHD, an update.
    SOURCE = "source"
    #: What deploys or manages: Hyper-V Manager, PowerShell, docker run, an orchestrator.
    TOOL = "tool"


class Place(StrEnum):
    """Which side of its band's stacks a part sits on."""

    ABOVE = "above"
    BELOW = "below"


@dataclass(frozen=True, slots=True)
class Part:
    """A thing beside the stacks, placed over or under the ends it is ``near``."""

    key: str
    kind: PartKind
    title: str
    #: A line or two under the title: what it holds, who uses it.
    detail: str = ""
    #: What it is, for its tooltip.
    what: str = ""
    place: Place = Place.BELOW
    #: The stacks (by prefix) or instances it is centred on; none: it follows the part
    #: before it in its row.  Its band is the band of the first stack it names, else band 0.
    near: tuple[str, ...] = ()
    #: The band a part near nothing sits in.
    band: int = 0


class FlowKind(StrEnum):
    """What an arrow means; the scene draws each kind its own way."""

    #: Something crosses, the same thing at both ends: a VM's memory, an image, a step's output.
    MOVE = "move"
    #: Nothing crosses: stopped (or lost) at one end, a new one started at the other.
    REPLACE = "replace"
    #: Reached or attached, no direction: a disk attached to a node, a share over the network.
    USE = "use"


@dataclass(frozen=True, slots=True)
class Flow:
    """An arrow from ``source`` to ``target``: each a part key, an instance name or a stack
    prefix (a stack's end is all its instances together)."""

    key: str
    source: str
    target: str
    label: str = ""
    kind: FlowKind = FlowKind.MOVE


class State(StrEnum):
    """How the change a row is about leaves an instance, a stack or a layer."""

    #: Gone from here: a VM that moved away, a pod that was stopped.
    GONE = "gone"
    #: What the change brought: the VM that arrived, a new pod, a patched guest OS.
    NEW = "new"
    #: Broken: a host that failed, and everything on it.
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Band:
    """One world's stacks side by side under a title, with their parts above and beneath."""

    world: World
    title: str
    #: Indices into the diagram's stacks, left to right.
    stacks: tuple[int, ...]
