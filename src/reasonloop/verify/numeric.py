"""Evaluate an AST to a number: exact (Fraction) where possible, else 192-bit mpmath.

Every operation is size-guarded before it runs: exact integers stay under MAX_BITS (bigger
results are approximated), approximate magnitudes stay within 2**±MAX_MAGNITUDE_BITS, factorial
and binomial arguments are capped. So `10^{10^{10^{10}}}`, `9999!` and `2^{2^{100}}` raise
TooLarge quickly instead of hanging or exhausting memory.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from fractions import Fraction
from functools import lru_cache
from typing import Any

from reasonloop.verify.nodes import Const, Node, Num, Op, Sym

PRECISION_BITS = 192
MAX_BITS = 100_000  # exact rationals larger than this are too large (never approximated)
MAX_MAGNITUDE_BITS = 1_000_000  # approximate |value| beyond 2**this (or below 2**-this)
MAX_FACTORIAL = 2000
MAX_BINOMIAL = 20_000
MAX_ROOT_INDEX = 64
MAX_TRIG_ARGUMENT_BITS = 64

Value = Any  # Fraction, or an mpmath mpf/mpc (mpmath ships no type information)


class NotNumeric(Exception):
    """The expression is not a number here (free variable, text, set, ...)."""


class Undefined(Exception):
    """The expression has no value (division by zero, log of zero, ...)."""


class TooLarge(Exception):
    """The value is too large (or too finely divided) to build within the size bounds."""


class OutOfTime(Exception):
    """The cooperative deadline passed."""


@lru_cache(maxsize=1)
def mp() -> Any:
    """A private mpmath context (never the global one, so callers' settings are untouched)."""
    import mpmath

    context = mpmath.MPContext()
    context.prec = PRECISION_BITS
    return context


def evaluate(node: Node, env: Mapping[str, Fraction], deadline: float) -> Value:
    """The value of `node` with variables bound by `env`; raises the errors above."""
    if time.monotonic() > deadline:
        raise OutOfTime
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Sym):
        if node.name in env:
            return env[node.name]
        raise NotNumeric(node.name)
    if isinstance(node, Const):
        return _constant(node.name)
    if isinstance(node, Op):
        if node.name in ("pm", "cup", "cap", "setminus"):
            raise NotNumeric(node.name)
        values = [evaluate(arg, env, deadline) for arg in node.args]
        return apply(node.name, values)
    raise NotNumeric(type(node).__name__)


def apply(name: str, values: list[Value]) -> Value:
    """Apply one operation to evaluated arguments."""
    operation = _OPERATIONS.get(name)
    if operation is None:
        if name in _MP_FUNCTIONS and len(values) == 1:
            return _apply_mp_function(name, values[0])
        raise NotNumeric(name)
    try:
        return operation(values)
    except ZeroDivisionError as error:
        raise Undefined(name) from error


def _constant(name: str) -> Value:
    context = mp()
    if name == "pi":
        return +context.pi
    if name == "e":
        return context.e()
    if name == "i":
        return context.mpc(0, 1)
    return context.inf


def _guard(value: Value) -> Value:
    """Keep exact values small and approximate values finite and in range.

    A rational too large to hold exactly is an error, never an approximation: 2^{65536}+1 and
    2^{65536} must not compare equal through rounding.
    """
    if isinstance(value, Fraction):
        if value.numerator.bit_length() + value.denominator.bit_length() <= MAX_BITS:
            return value
        raise TooLarge("exact value")
    context = mp()
    if context.isnan(value):
        raise Undefined("nan")
    if context.isinf(value) or value == 0:
        return value
    if abs(context.mag(value)) > MAX_MAGNITUDE_BITS:
        raise TooLarge("magnitude")
    return value


def to_mp(value: Value) -> Value:
    if isinstance(value, Fraction):
        return mp().mpf(value.numerator) / value.denominator
    return value


def _add(values: list[Value]) -> Value:
    if all(isinstance(v, Fraction) for v in values):
        return _guard(sum(values, Fraction(0)))
    return _guard(mp().fsum(to_mp(v) for v in values))


def _mul(values: list[Value]) -> Value:
    result: Value = Fraction(1)
    for value in values:
        if isinstance(result, Fraction) and isinstance(value, Fraction):
            result = _guard(result * value)
        else:
            result = _guard(to_mp(result) * to_mp(value))
    return result


def _div(values: list[Value]) -> Value:
    top, bottom = values
    if bottom == 0:
        raise Undefined("division by zero")
    if isinstance(top, Fraction) and isinstance(bottom, Fraction):
        return _guard(top / bottom)
    return _guard(to_mp(top) / to_mp(bottom))


def _power(values: list[Value]) -> Value:
    base, exponent = values
    if isinstance(base, Fraction) and isinstance(exponent, Fraction):
        exact = _exact_power(base, exponent)
        if exact is not None:
            return exact
        if exponent.denominator == 1:
            raise TooLarge("power")  # a rational to an integer power stays exact or fails
    if base == 0:
        if exponent == 0:
            raise Undefined("0^0")
        return Fraction(0)
    context = mp()
    size = float(abs(context.mag(to_mp(base)))) * float(abs(to_mp(exponent)))
    if size > MAX_MAGNITUDE_BITS:
        raise TooLarge("power")
    real_negative = isinstance(base, Fraction) and base < 0
    if isinstance(exponent, Fraction) and exponent.denominator % 2 == 1 and real_negative:
        magnitude = context.power(to_mp(-base), to_mp(exponent))  # real odd root
        return _guard(magnitude if exponent.numerator % 2 == 0 else -magnitude)
    return _guard(context.power(to_mp(base), to_mp(exponent)))


def _exact_power(base: Fraction, exponent: Fraction) -> Value | None:
    """base**exponent exactly when small enough; None when it must be approximated."""
    if base in (0, 1) or exponent == 0:
        if base == 0 and exponent <= 0:
            raise Undefined("0 to a non-positive power")
        return Fraction(1) if exponent == 0 or base == 1 else Fraction(0)
    if base == -1 and exponent.denominator == 1:
        return Fraction(-1) if exponent.numerator % 2 else Fraction(1)
    if exponent.denominator > 1:
        root = _exact_root(base, exponent.denominator)
        if root is None:
            return None
        base, exponent = root, Fraction(exponent.numerator)
    bits = math.log2(abs(base.numerator)) + math.log2(base.denominator)
    if bits * abs(exponent.numerator) > MAX_BITS:
        raise TooLarge("power")
    return base**exponent.numerator


def _exact_root(value: Fraction, index: int) -> Fraction | None:
    """The exact real index-th root of a rational, or None when it is irrational."""
    if index > MAX_ROOT_INDEX or (value < 0 and index % 2 == 0):
        return None
    sign = -1 if value < 0 else 1
    top = integer_root(abs(value.numerator), index)
    bottom = integer_root(value.denominator, index)
    if top**index != abs(value.numerator) or bottom**index != value.denominator:
        return None
    return Fraction(sign * top, bottom)


def integer_root(n: int, index: int) -> int:
    """floor(n ** (1/index)) for n >= 0, by integer Newton iteration (no floats).

    >>> integer_root(10**30 + 5, 3)
    10000000000
    """
    if index == 2:
        return math.isqrt(n)
    if n < 2:
        return n
    x = 1 << -(-n.bit_length() // index)
    while True:
        y = ((index - 1) * x + n // x ** (index - 1)) // index
        if y >= x:
            return x
        x = y


def _sqrt(values: list[Value]) -> Value:
    return _power([values[0], Fraction(1, 2)])


def _root(values: list[Value]) -> Value:
    radicand, index = values
    if not (isinstance(index, Fraction) and index.denominator == 1 and index > 0):
        raise NotNumeric("root index")
    return _power([radicand, 1 / index])


def _integer(value: Value, limit: int) -> int:
    if not (isinstance(value, Fraction) and value.denominator == 1 and value >= 0):
        raise NotNumeric("needs a non-negative integer")
    if value > limit:
        raise TooLarge("integer argument")
    return int(value)


def _factorial(values: list[Value]) -> Value:
    return Fraction(math.factorial(_integer(values[0], MAX_FACTORIAL)))


def _binomial(values: list[Value]) -> Value:
    """C(n, k); n may be any rational (a sample point) when k is a small integer."""
    top, k = values[0], _integer(values[1], MAX_BINOMIAL)
    if isinstance(top, Fraction) and top.denominator == 1 and top >= 0:
        return _guard(Fraction(math.comb(_integer(top, MAX_BINOMIAL), k)))
    if not isinstance(top, Fraction) or k > MAX_FACTORIAL:
        raise NotNumeric("binomial of a non-rational")
    result = Fraction(1)
    for i in range(k):
        result = _guard(result * (top - i) / (i + 1))
    return result


def _abs(values: list[Value]) -> Value:
    value = values[0]
    return abs(value) if isinstance(value, Fraction) else _guard(mp().fabs(value))


def _log(values: list[Value]) -> Value:
    if len(values) == 1:
        return _apply_mp_function("ln", values[0])
    argument, base = values
    numerator = _apply_mp_function("ln", argument)
    denominator = _apply_mp_function("ln", base)
    return _div([numerator, denominator])


def _integer_function(name: str) -> Callable[[list[Value]], Value]:
    def apply_integers(values: list[Value]) -> Value:
        numbers = [_integer(v, 10**400) for v in values]
        return Fraction(math.gcd(*numbers) if name == "gcd" else math.lcm(*numbers))

    return apply_integers


def _extremum(values: list[Value], pick: Callable[..., Value]) -> Value:
    for value in values:
        if not isinstance(value, Fraction) and mp().im(value) != 0:
            raise NotNumeric("extremum of complex values")
    return pick(values, key=to_mp)


def _rounding(name: str) -> Callable[[list[Value]], Value]:
    def apply_rounding(values: list[Value]) -> Value:
        value = values[0]
        if isinstance(value, Fraction):
            return Fraction(math.floor(value) if name == "floor" else math.ceil(value))
        rounded = mp().floor(value) if name == "floor" else mp().ceil(value)
        return Fraction(int(rounded))

    return apply_rounding


_SPECIAL_AT_ZERO = {"sin": 0, "tan": 0, "sinh": 0, "tanh": 0, "arcsin": 0, "arctan": 0,
                    "cos": 1, "cosh": 1, "exp": 1}  # fmt: skip
_MP_FUNCTIONS = frozenset(_SPECIAL_AT_ZERO) | {"sec", "csc", "cot", "arccos", "ln", "log10"}


def _apply_mp_function(name: str, value: Value) -> Value:
    if isinstance(value, Fraction):
        if value == 0 and name in _SPECIAL_AT_ZERO:
            return Fraction(_SPECIAL_AT_ZERO[name])
        if value == 1 and name in ("ln", "log10"):
            return Fraction(0)
        if value == 0 and name in ("ln", "log10"):
            raise Undefined("log of zero")
    context = mp()
    argument = to_mp(value)
    if name in ("sin", "cos", "tan", "sec", "csc", "cot", "exp", "sinh", "cosh", "tanh"):
        if context.mag(argument) > MAX_TRIG_ARGUMENT_BITS:
            raise TooLarge(name)
    function = getattr(context, "log10" if name == "log10" else name)
    try:
        return _guard(function(argument))
    except (ZeroDivisionError, ValueError) as error:
        raise Undefined(name) from error


_OPERATIONS: dict[str, Callable[[list[Value]], Value]] = {
    "add": _add,
    "mul": _mul,
    "neg": lambda values: _mul([Fraction(-1), values[0]]),
    "div": _div,
    "pow": _power,
    "sqrt": _sqrt,
    "root": _root,
    "fact": _factorial,
    "binom": _binomial,
    "abs": _abs,
    "log": _log,
    "pct": lambda values: _div([values[0], Fraction(100)]),
    "deg": lambda values: _mul([values[0], _constant("pi"), Fraction(1, 180)]),
    "floor": _rounding("floor"),
    "ceil": _rounding("ceil"),
    "gcd": _integer_function("gcd"),
    "lcm": _integer_function("lcm"),
    "max": lambda values: _extremum(values, max),
    "min": lambda values: _extremum(values, min),
}
