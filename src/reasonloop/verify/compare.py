"""Compare a read response answer with a read gold answer, by the shape of the gold.

Gold and response are not symmetric: the gold decides what kind of answer is expected (one
value, a tuple, a set, an interval, an equation, a letter, a word), and a response that gives
several different values where one is expected is hedging and incorrect.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction
from itertools import product

from reasonloop.verify.guard import is_prose, is_self_judgement
from reasonloop.verify.intervals import is_interval_like, spans_equal, to_spans
from reasonloop.verify.nodes import Interval, Matrix, Node, Num, Op, Rel, Seq, Sym
from reasonloop.verify.notation import decimal_comma_equal, notation_equal
from reasonloop.verify.numbers import matches_stated_precision
from reasonloop.verify.numeric import NotNumeric, OutOfTime, TooLarge, Undefined, evaluate
from reasonloop.verify.read import Reading, read_answer
from reasonloop.verify.scalars import SAMPLE_POINTS, free_symbols, is_value, scalars_equal

MAX_ITEMS = 64  # larger lists/sets are compared only structurally
MAX_PM_TERMS = 3


@dataclass(frozen=True)
class Comparison:
    """Whether the answer matches, why, and whether the deadline cut the work short."""

    equal: bool
    reason: str
    timed_out: bool = False


def compare_answers(answer: Reading, gold: Reading, deadline: float) -> Comparison:
    """Compare two readings; never raises (deadline overrun comes back as timed_out)."""
    try:
        return _compare_readings(answer, gold, deadline)
    except OutOfTime:
        return Comparison(False, "comparison ran past its time bound", timed_out=True)
    except RecursionError:
        return Comparison(False, "answer nested too deeply")


def _compare_readings(answer: Reading, gold: Reading, deadline: float) -> Comparison:
    # Cheapest first: identical text, then a choice letter (the gold's shape decides that a
    # letter is wanted), then exact numbers, then words, and only then the parsed trees.
    if answer.text and answer.text == gold.text:
        return Comparison(True, "same answer")
    if gold.notation is not None:
        if notation_equal(answer.text, gold.notation, _exact_value(answer, deadline)):
            return Comparison(True, f"same {gold.notation.kind} notation value")
        return Comparison(False, f"expected a {gold.notation.kind} like the gold")
    if decimal_comma_equal(answer.text, gold.text):
        return Comparison(True, "same decimal, written with a decimal comma")
    if gold.choice is not None:
        if answer.choice == gold.choice:
            return Comparison(True, f"choice {gold.choice}")
        return Comparison(False, f"expected choice {gold.choice}")
    if answer.number is not None and gold.number is not None:
        return _compare_numbers(answer, gold)
    if gold.words is not None and answer.words == gold.words:
        return Comparison(True, "same text")
    if gold.node is None:
        return Comparison(False, "text answer differs from the gold")
    if answer.node is None:
        return Comparison(False, _why_unreadable(answer))
    grouped = _bare_group(answer.text)
    if grouped is not None and isinstance(gold.node, Seq) and gold.node.kind == "tuple":
        answer = read_answer(grouped)  # `{1,3}`: LaTeX grouping braces, shown as `1,3`
        if answer.node is None:
            return Comparison(False, _why_unreadable(answer))
    assert answer.node is not None
    equal, reason = compare_nodes(answer.node, gold.node, deadline)
    return Comparison(equal, reason)


def _bare_group(text: str) -> str | None:
    """The inside of `{...}` when unescaped braces wrap the whole text, else None."""
    if not (text.startswith("{") and text.endswith("}")):
        return None
    depth = 0
    for index, character in enumerate(text):
        depth += {"{": 1, "}": -1}.get(character, 0)
        if depth == 0 and index < len(text) - 1:
            return None  # `{1}\cup{2}`: the first brace closes early
    return text[1:-1]


def _exact_value(reading: Reading, deadline: float) -> Fraction | None:
    """The rational value of a plain number or a constant expression (`\\frac{7}{32}`)."""
    if reading.number is not None:
        return reading.number.value
    if reading.node is None or free_symbols(reading.node):
        return None
    try:
        value = evaluate(reading.node, {}, deadline)
    except (NotNumeric, Undefined, TooLarge):
        return None
    return value if isinstance(value, Fraction) else None


def _compare_numbers(answer: Reading, gold: Reading) -> Comparison:
    assert answer.number is not None and gold.number is not None
    if answer.number.value == gold.number.value:
        return Comparison(True, "equal value")
    digits = answer.number.digits
    if digits is not None and matches_stated_precision(
        gold.number.value, answer.number.value, digits
    ):
        return Comparison(True, f"equal at the {digits} significant digits the answer states")
    return Comparison(False, "different value")


def _why_unreadable(answer: Reading) -> str:
    if is_self_judgement(answer.text):
        return "answer claims correctness instead of giving a value"
    if is_prose(answer.text):
        return "answer is an explanation, not a value"
    if answer.words is not None:
        return "answer is text but the gold is math"
    return f"answer could not be parsed ({answer.error})"


def compare_nodes(answer: Node, gold: Node, deadline: float) -> tuple[bool, str]:
    """(equal, reason) for two ASTs, dispatching on the gold's shape."""
    if time.monotonic() > deadline:
        raise OutOfTime
    if answer == gold:
        return True, "same expression"
    # `72 + 79 = 151` states 151, but only if every link holds: `160 + 21 = 371` must not pass
    # because its last number happens to be the gold.
    if _is_value_chain(answer) and not isinstance(gold, Rel):
        assert isinstance(answer, Rel)
        values = answer.items if _is_numeric_chain(answer) else answer.items[1:]
        if not all(compare_nodes(item, values[-1], deadline)[0] for item in values):
            return False, "the answer's equation chain is not consistent"
    answer, gold = _drop_assignment(answer, gold)
    if _is_assignments(gold) and _is_assignments(answer):
        return _compare_assignments(answer, gold, deadline)
    if is_interval_like(gold) or (is_interval_like(answer) and _is_pair(gold)):
        return _compare_intervals(answer, gold, deadline)
    if isinstance(gold, Rel):
        return _compare_relations(answer, gold, deadline)
    if isinstance(gold, Matrix) or isinstance(answer, Matrix):
        return _compare_ordered(_as_rows(answer), _as_rows(gold), deadline, "matrix")
    if isinstance(gold, Seq):
        return _compare_collections(answer, gold, deadline)
    gold_values = _expand_pm(gold)
    if len(gold_values) > 1:
        return _compare_collections(answer, Seq("set", tuple(gold_values)), deadline)
    return _compare_single(answer, gold, deadline)


def _compare_single(answer: Node, gold: Node, deadline: float) -> tuple[bool, str]:
    # One value is asked: a list of several different values is a hedge, while the same value
    # written twice (`2, 2`, `\\pm 0`) is still one answer.
    if isinstance(answer, Seq) and len(answer.items) == 1:
        answer = answer.items[0]
    if isinstance(answer, Seq) or len(_expand_pm(answer)) > 1:
        values = answer.items if isinstance(answer, Seq) else tuple(_expand_pm(answer))
        if len(values) > MAX_ITEMS or not all(
            compare_nodes(v, values[0], deadline)[0] for v in values[1:]
        ):
            return False, "several different answers where one is expected (hedging)"
        answer = values[0]
    if not is_value(answer):
        return False, f"answer is a {_shape(answer)} but the gold is a single value"
    if not is_value(gold):
        return (answer == gold), "compared as written"
    return scalars_equal(answer, gold, deadline)


def _compare_collections(answer: Node, gold: Seq, deadline: float) -> tuple[bool, str]:
    if isinstance(answer, Matrix) and len(answer.rows[0]) == 1:
        answer = Seq("tuple", tuple(row[0] for row in answer.rows))  # column vector
    if not isinstance(answer, Seq):
        answer = Seq("list", tuple(_expand_pm(answer)))
    if len(answer.items) > MAX_ITEMS or len(gold.items) > MAX_ITEMS:
        return False, "too many items to compare"
    # Order matters only when the gold is a tuple; a tuple answer to a set gold is refused
    # because it claims an order the question did not ask for.
    if gold.kind == "tuple":
        if answer.kind == "set":
            return False, "answer is a set but the gold is an ordered tuple"
        return _compare_ordered([answer.items], [gold.items], deadline, "tuple")
    if answer.kind == "tuple" and len(answer.items) > 1:
        return False, "answer is an ordered tuple but the gold is a set"
    return _compare_unordered(answer.items, gold.items, deadline)


def _compare_ordered(
    answer: list[tuple[Node, ...]] | None,
    gold: list[tuple[Node, ...]] | None,
    deadline: float,
    shape: str,
) -> tuple[bool, str]:
    if answer is None or gold is None:
        return False, f"answer and gold are not both a {shape}"
    if [len(row) for row in answer] != [len(row) for row in gold]:
        return False, f"{shape} has the wrong size"
    for answer_row, gold_row in zip(answer, gold, strict=True):
        for a, g in zip(answer_row, gold_row, strict=True):
            if not compare_nodes(a, g, deadline)[0]:
                return False, f"{shape} entries differ"
    return True, f"equal {shape}"


def _compare_unordered(
    answer: tuple[Node, ...], gold: tuple[Node, ...], deadline: float
) -> tuple[bool, str]:
    """Each gold item matched by a distinct answer item (greedy), nothing left over.

    An item written twice the same way is one item (`(3, 17), (3,17)` names one pair).
    """
    unmatched = list(dict.fromkeys(answer))
    for g in gold:
        for index, a in enumerate(unmatched):
            if compare_nodes(a, g, deadline)[0]:
                del unmatched[index]
                break
        else:
            return False, "a gold item is missing from the answer"
    if unmatched:
        return False, "the answer has items the gold does not"
    return True, "same items"


def _compare_intervals(answer: Node, gold: Node, deadline: float) -> tuple[bool, str]:
    gold_spans = to_spans(gold, pair_is_open=True)
    answer_spans = to_spans(answer, pair_is_open=not _is_pair(gold))
    if gold_spans is None or answer_spans is None:
        return False, "answer is not an interval or inequality like the gold"
    if spans_equal(answer_spans, gold_spans, deadline):
        return True, "same interval"
    return False, "different interval"


def _compare_relations(answer: Node, gold: Rel, deadline: float) -> tuple[bool, str]:
    if not isinstance(answer, Rel) or answer.ops != gold.ops or gold.ops != ("=",):
        return (answer == gold), "relations compared as written"
    (a_left, a_right), (g_left, g_right) = answer.items, gold.items
    if _same_function(a_left, g_left) and not (free_symbols(a_right) or free_symbols(g_right)):
        return compare_nodes(a_right, g_right, deadline)  # `W(x) = 1` for `W(n) = 1`
    if isinstance(g_left, Sym) and a_left == g_left:
        return compare_nodes(a_right, g_right, deadline)
    if isinstance(g_left, Sym) and a_right == g_left:
        return compare_nodes(a_left, g_right, deadline)
    answer_zero = Op("add", (a_left, Op("neg", (a_right,))))
    gold_zero = Op("add", (g_left, Op("neg", (g_right,))))
    # The same equation may be written rearranged (`y = -x/2 + 3/4` for `2x + 4y - 3 = 0`):
    # both sides moved to one side must agree up to a constant factor, found at one point.
    # A gold that assigns (`x = 2`) wants it solved: `2x = 4` is not rescaled into it.
    scales = {Fraction(1), Fraction(-1)}
    found = None if isinstance(g_left, Sym) else _equation_scale(answer_zero, gold_zero, deadline)
    if found is not None and found != 0:
        scales.add(found)
    for scale in scales:
        scaled = Op("mul", (Num(scale), answer_zero))
        if scalars_equal(scaled, gold_zero, deadline)[0]:
            return True, "same equation"
    return False, "different equation"


def _equation_scale(answer_zero: Node, gold_zero: Node, deadline: float) -> Fraction | None:
    """k with gold = k * answer at the first sample point where both are non-zero rationals."""
    symbols = sorted(free_symbols(gold_zero) | free_symbols(answer_zero))
    for trial in range(3):
        env = {
            name: SAMPLE_POINTS[(trial + 2 * i) % len(SAMPLE_POINTS)]
            for i, name in enumerate(symbols)
        }
        try:
            answer_value = evaluate(answer_zero, env, deadline)
            gold_value = evaluate(gold_zero, env, deadline)
        except (NotNumeric, Undefined, TooLarge):
            return None
        if isinstance(answer_value, Fraction) and isinstance(gold_value, Fraction):
            if answer_value != 0 and gold_value != 0:
                return gold_value / answer_value
    return None


def _drop_assignment(answer: Node, gold: Node) -> tuple[Node, Node]:
    """`x = 3` answers a gold `3` (and a gold `x = 3` accepts `3`); `x = 6/2 = 3` ends in 3."""
    if isinstance(answer, Rel) and not isinstance(gold, Rel) and set(answer.ops) == {"="}:
        if _is_function_name(answer.items[0]) or not free_symbols(answer):
            answer = answer.items[-1]  # numeric chains were checked for consistency already
    if isinstance(answer, Rel) and answer.ops == ("\\in",) and isinstance(answer.items[0], Sym):
        answer = answer.items[1]
    if isinstance(gold, Rel) and gold.ops == ("\\in",) and isinstance(gold.items[0], Sym):
        if is_interval_like(gold.items[1]):  # `x \in [-2, 7]` is asked as `-2 \le x \le 7` too
            gold = gold.items[1]
    if isinstance(gold, Rel) and gold.ops == ("=",) and _names_gold_value(gold):
        if not isinstance(answer, Rel) and not _is_assignments(answer):
            gold = gold.items[1]
    if isinstance(answer, Seq) and answer.items and _is_named_tuple(answer.items[0]):
        # `(x, y) = (5, 8) and (8, 5)`: the name given to the first of several solutions
        named = answer.items[0]
        assert isinstance(named, Rel)
        answer = Seq(answer.kind, (named.items[1], *answer.items[1:]))
    if _is_named_tuple(answer) and not isinstance(gold, Rel):
        assert isinstance(answer, Rel)
        answer = answer.items[1]  # `(x, y) = (5, 8)` for a gold `(5, 8)`
    gold_groups = _assignment_groups(gold)
    if gold_groups is not None and (_assignment_groups(answer) or not _is_assignments(answer)):
        gold, answer = gold_groups, _assignment_groups(answer) or answer
    if _is_gold_chain(gold) and not isinstance(answer, Rel):
        assert isinstance(gold, Rel)
        gold = gold.items[-1]  # the gold is trusted: `z = 1 + 1 = 2` states 2
    return answer, gold


def _is_named_tuple(node: Node) -> bool:
    """`(x, y) = (5, 8)`: a tuple of variables naming a tuple of values."""
    if not (isinstance(node, Rel) and node.ops == ("=",)):
        return False
    names, values = node.items
    return (
        isinstance(names, Seq)
        and names.kind == "tuple"
        and all(isinstance(name, Sym) for name in names.items)
        and isinstance(values, Seq)
        and values.kind == "tuple"
        and len(values.items) == len(names.items)
    )


def _assignment_groups(gold: Node) -> Seq | None:
    """`p=5, q=2; p=7, q=2` -> `(5, 2), (7, 2)`: solutions given as repeated assignments.

    Only when the same variables repeat in the same order, two or more times; the tuple
    order is the order the gold names them in.
    """
    if not _is_assignments(gold):
        return None
    assert isinstance(gold, Seq)
    names = [item.items[0] for item in gold.items if isinstance(item, Rel)]
    width = len(dict.fromkeys(names))
    if width < 2 or len(names) % width or len(names) == width:
        return None
    if names != names[:width] * (len(names) // width):
        return None
    values = [item.items[1] for item in gold.items if isinstance(item, Rel)]
    groups = [Seq("tuple", tuple(values[i : i + width])) for i in range(0, len(values), width)]
    return Seq("list", tuple(groups))


def _is_gold_chain(gold: Node) -> bool:
    """`z = 1 + 1 = 2`, `1 = a = x = 0`: three or more sides, the last one a value."""
    return (
        isinstance(gold, Rel)
        and len(gold.items) > 2
        and set(gold.ops) == {"="}
        and not free_symbols(gold.items[-1])
    )


def _names_gold_value(gold: Rel) -> bool:
    """`x = 3`, `(p, q) = (3, 2)`, `|AB| = 1`, `f(x) = 1`: the left side only names the value.

    A left side without number literals and a right side without variables: the right side is
    the answer (`y = 2x + 1` keeps its relation, the variable being part of the answer).
    """
    name, value = gold.items
    if isinstance(name, Sym):
        return True
    return not _has_number(name) and bool(free_symbols(name)) and not free_symbols(value)


def _has_number(node: Node) -> bool:
    if isinstance(node, Num):
        return True
    if isinstance(node, Op):
        return any(map(_has_number, node.args))
    if isinstance(node, (Seq, Rel)):
        return any(map(_has_number, node.items))
    return False


def _is_value_chain(node: Node) -> bool:
    """`20 - 5 = 15`, or `x = 5 + 5 + 1 = 11` (a name, then a chain of values): each link
    must hold, or `x = 4 = 7` would answer both 4 and 7."""
    if _is_numeric_chain(node):
        return True
    return (
        isinstance(node, Rel)
        and len(node.items) > 2
        and set(node.ops) == {"="}
        and _is_function_name(node.items[0])
        and not any(free_symbols(item) for item in node.items[1:])
    )


def _is_numeric_chain(node: Node) -> bool:
    """`20 - 5 = 15`: an equation chain with no variables."""
    return isinstance(node, Rel) and set(node.ops) == {"="} and not free_symbols(node)


def _same_function(answer: Node, gold: Node) -> bool:
    """`W(x)` and `W(n)`: one function named with different dummy variables."""
    return (
        isinstance(answer, Op)
        and isinstance(gold, Op)
        and _is_function_name(answer)
        and _is_function_name(gold)
        and answer.args[0] == gold.args[0]
    )


def _is_function_name(node: Node) -> bool:
    """`y`, `f(x)`, `f^{-1}(x)`: a left side that names what the right side is."""
    if isinstance(node, Sym):
        return True
    if not (isinstance(node, Op) and node.name == "mul" and len(node.args) == 2):
        return False
    head, argument = node.args
    if (
        isinstance(head, Op)
        and head.name == "pow"
        and head.args[1] == Op("neg", (Num(Fraction(1)),))
    ):
        head = head.args[0]
    return isinstance(head, Sym) and isinstance(argument, Sym)


def _is_assignments(node: Node) -> bool:
    return (
        isinstance(node, Seq)
        and len(node.items) > 1
        and all(
            isinstance(item, Rel) and item.ops == ("=",) and isinstance(item.items[0], Sym)
            for item in node.items
        )
    )


def _compare_assignments(answer: Node, gold: Node, deadline: float) -> tuple[bool, str]:
    assert isinstance(answer, Seq) and isinstance(gold, Seq)
    answer_map = {item.items[0]: item.items[1] for item in answer.items if isinstance(item, Rel)}
    gold_map = {item.items[0]: item.items[1] for item in gold.items if isinstance(item, Rel)}
    if set(answer_map) != set(gold_map) or len(answer_map) != len(answer.items):
        return False, "answer assigns different variables"
    for name, value in gold_map.items():
        if not compare_nodes(answer_map[name], value, deadline)[0]:
            return False, f"wrong value for {name}"
    return True, "same assignments"


def _is_pair(node: Node) -> bool:
    return isinstance(node, Seq) and node.kind == "tuple" and len(node.items) == 2


def _as_rows(node: Node) -> list[tuple[Node, ...]] | None:
    if isinstance(node, Matrix):
        return list(node.rows)
    if isinstance(node, Seq) and node.kind == "tuple":
        return [(item,) for item in node.items]  # a tuple read as a column vector
    return None


def _expand_pm(node: Node) -> list[Node]:
    """`a \\pm b` -> [a + b, a - b]; nodes without ± come back alone."""
    if not (isinstance(node, Op) and _count_pm(node) > 0):
        return [node]
    if _count_pm(node) > MAX_PM_TERMS:
        return [node]
    results: list[Node] = []
    for signs in product((1, -1), repeat=_count_pm(node)):
        results.append(_apply_signs(node, list(signs)))
    return results


def _count_pm(node: Node) -> int:
    if not isinstance(node, Op):
        return 0
    return (node.name == "pm") + sum(_count_pm(arg) for arg in node.args)


def _apply_signs(node: Node, signs: list[int]) -> Node:
    if not isinstance(node, Op):
        return node
    args = tuple(_apply_signs(arg, signs) for arg in node.args)
    if node.name == "pm":
        left, right = args
        right = right if signs.pop(0) > 0 else Op("neg", (right,))
        return Op("add", (left, right))
    return Op(node.name, args)


def _shape(node: Node) -> str:
    if isinstance(node, Interval) or is_interval_like(node):
        return "interval or inequality"
    if isinstance(node, Rel):
        return "relation"
    if isinstance(node, Seq):
        return node.kind
    return type(node).__name__.lower()
