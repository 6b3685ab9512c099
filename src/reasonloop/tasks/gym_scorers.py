"""reasonloop's own scorers for the reasoning-gym tasks whose scorer accepts wrong answers.

Found by `benchmarks/gym_gold_forms.py` (each task's gold in three forms must score 1, another
problem's gold must not), on reasoning-gym 0.1.25:

- `game_of_life_halting` compares `bool(answer) == bool(gold)`, true for any non-empty text:
  "False" for "True", "True or False" and "not sure" all scored 1.0. Scored here by an exact
  match with the gold (case and surrounding space aside).
- `puzzle24` checks that the expression has four numbers in range and makes 24, but not that
  they are the four numbers the problem gave: `6*4*1*1` solved every problem. Scored here with
  the given numbers checked too; the expression is read by `ast` and computed over fractions
  (never evaluated as Python: reasoning-gym's scorer runs sympy's `parse_expr` on it).

Each scorer takes the answer text and the problem and returns 1.0 or 0.0.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from fractions import Fraction

from reasonloop.tasks.problem import Problem

MAX_EXPRESSION_CHARS = 120  # four numbers and their operators with room for brackets
_ALLOWED = re.compile(r"[\d\s+\-*/()]+")


def exact_match(answer: str, problem: Problem) -> float:
    """1.0 when the answer is the gold, case and surrounding space aside.

    >>> halts = Problem("p", "Does it halt?", "True")
    >>> exact_match(" true ", halts), exact_match("not sure", halts), exact_match("False", halts)
    (1.0, 0.0, 0.0)
    """
    return float(answer.strip().casefold() == problem.gold.strip().casefold())


def puzzle24(answer: str, problem: Problem) -> float:
    """1.0 when the expression uses exactly the problem's numbers and makes 24.

    >>> p = Problem("p", "Make 24 from 1, 3, 5, 9.", "1*3*5 + 9", meta={"numbers": [1, 3, 5, 9]})
    >>> puzzle24("(9 + 5 - 3 + 1) * 2", p), puzzle24("9 + 1*3*5", p), puzzle24("6*4*1*1", p)
    (0.0, 1.0, 0.0)
    """
    text = answer.strip()
    if len(text) > MAX_EXPRESSION_CHARS or not _ALLOWED.fullmatch(text):
        return 0.0
    given = sorted(int(n) for n in problem.meta.get("numbers") or [])
    if sorted(int(n) for n in re.findall(r"\d+", text)) != given:
        return 0.0
    try:
        value = _compute(ast.parse(text, mode="eval").body)
    except (SyntaxError, ValueError, ZeroDivisionError, RecursionError, MemoryError):
        return 0.0
    return float(value == 24)


def _compute(node: ast.expr) -> Fraction:
    """+, -, *, / and brackets over integers; anything else is a ValueError."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return Fraction(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        value = _compute(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp):
        left, right = _compute(node.left), _compute(node.right)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            return left / right
    raise ValueError(f"not an arithmetic expression: {ast.dump(node)[:80]}")


OWN_SCORERS: dict[str, Callable[[str, Problem], float]] = {
    "game_of_life_halting": exact_match,
    "puzzle24": puzzle24,
}
