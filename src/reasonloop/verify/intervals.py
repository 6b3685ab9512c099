"""Intervals, unions of intervals, and the inequalities that describe them.

`x > 2`, `2 < x`, `(2, \\infty)` and `x \\in (2, \\infty)` all become the same list of spans, so
an inequality answer can be graded against an interval gold and back. End types matter:
`[1, 2)` is not `[1, 2]`. The closedness of an infinite end is ignored.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction

from reasonloop.verify.nodes import Const, Interval, Node, Op, Rel, Seq, Sym
from reasonloop.verify.numeric import (
    NotNumeric,
    OutOfTime,
    TooLarge,
    Undefined,
    evaluate,
    mp,
    to_mp,
)
from reasonloop.verify.scalars import free_symbols, values_match

_LOWER = {">": False, ">=": True}
_UPPER = {"<": False, "<=": True}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
_BOUND_SECONDS = 0.05
INFINITY: Node = Const("inf")
MINUS_INFINITY: Node = Op("neg", (Const("inf"),))


@dataclass(frozen=True)
class Span:
    """One interval, ends as expressions."""

    lo: Node
    hi: Node
    lo_closed: bool
    hi_closed: bool


def is_interval_like(node: Node) -> bool:
    """An interval, a union of intervals, or an inequality."""
    if isinstance(node, Interval):
        return True
    if isinstance(node, Op) and node.name == "cup":
        return True
    if isinstance(node, Seq) and node.kind == "list":  # x <= -1 or x > 3
        return all(isinstance(item, Rel) and is_interval_like(item) for item in node.items)
    return isinstance(node, Rel) and all(op in _LOWER or op in _UPPER for op in node.ops)


def to_spans(node: Node, pair_is_open: bool = False) -> list[Span] | None:
    """The spans a node describes, or None when it does not describe a set of reals.

    With `pair_is_open`, a bare pair `(a, b)` is read as an open interval.
    """
    if isinstance(node, Interval):
        return [Span(node.lo, node.hi, node.lo_closed, node.hi_closed)]
    if isinstance(node, Seq) and node.kind == "tuple" and len(node.items) == 2 and pair_is_open:
        return [Span(node.items[0], node.items[1], False, False)]
    if isinstance(node, Op) and node.name == "cup":
        parts = [to_spans(arg, pair_is_open=True) for arg in node.args]
        if any(part is None for part in parts):
            return None
        return [span for part in parts if part is not None for span in part]
    if isinstance(node, Rel) and node.ops == ("\\in",) and isinstance(node.items[0], Sym):
        return to_spans(node.items[1], pair_is_open=True)
    if isinstance(node, Rel):
        relation = _negated_variable_flipped(node)
        span = _inequality_span(relation)
        if span is not None and any(_is_absolute(item) for item in relation.items):
            return _mirrored(span)
        return None if span is None else [span]
    if isinstance(node, Seq) and node.kind == "list":  # x < -1 or x > 3
        parts = [to_spans(item) for item in node.items]
        if any(part is None for part in parts):
            return None
        return [span for part in parts if part is not None for span in part]
    return None


def _negated_variable_flipped(relation: Rel) -> Rel:
    """`-x > -1` -> `x < 1`: multiplying an inequality by -1 turns its signs around."""
    negated = [
        item for item in relation.items if isinstance(item, Op) and _is_negated_variable(item)
    ]
    if len(negated) != 1:
        return relation
    if any(op not in _FLIP for op in relation.ops):
        return relation
    items = tuple(
        item.args[0] if item is negated[0] else Op("neg", (item,)) for item in relation.items
    )
    return Rel(tuple(_FLIP[op] for op in relation.ops), items)


def _is_negated_variable(node: Node) -> bool:
    return isinstance(node, Op) and node.name == "neg" and isinstance(node.args[0], Sym)


def _is_bounded_name(node: Node) -> bool:
    """What an inequality bounds: `x`, `f(x)` (a range), `|z|` (see `_mirrored`)."""
    if isinstance(node, Sym) or _is_absolute(node):
        return True
    return (
        isinstance(node, Op)
        and node.name == "mul"
        and len(node.args) == 2
        and all(isinstance(arg, Sym) for arg in node.args)
    )


def _is_absolute(node: Node) -> bool:
    return isinstance(node, Op) and node.name == "abs" and isinstance(node.args[0], Sym)


def _mirrored(span: Span) -> list[Span] | None:
    """The values of z with |z| in `span`: `1 <= |z| <= 3/2` is [-3/2, -1] and [1, 3/2]."""
    if span.lo == MINUS_INFINITY:
        low = None
    else:
        try:
            low = evaluate(span.lo, {}, time.monotonic() + _BOUND_SECONDS)
        except (NotNumeric, Undefined, TooLarge, OutOfTime):
            return None
        if not isinstance(low, Fraction):
            return None  # irrational bounds: which side of 0 is not worth deciding here
    negative_hi = MINUS_INFINITY if span.hi == INFINITY else Op("neg", (span.hi,))
    if low is None or low < 0 or (low == 0 and span.lo_closed):  # |z| <= b: one span
        return [Span(negative_hi, span.hi, span.hi_closed, span.hi_closed)]
    negative_lo = Op("neg", (span.lo,))
    return [
        Span(negative_hi, negative_lo, span.hi_closed, span.lo_closed),
        Span(span.lo, span.hi, span.lo_closed, span.hi_closed),
    ]


def _inequality_span(relation: Rel) -> Span | None:
    """`a < x <= b`, `x > a`, `b >= x`, `0 < f(x) < 1`: one variable, constant bounds."""
    variables = [i for i, item in enumerate(relation.items) if _is_bounded_name(item)]
    if len(variables) != 1 or len(relation.items) > 3:
        return None
    where = variables[0]
    if any(free_symbols(item) for i, item in enumerate(relation.items) if i != where):
        return None
    lo, hi = MINUS_INFINITY, INFINITY
    lo_closed = hi_closed = False
    for index, op in enumerate(relation.ops):
        if op not in _FLIP:
            return None
        left, right = index, index + 1
        if right == where:  # bound `op` x  ->  x `flipped` bound
            op, bound = _FLIP[op], relation.items[left]
        elif left == where:
            bound = relation.items[right]
        else:
            return None
        if op in _LOWER:
            lo, lo_closed = bound, _LOWER[op]
        else:
            hi, hi_closed = bound, _UPPER[op]
    return Span(lo, hi, lo_closed, hi_closed)


def spans_equal(answer: list[Span], gold: list[Span], deadline: float) -> bool:
    """Same spans (order-free), same end values, same end types (finite ends only)."""
    if len(answer) != len(gold):
        return False
    answer_sorted = _sorted(answer, deadline)
    gold_sorted = _sorted(gold, deadline)
    if answer_sorted is None or gold_sorted is None:
        return False
    return all(_span_equal(a, g) for a, g in zip(answer_sorted, gold_sorted, strict=True))


def _sorted(spans: list[Span], deadline: float) -> list[tuple[object, object, Span]] | None:
    try:
        valued = [(evaluate(s.lo, {}, deadline), evaluate(s.hi, {}, deadline), s) for s in spans]
    except (NotNumeric, Undefined, TooLarge):
        return None
    context = mp()
    if any(context.im(to_mp(v)) != 0 for lo, hi, _ in valued for v in (lo, hi)):
        return None
    return sorted(valued, key=lambda item: (to_mp(item[0]), to_mp(item[1])))


def _span_equal(answer: tuple[object, object, Span], gold: tuple[object, object, Span]) -> bool:
    a_lo, a_hi, a = answer
    g_lo, g_hi, g = gold
    if not (values_match(a_lo, g_lo) and values_match(a_hi, g_hi)):
        return False
    context = mp()
    lo_finite = not context.isinf(to_mp(g_lo))
    hi_finite = not context.isinf(to_mp(g_hi))
    if lo_finite and a.lo_closed != g.lo_closed:
        return False
    return not (hi_finite and a.hi_closed != g.hi_closed)
