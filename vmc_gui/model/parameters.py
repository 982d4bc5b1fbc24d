"""The platform parameters: each real setting's name, documented default, range and source.

This table is the single lookup that the scenario loader, ``vmc-gui simulate --set`` and the
UI's tooltips all use.  A default that was not taken from a document is marked ``assumed`` so
that the UI can say so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

Value = int | float


class ParameterError(ValueError):
    """A parameter name or value that cannot be used; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Parameter:
    """One tunable platform setting with its documented default and where it is documented."""

    name: str
    default: Value
    minimum: Value
    maximum: Value
    unit: str
    summary: str
    #: A few plain words for the UI, beside the real name ("How long VMs stay Unmonitored").
    label: str = ""
    #: The document the default comes from, as its title reads (with its publisher).
    source_title: str = ""
    #: Where a reader can check it (https); empty only while a source is still to be linked.
    source_url: str = ""
    #: What the sources say beyond the figure: versions, disagreements and which we chose,
    #: or, for an assumed default, why no source gives one.
    note: str = ""
    #: True when the default is our inference, not a document's.
    assumed: bool = False
    #: A rule the model applies with this setting that no source states outright (the
    #: figure itself documented); empty when there is none.
    assumed_rule: str = ""
    #: Other documented values, by the condition they hold for (for example the older default).
    variants: Mapping[str, Value] = field(default_factory=dict)
    #: False for settings that shape the cluster and so cannot change during a run.
    live: bool = True

    @property
    def source(self) -> str:
        """The source in one line: its title, and its address when there is one."""
        if self.source_title and self.source_url:
            return f"{self.source_title} <{self.source_url}>"
        return self.source_title or self.source_url

    @property
    def integer(self) -> bool:
        return isinstance(self.default, int)

    def coerce(self, raw: object) -> Value:
        """Return ``raw`` as this parameter's type, or raise ParameterError naming the problem."""
        if isinstance(raw, str):
            raw = self._parse_text(raw)
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise ParameterError(
                f"{self.name} takes a number in {self.unit}, not {type(raw).__name__}"
            )
        if self.integer:
            if isinstance(raw, float) and not raw.is_integer():
                raise ParameterError(f"{self.name} takes a whole number, not {raw:g}")
            value: Value = int(raw)
        else:
            value = float(raw)
            if not math.isfinite(value):
                raise ParameterError(f"{self.name} takes a finite number, not {raw}")
        if not self.minimum <= value <= self.maximum:
            raise ParameterError(
                f"{self.name} = {value:g} is outside {self.minimum:g}..{self.maximum:g} {self.unit}"
            )
        return value

    def _parse_text(self, text: str) -> Value:
        text = text.strip()
        for label, value in self.variants.items():
            if text.casefold() == _slug(label):
                return value
        try:
            return int(text) if self.integer and text.lstrip("+-").isdigit() else float(text)
        except ValueError:
            known = ", ".join(_slug(label) for label in self.variants)
            hint = f" or one of: {known}" if known else ""
            raise ParameterError(
                f"{self.name} takes a number in {self.unit}{hint}, not {text!r}"
            ) from None

    def value_names(self) -> dict[int, str] | None:
        """The name of each value, where the documented variants name every value in range
        (a choice such as migration.performance_option); None otherwise."""
        if not self.integer or not self.variants:
            return None
        names = {int(v): label for label, v in self.variants.items()}
        values = range(int(self.minimum), int(self.maximum) + 1)
        return names if set(values) <= set(names) else None

    def describe(self, value: Value) -> str:
        """``value`` as a user reads it: its name for a choice, else the number and unit."""
        names = self.value_names()
        if names is not None and int(value) in names:
            return names[int(value)]
        return f"{value:g} {self.unit}".strip()

    def describe_default(self) -> str:
        """The default as a reader of the source would quote it, variants included."""
        text = f"{self.default:g} {self.unit}".strip()
        if self.variants:
            text += " (" + "; ".join(f"{v:g} {k}" for k, v in self.variants.items()) + ")"
        return text + (" [assumed]" if self.assumed else "")


def _slug(label: str) -> str:
    return "-".join(label.casefold().replace("+", "-plus").split())


# --- Sources, each once: (title, address) -------------------------------------------------
# Hyper-V failover clustering.
_MSCS = "https://learn.microsoft.com/en-us/previous-versions/windows/desktop/mscs/"
_SAME_SUBNET_THRESHOLD = (
    "Microsoft Learn, 'IaaS with SQL AlwaysOn - Tuning Failover Cluster Network Thresholds'",
    "https://learn.microsoft.com/en-us/windows-server/troubleshoot/iaas-sql-failover-cluster",
)
_SAME_SUBNET_DELAY = ("Microsoft Learn, 'SameSubnetDelay'", _MSCS + "clusters-samesubnetdelay")
_RESILIENCY_BLOG = (
    "Microsoft Failover Clustering blog, 'Virtual Machine Compute Resiliency in Windows "
    "Server 2016'",
    "https://techcommunity.microsoft.com/t5/failover-clustering/"
    "virtual-machine-compute-resiliency-in-windows-server-2016/ba-p/372027",
)
_PETRI = (
    "Petri, 'Configuring Windows Server 2016 Hyper-V Compute Resiliency' (Aidan Finn, 2017)",
    "https://petri.com/configuring-windows-server-2016-hyper-v-compute-resiliency/",
)
_STRETCH = (
    "Microsoft Learn, 'Stretch cluster replication using shared storage' (Storage Replica)",
    "https://learn.microsoft.com/en-us/windows-server/storage/storage-replica/"
    "stretch-cluster-replication-using-shared-storage",
)
_QA_POWER_OFF = (
    "Microsoft Q&A, 'How to minimize the failover time in Microsoft Hyper V Failover Cluster'",
    "https://learn.microsoft.com/en-us/answers/questions/5642331/"
    "how-to-minimize-the-failover-time-in-microsoft-hyp",
)
_QUORUM = (
    "Microsoft Learn, 'Understanding cluster and pool quorum'",
    "https://learn.microsoft.com/en-us/windows-server/storage/storage-spaces/quorum",
)
_DEPLOY_WITNESS = (
    "Microsoft Learn, 'Deploy a quorum witness'",
    "https://learn.microsoft.com/en-us/windows-server/failover-clustering/deploy-quorum-witness",
)
_MANAGE_QUORUM = (
    "Microsoft Learn, 'Configure and manage quorum'",
    "https://learn.microsoft.com/en-us/windows-server/failover-clustering/manage-cluster-quorum",
)
_CRITICAL_ERROR_ACTION = (
    "Microsoft Learn, 'Msvm_VirtualSystemSettingData class': AutomaticCriticalErrorActionTimeout",
    "https://learn.microsoft.com/en-us/windows/win32/hyperv_v2/msvm-virtualsystemsettingdata",
)
_HYPERV_SCALE = (
    "Microsoft Learn, 'Plan for Hyper-V scalability in Windows Server'",
    "https://learn.microsoft.com/en-us/windows-server/virtualization/hyper-v/plan/"
    "plan-hyper-v-scalability-in-windows-server",
)
_HARDWARE = (
    "Microsoft Learn, 'Hardware requirements for Windows Server'",
    "https://learn.microsoft.com/en-us/windows-server/get-started/hardware-requirements",
)
_DEPLOYMENT = (
    "Kubernetes docs, 'Deployments': rolling update",
    "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/",
)
# Live migration.
_LM_HOSTS = (
    "Microsoft Learn, 'Set up hosts for live migration without Failover Clustering'",
    "https://learn.microsoft.com/en-us/windows-server/virtualization/hyper-v/deploy/"
    "Set-up-hosts-for-live-migration-without-Failover-Clustering",
)
_LM_OVERVIEW = (
    "Microsoft Learn, 'Virtual Machine Live Migration Overview' (Windows Server 2012 R2)",
    "https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/"
    "windows-server-2012-r2-and-2012/hh831435(v=ws.11)",
)
_CLUSTER_PARALLEL = (
    "Microsoft Failover Clustering blog, 'New Cluster-Wide Control For Virtual Machine Live "
    "Migrations'",
    "https://techcommunity.microsoft.com/t5/failover-clustering/"
    "new-cluster-wide-control-for-virtual-machine-live-migrations-in/ba-p/3709680",
)
_ARMSTRONG_COMPRESSION = (
    "Ben Armstrong (Microsoft), 'Faster Live Migration with Compression in Windows Server 2012 R2'",
    "https://blogs.msdn.microsoft.com/virtual_pc_guy/2013/10/29/"
    "faster-live-migration-with-compression-in-windows-server-2012-r2/",
)
_FINN_512 = (
    "Aidan Finn, 'Windows Server 2012 Hyper-V Concurrent Live Migration & NIC Teaming Speed "
    "Comparisons'",
    "https://aidanfinn.com/?p=12228",
)
_HOLMAN = (
    "Kevin Holman (Microsoft), 'Hyper-V, Live Migration, and the upgrade to 10 gigabit Ethernet'",
    "https://blogs.technet.microsoft.com/kevinholman/2013/07/01/"
    "hyper-v-live-migration-and-the-upgrade-to-10-gigabit-ethernet/",
)
_CLARK = (
    "Clark et al., 'Live Migration of Virtual Machines', NSDI 2005",
    "https://www.usenix.org/legacy/event/nsdi05/tech/full_papers/clark/clark.pdf",
)
# Kubernetes.
_KCM = (
    "Kubernetes docs, 'kube-controller-manager' (command-line reference)",
    "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/",
)
_EVICTION_RATES = (
    "Kubernetes docs, 'Nodes': Rate limits on eviction",
    "https://kubernetes.io/docs/concepts/architecture/nodes/#rate-limits-on-eviction",
)
_KUBELET_CONFIG = (
    "Kubernetes docs, 'Kubelet Configuration (v1beta1)'",
    "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
)
_TAINT_EVICTIONS = (
    "Kubernetes docs, 'Taints and Tolerations': taint based evictions",
    "https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/"
    "#taint-based-evictions",
)
_POD_TERMINATION = (
    "Kubernetes docs, 'Pod Lifecycle': termination of Pods",
    "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination",
)
_FORCED_DETACH = (
    "Kubernetes docs, 'Node Shutdowns': forced storage detach on timeout",
    "https://kubernetes.io/docs/concepts/cluster-administration/node-shutdown/"
    "#storage-force-detach-on-timeout",
)
_K8S_LARGE = (
    "Kubernetes docs, 'Considerations for large clusters'",
    "https://kubernetes.io/docs/setup/best-practices/cluster-large/",
)
_HA_TOPOLOGY = (
    "Kubernetes docs, 'Options for Highly Available Topology' (kubeadm)",
    "https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/ha-topology/",
)
_ETCD_FAQ = ("etcd docs, 'Frequently Asked Questions (FAQ)'", "https://etcd.io/docs/v3.6/faq/")
_MULTI_ZONE = (
    "Kubernetes docs, 'Running in multiple zones': control plane behavior",
    "https://kubernetes.io/docs/setup/best-practices/multiple-zones/#control-plane-behavior",
)
_ETCD_PRODUCTION = (
    "Kubernetes docs, 'Operating etcd clusters for Kubernetes'",
    "https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/",
)
# Load balancing.
_VMLB_DEEP_DIVE = (
    "Microsoft Learn, 'Virtual Machine Load Balancing deep-dive'",
    "https://learn.microsoft.com/en-us/windows-server/failover-clustering/"
    "vm-load-balancing-deep-dive",
)
_DESCHEDULER = (
    "kubernetes-sigs/descheduler README: LowNodeUtilization",
    "https://github.com/kubernetes-sigs/descheduler/blob/master/README.md#lownodeutilization",
)
# Updates.
_UPDATE_COMMIT = (
    "Microsoft Learn, 'How Windows Update works'",
    "https://learn.microsoft.com/en-us/windows/deployment/update/how-windows-update-works",
)
# Creating VMs and starting containers.
_QUICK_PROVISIONING = (
    "Jose Barreto (Microsoft), 'Windows Server 2012 Hyper-V over SMB: Quick Provisioning a VM "
    "on an SMB File Share'",
    "https://learn.microsoft.com/en-us/archive/blogs/josebda/"
    "windows-server-2012-hyper-v-over-smb-quick-provisioning-a-vm-on-an-smb-file-share",
)
_WINDOWS_FIRST_BOOT = (
    "Johannes Passing, 'Understanding Windows VM initialization on Google Cloud' (2020)",
    "https://jpassing.com/2020/03/05/understanding-windows-vm-initialization-on-google-cloud/",
)
_CONTAINER_START_REPORT = (
    "microsoft/Windows-Containers#478, container start times (a user's measurements)",
    "https://github.com/microsoft/Windows-Containers/issues/478",
)
_CONTAINER_PERF = (
    "Microsoft docs, 'Performance tuning Windows Server containers'",
    "https://docs.microsoft.com/en-us/windows-server/administration/performance-tuning/role/"
    "windows-server-container/index",
)
_CONTAINER_REQUIREMENTS = (
    "Microsoft Learn, 'Windows container requirements' (its Windows Server 2016 memory table)",
    "https://learn.microsoft.com/en-us/virtualization/windowscontainers/deploy-containers/"
    "system-requirements",
)
_NANOSERVER_LAYER = (
    "containerd's copy of mcr.microsoft.com/windows/nanoserver:1809 (one layer of 101,074,931 "
    "bytes)",
    "https://github.com/orgs/containerd/packages/container/windows%2Fnanoserver/116129940",
)
_SMALLER_IMAGES = (
    "Microsoft Containers blog, 'Reducing the size of Windows Server Container Images - Part 1'",
    "https://techcommunity.microsoft.com/t5/containers/"
    "reducing-the-size-of-windows-server-container-images-part-1/ba-p/3712738",
)
_EXTRACT_REPORT = (
    "microsoft/Windows-Containers#607, slow image extraction (acknowledged by Microsoft)",
    "https://github.com/microsoft/Windows-Containers/issues/607",
)
# Azure Disks.
_DISK_RECOVERY = (
    "azuredisk-csi-driver, 'Azure Disk volume mount recovery in node shutdown scenario'",
    "https://github.com/kubernetes-sigs/azuredisk-csi-driver/blob/master/docs/known-issues/"
    "node-shutdown-recovery/README.md",
)

_PARAMETERS: tuple[Parameter, ...] = (
    # --- Hyper-V failover clustering -------------------------------------------------------
    Parameter(
        "hyperv.same_subnet_delay_ms",
        label="How often hosts check on each other",
        default=1000,
        minimum=250,
        maximum=2000,
        unit="ms",
        summary="Interval between cluster heartbeats to nodes on the same subnet",
        source_title=_SAME_SUBNET_DELAY[0],
        source_url=_SAME_SUBNET_DELAY[1],
        note="The property's reference page: minimum 250, maximum 2000, default 1000; the same "
        "default in every version since Windows Server 2008.",
    ),
    Parameter(
        "hyperv.same_subnet_threshold",
        label="Missed check-ins before a host is out",
        default=10,
        minimum=3,
        maximum=120,
        unit="heartbeats",
        summary="Missed heartbeats in a row before a node is removed from active membership",
        source_title=_SAME_SUBNET_THRESHOLD[0],
        source_url=_SAME_SUBNET_THRESHOLD[1],
        note="'By default Windows Server 2016 sets the SameSubnetThreshold to 10.' Before, the "
        "default was 5 (2008 to 2012 R2; the property's reference page, which dates from 2012, "
        "still says 5); in 2012 R2 it was raised once Hyper-V VMs were present (Windows IT Pro, "
        "'What are the defaults for Windows Server 2016 Failover Clusters related to latency?', "
        "http://windowsitpro.com/windows-server-2016/what-are-defaults-2016-latency-settings, "
        "says 2016's defaults 'essentially match the values previously used only when Hyper-V "
        "was present'). Microsoft Learn's SQL Server on Azure VMs HADR guide gives 20 for "
        "Windows Server 2019; no other source we found says so. We keep 10: three sources "
        "agree on it for Windows Server 2016. Range 3 to 120 from the reference page.",
        variants={
            "Windows Server 2016": 10,
            "Windows Server 2019": 20,
            "Windows Server 2008 to 2012 R2": 5,
        },
    ),
    Parameter(
        "hyperv.resiliency_level",
        label="Wait on a silent host, or fail over now",
        default=2,
        minimum=1,
        maximum=2,
        unit="level",
        summary="VM compute resiliency: 2 (AlwaysIsolate) isolates a node that drops out of "
        "membership and waits before failing its VMs over; 1 (IsolateOnSpecialHeartbeat) "
        "fails a node that just vanished over at once",
        source_title=_PETRI[0],
        source_url=_PETRI[1],
        note="Windows Server 2016 and later. Petri: 'on by default (setting of 2 or "
        "AlwaysIsolate)', as the clustering team's blog (" + _RESILIENCY_BLOG[1] + ") "
        "describes the feature. Microsoft Learn's reference page for the property "
        "(" + _MSCS + "resiliencylevel) lists the default as 1, and the blog Working Hard In "
        "IT (blog.workinghardinit.work) says the old 'Default' keyword meant "
        "IsolateOnSpecialHeartbeat, which 'is no longer the default at installation': the "
        "sources disagree, and we follow the clustering team's blog and Petri, whose "
        "descriptions match what clusters do out of the box. "
        "That a crashed node is isolated too (the survivors cannot tell a crash from a cut-off "
        "node) is our inference: see hyperv.resiliency_default_period_s.",
        variants={"AlwaysIsolate": 2, "IsolateOnSpecialHeartbeat": 1},
    ),
    Parameter(
        "hyperv.resiliency_default_period_s",
        label="How long VMs stay Unmonitored",
        default=240,
        minimum=0,
        maximum=604800,
        unit="s",
        summary="How long an isolated node's VMs stay Unmonitored before the cluster fails them "
        "over; 0 turns resiliency off",
        source_title="Microsoft Learn, 'ResiliencyDefaultPeriod'",
        source_url=_MSCS + "resiliencydefaultperiod",
        note="Default 240, range 0 to 0xFFFFFFFF (the app stops at 7 days, its longest run); 0 "
        "disables VM resiliency (Storage Replica FAQ). Storage Replica's stretch-cluster guide "
        "(" + _STRETCH[1] + ") sets 10 'so that guests do not pause for long during node "
        "failures'. No Microsoft page says outright that a powered-off node waits out the "
        "period too; we model it so, because the guide ties the period to node failures, the "
        "Azure Stack HCI stretched-cluster guidance speaks of lowering it for 'accelerated "
        "failover', and a Microsoft Q&A thread (" + _QA_POWER_OFF[1] + ") reports a VM "
        "failing over 5 minutes after a Windows Server 2022 node was powered off. The sources "
        "describe only an isolated node whose VMs kept running; that a node which reboots "
        "within the period restarts its own VMs is our inference too.",
        assumed_rule="a powered-off node is isolated and waits out the period, as a node cut "
        "off does; a node back within the period starts its own VMs again",
        variants={"Windows Server 2016+": 240, "Storage Replica stretch cluster": 10, "off": 0},
    ),
    Parameter(
        "hyperv.quarantine_threshold",
        label="Crashes in an hour before quarantine",
        default=3,
        minimum=1,
        maximum=1000,
        unit="exits per hour",
        summary="Ungraceful exits from the cluster within an hour after which a node is "
        "quarantined",
        source_title=_RESILIENCY_BLOG[0],
        source_url=_RESILIENCY_BLOG[1],
        note="Windows Server 2016 and later. Three exits within an hour: John Savill, "
        "'Mastering Windows Server 2016 Hyper-V' (Sybex, 2017), and Petri (" + _PETRI[1] + "). "
        "Microsoft Learn's reference page (" + _MSCS + "quarantinethreshold) also gives 3 but "
        "calls the unit minutes; we follow the blog and the book, which count exits.",
    ),
    Parameter(
        "hyperv.quarantine_duration_s",
        label="How long a quarantined host sits out",
        default=7200,
        minimum=0,
        maximum=604800,
        unit="s",
        summary="How long a quarantined node may not rejoin the cluster or host VMs",
        source_title=_RESILIENCY_BLOG[0],
        source_url=_RESILIENCY_BLOG[1],
        note="Windows Server 2016 and later. 'Default: 2 hours' (the blog); 7,200 s in Savill's "
        "'Mastering Windows Server 2016 Hyper-V'. Microsoft Learn's reference page "
        "(" + _MSCS + "quarantineduration) lists 0; we follow the blog and the book. At most 25 % "
        "of a cluster's nodes are quarantined at once (Savill), one in a two- or three-node "
        "cluster (urtech.ca and other third-party write-ups; no Microsoft page we could read).",
    ),
    Parameter(
        "hyperv.witness",
        label="The cluster's tie-breaking vote",
        default=1,
        minimum=0,
        maximum=2,
        unit="option",
        summary="Where the failover cluster's witness is, whose vote decides an even split: 0 "
        "none, 1 a cloud witness (Azure Blob storage, reached through the core switch), 2 a "
        "file share witness on a host (or on a file server on the core)",
        source_title=_QUORUM[0],
        source_url=_QUORUM[1],
        note="'If you have internet access, use a cloud witness. If you're in an IT environment "
        "with other machines and file shares, use a file share witness.' The page's third "
        "kind, the disk witness, is 'a small clustered disk'; with three or four nodes a "
        "witness is 'strongly recommended', and 'Deploy a quorum witness' "
        "(" + _DEPLOY_WITNESS[1] + ") says 'We recommend you always configure a witness'. We "
        "take cloud: it is Microsoft's first recommendation; a disk witness needs shared block "
        "storage, and the model's storage is an SMB 3 share; and a witness outside every rack "
        "gives each rack the 'equal opportunity' to survive a cut that 'Configure and manage "
        "quorum' (" + _MANAGE_QUORUM[1] + ") asks of a file share witness. The witness's vote "
        "counts on the side that reaches it, and dynamic witness gives it a vote only when "
        "the voting nodes are even, so the total stays odd; with no witness, dynamic quorum "
        "zeroes 'one unlucky node's vote' in an even cluster instead.",
        assumed_rule="a cloud witness is reached through the core switch, as the internet is; "
        "with no witness, the node whose vote is zeroed is the last in cluster order",
        variants={"none": 0, "cloud": 1, "file_share": 2},
        live=False,
    ),
    Parameter(
        "hyperv.critical_pause_timeout_s",
        label="How long a VM waits paused for storage",
        default=1800,
        minimum=0,
        maximum=604800,
        unit="s",
        summary="How long a VM that lost its storage stays Paused-Critical before Hyper-V "
        "powers it off; 0 powers it off at once",
        source_title=_CRITICAL_ERROR_ACTION[0],
        source_url=_CRITICAL_ERROR_ACTION[1],
        note="The default is secondary: neither this page nor Set-VM "
        "(https://learn.microsoft.com/en-us/powershell/module/hyper-v/set-vm, which takes it "
        "in minutes) gives one, and the 30 minutes come from third-party pages only "
        "(innovativeii.com, http://innovativeii.com/vm-storage-resiliency/: 'The default is "
        "30 min and it can be set on a per VM basis'). The property: 'Once the timeout "
        "expires, the VM will be powered off. The value will be rounded up to the nearest "
        "minute. A value of 0 implies that the VM should be powered off immediately'. The pause "
        "is Windows Server 2016's storage resiliency: 'When a VM disconnects from its "
        "underlying storage, it pauses and waits for storage to recover' ('What's new in "
        "Windows Server 2016', https://learn.microsoft.com/en-us/windows-server/get-started/"
        "whats-new-in-windows-server-2016); Savill's 'Mastering Windows Server 2016 Hyper-V' "
        "calls the state Paused-Critical. No source ties the timeout to the cluster's "
        "resiliency period (hyperv.resiliency_default_period_s).",
        assumed_rule="the timeout and the resiliency period run apart: a paused copy left on a "
        "cut-off host is powered off after this long or when its host rejoins, whichever "
        "comes first",
    ),
    Parameter(
        "hyperv.max_vms_per_host",
        label="Most VMs running on one host",
        default=1024,
        minimum=1,
        maximum=1024,
        unit="VMs",
        summary="Running VMs per Hyper-V host",
        source_title=_HYPERV_SCALE[0],
        source_url=_HYPERV_SCALE[1],
    ),
    Parameter(
        "hyperv.max_cluster_nodes",
        label="Most hosts in one cluster",
        default=64,
        minimum=1,
        maximum=64,
        unit="nodes",
        summary="Nodes per failover cluster; larger estates are split into several clusters",
        source_title=_HYPERV_SCALE[0],
        source_url=_HYPERV_SCALE[1],
        live=False,
    ),
    Parameter(
        "hyperv.max_cluster_vms",
        label="Most VMs in one cluster",
        default=8000,
        minimum=1,
        maximum=8000,
        unit="VMs",
        summary="Clustered VMs per failover cluster",
        source_title=_HYPERV_SCALE[0],
        source_url=_HYPERV_SCALE[1],
    ),
    # --- The guest inside each VM ---------------------------------------------------------
    Parameter(
        "vm.guest_boot_s",
        label="Time for a VM's own OS to boot",
        default=45.0,
        minimum=1.0,
        maximum=3600.0,
        unit="s",
        summary="An installed guest's boot, from VM start to its services running (a failover's "
        "restart, a reboot after patching)",
        note="Assumed: no Microsoft page gives a boot time for a Windows Server guest on "
        "Hyper-V. 45 s is a Server Core guest on SSD-backed storage; a new VM's first boot runs "
        "setup too and takes longer (vm.first_boot_s).",
        assumed=True,
    ),
    Parameter(
        "vm.app_start_s",
        label="Time for the app to start in a VM",
        default=5.0,
        minimum=0.0,
        maximum=3600.0,
        unit="s",
        summary="The app's service start inside a booted guest",
        note="Assumed: the app is ours, and so is its start; a Windows service that listens "
        "within seconds.",
        assumed=True,
    ),
    Parameter(
        "vm.guest_memory_overhead_mb",
        label="Memory each VM's own OS uses",
        default=512,
        minimum=0,
        maximum=65536,
        unit="MB",
        summary="Memory the guest OS itself needs, on top of the app",
        source_title=_HARDWARE[0],
        source_url=_HARDWARE[1],
        note="Minimum RAM: '512 MB for Server Core', '2 GB for Server with Desktop "
        "Experience' (4 GB recommended for Windows Server 2025).",
        variants={"Server Core": 512, "Desktop Experience": 2048},
    ),
    Parameter(
        "vm.guest_disk_gb",
        label="Disk each VM's own OS uses",
        default=32,
        minimum=1,
        maximum=4096,
        unit="GB",
        summary="Disk the guest OS needs",
        source_title=_HARDWARE[0],
        source_url=_HARDWARE[1],
        note="'32 GB' is the 'absolute minimum' system partition; Server Core needs about 4 GB "
        "less than Desktop Experience.",
    ),
    Parameter(
        "vm.template_copy_gb",
        label="Data copied to make a new VM",
        default=10.0,
        minimum=0.0,
        maximum=4096.0,
        unit="GB",
        summary="What creating a VM from the template copies: the generalized VHDX (0 for a "
        "differencing disk on the template)",
        source_title=_QUICK_PROVISIONING[0],
        source_url=_QUICK_PROVISIONING[1],
        note="Assumed size: a generalized Server Core VHDX holds about 10 GB (the 32 GB minimum "
        "partition is mostly free). Microsoft's File Server team: 'Creating a differential VHD "
        "is practically instantaneous', while copying the base 'will typically ... take "
        "longer to complete, since most base VHD files are a few gigabytes in size'.",
        assumed=True,
        variants={"copied Server Core VHDX": 10, "differencing disk": 0},
    ),
    Parameter(
        "vm.disk_copy_mb_s",
        label="How fast a new VM's disk is copied",
        default=500.0,
        minimum=1.0,
        maximum=100000.0,
        unit="MB/s",
        summary="How fast the cluster's storage copies a template VHDX for a new VM",
        note="Assumed: the storage's sequential copy rate (SSD or SAN; ODX offloads can be "
        "faster). Microsoft gives no figure.",
        assumed=True,
    ),
    Parameter(
        "vm.first_boot_s",
        label="A new VM's first boot and setup",
        default=120.0,
        minimum=1.0,
        maximum=7200.0,
        unit="s",
        summary="A new VM's first boot from a generalized image, setup (specialize) included, "
        "until its services run",
        source_title=_WINDOWS_FIRST_BOOT[0],
        source_url=_WINDOWS_FIRST_BOOT[1],
        note="'A Linux instance boots in about 30 seconds while a Windows instance takes a full "
        "2 minutes to turn up', much of it 'the trouble of cloning Windows installations' "
        "(Google Compute Engine, 2020): the nearest published figure, and it includes the "
        "boot, so nothing else is added. Others are longer: AWS says a Windows instance's "
        "launch steps 'include several reboots, and often take 15 minutes or longer' (EC2 "
        "Fast Launch), and Mao & Humphrey (IEEE CLOUD 2012) measured 810 s on EC2; Azure "
        "publishes no figure.",
        assumed_rule="a figure from Google Compute Engine stands for a first boot on "
        "on-premises Hyper-V",
    ),
    Parameter(
        "vm.patch_download_s",
        label="Time to download an update in a VM",
        default=60.0,
        minimum=0.0,
        maximum=86400.0,
        unit="s",
        summary="Downloading a monthly cumulative update inside one guest, which keeps serving",
        source_title=_UPDATE_COMMIT[0],
        source_url=_UPDATE_COMMIT[1],
        note="Assumed: Microsoft gives neither a Server cumulative update's size nor a rate. "
        "Full cumulative updates run to about 1 to 1.5 GB (secondary sources; express and "
        "checkpoint updates are smaller): 60 s is about 1 GB from a WSUS server on the local "
        "network. Windows Update downloads and stages updates 'in the background without "
        "interrupting your normal use of the device'.",
        assumed=True,
    ),
    Parameter(
        "vm.patch_stage_s",
        label="Installing an update, VM still serving",
        default=600.0,
        minimum=0.0,
        maximum=86400.0,
        unit="s",
        summary="Installing (staging) the update inside one guest while it keeps serving; the "
        "reboot finishes the install",
        source_title=_UPDATE_COMMIT[0],
        source_url=_UPDATE_COMMIT[1],
        note="Assumed duration. 'The arbiter stages the downloaded files', then 'calls the "
        "installer to install the package', all in the background; at Commit the "
        "'Orchestrator starts a restart. The arbiter finalizes before the restart.' WSUS's "
        "InstalledPendingReboot: 'installed on the client computer, but the update does not "
        "take effect until the user restarts'. So the guest serves while it stages, and is "
        "out of service for the restart (vm.patch_offline_s).",
        assumed=True,
    ),
    Parameter(
        "vm.patch_offline_s",
        label="Update reboot: VM out of service",
        default=300.0,
        minimum=0.0,
        maximum=86400.0,
        unit="s",
        summary="The reboot that finishes installing the update, before the guest boots: the "
        "guest is out of service",
        source_title=_UPDATE_COMMIT[0],
        source_url=_UPDATE_COMMIT[1],
        note="Assumed: no Microsoft figure for a Server cumulative update's offline phase. "
        "heise measured Windows Server 2019 at 'knapp 5 Minuten'. For Windows 10 feature "
        "updates (much larger) Microsoft reported an average offline time cut from 82 to 30 "
        "minutes. Hotpatching (Windows Server 2022 Datacenter: Azure Edition; Windows Server "
        "2025 through Azure Arc) skips the restart in 8 releases of 12 ('four planned "
        "baseline releases in a calendar year ... and eight hotpatch releases').",
        assumed=True,
    ),
    Parameter(
        "vm.update_batch_percent",
        label="Share of VMs rebooted at once",
        default=25,
        minimum=1,
        maximum=100,
        unit="%",
        summary="Share of a service's VMs rebooted for the update at once (at least one)",
        note="Assumed: the operator's choice (Cluster-Aware Updating and maintenance windows "
        "leave it to them). The same share as Kubernetes' maxUnavailable default, so that both "
        "worlds may lose the same capacity.",
        assumed=True,
    ),
    # --- VM Load Balancing ---------------------------------------------------------------
    Parameter(
        "hyperv.auto_balancer_mode",
        label="When Hyper-V rebalances its VMs",
        default=2,
        minimum=0,
        maximum=2,
        unit="mode",
        summary="When VM Load Balancing judges the nodes: 2 every 30 minutes and when a node "
        "joins, 1 only when a node joins, 0 never",
        source_title=_VMLB_DEEP_DIVE[0],
        source_url=_VMLB_DEEP_DIVE[1],
        note="AutoBalancerMode: 0 Disabled, 1 'Load balance on node join', 2 'Load balance on "
        "node join and every 30 minutes'. The Windows Server 2016 and 2019 pages and the "
        "cluster API reference give 2 as the default; the current page (Azure Local, also for "
        "Windows Server 2025) lists 1 as the Windows Server default in its table and yet says "
        "'By default, VM load balancing is configured for periodic balancing'. We follow the "
        "Windows Server 2016 pages. The 30 minutes are not a setting. Microsoft describes the "
        "join as new capacity ('to the newly added node'); a node resumed after a drain "
        "does not join (Resume-ClusterNode -Failback returns its roles instead).",
        assumed_rule="a node that comes back after a failure (or a quarantine) counts as joining",
        variants={"disabled": 0, "node join": 1, "always": 2},
    ),
    Parameter(
        "hyperv.auto_balancer_level",
        label="How busy a host gets before VMs move",
        default=1,
        minimum=1,
        maximum=3,
        unit="level",
        summary="How hot a node must run before VM Load Balancing moves VMs off it: 1 over 80 % "
        "of its CPU or memory, 2 over 70 %, 3 over 5 % above the nodes' average",
        source_title=_VMLB_DEEP_DIVE[0],
        source_url=_VMLB_DEEP_DIVE[1],
        note="AutoBalancerLevel: 1 (Low, the default) 'Move when host is more than 80% loaded', "
        "2 (Medium) 'more than 70% loaded', 3 (High) 'Average nodes and move when host is "
        "more than 5% above average'. The cluster API reference "
        "(https://learn.microsoft.com/en-us/previous-versions/windows/desktop/mscs/"
        "clusters-autobalancerlevel) gives 60 % for 3 instead; we follow the deep-dive, the "
        "current page and the 2016 blog, which agree (we read the 5 % as percentage points). "
        "It judges 'Current memory pressure' and 'CPU utilization of the Node averaged over a "
        "5 minute window': the model takes the VMs' assigned memory over the node's, and the "
        "current CPU use (the lessons' loads change in steps, minutes apart).",
        assumed_rule="the busiest VM moves first, each to the node with the least pressure "
        "that stays under the threshold, until the node is under it",
        variants={"low": 1, "medium": 2, "high": 3},
    ),
    # --- Kubernetes: the descheduler (kubernetes-sigs, an add-on) ---------------------------
    Parameter(
        "descheduler.interval_s",
        label="How often pods are rebalanced (0: off)",
        default=0.0,
        minimum=0.0,
        maximum=86400.0,
        unit="s",
        summary="How often the descheduler runs (its CronJob schedule); 0: not installed, as "
        "Kubernetes ships no rebalancing of its own",
        source_title=_DESCHEDULER[0],
        source_url=_DESCHEDULER[1],
        note="The descheduler is a separate project that runs 'as a Job, CronJob, or "
        "Deployment'; its Helm chart installs a CronJob with schedule '*/2 * * * *' (120 s), "
        "its Deployment example uses --descheduling-interval 5m. Off by default here because "
        "a cluster has none until someone installs it; the load-balancing lesson sets 120. "
        "The model runs a policy with LowNodeUtilization alone: the chart's default policy "
        "also enables RemoveDuplicates and other plugins, which would evict more.",
        variants={"not installed": 0, "Helm chart CronJob": 120, "Deployment example": 300},
    ),
    Parameter(
        "descheduler.thresholds_percent",
        label="Below this use, a node is underused",
        default=20,
        minimum=0,
        maximum=100,
        unit="%",
        summary="LowNodeUtilization: a node whose CPU, memory and pod requests are all under "
        "this share of what it can hold is underutilized",
        source_title=_DESCHEDULER[0],
        source_url=_DESCHEDULER[1],
        note="The README's example policy, its base ConfigMap and its Helm values all set "
        "thresholds of cpu 20, memory 20, pods 20. 'By default node resource consumption is "
        "determined by the requests and limits of pods, not actual usage' (metrics can be "
        "switched on). The strategy 'will abort if any number of underutilized nodes or "
        "overutilized nodes is zero'. A node at the threshold counts as under it; a cordoned "
        "node is never underutilized but may be overutilized.",
    ),
    Parameter(
        "descheduler.target_thresholds_percent",
        label="Above this use, pods move off a node",
        default=50,
        minimum=0,
        maximum=100,
        unit="%",
        summary="LowNodeUtilization: a node with its CPU, memory or pod requests over this share "
        "is overutilized, and pods are evicted from it until it is not",
        source_title=_DESCHEDULER[0],
        source_url=_DESCHEDULER[1],
        note="targetThresholds of cpu 50, memory 50, pods 50 in the README's example, the base "
        "ConfigMap and the Helm values. Evictions go through the Eviction API, so a "
        "PodDisruptionBudget can refuse them; the scheduler places each replacement.",
    ),
    # --- Live migration -------------------------------------------------------------------
    Parameter(
        "hyperv.max_simultaneous_live_migrations",
        label="VMs a host moves live at once",
        default=2,
        minimum=1,
        maximum=64,
        unit="migrations",
        summary="Live migrations each host takes part in at once, as source or target; more "
        "wait their turn (Set-VMHost -MaximumVirtualMachineMigrations)",
        source_title=_LM_HOSTS[0],
        source_url=_LM_HOSTS[1],
        note="'Under Simultaneous live migrations, specify a different number if you don't want "
        "to use the default of 2' (Windows Server 2016 to 2022); Event 21501's text quotes the "
        "same limit of 2. The Set-VMHost reference gives no default. Failover clusters patched "
        "with the September 2022 update (Windows Server 2022, Azure Stack HCI 21H2 and later) "
        "apply a cluster-wide MaximumParallelMigrations of 1 (" + _CLUSTER_PARALLEL[1] + "), as "
        "does the Windows Server 2025 workgroup-cluster guide. We keep 2, the Windows Server "
        "2016 figure the other defaults follow.",
        variants={"Windows Server 2016 to 2022": 2, "clusters since the 2022-09 update": 1},
    ),
    Parameter(
        "migration.performance_option",
        label="How a moving VM's memory is sent",
        default=1,
        minimum=0,
        maximum=2,
        unit="option",
        summary="How memory crosses the wire: 0 TCP/IP as is, 1 compressed first (using spare "
        "CPU), 2 over SMB (Multichannel, SMB Direct with RDMA)",
        source_title=_LM_HOSTS[0],
        source_url=_LM_HOSTS[1],
        note="Set-VMHost -VirtualMachineMigrationPerformanceOption TCPIP, Compression or SMB. "
        "Compression: 'This is the default setting' (Windows Server 2012 R2 and later; Ben "
        "Armstrong, " + _ARMSTRONG_COMPRESSION[1] + ": it uses only 'CPU resource that is not "
        "being actively used'). Windows Server 2012 had only TCP/IP, so the calibration "
        "scenarios set tcp. The effects are modelled by migration.compression_ratio, "
        "migration.compression_mb_s and migration.stream_limit_gbps: SMB Multichannel spreads "
        "one migration over several connections, so one stream's limit does not hold it "
        "(RDMA's spare CPU lies outside the model).",
        assumed_rule="compression sends memory / migration.compression_ratio bytes, no faster "
        "than migration.compression_mb_s of memory per migration; SMB is held only by the "
        "adapters",
        variants={"tcp": 0, "compression": 1, "smb": 2},
    ),
    Parameter(
        "migration.bandwidth_gbps",
        label="Network speed for moving VMs",
        default=10.0,
        minimum=0.1,
        maximum=400.0,
        unit="Gbit/s",
        summary="Line rate of each host's live-migration network adapter (copies through it "
        "share it; about 95 % of it is TCP payload)",
        source_title=_HOLMAN[0],
        source_url=_HOLMAN[1],
        note="Not a platform default but the operator's network: 10 GbE is what both "
        "calibration sources (Holman; Aidan Finn, " + _FINN_512[1] + ") measured against 1 GbE. "
        "Ethernet carries 1,460 bytes of TCP payload per 1,538 bytes of line time, so 1 GbE "
        "moves about 113 MB (of 2**20 bytes) per second; Finn's counters read a little more "
        "(119,509,089 bytes/s on 1 GbE, and more than 10 GbE's line rate with 10 VMs), so "
        "they do not count payload alone.",
        variants={"1 GbE": 1, "10 GbE": 10, "25 GbE": 25},
    ),
    Parameter(
        "migration.stream_limit_gbps",
        label="Top speed of one VM move",
        default=5.0,
        minimum=0.1,
        maximum=400.0,
        unit="Gbit/s",
        summary="The most one migration carries over TCP, however fast the adapter (SMB's "
        "Multichannel is not held to it)",
        source_title=_FINN_512[0],
        source_url=_FINN_512[1],
        note="Assumed: no source states a per-migration limit, but one migration did not fill "
        "10 GbE: Finn's 512 MB VM peaked at 338,530,495 bytes/s (2.7 Gbit/s). How far short "
        "in general is unknown; we take half the link, 5 Gbit/s, so that Hyper-V's default "
        "of two migrations at once can fill 10 GbE.",
        assumed=True,
    ),
    Parameter(
        "migration.compression_ratio",
        label="How much compression shrinks memory",
        default=2.0,
        minimum=1.0,
        maximum=20.0,
        unit="to 1",
        summary="How much compression shrinks a guest's memory on the wire",
        source_title=_ARMSTRONG_COMPRESSION[0],
        source_url=_ARMSTRONG_COMPRESSION[1],
        note="Assumed: Microsoft publishes no ratio, and it depends on what the guest holds "
        "(zeroed pages compress well, encrypted data not at all). 2 matches the 'expected to "
        "halve the time it takes to move a VM' of Aidan Finn (https://aidanfinn.com/?p=14907) "
        "and TechTarget.",
        assumed=True,
    ),
    Parameter(
        "migration.compression_mb_s",
        label="How fast memory is compressed",
        default=500.0,
        minimum=1.0,
        maximum=100000.0,
        unit="MB/s",
        summary="Memory one migration can compress per second with the host's spare CPU",
        source_title=_ARMSTRONG_COMPRESSION[0],
        source_url=_ARMSTRONG_COMPRESSION[1],
        note="Assumed: Hyper-V throttles compression to idle CPU and publishes no rate. 500 MB/s "
        "is a few cores' worth of a fast LZ-class compressor; it makes compression the "
        "better choice on 1 GbE and slower than plain TCP on 10 GbE, which is Microsoft's "
        "advice (compression 'on constrained networks', SMB for 'the highest throughput').",
        assumed=True,
    ),
    Parameter(
        "migration.dirty_rate_mb_s",
        label="How fast a running VM changes memory",
        default=50.0,
        minimum=0.0,
        maximum=100000.0,
        unit="MB/s",
        summary="Rate at which a running guest dirties memory pages during pre-copy",
        source_title=_LM_OVERVIEW[0],
        source_url=_LM_OVERVIEW[1],
        note="Assumed: no source gives a typical rate. Microsoft: 'The number of pages "
        "transferred in this stage is determined by how actively the virtual machine accesses "
        "and modifies the memory pages.' 50 MB/s stands for a busy server; the calibration "
        "scenarios set 1 MB/s for their near-idle lab VMs.",
        assumed=True,
    ),
    Parameter(
        "migration.blackout_target_ms",
        label="Pause aimed for when a VM switches host",
        default=50.0,
        minimum=1.0,
        maximum=60000.0,
        unit="ms",
        summary="Pre-copy stops once what is left would copy within this pause",
        source_title=_LM_OVERVIEW[0],
        source_url=_LM_OVERVIEW[1],
        note="Assumed: Microsoft says only that Hyper-V 'iterates the memory copy process "
        "several times, with each iteration requiring a smaller number of modified pages to "
        "be copied'. 50 ms keeps the blackout within the 60 to 210 ms Clark et al. measured "
        "for pre-copy (" + _CLARK[1] + ").",
        assumed=True,
    ),
    Parameter(
        "migration.max_rounds",
        label="Copy rounds before the VM is paused",
        default=5,
        minimum=1,
        maximum=100,
        unit="rounds",
        summary="Pre-copy rounds before the VM is paused whatever is left",
        source_title="John Savill, 'Mastering Windows Server 2016 Hyper-V' (Sybex, 2017); "
        "Directions on Microsoft, 'Live Migration Switch-Over' (2009)",
        source_url="https://www.directionsonmicrosoft.com/charts-illustrations/"
        "live-migration-switch-over",
        note="Savill: 'Once the memory pages have all been copied or we have reached our "
        "maximum number of copy passes (five with Windows Server 2012 R2 and above)'. "
        "Directions on Microsoft (the linked page) gives 10 for Windows Server 2008 R2: "
        "'until it has made 10 passes ... If the copy cannot be completed in 10 iterations, "
        "Hyper-V suspends the VM'. A guest that dirties memory faster than its copy goes is "
        "paused after the last pass with all it dirtied: a long blackout.",
        variants={"Windows Server 2012 R2+": 5, "Windows Server 2008 R2": 10},
    ),
    Parameter(
        "migration.setup_s",
        label="Time to set up a VM move",
        default=3.5,
        minimum=0.0,
        maximum=600.0,
        unit="s",
        summary="Setting a migration up before memory moves: the connection, a skeleton VM on "
        "the target with its memory allocated (no bandwidth used)",
        source_title=_FINN_512[0],
        source_url=_FINN_512[1],
        note="Assumed, fitted: Finn's 512 MB VM took 7 s on 1 GbE, where its copy takes about "
        "4.5 s, and 5 s on 10 GbE; 3.5 s brings both within 16 % (tests/fidelity). The stages "
        "are Microsoft's (" + _LM_OVERVIEW[1] + "), which gives no durations.",
        assumed=True,
    ),
    Parameter(
        "migration.switchover_ms",
        label="Fixed pause to hand the VM over",
        default=30.0,
        minimum=0.0,
        maximum=60000.0,
        unit="ms",
        summary="The paused VM's fixed cost on top of its last pages: CPU and device state, the "
        "storage handle, bringing it online on the target",
        source_title=_CLARK[0],
        source_url=_CLARK[1],
        note="Assumed: Microsoft names the steps but gives no figure (third-party posts claim "
        "'1-2 seconds' without a source; Savill's book says 'only milliseconds'). Clark et "
        "al. measured whole blackouts of 60 ms (Quake 3) and 210 ms (SPECweb) on Xen, so the "
        "fixed part lies below 60 ms; we take 30 ms.",
        assumed=True,
    ),
    # --- Kubernetes: the node lifecycle ----------------------------------------------------
    Parameter(
        "kubernetes.node_lease_duration_s",
        label="How long a node's check-in lasts",
        default=40.0,
        minimum=4.0,
        maximum=3600.0,
        unit="s",
        summary="The kubelet's node Lease; it is renewed every quarter of this (10 s by "
        "default), and the node lifecycle controller judges a node by these renewals",
        source_title=_KUBELET_CONFIG[0],
        source_url=_KUBELET_CONFIG[1],
        note="nodeLeaseDurationSeconds, default 40: 'The lease is currently renewed every 10s, "
        "per KEP-0009'. The kubelet's code renews at a quarter of the duration "
        "(pkg/kubelet/kubelet.go: nodeLeaseRenewIntervalFraction = 0.25), which the model "
        "follows where the reference's text is older. The kubelet posts the "
        "node's .status only when it changes or every nodeStatusReportFrequency (5 min), so "
        "since leases (v1.17) nodeStatusUpdateFrequency no longer decides how fast a dead node "
        "is noticed. Renewals also carry 4 % jitter, not modelled.",
    ),
    Parameter(
        "kubernetes.node_monitor_period_s",
        label="How often nodes are checked",
        default=5.0,
        minimum=1.0,
        maximum=600.0,
        unit="s",
        summary="How often the node lifecycle controller checks every node's lease",
        source_title=_KCM[0],
        source_url=_KCM[1],
        note="--node-monitor-period, default 5s. A pass notes the time it first sees a new "
        "lease renewal and marks the node Unknown (NotReady) at the first pass at least "
        "--node-monitor-grace-period after that: passes restart their period after they "
        "finish, so the pass that grace later sees the grace expired. Since v1.34 (PR "
        "#120816) the node is queued for its NoExecute taint in that same pass; up to v1.33 "
        "one pass (5 s) later. The model follows v1.34.",
    ),
    Parameter(
        "kubernetes.node_monitor_grace_period_s",
        label="Silence before a node is NotReady",
        default=50.0,
        minimum=1.0,
        maximum=3600.0,
        unit="s",
        summary="Silence after which a node is marked NotReady (Unknown) and queued for the "
        "unreachable taint",
        source_title=_KCM[0],
        source_url=_KCM[1],
        note="--node-monitor-grace-period: 50s since v1.32 (40s before). It must exceed the "
        "kubelet's HTTP/2 health-check timeouts, 30 s + 15 s (the controller's code comment "
        "and the flag's text), which is why the tuned examples leave it alone.",
        variants={"v1.32+": 50, "before v1.32": 40},
    ),
    Parameter(
        "kubernetes.node_eviction_rate",
        label="Lost nodes emptied per second",
        default=0.1,
        minimum=0.0,
        maximum=100.0,
        unit="nodes/s",
        summary="Nodes per second the controller taints unreachable (so evicts from) in a "
        "healthy zone, or in a zone with every node down",
        source_title=_KCM[0],
        source_url=_KCM[1],
        note="--node-eviction-rate, default 0.1: one node every 10 s per zone (a token bucket "
        "of one, tried every 100 ms). 'Rate limits on eviction' on the Nodes page "
        "(" + _EVICTION_RATES[1] + ") explains the zone rules.",
    ),
    Parameter(
        "kubernetes.secondary_node_eviction_rate",
        label="Emptying rate when a zone is in trouble",
        default=0.01,
        minimum=0.0,
        maximum=100.0,
        unit="nodes/s",
        summary="The rate in a partially disrupted zone of more than "
        "--large-cluster-size-threshold nodes (smaller zones stop evicting)",
        source_title=_KCM[0],
        source_url=_KCM[1],
        note="--secondary-node-eviction-rate, default 0.01. The flag's text says 'cluster "
        "size'; the controller (pkg/controller/nodelifecycle) passes the zone's node count, "
        "as --large-cluster-size-threshold's text now notes: we follow the code.",
    ),
    Parameter(
        "kubernetes.unhealthy_zone_threshold",
        label="Share of nodes down: zone in trouble",
        default=0.55,
        minimum=0.0,
        maximum=1.0,
        unit="fraction",
        summary="Share of a zone's nodes NotReady (and more than 2 of them) at which the zone is "
        "partially disrupted",
        source_title=_KCM[0],
        source_url=_KCM[1],
        note="--unhealthy-zone-threshold, default 0.55, 'minimum 3' nodes. A zone with every "
        "node NotReady is fully disrupted instead, and keeps the normal rate.",
    ),
    Parameter(
        "kubernetes.large_cluster_size_threshold",
        label="Zones this small stop emptying nodes",
        default=50,
        minimum=0,
        maximum=5000,
        unit="nodes",
        summary="A partially disrupted zone of this many nodes or fewer stops evictions; a "
        "larger one slows to the secondary rate",
        source_title=_KCM[0],
        source_url=_KCM[1],
        note="--large-cluster-size-threshold, default 50: 'If nodes reside in multiple zones, "
        "this threshold will be considered as zone node size threshold for each zone'. The "
        "Nodes page still says 'cluster'; the code compares the zone's node count.",
    ),
    Parameter(
        "kubernetes.default_unreachable_toleration_s",
        label="How long pods wait on a lost node",
        default=300.0,
        minimum=0.0,
        maximum=86400.0,
        unit="s",
        summary="How long pods tolerate the unreachable taint before they are evicted, unless a "
        "pod sets its own tolerationSeconds",
        source_title=_TAINT_EVICTIONS[0],
        source_url=_TAINT_EVICTIONS[1],
        note="The DefaultTolerationSeconds admission plugin adds tolerationSeconds=300 for the "
        "not-ready and unreachable taints (kube-apiserver "
        "--default-unreachable-toleration-seconds). The taint eviction controller counts it "
        "from when it sees the taint.",
    ),
    Parameter(
        "kubernetes.termination_grace_period_s",
        label="Time a pod gets to shut down",
        default=30.0,
        minimum=0.0,
        maximum=86400.0,
        unit="s",
        summary="A pod's terminationGracePeriodSeconds unless it sets its own; 0 deletes an "
        "evicted pod at once, anything more leaves it Terminating until its kubelet confirms",
        source_title=_POD_TERMINATION[0],
        source_url=_POD_TERMINATION[1],
        note="The Pod API's default is 30 s. On a node that is down, the kubelet never "
        "confirms, so a pod deleted with a grace period stays Terminating: a StatefulSet "
        "creates no replacement and its ReadWriteOnce disk stays attached ('Force Delete "
        "StatefulSet Pods', https://kubernetes.io/docs/tasks/run-application/"
        "force-delete-stateful-set-pod/, which also calls 0 'unsafe and strongly discouraged' "
        "for StatefulSet pods).",
    ),
    Parameter(
        "kubernetes.disable_force_detach_on_timeout",
        label="Never force a disk off a lost node",
        default=0,
        minimum=0,
        maximum=1,
        unit="flag",
        summary="1 stops the attach/detach controller from force-detaching a volume from an "
        "unhealthy node 6 minutes after its pod is gone",
        source_title=_FORCED_DETACH[0],
        source_url=_FORCED_DETACH[1],
        note="kube-controller-manager --disable-force-detach-on-timeout (v1.30+), default false. "
        "The 6 minutes are the controller's maxWaitForUnmountDuration, a constant in "
        "pkg/controller/volume/attachdetach. The Node Shutdowns page words it as a pod "
        "deletion that 'has not succeeded for 6 minutes'; in the code the clock starts when "
        "the pod object is gone (a pod Terminating on a dead node keeps its volume wanted, "
        "and no clock runs), which the model follows. With the flag set, only the "
        "out-of-service taint frees the disk of a node that stays down.",
        variants={"false": 0, "true": 1},
    ),
    # --- Kubernetes: the control plane ---------------------------------------------------
    Parameter(
        "kubernetes.etcd_members",
        label="Copies of the control plane's database",
        default=3,
        minimum=1,
        maximum=7,
        unit="members",
        summary="etcd members of the stacked control plane, each beside an API server and a "
        "controller manager; the side that holds a majority of them keeps the control plane",
        source_title=_HA_TOPOLOGY[0],
        source_url=_HA_TOPOLOGY[1],
        note="'You should therefore run a minimum of three stacked control plane nodes for an "
        "HA cluster.' The etcd FAQ (" + _ETCD_FAQ[1] + "): 'For a cluster with n members, "
        "quorum is (n/2)+1', and its failure-tolerance table lists 3, 5 and 7 members "
        "tolerating 1, 2 and 3 failures, so odd sizes (the range stops at its 7). 'Running in "
        "multiple zones' (" + _MULTI_ZONE[1] + ") asks for each control plane component 'across "
        "at least three failure zones'; 'Operating etcd clusters for Kubernetes' "
        "(" + _ETCD_PRODUCTION[1] + ") adds 'A five-member cluster is recommended in "
        "production.' We keep kubeadm's three.",
        assumed_rule="member i hangs off rack i's switch and the members beyond the racks off "
        "the core; the API server and the controller manager that work are on the side of the "
        "etcd majority",
        variants={"kubeadm HA": 3, "production": 5},
        live=False,
    ),
    Parameter(
        "kubernetes.max_surge_percent",
        label="Extra pods allowed during an update",
        default=25,
        minimum=0,
        maximum=100,
        unit="%",
        summary="Extra pods a rolling update may run above the desired count (rounded up)",
        source_title=_DEPLOYMENT[0],
        source_url=_DEPLOYMENT[1] + "#max-surge",
        note="maxSurge: 'The absolute number is calculated from the percentage by rounding up. "
        "The default value is 25%.'",
    ),
    Parameter(
        "kubernetes.max_unavailable_percent",
        label="Pods allowed down during an update",
        default=25,
        minimum=0,
        maximum=100,
        unit="%",
        summary="Pods a rolling update may take below the desired count (rounded down)",
        source_title=_DEPLOYMENT[0],
        source_url=_DEPLOYMENT[1] + "#max-unavailable",
        note="maxUnavailable: 'The absolute number is calculated from percentage by rounding "
        "down. ... The default value is 25%.'",
    ),
    Parameter(
        "kubernetes.max_pods_per_node",
        label="Most pods on one node",
        default=110,
        minimum=1,
        maximum=1000,
        unit="pods",
        summary="Pods one node may run",
        source_title=_K8S_LARGE[0],
        source_url=_K8S_LARGE[1],
    ),
    Parameter(
        "kubernetes.max_nodes",
        label="Most nodes in one cluster",
        default=5000,
        minimum=1,
        maximum=5000,
        unit="nodes",
        summary="Nodes per cluster",
        source_title=_K8S_LARGE[0],
        source_url=_K8S_LARGE[1],
    ),
    Parameter(
        "kubernetes.max_pods",
        label="Most pods in one cluster",
        default=150000,
        minimum=1,
        maximum=150000,
        unit="pods",
        summary="Pods per cluster",
        source_title=_K8S_LARGE[0],
        source_url=_K8S_LARGE[1],
    ),
    # --- Containers -----------------------------------------------------------------------
    Parameter(
        "container.nanoserver_start_s",
        label="Start time, Nano Server container",
        default=1.5,
        minimum=0.0,
        maximum=600.0,
        unit="s",
        summary="Starting a process-isolated container of a Nano Server image already on the "
        "node, until its process runs",
        source_title=_CONTAINER_START_REPORT[0],
        source_url=_CONTAINER_START_REPORT[1],
        note="Assumed: Microsoft publishes relative figures only ('container startup into "
        "Windows PowerShell is 30-45% faster' for the smaller Server Core images). The one "
        "measured pair, warm and Hyper-V-isolated (microsoft/Windows-Containers#478, .NET SDK "
        "images on each base): Nano Server 3 s, Server Core 5 s; less the utility VM "
        "(hyperv_isolation.utility_vm_boot_s) that is 1.5 s and 3.5 s process-isolated. "
        "Reports disagree widely: 11 s process-isolated on Windows 10 with antivirus "
        "scanning (moby/moby#40832), about 15 s on Windows Server 2016 (moby/moby#29689), "
        "19 s for a first Server Core start. "
        "Kubernetes' pod-startup SLO (p99 <= 5 s without image pulls) is for Linux clusters.",
        assumed=True,
    ),
    Parameter(
        "container.servercore_start_s",
        label="Start time, Server Core container",
        default=3.5,
        minimum=0.0,
        maximum=600.0,
        unit="s",
        summary="Starting a process-isolated container of a Server Core image already on the "
        "node, until its process runs",
        source_title=_CONTAINER_START_REPORT[0],
        source_url=_CONTAINER_START_REPORT[1],
        note="Assumed, as container.nanoserver_start_s: 5 s measured Hyper-V-isolated (warm), "
        "less the utility VM.",
        assumed=True,
    ),
    Parameter(
        "container.nanoserver_image_mb",
        label="Nano Server image download size",
        default=101,
        minimum=1,
        maximum=100000,
        unit="MB",
        summary="A Nano Server image as the registry sends it (compressed)",
        source_title=_NANOSERVER_LAYER[0],
        source_url=_NANOSERVER_LAYER[1],
        note="Windows Server 2019 (1809): one layer of 101,074,931 bytes compressed; 251 MB on "
        "disk ('Update Windows Server containers', Microsoft Learn). Nano Server ltsc2022 is "
        "296 MB on disk (Learn, 'Run your first Windows container'); its compressed size is "
        "not published.",
    ),
    Parameter(
        "container.servercore_image_mb",
        label="Server Core image download size",
        default=1280,
        minimum=1,
        maximum=100000,
        unit="MB",
        summary="A Server Core image as the registry sends it (compressed)",
        source_title=_SMALLER_IMAGES[0],
        source_url=_SMALLER_IMAGES[1],
        note="Windows Server 2022 Server Core, January 2023: 1.25 GB compressed with no monthly "
        "delta (2.26 GB the month before, with one); 3.08 GB on disk that month "
        "(microsoft/Windows-Containers#321). Server Core ltsc2025 is larger (7.69 GB on disk, "
        "one user's report).",
    ),
    Parameter(
        "container.image_expansion",
        label="How much bigger an image is on disk",
        default=2.5,
        minimum=1.0,
        maximum=20.0,
        unit="x",
        summary="How much larger an image is on disk than as the registry sends it (the disk a "
        "node's image store holds)",
        source_title=_SMALLER_IMAGES[0],
        source_url=_SMALLER_IMAGES[1],
        note="Both sourced pairs agree: Nano Server 1809, 251 MB on disk from 101 MB (2.49); "
        "Server Core ltsc2022, 3.08 GB from 1.25 GB (2.46).",
    ),
    Parameter(
        "container.extract_mb_s",
        label="How fast a node unpacks an image",
        default=14.0,
        minimum=0.1,
        maximum=100000.0,
        unit="MB/s",
        summary="How fast a Windows node extracts an image's layers after downloading them, in "
        "MB of the compressed image per second",
        source_title=_EXTRACT_REPORT[0],
        source_url=_EXTRACT_REPORT[1],
        note="Users' reports, acknowledged by Microsoft: 'about 140 seconds to extract 2GB on a "
        "very powerful machine' (Windows Server 2022, 2025). Docker's 'Extracting' progress "
        "counts the compressed stream (moby distribution/xfer/download.go), so that is about "
        "14 MB of compressed image per second, some 35 MB/s written to disk. Older reports are "
        "5 to 10 times slower: a 115 MB Nano Server layer in over 70 s (docker/for-win#671, "
        "Windows Server 2016), Server Core 1809 unpacked in 12.5 minutes after a 74 s download "
        "(containerd/containerd#4989), so the default is a recent, fast figure.",
    ),
    Parameter(
        "container.image_build_s",
        label="Time to rebuild the app's image",
        default=120.0,
        minimum=0.0,
        maximum=86400.0,
        unit="s",
        summary="Rebuilding the app's image on a new base image (docker build)",
        note="A Dockerfile that adds the app to a Windows base image; no published figure.",
        assumed=True,
    ),
    Parameter(
        "container.memory_overhead_mb",
        label="Memory each container adds",
        default=40,
        minimum=0,
        maximum=4096,
        unit="MB",
        summary="Memory a process-isolated Windows container needs besides the app: its own "
        "system processes",
        source_title=_CONTAINER_REQUIREMENTS[0],
        source_url=_CONTAINER_REQUIREMENTS[1],
        note="The page's table for Windows Server 2016 (since dropped from it): 'minimum memory "
        "to launch a container and run basic commands', 40 MB for Nano Server and 50 MB for "
        "Server Core with process isolation.",
        variants={"nanoserver": 40, "servercore": 50},
    ),
    Parameter(
        "registry.bandwidth_gbps",
        label="Download speed from the registry",
        default=1.0,
        minimum=0.01,
        maximum=400.0,
        unit="Gbit/s",
        summary="Bandwidth from the registry to a node: a pull downloads the compressed image at "
        "this rate, then extracts it (container.extract_mb_s)",
        note="Assumed: the operator's network; 1 Gbit/s to a registry in the same region.",
        assumed=True,
    ),
    # --- Azure Disks (ReadWriteOnce network disks) -------------------------------------------
    Parameter(
        "storage.disk_detach_s",
        label="Time to detach a disk from a node",
        default=30.0,
        minimum=0.0,
        maximum=3600.0,
        unit="s",
        summary="Detaching an Azure Disk from the node it was attached to",
        source_title=_DISK_RECOVERY[0],
        source_url=_DISK_RECOVERY[1],
        note="No Microsoft page gives a figure. The driver's recovery note counts '1 min: disk "
        "volume detached from NotReady node and attached to Ready node'; we split it evenly "
        "with storage.disk_attach_s. The driver's metrics example "
        "(deploy/example/metrics/README.md) shows 13.6 s on average for detach_disk, and its "
        "PR #3712 says 'most Azure disk detach operations complete in 30-120s'; throttling "
        "can add minutes.",
        assumed=True,
    ),
    Parameter(
        "storage.disk_attach_s",
        label="Time to attach a disk to a new node",
        default=30.0,
        minimum=0.0,
        maximum=3600.0,
        unit="s",
        summary="Attaching an Azure Disk to the node its new pod was scheduled to",
        source_title=_DISK_RECOVERY[0],
        source_url=_DISK_RECOVERY[1],
        note="No Microsoft page gives a figure. Half of the driver's recovery note's '1 min' for "
        "detach and attach; the driver's metrics example (deploy/example/metrics/README.md) "
        "shows 12.9 s on average for attach_disk.",
        assumed=True,
    ),
    # --- Hyper-V isolation ----------------------------------------------------------------
    Parameter(
        "hyperv_isolation.utility_vm_boot_s",
        label="Start time Hyper-V isolation adds",
        default=1.5,
        minimum=0.0,
        maximum=600.0,
        unit="s",
        summary="What Hyper-V isolation adds to a container's start: booting its utility VM",
        source_title=_CONTAINER_PERF[0],
        source_url=_CONTAINER_PERF[1],
        note="Assumed: Microsoft says Hyper-V isolation adds 'overhead ... in terms of container "
        "start-up time' and gives no figure. 1.5 s puts a warm Hyper-V-isolated start at the 3 s "
        "(Nano Server) and 5 s (Server Core) microsoft/Windows-Containers#478 measured.",
        assumed=True,
    ),
    Parameter(
        "hyperv_isolation.utility_vm_memory_mb",
        label="Memory Hyper-V isolation adds",
        default=90,
        minimum=0,
        maximum=65536,
        unit="MB",
        summary="What Hyper-V isolation adds to a container's memory: its utility VM",
        source_title=_CONTAINER_REQUIREMENTS[0],
        source_url=_CONTAINER_REQUIREMENTS[1],
        note="The Windows Server 2016 table: 130 MB for a Hyper-V-isolated Nano Server "
        "container against 40 MB process-isolated (325 MB against 50 MB for Server Core), "
        "each with a 1 GB page file on disk; the 1709 table gives 110 MB against 30 MB. The "
        "page warns that 'these values don't take into account resource sharing between "
        "containers'.",
        assumed_rule="each utility VM adds its 90 MB in full (the source says shared memory "
        "makes it less)",
        variants={"nanoserver": 90, "servercore": 275},
    ),
)

#: Settings that no longer exist, with what to use instead (a saved file still names them).
RETIRED: Mapping[str, str] = MappingProxyType(
    {
        "vm.patch_install_s": "a guest installs (stages) an update while it serves and "
        "finishes during the reboot: set vm.patch_stage_s and vm.patch_offline_s",
        "cloud.vm_provision_s": "the VM world is an on-premises Hyper-V cluster, which "
        "creates a VM from a template: set vm.template_copy_gb, vm.disk_copy_mb_s and "
        "vm.first_boot_s (which includes the boot, as the old cloud figure did)",
        "container.start_s": "a container's start depends on its image: set "
        "container.nanoserver_start_s or container.servercore_start_s",
        "container.image_mb": "an image's size depends on which it is: set "
        "container.nanoserver_image_mb or container.servercore_image_mb (compressed), or a "
        "service's own image_mb",
        "kubernetes.node_status_update_frequency_s": "since leases the controller judges a "
        "node by its Lease, not its status posts: set kubernetes.node_lease_duration_s "
        "(renewed every quarter of it)",
    }
)

#: Every parameter by its real name.
PARAMETERS: Mapping[str, Parameter] = MappingProxyType({p.name: p for p in _PARAMETERS})


def lookup(name: str) -> Parameter:
    """The parameter called ``name``; an unknown name is answered with the closest known ones."""
    try:
        return PARAMETERS[name]
    except KeyError:
        if name in RETIRED:
            raise ParameterError(f"{name} is retired: {RETIRED[name]}") from None
        raise ParameterError(f"unknown parameter {name!r}{_suggest(name)}") from None


def _suggest(name: str) -> str:
    import difflib  # only when a name is wrong

    close = difflib.get_close_matches(name, PARAMETERS, n=3, cutoff=0.5)
    if not close:
        # A bare setting name ("node_monitor_grace_period_s") still finds its platform.
        tail = name.rsplit(".", 1)[-1]
        close = [n for n in PARAMETERS if n.endswith("." + tail)] or difflib.get_close_matches(
            tail, [n.rsplit(".", 1)[-1] for n in PARAMETERS], n=3, cutoff=0.6
        )
        close = [n for n in PARAMETERS if n.rsplit(".", 1)[-1] in close] or close
    return f"; did you mean {', '.join(close)}?" if close else ""


def parse_assignment(text: str, option: str = "--set") -> tuple[str, Value]:
    """Parse ``NAME=VALUE`` from the command line (given after ``option``) into a checked
    name and value."""
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name or not raw.strip():
        raise ParameterError(f"{option} takes NAME=VALUE, not {text!r}")
    return name, lookup(name).coerce(raw)


class ParameterSet(Mapping[str, Value]):
    """The defaults with a scenario's and the user's overrides on top, read by name."""

    __slots__ = ("_overrides",)

    def __init__(self, overrides: Mapping[str, Value] | None = None) -> None:
        checked: dict[str, Value] = {}
        for name, value in (overrides or {}).items():
            checked[name] = lookup(name).coerce(value)
        self._overrides: Mapping[str, Value] = MappingProxyType(checked)

    @property
    def overrides(self) -> Mapping[str, Value]:
        return self._overrides

    def with_overrides(self, more: Mapping[str, Value]) -> ParameterSet:
        return ParameterSet({**self._overrides, **more})

    def without(self, name: str) -> ParameterSet:
        """These settings with ``name`` back at its default."""
        return ParameterSet({n: v for n, v in self._overrides.items() if n != name})

    def changed(self) -> list[str]:
        """The settings whose value differs from the default (an override may repeat it)."""
        return [n for n, v in self._overrides.items() if v != lookup(n).default]

    def __getitem__(self, name: str) -> Value:
        value = self._overrides.get(name)
        return lookup(name).default if value is None else value

    def __iter__(self) -> Iterator[str]:
        return iter(PARAMETERS)

    def __len__(self) -> int:
        return len(PARAMETERS)

    def seconds(self, name: str) -> float:
        """A duration parameter in seconds, whatever unit its real setting uses."""
        unit = lookup(name).unit
        factor = {"s": 1.0, "ms": 0.001}.get(unit)
        if factor is None:
            raise ParameterError(f"{name} is in {unit}, not a duration")
        return float(self[name]) * factor

    def __repr__(self) -> str:
        return f"ParameterSet({dict(self._overrides)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ParameterSet) and dict(self._overrides) == dict(other._overrides)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._overrides.items())))


def source_markdown(p: Parameter) -> str:
    """A parameter's source as Markdown: its title, linked where it has an address."""
    text = f"[{p.source_title}]({p.source_url})" if p.source_url else p.source_title
    if p.assumed:
        text = "*assumed*" + (f"; {text}" if text else "")
    if p.assumed_rule:
        text += "; *rule assumed*"
    return text or "\N{EM DASH}"


def as_json(p: Parameter) -> dict[str, object]:
    """A parameter as ``vmc-gui parameters --json`` prints it (DESIGN.md, command line)."""
    return {
        "name": p.name,
        "default": p.default,
        "unit": p.unit,
        "min": p.minimum,
        "max": p.maximum,
        "assumed": p.assumed,
        "source_title": p.source_title,
        "source_url": p.source_url,
        "note": p.note,
        "assumed_rule": p.assumed_rule,
        "variants": dict(p.variants),
    }


def markdown_table() -> str:
    """Every parameter as Markdown: the table in docs/parameters.md, then each one's notes."""
    rows = [
        "| Parameter | Default | Range | What it is | Source |",
        "|---|---|---|---|---|",
    ]
    for p in PARAMETERS.values():
        default = p.describe_default().removesuffix(" [assumed]")
        rows.append(
            f"| `{p.name}` | {default} | {p.minimum:g} to {p.maximum:g} | {p.summary} "
            f"| {source_markdown(p)} |"
        )
    rows += ["", "### Notes on the sources", ""]
    for p in PARAMETERS.values():
        if p.note:
            rule = f" *Rule assumed*: {p.assumed_rule}." if p.assumed_rule else ""
            rows.append(f"- `{p.name}`: {p.note}{rule}")
    return "\n".join(rows) + "\n"


def names(prefix: str = "") -> Iterable[str]:
    """Parameter names, in table order, optionally only those under ``prefix``."""
    return [n for n in PARAMETERS if n.startswith(prefix)]
