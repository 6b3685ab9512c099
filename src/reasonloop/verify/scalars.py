"""Is one single value equal to another? Exact first, then numeric, then random points.

Not symmetric: the response may be a decimal held to the digits it states; the gold is exact.
Expressions in variables are compared at several fixed rational points (exact arithmetic where
the expression allows), which decides polynomial and rational identities with certainty and
is never tricked by an absolute tolerance.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from reasonloop.verify.nodes import Const, Interval, Matrix, Node, Num, Op, Rel, Seq, Sym
from reasonloop.verify.numbers import matches_stated_precision
from reasonloop.verify.numeric import (
    NotNumeric,
    TooLarge,
    Undefined,
    Value,
    evaluate,
    mp,
    to_mp,
)

RELATIVE_TOLERANCE_BITS = 80  # approximate values agree to ~24 digits or they differ
SAMPLE_POINTS = tuple(
    Fraction(n, d)
    for n, d in ((7, 3), (-5, 11), (13, 7), (17, 5), (-19, 13), (23, 9), (3, 17), (-29, 6),
                 (31, 12), (11, 19), (-2, 7), (41, 10), (5, 23), (-37, 15), (43, 8), (9, 29))
)  # fmt: skip
POINTS_NEEDED = 4
TOO_LARGE = "values too large to compare exactly (not proven different)"


def free_symbols(node: Node) -> frozenset[str]:
    """Names of the variables in an expression."""
    if isinstance(node, Sym):
        return frozenset({node.name})
    children: tuple[Node, ...] = ()
    if isinstance(node, Op):
        children = node.args
    elif isinstance(node, (Seq, Rel)):
        children = node.items
    elif isinstance(node, Interval):
        children = (node.lo, node.hi)
    elif isinstance(node, Matrix):
        children = tuple(item for row in node.rows for item in row)
    found: frozenset[str] = frozenset()
    for child in children:
        found |= free_symbols(child)
    return found


def scalars_equal(answer: Node, gold: Node, deadline: float) -> tuple[bool, str]:
    """(equal, reason) for two single values, with percent and degree readings of either.

    Values too large to build exactly are not equal, but the reason says so instead of
    claiming they differ: `2^{10^{9}}` and `4^{5 \\cdot 10^{8}}` are never decided.
    """
    undecided = False
    for answer_form in _readings(answer):
        for gold_form in _readings(gold):
            if answer_form == gold_form:
                return True, "same expression"
            equal, reason = _values_equal(answer_form, gold_form, deadline)
            if equal:
                return True, reason
            undecided = undecided or reason == TOO_LARGE
    return False, TOO_LARGE if undecided else _why_different(answer, gold)


def _readings(node: Node) -> Iterator[Node]:
    """`50%` may mean 50 or 0.5; `30°` may mean 30 or pi/6. Anything else means itself."""
    if isinstance(node, Op) and node.name in ("pct", "deg"):
        inner = node.args[0]
        yield inner
        if node.name == "pct" and isinstance(inner, Num):
            yield Num(inner.value / 100, inner.digits)
        else:
            yield node
    else:
        yield node


def _why_different(answer: Node, gold: Node) -> str:
    extra = free_symbols(answer) - free_symbols(gold)
    if extra and not free_symbols(gold):
        return f"answer has unknowns ({', '.join(sorted(extra))}) but the gold is a number"
    if extra:
        return f"answer uses variables ({', '.join(sorted(extra))}) the gold does not"
    return "different value"


def _values_equal(answer: Node, gold: Node, deadline: float) -> tuple[bool, str]:
    symbols = free_symbols(gold) | free_symbols(answer)
    if symbols:  # an answer in extra variables may still be constant (sin^2 x + cos^2 x = 1)
        return _equal_at_points(answer, gold, sorted(symbols), deadline), "equal at sample points"
    try:
        gold_value = evaluate(gold, {}, deadline)
        answer_value = evaluate(answer, {}, deadline)
    except (NotNumeric, Undefined):
        return False, ""
    except TooLarge:
        return False, TOO_LARGE
    if values_match(answer_value, gold_value):
        return True, "equal value"
    digits = stated_digits(answer)
    if digits is not None and _within_stated_precision(answer_value, gold_value, digits):
        return True, f"equal at the {digits} significant digits the answer states"
    return False, ""


def _equal_at_points(answer: Node, gold: Node, symbols: list[str], deadline: float) -> bool:
    agreed = 0
    for trial in range(len(SAMPLE_POINTS)):
        env = {
            name: SAMPLE_POINTS[(trial * 5 + index * 3) % len(SAMPLE_POINTS)]
            for index, name in enumerate(symbols)
        }
        try:
            gold_value = evaluate(gold, env, deadline)
        except (Undefined, TooLarge):
            continue
        except NotNumeric:
            return False
        try:
            answer_value = evaluate(answer, env, deadline)
        except (NotNumeric, Undefined, TooLarge):
            return False
        if not values_match(answer_value, gold_value):
            return False
        agreed += 1
        if agreed >= POINTS_NEEDED:
            return True
    return False


def values_match(answer: Value, gold: Value) -> bool:
    """Exact equality for rationals, else agreement to RELATIVE_TOLERANCE_BITS bits."""
    if isinstance(answer, Fraction) and isinstance(gold, Fraction):
        return answer == gold
    context = mp()
    a, g = to_mp(answer), to_mp(gold)
    if context.isinf(a) or context.isinf(g):
        return bool(a == g)
    scale = max(abs(a), abs(g))
    if scale == 0:
        return True
    return bool(abs(a - g) <= scale * context.ldexp(1, -RELATIVE_TOLERANCE_BITS))


def stated_digits(node: Node) -> int | None:
    """Significant digits of a response written as a decimal (`-0.3333`, `3.33 \\times 10^{-1}`)."""
    if isinstance(node, Num):
        return node.digits
    if isinstance(node, Op) and node.name == "neg":
        return stated_digits(node.args[0])
    if isinstance(node, Op) and node.name == "mul" and len(node.args) == 2:
        mantissa, power = node.args
        if _is_power_of_ten(power):
            return stated_digits(mantissa)
    return None


def _is_power_of_ten(node: Node) -> bool:
    if not (isinstance(node, Op) and node.name == "pow"):
        return False
    base, exponent = node.args
    if isinstance(exponent, Op) and exponent.name == "neg":
        exponent = exponent.args[0]
    return base == Num(Fraction(10)) and isinstance(exponent, Num)


def _within_stated_precision(answer: Value, gold: Value, digits: int) -> bool:
    if not isinstance(answer, Fraction):
        return False
    if isinstance(gold, Fraction):
        return matches_stated_precision(gold, answer, digits)
    context = mp()
    if context.im(gold) != 0 or context.isinf(gold):
        return False
    mantissa, exponent = context.mpf(context.re(gold)).man_exp
    exact = Fraction(mantissa) * Fraction(2) ** exponent
    return matches_stated_precision(exact, answer, min(digits, 40))


def is_value(node: Node) -> bool:
    """A single value (not a list, set, interval, matrix, relation or text)."""
    return isinstance(node, (Num, Sym, Const)) or (
        isinstance(node, Op) and node.name not in ("pm", "cup", "cap", "setminus")
    )
