"""Reading JSON files safely: the size limit before reading, nesting, encodings, constants
JSON does not have, and typed access whose every problem names the file and the JSON path."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from vmc_gui.model.imported import ImportProblem
from vmc_gui.model.importing import json_input
from vmc_gui.model.importing.json_input import (
    MAX_FILE_BYTES,
    JsonPath,
    as_object,
    get_array,
    get_bool,
    get_integer,
    get_object,
    get_string,
    read_json,
    require_string,
    scalar_text,
)


def test_json_paths_read_as_jsonpath():
    root = JsonPath("nodes.json")
    assert str(root) == "$"
    at = root / "items" / 3 / "status" / "allocatable" / "cpu"
    assert str(at) == "$.items[3].status.allocatable.cpu"
    label = root / "metadata" / "labels" / "topology.kubernetes.io/zone"
    assert str(label) == '$.metadata.labels["topology.kubernetes.io/zone"]'
    problem = at.problem("expected a string")
    assert problem.path == "nodes.json"
    assert str(problem) == "nodes.json: $.items[3].status.allocatable.cpu: expected a string"


def test_the_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "pods.json"
    with open(big, "wb") as file:  # sparse: 513 MB on paper, nothing on disk
        file.truncate(MAX_FILE_BYTES + 2**20)

    def no_reading(*_args, **_kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(json_input, "open", no_reading, raising=False)
    with pytest.raises(ImportProblem, match="513 MB, over the 512 MB limit") as caught:
        read_json(big)
    assert caught.value.path == str(big)


def test_a_smaller_limit_and_a_file_just_within_it(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"kind": "List", "items": []}')
    assert read_json(path, limit=path.stat().st_size) == {"kind": "List", "items": []}
    with pytest.raises(ImportProblem, match="over the"):
        read_json(path, limit=path.stat().st_size - 1)


def test_deep_nesting_is_one_clear_problem(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"items": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(ImportProblem, match="nested too deeply") as caught:
        read_json(path)
    assert caught.value.path == str(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"cpu": NaN}', "NaN is not a JSON number"),
        ('{"cpu": Infinity}', "Infinity is not a JSON number"),
        ('{"cpu": -Infinity}', "-Infinity is not a JSON number"),
        ('{"cpu": ' + "9" * 5000 + "}", "Exceeds the limit"),
        ('{"cpu": "1"', "not valid JSON"),
        ("", "empty"),
        ("   \n", "empty"),
    ],
)
def test_what_is_not_json(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ImportProblem, match=message):
        read_json(path)


def test_a_syntax_error_names_the_line_and_column(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "items": [1, 2,,]\n}')
    with pytest.raises(ImportProblem) as caught:
        read_json(path)
    assert caught.value.where == "line 2, column 18"
    assert str(caught.value).startswith(f"{path}: line 2, column 18: not valid JSON")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32"])
def test_encodings_windows_and_others_write(tmp_path, encoding):
    # Windows PowerShell 5.1's `kubectl get nodes -o json > nodes.json` writes UTF-16 LE with
    # a byte-order mark ("utf-16" here); UTF-8 with a BOM comes from some editors.
    path = tmp_path / "nodes.json"
    path.write_bytes('{"kind": "NodeList", "items": ["zone é"]}'.encode(encoding))
    assert read_json(path)["items"] == ["zone é"]


def test_bytes_that_are_not_text(tmp_path):
    path = tmp_path / "bad.json"
    path.write_bytes(b'{"a": "\xc3\x28"}')
    with pytest.raises(ImportProblem, match="not text in UTF-8"):
        read_json(path)


def test_missing_files_and_folders(tmp_path):
    with pytest.raises(ImportProblem, match="no such file"):
        read_json(tmp_path / "nope.json")
    with pytest.raises(ImportProblem, match="not a file"):
        read_json(tmp_path)


def test_fractions_are_read_exactly(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"cpu": 0.1, "n": 3}')
    value = read_json(path)
    assert value == {"cpu": Decimal("0.1"), "n": 3}
    assert scalar_text(value["cpu"], JsonPath("a.json")) == "0.1"
    assert scalar_text(value["n"], JsonPath("a.json")) == "3"


def test_typed_access_names_the_place_of_a_wrong_type():
    at = JsonPath("pods.json") / "items" / 0
    item = json.loads('{"metadata": {"name": 5, "labels": []}, "spec": {"x": "y"}, "ok": true}')
    with pytest.raises(ImportProblem) as caught:
        require_string(item["metadata"], "name", at / "metadata")
    assert str(caught.value) == (
        "pods.json: $.items[0].metadata.name: expected a string, found the number 5"
    )
    with pytest.raises(ImportProblem, match=r"\$\.items\[0\]\.metadata\.labels: expected an obj"):
        get_object(item["metadata"], "labels", at / "metadata")
    with pytest.raises(ImportProblem, match=r"\$\.items\[0\]\.spec: expected an array"):
        get_array(item, "spec", at)
    with pytest.raises(ImportProblem, match=r"\$\.items\[0\]: expected an object, found an arr"):
        as_object([], at)
    with pytest.raises(ImportProblem, match=r"\.ok: expected a string, found true"):
        get_string(item, "ok", at)
    with pytest.raises(ImportProblem, match=r"\.spec: expected true or false, found an object"):
        get_bool(item, "spec", at)
    assert get_string(item, "absent", at, "fallback") == "fallback"
    assert get_object(item, "absent", at) == {}
    assert get_array(item, "absent", at) == []
    with pytest.raises(ImportProblem, match="missing"):
        require_string({"name": ""}, "name", at)


def test_long_strings_are_refused_and_shown_short():
    at = JsonPath("pods.json")
    with pytest.raises(ImportProblem, match="a string of 300 characters, over the 253"):
        require_string({"name": "x" * 300}, "name", at)
    with pytest.raises(ImportProblem) as caught:
        require_string({"name": ["x"]}, "name", at)
    assert "found an array" in str(caught.value)
    with pytest.raises(ImportProblem) as caught:
        as_object("y" * 1000, at)
    assert 'the string "yyyy' in str(caught.value) and len(str(caught.value)) < 120


def test_whole_numbers_in_range_and_huge_exponents_cheaply():
    at = JsonPath("pods.json")
    assert get_integer({"s": 300}, "s", at, 0, 10**6) == 300
    assert get_integer({"s": Decimal("300.0")}, "s", at, 0, 10**6) == 300
    assert get_integer({}, "s", at, 0, 10) is None
    for bad in (True, "300", Decimal("0.5"), [1]):
        with pytest.raises(ImportProblem, match=r"\$\.s: "):
            get_integer({"s": bad}, "s", at, 0, 10**6)
    with pytest.raises(ImportProblem, match="outside"):
        get_integer({"s": Decimal("1E+999999999")}, "s", at, 0, 10**6)
