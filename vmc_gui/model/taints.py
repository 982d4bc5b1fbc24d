"""Taints and tolerations, as Kubernetes matches them (issue 21).

A node's taint repels the pods that do not tolerate it: ``NoSchedule`` keeps new ones off,
``NoExecute`` also evicts the ones running, ``PreferNoSchedule`` is only a preference
(https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/).  The
matching below is the API's own ``Toleration.ToleratesTaint``
(https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/v1/helper/helpers.go):
an empty effect matches every effect, an empty key with ``Exists`` matches every key, and
``Equal`` (the default operator) also compares the values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: The effects a taint may have.
TAINT_EFFECTS = frozenset({"NoSchedule", "PreferNoSchedule", "NoExecute"})
#: A toleration's operators; the API takes an empty one as ``Equal``.
OPERATORS = frozenset({"Equal", "Exists"})
#: The effects the scheduler's TaintToleration filter enforces (PreferNoSchedule only scores).
HARD_EFFECTS = frozenset({"NoSchedule", "NoExecute"})

#: A taint as kubectl prints it, ``key=value:Effect`` or ``key:Effect``.
_TAINT = re.compile(
    r"^(?P<key>[A-Za-z0-9][A-Za-z0-9./_-]{0,315})(=(?P<value>[A-Za-z0-9._-]{0,63}))?:"
    r"(?P<effect>NoSchedule|PreferNoSchedule|NoExecute)$"
)


@dataclass(frozen=True, slots=True)
class Taint:
    """A node's taint, as ``kubectl`` prints it: ``key=value:effect``."""

    key: str
    value: str
    #: ``NoSchedule``, ``PreferNoSchedule`` or ``NoExecute``.
    effect: str

    @property
    def text(self) -> str:
        """As kubectl prints it (and a scenario file writes it)."""
        return (
            f"{self.key}={self.value}:{self.effect}" if self.value else f"{self.key}:{self.effect}"
        )


def parse_taint(text: str) -> Taint:
    """``key=value:Effect`` or ``key:Effect`` as a Taint; ValueError otherwise."""
    found = _TAINT.match(text)
    if found is None:
        raise ValueError(
            f"{text!r} is not a taint: write key=value:Effect, the effect NoSchedule, "
            "PreferNoSchedule or NoExecute"
        )
    return Taint(found["key"], found["value"] or "", found["effect"])


@dataclass(frozen=True, slots=True)
class Toleration:
    """A pod's toleration (Kubernetes' ``operator`` ``Equal`` or ``Exists``)."""

    key: str
    operator: str
    value: str
    #: The effect it tolerates; "" tolerates every effect.
    effect: str
    #: How long a NoExecute taint is tolerated; None: for ever.
    seconds: float | None = None

    def tolerates(self, taint: Taint) -> bool:
        """Whether this toleration matches ``taint`` (the API's ``ToleratesTaint``)."""
        if self.effect and self.effect != taint.effect:
            return False
        if self.key and self.key != taint.key:
            return False
        if self.operator == "Exists":
            return True
        return self.value == taint.value  # "Equal", or "" which the API takes as Equal


def untolerated(
    taints: Iterable[Taint], tolerations: Iterable[Toleration], effects: frozenset[str]
) -> list[Taint]:
    """The taints among ``effects`` that none of ``tolerations`` tolerates: a pod is kept off
    a node (or evicted from it, for NoExecute) while this is not empty."""
    held = tuple(tolerations)
    return [
        taint
        for taint in taints
        if taint.effect in effects and not any(t.tolerates(taint) for t in held)
    ]
