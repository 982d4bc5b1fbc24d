"""Quorum when hosts crash (no network event): a failover cluster that loses a majority of
its votes at once stops (issue 21's review: a zone's failure must not be survived by a
cluster that a real one would lose).

The rules are :mod:`vmc_gui.model.quorum`'s (sources there and in
docs/research/issue-19-hyperv-partitions.md):

- Each removal is judged against the votes as they stood before it: dynamic quorum drops a
  removed node's vote only once the cluster has kept quorum without it, so nodes that fail
  one by one can leave a last man standing, but "a simultaneous failure of a majority of
  voting members" cannot be sustained ("Configure and manage quorum",
  https://learn.microsoft.com/windows-server/failover-clustering/manage-cluster-quorum).
  Nodes that fail at the same moment are all dead when the first of them is removed (the
  heartbeats take seconds), so they count as one failure.
- The witness votes when the voting nodes are even (dynamic witness); in a run without
  network events it is always reached.
- Without quorum "the cluster must stop running" (Set-ClusterQuorum,
  https://learn.microsoft.com/powershell/module/failoverclusters/set-clusterquorum): nothing
  fails over.  What the survivors do with their VMs the sources do not say; as for a cluster
  with no quorum anywhere in a partition (issue 19, rule 7, an assumption), their VMs run
  on; the nodes are drawn up (their cluster service stopped, which the log says), and take
  no VM until quorum is back.
- The cluster forms again when a majority of those votes is back; then what waited fails over.

Partition runs keep their own quorum (:mod:`vmc_gui.sim.policies.hyperv_partition`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vmc_gui.model.quorum import Witness, votes

if TYPE_CHECKING:
    from vmc_gui.sim.policies.hyperv import HyperVWorld


class CrashQuorum:
    """Per failover cluster: the nodes whose votes count, and whether it has lost quorum."""

    def __init__(self, world: HyperVWorld) -> None:
        self.world = world
        pools = max(world.pool_of, default=0) + 1
        #: Each cluster's voting nodes, in cluster order (dynamic quorum drops a removed one).
        self.voters = [
            [h for h, p in enumerate(world.pool_of) if p == pool] for pool in range(pools)
        ]
        #: Whether each cluster has lost quorum (its cluster service stopped): shared with
        #: the world, whose ``fits`` reads it on every placement.
        self.lost = [False] * pools
        self.witness = Witness.from_setting(world.params["hyperv.witness"])

    def held(self, pool: int) -> tuple[int, int]:
        """The votes the cluster's live nodes (and the witness) hold, and the fewest that
        keep quorum, counted on the votes as they stand."""
        names = self.world.host_names
        standing = votes([names[h] for h in self.voters[pool]], self.witness)
        voting = set(standing.nodes)
        alive = sum(1 for h in self.voters[pool] if self.world.alive[h] and names[h] in voting)
        return alive + standing.witness, standing.majority()

    def node_removed(self, host: int) -> bool:
        """The cluster removed ``host`` (its heartbeats missed): True if its cluster keeps
        quorum (and drops the node's vote), False if it has none (lost now or before)."""
        pool = self.world.pool_of[host]
        if self.lost[pool]:
            return False
        have, need = self.held(pool)
        if have >= need:
            self.voters[pool].remove(host)
            return True
        self.lost[pool] = True
        return False

    def node_back(self, host: int) -> bool:
        """``host`` is up again: True if its cluster regains quorum with it (the votes as they
        stood when it was lost), after which every live node votes again."""
        pool = self.world.pool_of[host]
        if not self.lost[pool]:
            if host not in self.voters[pool]:  # dynamic quorum gives a joining node its vote
                self.voters[pool] = sorted([*self.voters[pool], host])
            return False
        have, need = self.held(pool)
        if have < need:
            return False
        self.lost[pool] = False
        alive = self.world.alive
        self.voters[pool] = [h for h, p in enumerate(self.world.pool_of) if p == pool and alive[h]]
        return True

    def words(self, pool: int) -> str:
        have, need = self.held(pool)
        return (
            f"failover cluster {pool + 1} has lost quorum ({have} of the {need} votes it needs "
            "left): its cluster service is stopped, so nothing fails over until a majority is "
            "back"
        )
