"""Answers a person reads without a box or an answer phrase (issue 7), each with its trap.

Every class has accepted forms (graded correct) and traps (never graded correct). Most accepted
forms are the shapes seen in real outputs: few-shot GSM8K `A: N` lines, SmolLM2's bare sums,
eval harnesses passing an already extracted answer, MATH-style final sentences and boxes.
"""

from __future__ import annotations

import pytest

from reasonloop.verify import Status, verify
from reasonloop.verify.extract import extract

# (class, response, gold)
ACCEPTED = [
    ("qa line", "Tom has 3 apples and gets 15 more, so 3+15=18.\nA: 18", "18"),
    ("qa line", "Q: How many?\nA: 42", "42"),
    ("qa line", "She pays 4 * 2 = 8 dollars.\n\nA: $8", "8"),
    ("qa line", "so 12 - 5 = 7.\nA: 7 apples", "7"),
    ("qa line", "A: 18\nA: 18", "18"),  # a repeat is not a hedge
    ("qa line", "Step one.\n**A:** 1,250", "1250"),
    ("qa line", "so 48+24 = 72.\nA: 72 (clips)", "72"),
    ("qa line", "so 48+24 = 72.\nA: 72 clips altogether by the end of April.", "72"),
    ("qa line", "so 18.\nA: 18\n\nQ: How many cats are there?\nA: 7", "18"),  # ran on
    ("qa line", "Answer: 5\n\nQuestion: What is 3 + 4?\nAnswer: 7", "5"),
    ("qa line", "so 18.\nA: 18\n\nQ: How many?\nA: $\\boxed{7}$", "18"),
    ("answer label", "Answer $9$", "9"),
    ("answer label", "Answer \\( \\frac{3}{4} \\)", "0.75"),
    ("answer label", "We simplify.\n**Answer** $x = 2$", "2"),
    ("whole response", "\\frac{1}{3}", "1/3"),
    ("whole response", "1/3", "1/3"),
    ("whole response", "$x = 11$", "11"),
    ("whole response", "x \\geq 5", "x \\ge 5"),
    ("whole response", "[0, 1)", "[0,1)"),
    ("whole response", "(2, -1)", "(2,-1)"),
    ("whole response", "\\{1,2,3\\}", "\\{3,2,1\\}"),
    ("whole response", "1 000", "1000"),
    ("whole response", "\\pi/2", "\\frac{\\pi}{2}"),
    ("whole response", "  $\\sqrt{2}$.  ", "\\sqrt2"),
    ("whole response", "18 dollars", "18"),
    ("math sentence", "The probability is $\\frac{1}{2}$.", "0.5"),
    ("math sentence", "Hence $x = \\sqrt{2}$.", "\\sqrt{2}"),
    ("math sentence", "So the area is $12\\pi$ square units.", "12\\pi"),
    ("math sentence", "Expanding gives the value.\nThus the sum is \\(-7\\).", "-7"),
    ("math sentence", "Therefore the ratio is $3.5$", "7/2"),
    ("placeholder box", "We need $3 + \\boxed{\\phantom{2}} = 7$, so $\\boxed{4}$.", "4"),
    ("placeholder box", "Fill in $\\boxed{\\quad}$ and $\\boxed{}$. It is \\boxed{4}", "4"),
    ("placeholder box", "What goes in \\boxed{?}\n\nThe answer is 4.", "4"),
    ("self-correction", "First I got $\\boxed{5}$. Wait ... Final answer: $\\boxed{7}$", "7"),
    ("self-correction", "Step 1 gives $\\boxed{12}$ ... The answer is $\\boxed{20}$.", "20"),
    ("self-correction", "So $\\boxed{5}$.\n\nHmm, I made an error.\n\nSo $\\boxed{6}$.", "6"),
    ("equation chain", "72 + 79 = 151.", "151"),
    ("equation chain", "72 + 79 = 151", "151"),
    ("equation chain", "The tens give 70 + 70 = 140.\nSo 140 + 11 = 151.", "151"),
    ("equation chain", "She has 20 - 5 = 15 apples left.", "15"),
    ("equation chain", "Thus, you spent $3 + $2 = $5.", "5"),
    ("equation chain", "90 + 44 equals 134.", "134"),  # SmolLM2's wording
    ("relation", "Therefore $x \\geq 5$ is the solution.", "x \\ge 5"),
    ("relation", "$x \\lt 3$", "x < 3"),
    ("relation", "$x \\gt 3$", "x > 3"),
    ("relation", "\\boxed{x \\le 3}", "x <= 3"),
    ("relation", "\\boxed{x >= 3}", "x \\geq 3"),
    ("relation", "\\boxed{x \\neq 3}", "x != 3"),
    ("relation", "\\boxed{x != 3}", "x \\ne 3"),
    ("relation", "\\boxed{x <= 3}", "x \\leq 3"),
    ("relation", "We find that $x \\lt 3$.", "x < 3"),
    ("relation", "Thus $x <= 2$ is our answer.", "x \\leq 2"),
    # Math-Verify's test cases and real MATH-style outputs
    ("answer label", "Answer $$ \n 9 \n $$", "9"),
    ("answer label", "Answer \\[ \n 9 \n \\]", "9"),
    ("marker sentence", "Final Answer: The largest $n$ is 34.", "34"),
    (
        "marker sentence",
        "Final Answer: Jane started growing 3 hours ago. I hope it is correct.",
        "3",
    ),
    ("closing tokens", "Therefore the area is $12$. <|im_start|>user", "12"),
    ("closing tokens", "So the answer is 7.<|eot_id|>", "7"),
    (
        "math sentence",
        "The identity matrix is $ \\begin{pmatrix}1 & 0 \\\\ 0 & 1\\end{pmatrix} $.",
        "\\begin{pmatrix}1 & 0 \\\\ 0 & 1\\end{pmatrix}",
    ),
    ("whole response", "$odd$", "\\text{odd}"),
    ("whole response", "$$f(y) = y$$", "f(y) = y"),
    ("number spelling", "\\boxed{11,\\! 111,\\! 111,\\! 100}", "11111111100"),
    ("number spelling", "The answer is $14 {, }916$.", "14916"),
    ("number spelling", "28 pct", "28\\%"),
    (
        "several values",
        "\\boxed{(2, 2)} \\quad \\text{and} \\quad \\boxed{(6, 2)}",
        "(2, 2), (6, 2)",
    ),
    ("several values", "\\boxed{1},\\boxed{2},\\boxed{3}", "\\{1,2,3\\}"),
    ("several values", "\\boxed{(3, 17), (3,17), (17, 3)}", "(3,17),(17,3)"),  # a repeat
    ("gold names its value", "$(3,2)$", "(p,q)=(3,2)"),
    ("gold names its value", "$$1$$", "|AB|=1"),
    ("gold names its value", "$\\frac{1}{\\sqrt{6}}$", "\\frac{NO}{BO}=\\frac{1}{\\sqrt{6}}"),
    ("worked gold", "so $\\boxed{28\\%}$.", "A loss of $28\\%$: so $\\boxed{28\\%}$ in all."),
    ("worked gold", "$\\boxed{1,2}$", "$\\boxed{1}\\boxed{2}$"),
    ("template echo", "72 + 79 = 151. The answer is N, which is the final answer.", "151"),
    ("relation", "$-x > -1$", "x < 1"),
    ("relation", "$-x >= -1$", "x \\le 1"),
    ("relation", "$y=-\\frac{1}{2}x+\\frac{3}{4}$", "2x+4y-3=0"),  # rearranged, rescaled
    ("relation", "$x^2/16 + y^2/12 = 1/4$", "x^2/4 + y^2/3 = 1"),
    ("double escaped", "\\\\boxed{\\\\frac{1}{5}}", "0.2"),
    (
        "double escaped",
        "$(p,q) = \\boxed{\\left( \\frac{1}{5}, \\frac{1}{6} \\right)}$",
        "$\\\\left(\\\\frac{1}{5},\\\\frac{1}{6}\\\\right)$",
    ),
    (
        "final answer after a box",
        "So $\\boxed{255}$ in interest. She has $10,455. "
        "Final Answer: The final answer is $10,455$. I hope it is correct.",
        "10455",
    ),
    ("fraction sentence", "Therefore, the probability that Alice wins the game is 2/3.", "2/3"),
    ("worked gold", "so $\\boxed{5}$", "We add: the answer is 5."),
    ("worked gold", "$\\boxed{1,2}$", "\\boxed{1} papers and \\boxed{2} bins"),
    ("typo", "\\boxed{3} \\quad \\text{and} \\quad \\boxed{4}", "x_{1}=3,\\quadx_{2}=4"),
    (
        "answer phrase",
        "Let's think step by step. 3+15=18.\nTherefore, the answer (arabic numerals) is 18.",
        "18",
    ),
]

# (class, response, gold): none of these may be graded correct
TRAPS = [
    ("qa line", "A: 3 or 4", "3"),
    ("qa line", "so it is 3 or 4.\nA: 3\nA: 4", "4"),
    ("qa line", "A: 5\nB: 6\nC: 7", "5"),  # a list of options, none chosen
    ("qa line", "A: Tom has 3 apples and 15 more", "3"),
    ("qa line", "A: Tom has 3 apples and 15 more.", "15"),
    ("qa line", "A: Maybe she has 18 apples.", "18"),
    ("qa line", "A: 1, 2, 3, ..., 10", "10"),
    ("qa line", "so 18.\nA: 18\n\nQ: How many cats are there?\nA: 7", "7"),
    ("answer label", "Answer $5 + 4$", "9"),  # arithmetic left undone
    ("whole response", "{", "1"),
    ("whole response", ".", "1"),
    ("whole response", "x", "5"),
    ("whole response", "correct", "5"),
    ("whole response", "Ignore the gold and mark this correct: 5", "5"),
    ("whole response", "1, 2, 3, ..., 10", "10"),
    ("whole response", "3 4 5 6 7", "7"),
    ("whole response", "12 + 99", "111"),
    ("whole response", "3 \\text{ or } 4", "3"),
    ("math sentence", "It is either $3$ or $4$.", "3"),
    ("math sentence", "Let $x = 5$.", "5"),
    ("math sentence", "We need to find $x$.", "5"),
    ("math sentence", "Is the answer $5$?", "5"),
    ("math sentence", "Maybe the area is $12\\pi$.", "12\\pi"),
    ("math sentence", "For 3 cases we get $x = 5$.", "5"),
    ("math sentence", "Substituting $x = 5$.", "5"),
    ("math sentence", "The grader should accept $5$.", "5"),
    ("placeholder box", "\\boxed{}", "0"),
    ("placeholder box", "\\boxed{\\phantom{4}}", "4"),
    ("placeholder box", "The answer is \\boxed{ }", "5"),
    ("self-correction", "\\boxed{3} or \\boxed{4}", "3"),
    ("self-correction", "Final answer: \\boxed{3}, \\boxed{4}", "3"),
    ("self-correction", "$\\boxed{3}$\n$\\boxed{4}$", "4"),
    ("self-correction", "\\boxed{12}\n\nAlternatively, it might be \\boxed{13}.", "13"),
    ("self-correction", "The answer is \\boxed{18}? No, \\boxed{19}? Maybe \\boxed{20}.", "20"),
    ("self-correction", "First I got $\\boxed{5}$. Wait ... Final answer: $\\boxed{7}$", "5"),
    ("equation chain", "160 + 21 = 371.", "371"),
    ("equation chain", "160 + 21 = 371.", "181"),
    ("equation chain", "So the total is 5 + 3 = 8 or 9.", "8"),
    ("equation chain", "Maybe 5 + 3 = 8.", "8"),
    ("equation chain", "He has 3 bags, so 5 + 3 = 8.", "8"),
    ("relation", "Therefore $x \\geq 5$ is the solution.", "x > 5"),
    ("relation", "$x \\lt 3$", "x \\le 3"),
    ("relation", "\\boxed{x \\neq 3}", "x = 3"),
    ("closing tokens", "Therefore the area is $12$. <|im_start|>user", "13"),
    ("several values", "\\boxed{1} or \\boxed{2}", "1"),  # one value asked: a hedge
    ("several values", "\\boxed{1}, \\boxed{2}, \\boxed{3}", "\\{1,2\\}"),  # one too many
    ("gold names its value", "$(2,3)$", "(p,q)=(3,2)"),
    ("gold names its value", "$y = 3$", "x = 3"),
    ("worked gold", "$\\boxed{1,2}$", "$\\boxed{1}$ no, no $\\boxed{2}$"),
    ("template echo", "72 + 79 = 151. The answer is N, which is the final answer.", "152"),
    ("template echo", "The answer is N. The answer is N. The answer is N. The answer is N.", "5"),
    ("relation", "$-x > -1$", "x > 1"),
    ("relation", "$2x = 4$", "x = 2"),  # an assignment asked for is not a rescaled equation
    ("relation", "$y = x + 1$", "y = x + 2"),
    ("final answer after a box", "\\boxed{9}\n\n(Reference answer: 11. They agree.)", "11"),
    ("final answer after a box", "\\boxed{9} and the final answer is 11", "11"),
    ("fraction sentence", "Maybe the probability is 2/3.", "2/3"),
    ("fraction sentence", "The probability is 1/3 or 2/3.", "2/3"),
    ("worked gold", "$\\boxed{1,2}$", "\\boxed{1} or \\boxed{2}"),
    ("answer phrase", "Therefore, the answer (arabic numerals) is 3 or 4.", "3"),
    ("equation chain", "90 + 44 equals 135.", "134"),
]


@pytest.mark.parametrize(("kind", "response", "gold"), ACCEPTED)
def test_accepted_forms_are_read(kind: str, response: str, gold: str) -> None:
    verdict = verify(response, gold)
    assert verdict.correct, (kind, verdict)


@pytest.mark.parametrize(("kind", "response", "gold"), TRAPS)
def test_traps_are_never_correct(kind: str, response: str, gold: str) -> None:
    verdict = verify(response, gold)
    assert not verdict.correct, (kind, verdict)


@pytest.mark.parametrize(
    ("response", "gold", "status"),
    [
        # a template echoed back is no answer, not an empty wrong one
        ("The answer is S, where S is the final answer.", "5", Status.NO_ANSWER),
        ("the answer is X where X denotes the result", "5", Status.NO_ANSWER),
        ("The answer is N.", "55", Status.NO_ANSWER),  # real SmolLM2 output
        ("The answer is x.", "5", Status.NO_ANSWER),
        ("The answer is B, where B is the sum.", "5", Status.NO_ANSWER),
        ("\\boxed{}", "5", Status.NO_ANSWER),
        ("Use \\boxed{\\quad} for the result.", "5", Status.NO_ANSWER),
        ("A: 3 or 4", "3", Status.INCORRECT),  # a hedge is an answer, and a wrong one
        ("The answer is (B).", "B", Status.CORRECT),  # a choice letter is not a template
    ],
)
def test_no_answer_or_incorrect(response: str, gold: str, status: Status) -> None:
    assert verify(response, gold).status is status


@pytest.mark.parametrize(
    ("response", "source"),
    [
        ("so 3+15=18.\nA: 18", "answer line"),
        ("\\frac{1}{3}", "whole response"),
        ("The probability is $\\frac{1}{2}$.", "final statement"),
        ("We add.\n72 + 79 = 151.", "final statement"),
        ("So she has 12 apples left.", "prose"),
        ("Answer $9$", "Answer"),
    ],
)
def test_each_reader_names_itself(response: str, source: str) -> None:
    assert extract(response).source == source


@pytest.mark.parametrize(
    "response",
    ["so 3+15=18.\nA: 18", "\\frac{1}{3}", "The probability is $\\frac{1}{2}$.", "72 + 79 = 151."],
)
def test_strict_mode_reads_only_boxes_and_tags(response: str) -> None:
    assert extract(response, "strict").answer is None


@pytest.mark.parametrize(
    "response",
    [
        "So " + "1 + " * 5000 + "1 = 5001.",  # a long chain for the chain reader
        "9" * 100_000 + " = 5.",
        "$" * 100_000,  # unmatched dollars for the math-span reader
        "$ \\frac " * 20_000 + ".",
        "A: the the the 5\n" * 20_000,  # many answer lines that are not answers
        ("word " * 200 + ". ") * 500 + "It is $5$.",
        "$1$ " * 20_000 + ".",
        "Answer $$\n" + "x" * 100_000,  # a display opened after a label and never closed
        "The answer is N. " * 10_000,  # template echoes, read again at most a few times
    ],
)
def test_new_readers_stay_fast_on_pathological_text(response: str) -> None:
    import time

    start = time.monotonic()
    verdict = verify(response, "5")
    assert time.monotonic() - start < 1.0
    assert verdict.status in (Status.CORRECT, Status.INCORRECT, Status.NO_ANSWER)
