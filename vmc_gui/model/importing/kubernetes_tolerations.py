"""A pod's tolerations (``spec.tolerations``), checked as the API server validates them.

The rules are ``ValidateTolerations`` (kubernetes/pkg/apis/core/validation/validation.go,
https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go),
so that what an import keeps is what a cluster could hold:

* the key, where given, a qualified name (at most 253 characters of prefix, "/", 63 of name);
* "operator must be Exists when `key` is empty" (an empty key with Exists tolerates every
  taint);
* "effect must be 'NoExecute' when `tolerationSeconds` is set";
* ``Equal`` (the default operator) takes a label value (at most 63 characters); "value must
  be empty when `operator` is 'Exists'";
* the effect empty (every effect) or one of NoSchedule, PreferNoSchedule, NoExecute.

Newer releases add the operators ``Lt`` and ``Gt`` (numeric comparison of a taint's value);
the model has no such matching, so such a toleration is left out and counted: a pod that
tolerates less is kept off more nodes, the safe side for "does it still fit".
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from vmc_gui.model.imported import ImportProblem, Toleration
from vmc_gui.model.importing.json_input import (
    JsonPath,
    Where,
    as_object,
    describe,
    get_array,
    get_integer,
    get_string,
    place,
)
from vmc_gui.model.importing.kubernetes_nodes import MAX_KEY_CHARS
from vmc_gui.model.taints import OPERATORS, TAINT_EFFECTS

#: Label values, and so an Equal toleration's value, are at most 63 characters.
MAX_VALUE_CHARS = 63
#: Operators the API takes that the model does not match (numeric comparisons).
UNMATCHED_OPERATORS = frozenset({"Lt", "Gt"})


def read_tolerations(value: Any, at: Where) -> tuple[tuple[Toleration, ...], int]:
    """The tolerations in ``value`` (the pod spec's ``tolerations``, at ``at``), and how many
    were left out for an operator the model does not match (``Lt``, ``Gt``)."""
    kept: list[Toleration] = []
    left_out = 0
    holder = {"tolerations": value}
    for i, item in enumerate(get_array(holder, "tolerations", at)):
        found = toleration(item, (at, "tolerations", i))
        if found is None:
            left_out += 1
        else:
            kept.append(found)
    return tuple(kept), left_out


def toleration(value: Any, at: Where) -> Toleration | None:
    """A toleration, or None for one the model does not match; the same few recur on every
    pod, so each is checked once (the cache is typed, so ``true`` is not taken for ``1``)."""
    raw = as_object(value, at)
    get = raw.get
    try:
        return _toleration(
            get("key"), get("operator"), get("value"), get("effect"), get("tolerationSeconds")
        )
    except _FieldProblem as problem:
        (place(at) / problem.field).fail(problem.message)
    except TypeError:  # an object or an array, which the cache cannot hash
        for key in _TOLERATION_FIELDS:
            if isinstance(raw.get(key), dict | list):
                kind = _TOLERATION_TYPES[key]
                (place(at) / key).fail(f"expected a {kind}, found {describe(raw[key])}")
        raise


_TOLERATION_FIELDS = ("key", "operator", "value", "effect", "tolerationSeconds")
_TOLERATION_TYPES = dict.fromkeys(_TOLERATION_FIELDS, "string") | {
    "tolerationSeconds": "whole number"
}


class _FieldProblem(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


@lru_cache(maxsize=1024, typed=True)
def _toleration(
    key: Any, operator: Any, value: Any, effect: Any, seconds: Any
) -> Toleration | None:
    fields = dict(zip(_TOLERATION_FIELDS, (key, operator, value, effect, seconds), strict=True))
    at = JsonPath("")
    try:
        operator = get_string(fields, "operator", at, "Equal", limit=100)  # the API's default
        effect = get_string(fields, "effect", at, limit=100)
        key = get_string(fields, "key", at, limit=MAX_KEY_CHARS)
        value = get_string(fields, "value", at, limit=MAX_VALUE_CHARS)
        seconds = get_integer(fields, "tolerationSeconds", at, -(2**63), 2**63 - 1)
    except ImportProblem as problem:
        raise _FieldProblem(problem.where.removeprefix("$."), problem.problem) from None
    if operator not in OPERATORS and operator not in UNMATCHED_OPERATORS:
        raise _FieldProblem(
            "operator", f"{operator!r} is not a toleration operator (Equal or Exists)"
        )
    if effect and effect not in TAINT_EFFECTS:
        raise _FieldProblem(
            "effect",
            f"{effect!r} is not a taint effect (NoSchedule, PreferNoSchedule or NoExecute)",
        )
    if not key and operator != "Exists":
        raise _FieldProblem("operator", "must be Exists when the key is empty (the API's rule)")
    if operator == "Exists" and value:
        raise _FieldProblem("value", "must be empty when the operator is Exists (the API's rule)")
    if seconds is not None and effect != "NoExecute":
        raise _FieldProblem(
            "effect", "must be NoExecute when tolerationSeconds is set (the API's rule)"
        )
    if operator in UNMATCHED_OPERATORS:
        return None
    return Toleration(key, operator, value, effect, None if seconds is None else float(seconds))
