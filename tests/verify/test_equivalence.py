"""Equivalence of an extracted answer with a gold, category by category (table-driven)."""

from __future__ import annotations

import pytest

from reasonloop.verify import Status, is_equivalent, verify

# (answer as a model writes it, gold as a dataset stores it)
EQUAL = {
    "integers": [("18", "18"), ("+5", "5"), ("007", "7"), ("-0", "0"), ("18.00", "18")],
    "decimals": [("0.5", "\\frac12"), ("2.50", "2.5"), (".5", "0.5"), ("-1.25", "-\\frac{5}{4}")],
    "thousands": [("1,000", "1000"), ("1{,}000", "1000"), ("1\\,000", "1000"),
                  ("1,234,567", "1234567"), ("\\$1{,}500", "1500")],
    "scientific": [("1.5e3", "1500"), ("1.5 \\times 10^3", "1500"), ("3\\cdot10^{-2}", "0.03"),
                   ("2E-3", "0.002")],
    "fractions": [("\\frac{1}{2}", "0.5"), ("\\frac12", "\\dfrac{1}{2}"), ("\\tfrac{3}{4}", "3/4"),
                  ("\\dfrac{6}{8}", "\\frac34"), ("1/2", "\\frac{1}{2}"), ("{1 \\over 2}", "0.5"),
                  ("\\frac{-1}{2}", "-\\frac12")],
    "mixed numbers": [("2\\frac{1}{2}", "2.5"), ("2 1/2", "\\frac52"), ("-1\\frac{1}{2}", "-1.5")],
    "repeating decimals": [("0.\\overline{3}", "\\frac13"), ("0.1\\overline{6}", "\\frac16"),
                           ("1.\\overline{09}", "\\frac{12}{11}")],
    "radicals": [("\\frac{\\sqrt2}{2}", "\\frac{1}{\\sqrt{2}}"), ("2\\sqrt{3}", "\\sqrt{12}"),
                 ("\\sqrt[3]{8}", "2"), ("\\sqrt{8}", "2\\sqrt2"), ("√2", "\\sqrt{2}"),
                 ("\\sqrt{2}+\\sqrt{3}", "\\sqrt{5+2\\sqrt{6}}"), ("3^{1/2}", "\\sqrt3")],
    "pi and e": [("2\\pi", "\\pi \\cdot 2"), ("π/2", "\\frac{\\pi}{2}"), ("e^2", "e \\cdot e"),
                 ("\\frac{\\pi}{6}", "30^\\circ")],
    "powers and logs": [("2^{10}", "1024"), ("2^10", "1024"), ("\\log_2 8", "3"),
                        ("\\ln(e^3)", "3"), ("\\log_{10} 1000", "3"), ("4^{-1}", "0.25")],
    "binomials and factorials": [("\\binom{5}{2}", "10"), ("{5 \\choose 2}", "10"),
                                 ("5!", "120"), ("\\dbinom{6}{3}", "20"),
                                 ("\\binom{n}{2}", "\\frac{n(n-1)}{2}")],
    "percentages": [("50\\%", "0.5"), ("50\\%", "50"), ("0.5", "50\\%"), ("50", "50\\%"),
                    ("12.5%", "\\frac18"), ("33\\frac{1}{3}\\%", "\\frac{1}{3}")],
    "degrees": [("30^\\circ", "30"), ("30°", "30"), ("30^{\\circ}", "\\frac{\\pi}{6}")],
    "currency and units": [("\\$18", "18"), ("18 dollars", "18"), ("5 cm", "5"),
                           ("5\\text{ cm}^2", "5"), ("\\text{18 dollars}", "18"),
                           ("12 apples", "12"), ("3\\sqrt{2} \\text{ units}", "3\\sqrt2")],
    "number words": [("seven", "7"), ("twenty-one", "21"), ("one hundred and five", "105"),
                     ("one half", "\\frac12"), ("four", "\\text{four}")],
    "unicode": [("−3", "-3"), ("2×10³", "2000"), ("1.5", "6÷4"), ("√(16)", "4"), ("∞", "\\infty"),
                ("x²+1", "x^2+1"), ("½", "0.5")],
    "symbolic": [("x^2+2x+1", "(x+1)^2"), ("(a+b)^2", "a^2+2ab+b^2"), ("2\\sin x\\cos x",
                 "\\sin 2x"), ("\\sin^2 x+\\cos^2 x", "1"), ("\\frac{x^2-1}{x-1}", "x+1"),
                 ("e^{\\ln x}", "x"), ("\\sqrt{x^2}", "|x|")],
    "equations": [("x=3", "3"), ("3", "x=3"), ("y = 2x+1", "y=1+2x"), ("a=2, b=3", "b=3, a=2"),
                  ("2x - y = 1", "y = 2x - 1"), ("f(x) = x^2", "x^2"), ("x = 6/2 = 3", "3"),
                  ("20 - 5 = 15", "15")],
    "intervals and inequalities": [("(2,\\infty)", "x>2"), ("x>2", "(2, \\infty)"),
                                   ("2 < x \\le 5", "(2,5]"), ("[1,2)", "[1,2)"),
                                   ("x \\in [0, 1]", "[0,1]"), ("(-\\infty,-1]\\cup(3,\\infty)",
                                   "x \\le -1 \\text{ or } x > 3"), ("1<x<2", "(1,2)"),
                                   ("(-\\infty, \\infty)", "\\mathbb{R}")],
    "sets": [("\\{1,2,3\\}", "\\{3,2,1\\}"), ("1, 2", "2, 1"), ("x=1 \\text{ or } x=-2", "-2, 1"),
             ("\\pm 3", "3, -3"), ("-3, 3", "\\pm3"), ("1 \\pm \\sqrt{2}", "1+\\sqrt2, 1-\\sqrt2"),
             ("\\emptyset", "\\{\\}")],
    "tuples": [("(1,2)", "(1, 2)"), ("(0.5, -1)", "(\\frac12, -1)"), ("(1,2,3)", "(1,2,3)")],
    "matrices": [("\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}",
                  "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}"),
                 ("\\begin{pmatrix} 0.5 \\\\ -1 \\end{pmatrix}", "(\\frac12, -1)"),
                 ("\\begin{pmatrix} \\sqrt{4} \\\\ 2^3 \\end{pmatrix}",
                  "\\begin{pmatrix} 2 \\\\ 8 \\end{pmatrix}")],
    "multiple choice": [("(B)", "B"), ("B", "\\text{B}"), ("\\text{(B)}", "B"), ("(b)", "B"),
                        ("B) 42", "(B)"), ("\\textbf{C}", "C")],
    "text": [("\\text{Monday}", "monday"), ("Monday", "\\text{Monday}"), ("yes", "Yes"),
             ("\\text{even}", "even")],
    "complex": [("i^2", "-1"), ("(1+i)^2", "2i"), ("3+4i", "4i+3")],
    "precision": [("0.3333333333", "\\frac13"), ("1.4142135624", "\\sqrt2"),
                  ("0.3", "0.1+0.2"), ("\\frac{1}{2^{99}}", "2^{-99}"), ("2^{53}+1",
                  "9007199254740993"), ("3.14159265358979", "\\pi")],
    "large exact values": [("2^{2^{2^{2^{2}}}}", "2^{65536}"), ("100!", "100!"),
                           ("10^{20}+1", "100000000000000000001")],
}  # fmt: skip

DIFFERENT = {
    "close numbers": [("17.99", "18"), ("1001", "1000"), ("-3", "3"), ("0.5000001", "0.5"),
                      ("3.0001", "3"), ("12.5", "125"),
                      ("\\frac{1}{1000001}", "\\frac{1}{1000000}"),
                      ("9007199254740993", "9007199254740992"),
                      ("10^{20}", "100000000000000000001")],
    "stated precision too low": [("0.33", "\\frac13"), ("0.3333", "\\frac13"),
                                 ("1.414", "\\sqrt2"),
                                 ("3.14159", "\\pi"), ("2.718", "e"), ("0.666667", "\\frac23"),
                                 ("\\frac{1}{3}", "0.33"), ("\\frac{22}{7}", "\\pi")],
    "no absolute chop": [("\\frac{1}{2^{99}}", "\\frac{1}{2^{98}}"), ("10^{-30}", "0"),
                         ("1-10^{-20}", "1"), ("10^{-9}", "0")],
    "symbolic": [("x^2+2x", "x^2+2x+1"), ("2\\sqrt{3}", "3\\sqrt{2}"), ("\\frac{\\pi}{3}",
                 "\\frac{\\pi}{4}"), ("4\\pi", "4\\pi^2"), ("y+1", "x+1"), ("x", "5")],
    "structure": [("(1,2]", "(1,2)"), ("[1,2]", "[1,2)"), ("(2,1)", "(1,2)"), ("\\{1,2\\}",
                  "(1,2)"), ("1, 2, 3", "1, 2"), ("x>2", "x \\ge 2"), ("(1,2)", "[1,2]")],
    "units do not rescue": [("\\$17", "\\$18"), ("5 cm", "6")],
    "percent is not a factor of 100 elsewhere": [("0.5", "50"), ("5000\\%", "0.5")],
    "choices": [("C", "B"), ("(A)", "B"), ("B or C", "B"), ("A, B", "B"), ("ABCDE", "B")],
    "text": [("Tuesday", "Monday"), ("\\text{odd}", "even")],
    "degree is not radians": [("30", "\\frac{\\pi}{6}")],
    "inconsistent chain": [("2+2 = 5", "5")],
}  # fmt: skip


def _flatten(table: dict[str, list[tuple[str, str]]]) -> list[object]:
    return [pytest.param(a, g, id=f"{name}: {a} | {g}") for name, rows in table.items()
            for a, g in rows]  # fmt: skip


@pytest.mark.parametrize(("answer", "gold"), _flatten(EQUAL))
def test_equivalent(answer: str, gold: str) -> None:
    verdict = verify(f"The final answer is $\\boxed{{{answer}}}$.", gold)
    assert verdict.status is Status.CORRECT, verdict.reason
    assert is_equivalent(answer, gold)


@pytest.mark.parametrize(("answer", "gold"), _flatten(DIFFERENT))
def test_not_equivalent(answer: str, gold: str) -> None:
    verdict = verify(f"The final answer is $\\boxed{{{answer}}}$.", gold)
    assert verdict.status is Status.INCORRECT, verdict.reason
    assert verdict.reason
    assert not is_equivalent(answer, gold)


def test_gold_and_response_are_not_symmetric() -> None:
    assert is_equivalent("0.3333333333", "\\frac13")
    assert not is_equivalent("\\frac13", "0.3333333333")


@pytest.mark.parametrize("gold", ["", "   ", "\\frac{", "((", "x" * 5000, "@#%^&"])
def test_unparseable_gold(gold: str) -> None:
    verdict = verify("\\boxed{1}", gold)
    assert verdict.status is Status.UNPARSEABLE_GOLD and not verdict.correct
