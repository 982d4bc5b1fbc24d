"""The fault-tolerance and storage lessons: each figure the docs state, from the command line.

Each figure carries the words the docs print it with (``vmc-gui``'s own duration format), and
a test checks that the docs still say it, so that neither the docs nor the engine can drift
from the other.  The arithmetic is in the comments; the sources are in docs/parameters.md.
"""

from __future__ import annotations

import pytest

from tests.fidelity.conftest import phase, recovery, simulate_json
from vmc_gui.report import duration

TUNED = ("--set", "hyperv.resiliency_default_period_s=10")
TOLERATION_30 = ("--set", "kubernetes.default_unreachable_toleration_s=30")
AZURE_DISK_RECIPE = (
    "--set",
    "kubernetes.termination_grace_period_s=0",
    "--set",
    "kubernetes.default_unreachable_toleration_s=10",
)

#: (simulate arguments, world, the recovery the docs state, in the docs' words).
FIGURES = [
    # 9.6 s of heartbeats + 240 s isolated (ResiliencyDefaultPeriod) + 45 s boot + 5 s start.
    (("failover",), "vm", 299.6, "4 min 59.6 s"),
    # 46.8 s to NotReady + 300 s toleration + 8.1 s cold pull (0.85 s downloading 101 MB,
    # 7.2 s extracting them at 14 MB/s) + 1.5 s Nano Server start.
    (("failover",), "container", 356.4, "5 min 56.4 s"),
    # The Storage Replica guide's 10 s: 9.6 + 10 + 45 + 5.
    (("failover", *TUNED), "vm", 69.6, "1 min 9.6 s"),
    # IsolateOnSpecialHeartbeat: a node that just vanished fails over at once: 9.6 + 45 + 5.
    (("failover", "--set", "hyperv.resiliency_level=1"), "vm", 59.6, "59.6 s"),
    # A pod toleration of 30 s with the default grace: 46.8 + 30 + 8.1 + 1.5.
    (("failover", *TOLERATION_30), "container", 86.4, "1 min 26.4 s"),
    (("storage",), "vm-smb-share", 299.6, "4 min 59.6 s"),
    (("storage",), "container-shared-volume", 356.4, "5 min 56.4 s"),
    # The azuredisk-csi-driver's recipe: 46.8 + 10 + 360 (force detach) + 30 + 30 + 8.1 + 1.5.
    (("storage", *AZURE_DISK_RECIPE), "container-disk-volume", 486.4, "8 min 6.4 s"),
    (("storage", *AZURE_DISK_RECIPE), "container-shared-volume", 66.4, "1 min 6.4 s"),
]


@pytest.mark.parametrize(("args", "world", "seconds", "words"), FIGURES)
def test_the_command_line_reproduces_the_figure(args, world, seconds, words):
    found = recovery(simulate_json(*args), world)
    assert found == pytest.approx(seconds, abs=0.05)
    assert duration(found) == words


@pytest.mark.parametrize(("args", "world", "seconds", "words"), FIGURES)
def test_the_docs_state_the_figure(args, world, seconds, words, docs_text):
    assert words in docs_text, f"the docs no longer say {words!r} ({' '.join(args)}, {world})"


def test_the_failover_race_is_about_five_minutes_against_six():
    document = simulate_json("failover")
    vm, container = recovery(document, "vm"), recovery(document, "container")
    assert 290 < vm < 310 and 340 < container < 370
    # Both wait out "maybe it is only cut off" on purpose: 240 s against 300 s.
    assert phase(document, "vm", "isolated: VMs unmonitored")["end_s"] - phase(
        document, "vm", "isolated: VMs unmonitored"
    )["start_s"] == pytest.approx(240.0)
    toleration = phase(document, "container", "unreachable toleration")
    assert toleration["end_s"] - toleration["start_s"] == pytest.approx(300.0)


def test_tuned_the_difference_left_is_what_has_to_start():
    document = simulate_json("failover", *TUNED, *TOLERATION_30)
    vm_start = (
        phase(document, "vm", "app start")["end_s"] - phase(document, "vm", "guest boot")["start_s"]
    )
    container_start = (
        phase(document, "container", "container start")["end_s"]
        - phase(document, "container", "image pull")["start_s"]
    )
    assert vm_start == pytest.approx(50.0)  # a guest OS: 45 s boot + 5 s app start
    # A process: its image pulled cold (0.85 s download, 7.2 s extraction) + 1.5 s start.
    assert container_start == pytest.approx(101 * 8 * 2**20 / 1e9 + 101 / 14 + 1.5)


def test_local_storage_and_a_terminating_statefulset_pod_never_recover():
    document = simulate_json("storage")
    assert recovery(document, "vm-local-disk") is None
    assert "local disk" in document["worlds"]["vm-local-disk"]["reason"]
    disk = document["worlds"]["container-disk-volume"]
    assert disk["recovery_s"] is None and "stays Terminating" in disk["reason"]


def test_the_out_of_service_taint_brings_the_disk_back_in_about_three_minutes(tmp_path):
    from tests.fidelity.conftest import ROOT

    text = (ROOT / "resources" / "scenarios" / "storage.toml").read_text()
    text += '\n[[events]]\nat_s = 180\nkind = "out_of_service"\nhost = "r1-h01"\n'
    path = tmp_path / "storage-out-of-service.toml"
    path.write_text(text)
    document = simulate_json(str(path))
    # Confirmed down at 180 s; the pod garbage collector's next run (1.9 s later here), the
    # StatefulSet recreates the pod, its disk is detached at once (30 s) and attached (30 s),
    # then the image (cold: 8.1 s) and the start (1.5 s): 180 - 60 + 1.9 + 30 + 30 + 8.1 +
    # 1.5 = 191.5 s.
    disk = recovery(document, "container-disk-volume")
    assert disk == pytest.approx(191.5, abs=0.05)
    assert duration(disk) == "3 min 11.5 s"
    assert recovery(document, "vm-smb-share") == pytest.approx(299.6, abs=0.05)
