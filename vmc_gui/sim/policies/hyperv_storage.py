"""Hyper-V storage resiliency: a VM whose node loses its storage pauses, and resumes when the
storage is back (issue 19, docs/research/issue-19-hyperv-partitions.md section 3).

The rules and their sources:

- **Pause and resume (stated).** "When a VM disconnects from its underlying storage, it pauses
  and waits for storage to recover. While paused, the VM retains the context of applications
  ... When the connection between the VM and storage is restored, the VM returns to its
  running state" ("What's new in Windows Server 2016", Microsoft Learn).  The VM's
  ``AutomaticCriticalErrorAction`` "Pause Resume" does it "when a critical error happens, like
  storage disconnect" (``Msvm_VirtualSystemSettingData``, Microsoft Learn).
- **Paused-Critical (stated, a book).** Hyper-V will "freeze the VM. This results in the VM
  going into a Paused-Critical state" (Savill, *Mastering Windows Server 2016 Hyper-V*).  It
  holds its memory and executes nothing: it is not a running copy.
- **Powered off after the timeout (stated; its default secondary).**
  ``AutomaticCriticalErrorActionTimeout``: "Once the timeout expires, the VM will be powered
  off" (``Msvm_VirtualSystemSettingData``); 30 minutes by default on third-party pages only
  (``hyperv.critical_pause_timeout_s``).  A VM the cluster still owns (its node in active
  membership) is then restarted by the cluster where the storage is reached (inferred: a
  failed VM role is restarted); one on a node cut off waits for the cluster to decide.
- **Only shared storage pauses.** A VHD on the node's own disk needs no network: the
  local-disk world never pauses (inferred).

Assumptions (the sources say nothing):

- A VM caught **booting** (provisioning, first boot, a patch reboot, the app's start) starts
  that step over when the storage returns: its progress is not kept.
- A VM the cluster tries to start on a node that does not reach the storage (a node powered on
  with its VMs) waits Paused-Critical until the storage returns, and then boots.
- A copy **left behind** on a cut-off node (its VM started again on the quorum side) never
  resumes: the running copy holds the VHDX (the VHDX-lock assumption, research section 2), so
  it stays paused until it is powered off at the timeout or turned off at the heal.

Nothing here exists in a run without network events, so crash-only runs are unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from vmc_gui.sim.engine import Priority
from vmc_gui.sim.records import EventType, Phase

if TYPE_CHECKING:
    from vmc_gui.sim.policies.hyperv import HyperVWorld

#: The phases in which a VM's guest needs its VHDX: they pause when the storage goes.
PAUSABLE = frozenset(
    {
        Phase.PROVISIONING,
        Phase.BOOTING,
        Phase.STARTING,
        Phase.UPDATING,
        Phase.READY,
        Phase.MIGRATING,
    }
)
#: The phases that resume where they were (a serving guest keeps its memory); the others
#: start their step over (an assumption, see the module's note).
_RESUME_IN_PLACE = frozenset({Phase.READY, Phase.MIGRATING})

# What a storage loss reads for each of a node's VMs, looked up once: on Python 3.11 an enum
# class's attribute, or a call of the class, is slow (see vmc_gui/sim/world.py), and a
# partition pauses thousands of VMs at once.  ``_PHASE`` gives the same members Phase() does.
_PHASE = {int(phase): phase for phase in Phase}
_PAUSED = Phase.PAUSED
_PAUSED_EVENT = EventType.WORKLOAD_PAUSED
_CONTROL = Priority.CONTROL

PAUSED_DETAIL = (
    "Paused-Critical: its node lost the storage; it keeps its memory and runs nothing "
    "(storage resiliency, stated: What's new in Windows Server 2016)"
)


@dataclass(slots=True)
class _Pause:
    host: int
    since: float
    #: The phase it paused in: READY and MIGRATING resume, the rest start over.
    phase: int


class StorageResiliency:
    """Which nodes reach the shared storage, and the VMs and left copies paused for it."""

    def __init__(self, world: HyperVWorld) -> None:
        self.world = world
        #: Whether each host reaches the storage (crashed ones included: they find out once
        #: they are powered on again).
        self.reached = [True] * len(world.host_names)
        #: The VMs paused now, by VM.
        self.paused: dict[int, _Pause] = {}
        #: Paused copies left behind on a cut-off node, by the VM they were: since when.
        self.left_since: dict[int, float] = {}
        self.configure()

    def configure(self) -> None:
        self.timeout = self.world.params.seconds("hyperv.critical_pause_timeout_s")

    # --- the network changed ------------------------------------------------------------

    def reach_changed(self, host: int, reached: bool) -> None:
        """``host`` lost or regained the storage: its VMs pause, or resume."""
        self.reached[host] = reached
        world = self.world
        if not world.alive[host]:
            return  # nothing runs there; its VMs find out when it is powered on again
        for w in list(world.on_host[host]):
            phase = world.w_phase[w]
            if not reached and phase in PAUSABLE:
                self.pause(w, host)
            elif reached and phase == _PAUSED:
                self.resume(w, host)

    def pause(self, w: int, host: int) -> None:
        """``w``, running or starting on ``host``, loses its storage."""
        phase = _PHASE[self.world.w_phase[w]]
        detail = PAUSED_DETAIL
        if phase not in _RESUME_IN_PLACE:
            detail += f"; its {phase.label} starts over once the storage is back (assumption)"
        self._pause(w, host, phase, detail)

    def pause_start(self, w: int, host: int, phase: Phase) -> None:
        """The cluster starts ``w`` on ``host``, which does not reach the storage: it waits
        paused for it, and begins ``phase`` once it is back (an assumption)."""
        self._pause(
            w,
            host,
            phase,
            "Paused-Critical before it could start: its node does not reach the storage "
            "(assumption: it waits for the storage as a running VM does)",
        )

    def _pause(self, w: int, host: int, phase: Phase, detail: str) -> None:
        world = self.world
        world.set_phase(w, _PAUSED, host, _PAUSED_EVENT, detail)
        now = world.engine.now
        self.paused[w] = _Pause(host, now, phase)
        world.vm_paused(w)
        world.engine.at(now + self.timeout, _CONTROL, self._timed_out, w, host, now)

    def resume(self, w: int, host: int) -> None:
        world = self.world
        paused = self.paused.pop(w, None)
        phase = Phase.BOOTING if paused is None else Phase(paused.phase)
        if phase in _RESUME_IN_PLACE:
            world.set_phase(
                w,
                Phase.READY,
                host,
                EventType.WORKLOAD_RESUMED,
                "the storage is back: it resumes where it was, its memory kept (storage "
                "resiliency, stated)",
            )
            world.vm_resumed(w, host)
            return
        world.log(
            EventType.WORKLOAD_RESUMED,
            w,
            host,
            -1,
            f"the storage is back: its {phase.label} starts over (assumption)",
        )
        world.restart_step(w, host, phase)

    # --- copies left behind -------------------------------------------------------------

    def leave(self, w: int) -> None:
        """Paused ``w`` stays behind as a stale copy while the cluster starts it elsewhere; its
        timeout keeps running."""
        paused = self.paused.pop(w, None)
        self.left_since[w] = paused.since if paused is not None else self.world.engine.now

    def _timed_out(self, w: int, host: int, since: float) -> None:
        world = self.world
        waited = f"{self.timeout:g} s"
        paused = self.paused.get(w)
        if (
            paused is not None
            and paused.since == since
            and paused.host == host
            and world.w_phase[w] == Phase.PAUSED
            and world.w_host[w] == host
        ):
            del self.paused[w]
            world.power_off(
                w,
                host,
                f"powered off: Paused-Critical for {waited} (AutomaticCriticalErrorAction"
                "Timeout, stated; its 30-minute default is secondary)",
            )
            return
        copies = world.copies
        left = copies.left.get(w) if copies is not None else None
        if left is not None and left.host == host and self.left_since.get(w) == since:
            world.stop_left_copy(
                w,
                f"its stale copy on {world.host_names[host]} powered off: Paused-Critical for "
                f"{waited} (AutomaticCriticalErrorActionTimeout, stated)",
            )

    def copy_stopped(self, w: int) -> None:
        self.left_since.pop(w, None)
