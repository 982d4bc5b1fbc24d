"""Fuzzing: whatever the file holds, loading ends in a Scenario or a ScenarioError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.scenarios import failover_text
from vmc_gui.model.errors import ScenarioError
from vmc_gui.model.library import bundled_text, scenario_names
from vmc_gui.model.loader import loads_scenario
from vmc_gui.model.toml_lines import key_lines

VALID = failover_text(parameters='"vm.guest_boot_s" = 30')
#: Every valid file the fuzzer starts from: the test scenario and the whole bundled library.
BASES = [VALID, *(bundled_text(name).decode() for name in scenario_names())]


def _load(data: str | bytes) -> None:
    try:
        loads_scenario(data, source="fuzz.toml")
    except ScenarioError as err:
        for problem in err.problems:
            assert problem.file == "fuzz.toml"
            assert problem.line is None or problem.line >= 1
            assert str(problem)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data):
    _load(data)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_text(text):
    _load(text)
    key_lines(text)  # the scanner copes with anything, not only valid TOML


toml_scalars = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.booleans(),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
)


def _render(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_render(v) for v in value) + "]"
    return str(value)


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_valid_file_with_one_value_replaced(data):
    lines = data.draw(st.sampled_from(BASES)).splitlines()
    assignments = [i for i, line in enumerate(lines) if " = " in line]
    index = data.draw(st.sampled_from(assignments))
    key = lines[index].split(" = ")[0]
    lines[index] = f"{key} = {_render(data.draw(toml_scalars))}"
    _load("\n".join(lines))


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_valid_file_with_lines_dropped_or_duplicated(data):
    lines = data.draw(st.sampled_from(BASES)).splitlines()
    ops = data.draw(st.lists(st.tuples(st.booleans(), st.integers(0, len(lines) - 1)), max_size=4))
    for duplicate, i in ops:
        i = min(i, len(lines) - 1)
        if duplicate:
            lines.insert(i, lines[i])
        elif len(lines) > 1:
            del lines[i]
    _load("\n".join(lines))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=64), st.integers(0, len(VALID)))
def test_valid_file_with_bytes_spliced_in(noise, at):
    raw = VALID.encode()
    _load(raw[:at] + noise + raw[at:])
