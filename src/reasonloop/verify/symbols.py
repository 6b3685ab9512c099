"""Unicode math folded into the ASCII and LaTeX the readers know, once, before any reading.

Models write `−12` (U+2212), `3√2`, `4π`, `2½`, `x²`, `10⁻³`, `≤`, and group digits with
non-breaking or thin spaces (`1 000`). `fold_unicode` rewrites these once: `extract` folds the
response before it looks for an answer, and `normalize` folds golds and answers before parsing
(a no-op on text already folded). Each rewrite keeps the value the symbol means and nothing more:
`2½` is the mixed number 5/2 (not 2 x 1/2), `10⁻³` is `10^{-3}`, an en dash between two numbers
is a range and stays unreadable (`10–12` is not -2), and a space between digits is dropped only
in a group of three (`1 000`, not `3 4`). ASCII text (the common case) returns at once.
"""

from __future__ import annotations

import re

_VULGAR = {
    "\u00bd": "1/2", "\u2153": "1/3", "\u2154": "2/3", "\u00bc": "1/4", "\u00be": "3/4",
    "\u2155": "1/5", "\u2156": "2/5", "\u2157": "3/5", "\u2158": "4/5", "\u2159": "1/6",
    "\u215a": "5/6", "\u215b": "1/8", "\u215c": "3/8", "\u215d": "5/8", "\u215e": "7/8",
}  # fmt: skip
_SUPERSCRIPT_DIGITS = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207b"
_SUPERSCRIPT = dict(zip(_SUPERSCRIPT_DIGITS, "0123456789-", strict=True))
SYMBOLS = {
    "\u2212": "-", "\u2012": "-", "\u00d7": "\\times ", "\u22c5": "\\cdot ",
    "\u00b7": "\\cdot ", "\u00f7": "\\div ", "\u221b": "\\sqrt[3]", "\u221a": "\\sqrt",
    "\u03c0": "\\pi ", "\u221e": "\\infty ", "\u2264": "\\le ", "\u2265": "\\ge ",
    "\u2260": "\\ne ", "\u2208": "\\in ", "\u222a": "\\cup ", "\u2229": "\\cap ",
    "\u00b1": "\\pm ", "\u2213": "\\mp ", "\u00b0": "^\\circ ", "\u00a0": " ", "\u2009": " ",
    "\u202f": " ", "\u2007": " ", "\u2008": " ",
    "\u2205": "\\emptyset ", "\u03b8": "\\theta ", "\u03b1": "\\alpha ", "\u03b2": "\\beta ",
    "\u2248": "\\approx ", "\u2217": "*", "\u2044": "/", "\u2215": "/", "\u2032": "'",
}  # fmt: skip
# full-width punctuation: folded in answers, kept in responses (the readers of Chinese prose
# find their sentences and labels by it)
_FULL_WIDTH = str.maketrans({"\uff0c": ",", "\uff1a": ":", "\uff08": "(", "\uff09": ")"})
# a symbol that becomes a LaTeX command takes a space only before a letter (`πr` -> `\\pi r`), so
# that no double space is made (`x ≤ 3` -> `x \\le 3`; a double space ends an answer clause)
_COMMANDS = {symbol: value.rstrip() for symbol, value in SYMBOLS.items() if value.endswith(" ")}
_TABLE = str.maketrans({s: v for s, v in SYMBOLS.items() if s not in _COMMANDS})
_COMMAND = re.compile("[" + "".join(_COMMANDS) + "](?P<letter>(?=[A-Za-z]))?")
# In plain text (no math delimiters anywhere), a number written with `π`, `√` or a superscript
# power is typeset as math, so the readers of a final sentence see it as math: `4π` -> `$4\\pi$`.
_PLAIN_MATH = re.compile(
    r"(?<![\w.^$\\])[-\u2212]?(?:\d+(?:\.\d+)?)?(?:\u03c0|\u221a\(?\d+(?:\.\d+)?\)?)(?:/\d+)?(?![\w^])"
    r"|(?<![\w.^$\\])[-\u2212]?\d+(?:\.\d+)?[\u2070\u00b9\u00b2\u00b3\u2074-\u2079\u207b]+(?![\w^])"
)
_SPACES = "\u00a0\u2009\u202f\u2007\u2008"
# `1 000`, `12 345.5`: a narrow or non-breaking space inside a number groups its digits
_GROUPED = re.compile(rf"(?<=\d)[{_SPACES}](?=\d{{3}}(?!\d))")
# `10–12`: an en dash between numbers is a range, not a minus; elsewhere (`–12`) it is a minus
_DASH = re.compile(r"(?P<range>(?<=\d)\s*\u2013\s*(?=\d))|\u2013")
_VULGAR_RUN = re.compile(r"(?P<whole>\d*)(?P<space>[ ]?)(?P<frac>[" + "".join(_VULGAR) + "])")
_SUPERSCRIPT_RUN = re.compile("[" + "".join(_SUPERSCRIPT) + "]+")
# `√2`, `√(x+1)`, `√x`: the radicand is a number, a letter or a bracketed group
_ROOT = re.compile(
    r"\u221a\s*(?:\((?P<group>[^()]{1,40})\)|\{(?P<brace>[^{}]{1,40})\}"
    r"|(?P<bare>\d+(?:\.\d+)?|[A-Za-z]))"
)


_FOLDABLE = re.compile(
    "["
    + "".join(
        sorted(
            {*SYMBOLS, *_VULGAR, *_SUPERSCRIPT, "\u2013", "\uff0c", "\uff1a", "\uff08", "\uff09"}
        )
    )
    + "]"
)


def fold_unicode(text: str, response: bool = False) -> str:
    """Unicode math as ASCII/LaTeX; text that is already ASCII comes back unchanged.

    In a `response`, a number written with `π`, `√` or a power in text that has no math
    delimiters is put in `$...$`, as the readers of final sentences expect math to be, and
    full-width punctuation stays.

    >>> fold_unicode("\u22123\u221a2 and 2\u00bd and 10\u207b\u00b3 and 1\u202f000")
    '-3\\\\sqrt{2} and 2 1/2 and 10^{-3} and 1000'
    >>> fold_unicode("pages 10\u201312")
    'pages 10\u201312'
    """
    if text.isascii() or not _FOLDABLE.search(text):  # most text: one C-level scan
        return text
    if response and "$" not in text and "\\" not in text:  # plain text, no LaTeX at all
        text = _PLAIN_MATH.sub(lambda match: f"${match.group(0)}$", text)
    text = _GROUPED.sub("", text)
    if "\u2013" in text:
        text = _DASH.sub(lambda match: match.group(0) if match["range"] else "-", text)
    text = _VULGAR_RUN.sub(_fold_vulgar, text)
    text = _SUPERSCRIPT_RUN.sub(_fold_superscript, text)
    text = _ROOT.sub(_fold_root, text)
    text = _COMMAND.sub(_fold_command, text).translate(_TABLE)
    return text if response else text.translate(_FULL_WIDTH)


def _fold_command(match: re.Match[str]) -> str:
    command = _COMMANDS[match.group(0)[0]]
    return command + " " if match["letter"] is not None else command


def _fold_vulgar(match: re.Match[str]) -> str:
    """`2½` and `2 ½` -> `2 1/2` (a mixed number, read as 5/2); a lone `½` -> `(1/2)`."""
    fraction = _VULGAR[match["frac"]]
    return f"{match['whole']} {fraction}" if match["whole"] else f"{match['space']}({fraction})"


def _fold_superscript(match: re.Match[str]) -> str:
    power = "".join(_SUPERSCRIPT[char] for char in match.group(0))
    return f"^{power}" if len(power) == 1 else f"^{{{power}}}"


def _fold_root(match: re.Match[str]) -> str:
    radicand = match["group"] or match["brace"] or match["bare"]
    return f"\\sqrt{{{radicand}}}"
