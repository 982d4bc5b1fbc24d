"""The ``vmc-gui`` command: the app, and list, simulate, survey, validate, show, export,
import and parameters (see DESIGN.md, command line).

Bad input (an unknown scenario, a bad ``--set``, a malformed file) is answered with one line
on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from vmc_gui import __version__

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2 like every other bad input."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"vmc-gui: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="vmc-gui",
        description="Virtual machines against containers, made visible and measurable.",
    )
    parser.add_argument("--version", action="version", version=f"vmc-gui {__version__}")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="start the app, paint the main window once, print the seconds taken, exit 0",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    open_file = commands.add_parser(
        "open",
        help="open the app on a scenario file, or on a picture vmc-gui exported",
        description="Open the app on FILE: a scenario (.toml), or a picture vmc-gui exported "
        "(.png, .apng, .svg), which carries the scenario it shows and reopens at the time it "
        "shows, unsaved (File > Save As keeps it as a .toml). A file that cannot be used is "
        "explained in a dialog, and the app stays open on the comparison table. Without FILE, "
        "the app opens on the table (the desktop launcher runs 'vmc-gui open %%f').",
    )
    open_file.add_argument("file", metavar="FILE", nargs="?")

    commands.add_parser("list", help="list the lessons, the scenarios and the diagrams, one a line")

    simulate = commands.add_parser(
        "simulate",
        help="run a scenario in every world and print the phases",
        description="Run a scenario in every world. SCENARIO is a name from 'vmc-gui list', "
        "the path of a .toml file, or a picture vmc-gui exported (.png, .apng, .svg: the "
        "scenario it carries, with the settings it was drawn with; same digest).",
    )
    simulate.add_argument("scenario", metavar="SCENARIO")
    simulate.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a platform parameter, e.g. kubernetes.node_monitor_grace_period_s=20 "
        "(repeatable; 'vmc-gui parameters' lists them)",
    )
    simulate.add_argument(
        "--fail",
        dest="failures",
        action="append",
        default=[],
        metavar="KIND=WHICH[@S]",
        help="what if this fails? host=NAME, rack=N, zone=NAME or switch=NAME, at S seconds "
        "(60 unless given), e.g. --fail zone=eu-west-1a@120 (repeatable)",
    )
    simulate.add_argument("--json", action="store_true", help="print one JSON object")

    survey = commands.add_parser(
        "survey",
        help="which single host, rack and zone failure each world survives at full capacity",
        description="Ask of a scenario's cluster (an imported one, typically) what each "
        "failure of one host, one rack or one zone would do in every world: survived at full "
        "capacity, or replicas left pending (or held back), and how long the world took to "
        "get back where it was simulated. Single hosts are answered by a capacity analysis "
        "(the engine's own placement, without a clock); racks and zones, and the most loaded "
        "host of each world, are simulated in worker processes (docs/survey.md).",
    )
    survey.add_argument("scenario", metavar="SCENARIO")
    survey.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes for the simulations (default: every core, or none for a "
        "small survey; 1: this process)",
    )
    survey.add_argument("--json", action="store_true", help="print one JSON object")

    validate = commands.add_parser(
        "validate", help="check scenario files; exit 2 listing each problem"
    )
    validate.add_argument("files", nargs="+", metavar="FILE")

    show = commands.add_parser(
        "show",
        help="open a scenario's cluster, or a stack diagram, in a window",
        description="Open a window. TARGET is cluster:SCENARIO (the animated cluster, with "
        "playback) or diagram:NAME ('vmc-gui list').",
    )
    show.add_argument("target", metavar="TARGET", nargs="?", default="diagram:vm-vs-container")

    export = commands.add_parser(
        "export",
        help="export a diagram, the cluster, a chart or a lesson's window as PNG, SVG or CSV, "
        "or animated as APNG, GIF, WebP or MP4 (headless)",
        description="Export what the app shows. TARGET is diagram:NAME, cluster:SCENARIO with "
        "--at SECONDS, chart:SCENARIO:METRIC (METRIC: availability, memory, cpu, overhead, "
        "capacity, min-ready, precopy, copies; .csv too), or lesson:NAME, the app's window on a "
        "lesson (--size is the window, default 1600x1000; --scale its pixel ratio; --at its "
        "clock). "
        "An --out ending in .apng, .gif, .webp or .mp4 animates a lesson, the cluster or a "
        "chart from --from to --to (default: the whole run) at --fps frames a second "
        "(default 20), --speed simulated seconds to a second of animation (default: the "
        "lesson's own speed, 10 for the cluster and charts); frame i shows the moment "
        "FROM + i * SPEED / FPS. Its frames are 1280x720 for a lesson (--size), scale 1 "
        "otherwise. MP4 needs PyAV: pip install 'vmc-gui[video]'. "
        "'vmc-gui list' names the lessons, scenarios and diagrams.",
    )
    export.add_argument("target", metavar="TARGET")
    export.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="a .png or .svg file (.csv for a chart); .apng, .gif, .webp or .mp4 animates",
    )
    export.add_argument(
        "--scale", type=float, default=None, help="pixels per unit (default 2; 1 for an animation)"
    )
    export.add_argument("--size", default=None, metavar="WxH", help="exact size in pixels")
    export.add_argument("--theme", choices=("light", "dark"), default="light")
    export.add_argument("--transparent", action="store_true", help="no background")
    export.add_argument(
        "--at", type=float, default=None, metavar="SECONDS", help="(for scenario targets)"
    )
    export.add_argument(
        "--rack",
        type=int,
        default=None,
        metavar="N",
        help="a memory or cpu chart of more than 24 hosts, drawn by rack: rack N's hosts, a "
        "band each, as the charts' Rack box opens it (picture, animation or .csv)",
    )
    export.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="change a setting of the scenario before it is drawn (repeatable; for a "
        "lesson, a cluster or a chart)",
    )
    export.add_argument(
        "--compare",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="also simulate the scenario with this setting (repeatable) and draw that run as "
        "the faded 'before' beside the run as it is: its curves in the charts, its result in "
        "each world's header ('before 5 min 56 s -> now 1 min 26 s')",
    )
    export.add_argument(
        "--from",
        dest="start",
        type=float,
        default=None,
        metavar="SECONDS",
        help="an animation's first moment (default 0)",
    )
    export.add_argument(
        "--to",
        dest="end",
        type=float,
        default=None,
        metavar="SECONDS",
        help="where an animation ends (default: the end of the run)",
    )
    export.add_argument(
        "--fps", type=float, default=None, help="an animation's frames a second (1-60, default 20)"
    )
    export.add_argument(
        "--speed",
        type=float,
        default=None,
        help="simulated seconds a second of animation (default: the lesson's speed, or 10)",
    )

    imports = commands.add_parser(
        "import",
        help="build a scenario from a real cluster: kubectl's or PowerShell's JSON",
        description="Read what a real cluster exports and write a scenario of its hosts and "
        "services (docs/import.md). kubernetes: 'kubectl get nodes -o json', 'kubectl get "
        "pods -A -o json' (files), or a 'kubectl cluster-info dump --output-directory' "
        "(a folder). hyperv: Get-ClusterNode, Get-VM, Get-VMHost and Get-ClusterGroup piped "
        "to ConvertTo-Json. A summary of what was read and left out goes to stdout.",
    )
    imports.add_argument("source", choices=("kubernetes", "hyperv"))
    imports.add_argument("paths", metavar="PATH", nargs="+", help="files or a dump's folder")
    imports.add_argument("--out", required=True, metavar="SCENARIO.toml")
    imports.add_argument("--title", default=None, help="the scenario's title")

    parameters = commands.add_parser(
        "parameters", help="list every platform parameter with its default and source"
    )
    output = parameters.add_mutually_exclusive_group()
    output.add_argument(
        "--markdown", action="store_true", help="print the table docs/parameters.md carries"
    )
    output.add_argument(
        "--json",
        action="store_true",
        help="print a JSON list: name, default, unit, min, max, assumed, source_title, "
        "source_url, note",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    args = build_parser().parse_args(argv)
    if args.smoke or args.command in (None, "open"):
        return _app(args, started, sys.stderr)
    handlers = {
        "list": _list,
        "simulate": _simulate,
        "validate": _validate,
        "parameters": _parameters,
        "export": _export,
        "show": _show,
        "import": _import,
        "survey": _survey,
    }
    return handlers[args.command](args, sys.stdout, sys.stderr)


def _import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``vmc-gui import``: read the export, write the scenario (checked by loading it back),
    print the summary.  Nothing is written if anything is wrong."""
    from vmc_gui.model.errors import ScenarioError
    from vmc_gui.model.imported import ImportProblem
    from vmc_gui.model.importing.build import SOURCES, import_cluster, scenario_name
    from vmc_gui.model.scenario_toml import write_atomically

    target = Path(args.out)
    if target.suffix.lower() != ".toml":
        return _fail(err, f"--out is a scenario file: {target.name} does not end in .toml")
    if not target.parent.is_dir():
        return _fail(err, f"no folder {target.parent} to write {target.name} in")
    title = args.title or f"{target.stem}: imported from {SOURCES[args.source]}"
    try:
        result = import_cluster(
            args.source, args.paths, name=scenario_name(target.stem), title=title
        )
    except ImportProblem as problem:
        return _fail(err, str(problem))
    except ScenarioError as problem:
        for each in problem.problems:
            print(each, file=err)
        return EXIT_BAD_INPUT
    write_atomically(target, result.text)
    for line in result.summary:
        print(line, file=out)
    hosts, services = result.scenario.cluster.host_count, len(result.scenario.services)
    print(f"wrote {target} ({hosts:,} hosts, {services:,} services)", file=out)
    return EXIT_OK


def _fail(err: TextIO, message: str) -> int:
    print(f"vmc-gui: {message}", file=err)
    return EXIT_BAD_INPUT


def _app(args: argparse.Namespace, started: float, err: TextIO) -> int:
    """The desktop app: on the comparison table, or on a file (``open``)."""
    if not args.smoke:
        from vmc_gui.ui.headless import display_problem

        problem = display_problem()
        if problem:
            return _fail(err, problem)
    from vmc_gui.ui.app import run_app

    path = args.file if args.command == "open" else None
    return run_app(path, smoke=args.smoke, started=started)


def _list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from vmc_gui.model.errors import ScenarioError
    from vmc_gui.model.lessons import OVERVIEW, OVERVIEW_TITLE, ROWS
    from vmc_gui.model.library import resolve, scenario_names

    # Lessons first, as the app lists them: each is an export target (lesson:NAME).
    print(f"lesson:{OVERVIEW}\t{OVERVIEW_TITLE}", file=out)
    for slug, row in ROWS.items():
        print(f"lesson:{slug}\t{row.feature}", file=out)
        for further in row.further:  # the scenarios that take it further, on its page
            print(f"lesson:{slug}/{further.scenario}\t{row.feature}: {further.link}", file=out)
    for name in scenario_names():
        try:
            title = resolve(name).title
        except ScenarioError as problem:  # a broken bundled file should not hide the others
            title = f"(broken: {problem.one_line()})"
        print(f"scenario:{name}\t{title}", file=out)
    from vmc_gui.model.stacks import DIAGRAMS

    for name, (title, _) in DIAGRAMS.items():
        print(f"diagram:{name}\t{title}", file=out)
    return EXIT_OK


def _parameters(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from vmc_gui.model.parameters import PARAMETERS, as_json, markdown_table

    if args.markdown:
        out.write(markdown_table())
        return EXIT_OK
    if args.json:
        json.dump([as_json(p) for p in PARAMETERS.values()], out, indent=2)
        out.write("\n")
        return EXIT_OK
    for p in PARAMETERS.values():
        source = p.source or "no published figure"
        if p.assumed:
            source = f"assumed; {source}"
        if p.assumed_rule:
            source += f"; rule assumed: {p.assumed_rule}"
        print(f"{p.name} = {p.describe_default()}\t{p.summary}. Source: {source}", file=out)
    return EXIT_OK


def _simulate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from vmc_gui.model.errors import ScenarioError
    from vmc_gui.model.library import resolve
    from vmc_gui.model.parameters import ParameterError, parse_assignment
    from vmc_gui.model.what_if import parse_failure
    from vmc_gui.sim import simulate
    from vmc_gui.sim.summary import to_json

    try:
        overrides = dict(parse_assignment(text) for text in args.settings)
        scenario = resolve(args.scenario)
        failures = [
            parse_failure(text, scenario.cluster, duration_s=scenario.duration_s)
            for text in args.failures
        ]
    except ParameterError as problem:
        return _fail(err, str(problem))
    except ScenarioError as problem:
        return _fail(err, problem.one_line())
    except ValueError as problem:
        return _fail(err, f"--fail {problem}")
    for warning in scenario.warnings:
        print(f"vmc-gui: {warning}", file=err)
    scenario = scenario.with_parameters(overrides)
    for failure in failures:
        scenario = scenario.with_event(failure)
    timeline = simulate(scenario)
    document = to_json(timeline)
    if args.json:
        json.dump(document, out, indent=2)
        out.write("\n")
    else:
        from vmc_gui.report import phase_report

        out.write(phase_report(scenario, document))
    return EXIT_OK


def _survey(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``vmc-gui survey``: the failures each world survives, as text or JSON; progress on
    stderr once it takes more than a second."""
    from vmc_gui.model.errors import ScenarioError
    from vmc_gui.model.library import resolve

    if args.jobs is not None and args.jobs < 1:
        return _fail(err, f"--jobs {args.jobs}: give 1 or more worker processes")
    try:
        scenario = resolve(args.scenario)
    except ScenarioError as problem:
        return _fail(err, problem.one_line())
    if not scenario.runs:
        return _fail(err, f"{args.scenario} is a compatibility matrix: it has no cluster to fail")
    for warning in scenario.warnings:
        print(f"vmc-gui: {warning}", file=err)
    from vmc_gui.sim.survey import survey
    from vmc_gui.sim.survey_text import survey_report

    progress = _ProgressLine(err, "surveying")
    try:
        result = survey(scenario, jobs=args.jobs, progress=progress.show)
    except KeyboardInterrupt:
        progress.end()
        print("vmc-gui: survey interrupted", file=err)
        return 130
    progress.end()
    if args.json:
        json.dump(result.to_json(), out, indent=2)
        out.write("\n")
    else:
        out.write(survey_report(result))
    return EXIT_OK


class _ProgressLine:
    """Progress on stderr once a command has taken more than a second: one line rewritten
    in place on a terminal, a line every few seconds in a log."""

    AFTER_S = 1.0
    LOG_EVERY_S = 5.0

    def __init__(self, err: TextIO, doing: str) -> None:
        self.err = err
        self.doing = doing
        self.started = time.perf_counter()
        self.last = -self.LOG_EVERY_S
        self.written = False

    def show(self, done: int, total: int, what: str) -> None:
        now = time.perf_counter() - self.started
        if now < self.AFTER_S:
            return
        line = f"{self.doing}: {done}/{total}" + (f" ({what})" if what else "")
        if self.err.isatty():
            print(f"\r{line}\033[K", end="", file=self.err, flush=True)
            self.written = True
        elif now - self.last >= self.LOG_EVERY_S or done == total:
            print(line, file=self.err)
            self.last = now

    def end(self) -> None:
        took = time.perf_counter() - self.started
        if self.written:
            print(file=self.err)
        if took >= self.AFTER_S:
            print(f"{self.doing}: done in {took:.1f} s", file=self.err)


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from vmc_gui.model.errors import ScenarioError
    from vmc_gui.model.library import load_file

    status = EXIT_OK
    for path in args.files:
        try:
            scenario = load_file(path)  # a .toml, or the scenario a picture carries
        except ScenarioError as problem:
            status = EXIT_BAD_INPUT
            for each in problem.problems:
                print(each, file=err)
        else:
            for warning in scenario.warnings:
                print(warning, file=err)
            print(f"{path}: ok", file=out)
    return status


def _show(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from vmc_gui.model.errors import ScenarioError
    from vmc_gui.model.library import resolve
    from vmc_gui.model.stacks import DIAGRAMS

    kind, _, name = args.target.partition(":")
    scenario = None
    if kind == "cluster":
        try:
            scenario = resolve(name)
        except ScenarioError as problem:
            return _fail(err, problem.one_line())
    elif kind != "diagram" or name not in DIAGRAMS:
        return _fail(
            err,
            f"TARGET is cluster:SCENARIO or diagram:NAME, one of: {', '.join(DIAGRAMS)}",
        )
    from vmc_gui.ui.headless import display_problem

    problem = display_problem()
    if problem:
        return _fail(err, problem)
    if scenario is not None:
        from vmc_gui.ui.windows import show_window

        return show_window(scenario)
    from vmc_gui.ui.windows import main as window

    return window([name])


#: What an animation is written as (``vmc_gui.ui.animation.ANIMATION_FORMATS``, which a
#: test keeps equal): named here so that a still's export does not load the animation code.
_ANIMATED = (".apng", ".gif", ".webp", ".mp4")


def _export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    animated = (args.start, args.end, args.fps, args.speed) != (None,) * 4
    if Path(args.out).suffix.lower() in _ANIMATED:
        return _export_animation(args, out, err)
    from vmc_gui.ui.headless import ExportRequest, export_target

    if animated:
        return _fail(
            err,
            "--from, --to, --fps and --speed are for animations: --out FILE.apng, .gif, "
            ".webp or .mp4",
        )
    try:
        request = ExportRequest.parse(
            args.target,
            args.out,
            args.scale,
            args.size,
            args.theme,
            args.transparent,
            args.at,
            rack=args.rack,
        ).comparing(args.compare, args.settings)
    except ValueError as problem:
        return _fail(err, str(problem))
    try:
        written = export_target(request)
    except ValueError as problem:
        return _fail(err, str(problem))
    print(f"wrote {args.out} ({written})", file=out)
    return EXIT_OK


def _export_animation(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from vmc_gui.ui.animation_targets import AnimationRequest, animate_target

    if args.at is not None:
        return _fail(err, "--at picks one moment; an animation runs --from SECONDS --to SECONDS")
    if args.compare or args.settings:
        return _fail(err, "--set and --compare are for stills: .png or .svg")
    if args.transparent:
        return _fail(err, "--transparent is for .png and .svg; an animation has a background")
    try:
        request = AnimationRequest.parse(
            args.target,
            args.out,
            args.start,
            args.end,
            args.fps,
            args.speed,
            args.size,
            args.scale,
            args.theme,
            rack=args.rack,
        )
    except ValueError as problem:
        return _fail(err, str(problem))

    def progress(done: int, total: int) -> bool:
        if err.isatty():  # a counter for a person waiting, not for a log
            print(f"\rframe {done}/{total}", end="" if done < total else "\n", file=err)
        return True

    try:
        written = animate_target(request, progress)
    except ValueError as problem:
        return _fail(err, str(problem))
    print(f"wrote {args.out} ({written})", file=out)
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
