"""What PowerShell's ``ConvertTo-Json`` writes, read safely: one object or an array, and the
values its ``-Depth`` cut short.

The reading itself (encodings, JSON, the JSON path of every problem) is
:mod:`vmc_gui.model.importing.json_input`'s; this module adds the limits and the shapes of
PowerShell's output:

* Encoding.  Windows PowerShell 5.1's ``>`` (and ``Out-File`` without ``-Encoding``) writes
  UTF-16 LE with a byte-order mark, ``Out-File -Encoding utf8`` UTF-8 with one; PowerShell 6 and
  later write UTF-8 without one.  about_Character_Encoding: "In Windows PowerShell, any Unicode
  encoding, except UTF7, always creates a BOM. PowerShell (v6 and higher) defaults to utf8NoBOM"
  (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_character_encoding).
  ``json_input.parse_json`` reads all three, by the BOM or, without one, by the zero bytes.
* One object is written bare, several as an array (ConvertTo-Json's example 2 and ``-AsArray``:
  https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/convertto-json).
  Windows PowerShell 5.1 writes an array that carries PowerShell's extended properties as
  ``{"value": [...], "Count": n}``; that wrapper is taken off.
* ``-Depth`` (default 2) writes an object nested deeper as its ``ToString()``, often its .NET
  type name (a hashtable three levels down becomes ``"System.Collections.Hashtable"``; PowerShell
  7.1 and later also warn, on the console only).  :func:`depth_cuts` counts those type names so
  that the summary can say so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vmc_gui.model.imported import ImportProblem
from vmc_gui.model.importing.json_input import JsonPath, describe, parse_json

#: The largest file read.  A full ``Get-VM | ConvertTo-Json`` takes a few KB a VM, twice that in
#: UTF-16: 64 MiB holds thousands of VMs, and ``Select-Object`` of the fields read far more.
MAX_FILE_BYTES = 64 * 2**20
#: Objects and arrays in one file, counted in the bytes before parsing (an over-count, as a
#: bracket in a string counts too): each becomes a Python object, so this bounds the memory
#: one hostile file can take to a few hundred MB.  A VM as Get-VM exports it has about 10.
MAX_CONTAINERS = 2_000_000

#: A .NET type name, as ToString() gives for an object beyond -Depth.
_TYPE_NAME = re.compile(r"(?:System|Microsoft)(?:\.[A-Za-z_][A-Za-z0-9_`]*)+(?:\[[^\]]*\])?")


def read_document(path: Path, name: str) -> Any:
    """The JSON value in the file, or an :class:`ImportProblem` naming ``name``.  A file over
    :data:`MAX_FILE_BYTES` is refused before it is read."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ImportProblem(name, "", "not a file")
        if size > MAX_FILE_BYTES:
            raise _too_big(name, size)
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat()
    except FileNotFoundError:
        raise ImportProblem(name, "", "no such file") from None
    except OSError as err:
        raise ImportProblem(name, "", f"cannot be read ({err.strerror or err})") from None
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(name, len(data))
    if data.count(b"{") + data.count(b"[") > MAX_CONTAINERS:
        raise ImportProblem(name, "", f"holds more than {MAX_CONTAINERS:,} objects and arrays")
    return parse_json(data, name)


def records(document: Any, name: str) -> Iterator[tuple[JsonPath, Any]]:
    """Each top-level value with its JSON path: ``$`` for one object, ``$[i]`` in an array,
    ``$.value[i]`` in Windows PowerShell's wrapped array."""
    root = JsonPath(name)
    wrapped = isinstance(document, dict) and set(document) == {"value", "Count"}
    if wrapped and isinstance(document["value"], list):
        document, root = document["value"], root / "value"
    if isinstance(document, list):
        yield from ((root / i, value) for i, value in enumerate(document))
    elif isinstance(document, dict):
        yield root, document
    else:
        root.fail(f"expected the objects ConvertTo-Json writes, found {describe(document)}")


def depth_cuts(value: Any) -> int:
    """How many values ConvertTo-Json's ``-Depth`` cut to a .NET type name."""
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            count += bool(_TYPE_NAME.fullmatch(item))
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def _too_big(name: str, size: int) -> ImportProblem:
    return ImportProblem(
        name,
        "",
        f"{size / 2**20:,.0f} MB, over the {MAX_FILE_BYTES // 2**20} MB limit for one file "
        "(export only the fields read, with Select-Object: docs/import.md)",
    )
