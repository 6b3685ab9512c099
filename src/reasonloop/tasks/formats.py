"""Row formats: how a dataset row holds its question and gold answer.

- gsm8k: `answer` holds a worked solution; the gold follows the last `#### ` (commas dropped).
- math:  `solution` holds a worked solution; the gold is the content of its last `\\boxed{}`.
- plain: the answer field holds the gold itself.

`auto` picks one from the first good row of a source; every row is then read with that format.

>>> extract_last_boxed(r"so $\\boxed{\\frac{1}{2}}$ and \\boxed{3}")
'3'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FORMATS = ("auto", "gsm8k", "math", "plain")

# Candidate field names, most specific first, used when the caller names none.
QUESTION_FIELDS = ("question", "problem", "prompt", "input")
ANSWER_FIELDS = ("answer", "solution", "gold", "target", "output")
ID_FIELDS = ("id", "problem_id", "idx")

GSM8K_MARKER = "####"


class RowError(ValueError):
    """A row cannot be read; `field` names the culprit. The loader adds file and row."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"field {field!r}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class RowFormat:
    """A resolved format: which fields to read and how to find the gold."""

    name: str  # "gsm8k", "math" or "plain"
    question_field: str
    answer_field: str


@dataclass(frozen=True)
class ParsedRow:
    question: str
    gold: str
    solution: str | None  # the worked solution the gold came from, when there is one


def extract_last_boxed(text: str) -> str | None:
    """The content of the last `\\boxed{...}` (or `\\fbox{...}`), braces matched; None if absent
    or unbalanced."""
    start = max(text.rfind("\\boxed"), text.rfind("\\fbox"))
    if start < 0:
        return None
    open_at = text.find("{", start)
    if open_at < 0 or text[start:open_at].strip() not in {"\\boxed", "\\fbox"}:
        return None
    depth = 0
    for index in range(open_at, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return text[open_at + 1 : index].strip()
    return None


def extract_gsm8k_gold(solution: str) -> str | None:
    """The text after the last `####`, commas dropped (`1,000` -> `1000`); None if absent."""
    if GSM8K_MARKER not in solution:
        return None
    return solution.rsplit(GSM8K_MARKER, 1)[1].strip().replace(",", "")


def resolve_format(
    row: Mapping[str, Any],
    format: str,
    question_field: str | None,
    answer_field: str | None,
) -> RowFormat:
    """Fix the format and field names for a source, looking at its first row when needed."""
    name = format
    if name == "auto":
        name = _detect_format(row, answer_field)
    question = question_field or _default_field(row, name, QUESTION_FIELDS, "problem")
    answer = answer_field or _default_field(row, name, ANSWER_FIELDS, "solution")
    return RowFormat(name=name, question_field=question, answer_field=answer)


def _detect_format(row: Mapping[str, Any], answer_field: str | None) -> str:
    field = answer_field or next((f for f in ANSWER_FIELDS if f in row), None)
    value = row.get(field) if field else None
    if isinstance(value, str) and GSM8K_MARKER in value:
        return "gsm8k"
    if isinstance(value, str) and extract_last_boxed(value) is not None:
        return "math"
    return "plain"


def _default_field(
    row: Mapping[str, Any], name: str, candidates: tuple[str, ...], math_field: str
) -> str:
    # MATH-style rows call their fields problem/solution; everything else question/answer.
    if name == "math" and math_field in row:
        return math_field
    return next((field for field in candidates if field in row), candidates[0])


def parse_row(row: Mapping[str, Any], row_format: RowFormat) -> ParsedRow:
    """Question and gold of one row; RowError naming the field when either is missing/empty."""
    question = _read_text(row, row_format.question_field)
    answer = _read_text(row, row_format.answer_field)
    if row_format.name == "plain":
        return ParsedRow(question=question, gold=answer, solution=None)
    if row_format.name == "gsm8k":
        gold = extract_gsm8k_gold(answer)
        missing = f"no '{GSM8K_MARKER} ' gold marker"
    else:
        gold = extract_last_boxed(answer)
        missing = "no balanced \\boxed{...} gold"
    if gold is None:
        raise RowError(row_format.answer_field, missing)
    if not gold:
        raise RowError(row_format.answer_field, "empty gold")
    return ParsedRow(question=question, gold=gold, solution=answer)


def _read_text(row: Mapping[str, Any], field: str) -> str:
    if field not in row or row[field] is None:
        raise RowError(field, f"missing (row has fields: {', '.join(map(str, row)) or 'none'})")
    value = row[field]
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise RowError(field, f"expected text or a number, got {type(value).__name__}")
    text = str(value).strip()
    if not text:
        raise RowError(field, "empty")
    return text
