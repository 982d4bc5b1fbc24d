"""Kubernetes' eviction rate limits, as the docs state them, from the command line."""

from __future__ import annotations

import pytest

from tests.fidelity.conftest import phase, recovery, simulate_json

RACK_OF_40 = """
[scenario]
name = "rack-of-40"
title = "A rack of 40 fails in a 1,000-node cluster"
seed = 7
duration_s = 900
worlds = ["container"]

[cluster]
racks = 25
hosts_per_rack = 40

[[services]]
name = "web"
replicas = 2000
cpu = 0.5
memory_mb = 512

[[events]]
at_s = 60
kind = "rack_fail"
rack = 1
"""


def test_a_rack_of_forty_is_tainted_one_node_every_ten_seconds(tmp_path):
    path = tmp_path / "rack.toml"
    path.write_text(RACK_OF_40)
    document = simulate_json(str(path))
    toleration = phase(document, "container", "unreachable toleration")
    # First eviction 300 s after the first taint; the last 300 s after the last taint.
    first_eviction = toleration["start_s"] + 300
    spread = toleration["end_s"] - first_eviction
    # 39 intervals of 10 s (--node-eviction-rate 0.1 in a zone with every node down), plus the
    # time the rack took to go from its first NotReady node to all 40 (10 s here: on the way
    # the zone was partially disrupted, at rate 0, and left it with a drained bucket).
    assert 390 <= spread <= 405
    assert spread == pytest.approx(400.0, abs=0.5)
    assert recovery(document, "container") is not None


THREE_OF_FOUR = """
[scenario]
name = "three-of-four"
title = "Three of a rack's four hosts fail"
seed = 42
duration_s = 1200
worlds = ["container"]

[cluster]
racks = 3
hosts_per_rack = 4

[[services]]
name = "web"
replicas = 8
cpu = 2.0
memory_mb = 4096
""" + "".join(
    f'\n[[events]]\nat_s = 60\nkind = "host_fail"\nhost = "r1-h0{h}"\n' for h in (1, 2, 3)
)


def test_three_of_four_hosts_down_stop_evictions_in_their_zone(tmp_path):
    path = tmp_path / "three.toml"
    path.write_text(THREE_OF_FOUR)
    world = simulate_json(str(path))["worlds"]["container"]
    assert world["recovery_s"] is None
    assert world["held_back"] >= 1
    assert "zone rack-1 is partially disrupted, 3 of 4 nodes NotReady" in world["reason"]
    assert "a zone of 50 nodes or fewer stops evicting" in world["reason"]
