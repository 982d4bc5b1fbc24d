"""The "crashed or cut off?" lessons: each figure docs/lessons.md states, from the command line.

Each row is the simulate arguments, the world, the seconds its clients were cut off
(``unreachable_s``) in the docs' words, and how many workloads ran twice at once
(``max_duplicates``).  The arithmetic is in the comments; the rules and their sources are in
docs/research/issue-19-*.md.  Seed 42: crash detection takes 9.6 s in the VM world and 46.8 s
(a node's last renewal to NotReady) in the container world, as in the failover lesson.
"""

from __future__ import annotations

import pytest

from tests.fidelity.conftest import simulate_json
from vmc_gui.report import duration

SHORT_TIMERS = (
    "--set",
    "hyperv.resiliency_default_period_s=10",
    "--set",
    "kubernetes.default_unreachable_toleration_s=30",
)
NO_GRACE = ("--set", "kubernetes.termination_grace_period_s=0")
NO_WITNESS = ("--set", "hyperv.witness=none")

#: (simulate arguments, world, unreachable_s, its words, max_duplicates).
FIGURES = [
    # Paused at the cut (storage lost), isolated at 69.6 s, back at 240 s within the 240 s
    # period: resumed in place, exactly the cut.
    (("partition-transient",), "vm", 180.0, "3 min 0.0 s", 0),
    # Endpoints again at the first monitor pass after the heal, 241.8 s: 181.8 s.
    (("partition-transient",), "container", 181.8, "3 min 1.8 s", 0),
    # Down at 60 + 9.6 + 10, then 45 s boot + 5 s start: 9.6 + 10 + 50 = 69.6 s.
    (("partition-transient", *SHORT_TIMERS), "vm", 69.6, "1 min 9.6 s", 0),
    # The last of the four taints at 136.8 s + 30 s toleration, a cold pull (8.1 s) and the
    # start (1.5 s): 176.4 - 60 = 116.4 s; the four old copies run until 240 + 30 s.
    (("partition-transient", *SHORT_TIMERS), "container", 116.4, "1 min 56.4 s", 4),
    # The failover figure: 9.6 + 240 + 45 + 5 = 299.6 s; the paused copies never run.
    (("split-brain",), "vm", 299.6, "4 min 59.6 s", 0),
    # db-2 waits on its identity: recreated at the heal + 30 s grace (990 s), its start
    # 3.5 s: 993.5 - 60 = 933.5 s.  The four web pods on rack 1 run twice meanwhile.
    (("split-brain",), "container", 933.5, "15 min 33.5 s", 4),
    # Grace 0: db-2 is recreated while its old process runs on: five run twice.
    (("split-brain", *NO_GRACE), "container", 452.5, "7 min 32.5 s", 5),
    # 299.6 s for rack 1's VMs, then the core out for 400 s with no quorum anywhere.
    (("quorum",), "vm", 699.6, "11 min 39.6 s", 0),
    # Rack 1's pods replaced by 431.4 s (371.4 s) + the 400 s the control plane is frozen.
    (("quorum",), "container", 771.4, "12 min 51.4 s", 3),
    # Rack 1 keeps the cluster without storage: 600 s paused, 400 s of core, and rack 2's VMs
    # start on rack 1 only when the core is back: 45 + 5 s.
    (("quorum", *NO_WITNESS), "vm", 1050.0, "17 min 30.0 s", 0),
]


@pytest.mark.parametrize(("args", "world", "seconds", "words", "twice"), FIGURES)
def test_the_command_line_reproduces_the_figure(args, world, seconds, words, twice):
    figures = simulate_json(*args)["worlds"][world]
    assert figures["unreachable_s"] == pytest.approx(seconds, abs=0.05)
    assert duration(figures["unreachable_s"]) == words
    assert figures["max_duplicates"] == twice


@pytest.mark.parametrize(("args", "world", "seconds", "words", "twice"), FIGURES)
def test_the_docs_state_the_figure(args, world, seconds, words, twice, docs_text):
    assert words in docs_text, f"the docs no longer say {words!r} ({' '.join(args)}, {world})"


def test_a_vm_never_runs_twice_and_a_statefulset_pod_waits_on_its_identity():
    document = simulate_json("split-brain")
    services = {s["name"]: s["kind"] for s in document["worlds"]["container"]["services"]}
    assert services == {"web": "deployment", "db": "statefulset"}
    for name in ("partition-transient", "split-brain", "quorum"):
        assert simulate_json(name)["worlds"]["vm"]["max_duplicates"] == 0


def test_the_witness_decides_the_fifty_fifty_split():
    cloud = simulate_json("quorum")["worlds"]["vm"]["partition"]
    assert "4 votes (3 nodes and the cloud witness) keep it, 4 of 7 needed" in cloud[0]["what"]
    # When the core fails, no part holds a majority: the cluster service stops everywhere.
    assert cloud[2]["at_s"] == 900.0 and "no part holds 4 of 7 votes" in cloud[2]["what"]
    none = simulate_json("quorum", *NO_WITNESS)["worlds"]["vm"]["partition"]
    assert "r2-h03" in none[0]["what"]  # dynamic quorum zeroed the last node's vote


def test_losing_etcd_quorum_freezes_the_control_plane():
    document = simulate_json("quorum")
    notes = document["worlds"]["container"]["partition"]
    assert [(n["at_s"], n["what"].split(":")[0]) for n in notes] == [
        (900.0, "etcd"),
        (1300.0, "etcd"),
    ]
    assert "1 of 3 members reached" in notes[0]["what"]
    frozen = next(p for p in document["worlds"]["container"]["phases"] if "frozen" in p["name"])
    assert (frozen["start_s"], frozen["end_s"]) == (900.0, 1300.0)
