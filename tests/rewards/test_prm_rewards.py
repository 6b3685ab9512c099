"""PRM step scores, their aggregations, `score --prm` and PURE's min-form GRPO reward.

A tiny PRM (`prm_dir`, conftest.py: one step on the tiny local model, PRMBench-derived rows):
its scores mean nothing, but the plumbing is the real one (separator, head, cache)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from reasonloop.cli.main import main
from reasonloop.errors import ConfigError, DataError
from reasonloop.rewards.aggregate import AGGREGATIONS, aggregate, aggregate_all
from reasonloop.rewards.pure import PRMReward, min_form, steps_per_response, sum_form
from reasonloop.rewards.step_scores import ScoreRequest, row_request, score_rows


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([0.9, 0.5, 0.8], {"min": 0.5, "product": 0.36, "mean": 2.2 / 3, "last": 0.8}),
        ([0.25, 1.0], {"geometric_mean": 0.5, "product": 0.25}),
        ([0.0, 1.0], {"geometric_mean": 1e-6, "min": 0.0}),  # log(0) floored, not -inf
        ([0.7], dict.fromkeys(AGGREGATIONS, 0.7)),
    ],
)
def test_aggregations(scores: list[float], expected: dict[str, float]) -> None:
    values = aggregate_all(scores)
    assert set(values) == set(AGGREGATIONS)
    for how, value in expected.items():
        assert values[how] == pytest.approx(value)


@pytest.mark.parametrize(("scores", "how"), [([], "min"), ([0.5], "median")])
def test_aggregate_refuses_what_it_cannot_do(scores: list[float], how: str) -> None:
    with pytest.raises(ValueError):
        aggregate(scores, how)


@pytest.mark.parametrize("rewards", [[0.9, 0.1, 0.8], [0.95, 0.9, 0.97, 0.2], [0.6, 0.6]])
def test_min_form_is_near_the_minimum_and_sum_form_is_the_sum(rewards: list[float]) -> None:
    assert abs(min_form(rewards) - min(rewards)) < 0.02
    assert sum_form(rewards) == pytest.approx(sum(rewards))
    # The point of PURE: padding a response with right-looking steps raises the sum by their
    # number, and the soft minimum hardly at all.
    padded = rewards + [0.99] * 5
    assert sum_form(padded) > sum_form(rewards) + 4
    assert min_form(padded) - min(rewards) < 0.05


def test_min_form_does_not_overflow() -> None:
    assert math.isfinite(min_form([1000.0, -1000.0], temperature=0.1))


class TableScorer:
    """Scores a step by the number it names ("p=0.9"): a stand-in PRM with known output."""

    def __init__(self) -> None:
        self.requests: list[ScoreRequest] = []

    def score_steps(self, requests: Sequence[ScoreRequest]) -> list[list[float]]:
        self.requests += requests
        return [[_named(step) for step in steps] for _, steps in requests]


def _named(step: str) -> float:
    return float(step.rsplit("=", 1)[1]) if "=" in step else 1.0


def test_prm_reward_min_sum_and_verifier() -> None:
    completions = ["p=0.9\n\np=0.2\n\nThe answer is 4. p=0.8", "p=0.9\n\nThe answer is 5. p=0.9"]
    solution = ["4", "4"]
    prompts = [[{"role": "user", "content": "2+2?"}]] * 2
    scorer = TableScorer()
    mins = PRMReward(scorer, credit="min", verifiable=False)(completions, solution, prompts)
    assert mins == pytest.approx([0.2, 0.9], abs=0.01)
    assert scorer.requests[0][0] == prompts[0]  # the PRM reads the prompt it was asked
    sums = PRMReward(scorer, credit="sum", verifiable=False)(completions, solution, prompts)
    assert sums == pytest.approx([1.9, 1.8])
    both = PRMReward(scorer, credit="min")(completions, solution, prompts)
    assert both == pytest.approx([1.2, 0.9], abs=0.01)  # the right answer adds the verifier's 1
    assert PRMReward(scorer).__name__ == "prm_min_plus_verifier"
    with pytest.raises(ConfigError, match="credit"):
        PRMReward(scorer, credit="max")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("row", "steps"),
    [
        ({"prompt": "q", "completions": ["a", "b"]}, ("a", "b")),
        ({"question": "q", "response": "First.\n\nThen 4."}, ("First.", "Then 4.")),
        (
            {
                "prompt": [{"role": "user", "content": "q"}],
                "completion": [{"role": "assistant", "content": "x = 1\ny = 2"}],
            },
            ("x = 1", "y = 2"),
        ),
    ],
)
def test_rows_name_their_steps(row: dict[str, Any], steps: tuple[str, ...]) -> None:
    assert row_request(row, 0)[1] == steps


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"completions": ["a"]}, "no `prompt`"),
        ({"prompt": "q"}, "no steps"),
        ({"prompt": "q", "completions": ["p=1"], "min": 3}, "overwrite"),
    ],
)
def test_rows_that_cannot_be_scored_say_why(row: dict[str, Any], message: str) -> None:
    with pytest.raises(DataError, match=message):
        score_rows(TableScorer(), [row])


def test_prm_scores_match_one_response_at_a_time_and_are_cached(
    prm_dir: str, tmp_path: Path
) -> None:
    from reasonloop.rewards.prm import PRMScorer

    requests: list[ScoreRequest] = [
        ("What is 2+2?", ("2+2 = 4.", "The answer is 4.")),
        ([{"role": "user", "content": "And 3+3?"}], ("3+3 = 7.",)),
        ("What is 2+2?", ("2+2 = 4.", "The answer is 4.")),
    ]
    cache = tmp_path / "scores.sqlite"
    batched = PRMScorer(prm_dir, batch_size=8, cache=cache).score_steps(requests)
    assert [len(s) for s in batched] == [2, 1, 2] and batched[0] == batched[2]
    assert all(0.0 < p < 1.0 for s in batched for p in s)
    alone = PRMScorer(prm_dir, batch_size=1, cache=None)
    for request, scores in zip(requests, batched, strict=True):
        assert alone.score_steps([request])[0] == pytest.approx(scores, abs=1e-5)  # padding
    cached = PRMScorer(prm_dir, cache=cache)
    cached.score_batch = None  # type: ignore[assignment,method-assign]  # must not be called
    assert cached.score_steps(requests) == batched


def test_a_directory_without_a_card_is_not_a_prm(tiny_model_dir: str) -> None:
    from reasonloop.rewards.prm import PRMScorer

    with pytest.raises(ConfigError, match="train --method prm"):
        PRMScorer(tiny_model_dir)


def test_score_cli_adds_step_scores_and_aggregations(prm_dir: str, tmp_path: Path) -> None:
    rows = [
        {"question": "What is 2+2?", "response": "2+2 = 4.\n\nThe answer is 4.", "id": 1},
        {"prompt": "q", "completions": ["a", "b", "c"], "labels": [True, True, False]},
    ]
    source, out = tmp_path / "rows.jsonl", tmp_path / "scored.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))
    argv = ["score", "--prm", prm_dir, str(source), "-o", str(out), "--no-progress"]
    assert main([*argv, "--no-cache"]) == 0
    scored = [json.loads(line) for line in out.read_text().splitlines()]
    assert [len(r["step_scores"]) for r in scored] == [2, 3] and scored[0]["id"] == 1
    for row in scored:
        assert {how: row[how] for how in AGGREGATIONS} == aggregate_all(row["step_scores"])


def test_grpo_takes_the_prm_reward(prm_dir: str, tiny_model_dir: str, tmp_path: Path) -> None:
    from reasonloop.train import GRPOTrainConfig, make_grpo_trainer

    rows = [{"prompt": [{"role": "user", "content": f"{a}+1?"}], "solution": "1"} for a in range(4)]
    config = GRPOTrainConfig(
        max_steps=1, batch_size=4, num_generations=4, prm=prm_dir, prm_credit="sum"
    )
    trainer = make_grpo_trainer(tiny_model_dir, rows, tmp_path, config)
    reward, steps = trainer.reward_funcs
    assert isinstance(reward, PRMReward) and reward.credit == "sum" and reward.verifiable
    assert steps is steps_per_response and trainer.reward_weights.tolist() == [1.0, 0.0]
    assert steps_per_response(["a\n\nb\n\nc", [{"role": "assistant", "content": "x"}]]) == [
        3.0,
        1.0,
    ]


def test_build_sft_keeps_the_best_ranked_correct_responses() -> None:
    from dataclasses import replace

    from graded import make_samples
    from reasonloop.dataset.sft import build_sft_dataset
    from reasonloop.rewards.step_scores import score_samples
    from reasonloop.tasks.problem import Problem

    texts = ["x\n\np=0.3", "y\n\np=0.9", "z\n\np=0.6", "w\n\np=0.95"]
    samples = [
        replace(s, response=t) for s, t in zip(make_samples("p", "1110"), texts, strict=True)
    ]
    rank = score_samples(TableScorer(), [s for s in samples if s.correct], "min")
    assert rank[("p", "y\n\np=0.9")] == 0.9  # min over "y" (1.0, no number) and "p=0.9"
    problem = Problem(id="p", question="q", gold="1")
    rows = build_sft_dataset(
        [problem], {"p": samples}, max_per_problem=8, balance="none", rank=rank
    )
    assert len(rows) == 3
    rows = build_sft_dataset(
        [problem], {"p": samples}, max_per_problem=2, balance="none", rank=rank
    )
    kept = [row["completion"][0]["content"] for row in rows]
    assert kept == ["y\n\np=0.9", "z\n\np=0.6"]  # the two best correct ones, in sample order


def test_build_sft_rank_names_its_form() -> None:
    from argparse import Namespace

    from reasonloop.cli.build import rank_scores

    with pytest.raises(ConfigError, match="prm:AGG --prm DIR"):
        rank_scores(Namespace(rank="prm:median", kind="sft", prm="PRM"), {})


def test_score_cli_reads_a_run_directory(prm_dir: str, tmp_path: Path) -> None:
    run = tmp_path / "run"
    sample = ["sample", "--model", "fake:arithmetic", "--task", "arithmetic:digits=2"]
    assert main([*sample, "--limit", "3", "-k", "2", "--out", str(run), "--no-progress"]) == 0
    out = tmp_path / "scored.jsonl"
    assert main(["score", "--prm", prm_dir, str(run), "-o", str(out), "--no-progress"]) == 0
    scored = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(scored) == 6 and all(row["step_scores"] and "min" in row for row in scored)
    assert {row["problem_id"] for row in scored} and all("response" in row for row in scored)


# TRL 1.16's GRPO trainer reads a property that transformers 5.x renamed.
@pytest.mark.filterwarnings(
    "ignore:`is_gradient_checkpointing` is deprecated and will be removed in v6:FutureWarning"
)
def test_grpo_trains_one_step_on_the_prm_reward(
    prm_dir: str, tiny_model_dir: str, tmp_path: Path
) -> None:
    from reasonloop.train import SUMMARY_FILE, GRPOTrainConfig, train_grpo

    rows = [{"prompt": [{"role": "user", "content": f"{a}+1?"}], "solution": "1"} for a in range(4)]
    config = GRPOTrainConfig(
        max_steps=1, batch_size=4, num_generations=4, max_completion_length=12, prm=prm_dir
    )
    result = train_grpo(tiny_model_dir, rows, tmp_path / "grpo", config)
    [logged] = [
        e
        for e in json.loads((tmp_path / "grpo" / SUMMARY_FILE).read_text())["log_history"]
        if "reward" in e
    ]
    assert result.steps == 1 and logged["rewards/steps_per_response/mean"] >= 1.0
    # the PRM's scores are probabilities; the reward is their soft minimum (+ 0 or 1)
    assert 0.0 < logged["rewards/prm_min_plus_verifier/mean"] < 2.0
