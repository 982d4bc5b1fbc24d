"""The lessons: the seed's table, and what each row's lesson opens."""

from __future__ import annotations

from pathlib import Path

import pytest

from vmc_gui.model.lessons import ROWS, Side, lesson_for_scenario
from vmc_gui.model.library import resolve, scenario_names
from vmc_gui.model.parameters import PARAMETERS
from vmc_gui.model.stacks import DIAGRAMS

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "containers-vs-vms.txt"


def test_the_rows_are_the_seeds_nine_in_its_order():
    assert [r.feature for r in ROWS.values()] == [
        "Isolation",
        "Operating system",
        "Guest compatibility",
        "Deployment",
        "Operating system updates and upgrades",
        "Persistent storage",
        "Load balancing",
        "Fault tolerance",
        "Networking",
    ]


@pytest.mark.skipif(not SEED.exists(), reason="the seed text is outside the repository")
def test_each_cell_is_the_seeds_words():
    seed = " ".join(SEED.read_text(encoding="utf-8").split())
    for row in ROWS.values():
        for side in Side:
            # The seed's own words (the table's links, "For details, see …", are left out).
            assert " ".join(row.cell(side).split()) in seed, (row.slug, side)


@pytest.mark.parametrize("slug", list(ROWS))
def test_each_lesson_opens_things_that_exist_and_teach_its_row(slug):
    row = ROWS[slug]
    assert row.diagram in DIAGRAMS
    assert row.hint
    assert all(name in PARAMETERS for name in row.key_settings)
    for further in row.further:  # the settings a further scenario leads with exist too
        assert all(name in PARAMETERS for name in further.key_settings)
    if row.scenario:
        assert row.scenario in scenario_names()
        assert resolve(row.scenario).lesson == slug  # the scenario says it teaches this row
        assert lesson_for_scenario(row.scenario) is row


def test_every_bundled_scenario_is_some_lessons():
    for name in scenario_names():
        row = lesson_for_scenario(name)
        assert row is not None, name
        assert resolve(name).lesson == row.slug


def test_a_further_scenario_asks_the_rows_question_unless_it_has_its_own():
    row = ROWS["fault-tolerance"]
    asked = {f.scenario: f.asks(row) for f in row.further}
    assert asked == {
        "partition-transient": "Crashed or cut off?",
        "split-brain": "Crashed or cut off?",
        "quorum": "Crashed or cut off?",
        "at-scale": "At scale?",
    }
    for name in row.scenarios():
        assert resolve(name).lesson == "fault-tolerance"
        assert lesson_for_scenario(name) is row
    hint = row.further_one("at-scale").hint
    # Its hint names real settings.
    for name in ("kubernetes.node_eviction_rate", "hyperv.max_cluster_nodes"):
        assert name in hint and name in PARAMETERS
