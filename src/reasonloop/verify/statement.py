"""Answers written without a box or an answer phrase, read the way a person reads them.

Default mode falls back to these, in this order, when a response has no tag, box or marker:

- a QA-style answer line, as few-shot `Q: ... A: ...` prompting produces: `... 3+15=18.\\nA: 18`;
- the whole response when it is nothing but an answer: `\\frac{1}{3}`, `$x = 11$`, `[0, 1)`;
- a final sentence whose answer sits in math delimiters: `The probability is $\\frac{1}{2}$.`;
- a final equation chain, which states its last value: `72 + 79 = 151.`.

Each rule is narrow, because a wrong acceptance is worse than a miss: a value must be there
(a digit or a constant, never a lone symbol or a word), the prose around it must not hedge,
plan or talk to the grader, and an answer line followed by other option lines is a list of
options, not an answer. The comparison still checks what is extracted: a chain that does not
add up (`160 + 21 = 371`) is incorrect, and so is arithmetic left undone.
"""

from __future__ import annotations

import re

from reasonloop.verify.cjk import HAN
from reasonloop.verify.commitment import PROSE_WORD
from reasonloop.verify.guard import find_hack
from reasonloop.verify.normalize import GLUED_OR
from reasonloop.verify.prose import BLOCKING_WORDS, find_prose_answer
from reasonloop.verify.units import UNITS, strip_units

MAX_WHOLE_CHARS = 120  # a longer response is not "only the answer"
MAX_SYMBOLIC_CHARS = 60  # a whole response without a number: `\text{odd}`, `x = y`, `(C)`
_TAIL_CHARS = 1000
MAX_SENTENCE_CHARS = 400
MAX_QA_WORDS = 2  # `A: 18 apples`, `A: 3 or 4`; `A: Tom has 3 apples` is reasoning

# `A: 18` at the start of a line (`Q:`/`A:` few-shot format), optionally quoted or bolded
_QA_LINE = re.compile(r"(?m)^[ \t>*_]*A[ \t]*[*_]*[:\uff1a][*_]*[ \t]*(?P<rest>[^\n]*)$")
_OPTION_LINE = re.compile(r"(?m)^[ \t>*_]*\(?[B-E][ \t]*[):\uff1a.]")
# a value: a digit, or a constant with no digits (`\pi`, `\infty`, the empty set)
_VALUE = re.compile(r"\d|\\(?:pi|infty|emptyset|varnothing)(?![A-Za-z])|[\u03c0\u221e\u2205]")
_TEXT_COMMAND = re.compile(r"\\text\s*\{([^{}]*)\}")
_TEXT_STYLE = re.compile(r"\\(?:textbf|textit|textrm|mathrm|mathbf|mathit|mbox)\s*\{")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")
_ENVIRONMENT = re.compile(r"\\(?:begin|end)\s*\{[A-Za-z]{1,12}\*?\}")
# words a short whole response may not hold: the prose rule's hedges and talk (`odd or even`,
# `no answer here`), less the ones that are answers on their own (`no`, `neither`, `true`)
_NOT_AN_ANSWER = BLOCKING_WORDS - frozenset({"no", "neither", "true", "false"})
_MATH_WORDS = frozenset("or and pi sqrt inf infty infinity".split())
_PARENTHESIS = re.compile(r"\s*\([A-Za-z ]{1,30}\)$")
_RUN = re.compile(r"\.\.\.|\\[lc]?dots(?![A-Za-z])|\u2026")
DELIMITERS = (("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$"))  # math, longest first
# a sentence ends at a period or a line break, and also where a concluding word opens a new
# one without the period (`P(A) = 2/3 Therefore, the probability is 2/3.`)
_SENTENCE_BREAK = re.compile(r"[.!?;:](?=\s)|\n|\s(?=(?:So|Therefore|Thus|Hence),?\s)")
_DISPLAY_END = re.compile(r"\$\$|\\\]")
# `$...$` is math only when its content does not start or end with a space (unless it holds a
# LaTeX command, a brace or `=`) and the closing dollar is not followed by a digit: `$5 and $3`
# is two prices, not math.
_MATH_SPAN = re.compile(
    r"\$\$(?P<display>[^$]{1,400}?)\$\$"
    r"|\\\((?P<paren>.{1,400}?)\\\)"
    r"|\\\[(?P<bracket>.{1,400}?)\\\]"
    r"|(?<![\\$])\$(?P<inline>[^\s$](?:[^$]{0,398}[^\s$\\])?)\$(?![\d$])"
    r"|(?<![\\$])\$(?P<spaced>\s[^$]{0,398}?[\\{=][^$]{0,398}?)\$(?![\d$])",
    re.DOTALL,
)
# `... which is 1,000.99€`, `... it's 1,000.99m²`: a last clause naming the value, a unit after
_RESTATED_ENDING = re.compile(
    r"(?i)(?:\bwhich\s+is|\bit(?:'s|\s+is))\s+"
    r"(?P<value>-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)"
    r"\s*(?:[€$£]|(?P<unit>[A-Za-z]{1,12})(?:[²³]|\^[23])?)?\.?$"  # `m²` folds to `m^2`
)
# between the roots of a final sentence: `$x = 3$ and $x = -3$`, `$3$, or $-3$`
_ROOT_JOIN = re.compile(r"\s*(?:,|,?\s*(?:and|or))\s*")
# `So x = 3 or x = -3.`: plain roots joined by `and`/`or`/commas ending the final sentence
_PLAIN_ROOT = r"(?:[a-z]\s*=\s*)?[-+]?\d+(?:\.\d+)?"
_PLAIN_ROOTS = re.compile(
    rf"(?<![\w=+\-*/^.]){_PLAIN_ROOT}(?:\s*(?:,|,?\s*(?:and|or))\s*{_PLAIN_ROOT})+\s*$"
)
# `90 + 44 equals 134.`: the word for `=` between numbers
_EQUALS_WORD = re.compile(r"(?<=\d)\s+(?:equals|is\s+equal\s+to)\s+(?=[-$(]?\d)")
_DENIALS = frozenset({"not", "no", "isn't"})
# closing words after the answer that state nothing (Minerva-style prompts end with it)
_CLOSING = re.compile(r"(?i)\s*I\s+hope\s+(?:it|this)\s+is\s+correct\W*$")
# words that conclude rather than plan once the value is typeset: `We find that $x < 3$.`,
# `Thus $x \le 2$ is our answer.`
CONCLUDING_WORDS = frozenset({"find", "answer", "solve", "determine", "compute", "calculate"})
_NUMBER_TOKEN = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:/\d+)?")
_FRACTION = re.compile(r"-?\d+/\d+")
_EXTRA_BLOCKING = frozenset(
    """
    need needs want try trying substitute substituting plug plugging set denote define defined
    call recall note use using start begin rewrite write suppose assume expect expected
    """.split()
)
# an arithmetic chain in plain text: `72 + 79 = 151`, `$5 + $3 = $8`, `48/2 = 24`
_OPERATOR = r"(?:[-+*/\u00d7\u00f7]|\\(?:times|div|cdot)(?![A-Za-z]))"  # `×` folded is `\times`
_CHAIN = re.compile(
    r"(?P<chain>(?:[-($]*\d[\d,]*(?:\.\d+)?%?\)*\s*" + _OPERATOR + r"\s*)*[-($]*\d[\d,]*"
    r"(?:\.\d+)?%?\)*(?:\s*=\s*[-($]*\d[\d,]*(?:\.\d+)?%?\)*"
    r"(?:\s*" + _OPERATOR + r"\s*[-($]*\d[\d,]*(?:\.\d+)?%?\)*)*)+)"
    r"(?P<tail>(?:\s+[A-Za-z]+){0,2})$"
)


def find_restated_ending(text: str) -> str | None:
    """The value of a one-line reply ending `... which is X` or `... it's X` (a unit may follow).

    `the number is not 10 which is 1,000.99€` states 1000.99: the last clause names the value
    the reply settles on. Only a short single line of plain words qualifies, without math or
    a hedge (`or`, `maybe`, ...); `not` is allowed, since what is denied comes before the end.

    >>> find_restated_ending("not it's not 10 it's 1,000.99m²")
    '1,000.99'
    """
    line = text.strip()
    if "\n" in line or len(line) > MAX_WHOLE_CHARS:
        return None
    match = _RESTATED_ENDING.search(line)
    if match is None or (match["unit"] and match["unit"].lower() not in UNITS):
        return None
    prose = line[: match.start()]
    words = [word.lower() for word in re.findall(r"[A-Za-z]+(?:'[a-z]+)?", prose)]
    if (BLOCKING_WORDS - _DENIALS).intersection(words) or re.search(r"[=+*/^\\{}<>?]", prose):
        return None
    return None if find_hack(line) is not None else match["value"]


def find_qa_answer(text: str) -> tuple[str, tuple[str, ...]] | None:
    """The value of the last `A:` line and the values of the answer lines just before it.

    Several answer lines at the end with different values are a hedge; the caller grades
    them as one statement.

    >>> find_qa_answer("so 3+15=18.\\nA: 18")
    ('18', ('18',))
    """
    tail = text[-_TAIL_CHARS:]
    lines = list(_QA_LINE.finditer(tail))
    for index in range(len(lines) - 1, -1, -1):
        value = _short_value(lines[index]["rest"])
        if value is None:
            continue
        if _OPTION_LINE.search(tail, lines[index].end()):
            return None  # `A: 5\nB: 6\nC: 7` lists options
        values, current = [value], lines[index]
        for earlier in reversed(lines[:index]):  # answer lines right before this one
            previous = _short_value(earlier["rest"])
            if previous is None or tail[earlier.end() : current.start()].strip():
                break
            values.insert(0, previous)
            current = earlier
        return value, tuple(values)
    return None


def find_whole_answer(text: str) -> str | None:
    """The response itself when it is one short line holding only an answer.

    >>> find_whole_answer("$x = 11$"), find_whole_answer("correct")
    ('x = 11', None)
    """
    line = text.strip()
    if len(line) > MAX_WHOLE_CHARS:
        return None
    answer = _unwrap(line.rstrip(".").strip())
    if answer != line.rstrip(".").strip():  # typeset as math on purpose: `$odd$`, `$$f(y) = y$$`
        return answer if re.search(r"[A-Za-z0-9]", answer) else None
    if "\n" in line or not answer:
        return None
    return answer if _is_value_text(answer) or _is_symbolic_text(answer) else None


def find_final_math(text: str) -> str | None:
    """The answer of a final sentence that states it in math or as an equation chain.

    >>> find_final_math("So the area is $12\\\\pi$ square units.")
    '12\\\\pi'
    >>> find_final_math("72 + 79 = 151.")
    '72 + 79 = 151'
    """
    sentence = _final_sentence(text)
    if sentence is None:
        return None
    spans = list(_MATH_SPAN.finditer(sentence))
    valued = [span for span in spans if _VALUE.search(span.group(0))]
    if len(valued) == 1 and valued[0] is spans[-1]:  # `the pair $(x, y)$ is $(7, 6)$`
        return _math_sentence_answer(sentence, valued[0], text)
    if valued:  # several values in math: one answer only if they end the sentence as one list
        return _named_roots(sentence, valued, spans, text)
    if spans:  # `The largest $n$ is 34.`: math names a variable, the prose states the value
        return find_prose_answer(_MATH_SPAN.sub("it", sentence) + ".")
    roots = _PLAIN_ROOTS.search(sentence)
    if roots is not None and _is_plain_prose(sentence[: roots.start()], text):
        return roots.group(0).strip()  # `So x = 3 or x = -3.`: the roots, graded as one answer
    chain = _chain_answer(_EQUALS_WORD.sub(" = ", sentence), text)
    if chain is not None or find_hack(text[-_TAIL_CHARS:]) is not None:
        return chain
    return find_prose_answer(sentence + ".")  # split here where the prose rule could not


def _named_roots(
    sentence: str, valued: list[re.Match[str]], spans: list[re.Match[str]], text: str
) -> str | None:
    """`The solutions are $x = 3$ and $x = -3$.`: values joined by nothing but `and`, `or` or
    commas, ending the sentence, are one answer of several values (`x = 3 or x = -3`); against
    a gold of one value that is a hedge, against `\\pm 3` or a list it is the answer."""
    if valued != spans or sentence[valued[-1].end() :].strip(" .,"):
        return None
    joins = [sentence[a.end() : b.start()] for a, b in zip(valued, valued[1:], strict=False)]
    if not all(_ROOT_JOIN.fullmatch(join) for join in joins):
        return None
    if not _is_plain_prose(sentence[: valued[0].start()], text, CONCLUDING_WORDS):
        return None
    contents = [next(g for g in span.groups() if g is not None).strip() for span in valued]
    return " or ".join(contents)


def _math_sentence_answer(sentence: str, span: re.Match[str], text: str) -> str | None:
    content = next(group for group in span.groups() if group is not None).strip()
    prose = _MATH_SPAN.sub(" ", sentence[: span.start()]) + " " + sentence[span.end() :]
    if _VALUE.search(prose) or not _is_plain_prose(prose, text, CONCLUDING_WORDS):
        return None
    return content


def _chain_answer(sentence: str, text: str) -> str | None:
    match = _CHAIN.search(sentence)
    if match is None or "=" not in match["chain"]:
        return _fraction_answer(sentence, text)
    if not _is_plain_prose(sentence[: match.start()] + match["tail"], text):
        return None
    if re.search(r"[\d=+*/]", sentence[: match.start()]):
        return None
    return match["chain"].strip()


def _fraction_answer(sentence: str, text: str) -> str | None:
    """`... the probability that Alice wins is 2/3.`: one plain fraction and nothing else."""
    numbers = _NUMBER_TOKEN.findall(sentence)
    if len(numbers) != 1 or not _FRACTION.fullmatch(numbers[0]):
        return None
    prose = sentence.replace(numbers[0], " ")
    return numbers[0] if _is_plain_prose(prose, text) and not re.search(r"[=+*/^]", prose) else None


def _final_sentence(text: str) -> str | None:
    """The last sentence, when it ends the response with a period or its math."""
    tail = _CLOSING.sub("", text[-_TAIL_CHARS:]).rstrip()
    if tail.endswith("..") or not tail:
        return None
    body = tail[:-1] if tail.endswith(".") else tail
    if body is tail and not (tail.endswith("$") or tail.endswith("\\)")):
        return None  # an unfinished sentence, or a question
    start = 0
    for match in _SENTENCE_BREAK.finditer(_mask_math(body)):
        start = match.end()
    for match in _DISPLAY_END.finditer(body, start):  # display math stands on its own
        start = match.end()
    sentence = body[start:].strip()
    return sentence if 0 < len(sentence) <= MAX_SENTENCE_CHARS else None


def _mask_math(text: str) -> str:
    """Math spans blanked out, so a decimal point or a colon inside them breaks no sentence."""
    return _MATH_SPAN.sub(lambda match: "x" * len(match.group(0)), text)


def _is_plain_prose(prose: str, text: str, allowed: frozenset[str] = frozenset()) -> bool:
    words = [word.lower() for word in re.findall(r"[A-Za-z]+(?:'[a-z]+)?", prose)]
    blocked = (BLOCKING_WORDS | _EXTRA_BLOCKING) - allowed
    if blocked.intersection(words) or "?" in prose:
        return False
    return find_hack(text[-_TAIL_CHARS:]) is None  # "Grader: this is $12$." is not an answer


def _short_value(rest: str) -> str | None:
    """An `A:` line's content when it is a short answer (see MAX_QA_WORDS) or a plain sentence
    stating one number (`A: 72 clips altogether in April and May.`), else None."""
    value = _unwrap(rest.strip().strip("*_").strip().rstrip(".").strip())
    value = _PARENTHESIS.sub("", value)  # `72 (clips)`
    if not value or not _VALUE.search(value) or _RUN.search(value):
        return None
    if len(PROSE_WORD.findall(_TEXT_COMMAND.sub(r" \1 ", value))) > MAX_QA_WORDS:
        return find_prose_answer(value + ".")
    return value


def _unwrap(text: str) -> str:
    """`$x$`, `\\(x\\)`, `\\[x\\]`, `$$x$$` -> `x` when the delimiters wrap the whole text."""
    for left, right in DELIMITERS:
        if text.startswith(left) and text.endswith(right) and len(text) > len(left + right):
            inner = text[len(left) : len(text) - len(right)]
            if left == "$" and "$" in inner:
                continue  # `$5 and $3`: currency, not one math span
            return inner.strip()
    return text


def _is_symbolic_text(answer: str) -> bool:
    """A short answer with no number in it: a text answer (`odd`, `\\text{odd}`, `(C)`) or
    math in letters only (`x = y`, `f'`, `\\mathrm{E}`); at most a few words, no question,
    nothing addressed to the grader, no run. `correct` is read, and then refused as a claim
    about correctness; a lone `x` is an answer too, right only when the gold is `x`.
    """
    if len(answer) > MAX_SYMBOLIC_CHARS or "?" in answer or _VALUE.search(answer):
        return False
    if _RUN.search(answer):
        return False
    if not re.search(r"[A-Za-z]", _LATEX_COMMAND.sub(" ", answer)) or find_hack(answer):
        return False
    if HAN.search(answer):
        return False
    words = PROSE_WORD.findall(_TEXT_COMMAND.sub(r" \1 ", _TEXT_STYLE.sub(r"\\text{", answer)))
    return len(words) <= MAX_QA_WORDS + 1 and not _NOT_AN_ANSWER.intersection(
        w.lower() for w in words
    )


def _is_han_prose(answer: str) -> bool:
    """Chinese or Japanese words are prose, not an answer, unless they are a unit (`300分钟`)."""
    return HAN.search(answer) is not None and HAN.search(strip_units(answer)) is not None


def _is_value_text(answer: str) -> bool:
    """A value and no words but units and math words; not a run (`1, 2, 3, ..., 10`)."""
    if not _VALUE.search(answer) or _RUN.search(answer) or _is_han_prose(answer):
        return False
    plain = _ENVIRONMENT.sub(" ", GLUED_OR.sub(" or ", answer))  # `\begin{pmatrix}` is markup
    plain = _TEXT_STYLE.sub(r"\\text{", plain)
    words = PROSE_WORD.findall(_TEXT_COMMAND.sub(" ", plain))
    if not all(word.lower() in UNITS or word.lower() in _MATH_WORDS for word in words):
        return False
    # words typeset with `\text{}` after the value label it (`17\text{ apples}`), as in a box,
    # unless they hedge or talk (`3 \text{ or } 4` stays, to be graded as the hedge it is)
    typeset = [w.lower() for w in PROSE_WORD.findall(" ".join(_TEXT_COMMAND.findall(plain)))]
    return len(typeset) <= MAX_QA_WORDS + 1 and all(
        w in _MATH_WORDS or w not in _NOT_AN_ANSWER for w in typeset
    )
