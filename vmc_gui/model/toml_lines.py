"""Where each key of a TOML document is written, so that errors can name the line.

``tomllib`` returns plain values without positions.  This scanner reads the same text a line
at a time and records the line of every table header and every ``key =``; it understands
quoted and dotted keys, arrays of tables, and values that span lines (multi-line strings and
arrays).  It runs only on text ``tomllib`` has already accepted.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)(.*?)(\]\]?)\s*(#.*)?$")
_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _split_key(text: str) -> tuple[list[str], int]:
    """Split a possibly dotted, possibly quoted key; return its parts and where it ended."""
    parts: list[str] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t":
            i += 1
        if i >= n:
            break
        ch = text[i]
        if ch in "\"'":
            end = i + 1
            buf = []
            while end < n and text[end] != ch:
                if ch == '"' and text[end] == "\\" and end + 1 < n:
                    buf.append(text[end + 1])
                    end += 2
                    continue
                buf.append(text[end])
                end += 1
            parts.append("".join(buf))
            i = end + 1
        else:
            match = _BARE.match(text, i)
            if not match:
                break
            parts.append(match.group())
            i = match.end()
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] == ".":
            i += 1
            continue
        break
    return parts, i


def _scan_value(
    text: str, start: int, open_string: str | None, depth: int
) -> tuple[str | None, int]:
    """Follow strings and brackets across ``text``; return what is still open at its end."""
    i, n = start, len(text)
    while i < n:
        if open_string is not None:
            close = text.find(open_string, i)
            if close < 0:
                return open_string, depth
            i = close + len(open_string)
            open_string = None
            continue
        ch = text[i]
        if ch == "#":
            break
        if text.startswith('"""', i) or text.startswith("'''", i):
            open_string = text[i : i + 3]
            i += 3
        elif ch in "\"'":
            end = i + 1
            while end < n and text[end] != ch:
                end += 2 if ch == '"' and text[end] == "\\" else 1
            i = end + 1
        else:
            if ch in "[{":
                depth += 1
            elif ch in "]}":
                depth = max(0, depth - 1)
            i += 1
    return open_string, depth


def key_lines(text: str) -> dict[Path, int]:
    """Map each key path, with array-of-tables indices, to its 1-based line number."""
    lines: dict[Path, int] = {}
    array_counts: dict[Path, int] = {}
    current: Path = ()
    open_string: str | None = None
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if open_string is not None or depth:
            open_string, depth = _scan_value(line, 0, open_string, depth)
            continue
        header = _HEADER.match(line)
        if (
            header
            and header.group(1) in ("[", "[[")
            and len(header.group(1)) == len(header.group(3))
        ):
            parts, _ = _split_key(header.group(2))
            path = _with_indices(tuple(parts), array_counts)
            if header.group(1) == "[[":
                index = array_counts.get(path, -1) + 1
                array_counts[path] = index
                lines.setdefault(path, number)
                path = (*path, index)
            current = path
            lines.setdefault(current, number)
            continue
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        parts, end = _split_key(line)
        if parts and end < len(line) and line[end] == "=":
            path = (*current, *parts)
            for i in range(len(current) + 1, len(path) + 1):
                lines.setdefault(path[:i], number)
            open_string, depth = _scan_value(line, end + 1, None, 0)
    return lines


def _with_indices(path: Path, array_counts: dict[Path, int]) -> Path:
    """Resolve ``[services.limits]`` under ``[[services]]`` to the latest services entry."""
    resolved: Path = ()
    for part in path[:-1]:
        resolved = (*resolved, part)
        if resolved in array_counts:
            resolved = (*resolved, array_counts[resolved])
    return (*resolved, *path[-1:])


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of ``path``, or of its nearest written ancestor."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return None
