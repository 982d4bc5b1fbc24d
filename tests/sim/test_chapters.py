"""A lesson's chapters: cut where its story turns, from the Timeline, with words for each."""

from __future__ import annotations

import itertools
import json
import re

import pytest

from vmc_gui.cli import main
from vmc_gui.model.captions import EVENTS, PHASES, phase_kind
from vmc_gui.model.lessons import ROWS
from vmc_gui.model.library import resolve
from vmc_gui.sim import simulate
from vmc_gui.sim.chapters import MERGE_S, chapter_at, chapters
from vmc_gui.sim.headline import headlines

RUNNING = [row.scenario for row in ROWS.values() if row.scenario and resolve(row.scenario).runs]


@pytest.mark.parametrize("name", RUNNING)
def test_every_running_lesson_is_cut_into_chapters_in_order(name):
    timeline = simulate(resolve(name))
    found = chapters(timeline)
    assert found[0].start_s == 0.0 and len(found) >= 2
    starts = [c.start_s for c in found]
    assert all(b - a >= MERGE_S for a, b in itertools.pairwise(starts))
    assert all(0.0 <= s <= timeline.duration_s for s in starts)
    assert all(c.title and c.caption.endswith(".") for c in found)
    # Each world's result is a chapter of its own, at the headline's final moment.
    for line in headlines(timeline).values():
        final = line.final()
        if final is not None:
            assert any(final[1] in c.title for c in found)


def test_the_failover_chapters_are_its_phases():
    found = chapters(simulate(resolve("failover")))
    titles = [c.title for c in found]
    assert titles[0] == "the start"
    assert found[1].start_s == 60.0 and titles[1].startswith("r1-h01 fails")
    assert "VM world: heartbeat detection" in titles[1]  # the same instant: one chapter
    expected = [
        "VM world: isolated: VMs unmonitored",
        "Container world: unreachable toleration",
        "VM world: guest boot",
        "VM world: recovered in 4 min 59.6 s",
        "Container world: container start",
        "Container world: recovered in 5 min 56.4 s",
    ]
    positions = [next(i for i, t in enumerate(titles) if e in t) for e in expected]
    assert positions == sorted(positions)


def test_a_changed_setting_moves_the_chapters():
    """Not hand-timed: a shorter resiliency period brings the VM world's boot forward."""
    scenario = resolve("failover")
    before = {c.title: c.start_s for c in chapters(simulate(scenario))}
    tuned = scenario.with_parameters({"hyperv.resiliency_default_period_s": 10})
    after = {c.title: c.start_s for c in chapters(simulate(tuned))}
    assert after["VM world: guest boot"] < before["VM world: guest boot"] - 200


def test_a_batch_or_a_round_is_one_chapter_per_world():
    found = chapters(simulate(resolve("rolling-update")))
    assert sum("reboot, installing" in c.title for c in found) == 1  # four batches, one chapter
    assert phase_kind("batch 3: boot") == "boot"
    assert phase_kind("app-4: pre-copy round 2") == "pre-copy round"
    assert phase_kind("isolated: VMs unmonitored") == "isolated: VMs unmonitored"


def test_every_phase_the_lessons_log_has_a_caption():
    """A new phase in the simulation needs its sentence, or its chapter would be silent."""
    for name in RUNNING:
        timeline = simulate(resolve(name))
        for summary in timeline.summary.values():
            for span in summary.phases:
                assert phase_kind(span.name) in PHASES, span.name
        for event in timeline.scenario.events:
            assert event.kind in EVENTS


def test_the_chapter_under_way():
    found = chapters(simulate(resolve("failover")))
    assert chapter_at(found, 0.0) == 0
    assert chapter_at(found, 59.9) == 0
    assert chapter_at(found, 60.0) == 1
    assert chapter_at(found, 10_000.0) == len(found) - 1


def test_the_matrix_has_no_chapters():
    assert chapters(simulate(resolve("compat"))) == []


def test_simulate_json_lists_the_chapters(capsys):
    assert main(["simulate", "failover", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    listed = document["chapters"]
    assert listed[0] == {"start_s": 0.0, "title": "the start", "caption": listed[0]["caption"]}
    assert [c["start_s"] for c in listed] == sorted(c["start_s"] for c in listed)
    assert {"start_s", "title", "caption"} == set(listed[1])


@pytest.mark.parametrize("name", ["storage", "isolation", "failover"])
def test_no_caption_says_a_sentence_twice(name):
    """Found in review: two worlds entering the same kind of phase at once, or reaching their
    results together, repeated a sentence in the merged chapter's caption."""
    for chapter in chapters(simulate(resolve(name))):
        sentences = re.split(r"(?<=[.!?])\s+", chapter.caption)
        assert len(sentences) == len(set(sentences)), chapter.caption
