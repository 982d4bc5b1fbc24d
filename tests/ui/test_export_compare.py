"""'vmc-gui export ... --set NAME=VALUE --compare NAME=VALUE': the picture draws the run with
the --set settings as it is, and the --compare settings' run as the faded "before" (a
lecturer's "before tuning -> after tuning" slide, made from the command line)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from vmc_gui.cli import main
from vmc_gui.model.library import resolve
from vmc_gui.model.picture import read_picture
from vmc_gui.sim import simulate
from vmc_gui.ui.headless import ExportRequest, cluster_scene

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen

TOLERATION = "kubernetes.default_unreachable_toleration_s"


def _export(tmp_path, name: str, *args: str) -> QImage:
    out = tmp_path / name
    assert main(["export", *args, "--scale", "1", "--out", str(out)]) == 0
    return QImage(str(out))


def test_a_cluster_draws_the_compared_run_as_before(tmp_path, qapp):
    plain = _export(tmp_path, "plain.png", "cluster:failover", "--at", "600")
    tuned = _export(
        tmp_path, "tuned.png", "cluster:failover", "--at", "600", "--set", f"{TOLERATION}=30"
    )
    both = _export(
        tmp_path,
        "both.png",
        "cluster:failover",
        "--at",
        "600",
        "--set",
        f"{TOLERATION}=30",
        "--compare",
        f"{TOLERATION}=300",
    )
    assert plain != tuned != both
    # What the export drew is the scene's "before -> now" for those two runs.
    request = ExportRequest.parse(
        "cluster:failover", str(tmp_path / "x.png"), 1.0, None, "light", False, 600.0
    ).comparing([f"{TOLERATION}=300"], [f"{TOLERATION}=30"])
    scenario = request.scenario(resolve("failover"))
    with cluster_scene(scenario, "light") as scene:
        scene.set_ghost(simulate(request.ghost(scenario)))
        scene.show_time(600.0)
        words = scene.result_text("container")
    assert words.startswith("before 5 min 56.4 s") and "now 1 min 26.4 s" in words


def test_a_lesson_picture_carries_the_set_settings(tmp_path, qapp):
    out = tmp_path / "lesson.png"
    args = ["export", "lesson:fault-tolerance", "--at", "500", "--size", "1280x800"]
    args += ["--set", f"{TOLERATION}=30", "--compare", f"{TOLERATION}=300"]
    assert main([*args, "--scale", "1", "--out", str(out)]) == 0
    picture = read_picture(out)
    assert picture.load().parameters[TOLERATION] == 30  # the run shown, not the "before"
    assert picture.at_s == 500.0


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["diagram:vm-vs-container", "--compare", f"{TOLERATION}=30"], "has none"),
        (["chart:failover:availability", "--compare", f"{TOLERATION}=30"], "CSV"),
        (["cluster:failover", "--compare", "no.such=3"], "no.such"),
        (["cluster:failover", "--compare", "vm.guest_boot_s"], "--compare takes NAME=VALUE"),
        (["cluster:failover", "--set", f"{TOLERATION}=-5"], TOLERATION),
        (["lesson:guest-compatibility", "--set", f"{TOLERATION}=30"], "has none"),
    ],
)
def test_what_cannot_be_compared_is_refused_in_one_line(tmp_path, capsys, args, says):
    out = tmp_path / ("x.csv" if "chart:" in args[0] else "x.png")
    assert main(["export", *args, "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert says in error and error.count("\n") == 1
    assert not out.exists()


def test_an_animation_takes_no_comparison(tmp_path, capsys):
    out = tmp_path / "x.gif"
    args = ["export", "cluster:failover", "--compare", f"{TOLERATION}=30", "--out", str(out)]
    assert main(args) == 2
    assert "stills" in capsys.readouterr().err
