"""A lesson's further scenarios ("Crashed or cut off?", "At scale?"): linked under its title,
each under its question, opened on its page with their own hint (a partition's with the copies
chart first), and exported as lesson:SLUG/SCENARIO."""

from __future__ import annotations

import pytest

from tests.ui.main_windows import shown_window
from vmc_gui.model.lessons import ROWS
from vmc_gui.ui.shell.lesson_text import further_links

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen


@pytest.fixture
def window(qtbot, tmp_path):
    window = shown_window(qtbot, tmp_path, (1600, 1000))
    return window


def test_the_links_name_every_scenario_and_mark_the_one_on_show():
    row = ROWS["fault-tolerance"]
    html = further_links(row, "split-brain")
    assert html.startswith("Crashed or cut off? ")
    assert "<b>split brain</b>" in html
    for name in ("failover", "partition-transient", "quorum", "at-scale"):
        assert f"href='fault-tolerance/{name}'" in html
    assert further_links(ROWS["isolation"], "isolation") == ""  # nothing further


def test_a_scenario_with_its_own_question_is_linked_under_it():
    row = ROWS["fault-tolerance"]
    crashed, at_scale = further_links(row, "at-scale").split(" \N{EM DASH} ")
    assert crashed == (
        "Crashed or cut off? <a href='fault-tolerance/failover'>a host crashes</a> · "
        "<a href='fault-tolerance/partition-transient'>a switch fails for 3 minutes</a> · "
        "<a href='fault-tolerance/split-brain'>split brain</a> · "
        "<a href='fault-tolerance/quorum'>quorum</a>"
    )
    assert at_scale == "At scale? <b>a rack of 40 fails among 1,000 hosts</b>"
    # From the lesson's own scenario, the same two questions, the crash in bold.
    html = further_links(row, "failover")
    assert "<b>a host crashes</b>" in html
    assert "At scale? <a href='fault-tolerance/at-scale'>" in html


def test_list_names_the_at_scale_scenario_as_a_lesson(capsys):
    from vmc_gui.cli import main

    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert (
        "lesson:fault-tolerance/at-scale\tFault tolerance: a rack of 40 fails among 1,000 hosts"
        in lines
    )


def test_a_link_opens_the_scenario_on_the_lessons_page(window, qtbot):
    window.open_lesson("fault-tolerance")
    page = window.page
    assert page.further.isVisible() and "<b>a host crashes</b>" in page.further.text()
    assert window.document.scenario.name == "failover"
    page.further.linkActivated.emit("fault-tolerance/split-brain")
    assert window.document.scenario.name == "split-brain"
    assert page.hint.text() == ROWS["fault-tolerance"].further_one("split-brain").hint
    assert "<b>split brain</b>" in page.further.text()
    assert window.lesson_chooser.currentText().endswith("Fault tolerance")
    # The lesson's chart is the copies: which run, which the clients reach.
    assert window.charts.tabs.tabText(0) == "Copies"
    # And back to the crash, whose document was kept.
    page.further.linkActivated.emit("fault-tolerance/failover")
    assert window.document.scenario.name == "failover"
    assert window.charts.tabs.tabText(0) == "Availability"


def test_the_at_scale_page_leads_with_the_settings_its_hint_names(window):
    window.open_lesson("fault-tolerance", scenario="at-scale")
    further = ROWS["fault-tolerance"].further_one("at-scale")
    assert further is not None
    shown = window.inspector.parameters.key_names()
    assert shown[: len(further.key_settings)] == further.key_settings
    assert "kubernetes.node_eviction_rate" in further.hint
    # The lesson's own settings follow; the crash's page leads with them alone.
    assert set(ROWS["fault-tolerance"].key_settings) <= set(shown)
    window.open_lesson("fault-tolerance")
    assert window.inspector.parameters.key_names()[0] == ROWS["fault-tolerance"].key_settings[0]


def test_a_further_scenario_exports_as_the_lessons_window(tmp_path):
    from vmc_gui.cli import main

    out = tmp_path / "split.png"
    assert (
        main(
            [
                "export",
                "lesson:fault-tolerance/split-brain",
                "--at",
                "500",
                "--scale",
                "1",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert out.stat().st_size > 10_000


def test_the_at_scale_scenario_exports_as_the_lessons_window(tmp_path):
    from vmc_gui.cli import main

    out = tmp_path / "at-scale.png"
    args = ["export", "lesson:fault-tolerance/at-scale", "--at", "500", "--size", "1600x1000"]
    assert main([*args, "--scale", "1", "--out", str(out)]) == 0
    assert out.stat().st_size > 10_000


def test_an_unknown_further_scenario_is_one_clear_line(capsys):
    from vmc_gui.cli import main

    assert main(["export", "lesson:fault-tolerance/nope", "--out", "x.png"]) == 2
    err = capsys.readouterr().err
    assert "has no scenario 'nope'" in err and "fault-tolerance/quorum" in err
