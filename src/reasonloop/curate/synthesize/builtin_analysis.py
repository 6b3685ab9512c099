"""The offline error analyst: why a wrong answer to a built-in problem is wrong.

It compares the wrong answer with the gold *and with what typical mistakes would give*:
dropping a carry, forgetting a borrow, the other operation, unshifted partial products, a
flipped sign, two swapped digits, a dropped digit, a factor of ten, adding numerators and
denominators, moving a constant across the equals sign without changing its sign, ... Each
finding is an `Finding(type, keyphrase)`; the first explanation that reproduces the wrong
answer exactly wins, and an answer none reproduces gets a generic finding by its size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from reasonloop.curate.synthesize.builtin_tasks import (
    Arithmetic,
    FractionSum,
    Linear,
    Structure,
    digits_of,
    place_name,
)

# The error types the analyst can name (the generator has a problem maker for each).
NO_ANSWER = "no final answer"
WRONG_OPERATION = "wrong operation"
MISSED_CARRY = "missed carry"
EXTRA_CARRY = "spurious carry"
MISSED_BORROW = "missed borrow"
SMALLER_FROM_LARGER = "smaller digit from larger"
UNSHIFTED_PRODUCTS = "unshifted partial products"
SIGN = "sign error"
DIGIT_ORDER = "transposed digits"
DIGIT_COUNT = "dropped or extra digit"
PLACE_VALUE = "place value"
SMALL_SLIP = "small slip"
LARGE_ERROR = "large miscalculation"
CONSTANT_SIGN = "constant moved with wrong sign"
NO_DIVISION = "forgot to divide by the coefficient"
FRACTION_PARTS = "added numerators and denominators"
DENOMINATOR = "wrong common denominator"

TYPES: tuple[str, ...] = (
    NO_ANSWER,
    WRONG_OPERATION,
    MISSED_CARRY,
    EXTRA_CARRY,
    MISSED_BORROW,
    SMALLER_FROM_LARGER,
    UNSHIFTED_PRODUCTS,
    SIGN,
    DIGIT_ORDER,
    DIGIT_COUNT,
    PLACE_VALUE,
    SMALL_SLIP,
    LARGE_ERROR,
    CONSTANT_SIGN,
    NO_DIVISION,
    FRACTION_PARTS,
    DENOMINATOR,
)

_OP_WORDS = {"+": "addition", "-": "subtraction", "*": "multiplication"}


@dataclass(frozen=True)
class Finding:
    """One error the analyst found: its type and a short keyphrase describing it."""

    type: str
    keyphrase: str


Check = Callable[[Structure, Fraction], "Finding | None"]


def diagnose(structure: Structure, wrong: Fraction | None) -> Finding:
    """The most specific explanation of `wrong` (None: the response had no final answer).

    >>> diagnose(Arithmetic(47, "+", 38), Fraction(75))
    Finding(type='missed carry', keyphrase='dropped the carry into the tens place')
    >>> diagnose(Arithmetic(52, "-", 38), Fraction(26)).type
    'smaller digit from larger'
    """
    if wrong is None:
        return Finding(NO_ANSWER, "gave no final answer")
    for check in _CHECKS[type(structure)]:
        finding = check(structure, wrong)
        if finding is not None:
            return finding
    return _by_size(Fraction(structure.value), wrong)


def _wrong_operation(s: Structure, wrong: Fraction) -> Finding | None:
    assert isinstance(s, Arithmetic)
    for op in "+-*":
        if op != s.op and Arithmetic(s.a, op, s.b).value == wrong != s.value:
            return Finding(WRONG_OPERATION, f"used {_OP_WORDS[op]} instead of {_OP_WORDS[s.op]}")
    return None


def _carry(s: Structure, wrong: Fraction) -> Finding | None:
    assert isinstance(s, Arithmetic)
    if s.op != "+":
        return None
    carries = carry_columns(s.a, s.b)
    for column in range(1, len(str(s.value)) + 1):
        if s.value - wrong == 10**column and column in carries:
            return Finding(MISSED_CARRY, f"dropped the carry into the {place_name(column)} place")
        if wrong - s.value == 10**column and column not in carries:
            return Finding(EXTRA_CARRY, f"added a carry into the {place_name(column)} place")
    if carries and wrong == no_carry_sum(s.a, s.b):
        return Finding(MISSED_CARRY, "dropped every carry")
    return None


def _borrow(s: Structure, wrong: Fraction) -> Finding | None:
    assert isinstance(s, Arithmetic)
    if s.op != "-":
        return None
    borrows = borrow_columns(s.a, s.b)
    if borrows and wrong == smaller_from_larger(s.a, s.b):
        return Finding(
            SMALLER_FROM_LARGER, "subtracted the smaller digit from the larger instead of borrowing"
        )
    for column in borrows:
        if wrong - s.value == 10**column:
            place = place_name(column)
            return Finding(MISSED_BORROW, f"forgot to take the borrow from the {place} place")
    return None


def _partial_products(s: Structure, wrong: Fraction) -> Finding | None:
    assert isinstance(s, Arithmetic)
    if s.op != "*" or s.b < 10:
        return None
    if wrong == sum(s.a * digit for digit in digits_of(s.b)):
        return Finding(UNSHIFTED_PRODUCTS, "did not shift the partial products by place value")
    return None


def _digits(s: Structure, wrong: Fraction) -> Finding | None:
    gold = s.value
    if wrong == -gold:
        return Finding(SIGN, "gave the right size with the wrong sign")
    if gold.denominator != 1 or wrong.denominator != 1 or (wrong < 0) != (gold < 0):
        return None
    if gold and wrong in (gold * 10, gold / 10):
        return Finding(PLACE_VALUE, "answer off by a factor of ten")
    g, w = str(abs(gold.numerator)), str(abs(wrong.numerator))
    if len(g) == len(w) and sorted(g) == sorted(w):
        return Finding(DIGIT_ORDER, "swapped digits of the result")
    if len(w) == len(g) - 1 and any(g[:i] + g[i + 1 :] == w for i in range(len(g))):
        return Finding(DIGIT_COUNT, "dropped a digit of the result")
    if len(w) == len(g) + 1 and any(w[:i] + w[i + 1 :] == g for i in range(len(w))):
        return Finding(DIGIT_COUNT, "wrote an extra digit in the result")
    return None


def _linear(s: Structure, wrong: Fraction) -> Finding | None:
    assert isinstance(s, Linear)
    if wrong == Fraction(s.c + s.b, s.a):
        return Finding(CONSTANT_SIGN, "moved the constant across without changing its sign")
    if wrong in (s.c - s.b, s.c + s.b):
        return Finding(NO_DIVISION, "did not divide by the coefficient of x")
    return None


def _fractions(s: Structure, wrong: Fraction) -> Finding | None:
    assert isinstance(s, FractionSum)
    if wrong == Fraction(s.a + s.c, s.b + s.d):
        return Finding(FRACTION_PARTS, "added the numerators and the denominators")
    if wrong in (
        Fraction(s.a + s.c, s.b),
        Fraction(s.a + s.c, s.d),
        Fraction(s.a + s.c, s.b * s.d),
    ):
        return Finding(DENOMINATOR, "added the numerators without a common denominator")
    return None


def _by_size(gold: Fraction, wrong: Fraction) -> Finding:
    gap = abs(wrong - gold)
    direction = "too high" if wrong > gold else "too low"
    if gap < 10:
        return Finding(SMALL_SLIP, f"result a few units {direction}")
    return Finding(LARGE_ERROR, f"result far {direction}")


_CHECKS: dict[type, tuple[Check, ...]] = {
    Arithmetic: (_wrong_operation, _carry, _borrow, _partial_products, _digits),
    Linear: (_linear, _digits),
    FractionSum: (_fractions, _digits),
}


def carry_columns(a: int, b: int) -> set[int]:
    """Columns that receive a carry when adding a and b (1 = the tens).

    >>> sorted(carry_columns(47, 38)), sorted(carry_columns(95, 17))
    ([1], [1, 2])
    """
    da, db = digits_of(a), digits_of(b)
    carry, columns = 0, set()
    for i in range(max(len(da), len(db))):
        total = (da[i] if i < len(da) else 0) + (db[i] if i < len(db) else 0) + carry
        carry = total // 10
        if carry:
            columns.add(i + 1)
    return columns


def no_carry_sum(a: int, b: int) -> int:
    """a + b with every carry dropped, column by column (47 + 38 -> 75)."""
    da, db = digits_of(a), digits_of(b)
    width = max(len(da), len(db))
    pad = [0] * width
    columns = [((da + pad)[i] + (db + pad)[i]) % 10 for i in range(width)]
    return sum(digit * 10**i for i, digit in enumerate(columns))


def borrow_columns(a: int, b: int) -> list[int]:
    """Columns that lend a borrow when computing a - b (a >= b); 1 = the tens lend to the ones.

    >>> borrow_columns(52, 38), borrow_columns(503, 207)
    ([1], [1, 2])
    """
    da, db = digits_of(a), digits_of(b) + [0] * len(str(a))
    borrow, columns = 0, []
    for i, digit in enumerate(da):
        if digit - borrow < db[i]:
            columns.append(i + 1)
            borrow = 1
        else:
            borrow = 0
    return columns


def smaller_from_larger(a: int, b: int) -> int:
    """a - b done by subtracting the smaller digit from the larger in every column (52-38 -> 26)."""
    da, db = digits_of(a), digits_of(b) + [0] * len(str(a))
    return sum(abs(digit - db[i]) * 10**i for i, digit in enumerate(da))
