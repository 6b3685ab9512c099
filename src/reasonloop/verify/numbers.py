"""Exact numbers from answer text, and the precision a response decimal states.

Everything here is exact (`fractions.Fraction`): a decimal in a gold answer means exactly what
it says, and a decimal in a response is held to the number of significant digits it states.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

# A response decimal must state at least this many significant digits before we accept it as a
# rounding of a gold it does not equal exactly. Set high on purpose (when in doubt, incorrect):
# 0.3333 and 1.41421356 are not 1/3 and sqrt(2); 0.3333333333 (a float print-out) is 1/3.
MIN_STATED_DIGITS = 10

_PLAIN = re.compile(
    r"(?P<sign>[-+]?)\s*(?:\\?\$\s*)?"
    r"(?P<int>[1-9]\d{0,2}(?:,\d{3})+|\d+)?(?P<frac>\.\d+)?"
)
_SIMPLE_FRACTION = re.compile(r"(?P<sign>-?)(?P<num>\d{1,40})\s*/\s*(?P<den>\d{1,40})")
_MAX_LITERAL_DIGITS = 2000


@dataclass(frozen=True)
class ExactNumber:
    """An exact value and, for a decimal, how many significant digits it was written with."""

    value: Fraction
    digits: int | None = None


@lru_cache(maxsize=16384)  # a gold is read once per response graded against it
def parse_plain_number(text: str) -> ExactNumber | None:
    """Read a plain integer, decimal, or `a/b`; None for anything else (the fast path).

    >>> parse_plain_number("1,000.50")
    ExactNumber(value=Fraction(2001, 2), digits=6)
    """
    text = text.strip()
    if not text or len(text) > _MAX_LITERAL_DIGITS:
        return None
    match = _PLAIN.fullmatch(text)
    if match is not None and (match["int"] or match["frac"]):
        number = read_decimal((match["int"] or "").replace(",", ""), (match["frac"] or "")[1:])
        if match["sign"] == "-":
            return ExactNumber(-number.value, number.digits)
        return number
    match = _SIMPLE_FRACTION.fullmatch(text)
    if match is not None and int(match["den"]) != 0:
        value = Fraction(int(match["num"]), int(match["den"]))
        return ExactNumber(-value if match["sign"] else value)
    return None


def read_decimal(integer: str, fraction: str, exponent: int = 0) -> ExactNumber:
    """Build the exact value of `integer.fraction * 10**exponent`; digits only for decimals."""
    if not fraction and not exponent:  # an integer, the common case: no division
        return ExactNumber(Fraction(int(integer or "0")))
    value = Fraction(int(integer or "0") * 10 ** len(fraction) + int(fraction or "0"))
    value /= 10 ** len(fraction)
    if exponent:
        value *= Fraction(10) ** exponent
    if not fraction:
        return ExactNumber(value)
    return ExactNumber(value, count_significant_digits(integer + fraction))


def count_significant_digits(digits: str) -> int:
    """Significant digits of a decimal's digit string (leading zeros do not count).

    >>> count_significant_digits("00330")
    3
    """
    return max(len(digits.lstrip("0")), 1)


def matches_stated_precision(gold: Fraction, response: Fraction, digits: int) -> bool:
    """True when the response decimal is the gold rounded or truncated to `digits` digits.

    Not symmetric: only the response's stated precision is honoured, and never with fewer
    than MIN_STATED_DIGITS digits. No absolute chop: 1/2**99 never matches 1/2**98.

    >>> matches_stated_precision(Fraction(1, 3), Fraction(3333333333, 10**10), 10)
    True
    >>> matches_stated_precision(Fraction(1, 3), Fraction(3333, 10000), 4)
    False
    """
    if digits < MIN_STATED_DIGITS or response == 0 or gold == 0:
        return False
    if (gold > 0) != (response > 0):
        return False
    ulp = Fraction(10) ** (decimal_exponent(abs(response)) - digits + 1)
    gap = abs(gold) - abs(response)
    rounded = abs(gap) * 2 <= ulp
    truncated = 0 <= gap < ulp
    return rounded or truncated


def decimal_exponent(value: Fraction) -> int:
    """The e with 10**e <= value < 10**(e+1), for a positive value."""
    guess = math.floor(math.log10(value.numerator) - math.log10(value.denominator))
    for exponent in (guess - 1, guess, guess + 1):
        if Fraction(10) ** exponent <= value < Fraction(10) ** (exponent + 1):
            return exponent
    return guess
