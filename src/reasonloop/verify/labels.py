"""Answer labels: `#### 18`, `# Answer`, "final answer is", "the answer is", `Answer:`,
`Answer $9$`, and the same phrase in Chinese and MGSM's other languages, with the answer cut out
of what follows the label (`the answer is 42 + 27, which is 69.` states 69; `not 5 but 6` states 6).

The most trusted label present wins, and of that label the last occurrence; the answer runs to
the end of its line (or to the next line after an empty one).
"""

from __future__ import annotations

import re

from reasonloop.verify.boxes import MAX_BOX_CHARS
from reasonloop.verify.prose import find_prose_answer
from reasonloop.verify.statement import DELIMITERS, find_final_math
from reasonloop.verify.units import UNITS

_MARKERS = (  # (source, where the answer starts); the answer runs to the end of that line
    ("####", re.compile(r"####")),
    # PRM800K's answer heading: `# Answer\n\n30` (the line breaks sometimes stored as `\n`)
    ("# Answer", re.compile(r"(?im)^[ \t]*#[ \t]*answer\b(?:[ \t]*\\n)*")),
    ("final answer", re.compile(r"(?i)final\s+answer[*_}]*\s*(?:is|:|=)?\s*:?[*_}]*")),
    (
        "the answer is",
        re.compile(  # not a rate or a count: "2 points/answer = 48", "each answer is worth"
            r"(?i)(?<![/\w])(?<!per\s)(?<!each\s)(?<!every\s)(?<!correct\s)(?<!right\s)"
            r"(?:the\s+)?(?:correct\s+|right\s+)?(?:answer|option|choice)"
            r"(?:\s*\([A-Za-z ]{1,30}\))?"  # zero-shot CoT: `the answer (arabic numerals) is`
            r"\s+(?:is|would\s+be|will\s+be|=)\s*:?"
        ),
    ),
    ("Answer:", re.compile(r"(?i)(?<![a-z0-9])answer[*_}]*\s*[:\uff1a][*_}]*")),
    # a label starting its line and followed by math, no colon: `Answer $9$`, `Answer \(x\)`
    ("Answer", re.compile(r"(?im)^[ \t#>*_]*answer[*_}]*[ \t]+(?=\$|\\[(\[]|\\boxed)")),
    # Chinese `答案是 42`, `最终答案：42` ("the (final) answer is"), not `答案是否` ("whether")
    ("答案", re.compile(r"答案[*_]*(?:是(?!否)|为|[:\uff1a])[*_]*\s*[:\uff1a]?[*_]*")),
    # "The answer is" in the other languages of MGSM's native chain-of-thought prompts (the
    # phrases lm-evaluation-harness's mgsm_native_cot tasks extract the answer after)
    (
        "the answer is (translated)",
        re.compile(
            r"(?i)(?:la\s+r[ée]ponse\s+est|die\s+antwort\s+lautet|la\s+respuesta\s+es"
            r"|ответ\s*[—–-]|答えは|jibu\s+ni|উত্তর\s+হল|సమాధానం|คำตอบคือ)\s*:?"
        ),
    ),
)


# text every match of a marker holds (lowercased): a marker whose needles are all absent is
# not scanned for
# (needles, reach): a match starts at most `reach` characters before its needle
_MARKER_NEEDLES = {
    "####": (("####",), 8),
    "# Answer": (("answer",), 16),
    "final answer": (("final",), 8),
    "the answer is": (("answer", "option", "choice"), 40),  # `the correct answer`
    "Answer:": (("answer",), 8),
    "Answer": (("answer",), 40),  # `> ** Answer`
    "答案": (("答案",), 8),
    "the answer is (translated)": (
        ("réponse", "reponse", "antwort", "respuesta", "ответ", "答えは", "jibu", "উত্তর",
         "సమాధానం", "คำตอบคือ"),
        16,  # `la réponse`
    ),
}  # fmt: skip


# Markup left around a label once the label is matched: `\textbf{Answer:} 8`, `__Answer__: 8`
_ANY_NEEDLE = re.compile(
    "|".join(sorted({re.escape(n) for needles, _ in _MARKER_NEEDLES.values() for n in needles}))
)
_LABEL_MARKUP = re.compile(r"[ \t*_}]*(?::[ \t*_}]*)?")


MAX_BLANK_LINES = 2


_CLAUSE_END = re.compile(  # also a Chinese full stop or comma (`答案是192公斤，因为...`)
    r"\.(?=\s|$)|\s(?:because|since|which|so|as|where|when|if|but|and\s+so)\b|[;!?]|\s{2,}"
    r"|[\u3002\uff0c\uff01\uff1f\uff1b\u0964]"  # and the Bengali and Hindi danda `।`
)


# "42 + 27, which is 79": a clause after the answer that states the final value again
_RESTATEMENT = re.compile(
    r"(?i)(?:,\s*|\s+)(?:which|that)\s+(?:is\s+equal\s+to|equals?|is|gives(?:\s+us)?|makes"
    r"|comes\s+to|results\s+in)\s+(?=[-+$\\(\d.])"
)


_SENTENCE_END = re.compile(r"\.(?=\s|$)|[;!?\n]")


_UNEVALUATED = re.compile(  # arithmetic still to do; a fraction `1/3` is a value
    r"\d\s*(?:[-+*×·÷]|\\(?:times|cdot|div)(?![A-Za-z])|\s(?:times|x)\s)\s*-?\d"
)


# `not 5 but 6`, `not $5$, but rather $6$`: what follows `but` is the answer
_NOT_BUT = re.compile(
    r"(?i)^not\s+(?:\$[^$]{1,80}\$|\\\(.{1,80}?\\\)|[^\s,;$]{1,40})\s*,?\s+but\s+(?:rather\s+)?"
)


_VALUE_WORD = re.compile(r"(?<!\\)\b[A-Za-z]{2,}")


def read_label(text: str) -> tuple[int, str, str] | None:
    """(where the label starts, the answer after it, which label) for the most trusted answer
    label present, or None.

    >>> read_label("so 5 + 7 = 12.\\n#### 12")
    (15, '12', '####')
    """
    lowered = text.lower()
    if not _ANY_NEEDLE.search(lowered):  # no label at all: the common case of many readers
        return None
    aligned = len(lowered) == len(text)  # lowercasing kept every index (almost always)
    for source, pattern in _MARKERS:
        # Every match holds one of the marker's needles, so the last match starts shortly before
        # the last needle: scan from there (plain `rfind`s are far cheaper than the pattern's
        # scan of the whole text), and the whole text only if that finds nothing.
        needles, reach = _MARKER_NEEDLES[source]
        last = lowered.rfind(needles[0])
        for needle in needles[1:]:
            last = max(last, lowered.rfind(needle))
        if last < 0:
            continue
        found = _after_last(pattern, text, max(0, last - reach)) if aligned else None
        found = found or _after_last(pattern, text)
        if found is not None:
            start, rest = found
            return start, _read_sentence(cut_answer(rest)), source
    return None


def _read_sentence(answer: str) -> str:
    """`Final Answer: The largest $n$ is 34.` states 34: a sentence after a marker is read as
    a final sentence (`prose`, `statement`); when neither rule reads it, it stays as written
    (and is graded as an explanation, not a value)."""
    if len(_VALUE_WORD.findall(answer)) < 3:
        return answer
    sentence = answer.rstrip(".") + "."
    found = find_prose_answer(sentence) or find_final_math(sentence)
    return answer if found is None else found


def cut_answer(capture: str) -> str:
    """Trim what follows an answer marker down to the answer itself.

    A rejection is read as one: `the answer is not 5 but 6` states 6.
    """
    text = capture.strip().strip("*").strip()
    text = _NOT_BUT.sub("", text, count=1)
    restated = _restated_value(text)
    if restated is not None:
        return restated
    for left, right in DELIMITERS:
        if text.startswith(left):
            close = find_unescaped(text, right, len(left))
            if close > 0:
                return text[len(left) : close].strip()
    match = _CLAUSE_END.search(text)
    if match is not None:
        text = text[: match.start()]
    return text.strip().strip("*").rstrip(".,:").strip()


def _restated_value(text: str) -> str | None:
    """X of a first sentence `42 + 27, which is X`: the value the answer is last stated as.

    X must look like a value (a number, `$...$`, LaTeX), not words (`which is the total`) or
    more arithmetic (`69, which is 42 + 27` keeps 69).
    """
    end = _SENTENCE_END.search(text)
    sentence = text if end is None else text[: end.start()]
    last = None
    for match in _RESTATEMENT.finditer(sentence):
        last = match
    if last is None:
        return None
    value = cut_answer(text[last.end() :])
    words = _VALUE_WORD.findall(value)
    if not value or _UNEVALUATED.search(value) or not all(w.lower() in UNITS for w in words):
        return None
    return value


def find_unescaped(text: str, target: str, start: int) -> int:
    """Index of `target` at or after start that is not escaped (`\\$` is a dollar sign)."""
    index = text.find(target, start)
    while index > 0 and text[index - 1] == "\\" and target[0] == "$":
        index = text.find(target, index + 1)
    return index


def _after_last(pattern: re.Pattern[str], text: str, start: int = 0) -> tuple[int, str] | None:
    """(start of the last match of `pattern` at or after `start`, the rest of its line), None
    without a match."""
    last = None
    for match in pattern.finditer(text, start):
        last = match
    if last is None:
        return None
    markup = _LABEL_MARKUP.match(text, last.end())  # "\textbf{Answer:} $8$" -> "$8$"
    start = last.end() if markup is None else markup.end()
    line_end = text.find("\n", start)
    rest = text[start : line_end if line_end >= 0 else len(text)]
    for _ in range(MAX_BLANK_LINES + 1):  # "The answer is:\n18", "**Final Answer**\n\n18"
        if rest.strip(" \t*_") or line_end < 0:
            break
        next_end = text.find("\n", line_end + 1)
        rest = text[line_end + 1 : next_end if next_end >= 0 else len(text)]
        line_end = next_end
    return last.start(), _close_display(rest, text, line_end)


def _close_display(rest: str, text: str, line_end: int) -> str:
    """`Answer $$\n 9 \n$$`: a display delimiter left open at the line end runs to its close."""
    opened = rest.strip()
    for left, right in (("$$", "$$"), ("\\[", "\\]")):
        if opened == left and line_end >= 0:
            close = text.find(right, line_end, line_end + MAX_BOX_CHARS)
            if close > 0:
                return left + text[line_end:close] + right
    return rest
