"""The large result in each world's header says the figures the docs state, and only once
the clock gets there: before, it counts; from then on, it stays."""

from __future__ import annotations

import pytest

from vmc_gui.model.library import resolve
from vmc_gui.sim import simulate
from vmc_gui.sim.headline import Tone, headlines

#: Lesson scenario -> world -> the final headline (docs/lessons.md's figures).
FINAL = {
    "failover": {"vm": "recovered in 4 min 59.6 s", "container": "recovered in 5 min 56.4 s"},
    "storage": {
        "vm-smb-share": "recovered in 4 min 59.6 s",
        "vm-local-disk": "not recovered: 1 pending",
        "container-shared-volume": "recovered in 5 min 56.4 s",
        "container-disk-volume": "not recovered: 1 held back",
    },
    "density": {
        "vm": "168 VMs fit",
        "hyperv-container": "224 containers fit",
        "container": "244 containers fit",
    },
    "scale-out": {"vm": "32 ready in 4 min 25.5 s", "container": "32 ready in 2 min 45.7 s"},
    "rolling-update": {"vm": "patched in 34 min 20.0 s", "container": "rolled out in 2 min 20.0 s"},
    "rebalance": {
        "vm": "4 moved live, 39 ms blackout",
        "container": "5 pods replaced: state lost",
    },
    "isolation": {
        "vm": "reached 1 of 4 tenants",
        "container": "reached 4 of 4 tenants",
        "hyperv-container": "reached 1 of 4 tenants",
    },
}


@pytest.mark.parametrize("name", list(FINAL))
def test_each_worlds_headline_ends_on_the_documented_figure(name):
    timeline = simulate(resolve(name))
    found = headlines(timeline)
    assert {w: h.final()[1] for w, h in found.items() if h.final()} == FINAL[name]
    for world, headline in found.items():
        reached, text = headline.final()
        # Frozen from the moment it is reached to the end of the run.
        for t in (reached, (reached + timeline.duration_s) / 2, timeline.duration_s):
            assert headline.at(t)[:3:2] == (text, True), (world, t)
        # Before that moment, the answer is not given away.
        if reached > 0:
            before, _, final = headline.at(reached - 1e-6)
            assert not final and before != text


def test_the_recovery_headline_counts_while_the_host_is_down():
    timeline = simulate(resolve("failover"))
    vm = headlines(timeline)["vm"]
    fault = timeline.worlds[next(iter(timeline.worlds))].run.first_fault_s
    assert vm.at(fault - 1)[0] == "serving"
    assert vm.at(fault + 80) == ("down 1 min 20.0 s", Tone.ALARM, False)
    assert vm.at(fault + 300)[1] is Tone.GOOD
