"""Finding the line of each key in TOML text."""

from __future__ import annotations

from vmc_gui.model.toml_lines import key_lines, line_of

TEXT = '''\
# a comment
[scenario]
name = "x"  # trailing comment
description = """
fake = "not a key"
[not.a.table]
"""
worlds = [
  "vm",
  "container",
]
"quoted.key" = 1
a.b.c = 2

[[services]]
name = "one"

[[services]]
name = "two"
[services.extra]
deep = 3

[parameters.kubernetes]
node_monitor_grace_period_s = 20
'''


def test_keys_tables_and_arrays_of_tables():
    lines = key_lines(TEXT)
    assert lines[("scenario",)] == 2
    assert lines[("scenario", "name")] == 3
    assert lines[("scenario", "description")] == 4
    assert lines[("scenario", "worlds")] == 8
    assert lines[("scenario", "quoted.key")] == 12
    assert lines[("scenario", "a", "b", "c")] == 13
    assert lines[("services", 0, "name")] == 16
    assert lines[("services", 1, "name")] == 19
    assert lines[("services", 1, "extra", "deep")] == 21
    assert lines[("parameters", "kubernetes", "node_monitor_grace_period_s")] == 24


def test_text_inside_strings_is_not_read_as_keys():
    lines = key_lines(TEXT)
    assert ("scenario", "fake") not in lines
    assert ("not", "a", "table") not in lines


def test_line_of_falls_back_to_the_nearest_ancestor():
    lines = key_lines(TEXT)
    assert line_of(lines, ("scenario", "worlds", 1)) == 8
    assert line_of(lines, ("services", 1, "missing")) == 18
    assert line_of(lines, ("nowhere",)) is None
