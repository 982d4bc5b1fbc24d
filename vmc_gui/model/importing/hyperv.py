"""Import a Hyper-V failover cluster from the JSON PowerShell writes (issue 21).

``import_hyperv(paths)`` reads the files of ``Get-ClusterNode``, ``Get-VM`` and, when given,
``Get-VMHost`` and ``Get-ClusterGroup``, each piped to ``ConvertTo-Json`` by Windows PowerShell
5.1 (enums as numbers, dates as ``\\/Date(ms)\\/``, often UTF-16) or PowerShell 7 (ISO dates,
enums as names with ``-EnumsAsStrings``).  Each file is recognised by what it holds, in any
order; docs/import.md gives the commands and every field read.

What becomes what, and why:

* A host is a cluster node (``Get-ClusterNode``'s Name; ready when its State is Up).  The node
  object carries no processor or memory figure (MSCluster_Node has none:
  https://learn.microsoft.com/previous-versions/windows/desktop/cluswmi/mscluster-node), so
  sizes come from ``Get-VMHost``: LogicalProcessorCount, the processors VMs are scheduled on,
  and MemoryCapacity in bytes.  A host without it is sized as the sum of its VMs, and the
  summary says so.  Hosts are matched by name without case or domain (Get-VM's ComputerName
  says ``HV01`` where Get-ClusterNode says ``hv01``).
* Each VM is a service of one replica, kind ``vm``: ProcessorCount processors and
  MemoryAssigned bytes, placed on its ComputerName, the host Get-VM found it on (a VM's owner
  node in Get-ClusterGroup is the same host, and stands in where ComputerName was not exported).
* A VM is counted at the larger of MemoryAssigned (what it holds) and MemoryStartup (what a
  failover must find to start it on another node).  A VM that is off or saved holds no memory
  (MemoryAssigned is 0): it counts at MemoryStartup.  A running VM with dynamic memory may
  hold less than its startup memory or more.
* Get-VMHost's MemoryCapacity is read as bytes.  Assumed: Microsoft Learn's Get-VMHost page
  names the object (Microsoft.HyperV.PowerShell.VMHost) but not the property's unit; every
  memory figure of the Hyper-V module's objects is in bytes (MemoryAssigned, MemoryStartup,
  Set-VMMemory's ``-StartupBytes``), and scripts read it as bytes (``MemoryCapacity / 1GB``).
* Clustered: Get-VM's IsClustered, or a VirtualMachine role of the VM's name in
  Get-ClusterGroup (a role is named after its VM unless renamed).  A VM that is neither stops
  with its host.
* Nothing else is copied: not a VM's Notes (the administrator's free text), not paths, not
  network details.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from vmc_gui.model.imported import (
    ImportedCluster,
    ImportedHost,
    ImportedService,
    ImportProblem,
    ImportSummary,
    Placement,
)
from vmc_gui.model.importing.hyperv_records import (
    COMMANDS,
    GroupRecord,
    Kind,
    NodeRecord,
    VmHostRecord,
    VmRecord,
    kind_of,
    read_group,
    read_node,
    read_vm,
    read_vmhost,
)
from vmc_gui.model.importing.hyperv_states import VM_STATE_GROUPS, VM_STATE_NAMES
from vmc_gui.model.importing.json_input import JsonPath, as_object
from vmc_gui.model.importing.powershell_json import depth_cuts, read_document, records
from vmc_gui.model.loader import MAX_HOSTS, MAX_WORKLOADS

MIB = 2**20

# The summary's notes, each counted.  Hyper-V Manager counts memory in MB of 2**20 bytes.
HOSTS_DOWN = "hosts down"
HOSTS_PAUSED = "hosts paused (running their VMs; taken as up: pausing is not modelled)"
HOSTS_JOINING = "hosts joining the cluster"
HOSTS_UNKNOWN = "hosts in an unknown state"
HOSTS_FROM_VMS = (
    "hosts sized as the sum of their VMs (host sizes not in the export: give Get-VMHost)"
)
HOSTS_NOT_NODES = "hosts that are not cluster nodes (named by Get-VMHost or Get-VM)"
NODES_TWICE = "cluster nodes listed twice (the first kept)"
VMS_OFF = "VMs off"
VMS_SAVED = "VMs saved"
VMS_PAUSED = "VMs paused"
VMS_CRITICAL = "VMs in a critical state"
VMS_OTHER_STATE = "VMs starting, stopping or in another passing state"
VMS_UNKNOWN_STATE = "VMs in a state not known here"
VMS_STATE_NUMBER = "VM states whose number Windows versions name differently (use -EnumsAsStrings)"
VMS_AT_STARTUP = "VMs counted at their startup memory (off or saved: no memory assigned)"
VMS_DYNAMIC = (
    "VMs with dynamic memory, counted at the larger of the memory assigned at export and "
    "their startup memory"
)
VMS_DYNAMIC_BELOW_STARTUP = (
    "VMs with dynamic memory holding less than their startup memory (counted at the startup "
    "memory a failover needs to start them)"
)
VMS_NOT_CLUSTERED = "VMs not clustered (they stop with their host)"
VMS_CLUSTERING_UNKNOWN = "VMs whose clustering is not in the export (taken as not clustered)"
VMS_CLUSTERING_DISAGREES = "VMs that IsClustered and the VM roles disagree on (taken as clustered)"
VMS_OWNER_DIFFERS = "VMs whose role's owner node is not their ComputerName (ComputerName kept)"
VMS_NO_HOST = "VMs with no host in the export (not placed)"
VMS_TWICE = "VMs listed twice, by Id (the first kept)"
VMS_SAME_NAME = "VMs sharing a name (named with their host)"
VMS_NOTES = "VM notes left out (administrators' free text)"
ROLES_FAILED = "VM roles failed"
ROLES_WITHOUT_VM = "VM roles with no VM of their name in the Get-VM export (not imported)"
ROLES_NOT_VMS = "cluster roles that are not VMs (not modelled)"
DEPTH_CUTS = "values ConvertTo-Json -Depth cut to a type name (none of them is read)"
EMPTY_FILES = "files holding no objects"

_NODE_STATE_NOTES = {
    "Down": HOSTS_DOWN,
    "Paused": HOSTS_PAUSED,
    "Joining": HOSTS_JOINING,
    "Unknown": HOSTS_UNKNOWN,
}
_STATE_GROUP_NOTES = {
    "off": VMS_OFF,
    "saved": VMS_SAVED,
    "paused": VMS_PAUSED,
    "critical": VMS_CRITICAL,
    "other": VMS_OTHER_STATE,
}


@dataclass
class _Export:
    """Everything read from the files, in file order."""

    nodes: list[NodeRecord] = field(default_factory=list)
    vms: list[tuple[VmRecord, JsonPath]] = field(default_factory=list)
    vmhosts: list[VmHostRecord] = field(default_factory=list)
    groups: list[GroupRecord] = field(default_factory=list)
    groups_given: bool = False
    summary: ImportSummary = field(default_factory=ImportSummary)


@dataclass
class _Host:
    name: str
    ready: bool = True
    #: Get-VMHost's LogicalProcessorCount and MemoryCapacity, if exported.
    size: tuple[int, int] | None = None
    vm_cpu: float = 0.0
    vm_memory_mb: float = 0.0


def import_hyperv(paths: Iterable[str | os.PathLike[str]]) -> ImportedCluster:
    """The cluster in the files, or an :class:`ImportProblem` naming the file and the JSON path
    of the first thing wrong."""
    export = _read_files([Path(p) for p in paths])
    hosts = _hosts(export)
    services = _services(export, hosts)
    summary = export.summary
    imported_hosts = []
    for host in hosts.values():
        if host.size is not None:
            processors, memory = host.size
            imported_hosts.append(
                ImportedHost(
                    host.name,
                    float(processors),
                    memory / MIB,
                    capacity_cores=float(processors),
                    capacity_memory_mb=memory / MIB,
                    ready=host.ready,
                )
            )
        else:
            summary.note(HOSTS_FROM_VMS)
            imported_hosts.append(
                ImportedHost(host.name, host.vm_cpu, host.vm_memory_mb, ready=host.ready)
            )
    return ImportedCluster("hyperv", tuple(imported_hosts), tuple(services), summary)


def _read_files(paths: list[Path]) -> _Export:
    if not paths:
        raise ImportProblem("", "", "no files given: give the JSON of Get-ClusterNode and Get-VM")
    export = _Export()
    for path in paths:
        name = str(path)
        document = read_document(path, name)
        first: Kind | None = None
        for at, value in records(document, name):
            obj = as_object(value, at)
            kind = kind_of(obj)
            if kind is None:
                at.fail(
                    "not an object Get-ClusterNode, Get-VM, Get-VMHost or Get-ClusterGroup writes "
                    "(it lacks their fields: Name and State with NodeWeight; ProcessorCount and "
                    "MemoryAssigned; LogicalProcessorCount and MemoryCapacity; GroupType and "
                    "OwnerNode)"
                )
            if first is None:
                first = kind
            elif kind != first:
                at.fail(
                    f"a {COMMANDS[kind]} object in a file of {COMMANDS[first]} objects: export "
                    "each command to a file of its own"
                )
            _add(export, kind, obj, at)
        if first is None:
            export.summary.note(EMPTY_FILES)
        export.groups_given |= first == "group"
        if cuts := depth_cuts(document):
            export.summary.note(DEPTH_CUTS, cuts)
    if not export.vms:
        raise ImportProblem(
            ", ".join(str(p) for p in paths),
            "",
            "no Get-VM export among the files (docs/import.md)",
        )
    read = export.summary.read
    read["cluster nodes"] += len(export.nodes)
    read["Hyper-V hosts"] += len(export.vmhosts)
    read["VMs"] += len(export.vms)
    read["cluster roles"] += len(export.groups)
    return export


def _add(export: _Export, kind: Kind, obj: dict[str, object], at: JsonPath) -> None:
    if kind == "vm":
        if len(export.vms) >= MAX_WORKLOADS:
            at.fail(f"more than {MAX_WORKLOADS:,} VMs, the most a scenario holds")
        export.vms.append((read_vm(obj, at), at))
    elif kind in ("node", "vmhost"):
        if len(export.nodes if kind == "node" else export.vmhosts) >= MAX_HOSTS:
            at.fail(f"more than {MAX_HOSTS:,} hosts, the most a scenario holds")
        if kind == "node":
            export.nodes.append(read_node(obj, at))
        else:
            export.vmhosts.append(read_vmhost(obj, at))
    elif len(export.groups) >= MAX_WORKLOADS:
        at.fail(f"more than {MAX_WORKLOADS:,} cluster roles")
    else:
        export.groups.append(read_group(obj, at))


def host_key(name: str) -> str:
    """A host's name as the exports' names are compared: no case, no domain."""
    return name.strip().split(".")[0].casefold()


def _hosts(export: _Export) -> dict[str, _Host]:
    """The cluster nodes, then any host only Get-VMHost names; sizes from Get-VMHost."""
    hosts: dict[str, _Host] = {}
    for node in export.nodes:
        key = host_key(node.name)
        if key in hosts:
            export.summary.note(NODES_TWICE)
            continue
        # Only a node Down (or Unknown) is gone: a paused node keeps its VMs running and
        # takes no new ones ("Groups that are owned by a paused node remain owned by the
        # node", PauseClusterNode, learn.microsoft.com/windows/win32/api/clusapi/
        # nf-clusapi-pauseclusternode), and a joining node is on its way up.
        hosts[key] = _Host(node.name, ready=node.state in ("Up", "Paused", "Joining"))
        if node.state in _NODE_STATE_NOTES:
            export.summary.note(_NODE_STATE_NOTES[node.state])
    for vmhost in export.vmhosts:
        keys = [host_key(name) for name in vmhost.names]
        key = next((k for k in keys if k in hosts), keys[0])
        if key not in hosts:
            hosts[key] = _Host(vmhost.names[0])
            if export.nodes:
                export.summary.note(HOSTS_NOT_NODES)
        if hosts[key].size is None:
            hosts[key].size = (vmhost.logical_processors, vmhost.memory_bytes)
    return hosts


def _services(export: _Export, hosts: dict[str, _Host]) -> list[ImportedService]:
    summary = export.summary
    roles: dict[str, GroupRecord] = {}
    for group in export.groups:
        if not group.is_vm:
            summary.note(ROLES_NOT_VMS)
            continue
        if group.state == "Failed":
            summary.note(ROLES_FAILED)
        roles.setdefault(group.name.casefold(), group)
    vms = _unique_vms(export)
    names = Counter(vm.name.casefold() for vm, _ in vms)
    used_names: set[str] = set()
    services = []
    for vm, at in vms:
        role = roles.pop(vm.name.casefold(), None)
        host_name = vm.host or (role.owner if role else "")
        if role and role.owner and vm.host and host_key(role.owner) != host_key(vm.host):
            summary.note(VMS_OWNER_DIFFERS)
        host = _host_of(host_name, hosts, export, at)
        cpu, memory_mb = float(vm.processors), _memory_mb(vm, at, summary)
        if host is not None:
            host.vm_cpu += cpu
            host.vm_memory_mb += memory_mb
        name = vm.name
        if names[vm.name.casefold()] > 1:
            summary.note(VMS_SAME_NAME)
            name = _unique(f"{vm.name} ({host.name if host else 'no host'})", used_names)
        used_names.add(name.casefold())
        services.append(
            ImportedService(
                name=name,
                kind="vm",
                namespace="",
                cpu=cpu,
                memory_mb=memory_mb,
                replicas=(Placement(vm.name, host.name if host else "", _phase(vm, summary)),),
                clustered=_clustered(vm, role is not None, export.groups_given, summary),
            )
        )
        if vm.has_notes:
            summary.note(VMS_NOTES)
    if roles:  # the roles left are those no VM took
        summary.note(ROLES_WITHOUT_VM, len(roles))
    return services


def _unique_vms(export: _Export) -> list[tuple[VmRecord, JsonPath]]:
    """The VMs, each once: a VM exported twice (two overlapping Get-VM runs) has one Id."""
    seen: set[str] = set()
    out = []
    for vm, at in export.vms:
        key = vm.vm_id.casefold()
        if key and key in seen:
            export.summary.note(VMS_TWICE)
            continue
        seen.add(key)
        out.append((vm, at))
    return out


def _host_of(name: str, hosts: dict[str, _Host], export: _Export, at: JsonPath) -> _Host | None:
    name = name.strip()
    if not name:
        export.summary.note(VMS_NO_HOST)
        return None
    key = host_key(name)
    if key not in hosts:
        if len(hosts) >= MAX_HOSTS:
            (at / "ComputerName").fail(f"more than {MAX_HOSTS:,} hosts, the most a scenario holds")
        hosts[key] = _Host(name)
        if export.nodes:
            export.summary.note(HOSTS_NOT_NODES)
    return hosts[key]


def _memory_mb(vm: VmRecord, at: JsonPath, summary: ImportSummary) -> float:
    """The larger of MemoryAssigned (what a running VM holds) and MemoryStartup (what it
    needs to start again, as a failover starts it on another node): a host must have the
    one now and another host the other later.  Startup memory is "the initial amount of
    memory to be assigned to a virtual machine with dynamic memory enabled, or the total
    amount of memory to be assigned to a virtual machine with dynamic memory disabled"
    (Set-VMMemory -StartupBytes, https://learn.microsoft.com/powershell/module/hyper-v/set-vmmemory);
    a VM with dynamic memory may hold less than that once started (down to its minimum) or
    more (up to its maximum).  An off VM's MemoryAssigned is 0 (zbx-hyperv.ps1's example
    output, ``"MemoryAssigned":0, ... "State":3``: https://github.com/asand3r/zbx-hyperv), and
    so is a saved one's, whose memory is on disk: it counts at its startup memory."""
    startup = vm.startup_bytes or 0
    if vm.assigned_bytes:
        if vm.dynamic_memory:
            summary.note(VMS_DYNAMIC)
            if startup > vm.assigned_bytes:
                summary.note(VMS_DYNAMIC_BELOW_STARTUP)
        return max(vm.assigned_bytes, startup) / MIB
    if vm.startup_bytes is None:
        at.fail(
            "holds no memory (MemoryAssigned is 0 or missing) and has no MemoryStartup to count "
            "it at: export MemoryStartup"
        )
    summary.note(VMS_AT_STARTUP)
    return vm.startup_bytes / MIB


def _phase(vm: VmRecord, summary: ImportSummary) -> str:
    groups = {VM_STATE_GROUPS.get(state, "other") for state in vm.states}
    if len(vm.states) > 1:
        summary.note(VMS_STATE_NUMBER)
    if vm.states[0].startswith("State ") or vm.states[0].lower() not in VM_STATE_NAMES:
        summary.note(VMS_UNKNOWN_STATE)
    elif len(groups) == 1 and (group := groups.pop()) in _STATE_GROUP_NOTES:
        summary.note(_STATE_GROUP_NOTES[group])
    return " or ".join(vm.states)


def _clustered(vm: VmRecord, has_role: bool, groups_given: bool, summary: ImportSummary) -> bool:
    if vm.clustered is None and not groups_given:
        summary.note(VMS_CLUSTERING_UNKNOWN)
        clustered = False
    else:
        clustered = bool(vm.clustered) or has_role
        if groups_given and vm.clustered is not None and vm.clustered != has_role:
            summary.note(VMS_CLUSTERING_DISAGREES)
    if not clustered:
        summary.note(VMS_NOT_CLUSTERED)
    return clustered


def _unique(name: str, used: set[str]) -> str:
    candidate, number = name, 2
    while candidate.casefold() in used:
        candidate, number = f"{name} {number}", number + 1
    return candidate
