"""Light and dark themes: the colours every scene and export draws with."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor

from vmc_gui.sim.records import Phase

if TYPE_CHECKING:  # the fills are keyed by the kinds' values: a still of a cluster loads no
    # stack diagrams (tests/ui/test_theme.py checks every kind has its fill)
    from vmc_gui.model.stacks import LayerKind


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    background: QColor
    text: QColor
    muted: QColor
    #: Each layer kind's fill; text on it is chosen for contrast.
    #: By layer kind (a ``LayerKind``, a str enum: its value finds it).
    fills: MappingProxyType[str, QColor]
    outline: QColor
    hover: QColor
    selected: QColor
    shared: QColor
    compromised: QColor
    strong_boundary: QColor
    weak_boundary: QColor
    bar_app: QColor
    bar_overhead: QColor
    #: The cluster view: cards, and each workload phase's colour by Phase code.
    card: QColor
    card_failed: QColor
    #: A host its balancer would call hot: the card's edge and badge, and its tint.
    hot: QColor
    card_hot: QColor
    #: A host that runs but that the clients no longer reach (a network partition): the
    #: card's edge and badge, and its tint.  Neither failed red nor the hot warning: the
    #: host is fine, the network around it is not.
    cut: QColor
    card_cut: QColor
    phases: MappingProxyType[int, QColor]
    #: Each world's colour: its title in the cluster view, its lines in the charts.
    worlds: MappingProxyType[str, QColor]

    def phase(self, code: int) -> QColor:
        return self.phases.get(code, self.muted)

    def world(self, world: str) -> QColor:
        """``world``'s colour, by its value (``vm``, ``container``, ...)."""
        return self.worlds.get(world, self.text)

    def fill(self, kind: LayerKind) -> QColor:
        return self.fills[kind]

    def text_on(self, fill: QColor) -> QColor:
        """Dark or light text, whichever reads better on ``fill``."""
        luminance = 0.2126 * fill.redF() + 0.7152 * fill.greenF() + 0.0722 * fill.blueF()
        return QColor("#15181d") if luminance > 0.55 else QColor("#ffffff")


def _phases(**colours: str) -> MappingProxyType[int, QColor]:
    return MappingProxyType({int(Phase[k.upper()]): QColor(v) for k, v in colours.items()})


def mixed(colour: QColor, background: QColor, strength: float) -> QColor:
    """``colour`` at ``strength`` laid over ``background``, opaque: it looks translucent,
    but Qt fills it without blending (translucent wide lines and large fills cost the most)."""
    return QColor(
        *(
            round(strength * c + (1 - strength) * b)
            for c, b in zip(colour.getRgb()[:3], QColor(background).getRgb()[:3], strict=True)
        )
    )


def _worlds(**colours: str) -> MappingProxyType[str, QColor]:
    return MappingProxyType({k.replace("_", "-"): QColor(v) for k, v in colours.items()})


def _fills(**colours: str) -> MappingProxyType[str, QColor]:
    return MappingProxyType({k.replace("_", "-"): QColor(v) for k, v in colours.items()})


LIGHT = Theme(
    name="light",
    background=QColor("#f6f7f9"),
    text=QColor("#1b2330"),
    muted=QColor("#5d6775"),
    fills=_fills(
        hardware="#4a5361",
        hypervisor="#6e56a8",
        host_kernel="#2d63a8",
        host_user_mode="#5b8fd0",
        container_runtime="#4479c0",
        virtual_switch="#7a9fd6",
        host_firewall="#8a6bbf",
        guest_kernel="#c8692a",
        guest_user_mode="#e49a5c",
        utility_vm_kernel="#b5803a",
        container_user_mode="#2f9472",
        vnic="#8cb5a0",
        app="#f1c453",
    ),
    outline=QColor(0, 0, 0, 40),
    hover=QColor("#1b2330"),
    selected=QColor("#0a84ff"),
    shared=QColor("#0a84ff"),
    compromised=QColor("#d7263d"),
    strong_boundary=QColor("#6e56a8"),
    weak_boundary=QColor("#8a94a3"),
    bar_app=QColor("#f1c453"),
    bar_overhead=QColor("#c8692a"),
    card=QColor("#ffffff"),
    card_failed=QColor("#fde3e5"),
    hot=QColor("#c2410c"),
    card_hot=QColor("#fff1e6"),
    cut=QColor("#4f46b8"),
    card_cut=QColor("#e9e8fb"),
    phases=_phases(
        pending="#9aa3af",
        provisioning="#e8b27a",
        pulling="#4bb3c6",
        booting="#e08a3c",
        starting="#e9c03f",
        updating="#5b8fd0",
        ready="#2f9e6b",
        migrating="#8a6bbf",
        failed="#d7263d",
        terminating="#a8707c",
        attaching="#8d6e3f",
        # Paused-Critical: holding memory, running nothing; apart from every other VM phase.
        paused="#d0589a",
    ),
    worlds=_worlds(
        vm="#2f6fd0",
        vm_smb_share="#2f6fd0",
        vm_local_disk="#6b4fbb",
        # Dark enough to read as text on the light background (WCAG AA, 4.5:1 and more):
        # the world's colour titles its header and its result.
        container="#a85400",
        container_shared_volume="#a85400",
        container_node_volume="#b0366c",
        container_disk_volume="#a0522d",
        hyperv_container="#177a6d",
    ),
)

DARK = Theme(
    name="dark",
    background=QColor("#181b20"),
    text=QColor("#e8ebf0"),
    muted=QColor("#9aa4b2"),
    fills=_fills(
        hardware="#5b6575",
        hypervisor="#7d66bd",
        host_kernel="#3a72bd",
        host_user_mode="#4f81c2",
        container_runtime="#4479c0",
        virtual_switch="#6a8fc6",
        host_firewall="#8466b8",
        guest_kernel="#c96f33",
        guest_user_mode="#d98d4f",
        utility_vm_kernel="#b07b38",
        container_user_mode="#2e8c6c",
        vnic="#5f8f78",
        app="#e2b644",
    ),
    outline=QColor(255, 255, 255, 40),
    hover=QColor("#e8ebf0"),
    selected=QColor("#4da3ff"),
    shared=QColor("#4da3ff"),
    compromised=QColor("#ff4d5e"),
    strong_boundary=QColor("#a08be0"),
    weak_boundary=QColor("#7c8696"),
    bar_app=QColor("#e2b644"),
    bar_overhead=QColor("#c96f33"),
    card=QColor("#232830"),
    card_failed=QColor("#4a2228"),
    hot=QColor("#fb923c"),
    card_hot=QColor("#3a2a1f"),
    cut=QColor("#a5a0ff"),
    card_cut=QColor("#2a2846"),
    phases=_phases(
        pending="#6b7482",
        provisioning="#c99a66",
        pulling="#3f9fb2",
        booting="#d98436",
        starting="#d9b43c",
        updating="#4f81c2",
        ready="#35b07a",
        migrating="#9c80d6",
        failed="#ff4d5e",
        terminating="#c98a97",
        attaching="#b8925c",
        paused="#e474b2",
    ),
    worlds=_worlds(
        vm="#6ea2ff",
        vm_smb_share="#6ea2ff",
        vm_local_disk="#a58cf0",
        container="#ff9f43",
        container_shared_volume="#ff9f43",
        container_node_volume="#f06fa8",
        container_disk_volume="#e08a5a",
        hyperv_container="#3cc7b2",
    ),
)

THEMES = MappingProxyType({"light": LIGHT, "dark": DARK})
