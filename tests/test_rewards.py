"""math_reward: TRL reward signature over standard and conversational completions."""

from __future__ import annotations

import pytest

from reasonloop.rewards import completion_text, math_reward


def test_standard_completions() -> None:
    completions = ["so \\boxed{4}", "#### 5", "I give up", "\\boxed{\\frac{1}{2}}"]
    assert math_reward(completions, ["4", "4", "4", "0.5"]) == [1.0, 0.0, 0.0, 1.0]


def test_conversational_completions_use_the_last_assistant_turn() -> None:
    completions = [
        [{"role": "assistant", "content": "The answer is \\boxed{7}."}],
        [
            {"role": "user", "content": "\\boxed{7}"},
            {"role": "assistant", "content": "The answer is \\boxed{8}."},
        ],
        [{"role": "assistant", "content": [{"type": "text", "text": "\\boxed{7}"}]}],
    ]
    assert math_reward(completions, ["7", "7", "7"]) == [1.0, 0.0, 1.0]


def test_unparseable_gold_gives_none_and_extra_kwargs_are_ignored() -> None:
    rewards = math_reward(["\\boxed{1}", "\\boxed{1}"], ["", "1"], prompts=["a", "b"], trainer=None)
    assert rewards == [None, 1.0]


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="2 completions but 1 solutions"):
        math_reward(["a", "b"], ["1"])


@pytest.mark.parametrize(
    ("completion", "text"),
    [("plain", "plain"), ({"content": "x"}, "x"), ([], ""), (42, "")],
)
def test_completion_text(completion: object, text: str) -> None:
    assert completion_text(completion) == text


@pytest.mark.parametrize(
    ("response", "score"),
    [
        ("47 + 38 = 85. The answer is 85.", 1.0),
        ("The answer is 84.", 0.0),
        ("I am not sure.", 0.0),
    ],
)
def test_verl_compute_score_on_the_rows_reasonloop_writes(response: str, score: float) -> None:
    import inspect

    from reasonloop.dataset.verl import to_verl_rows
    from reasonloop.rewards import compute_score

    row = to_verl_rows(
        [{"prompt": [{"role": "user", "content": "What is 47 + 38?"}], "solution": "85"}],
        "reasonloop/arithmetic",
    )[0]
    # verl calls it with these keywords (its default compute_score's signature).
    parameters = list(inspect.signature(compute_score).parameters)
    assert parameters[:4] == ["data_source", "solution_str", "ground_truth", "extra_info"]
    got = compute_score(
        data_source=row["data_source"],
        solution_str=response,
        ground_truth=row["reward_model"]["ground_truth"],
        extra_info=row["extra_info"],
    )
    assert got == score and isinstance(got, float)
