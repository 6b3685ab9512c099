"""Which of several boxed or tagged answers a response commits to.

A response may box values on the way (`Step 1 gives \\boxed{12}`), correct itself (`First I got
\\boxed{5}. Wait ... Final answer: \\boxed{7}`) or leave placeholder boxes from the problem
(`\\boxed{\\phantom{2}}`). Only the final statement is graded: the last box or tag, together with
every other box or tag of the same statement. Grading the last commitment alone already gives a
hedging policy nothing to gain; several different values *in the final statement* (`\\boxed{3}
or \\boxed{4}`, `\\boxed{3}\\n\\boxed{4}`, `... Maybe \\boxed{20}` after `\\boxed{19}?`) are a
hedge and graded incorrect by the caller.
"""

from __future__ import annotations

import re

# What a placeholder box holds: nothing, spacing, phantoms, a square, a question mark, dots.
_PLACEHOLDER_PART = re.compile(
    r"\s+|\\[hv]?phantom\s*\{[^{}]*\}|\\q?quad(?![A-Za-z])|\\[,;:! ]|~|\\(?:square|Box|"
    r"blacksquare|ldots|cdots|dots|underline\s*\{\s*\}|_)(?![A-Za-z])|[?_.]|\\text\s*\{\s*\}"
    r"|\{\s*\}"
)
# Between two answers, a new statement has begun when a sentence ended or a line broke (a
# question mark does not end a commitment: `\\boxed{18}? No, \\boxed{19}?` is still hedging) and
# real words were written; boxes separated by nothing but markup are one statement.
_STATEMENT_BREAK = re.compile(r"\.(?=\s)|\n|</think>", re.IGNORECASE)
# a word of prose: two letters or more, not the name of a LaTeX command (`\\frac`)
PROSE_WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,}")
# A final sentence offering its answer as an alternative keeps the earlier one in play.
_ALTERNATIVE = re.compile(
    r"(?i)\b(?:or|maybe|perhaps|possibly|alternatively|otherwise|either|might|could)\b"
)


def is_placeholder(content: str) -> bool:
    """An empty or placeholder box (`\\boxed{}`, `\\boxed{\\quad}`, `\\boxed{\\phantom{2}}`).

    >>> is_placeholder("\\\\phantom{2}"), is_placeholder("4")
    (True, False)
    """
    return not _PLACEHOLDER_PART.sub("", content)


def final_statement(text: str, spans: list[tuple[int, int, str]]) -> tuple[str, ...]:
    """The answers of the final statement, in order; the last one is the committed answer.

    `spans` are (start, end, answer) in text order, at least one.

    >>> final_statement("a \\\\boxed{5}. Wait, no. So \\\\boxed{7}", [(2, 12, "5"), (25, 35, "7")])
    ('7',)
    """
    kept = [spans[-1]]
    last_start = spans[-1][0]
    breaks = [match.end() for match in _STATEMENT_BREAK.finditer(text, 0, last_start)]
    opening = text[breaks[-1] if breaks else 0 : last_start]
    offers_alternative = _ALTERNATIVE.search(opening) is not None
    for span in reversed(spans[:-1]):
        between = text[span[1] : kept[-1][0]]
        separated = _STATEMENT_BREAK.search(between) and PROSE_WORD.search(between)
        if separated and not offers_alternative:
            break
        kept.append(span)
        offers_alternative = False  # only the final sentence's own wording reaches back once
    return tuple(answer for _, _, answer in reversed(kept))
