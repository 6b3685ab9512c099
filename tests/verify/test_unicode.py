"""Unicode math is folded once before reading (issue 20): a test per symbol, each with the
wrong answer that must stay wrong; mixed numbers with a space; both roots named in prose."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reasonloop.verify import verify
from reasonloop.verify.symbols import fold_unicode

SYMBOLS = [
    # (symbol, response, gold it answers, gold it must not answer)
    ("minus U+2212", "So the temperature is \u221212 degrees.", "-12", "12"),
    ("minus U+2212 in a label", "The answer is \u22123/4.", "-3/4", "3/4"),
    ("square root", "The answer is 3\u221a2.", "3\\sqrt{2}", "3"),
    ("square root of a group", "The answer is \u221a(2).", "\\sqrt{2}", "2"),
    ("square root in a sentence", "So the side is 3\u221a2.", "3\\sqrt{2}", "3\\sqrt{3}"),
    ("pi", "The answer is 4\u03c0.", "4\\pi", "4"),
    ("pi in a sentence", "The area is 4\u03c0 square units.", "4\\pi", "4"),
    ("pi over a number", "The angle is \u03c0/2.", "\\frac{\\pi}{2}", "\\pi"),
    ("one half", "The answer is \u00bd.", "1/2", "2"),
    ("one third", "The answer is \u2153.", "1/3", "0.33"),
    ("three quarters", "The answer is \u00be.", "0.75", "3/5"),
    ("mixed number with a vulgar fraction", "The answer is 2\u00bd.", "5/2", "1"),
    ("times", "So 3 \u00d7 4 = 12.", "12", "13"),
    ("times left undone", "The answer is 12 \u00d7 4.", "12 \\times 4", "48"),
    ("divided by", "So 12 \u00f7 4 = 3.", "3", "4"),
    ("superscript power of a variable", "The answer is x\u00b2.", "x^2", "2x"),
    ("superscript power of ten", "The answer is 10\u00b3.", "1000", "30"),
    ("superscript power in a sentence", "The volume is 10\u00b3.", "1000", "103"),
    ("negative superscript power", "The answer is 10\u207b\u00b3.", "0.001", "1000"),
    ("less or equal", "The answer is x \u2264 3.", "x \\le 3", "x < 3"),
    ("greater or equal", "The answer is x \u2265 3.", "[3, \\infty)", "(3, \\infty)"),
    ("not equal", "The answer is x \u2260 3.", "x \\neq 3", "x = 3"),
    ("no-break space in a number", "The answer is 1\u00a0000 apples.", "1000", "1"),
    ("thin space in a number", "So the total is 1\u2009000.", "1000", "1"),
    ("narrow no-break space in a number", "The answer is 12\u202f345.", "12345", "12"),
]


@pytest.mark.parametrize(("symbol", "response", "gold", "wrong"), SYMBOLS)
def test_each_unicode_symbol_is_read_and_a_wrong_answer_stays_wrong(
    symbol: str, response: str, gold: str, wrong: str
) -> None:
    assert verify(response, gold).correct, symbol
    assert not verify(response, wrong).correct, symbol


@pytest.mark.parametrize(
    ("response", "gold"),
    [
        ("The answer is 10\u201312.", "-2"),  # an en dash between numbers is a range
        ("pages 10\u201312", "-2"),
        ("The answer is 3 4.", "34"),  # a space groups digits only in threes
        ("The answer is 2\u00bd.", "2"),
        ("The answer is 12 \u00d7 4.", "48"),  # arithmetic left undone stays undone
    ],
)
def test_folding_never_makes_a_wrong_answer_right(response: str, gold: str) -> None:
    assert not verify(response, gold).correct


def test_ascii_text_is_returned_as_is() -> None:
    text = "The answer is $\\frac{1}{2}$."
    assert fold_unicode(text) is text


MIXED = [
    # (response, gold, correct): a mixed number with a space where a quantity is counted
    ("She walked 2 1/2 miles.", "5/2", True),
    ("She walked 2\u00bd miles.", "5/2", True),
    ("So she used 1 3/4 cups of flour.", "1.75", True),
    ("The answer is 2 1/2 miles.", "5/2", True),
    ("She walked 2 1/4 miles.", "5/2", False),
    ("She walked 2 1/2 miles.", "2", False),
    ("She walked 2 1/2 miles.", "1", False),  # not 2 x 1/2
    ("The numbers are 2 1/2 and 7.", "5/2", False),  # a list, not one quantity
]


@pytest.mark.parametrize(("response", "gold", "correct"), MIXED)
def test_mixed_numbers_with_a_space(response: str, gold: str, correct: bool) -> None:
    assert verify(response, gold).correct is correct


ROOTS = [
    # (response, gold, correct): both roots named in prose answer a `\pm` gold; one does not
    ("So x = 3 or x = -3.", "\\pm 3", True),
    ("So x = 3 and x = -3.", "\\pm 3", True),
    ("The solutions are $x = 3$ and $x = -3$.", "\\pm 3", True),
    ("The roots are 3 and -3.", "\\pm 3", True),
    ("$\\boxed{3}$ and $\\boxed{-3}$", "\\pm 3", True),
    ("The solutions are $x = 3$ and $x = -3$.", "3, -3", True),
    ("So x = 3.", "\\pm 3", False),
    ("The answer is $\\boxed{3}$.", "\\pm 3", False),
    ("So x = 3 or x = -3.", "3", False),  # two roots against one value: a hedge
    ("$\\boxed{3}$ and $\\boxed{-3}$", "3", False),
    ("So x = 3 or x = 4.", "\\pm 3", False),
    ("The roots are 3 and 3.", "\\pm 3", False),
]


@pytest.mark.parametrize(("response", "gold", "correct"), ROOTS)
def test_both_roots_named_in_prose(response: str, gold: str, correct: bool) -> None:
    assert verify(response, gold).correct is correct


UNICODE_MATHY = st.lists(
    st.sampled_from(
        list("0123456789 .,/()=+-xa$\\")
        + list("\u2212\u2013\u221a\u03c0\u00bd\u2153\u00be\u00d7\u00f7\u00b2\u00b3\u207b")
        + list("\u2264\u2265\u2260\u00a0\u2009\u202f\u221e\u00b0\uff0c\uff1a")
    ),
    max_size=30,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=UNICODE_MATHY, response=st.booleans())
def test_folding_is_done_once(text: str, response: bool) -> None:
    # folded text folds to itself: reading folds once, and a second fold changes nothing
    once = fold_unicode(text, response=response)
    assert fold_unicode(once, response=response) == once
