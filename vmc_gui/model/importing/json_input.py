"""Reading exported JSON safely, and typed access to it that names the place of any problem.

Every way a file can be wrong ends in one :class:`ImportProblem` naming the file and, inside
it, the JSON path (``$.items[3].status.allocatable.cpu``) or, for text that is not JSON, the
line and column.  Nothing is evaluated; numbers, strings, lists and objects are all JSON
holds.

Limits, and why:

* ``MAX_FILE_BYTES``, 512 MB, checked with ``os.stat`` before a byte is read.  A pod as
  ``kubectl get pods -o json`` prints it (indented, managed fields hidden) takes about 7 to
  8 kB: this project's fixtures and the benchmark's generated pods both do, and the
  benchmark's 30,000 pods make 215 MB.  So 512 MB holds some 70,000 pods, more than twice the
  issue's largest case, while reading it takes about four times its size in memory (the
  benchmark peaks at 840 MB for its 218 MB), some 2 GB, what a laptop can spare.  Larger
  clusters (Kubernetes supports 150,000 pods: "Considerations for large clusters",
  https://kubernetes.io/docs/setup/best-practices/cluster-large/) export a namespace at a
  time, or as ``kubectl cluster-info dump``, one file per namespace.
* Nesting: Python's ``json`` stops at the interpreter's recursion limit (about 1,000 levels)
  and raises ``RecursionError``, which becomes an :class:`ImportProblem` here.  kubectl's
  output nests about 15 levels, and the importers read fixed paths a dozen levels deep at
  most, never recursing, so deeper values that do parse are never walked.
* The garbage collector is paused while a file is parsed (``gc_paused``).  A parsed file is a
  tree, with no reference cycles to collect, yet each full collection during the parse walks
  every object made so far: on the benchmark's 215 MB pod list (benchmarks/bench_import.py)
  ``json.loads`` takes about 4 s with the collector running and 2 s with it paused.
* ``NaN`` and ``Infinity`` (which Python's ``json`` accepts and JSON does not) are refused;
  integers of more than 4,300 digits are refused by Python itself (``int`` conversion limit;
  the fast reader of pod lists, pod_list.py, skips such a number unconverted in a field it
  never reads).
  Fractional numbers are read as ``Decimal``, so a quantity written as a number stays exact.
"""

from __future__ import annotations

import gc
import json
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from vmc_gui.model.imported import ImportProblem

MAX_FILE_BYTES = 512 * 2**20
#: Kubernetes names are DNS subdomains of at most 253 characters (RFC 1123, as the API
#: validates them); other short strings (images, label values, taint keys) at most this.
MAX_NAME_CHARS = 253
MAX_TEXT_CHARS = 4096


class JsonPath:
    """Where a value sits in a file: ``$``, ``$.items[3]``, ``$.items[3].spec``...

    A chain of parents, so that descending costs one small object and the text is built only
    when a problem is reported.
    """

    __slots__ = ("file", "key", "parent")

    def __init__(self, file: str, parent: JsonPath | None = None, key: str | int = "") -> None:
        self.file, self.parent, self.key = file, parent, key

    def __truediv__(self, key: str | int) -> JsonPath:
        return JsonPath(self.file, self, key)

    def __str__(self) -> str:
        parts: list[str] = []
        node: JsonPath | None = self
        while node is not None and node.parent is not None:
            key = node.key
            if isinstance(key, int):
                parts.append(f"[{key}]")
            elif key.replace("_", "").isalnum():
                parts.append(f".{key}")
            else:
                parts.append(f"[{json.dumps(key)}]")
            node = node.parent
        return "$" + "".join(reversed(parts))

    def problem(self, message: str) -> ImportProblem:
        return ImportProblem(self.file, str(self), message)

    def fail(self, message: str) -> NoReturn:
        raise self.problem(message)


def read_json(path: Path | str, *, limit: int = MAX_FILE_BYTES) -> Any:
    """The JSON value in the file at ``path``, or an :class:`ImportProblem` saying why not.

    Accepts UTF-8 (with or without a byte-order mark) and UTF-16 or UTF-32 with one: Windows
    PowerShell 5.1's ``>`` writes UTF-16 LE with a BOM, so ``kubectl ... > nodes.json`` run
    there gives that.
    """
    return parse_json(read_bytes(path, limit=limit), str(path))


def read_bytes(path: Path | str, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the file at ``path``, refused before they are read if over ``limit``."""
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ImportProblem(name, "", "no such file") from None
    except OSError as error:
        raise ImportProblem(name, "", f"cannot be read ({error.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise ImportProblem(name, "", "not a file")
    if info.st_size > limit:
        raise ImportProblem(name, "", _too_large(info.st_size, limit))
    try:
        with open(path, "rb") as file:
            data = file.read(limit + 1)  # a file growing as it is read is still capped
    except OSError as error:
        raise ImportProblem(name, "", f"cannot be read ({error.strerror})") from None
    if len(data) > limit:
        raise ImportProblem(name, "", _too_large(len(data), limit))
    return data


def parse_json(data: bytes, name: str) -> Any:
    """The JSON value in ``data`` (the contents of the file ``name``)."""
    if not data or data.isspace():  # isspace stops at the first other byte; strip would copy
        raise ImportProblem(name, "", "empty: no JSON in it")
    try:
        with gc_paused():
            return loads(data)
    except RecursionError:
        raise ImportProblem(
            name, "", "nested too deeply to read (JSON the importer reads nests some 15 levels)"
        ) from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ImportProblem(name, where, f"not valid JSON: {error.msg}") from None
    except UnicodeDecodeError:
        raise ImportProblem(name, "", "not text in UTF-8, UTF-16 or UTF-32") from None
    except ValueError as error:  # NaN or Infinity, or an integer of thousands of digits
        raise ImportProblem(name, "", f"not valid JSON: {_first_clause(error)}") from None
    except MemoryError:
        raise ImportProblem(name, "", "too large to hold in memory") from None


def loads(data: bytes | str) -> Any:
    """JSON as the importers read it: fractional numbers as ``Decimal``, ``NaN`` and
    ``Infinity`` refused (``ValueError``)."""
    return json.loads(data, parse_float=Decimal, parse_constant=_refuse_constant)


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block, as it was after it.  JSON makes trees,
    never cycles, so a collection during a parse or a walk over the result frees nothing and
    costs a pass over millions of objects.  (The collector is process-wide: other threads
    collect no cycles meanwhile either, for the second or two an import takes.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _refuse_constant(token: str) -> NoReturn:
    raise ValueError(f"{token} is not a JSON number")


def _first_clause(error: ValueError) -> str:
    return str(error).split(";")[0]


def _too_large(size: int, limit: int) -> str:
    return (
        f"{size / 2**20:,.0f} MB, over the {limit / 2**20:,.0f} MB limit for one file "
        "(export one namespace at a time, or use kubectl cluster-info dump)"
    )


def describe(value: Any) -> str:
    """A JSON value as a message names it: its type, and a short sample of a scalar."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        sample = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {json.dumps(sample)}"
    text = str(value)
    return f"the number {text if len(text) <= 40 else text[:37] + '...'}"


#: Where a value is: a :class:`JsonPath`, or a tuple ``(path, key, key...)`` naming a place
#: below one, which costs less to make and is turned into a path only if there is a problem
#: to report (``place``).  The importers read millions of values and report at most one.
Where = JsonPath | tuple[Any, ...]


def place(where: Where) -> JsonPath:
    if isinstance(where, JsonPath):
        return where
    at = place(where[0])
    for key in where[1:]:
        at = at / key
    return at


def as_object(value: Any, at: Where) -> dict[str, Any]:
    if type(value) is not dict:
        place(at).fail(f"expected an object, found {describe(value)}")
    return value


def as_array(value: Any, at: Where) -> list[Any]:
    if type(value) is not list:
        place(at).fail(f"expected an array, found {describe(value)}")
    return value


def as_string(value: Any, at: Where, limit: int = MAX_TEXT_CHARS) -> str:
    if type(value) is not str:
        place(at).fail(f"expected a string, found {describe(value)}")
    if len(value) > limit:
        place(at).fail(f"a string of {len(value):,} characters, over the {limit:,} allowed here")
    return value


def get_object(obj: dict[str, Any], key: str, at: Where) -> dict[str, Any]:
    """``obj[key]`` as an object; absent or null is an empty object, as Kubernetes omits
    empty fields."""
    value = obj.get(key)
    if value is None:
        return {}
    if type(value) is not dict:
        (place(at) / key).fail(f"expected an object, found {describe(value)}")
    return value


def get_array(obj: dict[str, Any], key: str, at: Where) -> list[Any]:
    """``obj[key]`` as an array; absent or null is an empty array."""
    value = obj.get(key)
    if value is None:
        return []
    if type(value) is not list:
        (place(at) / key).fail(f"expected an array, found {describe(value)}")
    return value


def get_string(
    obj: dict[str, Any], key: str, at: Where, default: str = "", limit: int = MAX_TEXT_CHARS
) -> str:
    """``obj[key]`` as a string; absent or null is ``default``."""
    value = obj.get(key)
    if value is None:
        return default
    if type(value) is not str or len(value) > limit:
        return as_string(value, (at, key), limit)
    return value


def require_string(obj: dict[str, Any], key: str, at: Where, limit: int = MAX_NAME_CHARS) -> str:
    """``obj[key]`` as a non-empty string, or a problem saying it is missing."""
    value = obj.get(key)
    if value is None or value == "":
        (place(at) / key).fail("missing: a name is required here")
    if type(value) is not str or len(value) > limit:
        return as_string(value, (at, key), limit)
    return value


def get_bool(obj: dict[str, Any], key: str, at: Where, default: bool = False) -> bool:
    value = obj.get(key)
    if value is None:
        return default
    if value is not True and value is not False:
        (place(at) / key).fail(f"expected true or false, found {describe(value)}")
    return bool(value)


def get_integer(obj: dict[str, Any], key: str, at: Where, low: int, high: int) -> int | None:
    """``obj[key]`` as a whole number from ``low`` to ``high``; absent or null is None."""
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        (place(at) / key).fail(f"expected a whole number, found {describe(value)}")
    # The range first: int() of a Decimal such as 1E+999999999 would build a billion digits.
    if not low <= value <= high:
        (place(at) / key).fail(f"{describe(value)} is outside {low:,} to {high:,}")
    if isinstance(value, Decimal) and value != value.to_integral_value():
        (place(at) / key).fail(f"expected a whole number, found {describe(value)}")
    return int(value)


def scalar_text(value: Any, at: Where) -> str:
    """A quantity as written: a string, or a number (Kubernetes accepts ``1`` for ``"1"``)."""
    if type(value) is str:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        return text if len(text) <= 64 else place(at).fail(f"{describe(value)} is far too large")
    if isinstance(value, Decimal):
        return str(value)
    place(at).fail(f'expected a quantity such as "500m" or "2Gi", found {describe(value)}')
