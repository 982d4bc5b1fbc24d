"""Every lesson's export at 1600x1000 reads as text: read back with OCR (tesseract), the lesson's
title, each world's name and its large result, and the host names are there.

This is the acceptance check of issue 17 ("legible: host names, the world headers and the large
result read as text"), run where tesseract is installed (``.ci/run`` installs it on Debian);
elsewhere it is skipped.  OCR confuses a few shapes a reader does not (0 and o, 1 and l), so
both sides are folded before they are compared, and a line may differ from the expected text
by a character or two.
"""

from __future__ import annotations

import difflib
import itertools
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from vmc_gui.cli import main
from vmc_gui.model.lessons import ROWS, View
from vmc_gui.model.library import resolve
from vmc_gui.sim import simulate
from vmc_gui.sim.headline import headlines

pytestmark = [
    pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract (OCR)"),
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]

#: What OCR mistakes for what, folded the same way on both sides.
_FOLD = str.maketrans({"o": "0", "l": "1", "i": "1", "|": "1", "!": "1", "s": "5"})
#: How alike a stretch of the OCR's text must be to the expected text (difflib's ratio).
_ALIKE = 0.85
#: The share of a cluster lesson's host names on screen that OCR must read.
_HOSTS_READ = 0.6


def _fold(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", text.lower()).translate(_FOLD).strip()


def reads(expected: str, text: str) -> bool:
    """Whether ``expected`` is in ``text``, give or take what OCR gets wrong."""
    want = _fold(expected)
    lines = [_fold(line) for line in text.splitlines() if line.strip()]
    # A text cut in lines (a wrapped title, a word OCR read as a line of its own) joins up.
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(lines)]
    triples = [f"{a} {b} {c}" for a, b, c in zip(lines, lines[1:], lines[2:], strict=False)]
    for line in lines + pairs + triples:
        if want in line:
            return True
        for start in range(max(1, len(line) - len(want) + 1)):
            piece = line[start : start + len(want)]
            if difflib.SequenceMatcher(None, want, piece).ratio() >= _ALIKE:
                return True
    return False


def ocr(path: Path) -> str:
    """The text tesseract reads in ``path`` (automatic page layout, then sparse text).

    The two readings run side by side, each on one thread: tesseract's OpenMP threads spin
    while they wait, and on two busy cores they made a reading four times slower (measured:
    12.8 s against 3.5 s)."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    readers = [
        subprocess.Popen(
            ["tesseract", str(path), "-", "--psm", mode],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for mode in ("3", "11")
    ]
    texts = []
    for reader in readers:
        out, err = reader.communicate()
        assert reader.returncode == 0, f"tesseract failed: {err}"
        texts.append(out)
    return "\n".join(texts)


def _export(slug: str, tmp_path: Path, at: float | None) -> Path:
    out = tmp_path / f"{slug}.png"
    args = ["export", f"lesson:{slug}", "--size", "1600x1000", "--scale", "1", "--out", str(out)]
    if at is not None:
        args += ["--at", f"{at:g}"]
    assert main(args) == 0
    return out


def test_reads_folds_what_ocr_confuses():
    assert reads("r1-h01 up", "ri-hOl up\n")
    assert reads("recovered in 4 min 59.6 s", "recovered in 4 min 59,6 s")
    assert not reads("recovered in 4 min 59.6 s", "not recovered: 1 pending")


@pytest.mark.parametrize("slug", [s for s, row in ROWS.items() if row.main_view is View.CLUSTER])
def test_a_cluster_lesson_reads_at_its_end(qapp, slug, tmp_path):
    row = ROWS[slug]
    scenario = resolve(row.scenario)
    timeline = simulate(scenario)
    text = ocr(_export(slug, tmp_path, scenario.duration_s))
    assert reads(row.feature, text), f"{slug}: the title is not read"
    finals = {world: line.final() for world, line in headlines(timeline).items()}
    first_row = list(scenario.worlds)[:2]  # the worlds on screen without scrolling
    for world in first_row:
        assert reads(world.display_name, text), f"{slug}: {world.display_name!r} is not read"
        final = finals.get(world.value)
        if final is not None:
            assert reads(final[1], text), f"{slug}: the result {final[1]!r} is not read"
    hosts = scenario.cluster.host_names()
    found = [h for h in hosts if reads(h, text)]
    assert len(found) >= _HOSTS_READ * len(hosts), f"{slug}: host names read: {found}"


@pytest.mark.parametrize(
    "slug", [s for s, row in ROWS.items() if row.main_view is not View.CLUSTER]
)
def test_a_diagram_or_matrix_lesson_reads(qapp, slug, tmp_path):
    row = ROWS[slug]
    text = ocr(_export(slug, tmp_path, None))
    assert reads(row.feature, text), f"{slug}: the title is not read"


def test_the_first_screen_reads(qapp, tmp_path):
    text = ocr(_export("overview", tmp_path, None))
    for row in ROWS.values():
        assert reads(row.feature, text), f"the table's row {row.feature!r} is not read"
