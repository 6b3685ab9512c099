"""Hack guard and size limits: reject answers that try to game the grader, before any parsing.

When in doubt the verdict is incorrect: a false positive on an adversarial answer is the worst
outcome a reward function can have.
"""

from __future__ import annotations

import re

MAX_ANSWER_CHARS = 2000  # a final answer longer than this is not an answer
MAX_GOLD_CHARS = 2000
MAX_PROSE_WORDS = 12  # more words than this, for a non-text gold, is an explanation

_INJECTION = re.compile(
    r"(?i)\b(?:ignore|disregard|forget)\b.{0,40}\b(?:instruction|prompt|rule|above|previous)"
    r"|\b(?:mark|grade|score|count|treat|consider|judge)\b.{0,30}\b(?:correct|right|true|full)"
    r"|\b(?:grader|verifier|evaluator|reward|system\s+prompt|as\s+an?\s+ai)\b"
    r"|\byou\s+(?:must|should|will)\b"
)
_SELF_JUDGEMENT = re.compile(
    r"(?i)^\W*(?:(?:the|this|my)\s+)?(?:answer\s+(?:is\s+)?)?"
    r"(?:correct|right|true|valid|verified|accepted|yes|done)\W*$"
)


def find_hack(answer: str) -> str | None:
    """A reason to reject the extracted answer outright, or None when it may be compared."""
    if not answer.strip():
        return "empty answer"
    if len(answer) > MAX_ANSWER_CHARS:
        return f"answer longer than {MAX_ANSWER_CHARS} characters"
    if _INJECTION.search(answer):
        return "answer addresses the grader instead of giving a value"
    return None


def is_self_judgement(answer: str) -> bool:
    """ "correct", "the answer is right": a claim about correctness, not an answer."""
    return _SELF_JUDGEMENT.match(answer) is not None


def is_prose(answer: str) -> bool:
    """An explanation given where a value belongs (many plain words, few math symbols)."""
    words = re.findall(r"[A-Za-z]{2,}", re.sub(r"\\[A-Za-z]+", " ", answer))
    return len(words) > MAX_PROSE_WORDS
