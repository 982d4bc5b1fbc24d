"""Kubernetes quantities: the parser against apimachinery's own test table, exactness, and
fuzzing (whatever the text, a value or a QuantityError)."""

from __future__ import annotations

import contextlib
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from vmc_gui.model.importing import quantities as q
from vmc_gui.model.importing.quantities import QuantityError, parse_nanos

G = 10**9

# From TestQuantityParse in k8s.io/apimachinery/pkg/api/resource/quantity_test.go: the input and
# the value Kubernetes gives it, here in nano-units (value * 10**9).
UPSTREAM = [
    ("0", 0), ("0n", 0), ("0u", 0), ("0m", 0), ("0Ki", 0), ("0k", 0), ("0Mi", 0), ("0M", 0),
    ("0Gi", 0), ("0G", 0), ("0Ti", 0), ("0T", 0),
    ("1", G),
    ("1Ki", 1024 * G), ("8Ki", 8 * 1024 * G), ("7Mi", 7 * 2**20 * G), ("6Gi", 6 * 2**30 * G),
    ("5Ti", 5 * 2**40 * G), ("4Pi", 4 * 2**50 * G), ("3Ei", 3 * 2**60 * G),
    ("10Ti", 10 * 2**40 * G), ("100Ti", 100 * 2**40 * G),
    ("5n", 5), ("4u", 4_000), ("3m", 3_000_000), ("9", 9 * G), ("8k", 8 * 10**12),
    ("50k", 5 * 10**13), ("7M", 7 * 10**15), ("6G", 6 * 10**18), ("5T", 5 * 10**21),
    ("40T", 4 * 10**22), ("300T", 3 * 10**23), ("2P", 2 * 10**24), ("1E", 10**27),
    ("1E-3", 10**6), ("1e3", 10**12), ("1E6", 10**15), ("1e9", 10**18), ("1E12", 10**21),
    ("1e15", 10**24), ("1E18", 10**27),
    ("1e14", 10**23), ("1e13", 10**22), ("100.035k", 100_035 * G),
    ("0.001", 10**6), ("0.0005k", 5 * 10**8), ("0.005", 5 * 10**6), ("0.05", 5 * 10**7),
    ("0.5", 5 * 10**8), ("0.00050k", 5 * 10**8), ("0.00500", 5 * 10**6),
    ("0.05000", 5 * 10**7), ("0.50000", 5 * 10**8), ("0.5e0", 5 * 10**8),
    ("0.5e-1", 5 * 10**7), ("0.5e-2", 5 * 10**6), ("10.035M", 10_035_000 * G),
    ("1.2e3", 1200 * G), ("1.3E+6", 1_300_000 * G), ("1.40e9", 14 * 10**17),
    ("1.53E12", 153 * 10**19), ("1.6e15", 16 * 10**23), ("1.7E18", 17 * 10**26),
    ("9.01", 901 * 10**7), ("8.1k", 8100 * G), ("7.123456M", 7_123_456 * G),
    ("6.987654321G", 6_987_654_321 * G), ("5.444T", 5444 * 10**18), ("40.1T", 401 * 10**20),
    ("300.2T", 3002 * 10**20), ("2.5P", 25 * 10**23), ("1.01E", 101 * 10**25),
    # Things that saturate or round: a non-zero value finer than 1n rounds up to it.
    ("3.001n", 4), ("1.1E-9", 2), ("0.0000000001", 1), ("0.0000000005", 1),
    ("0.00000000050", 1), ("0.5e-9", 1), ("0.9n", 1), ("0.00000012345", 124),
    ("0.00000012354", 124), ("12E", 12 * 10**27),
    ("100.035Ki", 10_243_584 * 10**7), ("0.5Mi", 2**19 * G), ("0.05Gi", 536_870_912 * 10**8),
    ("0.025Ti", 274_877_906_944 * 10**8),
    # "Things written by trolls"
    ("0.000000000001Ki", 2), (".001", 10**6), (".0001k", 10**8), ("1.", G), ("1.G", 10**18),
]  # fmt: skip

# quantity_test.go's invalid list, then this project's: the grammar's gaps, units people
# write elsewhere, and digits of other scripts (which Go's parser does not take).
INVALID = [
    "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", " 1", "1 ",
    "", ".", "+", "-", "-.", "1e", "1e1.5", "1K", "1KB", "1Gb", "2GB", "512MB", "1kb", "1ki",
    "1GI", "1 Gi", "0x10", "1_000", "\u0661", "1\u0662", "1e3\n", "Infinity", "NaN", "1e--3",
]  # fmt: skip


@pytest.mark.parametrize(("text", "nanos"), UPSTREAM)
def test_the_upstream_table(text, nanos):
    assert parse_nanos(text) == nanos
    # quantity_test.go also parses every entry with "-" and with "+" in front.
    assert parse_nanos("-" + text) == -nanos
    assert parse_nanos("+" + text) == nanos


@pytest.mark.parametrize("text", INVALID)
def test_what_is_not_a_quantity(text):
    with pytest.raises(QuantityError):
        parse_nanos(text)


def test_the_figures_a_node_reports_are_exact():
    # 31127824Ki of allocatable memory, as `kubectl get nodes -o json` prints it, is
    # 31127824 / 1024 MB of 2**20 bytes exactly; 7910m is 7.91 cores.
    assert q.exact_megabytes("31127824Ki") == Fraction(31127824, 1024) == Fraction(1945489, 64)
    assert q.megabytes(q.memory_nanos("31127824Ki")) == 30398.265625
    assert q.exact_cores("7910m") == Fraction(791, 100)
    assert q.cores(q.cpu_nanos("7910m")) == 7.91
    assert q.megabytes(q.memory_nanos("2Gi")) == 2048.0
    assert q.megabytes(q.memory_nanos("1G")) == 10**9 / 2**20
    assert q.pod_count("110") == 110
    assert q.parse_quantity("1.5") == Fraction(3, 2)


def test_the_scheduler_rounding_of_the_final_figures():
    # A millicore for CPU, a byte for memory, both rounded up (MilliValue(), Value()).
    assert q.cores(1) == 0.001
    assert q.cores(10**6) == 0.001
    assert q.cores(10**6 + 1) == 0.002
    assert q.megabytes(1) == 1 / 2**20  # 1 nano-byte is 1 byte to the scheduler
    assert q.pod_count("1500m") == 2


def test_absurd_and_negative_figures_are_refused_with_a_reason():
    with pytest.raises(QuantityError, match="over 1 PiB"):
        q.memory_nanos("999999999999Gi")
    with pytest.raises(QuantityError, match="over 1 PiB"):
        q.memory_nanos("9Ei")  # Go caps it silently at 2**63-1; here it is refused
    with pytest.raises(QuantityError, match="cores"):
        q.cpu_nanos("2e6")
    with pytest.raises(QuantityError, match="negative"):
        q.cpu_nanos("-100m")
    with pytest.raises(QuantityError, match="negative"):
        q.memory_nanos("-1Gi")
    with pytest.raises(QuantityError, match="far too large"):
        parse_nanos("1e999999999")
    with pytest.raises(QuantityError, match="longer than"):
        parse_nanos("1" * 65)
    # A huge negative exponent is a non-zero value finer than 1n: Kubernetes makes it 1n.
    assert parse_nanos("1e-999999999") == 1


@pytest.mark.parametrize(
    ("text", "hint"),
    [("512MB", "no B"), ("1Gb", "no B"), ("4KiB", "no B"), ("1K", "case-sensitive"),
     ("2gi", "case-sensitive"), (" 1", "spaces")],
)  # fmt: skip
def test_the_usual_mistakes_get_a_hint(text, hint):
    with pytest.raises(QuantityError, match=hint):
        parse_nanos(text)


# ---- fuzzing -----------------------------------------------------------------------------

_SUFFIXES = ["", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL = {"": 0, "n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}


@st.composite
def quantities(draw):
    """A valid quantity by the grammar, and its exact value computed independently."""
    sign = draw(st.sampled_from(["", "+", "-"]))
    whole = draw(st.text("0123456789", max_size=8))
    fraction = draw(st.none() | st.text("0123456789", max_size=8))
    if not whole and not fraction:
        whole = "0"
    if draw(st.booleans()):
        exponent = draw(st.integers(-60, 40))
        letter = draw(st.sampled_from("eE"))
        marker = draw(st.sampled_from(["", "+"])) if exponent >= 0 else ""
        suffix, factor = f"{letter}{marker}{exponent}", Fraction(10) ** exponent
    else:
        suffix = draw(st.sampled_from(_SUFFIXES))
        factor = (
            Fraction(2 ** _BINARY[suffix])
            if suffix in _BINARY
            else Fraction(10) ** _DECIMAL[suffix]
        )
    number = whole + ("" if fraction is None else "." + fraction)
    digits = whole + (fraction or "")
    value = Fraction(int(digits or "0"), 10 ** len(fraction or "")) * factor
    return sign + number + suffix, -value if sign == "-" else value


def _kubernetes_nanos(value: Fraction) -> int:
    """Kubernetes' rounding: to nano, away from zero."""
    scaled = abs(value) * 10**9
    magnitude = -(-scaled.numerator // scaled.denominator)
    return -magnitude if value < 0 else magnitude


@given(quantities())
@example(("1E", Fraction(10**18)))
@example(("1E+3", Fraction(1000)))
@example(("-.5Ki", Fraction(-512)))
def test_valid_quantities_parse_to_their_exact_value(case):
    text, value = case
    expected = _kubernetes_nanos(value)
    if abs(expected) < 10**38:
        assert parse_nanos(text) == expected
    elif abs(expected) >= 10**41:
        with pytest.raises(QuantityError):
            parse_nanos(text)


@given(quantities())
def test_quantities_round_trip(case):
    text, _value = case
    try:
        nanos = parse_nanos(text)
    except QuantityError:
        return  # too large: tested above
    # Written back in nano-units, in milli-units when exact, and as an exponent: same value.
    assert parse_nanos(f"{nanos}n") == nanos
    assert parse_nanos(f"{nanos}e-9") == nanos
    if nanos % 10**6 == 0:
        assert parse_nanos(f"{nanos // 10**6}m") == nanos
    assert q.parse_quantity(text) == Fraction(nanos, 10**9)


@given(st.text(max_size=80))
@example("1e99999999999999999999999999")
@example("9" * 64)
@example("\u0661\u0662")
def test_any_text_is_a_value_or_a_quantity_error(text):
    try:
        assert isinstance(parse_nanos(text), int)
    except QuantityError as error:
        assert str(error)


@given(st.text(st.sampled_from("0123456789.+-eEinumkKMGTP"), max_size=30))
def test_text_made_of_quantity_characters(text):
    with contextlib.suppress(QuantityError):
        assert isinstance(parse_nanos(text), int)
