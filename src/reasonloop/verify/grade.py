"""verify(): one response against one gold answer, bounded in time, never raising."""

from __future__ import annotations

import time

from reasonloop.verify.arithmetic import UNEVALUATED_ARITHMETIC, has_unevaluated_arithmetic
from reasonloop.verify.compare import Comparison, compare_answers
from reasonloop.verify.extract import Extraction, extract
from reasonloop.verify.guard import MAX_GOLD_CHARS, find_hack
from reasonloop.verify.nodes import Op, Seq
from reasonloop.verify.numbers import matches_stated_precision, parse_plain_number
from reasonloop.verify.read import Reading, read_answer, read_gold
from reasonloop.verify.scalars import TOO_LARGE
from reasonloop.verify.verdict import Status, Verdict

DEFAULT_TIMEOUT = 1.0
EQUIVALENCE_TIMEOUT = 0.5
_HEDGE_KINDS = {"boxed": "boxed", "answer tag": "boxed or tagged"}  # source -> what differs


def verify(
    response: str,
    gold: str,
    *,
    mode: str = "default",
    timeout: float = DEFAULT_TIMEOUT,
) -> Verdict:
    """Grade a response against a gold answer.

    Gold and response are not symmetric: the gold is trusted and read exactly (a gold 0.33 means
    33/100), the response is searched for its final answer and held to the precision it states.
    Work is bounded up front (input sizes, integer sizes, nesting); `timeout` is a cooperative
    deadline on top. `verify_batch` adds a killable worker process for the hard cases.
    This is the rule alone; a model judge is composed on top of it by
    `reasonloop.verify.judge.HybridVerifier`, which asks the judge where the rule cannot decide.

    >>> verify("... so the answer is $\\\\boxed{\\\\frac{1}{2}}$.", "0.5").status.value
    'correct'
    """
    deadline = time.monotonic() + max(timeout, 0.0)
    if not isinstance(response, str) or not isinstance(gold, str):
        return Verdict(False, Status.INCORRECT, None, "response and gold must be strings")
    extraction = extract(response, mode)  # raises ValueError on an unknown mode only
    try:
        plain = grade_plain(extraction, gold)
        return plain if plain is not None else grade(extraction, gold, deadline)
    except RecursionError:
        return Verdict(False, Status.INCORRECT, extraction.answer, "answer nested too deeply")
    except Exception as error:  # noqa: BLE001 - the contract is a verdict for any input
        reason = f"verifier error on this input ({type(error).__name__}); graded incorrect"
        return Verdict(False, Status.INCORRECT, extraction.answer, reason)


def grade(extraction: Extraction, gold: str, deadline: float) -> Verdict:
    """Grade an already extracted answer (the part of verify() that runs in workers too)."""
    gold_reading = read_gold(gold)
    if gold_reading is None:
        reason = "gold is empty" if not gold.strip() else "gold could not be parsed"
        if len(gold) > MAX_GOLD_CHARS:
            reason = f"gold longer than {MAX_GOLD_CHARS} characters"
        return Verdict(False, Status.UNPARSEABLE_GOLD, extraction.answer, reason)
    answer = extraction.answer
    if answer is None:
        return Verdict(False, Status.NO_ANSWER, None, _no_answer_reason(extraction))
    several = tuple(dict.fromkeys(extraction.boxes))
    if len(several) > 1 and expects_several(gold_reading):
        # `\boxed{(2,2)} and \boxed{(6,2)}` for a gold list of two pairs: one answer in parts
        answer = ", ".join(several)
    hack = find_hack(answer)
    if hack is not None:
        return Verdict(False, Status.INCORRECT, answer, hack)
    hedge = None if answer != extraction.answer else find_hedge(extraction, deadline)
    if hedge is not None:
        return Verdict(False, Status.INCORRECT, answer, hedge)
    reading = read_answer(answer)
    if is_unevaluated(reading, gold_reading):
        return Verdict(False, Status.INCORRECT, answer, UNEVALUATED_ARITHMETIC)
    outcome = compare_answers(reading, gold_reading, deadline)
    return to_verdict(outcome, answer)


def _no_answer_reason(extraction: Extraction) -> str:
    if extraction.source == "placeholder box":
        return "no final answer found (only empty or placeholder boxes)"
    if extraction.source == "rejected answer":
        return "no final answer found (the response calls its own answer wrong)"
    return "no final answer found"


def is_unevaluated(answer: Reading, gold: Reading) -> bool:
    """`12 + 99` for a gold `111`: arithmetic the gold does not leave undone (a reward hack)."""
    return has_unevaluated_arithmetic(answer) and not has_unevaluated_arithmetic(gold)


def expects_several(gold: Reading) -> bool:
    """A gold of several values (`1, 2, 3`, `(2, 2), (6, 2)`, `\\pm 3`), not one value or one
    tuple."""
    node = gold.node
    if isinstance(node, Op) and node.name == "pm":
        return True
    return isinstance(node, Seq) and node.kind != "tuple" and len(node.items) > 1


def find_hedge(extraction: Extraction, deadline: float) -> str | None:
    """Different values in the final statement are a hedge: the one place this is decided.

    Every extraction path hands over its final statement (boxes, tags, answer lines, and the
    values offered right after a label's, a box's or a sentence's answer: `Answer $12$ or
    $13$`); repeats are fine, and so are boxes of earlier statements and answers the response
    rejects itself (see `commitment`).
    """
    boxes = extraction.boxes
    if len(set(boxes)) < 2:
        return None
    last = read_answer(boxes[-1])
    for box in set(boxes[:-1]):
        if box == boxes[-1]:
            continue
        outcome = compare_answers(read_answer(box), last, deadline)
        if not outcome.equal:
            kind = _HEDGE_KINDS.get(extraction.source, "final")
            if outcome.reason == TOO_LARGE:  # not proven different, but not one answer either
                return f"several {kind} answers too large to compare exactly"
            return f"several different {kind} answers"
    return None


def to_verdict(outcome: Comparison, answer: str) -> Verdict:
    if outcome.timed_out:
        return Verdict(False, Status.TIMEOUT, answer, outcome.reason)
    status = Status.CORRECT if outcome.equal else Status.INCORRECT
    return Verdict(outcome.equal, status, answer, outcome.reason)


def is_equivalent(answer: str, gold: str) -> bool:
    """Whether two already extracted answers agree; fast, never raises (for maj@k voting).

    `gold` is the reference side: a decimal in `answer` is held to the digits it states, so
    is_equivalent("0.3333", "1/3") is True but is_equivalent("1/3", "0.3333") is False.

    >>> is_equivalent("\\\\frac{1}{2}", "0.5")
    True
    """
    try:
        if not isinstance(answer, str) or not isinstance(gold, str):
            return False
        gold_reading = read_gold(gold)
        if gold_reading is None:
            return bool(gold.strip()) and answer.strip() == gold.strip()
        if find_hack(answer) is not None:
            return False
        reading = read_answer(answer)
        if is_unevaluated(reading, gold_reading):
            return False
        deadline = time.monotonic() + EQUIVALENCE_TIMEOUT
        return compare_answers(reading, gold_reading, deadline).equal
    except (RecursionError, ValueError, ArithmeticError, MemoryError):
        return False


def verify_plain(response: str, gold: str, mode: str) -> Verdict | None:
    """The fast path: a plain-number gold and a plain-number answer; None for anything else."""
    if not isinstance(response, str) or not isinstance(gold, str):
        return None
    if parse_plain_number(gold.strip()) is None:
        return None
    return grade_plain(extract(response, mode), gold)


def grade_plain(extraction: Extraction, gold: str) -> Verdict | None:
    """Grade a plain-number answer against a plain-number gold with no parsing at all."""
    gold_number = parse_plain_number(gold.strip())
    if gold_number is None:
        return None
    answer = extraction.answer
    if answer is None:
        return Verdict(False, Status.NO_ANSWER, None, _no_answer_reason(extraction))
    answer_number = parse_plain_number(answer.strip().rstrip("."))
    if answer_number is None or len(set(extraction.boxes)) > 1:
        return None
    if answer_number.value == gold_number.value:
        return Verdict(True, Status.CORRECT, answer, "equal value")
    digits = answer_number.digits
    if digits is not None and matches_stated_precision(
        gold_number.value, answer_number.value, digits
    ):
        reason = f"equal at the {digits} significant digits the answer states"
        return Verdict(True, Status.CORRECT, answer, reason)
    return Verdict(False, Status.INCORRECT, answer, "different value")
