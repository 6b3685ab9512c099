"""Number notations the expression parser does not read: ratios, base-n digits, decimal commas.

Each is read only where its meaning is not in doubt, because a wrong reading is a false
positive:

- a ratio `7:32` (two plain numbers around one colon) is graded only against a gold ratio; the
  answer may give the same ratio (`14:64`) or its value (`7/32`). A gold not in lowest terms
  (`10:30`, perhaps a time of day) takes only the same two numbers. A gold that names the ratio
  first (`V_1:V_2 = 11:21`, `A:B = 1`) is read from its value side (`read_gold`).
- base-n digits `204_5` (digits below the base, base 2 to 36, subscript in braces or not) are
  graded against a gold in base n: the same digits without the subscript (the form the
  question asked for) or any explicit base with the same value. A bare decimal `54` is not
  the base-5 answer the gold asks for.
- a decimal comma `1000,99` is read as a decimal only against a gold decimal written with a
  point, with the same digits (`1.22` against a gold `1,22` likewise), and never when exactly
  three digits follow the comma (`2,125` is two thousand one hundred twenty-five) unless the
  integer part is 0 (`0,111` has no thousands reading).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

_RATIO = re.compile(r"(?P<left>\d+(?:\.\d+)?)\s*:\s*(?P<right>\d+(?:\.\d+)?)")
_BASE = re.compile(r"(?P<digits>[0-9][0-9A-Za-z]{0,39})_\{?\s*(?P<base>\d{1,2})\s*\}?")
_COMMA_DECIMAL = re.compile(r"(?P<sign>-?)(?P<int>\d{1,40}),(?P<frac>\d{1,40})")
_POINT_DECIMAL = re.compile(r"(?P<sign>-?)(?P<int>\d{1,40})\.(?P<frac>\d{1,40})")
# `S_{MBCN}:S = `, `V_{1}:V_{2} = `, `A:B=`: names of the two quantities before their ratio
_RATIO_NAMES = re.compile(
    r"\s*(?:[A-Za-z](?:_\{?[A-Za-z0-9]{1,8}\}?)?)\s*:\s*(?:[A-Za-z](?:_\{?[A-Za-z0-9]{1,8}\}?)?)"
    r"\s*=\s*(?P<value>[^=]+)"
)
_DIGIT_VALUES = "0123456789abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Notation:
    """A ratio (`kind='ratio'`, value left/right, digits `left:right`) or base-n digits
    (`kind='base'`, the digits in lower case and their base)."""

    kind: str
    value: Fraction
    digits: str = ""
    base: int = 10


def read_notation(text: str) -> Notation | None:
    """The ratio or base-n number `text` is in full, else None.

    >>> read_notation("7:32")
    Notation(kind='ratio', value=Fraction(7, 32), digits='7:32', base=10)
    >>> read_notation("204_5").value
    Fraction(54, 1)
    """
    text = text.strip()
    ratio = _RATIO.fullmatch(text)
    if ratio is not None:
        left, right = Fraction(ratio["left"]), Fraction(ratio["right"])
        if right == 0:  # `12:00` is a time, not a ratio: only itself matches it
            return Notation("ratio", Fraction(0), f"{left}:{right}")
        return Notation("ratio", left / right, f"{left}:{right}")
    based = _BASE.fullmatch(text)
    if based is not None:
        base = int(based["base"])
        value = _digits_value(based["digits"], base)
        return None if value is None else Notation("base", value, based["digits"].lower(), base)
    return None


def ratio_gold_value(text: str) -> str | None:
    """`V_{1}:V_{2}=11:21` -> `11:21`: the value side of a gold that names a ratio first."""
    match = _RATIO_NAMES.fullmatch(text.strip())
    return None if match is None else match["value"].strip()


def notation_equal(answer_text: str, gold: Notation, answer_number: Fraction | None) -> bool:
    """Whether an answer (its text, and its value when it is a plain number) matches `gold`."""
    answer = read_notation(answer_text)
    if gold.kind == "ratio":
        if not _in_lowest_terms(gold.digits):  # `10:30` may be a time: only itself
            return answer is not None and answer.digits == gold.digits
        if answer is not None and answer.kind == "ratio":
            return answer.value == gold.value
        return answer_number is not None and answer_number == gold.value
    if answer is not None and answer.kind == "base":
        return answer.value == gold.value
    return answer_text.strip().lower() == gold.digits  # the digits, subscript left out


def decimal_comma_equal(answer_text: str, gold_text: str) -> bool:
    """`1000,99` for a gold `1000.99`, or `1.22` for a gold `1,22`: a decimal comma, same digits.

    >>> decimal_comma_equal("1000,99", "1000.99"), decimal_comma_equal("2,125", "2.125")
    (True, False)
    """
    answer, gold = answer_text.strip(), gold_text.strip()
    for comma_side, point_side in ((answer, gold), (gold, answer)):
        comma = _COMMA_DECIMAL.fullmatch(comma_side)
        point = _POINT_DECIMAL.fullmatch(point_side)
        if comma is None or point is None:
            continue
        three_digit = len(comma["frac"]) == 3 and comma["int"].lstrip("-") != "0"
        if len(comma["frac"]) < 2 or three_digit:
            continue  # `1,2` may be a list; `2,125` a thousands separator
        if comma.group("sign", "int", "frac") == point.group("sign", "int", "frac"):
            return True
    return False


def _in_lowest_terms(ratio: str) -> bool:
    left, right = (Fraction(part) for part in ratio.split(":"))
    if right == 0 or left.denominator != 1 or right.denominator != 1:
        return False
    return math.gcd(int(left), int(right)) == 1


def _digits_value(digits: str, base: int) -> Fraction | None:
    if not 2 <= base <= 36:
        return None
    value = 0
    for character in digits.lower():
        digit = _DIGIT_VALUES.find(character)
        if digit < 0 or digit >= base:
            return None
        value = value * base + digit
    return Fraction(value)
