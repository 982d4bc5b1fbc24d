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
    """One tunable platform setting with its documented default."""

    name: str
    default: Value
    minimum: Value
    maximum: Value
    unit: str
    summary: str
    source: str
    #: True when the default is our assumption rather than a documented value.
    assumed: bool = False
    #: Other documented values, by the condition they hold for (for example the older default).
    variants: Mapping[str, Value] = field(default_factory=dict)
    #: False for settings that shape the cluster and so cannot change during a run.
    live: bool = True

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

    def describe_default(self) -> str:
        """The default as a reader of the source would quote it, variants included."""
        text = f"{self.default:g} {self.unit}".strip()
        if self.variants:
            text += " (" + "; ".join(f"{v:g} {k}" for k, v in self.variants.items()) + ")"
        return text + (" [assumed]" if self.assumed else "")


def _slug(label: str) -> str:
    return "-".join(label.casefold().replace("+", "-plus").split())


_MS_HYPERV_TUNING = (
    "Microsoft failover clustering docs, 'Tuning Failover Cluster Network Thresholds' "
    "(SameSubnetDelay / SameSubnetThreshold; range 250..2000 ms and 3..120 heartbeats)"
)
_K8S_LARGE = "Kubernetes docs, 'Considerations for large clusters'"
_HYPERV_SCALE = "Microsoft docs, 'Plan for Hyper-V scalability in Windows Server'"

_PARAMETERS: tuple[Parameter, ...] = (
    # --- Hyper-V failover clustering -------------------------------------------------------
    Parameter(
        "hyperv.same_subnet_delay_ms",
        default=1000,
        minimum=250,
        maximum=2000,
        unit="ms",
        summary="Interval between cluster heartbeats to nodes on the same subnet",
        source=_MS_HYPERV_TUNING,
    ),
    Parameter(
        "hyperv.same_subnet_threshold",
        default=10,
        minimum=3,
        maximum=120,
        unit="heartbeats",
        summary="Missed heartbeats in a row before a node is removed from the cluster",
        source=_MS_HYPERV_TUNING,
        variants={"Windows Server 2016+": 10, "before 2016": 5},
    ),
    Parameter(
        "hyperv.resiliency_default_period_s",
        default=240,
        minimum=0,
        maximum=3600,
        unit="s",
        summary="How long an isolated node keeps running its VMs, unmonitored, before failover",
        source="Microsoft docs, VM compute resiliency (ResiliencyDefaultPeriod)",
    ),
    Parameter(
        "hyperv.max_vms_per_host",
        default=1024,
        minimum=1,
        maximum=1024,
        unit="VMs",
        summary="Running VMs per Hyper-V host",
        source=_HYPERV_SCALE,
    ),
    Parameter(
        "hyperv.max_cluster_nodes",
        default=64,
        minimum=1,
        maximum=64,
        unit="nodes",
        summary="Nodes per failover cluster; larger estates are split into several clusters",
        source=_HYPERV_SCALE,
        live=False,
    ),
    Parameter(
        "hyperv.max_cluster_vms",
        default=8000,
        minimum=1,
        maximum=8000,
        unit="VMs",
        summary="Clustered VMs per failover cluster",
        source=_HYPERV_SCALE,
    ),
    # --- The guest inside each VM ---------------------------------------------------------
    Parameter(
        "vm.guest_boot_s",
        default=45.0,
        minimum=1.0,
        maximum=3600.0,
        unit="s",
        summary="Guest OS boot, from VM start to the login service",
        source="typical for Windows Server Core on Hyper-V; adjustable",
        assumed=True,
    ),
    Parameter(
        "vm.app_start_s",
        default=5.0,
        minimum=0.0,
        maximum=3600.0,
        unit="s",
        summary="The app's service start inside a booted guest",
        source="typical Windows service start; adjustable",
        assumed=True,
    ),
    Parameter(
        "vm.guest_memory_overhead_mb",
        default=512,
        minimum=0,
        maximum=65536,
        unit="MB",
        summary="Memory the guest OS itself needs, on top of the app",
        source="Windows Server hardware requirements",
        variants={"Server Core": 512, "Desktop Experience": 2048},
    ),
    Parameter(
        "vm.guest_disk_gb",
        default=32,
        minimum=1,
        maximum=4096,
        unit="GB",
        summary="Disk the guest OS needs",
        source="Windows Server hardware requirements",
    ),
    Parameter(
        "cloud.vm_provision_s",
        default=97.0,
        minimum=0.0,
        maximum=7200.0,
        unit="s",
        summary="Creating a VM in a public cloud, before its guest boots",
        source="Mao & Humphrey, IEEE CLOUD 2012 (2012 numbers, now lower)",
        variants={"Linux": 97, "Windows": 810},
    ),
    Parameter(
        "vm.patch_download_s",
        default=60.0,
        minimum=0.0,
        maximum=86400.0,
        unit="s",
        summary="Downloading a monthly cumulative update inside one guest",
        source="a few hundred MB per guest from Windows Update or WSUS; adjustable",
        assumed=True,
    ),
    Parameter(
        "vm.patch_install_s",
        default=600.0,
        minimum=0.0,
        maximum=86400.0,
        unit="s",
        summary="Installing the update inside one guest, before its reboot",
        source="typical cumulative-update install on Windows Server; adjustable",
        assumed=True,
    ),
    Parameter(
        "vm.update_batch_percent",
        default=25,
        minimum=1,
        maximum=100,
        unit="%",
        summary="Share of a service's VMs patched at once (at least one)",
        source="the same share as Kubernetes' maxUnavailable default, so both worlds may lose "
        "the same capacity",
        assumed=True,
    ),
    # --- Live migration -------------------------------------------------------------------
    Parameter(
        "migration.bandwidth_gbps",
        default=10.0,
        minimum=0.1,
        maximum=400.0,
        unit="Gbit/s",
        summary="Network bandwidth available to live migration",
        source="published live-migration timings: 512 MB VM in 7 s on 1 GbE and 5 s on 10 GbE; "
        "about 80 GB in 13 min 15 s on 1 GbE and 65 s on 10 GbE",
        variants={"1 GbE": 1, "10 GbE": 10},
    ),
    Parameter(
        "migration.dirty_rate_mb_s",
        default=50.0,
        minimum=0.0,
        maximum=100000.0,
        unit="MB/s",
        summary="Rate at which a running guest dirties memory pages during pre-copy",
        source="pre-copy model: rounds until what is left fits the blackout target",
        assumed=True,
    ),
    Parameter(
        "migration.blackout_target_ms",
        default=50.0,
        minimum=1.0,
        maximum=60000.0,
        unit="ms",
        summary="Pre-copy stops once what is left to copy fits in this pause",
        source="pre-copy model: rounds until what is left fits the blackout target",
        assumed=True,
    ),
    Parameter(
        "migration.max_rounds",
        default=10,
        minimum=1,
        maximum=100,
        unit="rounds",
        summary="Pre-copy rounds before the VM is paused whatever is left",
        source="pre-copy model: a cap so that a guest dirtying memory faster than the link "
        "still migrates",
        assumed=True,
    ),
    Parameter(
        "migration.setup_s",
        default=4.0,
        minimum=0.0,
        maximum=600.0,
        unit="s",
        summary="Fixed cost of a live migration: negotiation, creating the target VM, cleanup",
        source="fitted to the published timings: a 512 MB VM takes 5 s on 10 GbE, where the "
        "copy itself is under half a second",
        assumed=True,
    ),
    # --- Kubernetes-style orchestrator -----------------------------------------------------
    Parameter(
        "kubernetes.node_status_update_frequency_s",
        default=10.0,
        minimum=1.0,
        maximum=600.0,
        unit="s",
        summary="How often the kubelet posts its node status",
        source="kubelet default (nodeStatusUpdateFrequency)",
    ),
    Parameter(
        "kubernetes.node_monitor_period_s",
        default=5.0,
        minimum=1.0,
        maximum=600.0,
        unit="s",
        summary="How often the node lifecycle controller checks node status",
        source="kube-controller-manager default (--node-monitor-period)",
    ),
    Parameter(
        "kubernetes.node_monitor_grace_period_s",
        default=50.0,
        minimum=1.0,
        maximum=3600.0,
        unit="s",
        summary="Silence after which a node is marked NotReady and tainted unreachable",
        source="kube-controller-manager default (--node-monitor-grace-period)",
        variants={"v1.32+": 50, "before v1.32": 40},
    ),
    Parameter(
        "kubernetes.default_unreachable_toleration_s",
        default=300.0,
        minimum=0.0,
        maximum=86400.0,
        unit="s",
        summary="How long pods tolerate an unreachable node before they are evicted",
        source="DefaultTolerationSeconds admission plugin "
        "(--default-unreachable-toleration-seconds)",
    ),
    Parameter(
        "kubernetes.max_surge_percent",
        default=25,
        minimum=0,
        maximum=100,
        unit="%",
        summary="Extra pods a rolling update may run above the desired count (rounded up)",
        source="Kubernetes Deployment default (.spec.strategy.rollingUpdate.maxSurge)",
    ),
    Parameter(
        "kubernetes.max_unavailable_percent",
        default=25,
        minimum=0,
        maximum=100,
        unit="%",
        summary="Pods a rolling update may take below the desired count (rounded down)",
        source="Kubernetes Deployment default (.spec.strategy.rollingUpdate.maxUnavailable)",
    ),
    Parameter(
        "kubernetes.max_pods_per_node",
        default=110,
        minimum=1,
        maximum=1000,
        unit="pods",
        summary="Pods one node may run",
        source=_K8S_LARGE,
    ),
    Parameter(
        "kubernetes.max_nodes",
        default=5000,
        minimum=1,
        maximum=5000,
        unit="nodes",
        summary="Nodes per cluster",
        source=_K8S_LARGE,
    ),
    Parameter(
        "kubernetes.max_pods",
        default=150000,
        minimum=1,
        maximum=150000,
        unit="pods",
        summary="Pods per cluster",
        source=_K8S_LARGE,
    ),
    # --- Containers -----------------------------------------------------------------------
    Parameter(
        "container.start_s",
        default=1.2,
        minimum=0.0,
        maximum=600.0,
        unit="s",
        summary="Container start once the image is on the node",
        source="measured Docker container start times; Kubernetes pod-startup SLO is p99 <= 5 s "
        "without image pull",
        variants={"HDD": 1.2, "SSD": 0.6},
    ),
    Parameter(
        "container.image_mb",
        default=101,
        minimum=1,
        maximum=100000,
        unit="MB",
        summary="Size of a service's image when the service names none of its own",
        source="Windows base image sizes",
        variants={"nanoserver": 101, "servercore": 1580},
    ),
    Parameter(
        "container.image_build_s",
        default=120.0,
        minimum=0.0,
        maximum=86400.0,
        unit="s",
        summary="Rebuilding the app's image on a new base image (docker build)",
        source="a Dockerfile that adds the app to a Windows base image; adjustable",
        assumed=True,
    ),
    Parameter(
        "container.memory_overhead_mb",
        default=20,
        minimum=0,
        maximum=4096,
        unit="MB",
        summary="Memory the runtime spends per container, on top of the app",
        source="",
        assumed=True,
    ),
    Parameter(
        "registry.bandwidth_gbps",
        default=1.0,
        minimum=0.01,
        maximum=400.0,
        unit="Gbit/s",
        summary="Bandwidth from the registry to a node; pull time = image size / bandwidth",
        source="image pull time = image size / bandwidth, unless the node has the image cached",
        assumed=True,
    ),
    Parameter(
        "hyperv_isolation.utility_vm_boot_s",
        default=5.0,
        minimum=0.0,
        maximum=600.0,
        unit="s",
        summary="Boot of the lightweight utility VM around a Hyper-V-isolated container",
        source="a container inside a lightweight utility VM",
        assumed=True,
    ),
    Parameter(
        "hyperv_isolation.utility_vm_memory_mb",
        default=256,
        minimum=0,
        maximum=65536,
        unit="MB",
        summary="Memory of the utility VM around a Hyper-V-isolated container",
        source="a container inside a lightweight utility VM",
        assumed=True,
    ),
)

#: Every parameter by its real name.
PARAMETERS: Mapping[str, Parameter] = MappingProxyType({p.name: p for p in _PARAMETERS})


def lookup(name: str) -> Parameter:
    """The parameter called ``name``; an unknown name is answered with the closest known ones."""
    try:
        return PARAMETERS[name]
    except KeyError:
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


def parse_assignment(text: str) -> tuple[str, Value]:
    """Parse ``NAME=VALUE`` from the command line into a checked name and value."""
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name or not raw.strip():
        raise ParameterError(f"--set takes NAME=VALUE, not {text!r}")
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


def markdown_table() -> str:
    """Every parameter as a Markdown table: the one in docs/parameters.md."""
    rows = [
        "| Parameter | Default | Range | What it is | Source |",
        "|---|---|---|---|---|",
    ]
    for p in PARAMETERS.values():
        source = p.source or "—"
        if p.assumed:
            source = "*assumed*" + (f"; {p.source}" if p.source else "")
        default = p.describe_default().removesuffix(" [assumed]")
        rows.append(
            f"| `{p.name}` | {default} | {p.minimum:g} to {p.maximum:g} | {p.summary} | {source} |"
        )
    return "\n".join(rows) + "\n"


def names(prefix: str = "") -> Iterable[str]:
    """Parameter names, in table order, optionally only those under ``prefix``."""
    return [n for n in PARAMETERS if n.startswith(prefix)]
