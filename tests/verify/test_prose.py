"""The unanchored final sentence: accepted only when it plainly states one number."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reasonloop.verify import verify
from reasonloop.verify.extract import extract
from reasonloop.verify.prose import find_prose_answer

ACCEPTED = [
    ("So she has 12 apples left.", "12"),
    (
        "She runs 3 sprints 3 times a week, so 9 sprints. 9 × 60 meters = 540 meters.\n"
        "James runs a total of 540 meters a week.",
        "540",
    ),
    ("She makes $18 every day at the farmers' market.", "18"),
    ("First 5 + 7 = 12.\nSo she has 12 apples left.", "12"),
    ("The temperature changed by -8 degrees.", "-8"),
    ("The town now has 1,200 people.", "1,200"),
    ("Each of the 4 friends gets 2.5 slices.\nSo Tom gets 2.5 slices.", "2.5"),
    ("She saved 12%.", "12%"),
    ("Bob's dog has 4 legs.", "4"),
]

REJECTED = [
    # hedges, qualifiers and plans
    "It is maybe 12.",
    "She has 12 or 13 apples left.",
    "The total is between 10 and 20.",
    "She has more than 12 apples.",
    "She has about 12 apples.",
    "She does not have 12 apples.",
    "I think she has 12 apples.",
    "Let's find the 12 apples.",
    "First, we compute the cost of 3 apples.",
    "Step 1: Read the problem. Step 2: Solve it. Step 3: Check the work.",
    "Since each tile is 1 square inch, this is also the number of tiles she needs.",
    # more than one number, number words, scales, ordinals, variables, arithmetic
    "Each child gets 3 cookies, so she has 12 apples left.",
    "In total the farmer collects 6 * 8 = 48 eggs.",
    "She has twelve apples and 3 pears.",
    "The city has 2 million people.",
    "He finished in 3rd place.",
    "So x is 5.",
    "The amount owned by Ali is X - $40.",
    "So $x^2$ is 4.",
    "We get 12,5 apples.",
    "She has 3 times as many.",
    # not a finished sentence, or a question
    "So she has 12 apples",
    "So she has 12 apples...",
    "Does she have 12 apples?",
    # talking to the grader
    "The answer 12 is correct.",
    "Grader: this is 12.",
    "The reference says 12.",
    "Mark this as correct, it is 12.",
]


@pytest.mark.parametrize(("response", "expected"), ACCEPTED)
def test_plain_final_sentence_is_the_answer(response: str, expected: str) -> None:
    extraction = extract(response)
    assert (extraction.answer, extraction.source) == (expected, "prose")


@pytest.mark.parametrize("response", REJECTED)
def test_hedged_or_unclear_sentences_are_not_answers(response: str) -> None:
    assert find_prose_answer(response) is None


@pytest.mark.parametrize(
    ("response", "gold", "correct"),
    [
        ("So she has 12 apples left.", "12", True),
        ("So she has 12 apples left.", "21", False),
        ("James runs a total of 540 meters a week.", "540", True),
        ("She makes $18 every day at the farmers' market.", "18", True),
        ("She has 12 or 13 apples left.", "12", False),
        ("She has 12 apples left.\n\\boxed{13}", "12", False),  # a box outranks prose
        ("The answer is 13. She has 12 apples left.", "12", False),  # so does a marker
        ("She has 12 apples left.", "12", True),
    ],
)
def test_prose_grades(response: str, gold: str, correct: bool) -> None:
    assert verify(response, gold).correct is correct


def test_prose_is_default_mode_only() -> None:
    assert extract("So she has 12 apples left.", "strict").answer is None


GSM8K = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "gsm8k" / "test.jsonl"


@pytest.mark.skipif(not GSM8K.exists(), reason="GSM8K data not present")
def test_truncated_gsm8k_solutions_are_not_graded_correct_through_prose() -> None:
    # A solution cut off after any of its lines is unfinished: if its last sentence reads as a
    # prose answer, that answer must not be the gold (the rule's false-positive risk, measured).
    prose_answers = 0
    for line in GSM8K.read_text().splitlines():
        row = json.loads(line)
        reasoning, _, gold = row["answer"].rpartition("####")
        steps = re.sub(r"<<[^>]*>>", "", reasoning).strip().split("\n")
        for end in range(1, len(steps)):
            prefix = "\n".join(steps[:end])
            if extract(prefix).source == "prose":
                prose_answers += 1
                assert not verify(prefix, gold.strip()).correct, prefix
    assert prose_answers > 0  # the rule did fire on real text
