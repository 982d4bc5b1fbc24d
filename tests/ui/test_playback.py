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


def test_page_down_and_up_walk_the_chapters(qtbot):
    controller = PlaybackController()
    controller.set_timeline(simulate(resolve("failover")))
    starts = [c.start_s for c in controller.chapters()]
    assert starts[0] == 0.0 and controller.chapter().title == "the start"
    visited = []
    for _ in starts[1:]:
        controller.next_chapter()
        visited.append(controller.time())
    assert visited == starts[1:]
    controller.next_chapter()  # past the last: the end of the run
    assert controller.time() == controller.duration()
    controller.seek(starts[2] + 5.0)
    controller.previous_chapter()  # back to the start of the chapter under way ...
    assert controller.time() == starts[2]
    controller.previous_chapter()  # ... and from there, to the one before
    assert controller.time() == starts[1]


def test_a_changed_setting_moves_the_chapters_of_the_clock(qtbot):
    controller = PlaybackController()
    scenario = resolve("failover")
    controller.set_timeline(simulate(scenario))
    before = [c.start_s for c in controller.chapters()]
    controller.set_timeline(
        simulate(scenario.with_parameters({"hyperv.resiliency_default_period_s": 10})),
        keep_time=True,
    )
    assert [c.start_s for c in controller.chapters()] != before
