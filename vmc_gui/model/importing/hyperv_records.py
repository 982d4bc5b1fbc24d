"""The four objects the Hyper-V importer reads, recognised by their fields and read into small
records: a cluster node (``Get-ClusterNode``), a VM (``Get-VM``), a Hyper-V host
(``Get-VMHost``) and a clustered role (``Get-ClusterGroup``).

Only the fields listed here are read; everything else in an object (a VM's Notes above all,
which is the administrator's free text) is never looked at.  Field names are matched as
PowerShell writes them (``ConvertTo-Json`` keeps each property's declared case).

The objects' properties, from the cmdlets' output types: Get-VM writes
Microsoft.HyperV.PowerShell.VirtualMachine (https://learn.microsoft.com/powershell/module/hyper-v/get-vm),
Get-VMHost Microsoft.HyperV.PowerShell.VMHost
(https://learn.microsoft.com/powershell/module/hyper-v/get-vmhost), Get-ClusterNode and
Get-ClusterGroup the FailoverClusters module's ClusterNode and ClusterGroup
(https://learn.microsoft.com/powershell/module/failoverclusters/get-clusternode,
https://learn.microsoft.com/powershell/module/failoverclusters/get-clustergroup), whose
properties follow the cluster's WMI classes (MSCluster_Node has Name, State, NodeWeight,
DynamicWeight, NodeDrainStatus... and no processor or memory figure:
https://learn.microsoft.com/previous-versions/windows/desktop/cluswmi/mscluster-node).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from vmc_gui.model.importing.hyperv_states import (
    GROUP_STATES,
    GROUP_TYPE_VM_NAME,
    GROUP_TYPE_VM_NUMBER,
    NODE_STATES,
    VM_STATE_NAMES,
    vm_state_names,
)
from vmc_gui.model.importing.json_input import (
    MAX_NAME_CHARS,
    JsonPath,
    describe,
    get_bool,
    get_integer,
    get_string,
    require_string,
)

Kind = Literal["node", "vm", "vmhost", "group"]
#: What each kind is called in messages: the command that writes it.
COMMANDS: Mapping[Kind, str] = {
    "node": "Get-ClusterNode",
    "vm": "Get-VM",
    "vmhost": "Get-VMHost",
    "group": "Get-ClusterGroup",
}

#: Bounds on figures, beyond which a file is wrong rather than large.  Windows Server 2025 runs
#: 2,048 logical processors and 240 TB a host; 4,096 and 1 PiB leave room and refuse absurdity.
MAX_VM_PROCESSORS = 4096
MAX_HOST_PROCESSORS = 65_536
MAX_BYTES = 2**50
#: An enum name as -EnumsAsStrings writes it (letters, no spaces).
_ENUM_NAME = re.compile(r"[A-Za-z]{1,40}")


@dataclass(frozen=True, slots=True)
class NodeRecord:
    name: str
    #: ClusterNodeState's name: Up, Down, Paused, Joining or Unknown.
    state: str


@dataclass(frozen=True, slots=True)
class VmHostRecord:
    #: Every name the host goes by here: Name, ComputerName, FullyQualifiedDomainName.
    names: tuple[str, ...]
    logical_processors: int
    memory_bytes: int


@dataclass(frozen=True, slots=True)
class GroupRecord:
    name: str
    is_vm: bool
    #: The owner node's name; "" if the export names none.
    owner: str
    state: str


@dataclass(frozen=True, slots=True)
class VmRecord:
    name: str
    #: The VM's Id (a GUID), "" if not exported.
    vm_id: str
    #: ComputerName: the Hyper-V host the VM was found on; "" if not exported.
    host: str
    #: Its state's name; two where the number means different states in different Windows
    #: versions; ("State 40000",) for a number no table knows.
    states: tuple[str, ...]
    processors: int
    #: MemoryAssigned and MemoryStartup in bytes, None where not exported.
    assigned_bytes: int | None
    startup_bytes: int | None
    dynamic_memory: bool
    #: IsClustered, None where not exported.
    clustered: bool | None
    has_notes: bool


def kind_of(obj: Mapping[str, Any]) -> Kind | None:
    """Which command wrote the object, by the fields only that command's objects have."""
    if "ProcessorCount" in obj and ("MemoryAssigned" in obj or "MemoryStartup" in obj):
        return "vm"
    if "LogicalProcessorCount" in obj and "MemoryCapacity" in obj:
        return "vmhost"
    if "GroupType" in obj and "OwnerNode" in obj:
        return "group"
    if "State" in obj and any(
        key in obj for key in ("NodeWeight", "DynamicWeight", "NodeName", "DrainStatus")
    ):
        return "node"
    return None


def read_node(obj: dict[str, Any], at: JsonPath) -> NodeRecord:
    state = _enum(obj, "State", at, NODE_STATES, "a cluster node state")
    return NodeRecord(require_string(obj, "Name", at), state)


def read_vmhost(obj: dict[str, Any], at: JsonPath) -> VmHostRecord:
    names = [require_string(obj, "Name", at)]
    for key in ("ComputerName", "FullyQualifiedDomainName"):
        names.append(get_string(obj, key, at, limit=MAX_NAME_CHARS))
    processors = _required_integer(obj, "LogicalProcessorCount", at, 1, MAX_HOST_PROCESSORS)
    memory = _bytes(obj, "MemoryCapacity", at, low=1)
    if memory is None:
        (at / "MemoryCapacity").fail("missing: the host's memory in bytes is read")
    return VmHostRecord(tuple(dict.fromkeys(n for n in names if n)), processors, memory)


def read_group(obj: dict[str, Any], at: JsonPath) -> GroupRecord:
    name = require_string(obj, "Name", at)
    kind = obj.get("GroupType")
    if isinstance(kind, str) and _ENUM_NAME.fullmatch(kind):
        is_vm = kind.lower() == GROUP_TYPE_VM_NAME.lower()
    elif isinstance(kind, int) and not isinstance(kind, bool) and -1 <= kind <= 1_000_000:
        is_vm = kind == GROUP_TYPE_VM_NUMBER
    else:
        (at / "GroupType").fail(
            f"expected a group type ({GROUP_TYPE_VM_NUMBER} or {GROUP_TYPE_VM_NAME} for a VM), "
            f"found {describe(kind)}"
        )
    state = _enum(obj, "State", at, GROUP_STATES, "a cluster group state", required=False)
    return GroupRecord(name, is_vm, _owner(obj, at), state)


def read_vm(obj: dict[str, Any], at: JsonPath) -> VmRecord:
    # Name as Get-VM writes it; VMName (the same name) if a selection kept only that.
    name = require_string(
        obj, "VMName" if obj.get("Name") is None and "VMName" in obj else "Name", at
    )
    processors = _required_integer(obj, "ProcessorCount", at, 1, MAX_VM_PROCESSORS)
    assigned = _bytes(obj, "MemoryAssigned", at)
    startup = _bytes(obj, "MemoryStartup", at)
    clustered = get_bool(obj, "IsClustered", at) if obj.get("IsClustered") is not None else None
    return VmRecord(
        name=name,
        vm_id=get_string(obj, "Id", at, limit=64),
        host=get_string(obj, "ComputerName", at, limit=MAX_NAME_CHARS),
        states=_vm_state(obj, at),
        processors=processors,
        assigned_bytes=assigned,
        startup_bytes=startup,
        dynamic_memory=get_bool(obj, "DynamicMemoryEnabled", at),
        clustered=clustered,
        # Whether there is user text to leave out: its type is looked at, never its words.
        has_notes=isinstance(obj.get("Notes"), str) and obj["Notes"] != "",
    )


def _vm_state(obj: dict[str, Any], at: JsonPath) -> tuple[str, ...]:
    value = obj.get("State")
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 65_535:
        return vm_state_names(value) or (f"State {value}",)  # WMI's states are 16-bit
    if isinstance(value, str) and _ENUM_NAME.fullmatch(value):
        return (VM_STATE_NAMES.get(value.lower(), value),)
    if value is None:
        (at / "State").fail("missing: Get-VM's State is read")
    (at / "State").fail(
        f"expected a VM state (a number or a name such as Running), found {describe(value)}"
    )


def _enum(
    obj: dict[str, Any],
    key: str,
    at: JsonPath,
    table: Mapping[int, str],
    what: str,
    *,
    required: bool = True,
) -> str:
    """An enum by number (Windows PowerShell 5.1) or by name (-EnumsAsStrings), as its name."""
    value = obj.get(key)
    if value is None and not required:
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and value in table:
        return table[value]
    if isinstance(value, str):
        for name in table.values():
            if name.lower() == value.lower():
                return name
    known = ", ".join(f"{number} {name}" for number, name in table.items())
    (at / key).fail(f"expected {what} ({known}, or the name), found {describe(value)}")


def _owner(obj: dict[str, Any], at: JsonPath) -> str:
    """OwnerNode: a ClusterNode object within -Depth, its name (ToString) beyond it."""
    owner = obj.get("OwnerNode")
    if owner is None:
        return ""
    if isinstance(owner, dict):
        return get_string(owner, "Name", at / "OwnerNode", limit=MAX_NAME_CHARS)
    if isinstance(owner, str) and len(owner) <= MAX_NAME_CHARS:
        return owner
    (at / "OwnerNode").fail(f"expected the owner node or its name, found {describe(owner)}")


def _required_integer(obj: dict[str, Any], key: str, at: JsonPath, low: int, high: int) -> int:
    value = get_integer(obj, key, at, low, high)
    if value is None:
        (at / key).fail(f"missing: {key} is read")
    return value


def _bytes(obj: dict[str, Any], key: str, at: JsonPath, low: int = 0) -> int | None:
    """A number of bytes (PowerShell writes an Int64 as a JSON number); None if absent."""
    value = obj.get(key)
    if isinstance(value, str):
        (at / key).fail(
            f"expected a number of bytes, found {describe(value)}: export with ConvertTo-Json, "
            "which writes memory as a number of bytes, not a table's '4 GB'"
        )
    return get_integer(obj, key, at, low, MAX_BYTES)
