"""GRPO on an `rg:` task: the rows carry the problem where reasoning-gym grades it, and the
reward (TRL's and verl's) grades each completion by its problem's grader, as sampling does."""

from __future__ import annotations

import pytest

from graded import make_samples
from reasonloop.dataset.grpo import build_grpo_prompts
from reasonloop.dataset.verl import to_verl_rows
from reasonloop.rewards import GYM_COLUMN, compute_score, math_reward
from reasonloop.tasks.gym import generate_gym_problems

pytest.importorskip("reasoning_gym")

# One word task (reasoning-gym grades it) and one numeric task (the verifier grades it).
MIX = "rg:mix?word_sorting=1&chain_sum=1&seed=1"


@pytest.fixture(scope="module")
def rows() -> list[dict[str, object]]:
    problems = generate_gym_problems(MIX, 6)
    assert {p.meta["grader"] for p in problems} == {"reasoning_gym", "verify"}
    samples = {p.id: make_samples(p.id, "10") for p in problems}
    return build_grpo_prompts(problems, samples)


def test_rows_carry_the_problem_only_where_reasoning_gym_grades(rows: list[dict]) -> None:
    assert all(GYM_COLUMN in row for row in rows)
    gym = [row for row in rows if row[GYM_COLUMN]]
    assert gym and len(gym) < len(rows)
    assert all('"grader": "reasoning_gym"' in str(row[GYM_COLUMN]) for row in gym)


def test_rows_of_verifier_tasks_have_no_gym_column() -> None:
    problems = generate_gym_problems("rg:chain_sum", 2)
    rows = build_grpo_prompts(problems, {p.id: make_samples(p.id, "10") for p in problems})
    assert rows and all(GYM_COLUMN not in row for row in rows)


def _completions(rows: list[dict], right: bool) -> list[str]:
    out = []
    for row in rows:
        gold = str(row["solution"])
        if row[GYM_COLUMN]:  # a word list: reversed is wrong; its scorer wants the words
            answer = gold if right else ", ".join(reversed(gold.split(", ")))
            out.append(f"<answer>{answer}</answer>")
        else:
            out.append(f"The answer is {gold if right else int(gold) + 1}.")
    return out


@pytest.mark.parametrize("right", [True, False])
def test_math_reward_grades_each_row_by_its_grader(rows: list[dict], right: bool) -> None:
    rewards = math_reward(
        _completions(rows, right),
        [str(row["solution"]) for row in rows],
        gym_problem=[str(row[GYM_COLUMN]) for row in rows],
        prompts=[row["prompt"] for row in rows],
    )
    assert rewards == [1.0 if right else 0.0] * len(rows)


def test_a_reversed_word_list_the_verifier_accepts_is_not_rewarded(rows: list[dict]) -> None:
    # the verifier compares comma lists as sets ("same items"), so without the column the
    # reward paid for unsorted words; word_sorting's scorer wants them in order
    gym = [row for row in rows if row[GYM_COLUMN]]
    wrong = _completions(gym, right=False)
    solutions = [str(row["solution"]) for row in gym]
    assert math_reward(wrong, solutions) == [1.0] * len(gym)
    assert math_reward(wrong, solutions, gym_problem=[r[GYM_COLUMN] for r in gym]) == [0.0] * len(
        gym
    )


def test_verl_rows_and_compute_score_use_the_same_grader(rows: list[dict]) -> None:
    verl = to_verl_rows(rows, "reasoning_gym")
    for row, completion in zip(verl, _completions(rows, right=True), strict=True):
        extra = row["extra_info"]
        assert compute_score(
            "reasoning_gym", completion, row["reward_model"]["ground_truth"], extra
        )
    wrong = _completions(rows, right=False)
    assert not any(
        compute_score("x", c, r["reward_model"]["ground_truth"], r["extra_info"])
        for c, r in zip(wrong, verl, strict=True)
    )


def test_a_broken_gym_cell_names_the_fix() -> None:
    from reasonloop.errors import DataError

    with pytest.raises(DataError, match="reasonloop build grpo"):
        math_reward(["<answer>a</answer>"], ["a"], gym_problem=["{not json"])
