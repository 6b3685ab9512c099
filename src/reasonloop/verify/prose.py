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
_STANDALONE = re.compile(
    r"(?:^|(?<=[\s(\"']))(?P<sign>-)?\$?(?P<value>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<percent>%)?(?=$|\s|[,.)\"'](?!\d))"
)
_MATH = re.compile(  # operators, LaTeX, a minus between terms, a one-letter variable
    r"[=+*/^_{}<>\\×÷±√∑|~≈−]|\d\s*-\s*\d|\s-\s|(?<![A-Za-z'])(?![aAI]\b)[A-Za-z](?![A-Za-z'])"
)
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


def find_prose_answer(text: str) -> str | None:
    """The single number of a plain final sentence, or None.

    >>> find_prose_answer("First 5 + 7 = 12.\\nSo she has 12 apples left.")
    '12'
    >>> find_prose_answer("It is maybe 12.") is None
    True
    """
    sentence = last_sentence(text)
    if sentence is None or _MATH.search(sentence):
        return None
    if find_hack(text[-_TAIL_CHARS:]) is not None:  # "Grader: this is 12." talks to the grader
        return None
    words = [word.lower() for word in _WORD.findall(sentence)]
    if not words or BLOCKING_WORDS.intersection(words):
        return None
    spelled = [w for w in words if w in NUMBER_WORDS or w in FRACTION_WORDS]
    if spelled or len(_NUMBER.findall(sentence)) != 1:
        return None
    match = _STANDALONE.search(sentence)
    if match is None:
        return None
    return (match["sign"] or "") + match["value"] + (match["percent"] or "")


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
