"""What the engine decided about each platform's brain in a network partition, as it decided
it: who keeps each failover cluster's quorum, with how many votes, and where Kubernetes'
control plane works (or that it is frozen).

The platforms record a :class:`PartitionDecision` where they decide (``hyperv_partition.py``
where it logs QUORUM_KEPT and QUORUM_LOST; ``kubernetes.py`` where the control plane moves,
freezes or thaws), and the views read the last one at or before a time
(:func:`decision_at`): the numbers the inspector shows are the log's, never counted again.
Only runs with network events record any; recording logs nothing.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from vmc_gui.model.quorum import Witness

#: The ``pool`` of a decision on Kubernetes' control plane (a failover cluster's is its index).
CONTROL_PLANE = -1


@dataclass(frozen=True, slots=True)
class PartitionDecision:
    """One decision: a failover cluster's quorum, or where the control plane works."""

    time: float
    #: The failover cluster's index (0-based, in ``HyperVWorld.pool_of``), or CONTROL_PLANE.
    pool: int
    #: The votes the keeping part holds (etcd's members together in it); where no part keeps
    #: it, the most any one part holds.
    held: int
    #: The fewest votes (etcd members) that are more than half.
    needed: int
    #: Every vote counted (the failover cluster's nodes and witness; etcd's members).
    total: int
    #: The hosts on the keeping side, crashed ones included (a failover cluster's: its own
    #: nodes; the control plane's: every host that reaches it), or None: no part has a
    #: majority (no quorum, the control plane frozen).
    keeper: frozenset[str] | None
    #: A failover cluster's voting nodes (their votes and the witness's make ``total``).
    nodes: int = 0
    #: The witness, where it is in words ("a cloud witness"), and whether its vote counts.
    witness: Witness = Witness.NONE
    witness_place: str = ""
    witness_votes: int = 0
    #: The hosts that reach the witness, crashed ones included (none: no part does).
    witness_reached_by: frozenset[str] = frozenset()
    #: The node whose vote dynamic quorum zeroed (no witness, even nodes), or "".
    zeroed: str = ""

    @property
    def kept(self) -> bool:
        """Whether a part holds a majority (the cluster has quorum; the control plane works)."""
        return self.keeper is not None


def decision_at(
    decisions: Sequence[PartitionDecision], pool: int, t: float
) -> PartitionDecision | None:
    """The last of ``decisions`` (in time order) on ``pool`` at or before ``t``, or None."""
    for index in range(bisect_right(decisions, t, key=lambda d: d.time) - 1, -1, -1):
        if decisions[index].pool == pool:
            return decisions[index]
    return None


def pools_decided(decisions: Sequence[PartitionDecision]) -> list[int]:
    """The failover clusters with a decision, in order (the control plane is not one)."""
    return sorted({d.pool for d in decisions if d.pool != CONTROL_PLANE})
