"""Live migration, calibrated: four published timings reproduced within 20 % by one model.

Each scenario in tests/fidelity/cases/ sets what its source used (Windows Server 2012: TCP/IP,
its link, its VMs); everything else is the model's defaults.  The figure is the time from the
first migration off the drained host starting to the last one ending, as the sources timed it.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.fidelity.conftest import ROOT, simulate_json

CASES = ROOT / "tests" / "fidelity" / "cases"


def drain_s(document: dict[str, Any], host: str) -> float:
    """From the first migration off ``host`` starting to the last one ending."""
    moves = [m for m in document["worlds"]["vm"]["migrations"] if m["from"] == host]
    assert moves and all(m["outcome"] == "moved" for m in moves)
    return max(m["end_s"] for m in moves) - min(m["start_s"] for m in moves)


@pytest.mark.parametrize(
    ("case", "host", "vms", "published_s"),
    [
        # Aidan Finn, https://aidanfinn.com/?p=12228: "7 seconds to LM" a 512 MB VM on 1 GbE,
        # 5 s on 10 GbE.
        ("lm-512mb-1gbe", "r1-h01", 1, 7.0),
        ("lm-512mb-10gbe", "r1-h01", 1, 5.0),
        # Kevin Holman (TechNet, 2013): 18 VMs, around 80 GB, "exactly 13 minutes and 15
        # seconds" on 1 GbE and "65 SECONDS" on 10 GbE.
        ("lm-18vm-1gbe", "r1-h01", 18, 13 * 60 + 15.0),
        ("lm-18vm-10gbe", "r1-h01", 18, 65.0),
    ],
)
def test_published_live_migration_timings_within_20_percent(case, host, vms, published_s):
    document = simulate_json(str(CASES / f"{case}.toml"))
    moved = [m for m in document["worlds"]["vm"]["migrations"] if m["from"] == host]
    assert len(moved) == vms
    simulated = drain_s(document, host)
    assert simulated == pytest.approx(published_s, rel=0.20)


def test_every_blackout_is_plausible_against_published_pre_copy_measurements():
    """Clark et al. (NSDI 2005) measured 60 ms and 210 ms; our blackouts stay within a few
    hundred milliseconds wherever pre-copy converges."""
    for case in ("lm-512mb-1gbe", "lm-512mb-10gbe", "lm-18vm-10gbe"):
        moves = simulate_json(str(CASES / f"{case}.toml"))["worlds"]["vm"]["migrations"]
        assert all(0 < m["blackout_ms"] < 300 for m in moves), case
    lesson = simulate_json("rebalance")["worlds"]["vm"]
    assert 30 < lesson["blackout_ms"] < 210
    for move in lesson["migrations"]:
        assert 30 < move["blackout_ms"] < 210


def test_with_hyper_vs_default_two_at_a_time_the_10gbe_drain_takes_longer():
    """The limit matters: in pairs, each pair's setup leaves the link idle (so Holman's 65 s
    needs more at once, as the calibration scenario sets)."""
    path = str(CASES / "lm-18vm-10gbe.toml")
    many = drain_s(simulate_json(path), "r1-h01")
    pairs = drain_s(
        simulate_json(path, "--set", "hyperv.max_simultaneous_live_migrations=2"), "r1-h01"
    )
    assert pairs > many * 1.25
