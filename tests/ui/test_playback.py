"""The playback clock follows the story, and the time slider jumps where it is clicked."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QPointF, Qt

from vmc_gui.model.library import resolve
from vmc_gui.sim import simulate
from vmc_gui.ui.panels.cluster_panel import EventSlider
from vmc_gui.ui.playback import STORY_MIGRATION_S, PlaybackController

FRAME = 1 / 60


@pytest.fixture(scope="module")
def rebalance():
    return simulate(resolve("rebalance"))


def _play(controller: PlaybackController, until: float) -> list[float]:
    """Tick frame by frame until ``until``; the simulated time after each frame."""
    times = []
    while controller.time() < until and len(times) < 200_000:
        controller.tick(FRAME)
        times.append(controller.time())
    return times


def test_following_the_story_plays_a_live_migration_slowly(qapp, rebalance):
    controller = PlaybackController()
    controller.set_timeline(rebalance)
    controller.set_speed(100.0)
    controller.set_follow_story(True)
    migration = next(m for wt in rebalance.worlds.values() for m in wt.run.migrations)
    controller.seek(migration.start_s - 5)
    times = _play(controller, migration.end_s)
    inside = [t for t in times if migration.start_s <= t < migration.end_s]
    # At 100x the migration would be over in a few frames; followed, it lasts seconds.
    assert len(inside) * FRAME >= STORY_MIGRATION_S - 2 * FRAME
    # Its blackout (about 40 ms) is on screen for at least half a second.
    a, b, _ = migration.blackout
    assert sum(1 for t in times if a <= t < b) * FRAME >= 0.5


def test_without_it_the_clock_keeps_its_speed(qapp, rebalance):
    controller = PlaybackController()
    controller.set_timeline(rebalance)
    controller.set_speed(100.0)
    controller.seek(10.0)
    controller.tick(0.5)
    assert controller.time() == pytest.approx(60.0)


def test_a_quiet_stretch_passes_faster_and_slows_before_the_next_event(qapp):
    timeline = simulate(resolve("failover"))
    controller = PlaybackController()
    controller.set_timeline(timeline)
    controller.set_speed(10.0)
    controller.set_follow_story(True)
    times = controller.event_times()
    # The widest gap between two things happening: a quiet stretch.
    gap, start = max((b - a, a) for a, b in itertools.pairwise(times))
    assert gap > 40
    controller.seek(start + 0.01)
    controller.tick(1.0)
    assert controller.time() - start > 20.0  # faster than 10 s a second
    _play(controller, start + gap - 1e-6)
    # ... and never jumped over the next event: the last frames ran at the chosen speed.
    speed, _ = controller.story_speed(start + gap - 1.0)
    assert speed == 10.0


def test_a_click_on_the_slider_track_jumps_there(qtbot):
    slider = EventSlider()
    qtbot.addWidget(slider)
    slider.setRange(0, 1000)
    slider.resize(600, 24)
    slider.show()
    x = slider.width() * 3 / 4
    qtbot.mouseClick(slider, Qt.MouseButton.LeftButton, pos=QPointF(x, 12).toPoint())
    assert slider.value() == pytest.approx(slider.value_at(x), abs=1)
    assert 700 <= slider.value() <= 800  # there, not one page step from the start
