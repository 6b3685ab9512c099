"""Scoring with a reward: cached by content, failures (None, NaN, raising) counted and kept out
of the metrics, the cache kept when a reward dies; rewards by name with typed options."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from reasonloop.errors import ConfigError, DataError
from reasonloop.evaluate.rm.measure import REWARD_FAILED, rm_eval
from reasonloop.evaluate.rm.rewards import load_reward, parse_reward_spec
from reasonloop.evaluate.rm.scoring import ScoreCache, ScoreRequest, score_responses
from reasonloop.evaluate.rm.sets import rm_set_from_rows


class TableReward:
    """Scores from a table by response text; counts what it was asked."""

    def __init__(self, table: dict[str, Any], identity: str = "table") -> None:
        self.table = table
        self.identity = identity
        self.asked: list[str] = []

    def __call__(self, completions: Sequence[Any], **kwargs: Any) -> list[float | None]:
        self.asked += list(completions)
        if "boom" in completions:
            raise RuntimeError("the model fell over")
        return [self.table[c] for c in completions]


def requests(*responses: str) -> list[ScoreRequest]:
    return [ScoreRequest(r, question="q") for r in responses]


def test_scores_are_cached_by_content(tmp_path: Path) -> None:
    cache = ScoreCache(tmp_path / "scores.sqlite")
    reward = TableReward({"a": 1.0, "b": 2.0})
    first = score_responses(reward, requests("a", "b", "a"), cache=cache, batch_size=2)
    assert first.values == [1.0, 2.0, 1.0] and first.cached == 0
    again = TableReward({"a": 9.0, "b": 9.0})
    second = score_responses(again, requests("b", "a"), cache=ScoreCache(cache.path))
    assert second.values == [2.0, 1.0] and second.cached == 2 and again.asked == []
    other = TableReward({"a": 5.0}, identity="another reward")
    assert score_responses(other, requests("a"), cache=cache).values == [5.0]


@pytest.mark.parametrize("bad", [None, math.nan, math.inf, "high"])
def test_a_bad_score_is_a_counted_failure_never_cached(tmp_path: Path, bad: object) -> None:
    cache = ScoreCache(tmp_path / "scores.sqlite")
    scores = score_responses(TableReward({"a": 1.0, "b": bad}), requests("a", "b"), cache=cache)
    assert scores.values == [1.0, None] and scores.failed == 1
    assert scores.first_error is not None and "the reward returned" in scores.first_error
    assert score_responses(TableReward({"b": 3.0}), requests("b"), cache=cache).values == [3.0]


def test_a_reward_that_raises_loses_no_score_already_made(tmp_path: Path) -> None:
    cache = ScoreCache(tmp_path / "scores.sqlite")
    reward = TableReward({"a": 1.0, "b": 2.0})
    scores = score_responses(reward, requests("boom", "a", "b"), cache=cache, batch_size=2)
    assert scores.values == [None, 1.0, 2.0] and scores.failed == 1
    assert scores.first_error == "RuntimeError: the model fell over"
    assert score_responses(TableReward({}), requests("a", "b"), cache=cache).cached == 2


def test_a_set_up_mistake_stops_at_once() -> None:
    class NoQuestion(TableReward):
        def __call__(self, completions: Sequence[Any], **kwargs: Any) -> list[float | None]:
            raise ConfigError("reward x reads each response's question")

    with pytest.raises(ConfigError, match="question"):
        score_responses(NoQuestion({}), requests("a"))


def labelled_set() -> Any:
    rows = [
        {"problem_id": "p1", "response": "right", "correct": True},
        {"problem_id": "p1", "response": "wrong", "correct": False},
        {"problem_id": "p2", "response": "fine", "correct": True},
        {"problem_id": "p2", "response": "boom", "correct": False},
    ]
    return rm_set_from_rows(rows, "set.jsonl")


def test_rm_eval_leaves_out_and_counts_a_problem_the_reward_failed_on() -> None:
    report = rm_eval(labelled_set(), TableReward({"right": 1.0, "wrong": 0.0, "fine": 1.0}))
    assert [p.problem_id for p in report.per_problem] == ["p1"]
    assert report.skipped == {REWARD_FAILED: 1} and report.failed_scores == 1
    assert report.accuracy.value == 1.0


def test_rm_eval_says_so_when_nothing_was_scored(tmp_path: Path) -> None:
    rows = [
        {"problem_id": "p", "response": "boom", "correct": True},
        {"problem_id": "p", "response": "x", "correct": False},
    ]
    with pytest.raises(DataError, match="scored no problem.*kept in the cache"):
        rm_eval(rm_set_from_rows(rows, "set.jsonl"), TableReward({"x": 1.0}))


def test_baselines_by_name() -> None:
    length = load_reward("length")
    assert length(["a bit longer", "short"]) == [-12.0, -5.0]
    assert load_reward("length", {"unit": "words"})(["two words"]) == [-2.0]
    random = load_reward("random", {"seed": "7"})
    first = random(["a", "b"], prompts=[None, None])
    assert first == random(["a", "b"], prompts=[None, None]) and all(0 <= s < 1 for s in first)
    assert first != load_reward("random", {"seed": "8"})(["a", "b"], prompts=[None, None])


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("nope", {}, "unknown reward 'nope'; choose one of random, length"),
        ("random", {"sed": "1"}, "reward random has no option sed; its options: seed"),
        ("random", {"seed": "x"}, "option seed must be a int"),
        ("length", {"unit": "tokens"}, "unit must be one of chars, words"),
        ("orm", {}, "reward orm needs its model: --reward-option model=DIR"),
    ],
)
def test_bad_reward_names_and_options(name: str, options: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_reward(name, options)


def test_reward_specs() -> None:
    assert parse_reward_spec("random") == ("random", {})
    assert parse_reward_spec("orm:model=a/b, seed=2") == ("orm", {"model": "a/b", "seed": "2"})
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        parse_reward_spec("orm:model")
