"""Which part of a cut-off failover cluster keeps it: votes, the witness and dynamic quorum.

The rules, with their sources (docs/research/issue-19-hyperv-partitions.md):

- Every node has a vote; the part that holds **more than half** of the votes keeps the
  cluster, and the cluster service stops on the others ("Understand cluster and pool quorum",
  https://learn.microsoft.com/en-us/windows-server/storage/storage-spaces/quorum).
- The votes are counted as they stood **before** the cut: dynamic quorum adjusts the votes as
  nodes leave one by one, and "does not allow the cluster to sustain a simultaneous failure of
  a majority of voting members" ("Configure and manage quorum",
  https://learn.microsoft.com/en-us/windows-server/failover-clustering/manage-cluster-quorum).
- The witness's vote counts in the part that reaches it.  With dynamic witness it votes when
  the voting nodes are even and not when they are odd, so the total is always odd
  ("Understand cluster and pool quorum").
- Without a witness and with an even number of nodes, dynamic quorum zeroes one node's vote
  ("one unlucky node", "Understand cluster and pool quorum").  Which node is not documented:
  the model takes the last node in cluster order, so that runs repeat (an assumption, said
  where it is used).
- A cloud witness is reached through the core switch, as the internet is; a file share witness
  lives on a named host.

Pure functions on :class:`~vmc_gui.model.reachability.Reach`; the engine asks them when a
partition starts or heals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from vmc_gui.model.parameters import Value, lookup
from vmc_gui.model.reachability import Reach


class Witness(StrEnum):
    """Where the failover cluster's witness is (``hyperv.witness``)."""

    #: An Azure storage account, reached over the internet: through the core switch.
    CLOUD = "cloud"
    #: A file share on one of the hosts.
    FILE_SHARE = "file_share"
    NONE = "none"

    @classmethod
    def from_setting(cls, value: Value) -> Witness:
        """The witness ``hyperv.witness``'s ``value`` names (0 none, 1 cloud, 2 file_share):
        the setting's named values are this enum's, so the two cannot drift apart."""
        names = lookup("hyperv.witness").value_names() or {}
        name = names.get(int(value)) if float(value).is_integer() else None
        if name is None:
            raise ValueError(f"hyperv.witness has no witness {value:g}")
        return cls(name)


@dataclass(frozen=True, slots=True)
class Votes:
    """The votes as they stood before a cut: each voting node's, and the witness's."""

    nodes: tuple[str, ...]
    witness: int
    #: The node whose vote dynamic quorum zeroed (no witness, even nodes), or "".
    zeroed: str = ""

    @property
    def total(self) -> int:
        return len(self.nodes) + self.witness

    def majority(self) -> int:
        """The fewest votes that are more than half."""
        return self.total // 2 + 1


def votes(members: Sequence[str], witness: Witness) -> Votes:
    """The votes of the cluster's ``members`` (the nodes up before the cut, in cluster order)
    with ``witness``: dynamic quorum keeps the total odd."""
    even = len(members) % 2 == 0
    if witness is not Witness.NONE:
        return Votes(tuple(members), 1 if even else 0)
    if even and members:
        # Assumption: the docs' "unlucky" node is the last one (documented as one node,
        # not which one); a fixed choice keeps runs repeatable.
        return Votes(tuple(members[:-1]), 0, zeroed=members[-1])
    return Votes(tuple(members), 0)


def quorum_part(cut: Reach, before: Votes, witness: Witness, witness_host: str = "") -> int | None:
    """The index (in ``cut.partitions``) of the part that keeps the cluster, or None if no
    part holds a majority (then the cluster service stops everywhere)."""
    need = before.majority()
    for index, part in enumerate(cut.partitions):
        held = sum(1 for node in before.nodes if node in part)
        if before.witness and _reaches_witness(cut, part, witness, witness_host):
            held += 1
        if held >= need:
            return index
    return None


def _reaches_witness(cut: Reach, part: frozenset[str], witness: Witness, host: str) -> bool:
    if witness is Witness.CLOUD:
        return bool(part & cut.reach_clients)  # the clients' side is the core's, the internet's
    if witness is Witness.FILE_SHARE:
        return host in part
    return False
