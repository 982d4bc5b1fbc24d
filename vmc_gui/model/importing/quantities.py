"""Kubernetes resource quantities (``7910m``, ``31127824Ki``, ``2Gi``, ``1e3``) read exactly.

A quantity is held as a whole number of nano-units (its value times 10**9): Kubernetes itself
keeps a quantity only down to nano, rounding a finer non-zero value away from zero ("0.9n"
is "1n"), so this integer is exactly the value Kubernetes works with, and sums and maxima of
requests stay exact.  Only the final figures become floats, rounded as the scheduler rounds
them (a millicore for CPU, a byte for memory).

The grammar, from the ``Quantity`` doc comment in k8s.io/apimachinery/pkg/api/resource/
quantity.go (https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/
quantity.go)::

    <quantity>        ::= <signedNumber><suffix>
    <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
    <sign>            ::= "+" | "-"
    <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
    <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
    <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
    <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>

Where the grammar and the Go parser disagree, this module says which it follows:

* The exponent: the grammar allows ``1e1.5``; the parser reads it with ``strconv.ParseInt``
  (``suffixHandler.interpret`` in suffix.go), so only whole exponents parse.  Followed: the
  parser.
* Lone ``.``, ``+`` and ``-``: the grammar has no such number, but Go's fast scanner reads them
  as zero (``TestParseQuantityString`` lists ``"."`` and ``"-."``).  Followed: the grammar,
  since the API server always prints the canonical form (``1.5`` as ``1500m``) and such a
  value in a file was written by hand or by a fuzzer.
* Size: Go caps a binary-suffixed quantity silently at 2**63-1 (``"9Ei"``).  Here absurd
  magnitudes are refused outright, far below that (see ``MAX_CORES``, ``MAX_MEMORY_BYTES``).

Rejected: all that quantity_test.go lists as invalid (``1.1.M``, ``0.1mi``, ``aoeu``, ``1i``,
``-3.01e-``, a space before or after), and so a lower-case ``ki``, an upper-case ``K`` or a
``B`` (``512MB``), none of which is a suffix.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

NANO = 10**9
#: A milli-unit in nano-units.
MILLI = 10**6
MIB = 2**20

#: The most characters a quantity may have.  Canonical quantities are short ("31127824Ki");
#: the cap keeps a hostile string from costing a big-number computation.
MAX_CHARS = 64
#: The largest CPU figure read, in cores: more than any machine has (the largest single
#: systems have some thousands of logical CPUs), far below anything that would overflow.
MAX_CORES = 1_000_000
#: The largest memory figure read: 1 PiB, some twenty times the largest single machines.
MAX_MEMORY_BYTES = 2**50
#: The most pods a node may take (Kubernetes' default is 110).
MAX_PODS = 1_000_000

# ASCII digits only: "\d" would accept other scripts' digits, which Go's parser does not.
_QUANTITY = re.compile(
    r"([+-]?)([0-9]*)(?:\.([0-9]*))?(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei)|([numkMGTPE]))?"
)
_SUFFIX = re.compile(r"[+-]?[0-9.]*(.*)", re.DOTALL)
_DECIMAL_SI = {"n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY_SI = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
# Anything at or past 10**40 nano-units (10**31 of the unit) is refused before it is built, so
# that "1e999999999" costs nothing; the unit checks below refuse far smaller values, with a
# message in the unit's own terms.
_MAX_DIGITS = 40


class QuantityError(ValueError):
    """A string that is not a Kubernetes quantity, or one too large to be real."""


@lru_cache(maxsize=8192)
def parse_nanos(text: str) -> int:
    """The quantity ``text`` as a whole number of nano-units, exactly as Kubernetes holds it.

    Real clusters repeat the same few strings ("100m", "128Mi") thousands of times, hence the
    cache.  Raises :class:`QuantityError` with a message fit for a person.
    """
    if len(text) > MAX_CHARS:
        raise QuantityError(f"longer than {MAX_CHARS} characters")
    match = _QUANTITY.fullmatch(text)
    if match is None or not (match[2] or match[3]):
        raise QuantityError(f"{text!r} is not a Kubernetes quantity{_hint(text)}")
    sign, whole, fraction, exponent, binary, decimal = match.groups()
    fraction = fraction or ""
    mantissa = int(whole + fraction or "0")
    if mantissa == 0:
        return 0
    # value * 10**9 = mantissa * 10**shift * 2**bits
    shift = 9 - len(fraction)
    bits = 0
    if exponent:
        shift += int(exponent[1:])
    elif binary:
        bits = _BINARY_SI[binary]
    elif decimal:
        shift += _DECIMAL_SI[decimal]
    # Decimal digits of the result, a little over: 2**10 is under 10**3.1.
    magnitude = len(str(mantissa)) + shift + (bits * 31 + 99) // 100
    if magnitude > _MAX_DIGITS:
        raise QuantityError(f"{text!r} is far too large to be a real resource figure")
    if magnitude <= 0:
        nanos = 1  # finer than a nano-unit: Kubernetes rounds it up to 1n (quantity.go)
    else:
        scaled = mantissa << bits
        # A finer part is rounded up, away from zero, as Kubernetes does.
        nanos = scaled * 10**shift if shift >= 0 else -(-scaled // 10**-shift)
    return -nanos if sign == "-" else nanos


def _hint(text: str) -> str:
    """A nudge for the usual mistakes: units written the way people write them elsewhere."""
    if text.strip() != text:
        return " (spaces are not allowed)"
    found = _SUFFIX.match(text)
    suffix = found[1] if found else ""
    if suffix.lower().endswith("b"):
        return " (Kubernetes writes Ki, Mi, Gi or k, M, G, with no B)"
    if suffix in ("K", "ki", "mi", "gi", "ti", "pi", "ei", "KI", "MI", "GI", "TI"):
        return " (suffixes are case-sensitive: Ki, Mi, Gi, Ti, Pi, Ei or k, M, G, T, P, E)"
    return ""


def parse_quantity(text: str) -> Fraction:
    """The exact value of the quantity ``text`` (after Kubernetes' rounding to nano)."""
    return Fraction(parse_nanos(text), NANO)


def milli_rounded(nanos: int) -> int:
    """``nanos`` rounded up to a whole milli-unit, as the API server stores every quantity of a
    resource list (a container's requests and limits, a node's allocatable, a pod's overhead):
    ``SetDefaults_ResourceList`` calls ``RoundUp(-3)`` on each ("We round up resource values to
    milli scale to maintain API compatibility", kubernetes/pkg/apis/core/v1/defaults.go,
    https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/v1/defaults.go).  So
    ``0.0001`` CPU is 1m, each quantity on its own: two containers of ``0.0004`` ask 2m in
    all, not 1m.  kubernetes.io says the same of CPU: "Kubernetes doesn't allow you to specify
    CPU resources with a precision finer than 1m" (Resource Management for Pods and Containers,
    https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)."""
    return -(-nanos // MILLI) * MILLI


def cpu_nanos(text: str) -> int:
    """A CPU figure in nanocores, rounded up to a millicore (``milli_rounded``): non-negative
    and at most ``MAX_CORES``."""
    return _bounded_milli(
        text, "a CPU figure", MAX_CORES, f"over {MAX_CORES:,} cores, more than any machine has"
    )


def memory_nanos(text: str) -> int:
    """A memory figure in nano-bytes, rounded up to a milli-byte as the API stores it
    (``milli_rounded``): non-negative and at most ``MAX_MEMORY_BYTES``."""
    return _bounded_milli(
        text, "a memory figure", MAX_MEMORY_BYTES, "over 1 PiB, more memory than any machine has"
    )


def _bounded_milli(text: str, what: str, most: int, too_large: str) -> int:
    """``text`` in nano-units, rounded up to a milli-unit, checked to lie in 0 to ``most``."""
    nanos = parse_nanos(text)
    if nanos < 0:
        raise QuantityError(f"{text!r} is negative; {what} cannot be")
    nanos = milli_rounded(nanos)
    if nanos > most * NANO:
        raise QuantityError(f"{text!r} is {too_large}")
    return nanos


def pod_count(text: str) -> int:
    """A node's ``pods`` figure, rounded up as the scheduler's ``Value()`` rounds it."""
    nanos = parse_nanos(text)
    if nanos < 0:
        raise QuantityError(f"{text!r} is negative; a pod count cannot be")
    if nanos > MAX_PODS * NANO:
        raise QuantityError(f"{text!r} is over {MAX_PODS:,} pods")
    return -(-nanos // NANO)


def cores(nanos: int) -> float:
    """Nanocores as cores, rounded up to a millicore as the scheduler counts CPU
    (``framework.Resource.Add`` takes ``MilliValue()``, which rounds up:
    kubernetes/pkg/scheduler/framework/types.go)."""
    return -(-nanos // 10**6) / 1000


def megabytes(nanos: int) -> float:
    """Nano-bytes as MB of 2**20 bytes (the unit the app's ``memory_mb`` figures use),
    rounded up to a byte as the scheduler counts memory (``Value()``, types.go as above)."""
    return -(-nanos // NANO) / MIB


def exact_cores(text: str) -> Fraction:
    """A CPU quantity as an exact number of cores."""
    return Fraction(cpu_nanos(text), NANO)


def exact_megabytes(text: str) -> Fraction:
    """A memory quantity as an exact number of MB of 2**20 bytes."""
    return Fraction(memory_nanos(text), NANO * MIB)
