"""The built-in procedural tasks' questions read back into their parts, and written again.

The offline instructor needs the structure of a problem (operands, operation, coefficients),
not just its text. Questions are parsed with the exact patterns `tasks/procedural.py` writes;
`write_*` produce the same wording, so synthesized problems look like the task's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

_ARITHMETIC = re.compile(r"What is (\d+) ([+\-*]) (\d+)\?")
_LINEAR = re.compile(r"Solve for x: (\d+)x ([+-]) (\d+) = (-?\d+)\. What is x\?")
_FRACTIONS = re.compile(r"What is (\d+)/(\d+) \+ (\d+)/(\d+)\? Give the answer")
# A model's extracted answer: an integer or a fraction, at most this long (bounded parsing).
_ANSWER = re.compile(r"-?\d{1,30}(?:/\d{1,30})?")
_MAX_ANSWER_CHARS = 64

PLACES = ("ones", "tens", "hundreds", "thousands", "ten-thousands", "hundred-thousands")


@dataclass(frozen=True)
class Arithmetic:
    a: int
    op: str
    b: int

    @property
    def value(self) -> int:
        return {"+": self.a + self.b, "-": self.a - self.b, "*": self.a * self.b}[self.op]


@dataclass(frozen=True)
class Linear:
    a: int
    b: int
    c: int

    @property
    def value(self) -> Fraction:
        return Fraction(self.c - self.b, self.a)


@dataclass(frozen=True)
class FractionSum:
    a: int
    b: int
    c: int
    d: int

    @property
    def value(self) -> Fraction:
        return Fraction(self.a, self.b) + Fraction(self.c, self.d)


Structure = Arithmetic | Linear | FractionSum


def parse_question(question: str) -> Structure | None:
    """The structure of a built-in task's question, or None for any other text.

    >>> parse_question("What is 47 + 38?")
    Arithmetic(a=47, op='+', b=38)
    >>> parse_question("Solve for x: 3x - 4 = 11. What is x?")
    Linear(a=3, b=-4, c=11)
    """
    if match := _ARITHMETIC.fullmatch(question.strip()):
        return Arithmetic(int(match[1]), match[2], int(match[3]))
    if match := _LINEAR.fullmatch(question.strip()):
        sign = 1 if match[2] == "+" else -1
        return Linear(int(match[1]), sign * int(match[3]), int(match[4]))
    if match := _FRACTIONS.match(question.strip()):
        return FractionSum(*(int(match[i]) for i in range(1, 5)))
    return None


def write_question(structure: Structure) -> str:
    """The question in the built-in task's own wording (the inverse of `parse_question`).

    >>> write_question(Linear(a=3, b=-4, c=11))
    'Solve for x: 3x - 4 = 11. What is x?'
    """
    if isinstance(structure, Arithmetic):
        return f"What is {structure.a} {structure.op} {structure.b}?"
    if isinstance(structure, Linear):
        sign = "+" if structure.b > 0 else "-"
        return f"Solve for x: {structure.a}x {sign} {abs(structure.b)} = {structure.c}. What is x?"
    s = structure
    return f"What is {s.a}/{s.b} + {s.c}/{s.d}? Give the answer as a fraction in lowest terms."


def task_of(structure: Structure) -> str:
    return {Arithmetic: "arithmetic", Linear: "linear", FractionSum: "fractions"}[type(structure)]


def parse_answer(answer: str | None) -> Fraction | None:
    """A model's extracted answer as an exact number, or None when it is not a plain one.

    >>> parse_answer("1,035"), parse_answer("3/4"), parse_answer("x = 2")
    (Fraction(1035, 1), Fraction(3, 4), None)
    """
    if answer is None or len(answer) > _MAX_ANSWER_CHARS:
        return None
    text = answer.strip().strip("$").replace(",", "").replace(" ", "")
    if text.startswith("\\frac{") and text.endswith("}"):
        text = text[len("\\frac{") : -1].replace("}{", "/")
    if not _ANSWER.fullmatch(text):
        return None
    numerator, _, denominator = text.partition("/")
    if denominator and int(denominator) == 0:
        return None
    return Fraction(int(numerator), int(denominator or 1))


def format_number(value: Fraction) -> str:
    """'3' for whole numbers, '3/4' otherwise (the built-in tasks' gold format)."""
    return (
        str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    )


def place_name(column: int) -> str:
    """The name of a decimal column, 0 = ones."""
    return PLACES[column] if column < len(PLACES) else f"10^{column}"


def digits_of(n: int) -> list[int]:
    """Decimal digits, least significant first.

    >>> digits_of(407)
    [7, 0, 4]
    """
    return [int(ch) for ch in reversed(str(abs(n)))]
