"""A wheel carries the resources (the scenario library, the font, the icons) and the app
runs from it, reading them with importlib.resources."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_the_scenarios_and_runs_from_them(tmp_path):
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("vmc_gui-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        # Every resource in the checkout, not a list that could go stale beside it.
        resources = ROOT / "resources"
        shipped = [
            *resources.glob("scenarios/*.toml"),
            *resources.glob("fonts/*.ttf"),
            resources / "fonts" / "OFL.txt",
            *resources.glob("icons/*.svg"),
            *resources.glob("icons/*.png"),
        ]
        assert len(list(resources.glob("scenarios/*.toml"))) >= 8
        assert len(list(resources.glob("icons/*.png"))) == 8
        missing = [
            str(path.relative_to(ROOT))
            for path in shipped
            if f"vmc_gui/resources/{path.relative_to(resources).as_posix()}" not in names
        ]
        assert not missing, f"not in the wheel: {missing}"
        assert "vmc_gui/ui/scenes/items/layer_item.py" in names
        assert "vmc_gui/ui/shell/main_window.py" in names
        (info,) = {name.split("/")[0] for name in names if ".dist-info/" in name}
        assert f"{info}/licenses/LICENSE" in names
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
        assert "vmc-gui = vmc_gui.cli:main" in entry_points
        archive.extractall(tmp_path / "site")
    # Run from the unpacked wheel only, away from the checkout.
    result = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]); import vmc_gui; print(vmc_gui.__file__); "
            "from vmc_gui.cli import main; raise SystemExit(main(['list']))",
            str(tmp_path / "site"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    module_file, *listing = result.stdout.splitlines()
    assert Path(module_file).is_relative_to(tmp_path / "site")
    assert "scenario:failover\tFault tolerance: the failover race" in listing
    assert "diagram:vm-vs-container\tVirtual machines and containers, side by side" in listing

    # The bundled font loads from the wheel, and an export works from it, headless.
    out = tmp_path / "vm.svg"
    result = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]); from vmc_gui.cli import main; "
            "raise SystemExit(main(['export', 'diagram:vm', '--out', sys.argv[2]]))",
            str(tmp_path / "site"),
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert 'font-family="Inter"' in out.read_text()


def test_every_package_is_listed_for_the_wheel():
    # pyproject.toml names the packages one by one (resources/ installs under vmc_gui): a
    # new subpackage left off the list is missing from every installed copy.
    import tomllib

    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "vmc_gui").rglob("__init__.py")
    }
    assert found <= listed, sorted(found - listed)
