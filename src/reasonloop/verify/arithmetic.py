"""Arithmetic left undone in a final answer: `12 + 99` answering "What is 12 + 99?".

An answer with a +, -, ×, · or ÷ between two plain numeric literals has not computed anything;
unless the gold is written that way too it is graded incorrect, or a model could learn to
restate the question. Fractions, mixed numbers, scientific notation (`3 \\times 10^{5}`),
radicals, pi, variables, complex numbers, tuples and sets are values, not work left to do. An
equation chain is judged by its final value: `42 + 27 = 69` states 69.
"""

from __future__ import annotations

import re

from reasonloop.verify.nodes import Interval, Matrix, Node, Num, Op, Rel, Seq
from reasonloop.verify.read import Reading

UNEVALUATED_ARITHMETIC = "unevaluated arithmetic in the answer"
_DIVISION_SIGN = re.compile(r"\d\s*\\div(?![A-Za-z])\s*-?\d")  # ÷ normalises to \div
_LAST_EQUALS = re.compile(r".*(?:=|\\approx(?![A-Za-z])|\\equiv(?![A-Za-z]))", re.DOTALL)


def has_unevaluated_arithmetic(reading: Reading) -> bool:
    """Whether the read answer still holds arithmetic between two number literals.

    >>> from reasonloop.verify.read import read_answer
    >>> has_unevaluated_arithmetic(read_answer("12 + 99"))
    True
    >>> has_unevaluated_arithmetic(read_answer("3 \\\\times 10^{5}"))
    False
    """
    if reading.node is None or reading.number is not None:
        return False
    final = _LAST_EQUALS.sub("", reading.text, count=1)
    return _DIVISION_SIGN.search(final) is not None or _has_literal_operation(reading.node)


def _has_literal_operation(node: Node) -> bool:
    if isinstance(node, Op):
        if node.name in ("add", "mul") and sum(map(_is_literal, node.args)) >= 2:
            return True
        return any(map(_has_literal_operation, node.args))
    if isinstance(node, Rel):
        items = node.items[-1:] if set(node.ops) == {"="} else node.items
        return any(map(_has_literal_operation, items))
    if isinstance(node, Seq):
        return any(map(_has_literal_operation, node.items))
    if isinstance(node, Interval):
        return _has_literal_operation(node.lo) or _has_literal_operation(node.hi)
    if isinstance(node, Matrix):
        return any(_has_literal_operation(item) for row in node.rows for item in row)
    return False


def _is_literal(node: Node) -> bool:
    """A number as written (`12`, `0.5`, `3e5`, `2\\frac12`), or its negative."""
    while isinstance(node, Op) and node.name == "neg" and len(node.args) == 1:
        node = node.args[0]
    return isinstance(node, Num)
