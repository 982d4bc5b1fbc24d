"""The states and types PowerShell's Hyper-V and failover-cluster objects carry, by number (as
Windows PowerShell 5.1's ``ConvertTo-Json`` writes an enum) and by name (PowerShell 7's
``-EnumsAsStrings``), with the sources of each table.
"""

from __future__ import annotations

from collections.abc import Mapping

# --- Get-VM's State: Microsoft.HyperV.PowerShell.VMState ------------------------------------
#
# The values up to 32782 agree in every source: the Hyper-V module's own enum (decompiled, as
# carried in public repositories), PowerShell's copy of it in
# src/System.Management.Automation/engine/remoting/commands/PSRemotingCmdlet.cs
# (https://github.com/PowerShell/PowerShell), and eryph's VirtualMachineState
# (https://github.com/eryph-org/eryph).  They follow the WMI EnabledState values of
# Msvm_ComputerSystem (https://learn.microsoft.com/windows/win32/hyperv_v2/msvm-computersystem).
VM_STATES: Mapping[int, str] = {
    1: "Other",
    2: "Running",
    3: "Off",
    4: "Stopping",
    6: "Saved",
    9: "Paused",
    10: "Starting",
    11: "Reset",
    32773: "Saving",
    32776: "Pausing",
    32777: "Resuming",
    32779: "FastSaved",
    32780: "FastSaving",
    32781: "ForceShutdown",
    32782: "ForceReboot",
}

# From 32783 on, the sources DISAGREE, because the module's enum grew: later Hyper-V modules
# insert Hibernated (32783) and ComponentServicing (32784) before the critical states, which
# moves each critical state up by two.  eryph's enum says so ("Starting from here the numerical
# values differ between the Windows versions. Hibernated and ComponentServicing are not present
# on at least Windows Server 2016").  The decompiled module carries the later numbering;
# PowerShell's PSRemotingCmdlet.cs and older code carry Windows Server 2016's.  A number in
# this range is therefore read as both names, and the summary says so: -EnumsAsStrings removes
# the doubt.
_CRITICAL = (
    "RunningCritical",
    "OffCritical",
    "StoppingCritical",
    "SavedCritical",
    "PausedCritical",
    "StartingCritical",
    "ResetCritical",
    "SavingCritical",
    "PausingCritical",
    "ResumingCritical",
    "FastSavedCritical",
    "FastSavingCritical",
)
VM_STATES_LATER: Mapping[int, str] = {
    32783: "Hibernated",
    32784: "ComponentServicing",
    **{32785 + i: name for i, name in enumerate(_CRITICAL)},
}
VM_STATES_2016: Mapping[int, str] = {32783 + i: name for i, name in enumerate(_CRITICAL)}

#: Every VM state name, by its lower case (names are read case-insensitively).
VM_STATE_NAMES: Mapping[str, str] = {
    name.lower(): name
    for name in (*VM_STATES.values(), *VM_STATES_LATER.values(), *VM_STATES_2016.values())
}

#: How the summary counts each state.  A VM that is "off" or "saved" holds no memory.
VM_STATE_GROUPS: Mapping[str, str] = {
    "Running": "running",
    "Off": "off",
    "Saved": "saved",
    "FastSaved": "saved",
    "Paused": "paused",
    **{name: "critical" for name in _CRITICAL},
}


def vm_state_names(number: int) -> tuple[str, ...]:
    """The names a VM state number has: one, two where Windows versions differ, none if
    unknown."""
    if number in VM_STATES:
        return (VM_STATES[number],)
    names = (VM_STATES_LATER.get(number), VM_STATES_2016.get(number))
    return tuple(dict.fromkeys(name for name in names if name))


# --- Get-ClusterNode's State: ClusterNodeState ----------------------------------------------
#
# CLUSTER_NODE_STATE: ClusterNodeStateUnknown = -1, ClusterNodeUp (0), ClusterNodeDown (1),
# ClusterNodePaused (2), ClusterNodeJoining (3)
# (https://learn.microsoft.com/windows/win32/api/clusapi/ne-clusapi-cluster_node_state, and the
# values spelt out in https://learn.microsoft.com/previous-versions/windows/desktop/mscs/clusnode-state).
# A paused node runs but takes no new roles; only Up counts as ready.
NODE_STATES: Mapping[int, str] = {-1: "Unknown", 0: "Up", 1: "Down", 2: "Paused", 3: "Joining"}

# --- Get-ClusterGroup's State: ClusterGroupState --------------------------------------------
#
# ClusResGroup.State: ClusterGroupStateUnknown (-1), ClusterGroupOnline (0), ClusterGroupOffline
# (1), ClusterGroupFailed (2), ClusterGroupPartialOnline (3), ClusterGroupPending (4)
# (https://learn.microsoft.com/previous-versions/windows/desktop/mscs/clusresgroup-state; the
# same in msclus.h's CLUSTER_GROUP_STATE and the windows crate's constants, ClusterGroupOnline =
# 0).  The SOURCES DISAGREE: clusapi.h's page
# (https://learn.microsoft.com/windows/win32/api/clusapi/ne-clusapi-cluster_group_state) shows
# "ClusterGroupOnline = 206"; every other source, and the header the windows crate is generated
# from, say 0, which is taken here.  Only "Failed" is counted, in the summary.
GROUP_STATES: Mapping[int, str] = {
    -1: "Unknown",
    0: "Online",
    1: "Offline",
    2: "Failed",
    3: "PartialOnline",
    4: "Pending",
}

# --- Get-ClusterGroup's GroupType: CLUSGROUP_TYPE -------------------------------------------
#
# ClusGroupTypeVirtualMachine = 111
# (https://learn.microsoft.com/windows/win32/api/clusapi/ne-clusapi-clusgroup_type); PowerShell
# names it VirtualMachine (Get-VM's example 3: "Get-ClusterGroup | ? {$_.GroupType -eq
# 'VirtualMachine' } | Get-VM", https://learn.microsoft.com/powershell/module/hyper-v/get-vm).
GROUP_TYPE_VM_NUMBER = 111
GROUP_TYPE_VM_NAME = "VirtualMachine"
