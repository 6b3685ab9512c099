"""Tokenise normalised answer text (LaTeX or plain math) into a flat token list."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_TOKENS = 1000


class ParseError(ValueError):
    """The text is not an answer this parser understands."""


@dataclass(frozen=True)
class Token:
    """kind: num, cmd, word, text, begin, end, rowsep, op."""

    kind: str
    text: str


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
    |(?P<num>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+(?![a-zA-Z\d]))?)
    |(?P<text>\\text\s*\{(?P<content>[^{}]*)\})
    |(?P<begin>\\begin\s*\{(?P<env>[a-zA-Z*]+)\}(?:\s*\{[^{}]*\})?)
    |(?P<end>\\end\s*\{[a-zA-Z*]+\})
    |(?P<rowsep>\\\\)
    |(?P<cmd>\\[a-zA-Z]+|\\[{}|#&_])
    |(?P<word>[a-zA-Z]+)
    |(?P<op><=|>=|!=|=<|=>|\*\*|[-+*/^_=<>!,;|()\[\]{}%\u00b0'&:.])
    """,
    re.VERBOSE,
)
_COMMAND_ALIASES = {
    "\\le": "<=", "\\leq": "<=", "\\leqslant": "<=", "\\ge": ">=", "\\geq": ">=",
    "\\geqslant": ">=", "\\lt": "<", "\\gt": ">", "\\ne": "!=", "\\neq": "!=",
    "\\approx": "=", "\\equiv": "=", "\\cdot": "*", "\\times": "*", "\\ast": "*",
    "\\div": "/", "\\over": "/", "\\{": "\\{", "\\}": "\\}", "\\&": "&", "\\|": "|",
    "=<": "<=", "=>": ">=", "**": "^",
}  # fmt: skip


def tokenize(text: str) -> list[Token]:
    """Split text into tokens; raises ParseError on characters no answer contains.

    >>> [t.text for t in tokenize("\\\\frac{1}{2}x")]
    ['\\\\frac', '{', '1', '}', '{', '2', '}', 'x']
    """
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ParseError(f"unexpected character {text[position]!r}")
        position = match.end()
        kind = match.lastgroup or "ws"
        if kind == "ws":
            continue
        tokens.append(_make_token(kind, match))
        if len(tokens) > MAX_TOKENS:
            raise ParseError("answer has too many tokens")
    return tokens


def _make_token(kind: str, match: re.Match[str]) -> Token:
    if kind == "text":
        return Token("text", " ".join(match["content"].split()))
    if kind == "begin":
        return Token("begin", match["env"])
    value = match.group(kind)
    if kind in ("cmd", "op"):
        alias = _COMMAND_ALIASES.get(value)
        return Token(kind, value) if alias is None else Token("op", alias)
    return Token(kind, value)
