"""rm-eval sets from labelled files and from a run's samples; errors that name the fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graded import make_samples
from reasonloop.errors import DataError
from reasonloop.evaluate.rm.sets import (
    NO_CORRECT,
    NO_INCORRECT,
    load_rm_set,
    rm_set_from_rows,
    rm_set_from_samples,
)
from reasonloop.sample.record import GradedSample


def row(pid: str, response: str, correct: object, **extra: object) -> dict[str, object]:
    return {"problem_id": pid, "response": response, "correct": correct, **extra}


def test_rows_keep_file_order_and_count_problems_without_both_labels() -> None:
    rows = [
        row("p1", "wrong a", False, question="1+1?"),
        row("p1", "right", True),
        row("p2", "only right", 1),
        row("p1", "wrong b", "false"),
        row("p3", "only wrong", 0),
        row("p3", "also wrong", False),
    ]
    rm_set = rm_set_from_rows(rows, "set.jsonl")
    [problem] = rm_set.problems
    assert problem.responses == ("wrong a", "right", "wrong b")
    assert problem.correct == (False, True, False)
    assert problem.rows == (1, 2, 4) and problem.question == "1+1?"
    assert rm_set.skipped == {NO_INCORRECT: 1, NO_CORRECT: 1}


def test_max_incorrect_keeps_the_first_incorrect_rows() -> None:
    rows = [row("p", f"w{i}", False) for i in range(5)] + [row("p", "r", True)]
    [problem] = rm_set_from_rows(rows, "set.jsonl", max_incorrect=2).problems
    assert problem.responses == ("w0", "w1", "r")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([row("p", "a", True), row("p", "b", True)], "every row is labelled correct and none"),
        ([row("p", "a", False)], "every row is labelled incorrect and none correct"),
        ([{"problem_id": "p", "correct": True}], "row 1 has no response"),
        ([row("p", "a", "maybe")], "row 1: correct must be true or false"),
        ([row("p", "a", 2)], "correct must be true or false, got 2"),
        ([], "holds no rows"),
        (
            [row("p", "a", True), row("q", "b", False)],
            "no problem with both a correct and an incorrect response",
        ),
    ],
)
def test_bad_files_are_refused_with_the_reason(rows: list[dict[str, object]], message: str) -> None:
    with pytest.raises(DataError, match=message):
        rm_set_from_rows(rows, "set.jsonl")


def test_a_jsonl_file_and_a_missing_path(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [row("p", "a", True), row("p", "b", False)]))
    assert load_rm_set(path).problems[0].responses == ("a", "b")
    with pytest.raises(DataError, match="does not exist"):
        load_rm_set(tmp_path / "nothing.jsonl")


def with_status(samples: list[GradedSample], index: int, status: str) -> list[GradedSample]:
    from dataclasses import replace

    changed = replace(samples[index], status=status, correct=False)
    return [changed if i == index else s for i, s in enumerate(samples)]


def test_run_sets_take_the_first_correct_and_up_to_nine_incorrect() -> None:
    samples = make_samples("p", "0" * 5 + "1" + "0" * 6 + "1")
    samples = with_status(samples, 0, "timeout")  # not known to be wrong: left out
    rm_set = rm_set_from_samples(
        {"p": samples, "solved": make_samples("solved", "11"), "none": make_samples("none", "00")},
        {"p": "What is 1 + 1?"},
        "run",
    )
    [problem] = rm_set.problems
    assert problem.rows == (5, 1, 2, 3, 4, 6, 7, 8, 9, 10)
    assert problem.correct == (True,) + (False,) * 9
    assert problem.question == "What is 1 + 1?" and problem.prompt == samples[5].prompt
    assert rm_set.skipped == {NO_INCORRECT: 1, NO_CORRECT: 1}
