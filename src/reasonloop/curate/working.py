"""Does a rationale show its working, or only restate the answer it was given?

A hinted model often writes "The answer is 72." and some filler: verified correct, but it
teaches nothing except to state a number. A rationale is kept only when it computes the
answer: some arithmetic step in it (`48 / 2 = 24`, `48 + 24 = 72`, GSM8K's `<<48+24=72>>`)
is right and its result is the gold. For a gold that is not a plain number, some working
(an equation) must come before the gold is first stated.

Model text is untrusted: the steps are read by a regular expression over plain numbers and
the four operations and computed exactly with fractions, bounded in length; nothing is
evaluated as code.
"""

from __future__ import annotations

import re
from fractions import Fraction

HINT_WORDS = ("hint",)
TALKS_ABOUT_HINT = "talks about the hint"
NO_WORKING = "no working: no arithmetic step computes the answer"

_NUMBER = r"\$?(?:\d[\d,]{0,15}(?:\.\d{1,8})?|\.\d{1,8})"
_OPERATOR = r"[-−+*/x×÷]"
# a op b [op c ...] = r, numbers only; at most 8 operands keeps every step small.
_STEP = re.compile(
    rf"(?<![\w.])({_NUMBER}(?:\s{{0,3}}{_OPERATOR}\s{{0,3}}{_NUMBER}){{1,7}})"
    rf"\s{{0,3}}=\s{{0,3}}({_NUMBER})(?!\d|\.\d)"
)
_TOKEN = re.compile(rf"{_NUMBER}|{_OPERATOR}")
_PLAIN_GOLD = re.compile(rf"-?{_NUMBER}")


def screen_rationale(response: str, gold: str) -> str | None:
    """Why a verified rationale should not be trained on, or None to keep it.

    >>> screen_rationale("The answer is 72. I can't hold a coin in my hand.", "72")
    'no working: no arithmetic step computes the answer'
    >>> screen_rationale("She sold 48 / 2 = 24 in May, 48 + 24 = 72 in all. #### 72", "72")
    """
    if any(word in response.lower() for word in HINT_WORDS):
        return TALKS_ABOUT_HINT
    text = response[:20_000]  # a bound on the work a long response can cause
    target = _number(gold.strip()) if _PLAIN_GOLD.fullmatch(gold.strip()) else None
    if target is not None:
        return None if target in correct_results(text) else NO_WORKING
    first = text.find(gold.strip())
    working = text[:first] if first >= 0 else text
    return None if "=" in working else NO_WORKING


def correct_results(text: str) -> set[Fraction]:
    """The results of the arithmetic steps in `text` that are right.

    >>> sorted(correct_results("12 * 4 = 48 and 2 + 2 = 5"))
    [Fraction(48, 1)]
    """
    results: set[Fraction] = set()
    for match in _STEP.finditer(text):
        value = _compute(match.group(1))
        result = _number(match.group(2))
        if value is not None and value == result:
            results.add(result)
    return results


def _compute(expression: str) -> Fraction | None:
    """`a op b op c ...` with * and / before + and -; None on division by zero."""
    tokens = _TOKEN.findall(expression)
    terms: list[Fraction] = [_number(tokens[0])]
    signs: list[int] = [1]
    for operator, operand in zip(tokens[1::2], tokens[2::2], strict=True):
        value = _number(operand)
        if operator in "+-−":
            terms.append(value)
            signs.append(1 if operator == "+" else -1)
        elif operator in "*x×":
            terms[-1] *= value
        elif value == 0:
            return None
        else:
            terms[-1] /= value
    return sum((sign * term for sign, term in zip(signs, terms, strict=True)), Fraction(0))


def _number(text: str) -> Fraction:
    return Fraction(text.replace("$", "").replace(",", ""))
