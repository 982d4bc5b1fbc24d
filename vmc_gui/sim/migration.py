"""Live migration by pre-copy: the arithmetic, kept apart so that tests can check it by hand.

The source keeps running while its memory is copied.  Round 1 copies all of it; each later
round copies what the guest dirtied during the round before.  Once what is left would copy
within the blackout target (or the round cap is reached), the VM is paused, the rest is
copied, and the VM resumes on the target: that pause is the blackout.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PreCopy:
    """A planned live migration."""

    #: Megabytes copied in each round, and how long each round takes.
    round_mb: tuple[float, ...]
    round_s: tuple[float, ...]
    #: What is left when the VM pauses, and how long the pause lasts.
    blackout_mb: float
    blackout_s: float

    @property
    def total_s(self) -> float:
        return sum(self.round_s) + self.blackout_s


def megabytes_per_second(gbps: float) -> float:
    """A link's rate in MB/s: Gbit/s * 1000 / 8."""
    return gbps * 1000.0 / 8.0


def plan_precopy(
    memory_mb: float,
    bandwidth_gbps: float,
    dirty_rate_mb_s: float,
    blackout_target_s: float,
    max_rounds: int,
) -> PreCopy:
    """The rounds and the blackout of migrating ``memory_mb`` of a running guest."""
    rate = megabytes_per_second(bandwidth_gbps)
    left = memory_mb
    round_mb: list[float] = []
    round_s: list[float] = []
    for _ in range(max_rounds):
        seconds = left / rate
        round_mb.append(left)
        round_s.append(seconds)
        # What the guest dirtied meanwhile is what the next round copies (never more than
        # the whole memory).
        left = min(memory_mb, dirty_rate_mb_s * seconds)
        if left / rate <= blackout_target_s:
            break
    return PreCopy(tuple(round_mb), tuple(round_s), left, left / rate)
