"""One hedge rule for every extraction path: a final statement offering several different
values is incorrect, however the answer was found (issue 20).

Each row is a hedge written through one extraction path; `gold` is the first value offered,
so a verifier that reads only the first value would grade it correct.
"""

from __future__ import annotations

import pytest

from reasonloop.verify import Status, verify
from reasonloop.verify.commitment import drop_rejected, offered_after
from reasonloop.verify.extract import extract

HEDGES = [
    # (response, extraction path it goes through)
    ("Answer $12$ or $13$", "label with math, no colon"),
    ("Answer $12$, or maybe $13$", "label with math, no colon"),
    ("Answer $12$ and $13$", "label with math, no colon"),
    ("Answer \\(12\\) or \\(13\\)", "label with math, no colon"),
    ("Answer: $12$ or $13$", "label with math"),
    ("Answer: $12$, or maybe $13$.", "label with math"),
    ("Answer: $12$ and $13$", "label with math"),
    ("Answer: 12, or maybe 13", "label, plain"),
    ("Answer: 12 or 13", "label, plain"),
    ("The answer is 12 or 13.", "answer phrase, plain"),
    ("The answer is $12$ or $13$.", "answer phrase with math"),
    ("The answer is $12$, or maybe $13$.", "answer phrase with math"),
    ("The answer is $12$ and $13$.", "answer phrase with math"),
    ("The answer is $12$ (or $13$).", "answer phrase with math"),
    ("The answer is $12$ / $13$.", "answer phrase with math"),
    ("The answer is $12$ \\text{ or } $13$.", "answer phrase with math"),
    ("The answer is 12.\nOr maybe 13.", "answer phrase, alternative in the next sentence"),
    ("The answer is $12$. Or maybe $13$.", "answer phrase, alternative in the next sentence"),
    ("The final answer is $12$ or $13$.", "final answer phrase"),
    ("Final Answer: The final answer is $12$ or $13$. I hope it is correct.", "Minerva"),
    ("#### 12 or 13", "GSM8K ####"),
    ("#### $12$ or $13$", "GSM8K ####"),
    ("#### 12\nOr maybe 13.", "GSM8K ####"),
    ("The answer is $\\boxed{12}$ or $13$.", "box, unboxed alternative"),
    ("$\\boxed{12}$ or maybe 13", "box, unboxed alternative"),
    ("\\boxed{12}, or possibly 13.", "box, unboxed alternative"),
    ("\\boxed{12} or \\boxed{13}", "boxes"),
    ("A: $12$ or $13$", "QA line"),
    ("A: 12, or maybe 13", "QA line"),
    ("A: 12 and 13", "QA line"),
    ("A: 12\nA: 13", "QA lines"),
    ("**12** or **13**", "closing bold"),
    ("So the answer is **12 or 13**", "closing bold"),
    ("**$12$ or $13$**", "closing bold"),
    ("$12$ or $13$", "whole response"),
    ("12 or 13", "whole response"),
    ("5 + 7 = 12 or 13.", "equation chain"),
    ("<answer>12 or 13</answer>", "answer tag"),
    ("<answer>$12$ or $13$</answer>", "answer tag"),
    ("<answer>12</answer> or maybe 13", "answer tag, alternative after it"),
    ("<answer>12</answer> or perhaps <answer>13</answer>", "answer tags"),
    ("<think>5 + 7</think> 12 or 13", "after reasoning tags"),
    ("So there are 12 or 13 apples.", "last sentence"),
    ("Thus $x = 12$ or $x = 13$.", "last sentence with math"),
]


@pytest.mark.parametrize(("response", "path"), HEDGES)
def test_a_hedge_is_incorrect_on_every_extraction_path(response: str, path: str) -> None:
    verdict = verify(response, "12")
    assert not verdict.correct, path
    assert verdict.status in (Status.INCORRECT, Status.NO_ANSWER)


@pytest.mark.parametrize(
    ("response", "gold"),
    [
        ("Answer $12$ or $12.0$", "12"),  # the same value twice offers nothing else
        ("The answer is $\\frac{1}{2}$, or $0.5$.", "0.5"),
        ("The answer is $12$ because $5 + 7 = 12$.", "12"),
        ("The answer is 12, which is 5 + 7.", "12"),
        ("The answer is $\\boxed{12}$, not 13.", "12"),
        ("The answer is $12$ and the remainder is $3$.", "12"),
        ("The answer is $12$ and $13$.", "12, 13"),  # a gold of two values asks for both
    ],
)
def test_what_is_not_a_hedge_stays_correct(response: str, gold: str) -> None:
    assert verify(response, gold).correct


@pytest.mark.parametrize(
    ("text", "end", "offered"),
    [
        ("Answer $12$ or $13$ or $14$", 10, ("13", "14")),
        ("\\boxed{12}, or possibly 13.", 10, ("13",)),
        ("\\boxed{12}\n\nAlternatively, the answer might be \\boxed{13}.", 10, ("13",)),
        ("\\boxed{12} because 5 + 7 = 12", 10, ()),
        ("\\boxed{12}, which is not 13", 10, ()),
        ("\\boxed{12}. Next we check 13 apples.", 10, ()),
    ],
)
def test_offered_after_reads_only_alternatives(text: str, end: int, offered: tuple) -> None:
    assert offered_after(text, end) == offered


def test_every_path_hands_its_statement_to_the_one_hedge_rule() -> None:
    # the hedge is decided in grade.find_hedge from `boxes`, whatever the source
    sources = {extract(r).source for r, _ in HEDGES if len(set(extract(r).boxes)) > 1}
    assert {"boxed", "answer tag", "the answer is", "Answer", "Answer:", "####"} <= sources


REJECTIONS = [
    # (response, gold, correct): an answer the response rejects itself is not its answer
    ("$\\boxed{5}$ would be wrong; the answer is $\\boxed{6}$", "6", True),
    ("$\\boxed{5}$ would be wrong; the answer is $\\boxed{6}$", "5", False),
    ("$\\boxed{5}$ is wrong, so the answer is $\\boxed{6}$.", "6", True),
    ("$\\boxed{5}$ is incorrect; $\\boxed{6}$", "6", True),
    ("$\\boxed{5}$ is not the answer; it is $\\boxed{6}$", "6", True),
    ("The answer can't be $\\boxed{5}$, so it is $\\boxed{6}$.", "6", True),
    ("The answer is not $\\boxed{5}$ but $\\boxed{6}$.", "6", True),
    ("The answer is not $\\boxed{5}$ but $\\boxed{6}$.", "5", False),
    ("The answer is $\\boxed{6}$, not $\\boxed{5}$.", "6", True),
    ("The answer is $\\boxed{6}$, not $\\boxed{5}$.", "5", False),
    ("The answer is not $\\boxed{5}$.", "5", False),  # nothing left to commit to
    ("<answer>5</answer> is wrong. <answer>6</answer>", "6", True),
    # a denial that affirms rejects nothing: both values stay, a hedge
    ("$\\boxed{5}$ is not wrong; $\\boxed{6}$", "6", False),
    ("$\\boxed{5}$ is not wrong; $\\boxed{6}$", "5", False),
    ("The answer is not 5 but 6.", "6", True),
    ("The answer is not 5 but 6.", "5", False),
]


@pytest.mark.parametrize(("response", "gold", "correct"), REJECTIONS)
def test_a_rejected_answer_is_not_the_committed_one(
    response: str, gold: str, correct: bool
) -> None:
    assert verify(response, gold).correct is correct


REJECTED_AFTER = [
    # (response, gold, correct): an answer the response goes on to call wrong is no answer, on
    # every path; a later answer of its own still counts
    ("The answer is 5. Wait, 5 is wrong; it is 6.", "5", False),
    ("#### 5\nActually 5 is wrong, the answer is 6.", "5", False),
    ("The answer is $5$. But $5$ is wrong.", "5", False),
    ("\\boxed{5}. Hmm, that can't be right.", "5", False),
    ("A: 5\nThat is wrong.", "5", False),
    ("<answer>5</answer> That is wrong.", "5", False),
    ("The answer is 5... no, 5 is wrong.", "5", False),
    ("The answer is 5. No wait, that is wrong. The answer is 6.", "6", True),
    ("Answer: 5\n\nHmm, 5 is not correct. Answer: 6", "6", True),
    ("The answer is 5. That is not wrong.", "5", True),  # a denial that affirms
    ("The answer is 5. Option 4 is wrong.", "5", True),  # another value is rejected
    ("The answer is 15. 5 is wrong.", "15", True),
]


@pytest.mark.parametrize(("response", "gold", "correct"), REJECTED_AFTER)
def test_an_answer_called_wrong_afterwards_is_no_answer(
    response: str, gold: str, correct: bool
) -> None:
    assert verify(response, gold).correct is correct


def test_drop_rejected_keeps_an_affirming_denial() -> None:
    text = "$\\boxed{5}$ is not wrong; $\\boxed{6}$"
    assert len(drop_rejected(text, [(1, 11, "5"), (27, 37, "6")])) == 2
