"""The small AST that answers are parsed into (frozen, hashable, compared structurally)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TypeAlias, Union


@dataclass(frozen=True)
class Num:
    """An exact number; `digits` is the significant digits a written decimal stated."""

    value: Fraction
    digits: int | None = None


@dataclass(frozen=True)
class Sym:
    """A free variable such as x, y_1 or \\alpha."""

    name: str


@dataclass(frozen=True)
class Const:
    """A named constant: pi, e, i (imaginary unit) or inf."""

    name: str


@dataclass(frozen=True)
class Op:
    """An operation: add, mul, pow, neg, div, sqrt, root, fact, binom, abs, pct, deg, pm, cup,
    or a function name (sin, log, ...)."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Seq:
    """A bracketed or comma-separated group: kind is tuple, set or list (bare commas/or/and)."""

    kind: str
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Interval:
    """An interval with explicit end types: [a, b), (a, b], [a, b]."""

    lo: Node
    hi: Node
    lo_closed: bool
    hi_closed: bool


@dataclass(frozen=True)
class Matrix:
    """A matrix or vector, row by row."""

    rows: tuple[tuple[Node, ...], ...]


@dataclass(frozen=True)
class Rel:
    """A relation chain: `ops[i]` relates `items[i]` and `items[i+1]` (=, <, <=, >, >=, !=, in)."""

    ops: tuple[str, ...]
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Text:
    """A piece of text inside math (`\\text{...}`), compared case-insensitively."""

    text: str


Node: TypeAlias = Union[Num, Sym, Const, Op, Seq, Interval, Matrix, Rel, Text]  # noqa: UP007
