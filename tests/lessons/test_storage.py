"""Persistent storage: local data stays on the dead host; shared data fails over (storage.toml)."""

from __future__ import annotations

import pytest

from tests.lessons.conftest import seconds
from vmc_gui.model.library import resolve
from vmc_gui.model.scenario import EventKind, TimedEvent
from vmc_gui.sim import simulate
from vmc_gui.sim.summary import to_json

HEARTBEATS_S = 10 * 1.0  # threshold x delay: the most detection can take


def worlds(scenario=None):
    return to_json(simulate(scenario or resolve("storage")))["worlds"]


def test_shared_storage_fails_over_exactly_as_in_the_failover_lesson():
    # Same cluster, service, failure and seed; worlds of one platform share a random stream.
    w = worlds()
    failover = to_json(simulate(resolve("failover")))["worlds"]
    assert w["vm-smb-share"]["recovery_s"] == failover["vm"]["recovery_s"]
    assert w["container-shared-volume"]["recovery_s"] == failover["container"]["recovery_s"]
    boot = seconds("vm.guest_boot_s") + seconds("vm.app_start_s")
    assert boot < w["vm-smb-share"]["recovery_s"] <= boot + HEARTBEATS_S
    assert not w["vm-smb-share"]["data_unavailable"]
    assert not w["container-shared-volume"]["data_unavailable"]


def test_local_storage_never_recovers_while_the_host_is_down():
    w = worlds()
    for name in ("vm-local-disk", "container-node-volume"):
        assert w[name]["recovery_s"] is None
        assert w[name]["data_unavailable"] is True
        assert "r1-h01" in w[name]["reason"]


def test_local_storage_recovers_on_the_host_when_it_returns():
    back = resolve("storage").with_event(TimedEvent(500.0, EventKind.HOST_RECOVER, host="r1-h01"))
    w = worlds(back)
    boot = seconds("vm.guest_boot_s") + seconds("vm.app_start_s")
    assert w["vm-local-disk"]["recovery_s"] == pytest.approx(500 - 60 + boot)
    assert w["container-node-volume"]["recovery_s"] == pytest.approx(
        500 - 60 + seconds("container.start_s")
    )
    for world in w.values():
        assert world["data_unavailable"] is False
