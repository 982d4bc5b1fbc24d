"""The layering rule: the model and the simulation never import Qt (DESIGN.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "vmc_gui"
FORBIDDEN = ("PySide6", "pyqtgraph", "shiboken6", "vmc_gui.ui")


def test_importing_model_and_sim_loads_no_qt():
    code = (
        "import sys, pkgutil, importlib, vmc_gui.model, vmc_gui.sim\n"
        "for pkg in (vmc_gui.model, vmc_gui.sim):\n"
        "    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        f"forbidden = {FORBIDDEN!r}\n"
        "bad = [m for m in sys.modules if m.startswith(forbidden)]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_no_qt_import_statement_in_model_or_sim():
    offenders = []
    for folder in ("model", "sim"):
        for path in (PACKAGE / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                offenders += [f"{path}: {n}" for n in names if n.startswith(FORBIDDEN)]
    assert offenders == []


def test_no_unsafe_loading_anywhere_in_the_package():
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("eval", "exec"), path
            if isinstance(node, ast.Import | ast.ImportFrom):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                assert module not in ("pickle", "marshal", "shelve"), path
