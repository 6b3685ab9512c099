"""Dataset builders on hand-made graded samples."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

import reasonloop.dataset as build
from reasonloop.dataset import (
    build_dpo_pairs,
    build_grpo_prompts,
    build_sft_dataset,
    sft_cap,
    to_verl_rows,
)
from reasonloop.errors import ConfigError, DataError
from reasonloop.sample.record import GradedSample
from reasonloop.tasks.problem import Problem

PROMPT = [{"role": "user", "content": "What is 2 + 2?"}]


def graded(
    problem_id: str,
    index: int,
    response: str,
    status: str = "correct",
    *,
    finish_reason: str = "stop",
    round: int = 0,
) -> GradedSample:
    answer = {"correct": "4", "incorrect": "5"}.get(status)
    return GradedSample(
        problem_id=problem_id,
        sample_index=index,
        prompt=[{"role": "user", "content": f"Question {problem_id}"}],
        response=response,
        correct=status == "correct",
        status=status,
        answer=answer,
        prompt_tokens=5,
        completion_tokens=len(response.split()),
        finish_reason=finish_reason,
        latency_s=0.1,
        round=round,
    )


def problem(problem_id: str, gold: str = "4") -> Problem:
    return Problem(id=problem_id, question=f"Question {problem_id}", gold=gold)


def statuses(problem_id: str, pattern: str) -> list[GradedSample]:
    """One sample per letter: c correct, i incorrect, n no_answer, t timeout, u unparseable_gold."""
    names = {"c": "correct", "i": "incorrect", "n": "no_answer", "t": "timeout"}
    names["u"] = "unparseable_gold"
    return [
        graded(problem_id, k, f"response {k} of {problem_id}", names[letter])
        for k, letter in enumerate(pattern)
    ]


def completions(rows: Sequence[dict[str, object]], column: str = "completion") -> list[str]:
    return [row[column][0]["content"] for row in rows]  # type: ignore[index]


def test_public_api_is_pinned() -> None:
    assert sorted(build.__all__) == [
        "BALANCES",
        "PAIRINGS",
        "build_dpo_pairs",
        "build_grpo_prompts",
        "build_prm_rows",
        "build_sft_dataset",
        "build_step_dpo_pairs",
        "normalize_response",
        "read_dataset",
        "sft_cap",
        "to_hf_dataset",
        "to_verl_rows",
        "write_dataset",
    ]


# --- SFT -------------------------------------------------------------------------------------


def test_sft_row_is_trl_prompt_completion() -> None:
    samples = {"p": [graded("p", 0, "2 + 2 = 4. The answer is 4.")]}
    rows = build_sft_dataset([problem("p")], samples)
    assert rows == [
        {
            "prompt": [{"role": "user", "content": "Question p"}],
            "completion": [{"role": "assistant", "content": "2 + 2 = 4. The answer is 4."}],
            "problem_id": "p",
        }
    ]


@pytest.mark.parametrize(
    ("samples", "expected"),
    [
        pytest.param(
            [graded("p", 0, "A 4"), graded("p", 1, "B 5", "incorrect")],
            ["A 4"],
            id="incorrect-dropped",
        ),
        pytest.param(
            [graded("p", 0, "A  4\n"), graded("p", 1, " A 4"), graded("p", 2, "B 4", "no_answer")],
            ["A  4\n"],
            id="whitespace-duplicates-dropped",
        ),
        pytest.param(
            [graded("p", 0, "cut off 4", finish_reason="length"), graded("p", 1, "done 4")],
            ["done 4"],
            id="truncated-dropped",
        ),
        pytest.param(
            [graded("p", 1, "later 4", round=1), graded("p", 0, "first 4")],
            ["first 4", "later 4"],
            id="round-then-index-order",
        ),
        pytest.param([graded("p", 0, "   ")], [], id="empty-response-dropped"),
        pytest.param(statuses("p", "iint"), [], id="no-correct-no-rows"),
    ],
)
def test_sft_keeps_distinct_correct_responses(
    samples: list[GradedSample], expected: list[str]
) -> None:
    rows = build_sft_dataset([problem("p")], {"p": samples}, balance="none")
    assert completions(rows) == expected


@pytest.mark.parametrize(
    ("pattern", "balance", "kept"),
    [
        ("cccccccc", "difficulty", 1),  # always solved: one demonstration is enough
        ("cccccccc", "none", 4),
        ("cciiiiii", "difficulty", 2),  # rate 1/4 -> cap 3, only 2 distinct correct exist
        ("ccciiiiiiiii", "difficulty", 3),  # rate 1/4 -> cap 3
        ("ccccccciiiiiiiii", "difficulty", 3),  # rate 7/16 -> cap ceil(2.25) = 3
        ("cccciiii", "difficulty", 2),  # rate 1/2 -> cap 2
        ("cccccctt", "difficulty", 1),  # timeouts count as unsolved samples: rate 3/4 -> cap 1
    ],
)
def test_sft_difficulty_balance(pattern: str, balance: str, kept: int) -> None:
    rows = build_sft_dataset([problem("p")], {"p": statuses("p", pattern)}, balance=balance)
    assert len(rows) == kept


@pytest.mark.parametrize(
    ("rate", "cap"),
    [(1 / 16, 4), (0.125, 4), (0.25, 3), (0.5, 2), (0.6, 2), (0.75, 1), (0.9, 1), (1.0, 1)],
)
def test_sft_cap(rate: float, cap: int) -> None:
    assert sft_cap(4, rate) == cap


def test_sft_hard_problems_are_not_drowned() -> None:
    samples = {"easy": statuses("easy", "c" * 8), "hard": statuses("hard", "cc" + "i" * 6)}
    rows = build_sft_dataset([problem("easy"), problem("hard")], samples)
    assert [row["problem_id"] for row in rows] == ["easy", "hard", "hard"]


def test_sft_follows_problem_order_and_skips_unsampled() -> None:
    samples = {"a": statuses("a", "c"), "b": statuses("b", "c")}
    rows = build_sft_dataset([problem("b"), problem("z"), problem("a")], samples)
    assert [row["problem_id"] for row in rows] == ["b", "a"]


def test_sft_choice_is_seeded() -> None:
    samples = {"p": statuses("p", "c" * 12)}
    picks = {
        seed: completions(build_sft_dataset([problem("p")], samples, balance="none", seed=seed))
        for seed in range(6)
    }
    assert picks[0] == completions(build_sft_dataset([problem("p")], samples, balance="none"))
    assert len({tuple(p) for p in picks.values()}) > 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"max_per_problem": 0}, "max_per_problem"), ({"balance": "uniform"}, "balance")],
)
def test_sft_rejects_bad_options(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        build_sft_dataset([problem("p")], {}, **kwargs)  # type: ignore[arg-type]


# --- DPO -------------------------------------------------------------------------------------


def test_dpo_row_is_trl_preference() -> None:
    samples = {"p": [graded("p", 0, "right 4"), graded("p", 1, "wrong 5", "incorrect")]}
    assert build_dpo_pairs([problem("p")], samples) == [
        {
            "prompt": [{"role": "user", "content": "Question p"}],
            "chosen": [{"role": "assistant", "content": "right 4"}],
            "rejected": [{"role": "assistant", "content": "wrong 5"}],
            "problem_id": "p",
        }
    ]


@pytest.mark.parametrize(
    ("pattern", "pairs"),
    [
        ("cccc", 0),  # nothing to reject
        ("iiii", 0),  # nothing to choose
        ("cttu", 0),  # timeouts and broken golds are no evidence against a response
        ("ci", 1),
        ("cn", 1),
        ("ccii", 4),
        ("ccccciiiii", 4),  # capped
    ],
)
def test_dpo_pair_counts(pattern: str, pairs: int) -> None:
    assert len(build_dpo_pairs([problem("p")], {"p": statuses("p", pattern)})) == pairs


@pytest.mark.parametrize("pairing", ["random", "shortest", "all"])
def test_dpo_pairs_are_distinct_and_well_sided(pairing: str) -> None:
    samples = {"p": statuses("p", "cccinnit")}
    rows = build_dpo_pairs([problem("p")], samples, pairing=pairing, max_pairs_per_problem=None)
    by_text = {s.response: s for s in samples["p"]}
    pairs = list(zip(completions(rows, "chosen"), completions(rows, "rejected"), strict=True))
    assert len(pairs) == len(set(pairs)) == 3 * 4
    assert all(by_text[c].correct and not by_text[r].correct for c, r in pairs)


@pytest.mark.parametrize("pairing", ["random", "shortest"])
def test_dpo_prefers_wrong_answers_over_no_answer(pairing: str) -> None:
    samples = {"p": statuses("p", "ccnnnnii")}
    rows = build_dpo_pairs([problem("p")], samples, pairing=pairing, max_pairs_per_problem=2)
    rejected = {s.response: s.status for s in samples["p"]}
    assert [rejected[text] for text in completions(rows, "rejected")] == ["incorrect"] * 2


def test_dpo_random_spreads_reuse() -> None:
    samples = {"p": statuses("p", "cccciiii")}
    rows = build_dpo_pairs([problem("p")], samples, max_pairs_per_problem=4)
    assert len(set(completions(rows, "chosen"))) == 4
    assert len(set(completions(rows, "rejected"))) == 4


def test_dpo_shortest_chooses_shortest_correct() -> None:
    lengths = ["a" * 30, "b" * 5, "c" * 20, "d" * 10]
    samples = {"p": [graded("p", k, text) for k, text in enumerate(lengths)]}
    samples["p"].append(graded("p", 9, "wrong", "incorrect"))
    rows = build_dpo_pairs([problem("p")], samples, pairing="shortest", max_pairs_per_problem=2)
    assert completions(rows, "chosen") == ["b" * 5, "d" * 10]


def test_dpo_all_is_stored_order() -> None:
    samples = {"p": statuses("p", "ccii")}
    rows = build_dpo_pairs([problem("p")], samples, pairing="all")
    assert list(zip(completions(rows, "chosen"), completions(rows, "rejected"), strict=True)) == [
        ("response 0 of p", "response 2 of p"),
        ("response 0 of p", "response 3 of p"),
        ("response 1 of p", "response 2 of p"),
        ("response 1 of p", "response 3 of p"),
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"max_pairs_per_problem": 0}, "max_pairs_per_problem"), ({"pairing": "best"}, "pairing")],
)
def test_dpo_rejects_bad_options(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        build_dpo_pairs([problem("p")], {}, **kwargs)  # type: ignore[arg-type]


# --- GRPO and verl ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "kept"),
    [("cccc", False), ("iinn", False), ("ciii", True), ("ccci", True), ("tt", False), ("", False)],
)
def test_grpo_keeps_problems_with_mixed_results(pattern: str, kept: bool) -> None:
    samples = {"p": statuses("p", pattern)} if pattern else {}
    rows = build_grpo_prompts([problem("p", gold="18")], samples)
    expected = [{"prompt": [{"role": "user", "content": "Question p"}], "solution": "18"}]
    assert [{k: r[k] for k in ("prompt", "solution")} for r in rows] == (expected if kept else [])


def test_grpo_include_unseen_renders_prompts() -> None:
    def render(p: Problem) -> list[dict[str, str]]:
        return [{"role": "user", "content": f"Solve: {p.question}"}]

    samples = {"seen": statuses("seen", "cccc")}
    problems = [problem("seen"), problem("new", gold="7")]
    rows = build_grpo_prompts(problems, samples, include_unseen=True, render=render)
    assert rows == [
        {
            "prompt": [{"role": "user", "content": "Solve: Question new"}],
            "solution": "7",
            "problem_id": "new",
        }
    ]


def test_grpo_include_unseen_needs_a_template() -> None:
    with pytest.raises(ConfigError, match="render"):
        build_grpo_prompts([problem("p")], {}, include_unseen=True)


def test_verl_rows() -> None:
    grpo = build_grpo_prompts([problem("p", gold="18")], {"p": statuses("p", "ci")})
    assert to_verl_rows(grpo, "openai/gsm8k") == [
        {
            "data_source": "openai/gsm8k",
            "prompt": [{"role": "user", "content": "Question p"}],
            "ability": "math",
            "reward_model": {"style": "rule", "ground_truth": "18"},
            "extra_info": {"index": 0, "problem_id": "p"},
        }
    ]


def test_verl_rows_need_a_solution() -> None:
    with pytest.raises(DataError, match="row 1 has no solution"):
        to_verl_rows([{"prompt": PROMPT, "solution": "4"}, {"prompt": PROMPT}], "gsm8k")


def test_rows_do_not_share_messages_with_samples() -> None:
    samples = {"p": statuses("p", "ci")}
    rows = build_sft_dataset([problem("p")], samples)
    rows[0]["prompt"][0]["content"] = "changed"
    assert samples["p"][0].prompt[0]["content"] == "Question p"
