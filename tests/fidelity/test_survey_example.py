"""docs/survey.md's example, figure for figure: the kubectl fixture imported as
``vmc-gui import … --out k.toml`` names it, then ``vmc-gui survey k.toml``.  Its figures are
the model's (failovers of 4 min 59.3 s to 5 min 0.0 s, a zone that costs the failover
cluster its quorum, a StatefulSet pod held back), so a change to any rule shows here."""

from __future__ import annotations

import re
from pathlib import Path

from vmc_gui.model.importing.build import import_cluster
from vmc_gui.sim.survey import survey
from vmc_gui.sim.survey_text import survey_report

ROOT = Path(__file__).parents[2]
FIXTURE = ROOT / "tests" / "import" / "kubernetes"


def _documented() -> str:
    text = (ROOT / "docs" / "survey.md").read_text()
    found = re.search(r"\$ vmc-gui survey /tmp/k\.toml\n(.*?)```", text, re.DOTALL)
    assert found, "docs/survey.md has no survey example"
    return found.group(1)


def test_the_documented_survey_is_what_the_model_answers():
    imported = import_cluster(
        "kubernetes",
        [FIXTURE / "nodes.json", FIXTURE / "pods.json"],
        name="k",
        title="k: imported from Kubernetes",
    )
    assert survey_report(survey(imported.scenario, jobs=1)).strip() == _documented().strip()
