"""Which rule verdicts may reach the judge: only those the rule could not decide.

The rule decides first. The judge is asked only when an answer was extracted, passed the hack
guard, and could not be read or compared by the rule (unsupported notation, a text answer, a
gold the rule cannot read). It is never asked when the rule accepted the answer, proved it
different (both sides read as values), found no answer, ran out of time, saw hedging, or when
the guard rejected the answer. Stricter than sending every rule-negative to the model: a policy
that games the judge has to do it with something that still looks like an answer (see
`screen.py` for the second filter, on the answer's form).
"""

from __future__ import annotations

from dataclasses import dataclass

from reasonloop.verify.extract import extract
from reasonloop.verify.guard import MAX_GOLD_CHARS, find_hack, is_prose, is_self_judgement
from reasonloop.verify.read import Reading, read_answer, read_gold
from reasonloop.verify.verdict import Status, Verdict


@dataclass(frozen=True)
class Gate:
    """Whether the judge may be asked, and why (or why not)."""

    open: bool
    reason: str


def open_gate(response: str, gold: str, verdict: Verdict, mode: str = "default") -> Gate:
    """Decide whether `verdict` (the rule's, for this response and gold) may go to the judge.

    >>> from reasonloop.verify import verify
    >>> open_gate("\\\\boxed{41}", "42", verify("\\\\boxed{41}", "42")).open
    False
    >>> open_gate("\\\\boxed{XII}", "12", verify("\\\\boxed{XII}", "12")).open
    True
    """
    closed = _closed_by_status(verdict)
    if closed is not None:
        return Gate(False, closed)
    answer = verdict.answer
    if answer is None or not answer.strip():
        return Gate(False, "no answer was extracted")
    # The common rule-negative first (two numbers that differ), so it costs two cached reads.
    gold_reading = read_gold(gold)
    if gold_reading is not None and _is_value(gold_reading) and _is_value(read_answer(answer)):
        return Gate(False, "the rule compared two values and found them different")
    hack = find_hack(answer)
    if hack is not None:
        return Gate(False, f"the hack guard rejected the answer ({hack})")
    if is_self_judgement(answer) or is_prose(answer):
        return Gate(False, "the answer is a claim or an explanation, not a value")
    if len(set(extract(response, mode).boxes)) > 1:
        return Gate(False, "several different boxed answers (hedging is the rule's to refuse)")
    if verdict.status is Status.UNPARSEABLE_GOLD:
        if not gold.strip() or len(gold) > MAX_GOLD_CHARS:
            return Gate(False, "the gold is empty or too long")
        return Gate(True, "the rule could not read the gold")
    if gold_reading is None:  # the rule's verdict and the gold disagree; do not guess
        return Gate(False, "the gold could not be read")
    return Gate(True, f"the rule could not compare: {verdict.reason}")


def _closed_by_status(verdict: Verdict) -> str | None:
    if verdict.status is Status.CORRECT:
        return "the rule accepted the answer"
    if verdict.status is Status.NO_ANSWER:
        return "no answer was extracted"
    if verdict.status is Status.TIMEOUT:
        return "the rule ran out of time (size is not the judge's to settle)"
    return None


def _is_value(reading: Reading) -> bool:
    """Read as math (a number, an expression, a choice letter), not as words or nothing."""
    return any(x is not None for x in (reading.number, reading.node, reading.choice))
