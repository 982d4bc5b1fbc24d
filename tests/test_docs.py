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


def _links(path: Path) -> list[str]:
    """The relative links and images of a Markdown file, without their #anchors."""
    targets = re.findall(r"\]\(([^)\s]+)\)", path.read_text())
    return [t.split("#")[0] for t in targets if not t.startswith(("http", "#", "mailto:"))]


def test_every_link_in_the_readme_and_the_docs_leads_somewhere():
    root = DOCS.parent
    for page in [root / "README.md", root / "CHANGELOG.md", *DOCS.glob("*.md")]:
        for target in _links(page):
            assert (page.parent / target).exists(), f"{page.name}: {target} does not exist"


#: An animation's options, in AnimationRequest.parse's order.
_MOVING = ("--from", "--to", "--fps", "--speed")


def test_every_picture_in_the_readme_is_made_by_the_images_script():
    """The README's pictures come from 'vmc-gui export' in docs/make-images.sh, so that
    they can be made again; and every export there is one the command accepts."""
    from vmc_gui.ui.animation import ANIMATION_FORMATS
    from vmc_gui.ui.animation_targets import AnimationRequest
    from vmc_gui.ui.headless import ExportRequest

    script = (DOCS / "make-images.sh").read_text()
    made = {}
    for line in script.splitlines():
        if line.startswith("vmc-gui export "):
            words = line.split()
            target, options = words[2], dict(zip(words[3::2], words[4::2], strict=True))
            if Path(options["--out"]).suffix in ANIMATION_FORMATS:
                number = {k: float(options[k]) if k in options else None for k in _MOVING}
                AnimationRequest.parse(
                    target,
                    options["--out"],
                    *number.values(),
                    options.get("--size"),
                    None,
                    options.get("--theme", "light"),
                )
                made[options["--out"]] = target
                continue
            ExportRequest.parse(
                target,
                options["--out"],
                float(options["--scale"]) if "--scale" in options else None,
                options.get("--size"),
                options.get("--theme", "light"),
                False,
                float(options["--at"]) if "--at" in options else None,
            )
            made[options["--out"]] = target
    pictures = [t for t in _links(DOCS.parent / "README.md") if t.startswith("docs/images/")]
    assert len(pictures) >= 5
    assert [p for p in pictures if p.removeprefix("docs/images/") not in made] == []
    # The main window and an exported diagram, as the README promises.
    assert made["app-failover.png"].startswith("lesson:")
    assert made["vm-vs-container.png"].startswith("diagram:")


def test_the_readme_lists_every_command():
    from vmc_gui.cli import build_parser

    readme = (DOCS.parent / "README.md").read_text()
    parser = build_parser()
    (commands,) = [a for a in parser._actions if a.dest == "command"]
    for name in commands.choices:
        assert f"| `vmc-gui {name}" in readme, f"the README's command table lacks {name}"
    for flag in ("--smoke", "--version"):
        assert f"| `vmc-gui {flag}` |" in readme


def test_the_changelog_has_this_version():
    from vmc_gui import __version__

    changelog = (DOCS.parent / "CHANGELOG.md").read_text()
    assert re.search(rf"^## {re.escape(__version__)} \(\d{{4}}-\d\d-\d\d\)$", changelog, re.M)
