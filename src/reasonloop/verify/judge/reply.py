"""Read a judge's reply strictly: a clear yes, a clear no, or undecided (never correct).

A small model that rambles, hedges, says both, or is cut off has not decided anything, and an
undecided judge leaves the rule's verdict standing.

>>> read_reply("Yes.", "yes-no"), read_reply("Yes, because 1/2 = 0.5", "yes-no")
('yes', 'undecided')
>>> read_reply("The answers match.\\nFinal Decision: No", "final-decision")
'no'
"""

from __future__ import annotations

import re
from typing import Literal

from reasonloop.verify.judge.templates import ReplyStyle

Decision = Literal["yes", "no", "undecided"]
MAX_REPLY_CHARS = 4000  # longer replies are not read at all (bounded work on model output)

_ONE_WORD = re.compile(r"\s*(yes|no)\s*\.?\s*", re.IGNORECASE)
_FINAL_LINE = re.compile(r"\s*final decision\s*:\s*(yes|no)\s*\.?\s*", re.IGNORECASE)
_ANY_DECISION = re.compile(r"final decision\s*:\s*(\w*)", re.IGNORECASE)


def read_reply(reply: str, style: ReplyStyle) -> Decision:
    """The decision a reply states under the template's reply style."""
    if not isinstance(reply, str) or len(reply) > MAX_REPLY_CHARS:
        return "undecided"
    if style == "yes-no":
        return _as_decision(_ONE_WORD.fullmatch(reply))
    return _read_final_decision(reply)


def _read_final_decision(reply: str) -> Decision:
    lines = [line for line in reply.splitlines() if line.strip()]
    if not lines:
        return "undecided"
    decision = _as_decision(_FINAL_LINE.fullmatch(lines[-1]))
    # "Final Decision: Yes ... Final Decision: No" is two answers, i.e. none.
    stated = {word.lower() for word in _ANY_DECISION.findall(reply)}
    return decision if stated == {decision} else "undecided"


def _as_decision(match: re.Match[str] | None) -> Decision:
    if match is None:
        return "undecided"
    return "yes" if match.group(1).lower() == "yes" else "no"
