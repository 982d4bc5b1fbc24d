"""The nine rows of the comparison table (the seed text), each the subject of one lesson.

A row carries the seed's own words for both sides, and what its lesson shows: a stack
diagram (a name from ``model.stacks.DIAGRAMS``), the bundled scenario that simulates it (a
name from the scenario library, or "" where nothing happens over time), and a hint on what
to try.  A test checks that each scenario names this row as its ``lesson``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class View(StrEnum):
    """What a lesson's page shows first and largest."""

    #: The lesson's stack diagram: the layers are the lesson.
    DIAGRAM = "diagram"
    #: The simulated cluster: the lesson happens over time.
    CLUSTER = "cluster"
    #: The compatibility matrix.
    MATRIX = "matrix"


class Side(StrEnum):
    """A column of the table: the virtual-machine side or the container side."""

    VM = "vm"
    CONTAINER = "container"

    @property
    def label(self) -> str:
        return "Virtual machine" if self is Side.VM else "Container"


@dataclass(frozen=True, slots=True)
class Further:
    """A bundled scenario that takes a lesson further, opened on the lesson's page."""

    scenario: str
    #: The few words that link it, after the lesson's question.
    link: str
    #: What to try in it, in place of the lesson's own hint.
    hint: str
    #: The question its link answers, when it is not the row's ``further_title``: the links
    #: are grouped under their questions, the row's own first ("Crashed or cut off? … —
    #: At scale? …").
    question: str = ""
    #: The settings that move this scenario's outcome most, shown first in the inspector
    #: (before the lesson's own).
    key_settings: tuple[str, ...] = ()

    def asks(self, row: Row) -> str:
        """The question this scenario's link stands under on ``row``'s page."""
        return self.question or row.further_title


@dataclass(frozen=True, slots=True)
class Row:
    """A row of the seed's comparison table and the lesson that teaches it."""

    slug: str
    feature: str
    #: The seed's cell for virtual machines, word for word.
    vm: str = ""
    #: The seed's cell for containers, word for word.
    container: str = ""
    #: The stack diagram the lesson opens.
    diagram: str = "vm-vs-container"
    #: The bundled scenario the lesson opens ("" for a diagram-only lesson).
    scenario: str = ""
    #: What to try in the lesson, one or two sentences.
    hint: str = ""
    #: The settings that move this lesson's outcome most, shown first in the inspector.
    key_settings: tuple[str, ...] = ()
    #: What the page shows first and largest; the other views sit on tabs beside it.
    main_view: View = View.CLUSTER
    #: The charts that say something in this lesson, the one it opens first first (names
    #: from ``sim.chart_metrics.TITLES``); none for a lesson where nothing runs over time.
    charts: tuple[str, ...] = ()
    #: The result each world's header shows large (a ``sim.headline.Metric`` value).
    headline: str = ""
    #: The playback speed the lesson opens at (simulated seconds per second): a run of
    #: about half a minute at the speed, before "follow the story" slows its short events.
    speed: float = 10.0
    #: Scenarios that take the lesson further; they open on this lesson's page.
    further: tuple[Further, ...] = ()
    #: The question the further scenarios answer, which leads their links (a scenario may ask
    #: its own: ``Further.question``).
    further_title: str = ""

    def scenarios(self) -> tuple[str, ...]:
        """Every bundled scenario this lesson opens: its own, then the further ones."""
        return tuple(name for name in (self.scenario, *(f.scenario for f in self.further)) if name)

    def further_one(self, scenario: str) -> Further | None:
        return next((f for f in self.further if f.scenario == scenario), None)

    def cell(self, side: Side) -> str:
        return self.vm if side is Side.VM else self.container


_ROWS = (
    Row(
        "isolation",
        "Isolation",
        main_view=View.DIAGRAM,
        headline="reach",
        speed=5.0,
        vm="Provides complete isolation from the host operating system and other VMs. This is "
        "useful when a strong security boundary is critical, such as hosting apps from "
        "competing companies on the same server or cluster.",
        container="Typically provides lightweight isolation from the host and other "
        "containers, but doesn't provide as strong a security boundary as a VM. (You can "
        "increase the security by using Hyper-V isolation mode to isolate each container in "
        "a lightweight VM).",
        diagram="lesson:isolation",
        scenario="isolation",
        hint="Press Compromise (C) in the diagram and click an app: everything a kernel "
        "exploit reaches turns red. The cluster shows the same exploit's blast radius.",
    ),
    Row(
        "operating-system",
        "Operating system",
        main_view=View.DIAGRAM,
        charts=("overhead", "memory"),
        headline="instances",
        speed=10.0,
        vm="Runs a complete operating system including the kernel, thus requiring more system "
        "resources (CPU, memory, and storage).",
        container="Runs the user mode portion of an operating system, and can be tailored to "
        "contain just the needed services for your app, using fewer system resources.",
        diagram="lesson:operating-system",
        scenario="density",
        hint="Play: identical hosts fill with VMs and with containers until they are full. "
        "Raise vm.guest_memory_overhead_mb to 2048 (Desktop Experience) and watch the VM "
        "world fit fewer.",
        key_settings=(
            "vm.guest_memory_overhead_mb",
            "container.memory_overhead_mb",
            "kubernetes.max_pods_per_node",
        ),
    ),
    Row(
        "guest-compatibility",
        "Guest compatibility",
        main_view=View.MATRIX,
        vm="Runs just about any operating system inside the virtual machine",
        container="Runs on the same operating system version as the host (Hyper-V isolation "
        "enables you to run earlier versions of the same OS in a lightweight VM environment)",
        diagram="hyperv-container",
        scenario="compat",
        hint="Pick a host and a guest OS or image: Hyper-V VMs, a standalone container host and "
        "Kubernetes each answer (runs, runs unsupported, only with Hyper-V isolation, refused) "
        "and say why.",
    ),
    Row(
        "deployment",
        "Deployment",
        charts=("capacity", "memory", "availability"),
        headline="capacity",
        speed=10.0,
        vm="Deploy individual VMs by using Windows Admin Center or Hyper-V Manager; deploy "
        "multiple VMs by using PowerShell or System Center Virtual Machine Manager.",
        container="Deploy individual containers by using Docker via command line; deploy "
        "multiple containers by using an orchestrator such as Azure Kubernetes Service.",
        diagram="lesson:deployment",
        scenario="scale-out",
        hint="Play: demand rises and both worlds deploy new instances. The Capacity chart "
        "marks when each world has them all running.",
        key_settings=(
            "vm.first_boot_s",
            "vm.template_copy_gb",
            "container.servercore_start_s",
            "container.extract_mb_s",
        ),
    ),
    Row(
        "os-updates",
        "Operating system updates and upgrades",
        charts=("min-ready", "availability"),
        headline="update",
        speed=100.0,
        vm="Download and install operating system updates on each VM. Installing a new "
        "operating system version requires upgrading or often just creating an entirely new "
        "VM. This can be time-consuming, especially if you have a lot of VMs",
        container="Updating or upgrading the operating system files within a container is "
        "the same: 1. Edit your container image's build file (known as a Dockerfile) to point "
        "to the latest version of the Windows base image. 2. Rebuild your container image "
        "with this new base image. 3. Push the container image to your container registry. "
        "4. Redeploy using an orchestrator. The orchestrator provides powerful automation for "
        "doing this at scale.",
        diagram="lesson:os-updates",
        scenario="rolling-update",
        hint="Play: each VM is patched in place while the container world rebuilds its image "
        "and rolls it out. The Min ready chart shows what stays serving.",
        key_settings=(
            "vm.patch_stage_s",
            "vm.patch_offline_s",
            "vm.update_batch_percent",
            "container.image_build_s",
            "kubernetes.max_surge_percent",
            "kubernetes.max_unavailable_percent",
        ),
    ),
    Row(
        "persistent-storage",
        "Persistent storage",
        charts=("availability", "memory"),
        headline="recovery",
        speed=30.0,
        vm="Use a virtual hard disk (VHD) for local storage for a single VM, or an SMB file "
        "share for storage shared by multiple servers",
        container="Use Azure Disks for local storage for a single node, or Azure Files (SMB "
        "shares) for storage shared by multiple nodes or servers.",
        diagram="lesson:persistent-storage",
        scenario="storage",
        hint="Play: the same host fails in four worlds. The VHD on its local disk cannot fail "
        "over; the Azure Disk's pod stays Terminating, so its disk stays attached. Set "
        "kubernetes.termination_grace_period_s to 0 and "
        "kubernetes.default_unreachable_toleration_s to 10 (about 8 minutes, 6 of them the "
        "forced detach; a grace period of 0 is unsafe for StatefulSet pods), or right-click "
        "r1-h01 in a container world and confirm it is down.",
        key_settings=(
            "kubernetes.termination_grace_period_s",
            "kubernetes.default_unreachable_toleration_s",
            "kubernetes.disable_force_detach_on_timeout",
            "storage.disk_detach_s",
            "storage.disk_attach_s",
            "hyperv.resiliency_default_period_s",
        ),
    ),
    Row(
        "load-balancing",
        "Load balancing",
        charts=("cpu", "precopy", "availability"),
        headline="moves",
        speed=100.0,
        vm="Virtual machine load balancing moves running VMs to other servers in a failover "
        "cluster.",
        container="Containers themselves don't move; instead an orchestrator can automatically "
        "start or stop containers on cluster nodes to manage changes in load and "
        "availability.",
        diagram="lesson:load-balancing",
        scenario="rebalance",
        hint="Play: r2-h01's VMs get busy and a host comes back empty. The descheduler, judging "
        "requests, evicts pods to the empty node; at 30 minutes Hyper-V's VM Load Balancing "
        "moves a VM live off the node hot by use (the Pre-copy and Availability charts).",
        key_settings=(
            "hyperv.auto_balancer_mode",
            "hyperv.auto_balancer_level",
            "descheduler.interval_s",
            "descheduler.target_thresholds_percent",
            "migration.performance_option",
            "hyperv.max_simultaneous_live_migrations",
        ),
    ),
    Row(
        "fault-tolerance",
        "Fault tolerance",
        charts=("availability", "memory", "cpu"),
        headline="recovery",
        speed=30.0,
        vm="VMs can fail over to another server in a cluster, with the VM's operating system "
        "restarting on the new server.",
        container="If a cluster node fails, any containers running on it are rapidly "
        "recreated by the orchestrator on another cluster node.",
        diagram="lesson:fault-tolerance",
        scenario="failover",
        further_title="Crashed or cut off?",
        further=(
            Further(
                "partition-transient",
                "a switch fails for 3 minutes",
                "Play: rack 1 is cut off, not dead, and neither world moves a thing, yet its "
                "replicas are out of reach for 3 minutes in both. Set "
                "hyperv.resiliency_default_period_s to 10 and "
                "kubernetes.default_unreachable_toleration_s to 30: both restart what was only "
                "cut off, and the pods run twice.",
            ),
            Further(
                "split-brain",
                "split brain",
                "Play to 8 minutes: the web pods run twice, one copy out of reach; db-2 waits on "
                "its identity; the VMs run once, late. Set "
                "kubernetes.termination_grace_period_s to 0: db-2 runs twice too.",
            ),
            Further(
                "quorum",
                "quorum",
                "Play: the cloud witness gives rack 2 the cluster, etcd's majority gives it the "
                "control plane; at 15 minutes the core fails and both stop. Set hyperv.witness "
                "to none: rack 1 keeps the cluster, with no storage to run on.",
            ),
            Further(
                "at-scale",
                "a rack of 40 fails among 1,000 hosts",
                "Play: the 16 failover clusters restart their VMs at once at 6 minutes, but the "
                "8 that lost 3 of their 62 nodes have no room for 22 VMs each; the rack's nodes "
                "are tainted one every 10 s, so its last pods start at 13 min 24 s. Set "
                "kubernetes.node_eviction_rate to 0.5, or hyperv.max_cluster_nodes to 50 (each "
                "cluster loses 2 nodes: every VM restarts).",
                question="At scale?",
                key_settings=(
                    "kubernetes.node_eviction_rate",
                    "hyperv.max_cluster_nodes",
                    "kubernetes.secondary_node_eviction_rate",
                    "kubernetes.unhealthy_zone_threshold",
                ),
            ),
        ),
        hint="Play: both platforms wait on purpose, since a host that cannot be heard may still "
        "be running: VMs stay Unmonitored for 240 s, pods tolerate the unreachable taint for "
        "300 s. Set hyperv.resiliency_default_period_s to 10 and "
        "kubernetes.default_unreachable_toleration_s to 30: what is left is what has to "
        "start, a guest OS against a process.",
        key_settings=(
            "hyperv.resiliency_default_period_s",
            "hyperv.resiliency_level",
            "kubernetes.default_unreachable_toleration_s",
            "kubernetes.node_monitor_grace_period_s",
            "vm.guest_boot_s",
            "hyperv.same_subnet_threshold",
        ),
    ),
    Row(
        "networking",
        "Networking",
        main_view=View.DIAGRAM,
        vm="Uses virtual network adapters.",
        container="Uses an isolated view of a virtual network adapter, providing a little less "
        "virtualization\N{EM DASH}the host's firewall is shared with containers\N{EM DASH}"
        "while using less resources.",
        diagram="lesson:networking",
        hint="Click a virtual NIC or the firewall in the diagram to see who has one of their "
        "own and who shares it.",
    ),
)

#: The rows by slug, in the table's order.
ROWS = MappingProxyType({row.slug: row for row in _ROWS})

#: The tenth lesson: the table itself.
OVERVIEW = "overview"
OVERVIEW_TITLE = "Containers vs. virtual machines"
OVERVIEW_TEXT = (
    "Containers and VMs each have their uses. A container is an isolated, lightweight silo "
    "for running an application on the host operating system's kernel; a VM runs a complete "
    "operating system, including its own kernel."
)


def lesson_for_scenario(name: str) -> Row | None:
    """The row whose lesson opens the bundled scenario ``name``, if any."""
    return next((row for row in _ROWS if name in row.scenarios()), None)
