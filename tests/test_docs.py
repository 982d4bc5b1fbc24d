"""The documents tell the truth: their examples run and their tables are complete."""

from __future__ import annotations

import re
from pathlib import Path

from vmc_gui.model.loader import loads_scenario
from vmc_gui.model.parameters import PARAMETERS, markdown_table
from vmc_gui.sim import simulate
from vmc_gui.sim.summary import summarize

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_the_complete_example_in_the_scenario_format_loads_and_runs():
    text = (DOCS / "scenario-format.md").read_text()
    example = re.search(r"```toml\n(.*?)```", text, re.S).group(1)
    scenario = loads_scenario(example, source="scenario-format.md")
    assert scenario.name == "my-failover"
    assert [s.name for s in scenario.services] == ["web", "db"]
    assert scenario.parameters["hyperv.same_subnet_threshold"] == 5
    result = summarize(simulate(scenario))
    assert result["vm"].recovery_s is not None


def test_the_parameter_document_carries_the_table_the_model_prints():
    text = (DOCS / "parameters.md").read_text()
    assert markdown_table() in text
    for parameter in PARAMETERS.values():
        assert f"| `{parameter.name}` | {parameter.default:g} {parameter.unit}" in text


def test_the_readme_shows_what_the_command_prints(capsys):
    from vmc_gui.cli import main

    readme = (DOCS.parent / "README.md").read_text()
    shown = re.search(r"\$ vmc-gui simulate failover\n(.*?)```", readme, re.S).group(1)
    assert main(["simulate", "failover"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(shown)


def test_the_readme_gives_exactly_the_two_commands():
    readme = (DOCS.parent / "README.md").read_text()
    assert "pip install . && vmc-gui" in readme
    assert "pip install -e '.[test]' && pytest" in readme
    ci = (DOCS.parent / ".ci" / "run").read_text()
    assert "pip install -e '.[test]' && pytest" in ci


def _command_blocks(text: str) -> list[tuple[list[str], list[str]]]:
    """Each ```-block that starts with '$ vmc-gui ...': its arguments and the lines shown."""
    blocks = []
    for block in re.findall(r"```\n(\$ vmc-gui .*?)```", text, re.S):
        command, *shown = block.rstrip("\n").split("\n")
        blocks.append((command.split()[2:], [line for line in shown if line != "..."]))
    return blocks


def test_every_figure_in_the_lessons_is_what_the_command_prints(capsys):
    from vmc_gui.cli import main

    blocks = _command_blocks((DOCS / "lessons.md").read_text())
    assert len(blocks) >= 12
    for args, shown in blocks:
        assert main(args) == 0
        printed = capsys.readouterr().out.splitlines()
        for line in shown:
            assert line in printed, f"{' '.join(args)}: {line!r} is not printed"
