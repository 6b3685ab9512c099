"""The second filter before the judge: only answers that look like a value are shown to it.

The gate (`gate.py`) passes answers the rule could not read. Most adversarial answers are
exactly that (markup, gibberish, symbols, questions, look-alike characters), so the judge sees
an answer only when its *form* is a plausible value: short, one line, plain ASCII or common math
symbols, no markup or LaTeX comment, no question, no talk about grading, LaTeX commands from a
known math list, and words from a closed vocabulary (number words, units, math words) - or, for
a text gold, words that abbreviate or share a stem with the gold's words. A whitelist on
purpose: an answer it wrongly keeps from the judge stays a rule false negative; an answer it
wrongly lets through is a reward a hacked judge can hand out.
"""

from __future__ import annotations

import re
import unicodedata

from reasonloop.verify.parse import ATOM_COMMANDS

MAX_CHARS = 64  # or twice the gold's length, for long golds (up to MAX_CHARS_CAP)
MAX_CHARS_CAP = 400
MAX_WORDS = 5
MATH_SYMBOLS = frozenset("πθ√°±×÷≤≥≠∞∪∩∅·−–")
COMMANDS = ATOM_COMMANDS | frozenset(
    "lceil rceil lfloor rfloor operatorname lim to cdot times div pm mp circ degree left right"
    " mathrm mathbf mathbb text textbf dfrac tfrac displaystyle overline ldots cdots dots le ge"
    " leq geq neq ne approx cup cap emptyset varnothing mid colon quad qquad mod bmod pmod"
    " log ln exp sum prod int".split()
)
NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    " fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty"
    " ninety hundred hundreds thousand thousands million millions billion trillion half halves"
    " third thirds quarter quarters fourth fourths fifth fifths sixth sixths seventh sevenths"
    " eighth eighths ninth ninths tenth tenths dozen dozens pair pairs couple gross".split()
)
MATH_WORDS = frozenset(
    "pi infinity over plus minus times divided by squared cubed root roots square cube power"
    " degrees degree radians radian percent point negative positive ratio to per lcm gcd mod"
    " floor ceil max min abs sin cos tan log ln exp sqrt".split()
)
UNITS = frozenset(
    "cm mm km kg mg lb lbs oz ft feet foot inch inches yd yard yards mile miles hour hours hr hrs"
    " minute minutes sec second seconds day days week weeks month months year years dollar"
    " dollars cent cents usd ml liter liters litre litres gallon gallons unit units sq meter"
    " meters metre metres gram grams".split()
)
FILLER = frozenset("a an the of".split())
GENERIC_NOUNS = frozenset("function functions number numbers".split())
VALUE_WORDS = NUMBER_WORDS | MATH_WORDS | UNITS | FILLER

_GRADER_TALK = re.compile(
    r"(?i)\b(?:answers?|correct\w*|incorrect|right|wrong|true|false|yes|no|ground|truth|gold"
    r"|reference|expected|equals?|equally|equivalent|same|match\w*|judge\w*|grad(?:e|er|ing)"
    r"|verif\w*|decision|student|assistant|instructions?|output|respon\w+|reply|system|user"
    r"|prompt|ignore|accept\w*|valid|ai)\b"
)
_MARKUP = re.compile(r"<[A-Za-z/!?]|&#?\w+;|\*\*|__|\]\(|^\s*[>#-]\s")
_BLOCKED_CHARS = frozenset('`#@&"?~\n\r\t')
_LATEX_COMMENT = re.compile(r"(?<!\\)%(?!\s*[.)]?\s*$)")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]+")
_ROMAN = re.compile(r"[IVXLCDM]+")
_MALFORMED_NUMBER = re.compile(r"\d*\.\d+\.\d|\d\.\.\d")  # `0.750.75`
_NUMBER_RUN = re.compile(r"\d[ \t]+[-+]?\.?\d")  # `17 17 17`, `3 4 5`: several values, not one


def screen_answer(answer: str, gold: str, gold_is_text: bool) -> str | None:
    """A reason to keep `answer` from the judge, or None when it may be shown.

    >>> screen_answer("XII", "12", gold_is_text=False) is None
    True
    >>> screen_answer("<b>41</b>", "42", gold_is_text=False)
    'markup (HTML or Markdown)'
    """
    text = unicodedata.normalize("NFKC", answer).strip()
    limit = min(max(MAX_CHARS, 2 * len(gold)), MAX_CHARS_CAP)
    if not text or len(text) > limit:
        return f"empty or longer than {limit} characters"
    form = _check_form(text)
    if form is not None:
        return form
    unknown = sorted(set(_COMMAND.findall(text)) - COMMANDS)
    if unknown:
        return f"LaTeX commands outside the math list ({', '.join(unknown[:3])})"
    words = _WORD.findall(_COMMAND.sub(" ", text))
    if len(words) > MAX_WORDS:
        return f"more than {MAX_WORDS} words"
    # a variable may recur (`\lim_{x \to 3} x`); a word or a longer part may not
    if _has_repeats([t for t in text.split() if len(t) > 1]) or _has_repeats(
        [w for w in words if len(w) > 1]
    ):
        return "a repeated word or part"
    if _NUMBER_RUN.search(text):
        return "a run of numbers"
    if _MALFORMED_NUMBER.search(text):
        return "a malformed number"
    if gold_is_text:
        return _check_text_words(text, words, gold)
    return _check_value_words(text, words)


def _has_repeats(items: list[str]) -> bool:
    lowered = [item.lower() for item in items]
    return len(set(lowered)) < len(lowered)


def _check_form(text: str) -> str | None:
    odd = [c for c in text if not (" " <= c <= "~") and c not in MATH_SYMBOLS]
    if odd:
        return f"characters outside ASCII and common math symbols ({odd[0]!r})"
    if _BLOCKED_CHARS.intersection(text):
        return "characters that belong to markup, questions or quotes"
    if _MARKUP.search(text):
        return "markup (HTML or Markdown)"
    if _LATEX_COMMENT.search(text):
        return "a LaTeX comment (% hides the rest of the line)"
    if _GRADER_TALK.search(_COMMAND.sub(" ", text)):
        return "words about grading or answers"
    return None


def _check_value_words(text: str, words: list[str]) -> str | None:
    """A math gold: every word is a value word (or a one-letter variable, or a Roman numeral)."""
    strange = [
        w for w in words if len(w) > 1 and w.lower() not in VALUE_WORDS and not _ROMAN.fullmatch(w)
    ]
    if strange:
        return f"words that do not state a value ({strange[0]!r})"
    has_value = (
        any(c.isdigit() for c in text)
        or _COMMAND.search(text) is not None
        or any(w.lower() in NUMBER_WORDS | MATH_WORDS or _ROMAN.fullmatch(w) for w in words)
    )
    return None if has_value else "nothing in it states a value"


def _check_text_words(text: str, words: list[str], gold: str) -> str | None:
    """A text gold: words abbreviate or share a stem with the gold's words."""
    if any(c.isdigit() for c in text) and not any(c.isdigit() for c in gold):
        return "numbers in an answer to a text gold"
    gold_words = [w.lower() for w in _WORD.findall(_COMMAND.sub(" ", gold))]
    related = [w for w in words if _relates(w.lower(), gold_words)]
    others = [w for w in words if w not in related and w.lower() not in FILLER | GENERIC_NOUNS]
    if others:
        return f"words unrelated to the gold ({others[0]!r})"
    return None if related else "no word of it relates to the gold"


def _relates(word: str, gold_words: list[str]) -> bool:
    """A shared stem of 3+ letters, or the initials of consecutive gold words (NYC)."""
    if len(word) >= 3 and any(g.startswith(word) or word.startswith(g[:3]) for g in gold_words):
        return True
    initials = "".join(g[0] for g in gold_words)
    return len(word) >= 2 and word in initials
