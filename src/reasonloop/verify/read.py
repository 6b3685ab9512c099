"""Read an answer string (gold or extracted response) into what the comparison needs.

A Reading holds the fast-path exact number when the text is a plain number, a multiple-choice
letter, a short text answer, and otherwise the parsed AST. Readings are cached by text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reasonloop.verify.boxes import find_box_spans
from reasonloop.verify.commitment import PROSE_WORD, is_placeholder
from reasonloop.verify.extract import extract_answer
from reasonloop.verify.guard import MAX_ANSWER_CHARS, MAX_GOLD_CHARS, is_prose
from reasonloop.verify.lexer import ParseError
from reasonloop.verify.nodes import Node, Num, Op, Rel
from reasonloop.verify.normalize import normalize
from reasonloop.verify.notation import Notation, ratio_gold_value, read_notation
from reasonloop.verify.numbers import ExactNumber, parse_plain_number
from reasonloop.verify.parse import FUNCTIONS, parse
from reasonloop.verify.scalars import free_symbols
from reasonloop.verify.units import replace_number_words, strip_units

_TEXT_WRAPPER = re.compile(r"\\text\s*\{([^{}]*)\}")
# `[45 degrees]`: one value in square brackets, as Geometry3K's prompt asks for it; with a
# comma or semicolon it is an interval or a list and stays as written
_ONE_BRACKETED = re.compile(r"\[([^\[\],;]+)\]")
_ANSWER_PHRASE = re.compile(r"(?i)\banswer\s*(?:is\b|:)")
_GOLD_HEDGES = frozenset({"or", "no", "not", "maybe", "wait", "but"})
_WORDS = re.compile(r"[A-Za-z][A-Za-z '\-]*")
_MATH_WORDS = FUNCTIONS | {"pi", "inf", "infty", "infinity", "sqrt", "or", "and"}
_SHORT_WORDS = frozenset({"no", "yes", "none", "all", "odd", "even", "neither", "both"})
_CHOICE = re.compile(
    r"(?:(?:option|choice|answer)\s*:?\s*)?"
    r"(?:\((?P<paren>[A-Ja-j])\)|(?P<bare>[A-J])(?=$|[.:)]))[.:)]?(?P<rest>.*)",
    re.IGNORECASE,
)
# after the letter: another choice (a hedge), or a glued `=` (`A:B=1` is a ratio, not choice
# A); `C. x = 42` is choice C followed by its option's text
_ANOTHER_CHOICE = re.compile(r"\([A-J]\)|\b[A-J]\)|\bor\b|\band\b|,|^\S.*=")
_APPROXIMATE_DECIMAL = re.compile(r"-?\d{1,40}(?:\.\d{1,40})?")
_UNCLOSED_BOX = re.compile(r"\\(?:boxed|fbox)\s*\{")
_THOUSANDS = re.compile(r"(?<![\d.])([1-9]\d{0,2})((?:,\d{3})+)(?![\d,])")
# `1 000`, `12 345.5`: groups of three digits after a space, when that is the whole answer
# (`3 4 5` is a run of numbers and stays unreadable)
_SPACED_THOUSANDS = re.compile(r"-?\d{1,3}(?: \d{3})+(?:\.\d+)?")


@dataclass(frozen=True)
class Reading:
    """One answer, read. `node` is None when the text is not math (see `error`)."""

    raw: str
    text: str
    number: ExactNumber | None = None
    choice: str | None = None
    words: str | None = None
    node: Node | None = None
    error: str | None = None
    notation: Notation | None = None  # a ratio or base-n digits (see `notation`)

    @property
    def readable(self) -> bool:
        values = (self.number, self.choice, self.words, self.node, self.notation)
        return any(x is not None for x in values)


@lru_cache(maxsize=16384)
def read_answer(text: str) -> Reading:
    """Read an extracted response answer (never raises)."""
    return _read(text, MAX_ANSWER_CHARS)


@lru_cache(maxsize=16384)
def read_gold(text: str) -> Reading | None:
    """Read a gold answer; None when it is empty or cannot be understood.

    A `$...$`, `\\boxed{}` or GSM8K `#### ` wrapper is accepted and removed; a worked solution
    (a MATH `solution` field) is read through its final boxes, several of them as a list.
    """
    if "####" in text:
        text = text.rsplit("####", 1)[1]
    if "\\boxed" in text or "\\fbox" in text:
        text = _read_gold_boxes(text)
    if not is_prose(text):  # `V_1:V_2 = 11:21` -> `11:21`; a worked solution holds no ratio gold
        text = ratio_gold_value(normalize(text)) or text
    reading = _read(text, MAX_GOLD_CHARS)
    # a worked gold without a box, or one that says `answer is 10000` (which would otherwise
    # parse as the product a*n*s*w*e*r*i*s*10000): its final answer, found as usual
    if not reading.readable or _ANSWER_PHRASE.search(text):
        answer = extract_answer(text)
        if answer is not None and answer.strip() != text.strip():
            stated = _read(answer, MAX_GOLD_CHARS)
            reading = stated if stated.readable else reading
    if not reading.readable and text.count("=") > 1:  # a trusted chain states its last side
        reading = _read(text.rsplit("=", 1)[1], MAX_GOLD_CHARS)
    return reading if reading.readable else None


def _read_gold_boxes(text: str) -> str:
    """The last box of a worked gold; boxes joined by nothing but `and`/commas are one list."""
    all_spans = find_box_spans(text)
    spans = [span for span in all_spans if not is_placeholder(span[2])]
    if not all_spans:  # `\boxed{W(n) = 1` never closed: the trusted gold runs to the end
        return _UNCLOSED_BOX.split(text)[-1]
    if not spans:
        return text
    kept = [spans[-1]]
    for span in reversed(spans[:-1]):
        words = {
            w.lower()
            for w in PROSE_WORD.findall(_TEXT_WRAPPER.sub(r" \1 ", text[span[1] : kept[-1][0]]))
        }
        # `\boxed{1}, \boxed{2}`, `\boxed{1} papers and \boxed{2} bins`; not `\boxed{1} no no`
        if words and ("and" not in words or words & _GOLD_HEDGES):
            break
        kept.append(span)
    return ", ".join(dict.fromkeys(content for _, _, content in reversed(kept)))


def _read(raw: str, limit: int) -> Reading:
    if len(raw) > limit:
        return Reading(raw, raw[:80], error=f"longer than {limit} characters")
    plain = parse_plain_number(raw.strip().rstrip("."))
    if plain is not None:
        return Reading(raw, raw.strip(), number=plain, node=Num(plain.value, plain.digits))
    if is_prose(raw):  # a worked solution given as a gold: its answer is found by extraction
        return Reading(raw, raw[:80], words=read_words(raw), error="an explanation, not math")
    text = normalize(raw)
    choice = read_choice(text)
    whole_text = _TEXT_WRAPPER.fullmatch(text) or _ONE_BRACKETED.fullmatch(text)
    if whole_text is not None:  # \text{12}, \text{18 dollars}, \text{four}, [45 degrees]
        text = normalize(whole_text.group(1))
    text = strip_units(replace_number_words(text))
    if "(" not in text and "[" not in text and "{" not in text:
        text = _THOUSANDS.sub(lambda m: m[1] + m[2].replace(",", ""), text)
    if _SPACED_THOUSANDS.fullmatch(text):
        text = text.replace(" ", "")
    plain = parse_plain_number(text)
    if plain is not None:
        return Reading(raw, text, number=plain, node=Num(plain.value, plain.digits))
    words = read_words(text)
    if words is not None and is_text_answer(words):
        return Reading(raw, text, choice=choice, words=words, error="a text answer")
    text = drop_approximation(text)
    notation = read_notation(text)
    try:
        node: Node | None = None if notation is not None else parse_with_percent(text)
        error = None
    except (ParseError, RecursionError) as problem:
        node, error = None, str(problem) or "could not parse"
    return Reading(raw, text, None, choice, words, node, error, notation)


def drop_approximation(text: str) -> str:
    """`x = \\frac{1}{3} \\approx 0.333` -> `x = \\frac{1}{3}`: the exact value is the answer.

    A decimal after a final `\\approx` restates a value the answer already gave exactly; it is
    not graded, whether it is rounded well or not (`x = 1/3 \\approx 1.3` answers 1/3, as a
    grader of exact answers reads it). Only the exact side ever counts, so writing two values
    this way gains nothing. `x \\approx 0.333` (no exact value) stays as written.
    """
    exact, sign, approx_text = text.rpartition("\\approx")
    if not sign or "\\approx" in exact or not _APPROXIMATE_DECIMAL.fullmatch(approx_text.strip()):
        return text
    try:
        node = parse(exact)
    except (ParseError, RecursionError):
        return text
    if isinstance(node, Rel) and set(node.ops) == {"="}:
        node = node.items[-1]
    return text if free_symbols(node) else exact.strip()


def parse_with_percent(text: str) -> Node:
    """A trailing percent sign applies to the whole answer: `33\\frac{1}{3}%`."""
    if text.endswith("%") and text.count("%") == 1 and len(text) > 1:
        return Op("pct", (parse(text[:-1]),))
    return parse(text)


def read_choice(text: str) -> str | None:
    """The multiple-choice letter of `B`, `(B)`, `\\text{(B)}`, `B) 42`, `(b) 42`, else None."""
    plain = _TEXT_WRAPPER.sub(r"\1", text).replace("{", "").replace("}", "").strip()
    match = _CHOICE.fullmatch(plain)
    if match is None:
        return None
    letter = match["paren"] or match["bare"]
    if match["bare"] and not letter.isupper():
        return None
    if _ANOTHER_CHOICE.search(match["rest"]):
        return None  # "B or C", "(A), (C)": hedging, not one choice
    return letter.upper()


def read_words(text: str) -> str | None:
    """A plain-words answer (`\\text{}` removed), casefolded; None when it has math in it."""
    plain = _TEXT_WRAPPER.sub(r"\1", text).strip()
    if not _WORDS.fullmatch(plain):
        return None
    return " ".join(plain.casefold().replace("-", " ").split())


def is_text_answer(words: str) -> bool:
    """Words are text (not a product of variables) when one is a real word of 3+ letters."""
    if words in _SHORT_WORDS:
        return True
    return any(len(w) >= 3 and w not in _MATH_WORDS for w in re.split(r"[ ']", words))
