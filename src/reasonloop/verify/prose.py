"""The last resort of default mode: a final prose sentence that states exactly one number.

"So she has 12 apples left." commits to 12. The rule is narrow on purpose, because a wrong
acceptance is worse than a miss: the response must end with a finished sentence (a period), the
sentence must hold exactly one number (digits or number words) written on its own (not `3rd`,
not `x2`, not `Step 3`), no arithmetic or LaTeX, and none of the words that hedge, qualify,
plan or talk to the grader (`or`, `maybe`, `between`, `more than`, `let's`, `correct`, ...).
Callers use it only when the response has no box, tag, marker, bold or bare last line.
"""

from __future__ import annotations

import re

from reasonloop.verify.guard import find_hack
from reasonloop.verify.units import FRACTION_WORDS, NUMBER_WORDS

MAX_SENTENCE_CHARS = 240
_TAIL_CHARS = 1000
_SENTENCE_BREAK = re.compile(r"[.!?;:](?=\s)|\n")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_STANDALONE = re.compile(  # `[90]`: Geometry3K's prompt asks for the answer in brackets
    r"(?:^|(?<=[\s(\[\"']))(?P<sign>-)?\$?(?P<value>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<percent>%)?(?=$|\s|[,.)\]\"'](?!\d))"
)
_MATH = re.compile(  # operators, LaTeX, a minus between terms, a one-letter variable
    r"[=+*/^_{}<>\\×÷±√∑|~≈−]|\d\s*-\s*\d|\s-\s|(?<![A-Za-z'])(?![aAI]\b)[A-Za-z](?![A-Za-z'])"
)
# `2 1/2 miles`: a mixed number written with a space, followed by the quantity it counts (a
# word); `2 1/2` alone or in a list stays unread here
_MIXED = re.compile(r"(?<![\d.,/])(?P<value>\d{1,9} \d{1,9}/\d{1,9})(?=\s+[A-Za-z])")
_MIXED_STAND_IN = "7"  # stands in for the mixed number while the rest of the rule runs
BLOCKING_WORDS = frozenset(
    """
    or either neither nor maybe perhaps possibly probably likely unlikely might could would
    may approximately about around roughly nearly almost estimate estimated between range
    than least most over under up not no never cannot can't isn't wasn't unless if whether
    guess think believe seems sure unsure depends depending assume assuming suppose
    let let's consider find compute calculate check solve determine verify recheck first next
    step part case question problem option choice item line page round version chapter section
    correct incorrect right wrong true false gold reference expected equivalent matches grader
    answer answers since because given when also
    hundred thousand million billion trillion dozen dozens twice double triple thrice times
    """.split()
)
_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
# `the three given conditions`, `both of the two numbers`: a number word after a determiner
# points back at the question; it is not what the sentence states
_REFERENCE = re.compile(
    r"(?i)\b(?:the|these|those|its|their|all)\s+(?:"
    + "|".join(sorted(set(NUMBER_WORDS) - {"zero"}, key=len, reverse=True))
    + r")\b(?:\s+given\b)?"
)
# `the points that could be in the domain`: a modal inside a relative clause describes the
# subject; it hedges nothing about the value the sentence ends on
_RELATIVE_MODAL = re.compile(r"(?i)\b(that|which|who)\s+(?:could|can|would|might|may)\b")
# one number in words as the whole answer: `So she has twelve apples left.` (`one` is too often
# a pronoun to count)
_SPELLED = re.compile(
    r"(?i)(?<![A-Za-z-])(?P<word>(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|two|three|four|five|six|seven"
    r"|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen"
    r"|nineteen|zero)(?![A-Za-z-])"
)


def find_prose_answer(text: str) -> str | None:
    """The single number of a plain final sentence, or None.

    >>> find_prose_answer("First 5 + 7 = 12.\\nSo she has 12 apples left.")
    '12'
    >>> find_prose_answer("It is maybe 12.") is None
    True
    >>> find_prose_answer("So she walked 2 1/2 miles.")
    '2 1/2'
    """
    sentence = last_sentence(text)
    if sentence is None:
        return None
    mixed = _MIXED.search(sentence)
    if mixed is not None:  # read as the one number of the sentence, in its place
        found = find_prose_answer(
            sentence[: mixed.start()] + _MIXED_STAND_IN + sentence[mixed.end() :] + "."
        )
        return mixed["value"] if found == _MIXED_STAND_IN else None
    if _MATH.search(sentence):
        return None
    if find_hack(text[-_TAIL_CHARS:]) is not None:  # "Grader: this is 12." talks to the grader
        return None
    sentence = _RELATIVE_MODAL.sub(r"\1", _REFERENCE.sub(" ", sentence))
    words = [word.lower() for word in _WORD.findall(sentence)]
    if not words or BLOCKING_WORDS.intersection(words):
        return None
    spelled = [w for w in words if w in NUMBER_WORDS or w in FRACTION_WORDS]
    if spelled and not _NUMBER.search(sentence):
        return _spelled_answer(sentence, spelled)
    if spelled or len(_NUMBER.findall(sentence)) != 1:
        return None
    match = _STANDALONE.search(sentence)
    if match is None:
        return None
    return (match["sign"] or "") + match["value"] + (match["percent"] or "")


def _spelled_answer(sentence: str, spelled: list[str]) -> str | None:
    """The one number a sentence spells out (`twenty-five`), as the words; None otherwise."""
    found = _SPELLED.findall(sentence)
    if len(found) != 1 or len(spelled) != len(found[0].split("-")):
        return None
    return str(found[0]).lower()


def last_sentence(text: str) -> str | None:
    """The final sentence when the response ends with one (a single closing period)."""
    tail = text[-_TAIL_CHARS:].rstrip()
    if not tail.endswith(".") or tail.endswith(".."):
        return None
    body = tail[:-1]
    start = 0
    for match in _SENTENCE_BREAK.finditer(body):
        start = match.end()
    sentence = body[start:].strip()
    if not sentence or len(sentence) > MAX_SENTENCE_CHARS:
        return None
    return sentence
