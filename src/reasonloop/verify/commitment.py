"""Which of several boxed or tagged answers a response commits to.

A response may box values on the way (`Step 1 gives \\boxed{12}`), correct itself (`First I got
\\boxed{5}. Wait ... Final answer: \\boxed{7}`) or leave placeholder boxes from the problem
(`\\boxed{\\phantom{2}}`). Only the final statement is graded: the last box or tag, together with
every other box or tag of the same statement. Grading the last commitment alone already gives a
hedging policy nothing to gain; several different values *in the final statement* (`\\boxed{3}
or \\boxed{4}`, `\\boxed{3}\\n\\boxed{4}`, `... Maybe \\boxed{20}` after `\\boxed{19}?`) are a
hedge and graded incorrect by the caller.

Every extraction path (tags, boxes, answer labels with or without math, QA lines, bold, the last
line or sentence, bare answers, equation chains) hands its final statement through here: the
values given with the committed one (`final_statement` before it, `offered_after` after it,
`Answer $12$ or $13$`, `\\boxed{12}, or maybe 13`), less the ones the response itself rejects
(`drop_rejected`: `$\\boxed{5}$ would be wrong; ... $\\boxed{6}$`). The one rule that says
several different values are a hedge is `grade.find_hedge`; it reads only what this module kept.
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


MAX_OFFERED = 8  # alternatives read after the committed answer; one different value is enough
_OFFER_WINDOW = 300  # characters after the answer searched for an alternative
# words that keep another value in play when they stand between it and the committed answer
_OFFER_WORDS = frozenset(
    "or maybe perhaps possibly alternatively otherwise either might could probably".split()
)
_JOINERS = frozenset({"and", "&", ",", "/", ";"})  # `$12$ and $13$`, `$12$, $13$`, `12/13`
MAX_OFFER_GAP_WORDS = 6  # `, or it could also be 13`; more words are a new thought
# a value offered after the answer: a box, a math span with a digit, or `x = -3` / `13`
_OFFERED = re.compile(
    r"\\(?:boxed|fbox)\s*\{(?P<box>[^{}]{0,200}(?:\{[^{}]{0,200}\}[^{}]{0,200})*)\}"
    r"|\$(?P<math>[^$]{0,200}?\d[^$]{0,200}?)\$"
    r"|\\\((?P<paren>.{0,200}?\d.{0,200}?)\\\)"
    r"|(?<![\w.])(?P<plain>(?:[A-Za-z]\s*=\s*)?[-(]?\d[^\s,;$]*(?:\s*[-+*/^]\s*[\w.()^{}\\]+)*)"
)
_GAP_MARKUP = re.compile(r"\$|\\[()\[\]]|\\text\s*\{|[{}*_()\s]|\\[,;: ]|\\q?quad")
_GAP_WORD = re.compile(r"[A-Za-z]+|[&,/;]")
# after an earlier answer: the response says it was wrong (`$\\boxed{5}$ would be wrong`)
_REJECTED_AFTER = re.compile(
    r"(?i)^[\s$)}\\\].,]{0,6}(?:(?:which|that|this|it)\s+)?"
    r"(?:is|was|would\s+be|seems|must\s+be|looks)\s+(?:wrong|incorrect|not\s+(?:right|correct"
    r"|the\s+(?:final\s+)?answer|possible|valid))\b"
    r"|^[\s$)}\\\].,]{0,6}(?:can't|cannot|can\s+not|couldn't)\s+be\s+(?:right|correct|the\s+answer)"
)
# before an answer: the response denies it (`not $\\boxed{5}$ but`, `can't be $5$`)
_REJECTED_BEFORE = re.compile(
    r"(?i)(?:\bnot|\bisn't|\bcan't\s+be|\bcannot\s+be|\brather\s+than|\binstead\s+of)"
    r"[\s$(\\\[]{0,4}$"
)
# a denial that affirms (`is not wrong`): left alone, so both values stay in the statement
_DOUBLE_DENIAL = re.compile(r"(?i)not\s+(?:wrong|incorrect)")


def offered_after(text: str, end: int) -> tuple[str, ...]:
    """Values offered after the committed answer (which ends at `end`) as alternatives to it.

    `Answer $12$ or $13$`, `\\boxed{12}, or maybe 13`, `... 12.\nOr maybe 13.`: a value right
    after the answer, joined to it by an alternative word or by a bare `and` / comma. Anything
    else after the answer (`, which is 12`, `because 5 + 7 = 12`) offers nothing.

    >>> offered_after("Answer $12$ or $13$ or $14$", 10)
    ('13', '14')
    >>> offered_after("Answer 12 because 5 + 7 = 12", 9)
    ()
    """
    window = text[end : end + _OFFER_WINDOW]
    offered: list[str] = []
    position = 0
    while len(offered) < MAX_OFFERED:
        found = _OFFERED.search(window, position)
        if found is None or not _is_offer_gap(window[position : found.start()]):
            break
        value = next(group for group in found.groups() if group is not None).strip().rstrip(".")
        offered.append(value)
        position = found.end()
    return tuple(offered)


def _is_offer_gap(gap: str) -> bool:
    words = [word.lower() for word in _GAP_WORD.findall(_GAP_MARKUP.sub(" ", gap))]
    if not words or _DOUBLE_DENIAL.search(gap) or "not" in words:
        return False
    if _OFFER_WORDS.intersection(words):
        return len(words) <= MAX_OFFER_GAP_WORDS
    # a bare joiner: `$12$ and $13$`, `$12$, $13$`, within one sentence
    return set(words) <= _JOINERS and "\n" not in gap and ". " not in gap


def drop_rejected(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The answers the response does not reject in its own words.

    `$\\boxed{5}$ would be wrong; the answer is $\\boxed{6}$` commits to 6, and so does
    `the answer is not $\\boxed{5}$ but $\\boxed{6}$`; an answer is rejected by what follows it
    in its clause (`is wrong`, `is not correct`, `can't be right`) or by a denial right before
    it (`not`, `can't be`, `rather than`). A denial that affirms (`is not wrong`) rejects nothing.

    >>> drop_rejected("$\\boxed{5}$ is wrong, so $\\boxed{6}$", [(1, 11, "5"), (27, 37, "6")])
    [(27, 37, '6')]
    """
    kept = []
    for index, (start, end, answer) in enumerate(spans):
        after = text[end : spans[index + 1][0] if index + 1 < len(spans) else end + 80]
        before = text[max(0, start - 20) : start]
        if _DOUBLE_DENIAL.search(after[:40]):
            kept.append((start, end, answer))
        elif _REJECTED_AFTER.match(after) or _REJECTED_BEFORE.search(before):
            continue
        else:
            kept.append((start, end, answer))
    return kept


# after the committed answer: the response calls it wrong (`The answer is 5. Wait, 5 is wrong.`,
# `\\boxed{5}. Hmm, that can't be right.`); a pronoun or the answer itself is the subject
_REJECTS_IT = re.compile(
    r"(?i)\b(?:that|this|it|which)(?:'s|\s+is|\s+was|\s+would\s+be|\s+seems|\s+must\s+be)\s+"
    r"(?:wrong|incorrect|not\s+(?:right|correct|the\s+(?:final\s+)?answer))\b"
    r"|\b(?:that|this|it)\s+(?:can't|cannot|can\s+not|couldn't)\s+be\s+(?:right|correct)\b"
)
# the same with the answer as the subject; the value before the verb is compared with the answer
_REJECTED_VALUE = re.compile(
    r"(?i)(?<![\w.])\$?(?P<value>[^\s$]{1,40}?)\$?\s+(?:(?:is|was|would\s+be|seems|must\s+be)\s+"
    r"(?:wrong|incorrect|not\s+(?:right|correct|the\s+(?:final\s+)?answer))"
    r"|(?:can't|cannot|can\s+not)\s+be\s+(?:right|correct))\b"
)
_REJECTION_WORDS = ("wrong", "incorrect", "not", "can't", "cannot")  # one must be in the tail


def rejects_own_answer(text: str, end: int, answer: str) -> bool:
    """Whether the response, after its committed answer (ending at `end`), calls that answer
    wrong: `The answer is 5. Wait, 5 is wrong; it is 6.` commits to nothing it stands by. A
    denial that affirms (`that is not wrong`) rejects nothing.

    >>> rejects_own_answer("The answer is 5. Hmm, that can't be right.", 15, "5")
    True
    >>> rejects_own_answer("The answer is 5. Option 4 is wrong.", 15, "5")
    False
    """
    tail = text[end : end + _OFFER_WINDOW]
    lowered = tail.lower()
    if not any(word in lowered for word in _REJECTION_WORDS):  # the common case: a plain end
        return False
    if _DOUBLE_DENIAL.search(tail):
        return False
    if _REJECTS_IT.search(tail):
        return True
    value = answer.strip()
    return any(found["value"] == value for found in _REJECTED_VALUE.finditer(tail))
