"""What a lesson's chapters say: one sentence for a student per kind of moment.

A chapter starts where something that matters happens: an event of the scenario (a host
fails, the update is released), the first time a world enters a phase (detection, the wait,
the boot), or a world's result.  ``sim.chapters`` finds those moments in a Timeline; this
module only holds the words, keyed by the event's kind or the phase's name as the simulation
logs it (a phase of a batch or of one VM, "batch 2: boot" or "app-4: blackout", is keyed by
what follows its colon).  The sentences carry no figures: a changed setting moves the
chapters, and their words stay true.
"""

from __future__ import annotations

import re
from types import MappingProxyType

from vmc_gui.model.events import EventKind

#: What an event of the scenario does, as the chapter it starts says it.
EVENTS: MappingProxyType[EventKind, tuple[str, str]] = MappingProxyType(
    {
        EventKind.HOST_FAIL: (
            "{host} fails",
            "A host crashes: everything running on it stops, and the other hosts can only "
            "notice that they no longer hear from it.",
        ),
        EventKind.RACK_FAIL: (
            "rack {rack} fails",
            "A whole rack goes down at once: every host in it stops.",
        ),
        EventKind.ZONE_FAIL: (
            "zone {zone} fails",
            "A whole zone goes down at once (its power or its cooling): every host in its "
            "racks stops.",
        ),
        EventKind.HOST_RECOVER: (
            "{host} comes back",
            "The host is back, empty: what moved away does not come back by itself.",
        ),
        EventKind.SCALE: (
            "demand changes",
            "The service needs more instances: each world deploys them its own way.",
        ),
        EventKind.UPDATE: (
            "the update is released",
            "A new operating system update is out: every instance needs it.",
        ),
        EventKind.EXPLOIT: (
            "the exploit lands",
            "An attacker inside one tenant's app breaks into the kernel under it.",
        ),
        EventKind.LOAD: (
            "{host} gets busy",
            "The instances on one host start using more CPU: the host runs hot.",
        ),
        EventKind.DRAIN: (
            "{host} is drained",
            "An operator empties a host for maintenance: its instances must go elsewhere.",
        ),
        EventKind.REBALANCE: (
            "rebalancing",
            "The platform moves load off a busy host.",
        ),
        EventKind.OUT_OF_SERVICE: (
            "{host} confirmed down",
            "An operator confirms the host is down, so the platform need not wait any more.",
        ),
        EventKind.SET: (
            "a setting changes",
            "A setting changes in the middle of the run.",
        ),
        EventKind.SWITCH_FAIL: (
            "{switch} fails",
            "A switch stops forwarding: the hosts behind it are cut off, not dead. They keep "
            "running, and the others cannot tell the difference.",
        ),
        EventKind.SWITCH_RECOVER: (
            "{switch} is back",
            "The switch forwards again: the cut-off hosts are heard again, and each platform "
            "settles what ran on both sides.",
        ),
        EventKind.LINK_FAIL: (
            "the link {a} to {b} is cut",
            "A cable is cut: whatever is behind it is cut off, still running.",
        ),
        EventKind.LINK_RECOVER: (
            "the link {a} to {b} is back",
            "The cable carries traffic again: the two sides hear each other again.",
        ),
    }
)

#: What a phase is, by its name in the simulation's log (after any "batch 2: " prefix).
PHASES: MappingProxyType[str, str] = MappingProxyType(
    {
        "heartbeat detection": "The failover cluster's nodes miss the host's heartbeats; after "
        "enough missed in a row they count it as gone.",
        "isolated: VMs unmonitored": "The host may only be cut off and still running its VMs, "
        "so the cluster leaves them Unmonitored and waits before starting them elsewhere.",
        "node-monitor grace period": "The node stops renewing its lease; when the grace period "
        "runs out the control plane marks it not ready and taints it unreachable.",
        "unreachable toleration": "The node may only be cut off, so its pods tolerate the "
        "unreachable taint for a while before they are evicted and replaced.",
        "scheduling": "The scheduler picks a node for each new pod.",
        "image pull": "The node downloads and unpacks the container image, unless it has it.",
        "container start": "The container's process starts: there is no operating system to boot.",
        "guest boot": "The VM starts on another host and its whole guest operating system "
        "boots again.",
        "app start": "The app starts inside the instance, which then counts as ready.",
        "VHDX copied from the template": "Each new VM gets a copy of the template's virtual "
        "hard disk.",
        "first boot (setup)": "Each new VM boots for the first time and runs Windows setup.",
        "utility VM boot": "Each Hyper-V-isolated container first boots a small utility VM "
        "with a kernel of its own.",
        "patch download (serving)": "Each VM downloads the update while it keeps serving.",
        "patch staged (serving)": "Each VM installs what it can of the update while it keeps "
        "serving.",
        "reboot, installing": "A batch of VMs restarts to finish installing the update: out "
        "of service until they are back.",
        "boot": "The batch's guest operating systems boot again.",
        "image build": "The container image is rebuilt on the new base image, once.",
        "image push": "The new image is pushed to the registry, ready for every node.",
        "migration setup": "Live migration prepares the VM's place on the other host.",
        "pre-copy round": "The VM's memory is copied to the other host while it keeps "
        "running; each round copies again what changed meanwhile.",
        "blackout": "The VM pauses for a moment while its last memory pages and state move, "
        "then runs on the new host: the same VM, its memory kept.",
    }
)

#: A world reaching the lesson's result.
RESULT = (
    "The result the lesson measures: the world's large result stops counting here. Compare it "
    "with the other worlds'."
)

#: The run before anything happens.
OPENING = (
    "Every world runs the same service on the same hosts. Play, or step to the next "
    "chapter, to watch what happens."
)


#: The episode number the engine gives a phase's second and later stretches.
_EPISODE = re.compile(r" \(\d+\)$")


def phase_kind(name: str) -> str:
    """A phase's kind: its name without the batch's or the VM's prefix, and without a
    round's number ("app-4: pre-copy round 2" is "pre-copy round")."""
    name = _EPISODE.sub("", name)  # "heartbeat detection (2)": the phase's second episode
    kind = name.rsplit(": ", 1)[-1] if ": " in name and name not in PHASES else name
    if kind.startswith("pre-copy round"):
        return "pre-copy round"
    return kind
