"""Gold extraction and format detection for dataset rows."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reasonloop.tasks import extract_gsm8k_gold, extract_last_boxed
from reasonloop.tasks.formats import RowError, RowFormat, parse_row, resolve_format


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"\boxed{5}", "5"),
        (r"so $\boxed{\frac{1}{2}}$.", r"\frac{1}{2}"),
        (r"first \boxed{1} then \boxed{2}", "2"),
        (r"\boxed{ {a}^{b} }", "{a}^{b}"),
        (r"\boxed {7}", "7"),
        (r"\fbox{x+1}", "x+1"),
        (r"\boxed{\text{(A)}}", r"\text{(A)}"),
        (r"\boxed{}", ""),
        (r"\boxed{1", None),
        (r"\boxed 5", None),
        ("no box here", None),
        ("", None),
    ],
)
def test_extract_last_boxed(text: str, expected: str | None) -> None:
    assert extract_last_boxed(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Janet sells 9 eggs.\n#### 18", "18"),
        ("#### 1,000", "1000"),
        ("so -3.5\n####  -3.5 ", "-3.5"),
        ("a #### 1\nthen\n#### 2", "2"),
        ("####", ""),
        ("no marker 5", None),
    ],
)
def test_extract_gsm8k_gold(text: str, expected: str | None) -> None:
    assert extract_gsm8k_gold(text) == expected


@given(st.text())
def test_extractors_never_raise(text: str) -> None:
    extract_last_boxed(text)
    extract_gsm8k_gold(text)


@pytest.mark.parametrize(
    ("row", "format", "fields", "expected"),
    [
        (
            {"question": "q", "answer": "x\n#### 4"},
            "auto",
            (None, None),
            RowFormat("gsm8k", "question", "answer"),
        ),
        (
            {"problem": "q", "solution": r"\boxed{4}"},
            "auto",
            (None, None),
            RowFormat("math", "problem", "solution"),
        ),
        (
            {"problem": "q", "solution": r"\boxed{4}", "answer": "4"},
            "auto",
            (None, None),
            RowFormat("plain", "problem", "answer"),
        ),
        (
            {"question": "q", "answer": "4"},
            "auto",
            (None, None),
            RowFormat("plain", "question", "answer"),
        ),
        (
            {"question": "q", "answer": 4},
            "auto",
            (None, None),
            RowFormat("plain", "question", "answer"),
        ),
        (
            {"prompt": "q", "target": "4"},
            "auto",
            (None, None),
            RowFormat("plain", "prompt", "target"),
        ),
        ({"q": "q", "a": "so #### 4"}, "auto", ("q", "a"), RowFormat("gsm8k", "q", "a")),
        (
            {"question": "q", "answer": "4"},
            "math",
            (None, None),
            RowFormat("math", "question", "answer"),
        ),
        ({}, "gsm8k", (None, None), RowFormat("gsm8k", "question", "answer")),
        ({}, "math", (None, None), RowFormat("math", "question", "answer")),
    ],
)
def test_resolve_format(
    row: dict[str, object],
    format: str,
    fields: tuple[str | None, str | None],
    expected: RowFormat,
) -> None:
    assert resolve_format(row, format, *fields) == expected


@pytest.mark.parametrize(
    ("row", "row_format", "field", "reason"),
    [
        ({"answer": "#### 1"}, RowFormat("gsm8k", "question", "answer"), "question", "missing"),
        (
            {"question": "q", "answer": None},
            RowFormat("plain", "question", "answer"),
            "answer",
            "missing",
        ),
        (
            {"question": " ", "answer": "1"},
            RowFormat("plain", "question", "answer"),
            "question",
            "empty",
        ),
        (
            {"question": "q", "answer": "no marker"},
            RowFormat("gsm8k", "question", "answer"),
            "answer",
            "gold marker",
        ),
        (
            {"question": "q", "answer": "#### "},
            RowFormat("gsm8k", "question", "answer"),
            "answer",
            "empty",
        ),
        (
            {"problem": "q", "solution": r"\boxed{"},
            RowFormat("math", "problem", "solution"),
            "solution",
            "boxed",
        ),
        (
            {"problem": "q", "solution": r"\boxed{}"},
            RowFormat("math", "problem", "solution"),
            "solution",
            "empty gold",
        ),
        (
            {"question": ["q"], "answer": "1"},
            RowFormat("plain", "question", "answer"),
            "question",
            "expected text or a number, got list",
        ),
        (
            {"question": "q", "answer": True},
            RowFormat("plain", "question", "answer"),
            "answer",
            "got bool",
        ),
    ],
)
def test_parse_row_errors_name_the_field(
    row: dict[str, object], row_format: RowFormat, field: str, reason: str
) -> None:
    with pytest.raises(RowError) as info:
        parse_row(row, row_format)
    assert info.value.field == field
    assert reason in str(info.value)
