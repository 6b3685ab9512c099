"""The offline problem writer: new built-in problems whose structure exercises one error type.

A missed carry gets additions that carry in every column, a missed borrow subtractions that
borrow in every column, a wrong operation more problems of the operation that was missed, a
digit error results with more digits, and so on. Each maker starts from a bad case's structure
(its size and operation) and may make it one digit longer (`extra_digits`), which is how the
generator still finds new problems when the near-duplicate filter rejects the short ones.
Every problem comes with a worked solution ending in "The answer is N.".
"""

from __future__ import annotations

import random
from collections.abc import Callable
from fractions import Fraction
from math import lcm

from reasonloop.curate.synthesize import builtin_analysis as errors
from reasonloop.curate.synthesize.builtin_tasks import (
    Arithmetic,
    FractionSum,
    Linear,
    Structure,
    digits_of,
    format_number,
    place_name,
)

Maker = Callable[[random.Random, Structure, int], Structure]


def make_problem(
    error_type: str, seed: Structure, rng: random.Random, extra_digits: int
) -> Structure:
    """A new problem like `seed` (same task, size + `extra_digits`) exercising `error_type`."""
    makers = _MAKERS[type(seed)]
    return makers.get(error_type, _same_kind)(rng, seed, extra_digits)


def _width(n: int, extra: int) -> int:
    return max(1, len(str(abs(n)))) + extra


def _number(rng: random.Random, width: int, pick: Callable[[int], int]) -> int:
    """A `width`-digit number whose column i (0 = ones) is `pick(i)`; the lead digit is >= 1."""
    digits = [pick(i) for i in range(width)]
    if width > 1 and digits[-1] == 0:
        digits[-1] = rng.randint(1, 9)
    return sum(d * 10**i for i, d in enumerate(digits))


def _many_carries(rng: random.Random, seed: Structure, extra: int) -> Structure:
    assert isinstance(seed, Arithmetic)
    width = _width(seed.a, extra)
    a = _number(rng, width, lambda _: rng.randint(5, 9))
    b = _number(rng, width, lambda _: rng.randint(5, 9))
    return Arithmetic(a, "+", b)


def _mixed_carries(rng: random.Random, seed: Structure, extra: int) -> Structure:
    # Columns alternate between carrying and not, so a carry must be added only where it is due.
    assert isinstance(seed, Arithmetic)
    width = _width(seed.a, extra)
    a = _number(rng, width, lambda i: rng.randint(5, 9) if i % 2 == 0 else rng.randint(1, 4))
    b = _number(rng, width, lambda i: rng.randint(5, 9) if i % 2 == 0 else rng.randint(0, 3))
    return Arithmetic(a, "+", b)


def _many_borrows(rng: random.Random, seed: Structure, extra: int) -> Structure:
    assert isinstance(seed, Arithmetic)
    width = _width(seed.a, extra)
    a = _number(rng, width, lambda _: rng.randint(0, 4))
    a = (a % 10 ** (width - 1)) + rng.randint(6, 9) * 10 ** (width - 1)
    b = _number(rng, width - 1, lambda _: rng.randint(5, 9)) if width > 1 else rng.randint(0, a)
    return Arithmetic(a, "-", b)


def _long_multiplier(rng: random.Random, seed: Structure, extra: int) -> Structure:
    assert isinstance(seed, Arithmetic)
    a = _number(rng, _width(seed.a, extra), lambda _: rng.randint(2, 9))
    b = _number(rng, max(2, _width(seed.b, extra)), lambda _: rng.randint(2, 9))
    return Arithmetic(a, "*", b)


def _same_operation(rng: random.Random, seed: Structure, extra: int) -> Structure:
    assert isinstance(seed, Arithmetic)
    width = _width(seed.a, extra)
    low = 0 if width == 1 else 10 ** (width - 1)
    a, b = rng.randint(low, 10**width - 1), rng.randint(low, 10**width - 1)
    if seed.op == "-" and a < b:
        a, b = b, a
    return Arithmetic(a, seed.op, b)


def _long_result(rng: random.Random, seed: Structure, extra: int) -> Structure:
    # One digit more than the seed, so every digit of the result has to be written and ordered.
    return (
        _same_operation(rng, seed, extra + 1) if extra == 0 else _same_operation(rng, seed, extra)
    )


def _zeros(rng: random.Random, seed: Structure, extra: int) -> Structure:
    assert isinstance(seed, Arithmetic)
    width = _width(seed.a, extra)
    a = _number(rng, width, lambda i: 0 if i % 2 == 0 and i < width - 1 else rng.randint(1, 9))
    b = _number(rng, width, lambda _: rng.randint(1, 9))
    if seed.op == "-" and a < b:
        a, b = b, a
    return Arithmetic(a, seed.op, b)


def _negative_constant(rng: random.Random, seed: Structure, extra: int) -> Structure:
    assert isinstance(seed, Linear)
    bound = max(abs(seed.a), abs(seed.b), 2) * 10**extra
    a, x = rng.randint(2, bound), rng.randint(-bound, bound)
    b = -rng.randint(1, bound)
    return Linear(a, b, a * x + b)


def _big_coefficient(rng: random.Random, seed: Structure, extra: int) -> Structure:
    assert isinstance(seed, Linear)
    bound = max(abs(seed.a), abs(seed.b), 2) * 10**extra
    a, x = rng.randint(max(2, bound // 2), bound), rng.randint(-bound, bound)
    b = rng.choice([v for v in range(-bound, bound + 1) if v != 0])
    return Linear(a, b, a * x + b)


def _negative_solution(rng: random.Random, seed: Structure, extra: int) -> Structure:
    assert isinstance(seed, Linear)
    bound = max(abs(seed.a), abs(seed.b), 2) * 10**extra
    a, x = rng.randint(2, bound), -rng.randint(1, bound)
    b = rng.choice([v for v in range(-bound, bound + 1) if v != 0])
    return Linear(a, b, a * x + b)


def _same_linear(rng: random.Random, seed: Structure, extra: int) -> Structure:
    return (
        _big_coefficient(rng, seed, extra)
        if rng.random() < 0.5
        else _negative_constant(rng, seed, extra)
    )


def _unlike_denominators(rng: random.Random, seed: Structure, extra: int) -> Structure:
    assert isinstance(seed, FractionSum)
    top = max(seed.b, seed.d, 3) * 10**extra
    b = rng.randint(2, top)
    d = rng.choice([v for v in range(2, top + 1) if v != b] or [b + 1])
    return FractionSum(rng.randint(1, b - 1), b, rng.randint(1, d - 1), d)


def _same_kind(rng: random.Random, seed: Structure, extra: int) -> Structure:
    if isinstance(seed, Arithmetic):
        return _same_operation(rng, seed, extra)
    if isinstance(seed, Linear):
        return _same_linear(rng, seed, extra)
    return _unlike_denominators(rng, seed, extra)


_MAKERS: dict[type, dict[str, Maker]] = {
    Arithmetic: {
        errors.MISSED_CARRY: _many_carries,
        errors.SMALL_SLIP: _many_carries,
        errors.EXTRA_CARRY: _mixed_carries,
        errors.MISSED_BORROW: _many_borrows,
        errors.SMALLER_FROM_LARGER: _many_borrows,
        errors.UNSHIFTED_PRODUCTS: _long_multiplier,
        errors.DIGIT_ORDER: _long_result,
        errors.DIGIT_COUNT: _long_result,
        errors.PLACE_VALUE: _zeros,
    },
    Linear: {
        errors.CONSTANT_SIGN: _negative_constant,
        errors.NO_DIVISION: _big_coefficient,
        errors.SIGN: _negative_solution,
    },
    FractionSum: {
        errors.FRACTION_PARTS: _unlike_denominators,
        errors.DENOMINATOR: _unlike_denominators,
    },
}


def write_solution(structure: Structure) -> str:
    """A worked solution that ends with "The answer is N."

    >>> for sentence in write_solution(Arithmetic(47, "+", 38)).split(". "):
    ...     print(sentence)
    Add the ones: 7 + 8 = 15, write 5 and carry 1
    Add the tens: 4 + 3 + 1 = 8, write 8
    So 47 + 38 = 85
    The answer is 85.
    """
    if isinstance(structure, Arithmetic):
        steps = {"+": _addition_steps, "-": _subtraction_steps, "*": _multiplication_steps}
        lines = steps[structure.op](structure)
        s = structure
        lines.append(f"So {s.a} {s.op} {s.b} = {s.value}.")
    elif isinstance(structure, Linear):
        lines = _linear_steps(structure)
    else:
        lines = _fraction_steps(structure)
    return " ".join(lines) + f" The answer is {format_number(Fraction(structure.value))}."


def _addition_steps(s: Arithmetic) -> list[str]:
    da, db = digits_of(s.a), digits_of(s.b)
    width = max(len(da), len(db))
    da, db = da + [0] * (width - len(da)), db + [0] * (width - len(db))
    lines, carry = [], 0
    for i in range(width):
        total = da[i] + db[i] + carry
        terms = f"{da[i]} + {db[i]}" + (f" + {carry}" if carry else "")
        written = f"write {total % 10}" + (f" and carry {total // 10}" if total >= 10 else "")
        lines.append(f"Add the {place_name(i)}: {terms} = {total}, {written}.")
        carry = total // 10
    if carry:
        lines.append(f"Write the last carry {carry}.")
    return lines


def _subtraction_steps(s: Arithmetic) -> list[str]:
    da, db = digits_of(s.a), digits_of(s.b) + [0] * len(str(s.a))
    lines, borrow = [], 0
    for i, digit in enumerate(da):
        top = digit - borrow
        if top < db[i]:
            lines.append(
                f"Subtract the {place_name(i)}: {top} is less than {db[i]}, so borrow 1 from the "
                f"{place_name(i + 1)}: {top + 10} - {db[i]} = {top + 10 - db[i]}."
            )
            borrow = 1
        else:
            lines.append(f"Subtract the {place_name(i)}: {top} - {db[i]} = {top - db[i]}.")
            borrow = 0
    return lines


def _multiplication_steps(s: Arithmetic) -> list[str]:
    partials = [s.a * d * 10**i for i, d in enumerate(digits_of(s.b))]
    lines = [
        f"Multiply {s.a} by the {place_name(i)} digit {d}: {s.a} x {d * 10**i} = {p}."
        for i, (d, p) in enumerate(zip(digits_of(s.b), partials, strict=True))
    ]
    if len(partials) > 1:
        lines.append(f"Add the partial products: {' + '.join(map(str, partials))} = {s.value}.")
    return lines


def _linear_steps(s: Linear) -> list[str]:
    moved = f"subtract {s.b}" if s.b > 0 else f"add {-s.b}"
    rest = s.c - s.b
    return [
        f"To get x alone, {moved} on both sides: {s.a}x = {s.c} - ({s.b}) = {rest}.",
        f"Divide both sides by {s.a}: x = {rest} / {s.a} = {format_number(s.value)}.",
    ]


def _fraction_steps(s: FractionSum) -> list[str]:
    common = lcm(s.b, s.d)
    top_a, top_c = s.a * common // s.b, s.c * common // s.d
    total = top_a + top_c
    lines = [
        f"The common denominator of {s.b} and {s.d} is {common}.",
        f"{s.a}/{s.b} = {top_a}/{common} and {s.c}/{s.d} = {top_c}/{common}.",
        f"Add the numerators: {top_a} + {top_c} = {total}, so the sum is {total}/{common}.",
    ]
    reduced = format_number(s.value)
    if reduced != f"{total}/{common}":
        lines.append(f"In lowest terms, {total}/{common} = {reduced}.")
    return lines
