"""The first screen's teasers say what each lesson works out, in its own words: every world's
final headline on its side, the compatibility matrix's counts, the networking diagram's
vNICs and firewall.  None is typed in: change a setting and the teaser follows."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

import pytest

from vmc_gui.model.compat import SYSTEMS, Answer, verdict
from vmc_gui.model.lessons import ROWS, Side
from vmc_gui.model.library import resolve
from vmc_gui.model.scenario import Platform, World
from vmc_gui.model.stacks import DEFAULT_INSTANCES, LayerKind, diagram
from vmc_gui.sim import simulate
from vmc_gui.sim.headline import headlines
from vmc_gui.sim.teasers import teaser, teasers, work_out

#: The rows whose lesson simulates something (a headline for each world).
SIMULATED = [
    slug for slug, row in ROWS.items() if row.scenario and resolve(row.scenario).compat is None
]


def _side(world: str) -> Side:
    return Side.VM if World(world).platform is Platform.VM else Side.CONTAINER


def test_every_row_has_a_teaser_with_something_on_each_side():
    found = teasers()
    assert list(found) == list(ROWS)
    for slug, t in found.items():
        assert t.subject, slug
        for side in Side:
            assert t.side(side) and t.side_text(side), (slug, side)
        assert t.line().endswith("at the defaults")
        assert t.side_text(Side.VM) in t.line() and t.side_text(Side.CONTAINER) in t.line()


@pytest.mark.parametrize("slug", SIMULATED)
def test_a_simulated_rows_teaser_is_each_worlds_final_headline(slug):
    row = ROWS[slug]
    timeline = simulate(resolve(row.scenario))
    finals = {w: h.final() for w, h in headlines(timeline).items()}
    assert all(finals.values()), "each world of a lesson reaches its result"
    t = teaser(row)
    assert t is not None
    said = {r.world: (r, side) for side in Side for r in t.side(side)}
    assert set(said) == set(finals)  # every world, once
    for world, (_, text) in finals.items():
        result, side = said[world]
        assert result.text == text  # word for word
        assert side is _side(world)
    # A side's plain world first; its worlds are named only where it has several.
    for side in Side:
        results = t.side(side)
        assert all(bool(r.label) == (len(results) > 1) for r in results)
        plain = [r.world for r in results if r.world in ("vm", "container")]
        assert [r.world for r in results[: len(plain)]] == plain
    # Every number the teaser gives is one of the headlines'.
    numbers = set(re.findall(r"\d+(?:\.\d+)?", " ".join(text for _, text in finals.values())))
    assert set(re.findall(r"\d+(?:\.\d+)?", t.line())) <= numbers


def test_the_failover_teaser_follows_a_changed_setting():
    """Nothing is typed in: a shorter resiliency period is a faster VM result."""
    row = ROWS["fault-tolerance"]
    changed = resolve(row.scenario).with_parameters({"hyperv.resiliency_default_period_s": 10})
    t, timeline = work_out(row, changed)
    assert t is not None and timeline is not None
    vm_final = headlines(timeline)["vm"].final()
    assert vm_final is not None
    assert t.side_text(Side.VM) == vm_final[1]
    assert t.side_text(Side.VM) != teaser(row).side_text(Side.VM)  # type: ignore[union-attr]


def test_the_compatibility_teaser_counts_the_matrix():
    row = ROWS["guest-compatibility"]
    scenario = resolve(row.scenario)
    assert scenario.compat is not None
    pairs = [(h, g) for h in scenario.compat.hosts for g in scenario.compat.guests]
    t = teaser(row)
    assert t is not None
    said = {r.world: r.text for side in Side for r in t.side(side)}
    assert set(said) == {w.value for w in scenario.worlds}
    for world in scenario.worlds:
        answers = Counter(verdict(world, SYSTEMS[h], SYSTEMS[g]).answer for h, g in pairs)
        runs = answers[Answer.ALLOWED] + answers[Answer.RUNS_UNSUPPORTED]
        text = said[world.value]
        assert text.startswith(f"runs {runs} of {len(pairs)} ")
        assert (f"{answers[Answer.RUNS_UNSUPPORTED]} unsupported" in text) == bool(
            answers[Answer.RUNS_UNSUPPORTED]
        )
        only = answers[Answer.HYPERV_ISOLATION_ONLY]
        assert (f"+{only} with Hyper-V isolation" in text) == bool(only)
    # Kubernetes has no Hyper-V isolation: it runs fewer pairs than a standalone host.
    names = {r.label: r.text for r in t.side(Side.CONTAINER)}
    assert set(names) == {"Kubernetes", "standalone host"}


def test_the_networking_teaser_counts_the_diagram():
    row = ROWS["networking"]
    built = diagram(row.diagram, DEFAULT_INSTANCES)
    t = teaser(row)
    assert t is not None
    for stack in built.stacks:
        kinds = Counter(layer.kind for layer in stack.layers)
        n = len(stack.instances)
        text = t.side_text(_side(stack.world.value))
        assert text.startswith(f"{n} ")
        assert f"{kinds[LayerKind.VNIC]} vNIC" in text
        if stack.world.platform is Platform.CONTAINER:
            assert f"{kinds[LayerKind.HOST_FIREWALL]} firewall shared" in text


def test_working_the_teasers_out_loads_no_qt():
    code = (
        "import sys\n"
        "from vmc_gui.sim.teasers import teasers\n"
        "assert len(teasers()) == 9\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
