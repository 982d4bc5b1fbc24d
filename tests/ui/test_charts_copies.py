"""The copies chart (issue 19): per world and service, the copies desired, reached by the
clients and running, offered only where the scenario cuts the network.  Checked against the
run's own records (``WorldRun.copies_changes``, ``max_duplicates``), not fixed figures."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from tests.scenarios import failover, failover_text
from vmc_gui.cli import main
from vmc_gui.model.scenario import World
from vmc_gui.sim import chart_metrics as metrics
from vmc_gui.sim import simulate
from vmc_gui.ui.charts.charts_panel import TAB_NAMES, ChartsPanel
from vmc_gui.ui.playback import PlaybackController

CUT, HEAL = 60.0, 960.0
SPLIT = (
    f'[[events]]\nat_s = {CUT:g}\nkind = "switch_fail"\nswitch = "tor-r1"\n\n'
    f'[[events]]\nat_s = {HEAL:g}\nkind = "switch_recover"\nswitch = "tor-r1"\n'
)


@pytest.fixture(scope="module")
def split():
    return simulate(failover(events=SPLIT, duration_s=1200))


def _curves(chart, world: World) -> dict[str, metrics.Curve]:
    return {c.short: c for c in chart.curves() if c.world is world}


def test_copies_are_offered_only_where_the_network_is_cut(split):
    assert "copies" in metrics.available(split)
    assert "copies" not in metrics.available(simulate(failover()))
    assert TAB_NAMES["copies"] == "Copies"


def test_the_copies_follow_the_run_s_own_counts(split):
    chart = metrics.build(split, "copies")
    assert [p.title for p in chart.panels] == [
        "VMs: copies per service",
        "Containers: copies per service",
    ]
    at = split.sample_times
    for world, wt in split.worlds.items():
        curves = _curves(chart, world)
        assert set(curves) == {"web desired", "web reached", "web running"}
        desired = curves["web desired"].values
        reached = curves["web reached"].values
        running = curves["web running"].values
        # Before the cut, every copy runs and is reached.
        before = at < CUT
        np.testing.assert_array_equal(reached[before], desired[before])
        np.testing.assert_array_equal(running[before], desired[before])
        # A copy the clients reach runs.
        assert (running >= reached).all()
        # The cut takes rack 1's copies out of reach at once, in both worlds.
        assert reached[int(CUT + 1)] < desired[int(CUT + 1)]
        # Each change the engine recorded is on the curves from the next sample on (unless
        # another change comes before that sample).
        changes = [(when, run, served) for when, s, run, served in wt.run.copies_changes if s == 0]
        for (when, run, served), after in zip(changes, [*changes[1:], (np.inf, 0, 0)], strict=True):
            i = int(np.searchsorted(at, when, side="left"))
            if i < len(at) and at[i] < after[0]:
                assert (running[i], reached[i]) == (run, served)
        # Running twice shows as running above desired, and only then.
        assert bool(running.max() > desired.max()) is (wt.run.max_duplicates > 0)
    # The container world's Deployment runs two copies while its old pods are cut off.
    assert split.worlds[World.CONTAINER].run.max_duplicates > 0
    assert split.worlds[World.VM].run.max_duplicates == 0
    labels = [m.label for m in chart.markers]
    assert labels == ["network cut", "network whole again"]
    assert [m.at_s for m in chart.markers] == [CUT, HEAL]


def test_the_copies_chart_exports_as_csv(tmp_path, split):
    path = tmp_path / "split.toml"
    path.write_text(failover_text(events=SPLIT, duration_s=1200))
    out = tmp_path / "copies.csv"
    assert main(["export", f"chart:{path}:copies", "--out", str(out)]) == 0
    with out.open(newline="") as handle:
        header = next(csv.reader(handle))
    assert "Container world: Kubernetes-style orchestrator · web running" in header


def test_the_copies_tab_is_in_the_charts_panel(qtbot, split):
    controller = PlaybackController()
    controller.set_timeline(split)
    panel = ChartsPanel(controller)
    qtbot.addWidget(panel)
    tabs = [panel.tabs.tabText(i) for i in range(panel.tabs.count())]
    assert "Copies" in tabs
