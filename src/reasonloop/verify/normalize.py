"""String-level normalisation of an answer before tokenising.

Folds the many spellings of one thing into one: Unicode math (see `symbols`), `\\dfrac` and
`\\tfrac`, thin-space and `{,}` thousands separators, degree and percent signs, currency signs,
`\\left`/`\\right`, math delimiters, repeating decimals. Every step is a linear regex pass over a
bounded string.
"""

from __future__ import annotations

import re
from fractions import Fraction

from reasonloop.verify.symbols import fold_unicode

GLUED_OR = re.compile(r"(?<=[\d)])or(?=[A-Z(\\])")  # `W(x)=1orW(x)=-1`: spaces lost

# (pattern, replacement, needle): a substitution runs only when its needle is in the text (most
# answers hold no backslash, and a plain `in` is far cheaper than a regex pass); "" always runs
_B = "\\"  # the substitutions of LaTeX commands need a backslash
_SUBSTITUTIONS = tuple(
    (re.compile(pattern), replacement, needle)
    for pattern, replacement, needle in (
        # `\\frac` from text escaped twice (JSON inside JSON) is `\frac`, not a line break
        (r"(?<!\\)\\\\(?=[a-zA-Z]{2})", r"\\", _B),
        (r"\\(?:left|right)\s*\.", "", _B),
        (r"\\(?:left|right|[bB]igg?[lr]?)(?![a-zA-Z])", "", _B),
        (r"\\(?:displaystyle|textstyle|scriptstyle|limits|nolimits|mathstrut)(?![a-zA-Z])", "", _B),
        (r"\\[dtc]frac(?![a-zA-Z])", r"\\frac", _B),
        (r"\\[dt]binom(?![a-zA-Z])", r"\\binom", _B),
        (r"\\(?:boxed|fbox)\s*\{", "{", _B),
        (r"(\d)\\[,!]\s?(?=\d{3}(?!\d))", r"\1", _B),
        (r"(\d)\s*\{\s*,\s*\}\s*(?=\d)", r"\1", "{"),
        (r"(\d),\\[!,]\s*(?=\d{3}(?!\d))", r"\1,", _B),
        (r"(?<!\\)\\(?:[,;:! ]|q?quad)", " ", _B),  # `\quadx` (a missing space) too
        (r"~", " ", "~"),
        (GLUED_OR.pattern, " or ", "or"),
        (r",\s*(?:\\text\s*\{\s*and\s*\}|and(?=\s))", ", ", "and"),  # `19, 46, and 82`: a list
        (r"\^\s*\{\s*\\circ\s*\}|\^\s*\\circ(?![a-zA-Z])|\\circ(?![a-zA-Z])", "\u00b0", _B),
        (r"\\degree(?![a-zA-Z])|\^\s*\{\s*\\text\{\s*o\s*\}\s*\}", "\u00b0", _B),
        (r"\\%", "%", _B),
        (r"\\\$|\$", "", "$"),
        (r"(?<!\\)\\[()\[\]]", "", _B),
        (r"\\(?:lvert|rvert|vert|mid|lVert|rVert|Vert|\|)(?![a-zA-Z])", "|", _B),
        (r"\\lbrace(?![a-zA-Z])", r"\\{", _B),
        (r"\\rbrace(?![a-zA-Z])", r"\\}", _B),
        (r"\\infin(?![a-zA-Z])", r"\\infty", _B),
        (r"\\mathbb\s*\{?\s*R\s*\}?|(?i:\ball\s+real\s+numbers\b)", r"(-\\infty,\\infty)", ""),
        (r"\{([^{}]*)\\choose([^{}]*)\}", r"\\binom{\1}{\2}", _B),
        (r"\\(?:measured)?angle\s*([A-Z]{1,3})(?![a-zA-Z])", r"\\angle_{\1}", _B),
        (r"(?<![\d.])(\d+)\s+(\d+)\s*/\s*(\d+)(?![\d.])", r"\1\\frac{\2}{\3}", "/"),
        (r"\\(?:mathrm|mathbf|mathit|mathsf|mathnormal|operatorname|bm|boldsymbol)\s*\{", "{", _B),
        (r"\\(?:textbf|textit|textrm|texttt|textsf|textnormal|mbox|hbox)\s*\{", r"\\text{", _B),
    )
)
_REPEATING = re.compile(
    # `(?<!\d)`: a match starts where a digit run does, so a long run costs linear time
    r"(?<!\d)(?P<int>\d*)\.(?P<fixed>\d*)\s*\\(?:overline|bar|dot)\s*\{?(?P<rep>\d+)\}?"
)
_LEADING = re.compile(
    r"^\s*(?:\\approx|approximately|approx\.?|about|around|roughly|exactly)\s+", re.IGNORECASE
)
# trailing punctuation, and a LaTeX line break `\\` a display line ends with (`185\\`)
_TRAILING = re.compile(r"(?:[\s.,;:]|\\\\)+$")


# A LaTeX command whose backslash became a control character (a `"\frac"` written in a plain
# Python or JSON string): form feed, backspace, bell and vertical tab never occur in an answer
# otherwise. A tab or line break is real whitespace and stays (`"\text{13}"` with a tab is not
# read as `\text{13}`).
_LOST_BACKSLASH = re.compile(r"[\x07\x08\x0b\x0c]")
_LOST_LETTER = {"\x07": "a", "\x08": "b", "\x0b": "v", "\x0c": "f"}


def normalize(text: str) -> str:
    """Fold equivalent spellings; the result is still LaTeX-ish text.

    >>> normalize("$\\\\dfrac{1}{2}$")
    '\\\\frac{1}{2}'
    >>> normalize("1{,}000\\\\,000")
    '1000000'
    """
    text = _LOST_BACKSLASH.sub(lambda match: "\\" + _LOST_LETTER[match.group(0)], text)
    text = fold_unicode(text)
    for pattern, replacement, needle in _SUBSTITUTIONS:
        if needle in text:
            text = pattern.sub(replacement, text)
    if "\\" in text:  # `0.1\overline{6}`: a repeating decimal is written with a command
        text = _REPEATING.sub(_expand_repeating, text)
    text = _LEADING.sub("", text)
    text = _TRAILING.sub("", text)
    return text.strip().lstrip("=").strip()


def _expand_repeating(match: re.Match[str]) -> str:
    """0.1\\overline{6} -> \\frac{1}{6}: the exact value of a repeating decimal."""
    fixed, repeat = match["fixed"], match["rep"]
    head = Fraction(int(match["int"] or "0") * 10 ** len(fixed) + int(fixed or "0"))
    cycle = Fraction(int(repeat), 10 ** len(repeat) - 1)
    value = (head + cycle) / 10 ** len(fixed)
    return f"{{\\frac{{{value.numerator}}}{{{value.denominator}}}}}"
