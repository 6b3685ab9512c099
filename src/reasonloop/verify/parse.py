"""Recursive-descent parser: normalised answer text -> AST (`nodes`). Never evaluates text.

Grammar, loosest first: list (`,` `;` `or` `and`) > relation (`=` `<` `\\le` `\\in` ...) >
set operation (`\\cup` `\\cap`) > sum (`+` `-` `\\pm`) > product (`*` `/`, implicit) >
unary sign > power (`^`, right-assoc) > postfix (`!` `%` `°`) > atom.
"""

from __future__ import annotations

from fractions import Fraction

from reasonloop.verify.lexer import ParseError, Token, tokenize
from reasonloop.verify.nodes import Const, Interval, Matrix, Node, Num, Op, Rel, Seq, Sym, Text
from reasonloop.verify.numbers import read_decimal

MAX_DEPTH = 40  # nesting of brackets/signs/exponents; keeps every recursion far from the limit
MAX_LITERAL_EXPONENT = 400  # 1e400 is fine, 1e999999999 is not built

FUNCTIONS = frozenset(
    "sin cos tan sec csc cot arcsin arccos arctan sinh cosh tanh exp ln log lg abs floor ceil"
    " gcd lcm max min".split()
)
GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu"
    " xi rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Sigma Phi"
    " Psi Omega".split()
)
CONSTANT_WORDS = {"pi": "pi", "infty": "inf", "inf": "inf", "infinity": "inf", "e": "e", "i": "i"}
ATOM_COMMANDS = FUNCTIONS | GREEK | {"frac", "sqrt", "binom", "choose", "pi", "infty", "angle"}
RELATIONS = frozenset({"=", "<", ">", "<=", ">=", "!=", "\\in"})
SEPARATORS = frozenset({",", ";", "or", "and"})
SET_OPERATIONS = {"\\cup": "cup", "\\cap": "cap", "\\setminus": "setminus", "U": "cup"}
MATRIX_ENVS = frozenset("matrix pmatrix bmatrix Bmatrix vmatrix Vmatrix smallmatrix array".split())


def parse(text: str) -> Node:
    """Parse normalised answer text; raises ParseError when it is not math we understand.

    >>> parse("2\\\\frac{1}{2}")
    Num(value=Fraction(5, 2), digits=None)
    """
    return _Parser(tokenize(text)).parse_answer()


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.end = len(tokens)  # kept with the list (see parse_word): peek() is the hottest line
        self.pos = 0
        self.depth = 0
        self.in_abs = 0

    # -- token helpers ---------------------------------------------------------------------
    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < self.end else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise ParseError("answer ends too early")
        self.pos += 1
        return token

    def at(self, *texts: str) -> bool:
        if self.pos >= self.end:
            return False
        token = self.tokens[self.pos]
        return token.kind != "num" and token.text in texts

    def expect(self, text: str) -> None:
        if not self.at(text):
            raise ParseError(f"expected {text!r}")
        self.pos += 1

    def at_separator(self) -> bool:
        token = self.peek()
        if token is None:
            return False
        if token.kind in ("word", "text"):
            return token.text.lower() in SEPARATORS
        return token.kind == "op" and token.text in (",", ";")

    # -- grammar ---------------------------------------------------------------------------
    def parse_answer(self) -> Node:
        node = self.parse_list()
        if self.peek() is not None:
            raise ParseError(f"unexpected {self.peek()!r}")
        return node

    def parse_list(self) -> Node:
        items = self.parse_items()
        return items[0] if len(items) == 1 else Seq("list", tuple(items))

    def parse_items(self) -> list[Node]:
        items = [self.parse_relation()]
        while self.at_separator():
            self.pos += 1
            items.append(self.parse_relation())
        return items

    def parse_relation(self) -> Node:
        items = [self.parse_set_expression()]
        ops: list[str] = []
        while self.at(*RELATIONS):
            ops.append(self.take().text)
            items.append(self.parse_set_expression())
        return items[0] if not ops else Rel(tuple(ops), tuple(items))

    def parse_set_expression(self) -> Node:
        node = self.parse_sum()
        while self.at(*SET_OPERATIONS):
            name = SET_OPERATIONS[self.take().text]
            node = Op(name, (node, self.parse_sum()))
        return node

    def parse_sum(self) -> Node:
        terms = [self.parse_product()]
        while self.at("+", "-", "\\pm", "\\mp"):
            sign = self.take().text
            term = self.parse_product()
            if sign == "-":
                terms.append(Op("neg", (term,)))
            elif sign == "+":
                terms.append(term)
            else:
                rest = term if sign == "\\pm" else Op("neg", (term,))
                terms = [Op("pm", (_join("add", terms), rest))]
        return _join("add", terms)

    def parse_product(self) -> Node:
        node = self.parse_signed()
        while True:
            if self.at("*", "/"):
                operator = self.take().text
                right = self.parse_signed()
                node = Op("mul", (node, right)) if operator == "*" else Op("div", (node, right))
            elif self.starts_implicit_factor():
                right = self.parse_power()
                node = _mixed_number(node, right) or _join("mul", [node, right])
            else:
                return node

    def starts_implicit_factor(self) -> bool:
        # `2x`, `3\\pi`, `x(y+1)` multiply without a sign; two numbers in a row do not (`3 4`
        # is a run of numbers, left unparseable rather than read as 12).
        token = self.peek()
        if token is None or self.at_separator():
            return False
        if token.kind == "num":
            return self.tokens[self.pos - 1].kind != "num"
        if token.kind == "cmd":
            return token.text[1:] in ATOM_COMMANDS
        if token.kind in ("word", "text", "begin"):
            return token.text not in SET_OPERATIONS and token.text not in RELATIONS
        return token.text in ("(", "{", "\\{") or (token.text == "|" and not self.in_abs)

    def starts_plain_factor(self) -> bool:
        """A number or a plain letter continues a function argument: `\\sin 2x` is sin(2x)."""
        token = self.peek()
        if token is None or self.at_separator():
            return False
        if token.kind == "num":
            return self.tokens[self.pos - 1].kind != "num"
        return token.kind == "word" and token.text not in FUNCTIONS and token.text != "sqrt"

    def parse_signed(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError("answer nested too deeply")
        try:
            if self.at("-"):
                self.pos += 1
                return Op("neg", (self.parse_signed(),))
            if self.at("+"):
                self.pos += 1
                return self.parse_signed()
            if self.at("\\pm", "\\mp"):
                self.pos += 1
                return Op("pm", (Num(Fraction(0)), self.parse_signed()))
            return self.parse_power()
        finally:
            self.depth -= 1

    def parse_power(self) -> Node:
        node = self.parse_postfix()
        if self.at("^"):
            self.pos += 1
            node = Op("pow", (node, self.parse_exponent()))
        return node

    def parse_exponent(self) -> Node:
        if self.at("{"):
            return self.parse_braced()
        if self.at("-", "+"):
            return self.parse_signed()
        return self.parse_power()

    def parse_postfix(self) -> Node:
        node = self.parse_atom()
        while self.at("!", "%", "\u00b0", "'"):
            mark = self.take().text
            if mark == "!":
                node = Op("fact", (node,))
            elif mark == "%":
                node = Op("pct", (node,))
            elif mark == "\u00b0":
                node = Op("deg", (node,))
            elif isinstance(node, Sym):
                node = Sym(node.name + "'")
            else:
                raise ParseError("prime on a non-variable")
        return node

    def parse_atom(self) -> Node:
        token = self.take()
        if token.kind == "num":
            return read_number(token.text)
        if token.kind == "word":
            return self.parse_word(token.text)
        if token.kind == "cmd":
            return self.parse_command(token.text)
        if token.kind == "text":
            if not token.text or token.text.lower() in SEPARATORS:
                raise ParseError("text in an unexpected place")
            return Text(token.text)
        if token.kind == "begin":
            return self.parse_matrix(token.text)
        return self.parse_bracket(token.text)

    def parse_bracket(self, text: str) -> Node:
        if text in ("(", "["):
            return self.parse_group(text)
        if text == "{":
            self.pos -= 1
            return self.parse_braced()
        if text == "\\{":
            if self.at("\\}"):
                self.pos += 1
                return Seq("set", ())
            items = self.parse_items()
            self.expect("\\}")
            return Seq("set", tuple(items))
        if text == "|" and not self.in_abs:
            self.in_abs += 1
            inner = self.parse_sum()
            self.in_abs -= 1
            self.expect("|")
            return Op("abs", (inner,))
        raise ParseError(f"unexpected {text!r}")

    def parse_group(self, opening: str) -> Node:
        # One item in brackets is grouping; two with mixed brackets (`[0, 1)`) can only be an
        # interval; two or more in matching brackets stay an ordered tuple, and the comparison
        # decides (by the gold's shape) whether `(0, 1)` is a point or an open interval.
        items = self.parse_items()
        closing = self.take().text
        if closing not in (")", "]"):
            raise ParseError("unbalanced brackets")
        if len(items) == 1 and opening + closing in ("()", "[]"):
            return items[0]
        if len(items) == 2 and opening + closing != "()":
            return Interval(items[0], items[1], opening == "[", closing == "]")
        if opening + closing in ("()", "[]"):
            return Seq("tuple", tuple(items))
        raise ParseError("half-open bracket around more than two items")

    def parse_braced(self) -> Node:
        self.expect("{")
        items = self.parse_items()
        self.expect("}")
        return items[0] if len(items) == 1 else Seq("set", tuple(items))

    def parse_word(self, word: str) -> Node:
        # `e` and `i` are constants only on their own: `e_1` is a variable with a subscript.
        if word in FUNCTIONS:
            return self.parse_function(word)
        if word in CONSTANT_WORDS and (len(word) > 1 or not self.at("_")):
            return Const(CONSTANT_WORDS[word])
        if word == "sqrt":
            return Op("sqrt", (self.parse_argument(),))
        if len(word) > 1:  # xy is x*y; a multi-letter word in math is implicit multiplication
            self.tokens[self.pos - 1 : self.pos] = [Token("word", letter) for letter in word]
            self.end = len(self.tokens)
            self.pos -= 1
            return self.parse_atom()
        return self.parse_subscript(word)

    def parse_subscript(self, name: str) -> Node:
        if not self.at("_"):
            return Sym(name)
        self.pos += 1
        token = self.take()
        if token.text == "{":
            parts = []
            while not self.at("}"):
                parts.append(self.take().text)
                if len(parts) > 8:
                    raise ParseError("subscript too long")
            self.pos += 1
            return Sym(f"{name}_{''.join(parts)}")
        return Sym(f"{name}_{token.text}")

    def parse_command(self, command: str) -> Node:
        name = command[1:]
        if name == "frac":
            return Op("div", (self.parse_argument(), self.parse_argument()))
        if name == "sqrt":
            if self.at("["):
                self.pos += 1
                index = self.parse_sum()
                self.expect("]")
                return Op("root", (self.parse_argument(), index))
            return Op("sqrt", (self.parse_argument(),))
        if name in ("binom", "choose"):
            return Op("binom", (self.parse_argument(), self.parse_argument()))
        if name in ("emptyset", "varnothing"):
            return Seq("set", ())
        if name in ("pi", "infty"):
            return Const(CONSTANT_WORDS[name])
        if name in FUNCTIONS:
            return self.parse_function(name)
        if name in GREEK or name == "angle":
            return self.parse_subscript(name)
        if command in ("\\{", "\\}"):
            return self.parse_bracket(command)
        raise ParseError(f"unsupported command {command}")

    def parse_function(self, name: str) -> Node:
        power = None
        if self.at("^"):
            self.pos += 1
            power = self.parse_exponent()
        base = None
        if name == "log" and self.at("_"):
            self.pos += 1
            base = self.parse_argument()
        if self.at("("):
            self.pos += 1
            argument = self.parse_group("(")
        else:
            argument = self.parse_power()
            while self.starts_plain_factor():
                argument = _join("mul", [argument, self.parse_power()])
        args = (
            argument.items
            if isinstance(argument, Seq) and argument.kind == "tuple"
            else (argument,)
        )
        if base is not None:
            args = (*args, base)
        node = Op("log10" if name == "lg" else name, args)
        # `\\sin^{-1} x` is arcsin, not 1/sin; `\\sin^2 x` is (sin x)^2.
        if power == Num(Fraction(-1)) and name in ("sin", "cos", "tan"):
            return Op("arc" + name, args)
        return node if power is None else Op("pow", (node, power))

    def parse_argument(self) -> Node:
        """One LaTeX macro argument: `{...}`, or a single digit/letter/command (`\\frac12`)."""
        token = self.peek()
        if token is None:
            raise ParseError("missing argument")
        if token.text == "{":
            return self.parse_braced()
        if token.kind == "num" and len(token.text) > 1 and token.text.isdigit():
            # LaTeX reads one digit per argument: `\\frac12` is 1/2, `\\frac123` is (1/2)3.
            self.tokens[self.pos] = Token("num", token.text[1:])
            return Num(Fraction(int(token.text[0])))
        if token.kind == "word" and len(token.text) > 1 and token.text not in CONSTANT_WORDS:
            self.tokens[self.pos] = Token("word", token.text[1:])
            return Sym(token.text[0])
        return self.parse_postfix()

    def parse_matrix(self, env: str) -> Node:
        if env not in MATRIX_ENVS:
            raise ParseError(f"unsupported environment {env}")
        rows: list[tuple[Node, ...]] = []
        row: list[Node] = []
        while True:
            token = self.peek()
            if token is None:
                raise ParseError("unterminated matrix")
            if token.kind == "end":
                self.pos += 1
                break
            row.append(self.parse_sum())
            if self.at("&"):
                self.pos += 1
                continue
            rows.append(tuple(row))
            row = []
            token = self.peek()
            if token is not None and token.kind == "rowsep":
                self.pos += 1
        if row:
            rows.append(tuple(row))
        if not rows or len({len(r) for r in rows}) != 1:
            raise ParseError("ragged or empty matrix")
        return Matrix(tuple(rows))


def read_number(text: str) -> Num:
    """A number literal: integer, decimal, or scientific (`1.5e3`), exactly."""
    mantissa, _, exponent = text.lower().partition("e")
    integer, _, fraction = mantissa.partition(".")
    power = int(exponent) if exponent else 0
    if abs(power) > MAX_LITERAL_EXPONENT:
        raise ParseError("number literal exponent too large")
    number = read_decimal(integer, fraction, power)
    digits = number.digits if number.digits is not None or not exponent else len(integer)
    return Num(number.value, digits)


def _join(name: str, items: list[Node]) -> Node:
    if len(items) == 1:
        return items[0]
    flat: list[Node] = []
    for item in items:
        flat.extend(item.args if isinstance(item, Op) and item.name == name else (item,))
    return Op(name, tuple(flat))


def _mixed_number(whole: Node, part: Node) -> Node | None:
    """`2\\frac{1}{2}` is two and a half, not one: integer literal then a proper fraction."""
    if isinstance(whole, Op) and whole.name == "neg" and len(whole.args) == 1:
        inner = _mixed_number(whole.args[0], part)
        return None if inner is None else Op("neg", (inner,))
    if not (isinstance(whole, Num) and whole.digits is None and whole.value.denominator == 1):
        return None
    if not (isinstance(part, Op) and part.name == "div"):
        return None
    top, bottom = part.args
    if not (isinstance(top, Num) and isinstance(bottom, Num) and 0 < top.value < bottom.value):
        return None
    if whole.value < 0 or top.value.denominator != 1 or bottom.value.denominator != 1:
        return None
    return Num(whole.value + top.value / bottom.value)
