""" "What if this fails?" written on the command line (issue 21, §4): ``host=NAME``,
``rack=N``, ``zone=NAME`` or ``switch=NAME``, with ``@SECONDS`` for when (a minute in by
default, as the lessons' failures come, so the steady state shows first).

``vmc-gui simulate SCENARIO --fail zone=eu-west-1a`` adds the event to the scenario as a
``[[events]]`` table would; each mistake is one line naming what the cluster has instead.
"""

from __future__ import annotations

import difflib
import math

from vmc_gui.model.cluster import ClusterSpec, switch_names
from vmc_gui.model.events import HostFail, RackFail, SwitchFail, ZoneFail

#: When a failure comes unless ``@SECONDS`` says: the lessons' one minute of steady state.
DEFAULT_AT_S = 60.0
#: What a failure may name.
FAILURE_KINDS = ("host", "rack", "zone", "switch")

Failure = HostFail | RackFail | ZoneFail | SwitchFail


def parse_failure(text: str, cluster: ClusterSpec, *, duration_s: float) -> Failure:
    """``text`` (``zone=eu-west-1a@120``) as the event it asks for, checked against
    ``cluster``; ValueError with one clear line otherwise."""
    what, _, when = text.partition("@")
    kind, sep, which = what.partition("=")
    kind, which = kind.strip(), which.strip()
    if not sep or kind not in FAILURE_KINDS or not which:
        raise ValueError(
            f"{text!r}: write KIND=WHICH[@SECONDS], KIND one of {', '.join(FAILURE_KINDS)} "
            "(for example zone=eu-west-1a@120)"
        )
    at = _seconds(text, when, duration_s)
    match kind:
        case "host":
            return HostFail(at, _one_of(text, which, cluster.host_names(), "host"))
        case "rack":
            racks = [str(r) for r in range(1, cluster.racks + 1)]
            return RackFail(at, int(_one_of(text, which, racks, "rack")))
        case "zone":
            if cluster.zones != "rack":
                raise ValueError(
                    f'{text!r}: the cluster is one zone ([cluster] zones = "single"); '
                    "fail its racks instead"
                )
            zones = list(dict.fromkeys(cluster.zone_names()))
            return ZoneFail(at, _one_of(text, which, zones, "zone"))
        case _:
            return SwitchFail(at, _one_of(text, which, switch_names(cluster), "switch"))


def _seconds(text: str, when: str, duration_s: float) -> float:
    if not when:
        return min(DEFAULT_AT_S, duration_s)
    try:
        at = float(when)
    except ValueError:
        raise ValueError(f"{text!r}: {when!r} is not a number of seconds") from None
    if not math.isfinite(at) or not 0 <= at <= duration_s:
        raise ValueError(f"{text!r}: the time must be 0 to {duration_s:g} s (the run's length)")
    return at


def _one_of(text: str, which: str, options: list[str], what: str) -> str:
    if which in options:
        return which
    close = difflib.get_close_matches(which, options, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    listed = f" ({', '.join(options[:6])}{', ...' if len(options) > 6 else ''})"
    raise ValueError(f"{text!r}: no {what} called {which!r}{hint or listed}")
