"""The Linux desktop integration (packaging/linux) and the PyInstaller spec.

- The desktop entry and the AppStream metainfo pass their validators.
- Every file names the app by the same id, and the icons exist at their sizes.
- install.sh puts it all in place under a prefix, launching the program by its full path,
  and --uninstall takes it away again.
- A scenario file is recognised as the scenario type; any other .toml stays plain TOML.
- The spec leaves out no Qt module the app loads.

The validators come from Debian's desktop-file-utils, appstream and shared-mime-info
(.ci/run installs them); a test that needs one that is missing fails, saying which package
to install: a check that quietly does not run would pass a broken file.
"""

from __future__ import annotations

import ast
import configparser
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from vmc_gui import __version__
from vmc_gui.ui.icons import APP_ID, ICON_SIZES, icon_png

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
MIME = LINUX / f"{APP_ID}.mime.xml"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


#: Each validator and the Debian package that brings it.
PACKAGES = {
    "desktop-file-validate": "desktop-file-utils",
    "appstreamcli": "appstream",
    "update-mime-database": "shared-mime-info",
    "gio": "libglib2.0-bin",
}


def needs(tool: str) -> str:
    path = shutil.which(tool)
    assert path, f"{tool} is not installed: apt install {PACKAGES[tool]} (.ci/run installs it)"
    return path


def run(*args: str | Path, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, check=False, **kwargs
    )


def scenario_type() -> ET.Element:
    """The scenario file type in the MIME file (which declares application/toml too)."""
    for mime_type in ET.parse(MIME).getroot().iter(f"{MIME_NS}mime-type"):
        if mime_type.get("type") == "application/x-vmc-gui-scenario":
            return mime_type
    raise AssertionError("no scenario type in the MIME file")


def exec_argv(value: str) -> list[str]:
    r"""An Exec value as the Desktop Entry spec reads it: the key file's escapes first, then
    arguments split on spaces, a double-quoted one with \" \` \$ \\ escaped."""
    unescaped, i = "", 0
    while i < len(value):
        if value[i] == "\\":
            unescaped += {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}[value[i + 1]]
            i += 2
        else:
            unescaped += value[i]
            i += 1
    argv, i = [], 0
    while i < len(unescaped):
        if unescaped[i] == " ":
            i += 1
        elif unescaped[i] == '"':
            arg, i = "", i + 1
            while unescaped[i] != '"':
                if unescaped[i] == "\\":
                    assert unescaped[i + 1] in '"`$\\', f"a stray backslash in {value!r}"
                    i += 1
                arg += unescaped[i]
                i += 1
            argv.append(arg)
            i += 1
        else:
            end = unescaped.find(" ", i)
            end = len(unescaped) if end < 0 else end
            argv.append(unescaped[i:end])
            i = end
    return argv


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, comment_prefixes=("#",))
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_desktop_entry_is_valid():
    result = run(needs("desktop-file-validate"), DESKTOP)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_the_metainfo_is_valid():
    result = run(needs("appstreamcli"), "validate", "--no-net", METAINFO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_file_names_the_app_by_one_id():
    entry = desktop_entry(DESKTOP)
    assert entry["Icon"] == APP_ID
    assert entry["Exec"] == "vmc-gui open %f"  # install.sh rewrites the command's path
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == DESKTOP.name
    # The launcher is offered for scenarios, not for every TOML file.
    assert entry["MimeType"] == "application/x-vmc-gui-scenario;"
    assert component.find("provides/mediatype").text == scenario_type().get("type")
    # The first release listed is this version (vmc_gui/__init__.py is the one source).
    assert component.find("releases/release").get("version") == __version__


def test_the_metainfo_screenshots_are_the_docs_pictures():
    shots = ET.parse(METAINFO).getroot().findall("screenshots/screenshot/image")
    assert len(shots) >= 2
    for image in shots:
        url = image.text.strip()
        assert url.startswith("https://")
        path = ROOT / url.split("/main/", 1)[1]
        assert path.is_file(), f"{url}: no {path.relative_to(ROOT)} in the repository"
        if image.get("width"):
            picture = QImage(str(path))
            assert (picture.width(), picture.height()) == (
                int(image.get("width")),
                int(image.get("height")),
            )


def test_the_icons_exist_at_every_size(qapp):
    assert (icon_png(16).parent / f"{APP_ID}.svg").is_file()
    for size in ICON_SIZES:
        image = QImage(str(icon_png(size)))
        assert (image.width(), image.height()) == (size, size)
        # Drawn, with a transparent corner outside the rounded tile.
        assert image.pixelColor(0, 0).alpha() == 0
        assert image.pixelColor(size // 2, size // 2).alpha() == 255


def test_install_puts_everything_in_place_and_uninstall_takes_it_away(tmp_path):
    program = tmp_path / "venv" / "bin" / "vmc-gui"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(0o755)
    prefix = tmp_path / "prefix"
    result = run(LINUX / "install.sh", "--prefix", prefix, program)
    assert result.returncode == 0, result.stderr
    share = prefix / "share"
    installed = [
        share / "applications" / f"{APP_ID}.desktop",
        share / "metainfo" / f"{APP_ID}.metainfo.xml",
        share / "mime" / "packages" / f"{APP_ID}.xml",
        share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        *(share / "icons" / "hicolor" / f"{s}x{s}" / "apps" / f"{APP_ID}.png" for s in ICON_SIZES),
    ]
    assert [p for p in installed if not p.is_file()] == []
    entry = desktop_entry(installed[0])
    assert exec_argv(entry["Exec"]) == [str(program), "open", "%f"]
    assert entry["TryExec"] == str(program)
    check = run(needs("desktop-file-validate"), installed[0])
    assert check.returncode == 0, check.stdout

    result = run(LINUX / "install.sh", "--prefix", prefix, "--uninstall")
    assert result.returncode == 0, result.stderr
    assert [p for p in installed if p.exists()] == []
    assert program.exists()  # a pip-installed program is the user's, and stays


def test_install_copies_a_frozen_build_and_links_it(tmp_path):
    frozen = tmp_path / "dist" / "vmc-gui"
    (frozen / "_internal").mkdir(parents=True)
    (frozen / "_internal" / "base_library.zip").write_bytes(b"")
    (frozen / "vmc-gui").write_text("#!/bin/sh\nexit 0\n")
    (frozen / "vmc-gui").chmod(0o755)
    prefix = tmp_path / "prefix"
    result = run(LINUX / "install.sh", "--prefix", prefix, frozen / "vmc-gui")
    assert result.returncode == 0, result.stderr
    copy = prefix / "lib" / "vmc-gui" / "vmc-gui"
    assert copy.is_file() and (prefix / "bin" / "vmc-gui").resolve() == copy.resolve()
    entry = desktop_entry(prefix / "share" / "applications" / f"{APP_ID}.desktop")
    assert exec_argv(entry["Exec"]) == [str(copy), "open", "%f"]
    # Again, from the installed copy itself: it stays.
    result = run(LINUX / "install.sh", "--prefix", prefix, copy)
    assert result.returncode == 0, result.stderr
    assert copy.is_file()
    run(LINUX / "install.sh", "--prefix", prefix, "--uninstall")
    assert not (prefix / "lib" / "vmc-gui").exists() and not (prefix / "bin" / "vmc-gui").exists()


def fake_program(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return path


def test_the_launcher_quotes_a_path_with_spaces_and_shell_characters(tmp_path):
    program = fake_program(tmp_path / 'R&D $HOME `x` "q" back\\slash' / "vmc-gui")
    prefix = tmp_path / "my prefix"
    result = run(LINUX / "install.sh", "--prefix", prefix, program)
    assert result.returncode == 0, result.stderr
    installed = prefix / "share" / "applications" / f"{APP_ID}.desktop"
    entry = desktop_entry(installed)
    assert exec_argv(entry["Exec"]) == [str(program), "open", "%f"]
    check = run(needs("desktop-file-validate"), installed)
    assert check.returncode == 0, check.stdout


def test_install_refuses_a_path_with_a_percent_sign(tmp_path):
    program = fake_program(tmp_path / "50%" / "vmc-gui")
    result = run(LINUX / "install.sh", "--prefix", tmp_path / "prefix", program)
    assert result.returncode == 2 and "has a %" in result.stderr


def test_install_leaves_what_is_not_its_own(tmp_path, monkeypatch):
    """A vmc-gui in bin that another tool put there (pipx, pip --user) is neither replaced
    nor removed; a relative prefix still gives a launcher that works from anywhere."""
    frozen = fake_program(tmp_path / "dist" / "vmc-gui" / "vmc-gui").parent
    (frozen / "_internal").mkdir()
    (frozen / "_internal" / "base_library.zip").write_bytes(b"")
    other = fake_program(tmp_path / "pipx" / "vmc-gui")
    bin_ = tmp_path / "prefix" / "bin"
    bin_.mkdir(parents=True)
    (bin_ / "vmc-gui").symlink_to(other)
    result = run(LINUX / "install.sh", "--prefix", tmp_path / "prefix", frozen / "vmc-gui")
    assert result.returncode == 2 and "is not this script's" in result.stderr
    assert (bin_ / "vmc-gui").resolve() == other
    result = run(LINUX / "install.sh", "--prefix", tmp_path / "prefix", "--uninstall")
    assert result.returncode == 0 and (bin_ / "vmc-gui").resolve() == other
    # A relative prefix, from another folder.
    monkeypatch.chdir(tmp_path)
    result = run(LINUX / "install.sh", "--prefix", "relative", frozen / "vmc-gui")
    assert result.returncode == 0, result.stderr
    link = tmp_path / "relative" / "bin" / "vmc-gui"
    assert link.readlink().is_absolute() and link.resolve().is_file()


def test_install_without_a_program_says_so(tmp_path):
    result = run(LINUX / "install.sh", "--prefix", tmp_path, tmp_path / "nothing")
    assert result.returncode == 2 and "is not a program" in result.stderr


@pytest.mark.parametrize("system", ["this system's", "only ours (shared-mime-info < 2.2)"])
def test_a_scenario_file_is_the_scenario_type_and_other_toml_is_not(tmp_path, system):
    needs("update-mime-database")
    gio = needs("gio")
    mime = tmp_path / "data" / "mime"
    (mime / "packages").mkdir(parents=True)
    shutil.copy(MIME, mime / "packages" / f"{APP_ID}.xml")
    assert run("update-mime-database", mime).returncode == 0
    shutil.copy(ROOT / "resources" / "scenarios" / "failover.toml", tmp_path / "race.toml")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "other"\n')
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    if system.startswith("only"):  # no system MIME database: ours alone decides
        (tmp_path / "empty").mkdir()
        env["XDG_DATA_DIRS"] = str(tmp_path / "empty")
    types = {}
    for name in ("race.toml", "pyproject.toml"):
        info = run(gio, "info", "-a", "standard::content-type", tmp_path / name, env=env)
        types[name] = info.stdout.strip().rsplit(" ", 1)[-1]
    assert types == {
        "race.toml": "application/x-vmc-gui-scenario",
        "pyproject.toml": "application/toml",
    }


def test_every_bundled_scenario_carries_the_mark_the_desktop_looks_for():
    match = scenario_type().find(f"{MIME_NS}magic/{MIME_NS}match")
    mark, (start, end) = match.get("value"), map(int, match.get("offset").split(":"))
    for path in (ROOT / "resources" / "scenarios").glob("*.toml"):
        assert mark in path.read_text(encoding="utf-8")[start:end], path.name


def spec_constant(name: str) -> object:
    tree = ast.parse((ROOT / "packaging" / "vmc-gui.spec").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == name:
            return ast.literal_eval(node.value)
    raise AssertionError(f"no {name} in the spec")


def test_the_spec_leaves_out_no_qt_module_the_app_loads():
    unused = spec_constant("UNUSED_QT_MODULES")
    assert "QtQml" in unused and "QtNetwork" in unused
    # Everything the app can show: the window, a lesson page, the charts, the exports.
    probe = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen';"
        "from vmc_gui.ui.app import application; app = application();"
        "from vmc_gui.ui.shell.main_window import MainWindow; w = MainWindow();"
        "w.open_lesson('fault-tolerance'); w.open_lesson('guest-compatibility');"
        "import vmc_gui.ui.export, vmc_gui.ui.headless, vmc_gui.ui.windows;"
        "print(' '.join(m.split('.')[1] for m in sys.modules if m.startswith('PySide6.Qt')))"
    )
    env = {**os.environ, "XDG_CONFIG_HOME": "/nonexistent", "VMC_GUI_LOG": os.devnull}
    result = run(sys.executable, "-c", probe, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.split())
    assert {"QtCore", "QtGui", "QtWidgets"} <= loaded
    assert loaded.isdisjoint(unused), f"the spec leaves out {loaded & set(unused)}"


def test_the_app_carries_its_icon_and_names_its_desktop_file():
    probe = (
        "import os; os.environ['QT_QPA_PLATFORM'] = 'offscreen';"
        "from vmc_gui.ui.app import application; app = application();"
        "print(app.desktopFileName());"
        "print(' '.join(str(s.width()) for s in app.windowIcon().availableSizes()))"
    )
    result = run(sys.executable, "-c", probe, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    name, sizes = result.stdout.split("\n")[:2]
    assert name == APP_ID
    assert sorted(map(int, sizes.split())) == sorted(ICON_SIZES)
