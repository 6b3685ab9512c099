"""Notations a careful grader reads that the expression grammar alone does not (issue 7).

Each class: accepted forms (graded correct) and traps (never graded correct). The classes come
from the peer verifier's own test suite (benchmarks/corpus/peer_cases.jsonl).
"""

from __future__ import annotations

import pytest

from reasonloop.verify import Status, verify

# (class, response, gold)
ACCEPTED = [
    ("decimal comma", "1000,99", "1000.99"),
    ("decimal comma", "The total is $\\boxed{3,14}$.", "3.14"),
    ("decimal comma", "1.22", "1,22"),
    ("decimal comma", "0.111", "0,111"),  # no thousands reading starts with 0
    ("decimal comma", "-2,5000", "-2.5000"),
    ("ratio", "$\\boxed{7:32}$", "$S_{MBCN}:S=7:32$"),
    ("ratio", "$11:21$", "$V_{1}:V_{2}=11:21$"),
    ("ratio", "$$1$$", "$$A:B=1$$"),
    ("ratio", "\\boxed{14:64}", "7:32"),
    ("ratio", "\\boxed{\\frac{7}{32}}", "7:32"),
    ("ratio", "The train leaves at \\boxed{10:30}", "10:30"),
    ("base n", "a quotient of $\\boxed{204_5}$.", "$204_5$"),
    ("base n", "\\boxed{204}", "204_5"),  # the digits asked for, subscript left out
    ("base n", "\\boxed{1111_2}", "120_3"),  # an explicit base, the same value
    ("base n", "\\boxed{54_{10}}", "204_5"),
    ("gold chain", "$0$", "$1 = \\zzz = x = 0$"),  # trusted gold: its last side
    ("gold chain", "\\boxed{2}", "z = 1 + 1 = 2"),
    ("range", "$(0,1)$", "$0<f(x)<1$"),
    ("range", "$0<f(x)<1$", "$(0,1)$"),
    ("absolute value", "$z \\in [-\\frac{3}{2}, -1] \\cup [1, \\frac32]$", "1\\leq|z|\\leq 3/2"),
    ("absolute value", "\\boxed{(-3, 3)}", "|x| < 3"),
    ("absolute value", "\\boxed{(-\\infty, -3) \\cup (3, \\infty)}", "|x| > 3"),
    ("absolute value", "\\boxed{|x| \\le 2}", "[-2, 2]"),
    ("repeated assignments", "$(5,2),(7,2)$", "$p=5,q=2;p=7,q=2$"),
    ("repeated assignments", "$(7,2),(5,2)$", "$p=5,q=2;p=7,q=2$"),
    ("repeated assignments", "$p=7,q=2;p=5,q=2$", "$p=5,q=2;p=7,q=2$"),
    ("named tuple", "\\boxed{(x, y) = (5, 8) \\quad \\text{and} \\quad (8, 5)}", "(5, 8), (8, 5)"),
    ("named tuple", "\\boxed{(x, y) = (5, 8)}", "(5, 8)"),
    ("grouping braces", "${1,3}$", "$(1,3)$"),  # LaTeX shows `1,3`
    ("function values", "W(x)=1orW(x)=-1", "\\\\boxed{W(n) = 1 \\\\text{ and } W(n) = -1"),
    ("function values", "$W(x) = 1$ or $W(x) = -1$", "W(n) = 1 \\text{ and } W(n) = -1"),
    ("restated ending", "the number is not 10 which is 1,000.99€", "1000.99"),
    ("restated ending", "not it's not 10 it's 1,000.99m²", "1000.99"),
    ("restated ending", "so the total is 12 apples, which is 12", "12"),
    ("reference word", "So there are 12 sequences that meet the three given conditions.", "12"),
    ("reference word", "The two numbers sum to 12.", "12"),
    ("relative modal", "Final Answer: The number of points that could be in $D$ is 19.", "19"),
    ("number word", "So she has twelve apples left.", "12"),
    ("number word", "So she has twenty-five apples left.", "25"),
    ("named chain", "$x = 5 + 5 + 1 = 11$", "11"),
    ("approximation", "So $x = \\frac{1}{3} \\approx 0.333$.", "1/3"),
    ("approximation", "The area is $\\boxed{12\\pi \\approx 37.70}$", "12\\pi"),
    ("approximation", "$2\\sqrt{2} \\approx 2.8$", "\\sqrt{8}"),
    ("approximation", "$x=1/3\\approx1.3$", "1/3"),  # a bad rounding of the exact answer
    (
        "lost backslash",
        "$\\begin{pmatrix}-\frac{7}{4}&-2\\\\4&\\frac{1}{4}\\end{pmatrix}$",
        "$\\begin{pmatrix}-\frac{7}{4}&-2\\\\4&\frac{1}{4}\\end{pmatrix}$",
    ),  # \f: form feed
    ("lost backslash", "$\x08inom{5}{2}$", "10"),  # \b: backspace before `inom`
    ("membership gold", "$-2 \\le x \\le 7$", "$x \\in [-2,7]$"),
    ("membership gold", "$[-2, 7]$", "$x \\in [-2,7]$"),
    ("time", "$12:00$", "$12:00$"),
    ("oxford comma", "$19, 46, \\text{ and } 82$", "$19, 46, and 82$"),
    ("oxford comma", "$82, 19, and 46$", "$19, 46, 82$"),
]

TRAPS = [
    ("decimal comma", "2,125", "2.125"),  # three digits: a thousands separator
    ("decimal comma", "1.2", "1,2"),  # a gold `1,2` may be a list of two numbers
    ("decimal comma", "1000,98", "1000.99"),
    ("decimal comma", "1,000", "1.000"),
    ("decimal comma", "\\boxed{1,22}", "1"),
    ("ratio", "\\boxed{7:31}", "7:32"),
    ("ratio", "\\boxed{32:7}", "7:32"),
    ("ratio", "\\boxed{7}", "7:32"),
    ("ratio", "\\boxed{2}", "$A:B=1$"),
    ("ratio", "\\boxed{3:4}", "\\frac{3}{4}"),  # a ratio only where the gold is one
    ("ratio", "\\boxed{\\frac{3+4}{32}}", "7:32"),  # arithmetic left undone
    ("ratio", "\\boxed{1:3}", "10:30"),  # not in lowest terms: perhaps a time of day
    ("ratio", "\\boxed{\\frac13}", "10:30"),
    ("base n", "\\boxed{54}", "204_5"),  # a decimal is not the base-5 answer asked for
    ("base n", "\\boxed{205_5}", "204_5"),  # 5 is not a base-5 digit
    ("base n", "\\boxed{203_5}", "204_5"),
    ("base n", "\\boxed{204_6}", "204_5"),
    ("gold chain", "\\boxed{1}", "$1 = \\zzz = x = 0$"),
    ("gold chain", "$z = 3+3 = 2$", "z = 1 + 1 = 2"),  # the answer's chain does not hold
    ("range", "$[0,1)$", "$0<f(x)<1$"),
    ("range", "$(0,1)$", "$0<x+1<1$"),  # an expression is not what the interval ranges
    ("absolute value", "\\boxed{[1, \\frac{3}{2}]}", "1\\leq|z|\\leq 3/2"),
    ("absolute value", "\\boxed{[-3, 3]}", "|x| < 3"),
    ("absolute value", "\\boxed{(3, \\infty)}", "|x| > 3"),
    ("repeated assignments", "$(2,5),(2,7)$", "$p=5,q=2;p=7,q=2$"),
    ("repeated assignments", "$(5,2)$", "$p=5,q=2;p=7,q=2$"),
    ("repeated assignments", "$(5,2),(7,2),(3,2)$", "$p=5,q=2;p=7,q=2$"),
    ("named tuple", "\\boxed{(x, y) = (5, 8) \\text{ and } (8, 6)}", "(5, 8), (8, 5)"),
    ("named tuple", "\\boxed{(x, y) = (8, 5)}", "(5, 8)"),
    ("grouping braces", "${3,1}$", "$(1,3)$"),
    ("grouping braces", "$\\{1,3\\}$", "$(1,3)$"),  # an escaped brace is a set
    ("function values", "W(x)=1orW(x)=-2", "\\\\boxed{W(n) = 1 \\\\text{ and } W(n) = -1"),
    ("function values", "$W(x) = 1$", "W(n) = 1 \\text{ and } W(n) = -1"),
    ("function values", "2or3", "3"),
    ("restated ending", "maybe it's 10 or it's 1,000.99", "1000.99"),
    ("restated ending", "so it's not 1,000.99", "1000.99"),
    ("restated ending", "It is 3 + 4 which is 7", "3"),
    ("restated ending", "the number is 1,000.99 which is 10", "1000.99"),
    ("reference word", "So there are 12 sequences and three conditions.", "12"),
    ("reference word", "Two numbers sum to 12.", "12"),
    ("relative modal", "It could be 19.", "19"),
    ("relative modal", "The value that could be 19 is 20.", "19"),
    ("number word", "So she has one apple left.", "1"),  # `one` is too often a pronoun
    ("number word", "So she has twelve or thirteen apples.", "12"),
    ("number word", "So she has twelve apples and three pears.", "12"),
    ("named chain", "\\boxed{x = 4 = 7}", "7"),  # both 4 and 7 would pass otherwise
    ("named chain", "$x = 5+5+1 = 7 = 11$", "11"),
    ("named chain", "$x = 5 \\approx 1/3$", "1/3"),
    ("approximation", "$x=1/3\\approx1.3$", "1.3"),  # only the exact side counts
    ("approximation", "$\\frac{1}{3} \\approx 0.333$", "0.333"),
    ("approximation", "$x = 5+5+1 = 1/3 \\approx 11$", "x = 1/3"),  # the chain does not hold
    ("approximation", "$x \\approx 0.333$", "1/3"),  # only the rounding is given
    ("approximation", "$\\frac{1}{3} \\approx 0.333$", "1/4"),
    ("lost backslash", "$3\t\\times 4$", "12"),  # a real tab; the product is still undone
    ("lost backslash", "$\text{13}$", "$13$"),  # a tab is whitespace, not `\t`: `ext{13}`
    ("membership gold", "$-2 < x \\le 7$", "$x \\in [-2,7]$"),
    ("membership gold", "$x \\in \\{-2, 7\\}$", "$x \\in [-2,7]$"),
    ("time", "$0$", "$12:00$"),
    ("time", "$0$", "$1:0$"),
    ("oxford comma", "$21, 36, and 82$", "$19, 46, and 82$"),
    ("oxford comma", "$19, 46, and 82$", "$19$"),  # a list for one value is a hedge
]


@pytest.mark.parametrize(("kind", "response", "gold"), ACCEPTED)
def test_accepted_notation(kind: str, response: str, gold: str) -> None:
    verdict = verify(response, gold)
    assert verdict.status is Status.CORRECT, (kind, verdict)


@pytest.mark.parametrize(("kind", "response", "gold"), TRAPS)
def test_notation_trap_is_not_correct(kind: str, response: str, gold: str) -> None:
    verdict = verify(response, gold)
    assert not verdict.correct, (kind, verdict)
