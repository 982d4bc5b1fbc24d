"""A Hyper-V failover cluster in a network partition: quorum, the nodes cut off from it, and
their return (issue 19; docs/research/issue-19-hyperv-partitions.md, "Rules the model can
use", cited below as rule N with the research's verdict).

- **Quorum (rule 3, stated).** After a cut, the part holding more than half of the votes as
  they stood before it keeps the cluster ("Understand cluster and pool quorum"); the others'
  cluster service stops (Event ID 1177, "Configure and manage quorum").  Votes and the witness
  follow :mod:`vmc_gui.model.quorum` (rule 2: dynamic quorum keeps the total odd; the zeroed
  node is the last in cluster order, an assumption).  The survivors re-base the majority on
  themselves as they remove nodes, and a node rejoining gets its vote back (stated, Savill):
  a heal's quorum is logged with those votes counted, though decided on the votes before it.
  A node crashing during a cut does not re-decide quorum: dynamic quorum absorbs nodes lost
  one at a time (stated); only a network change re-decides it.
- **Cut off (rules 1 and 4).** A node outside the quorum part goes silent as a crashed one
  does: removed after ``same_subnet_threshold`` missed heartbeats (stated), then Isolated for
  ``resiliency_default_period_s`` (stated), its VMs Unmonitored: they run where the node still
  reaches the storage, and are Paused-Critical where it does not (stated, Savill).
- **Back in time (rule 5).** A node heard again within the period rejoins: nothing moves
  (Finn 2014, stated), and its VMs resume (stated, Savill in ITPro Today: "Once the
  disconnected node rejoins the cluster, any Paused Critical VMs will resume and continue to
  run.").
- **The period expires (rule 6).** The quorum side marks it Down and starts its VMs on its own
  nodes that reach the storage (Finn, stated).  A paused copy stays behind, stale, until it is
  powered off at the critical-pause timeout or turned off at the heal (assumption).  A copy
  that still runs is not started elsewhere: its node holds the VHDX open (assumption), so no
  VM ever runs twice.
- **No quorum anywhere (rule 7, assumption).** The cluster service stops on every node;
  nobody marks anyone Down and nothing moves until a majority hears itself again.
- **A file share witness** with no named host (``ClusterSpec`` has none) is on a file server
  on the core, reached as the core is: as a cloud witness (an assumption, from the plan).

Each quorum logged is also recorded as a :class:`~vmc_gui.sim.partition_decisions.
PartitionDecision` (with the cluster as it stood at the start, before any cut), so that the
views show the log's numbers.  Nothing here exists in a run without network events: crash-only
runs are unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from vmc_gui.model.quorum import Votes, Witness, quorum_part, votes
from vmc_gui.model.reachability import Reach
from vmc_gui.sim.partition_decisions import PartitionDecision
from vmc_gui.sim.records import EventType, HostStatus, Phase

if TYPE_CHECKING:
    from vmc_gui.sim.policies.hyperv import HyperVWorld

#: Why a VM whose copy on a Down node still runs is not started on the quorum side.
HELD_VHDX = "its isolated copy still runs and holds the VHDX open (assumption)"

#: Where each witness is, in words (a file share has no named host: on the core).
_WITNESS_PLACE = {
    Witness.CLOUD: "a cloud witness",
    Witness.FILE_SHARE: "a file share witness on the core",
    Witness.NONE: "no witness",
}


@dataclass(frozen=True, slots=True)
class _Decision:
    """A failover cluster's quorum, decided after a network change, to be announced."""

    #: The part (in the live reach's partitions) that keeps the cluster, or None.
    index: int | None
    #: The votes as they stood before the change, on which it was decided.
    before: Votes
    #: The nodes that had a vote then.
    voters: frozenset[int]


class Membership:
    """Per failover cluster: the votes, the part that keeps quorum, and which nodes it hears."""

    def __init__(self, world: HyperVWorld) -> None:
        self.world = world
        n = len(world.host_names)
        pools = max(world.pool_of, default=0) + 1
        #: Each failover cluster's nodes, in cluster order.
        self.members = [[h for h in range(n) if world.pool_of[h] == p] for p in range(pools)]
        #: The nodes whose votes count (dynamic quorum drops a removed node's vote).
        self.voters = [set(m) for m in self.members]
        #: The nodes (crashed ones included) on each cluster's quorum side, and whether it has
        #: one at all.
        self.keep = [frozenset(m) for m in self.members]
        self.quorum = [True] * pools
        #: Whether the cluster hears each node: alive and on its quorum side.
        self.heard = [True] * n
        #: Isolated nodes whose resiliency period ended while no part had quorum: the quorum
        #: side marks them Down as soon as it forms again.
        self.overdue = [False] * n
        #: Set while a node the cluster does not hear crashes (the cluster notices nothing).
        self.silent_crash = False
        setting = Witness.from_setting(world.params["hyperv.witness"])
        self.witness = setting
        # A file share with no named host is on a file server on the core (assumption).
        self.reached_as = Witness.CLOUD if setting is Witness.FILE_SHARE else setting
        # Before any cut every node votes and every host reaches the witness: the views'
        # answer until the first quorum is logged.
        everyone = frozenset(world.host_names)
        for pool, members in enumerate(self.members):
            names = [world.host_names[h] for h in members]
            start = votes(names, self.witness)
            self._record(pool, start, start.total, frozenset(names), everyone)

    # --- questions ----------------------------------------------------------------------

    def can_host(self, host: int) -> bool:
        """Whether the quorum side may start a VM on ``host``: it hears it, and the node
        reaches the storage (in a shared-storage world)."""
        storage = self.world.storage_resiliency
        return self.heard[host] and (storage is None or storage.reached[host])

    def on_quorum_side(self, host: int) -> bool:
        return host in self.keep[self.world.pool_of[host]]

    def has_quorum(self, host: int) -> bool:
        return self.quorum[self.world.pool_of[host]]

    def no_room(self, pool: int, up: list[int]) -> str | None:
        """Why the network leaves failover cluster ``pool`` nowhere to start a VM, or None."""
        label = self._label(pool)
        if not self.quorum[pool]:
            return f"{label} has no quorum: its cluster service is stopped on every node"
        if up and not any(self.can_host(h) for h in up):
            return f"no node of {label}'s quorum side reaches the storage"
        return None

    # --- votes ----------------------------------------------------------------------------

    def removed(self, host: int) -> None:
        """The quorum side removed ``host`` from membership: the majority is re-based on the
        survivors (dynamic quorum, stated).  Without a quorum side nobody re-bases."""
        pool = self.world.pool_of[host]
        voters = self.voters[pool]
        # The last voter keeps its vote: the survivors re-base the majority on themselves, and
        # with no vote left none could ever be counted (inferred).
        if self.quorum[pool] and voters - {host}:
            voters.discard(host)

    def rejoined(self, host: int) -> None:
        """``host`` is back in membership: it gets its vote back (Savill, stated)."""
        self.voters[self.world.pool_of[host]].add(host)

    # --- the network changed --------------------------------------------------------------

    def on_network(self, old: Reach, new: Reach) -> None:
        world = self.world
        names = world.host_names
        n = len(names)
        live = new.without(names[h] for h in range(n) if not world.alive[h])
        # The storage first: a node that lost it pauses its VMs at the cut, and one that got it
        # back resumes them before it rejoins.
        storage = world.storage_resiliency
        if storage is not None:
            reaches = new.reach_storage
            for h in range(n):
                if (names[h] in reaches) != storage.reached[h]:
                    storage.reach_changed(h, names[h] in reaches)
        decided = [self._decide(pool, live, new) for pool in range(len(self.members))]
        # The nodes the quorum side is about to hear again get their votes back as they rejoin
        # (Savill, stated): counted before the quorum is told, so a heal's message gives the
        # votes after it.  Who keeps the cluster was decided on the votes before the change.
        for h in range(n):
            returning = world.alive[h] and self.on_quorum_side(h) and not self.heard[h]
            if returning and not world._quarantined(h):  # a quarantined node may not rejoin
                self.rejoined(h)
        for pool, decision in enumerate(decided):
            if decision is not None:
                self._announce(pool, decision, live, new)
        for h in range(n):
            if not world.alive[h]:
                continue
            audible = self.on_quorum_side(h)
            if audible and not self.heard[h]:
                self._heard_again(h)
            elif not audible and self.heard[h]:
                self._cut_off(h)

        def apart(source: int, target: int) -> bool:
            # Either end out of the cluster's hearing, the two cut apart, or the target
            # without the storage: the migration cannot finish.
            heard = self.heard[source] and self.heard[target]
            return (
                not heard
                or not live.hear(names[source], names[target])
                or (storage is not None and not storage.reached[target])
            )

        world.migrations.call_off_where(apart, "the network cut its source off from its target")
        for h in range(n):
            status = world.status[h]
            if status == HostStatus.ISOLATED and self.overdue[h] and self.has_quorum(h):
                if not self.heard[h]:
                    self.overdue[h] = False
                    world._isolation_ends(h)
                    world._down(
                        h,
                        "a quorum formed again while it is still silent, its resiliency period "
                        "over: down, its VMs start on the quorum side",
                    )
            elif status == HostStatus.DOWN and world.alive[h] and not self.heard[h]:
                self.strand(h)  # VMs held there may have paused since (storage lost)
        self.refresh_eligible()

    def refresh_eligible(self) -> None:
        """Nodes may take VMs again (or no longer): forget cached refusals and reasons, and
        offer the waiting VMs what there is."""
        world = self.world
        world.status_changes += 1
        world.placer.epoch += 1
        world.retry_pending()

    def _decide(self, pool: int, live: Reach, new: Reach) -> _Decision | None:
        """Which part keeps failover cluster ``pool``, on the votes as they stood before the
        change: what to announce when that changed, or None."""
        world = self.world
        names = world.host_names
        if not any(world.alive[h] for h in self.voters[pool]):
            # Every node that still had a vote is down: the cluster can only form again from
            # its configured nodes, as at a cold start (an assumption).
            self.voters[pool] = set(self.members[pool])
        voting = [names[h] for h in self.members[pool] if h in self.voters[pool]]
        before = votes(voting, self.witness)
        index = quorum_part(live, before, self.reached_as) if voting else None
        if index is None:
            keep: frozenset[int] = frozenset()
        else:
            part = live.partitions[index]
            anchor = next(name for name in before.nodes if name in part)
            whole = new.partitions[new.part_of[anchor]]  # with the crashed nodes in it
            keep = frozenset(h for h in self.members[pool] if names[h] in whole)
        had = self.quorum[pool]
        if keep == self.keep[pool] and had == (index is not None):
            return None
        self.keep[pool] = keep
        self.quorum[pool] = index is not None
        return _Decision(index, before, frozenset(self.voters[pool]))

    def _announce(self, pool: int, decision: _Decision, live: Reach, new: Reach) -> None:
        """Log (and record) failover cluster ``pool``'s quorum, decided by ``decision``: at a
        heal, with the votes of the nodes that rejoin counted again."""
        world = self.world
        names = world.host_names
        before, index = decision.before, decision.index
        if index is None:
            best = max((self._held(part, before, live) for part in live.partitions), default=0)
            self._record(pool, before, best, None, new.reach_clients)
            world.log(
                EventType.QUORUM_LOST,
                detail=f"{self._label(pool)}: no part holds {before.majority()} of "
                f"{before.total} votes (the most: {best}), so the cluster service stops on "
                "every node (Event ID 1177, stated); nothing fails over until a majority "
                "hears itself again (assumption)",
            )
            return
        part = live.partitions[index]
        keep = self.keep[pool]
        alive_members = [h for h in self.members[pool] if world.alive[h]]
        stopped = sum(1 for h in alive_members if h not in keep)
        tail = (
            f"; the cluster service stops on the {stopped} live node{'s' * (stopped != 1)} "
            "cut off from it (Event ID 1177, stated)"
            if stopped
            else "; every live node hears it"
        )
        back = len(self.voters[pool] - decision.voters)
        keeper = frozenset(names[h] for h in keep)
        if not back:
            self._record(pool, before, self._held(part, before, live), keeper, new.reach_clients)
            world.log(
                EventType.QUORUM_KEPT,
                detail=f"{self._label(pool)}: {self._describe(part, before, live)} keep it, "
                f"{before.majority()} of {before.total} needed (more than half of the votes as "
                f"they stood before this change, stated){tail}",
            )
            return
        # A heal: the part that kept quorum hears nodes again, and they have their votes back.
        voting = [names[h] for h in self.members[pool] if h in self.voters[pool]]
        after = votes(voting, self.witness)
        self._record(pool, after, self._held(part, after, live), keeper, new.reach_clients)
        world.log(
            EventType.QUORUM_KEPT,
            detail=f"{self._label(pool)}: {self._describe(part, after, live)} keep it, "
            f"{after.majority()} of {after.total} needed (more than half of the votes, stated; "
            f"the {back} node{'s' * (back != 1)} it hears again rejoin{'s' * (back == 1)} with "
            f"{'their votes' if back != 1 else 'its vote'} back, stated by Savill){tail}",
        )

    def _record(
        self,
        pool: int,
        counted: Votes,
        held: int,
        keeper: frozenset[str] | None,
        reach_clients: frozenset[str],
    ) -> None:
        """Record failover cluster ``pool``'s quorum as logged: ``counted`` the votes the log
        gives, ``held`` the keeper's (or the most any part holds), ``reach_clients`` the hosts
        that reach the core, as a cloud witness (or a file share on the core) is reached."""
        self.world.partition_decisions.append(
            PartitionDecision(
                self.world.engine.now,
                pool,
                held,
                counted.majority(),
                counted.total,
                keeper,
                nodes=len(counted.nodes),
                witness=self.witness,
                witness_place=_WITNESS_PLACE[self.witness],
                witness_votes=counted.witness,
                witness_reached_by=(
                    reach_clients if self.reached_as is Witness.CLOUD else frozenset()
                ),
                zeroed=counted.zeroed,
            )
        )

    def _held(self, part: frozenset[str], before: Votes, live: Reach) -> int:
        nodes = sum(1 for name in before.nodes if name in part)
        return nodes + (before.witness if self._reaches_witness(part, live) else 0)

    def _reaches_witness(self, part: frozenset[str], live: Reach) -> bool:
        # The cloud witness (and a file share on the core) is reached through the core, as
        # the clients are (model/quorum.py).
        return self.reached_as is Witness.CLOUD and bool(part & live.reach_clients)

    def _describe(self, part: frozenset[str], before: Votes, live: Reach) -> str:
        nodes = sum(1 for name in before.nodes if name in part)
        witness = before.witness and self._reaches_witness(part, live)
        text = f"{nodes + witness} votes ({nodes} node{'s' * (nodes != 1)}"
        if witness:
            text += f" and the {self.witness.value.replace('_', ' ')} witness"
        text += ")"
        if before.zeroed:
            text += (
                f" (dynamic quorum zeroed {before.zeroed}'s vote, no witness; which node is an "
                "assumption)"
            )
        return text

    def _label(self, pool: int) -> str:
        return "the failover cluster" if len(self.members) == 1 else f"failover cluster {pool + 1}"

    # --- a node cut off, a node heard again -----------------------------------------------

    def _cut_off(self, host: int) -> None:
        """The quorum side stops hearing live ``host``: the same detection as a crash."""
        world = self.world
        world.contact_epoch[host] += 1
        self.heard[host] = False
        world.casualties[host] = []  # an earlier crash's VMs have all been dealt with
        if world.status[host] in (HostStatus.UP, HostStatus.DRAINING):
            world.silent_since[host] = world.engine.now
            world.miss_heartbeats(host)
        # Already out of membership (isolated, down, quarantined): nothing new to notice.

    def _heard_again(self, host: int) -> None:
        """The quorum side hears live ``host`` again."""
        world = self.world
        world.contact_epoch[host] += 1  # its pending missed heartbeats and periods are void
        self.heard[host] = True
        overdue, self.overdue[host] = self.overdue[host], False
        was = HostStatus(world.status[host])
        if was in (HostStatus.UP, HostStatus.DRAINING):
            return  # heard again before it was removed: nothing happened
        if was == HostStatus.ISOLATED:
            world._isolation_ends(host)
        if world._quarantined(host):
            self._stop_copies(host, "turned off at the heal: its node is quarantined")
            world.set_host_status(
                host,
                HostStatus.QUARANTINED,
                EventType.NODE_REJOINED,
                f"heard again, but quarantined until {world.quarantined_until[host]:g} s: it "
                "may not rejoin or host VMs, and its VMs live-migrate away (stated)",
            )
            world.rebalance(host, len(world.on_host[host]))
            return
        if was == HostStatus.DOWN or was == HostStatus.QUARANTINED:
            self._stop_copies(
                host,
                "turned off at the heal: its node rejoined and found the VM running elsewhere "
                "(assumption)",
            )
        for w in world.on_host[host]:
            world.stalled.pop(w, None)  # monitored again, on the one node it runs on
        detail = {
            HostStatus.ISOLATED: "heard again within the resiliency period: back in active "
            "membership, nothing moves, its VMs monitored again (Finn 2014, stated)"
            if not overdue
            else "heard again as the cluster forms again: nobody marked it down meanwhile, "
            "so nothing moved; its VMs monitored again (assumption)",
            HostStatus.FAILED: "heard again before it was removed: back in active membership",
        }.get(
            was,
            "heard again: rejoined the cluster (stopped nodes 'will automatically rejoin the "
            "cluster', 'Understand cluster and pool quorum', stated)",
        )
        world.set_host_status(host, HostStatus.UP, EventType.NODE_REJOINED, detail)
        # Its vote is back already: on_network counted it before announcing the quorum.
        # VMs that died there (it crashed while cut off) or were powered off start again
        # where they were, as after a crash noticed late (hyperv.on_host_recovered).
        for w in world.casualties[host]:
            if world.w_phase[w] == Phase.FAILED and world.w_host[w] == host:
                world.occupy(w, host)
                world.start_on(w, host)
        world.placer.freed(host)
        world.retry_pending()
        world.host_joined(host)

    def _stop_copies(self, host: int, why: str) -> None:
        world = self.world
        if world.copies is None:
            return
        for key in world.copies.copy_on(host):
            world.stop_left_copy(key, why)

    # --- the period is over: what stays, what moves -------------------------------------

    def strand(self, host: int) -> None:
        """``host`` is Down but alive (cut off): a paused VM is started on the quorum side and
        its copy stays behind; a VM that still runs there is held (never two running)."""
        world = self.world
        name = world.host_names[host]
        for w in list(world.on_host[host]):
            phase = world.w_phase[w]
            if phase == Phase.PAUSED and world.w_pin[w] < 0:
                world.leave_copy(w, host)
                world.set_phase(
                    w,
                    Phase.PENDING,
                    -1,
                    EventType.WORKLOAD_RESTARTING,
                    f"failover: its copy on {name} is Paused-Critical and stays there, stale",
                )
                world.place(w)
            elif w not in world.stalled:
                reason = world.pinned_reason(w) if world.w_pin[w] >= 0 else HELD_VHDX
                world.stalled[w] = reason
                world.log(EventType.WORKLOAD_UNSCHEDULABLE, w, host, -1, reason)
