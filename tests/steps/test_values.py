"""Step values on the fake backend, where the wrong step is known."""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import pytest

from fingerprints import fake_fingerprint
from reasonloop.backends.base import Completion, Conversation, SamplerError, SamplingParams
from reasonloop.backends.fake import FakeSampler
from reasonloop.prompts import DEFAULT_TEMPLATE
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.record import GradedSample
from reasonloop.sample.store import RunStore
from reasonloop.steps.plan import ValueSettings
from reasonloop.steps.rollouts import RolloutStore
from reasonloop.steps.values import plan_values, value_samples
from reasonloop.tasks.problem import Problem
from reasonloop.verify.verdict import Status

QUESTION = "Double the sum of 12 and 30."
# The second line's equation is false: from there on the fake continues to a wrong answer.
WRONG_AT_STEP_2 = "12 + 30 = 42.\n42 * 2 = 85.\nThe answer is 85."
RIGHT = "12 + 30 = 42.\n42 * 2 = 84.\nThe answer is 84."


def make_sample(index: int, response: str, correct: bool) -> GradedSample:
    status = Status.CORRECT if correct else Status.INCORRECT
    prompt = [{"role": "user", "content": QUESTION}]
    return GradedSample("p", index, prompt, response, correct, status, None, 6, 12, "stop", 0.0)


def make_run(run_dir: Path) -> RunStore:
    store = RunStore.open(run_dir, fake_fingerprint())
    store.add_problems([Problem("p", QUESTION, "84")])
    store.put_samples([make_sample(0, WRONG_AT_STEP_2, False), make_sample(1, RIGHT, True)])
    return store


def value(run_dir: Path, sampler: object, settings: ValueSettings, batch_size: int = 4) -> None:
    draw = DrawSettings(DEFAULT_TEMPLATE, batch_size=batch_size, grade_workers=1)
    with make_run(run_dir) as store:
        value_samples(store, sampler, SamplingParams(seed=7), draw, settings)  # type: ignore[arg-type]


def read_values(run_dir: Path) -> list[dict[str, object]]:
    lines = (run_dir / "values" / "values.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def step_values(row: dict[str, object]) -> list[tuple[object, object, object]]:
    return [(s["hard"], s["soft"], s["source"]) for s in row["steps"]]  # type: ignore[attr-defined,index]


def test_values_fall_at_the_wrong_step(tmp_path: Path) -> None:
    sampler = FakeSampler("oracle", answers={QUESTION: "84"}, accuracy=1.0)
    value(tmp_path, sampler, ValueSettings(k=3))
    [row] = read_values(tmp_path)  # the correct sample is left out by default
    assert row["sample_index"] == 0 and row["split_rule"] == "default"
    assert step_values(row) == [
        (1.0, 1.0, "rollouts"),
        (0.0, 0.0, "rollouts"),
        (0.0, 0.0, "verdict"),
    ]
    steps = row["steps"]
    assert [s["end"] for s in steps] == [14, 27, len(WRONG_AT_STEP_2)]  # type: ignore[index]
    assert json.loads((tmp_path / "values" / "values.json").read_text())["k"] == 3
    with closing(RolloutStore.open(tmp_path)) as rollouts:
        assert len(rollouts.rollouts()) == 6  # 2 prefixes x K; the last step costs nothing


def test_correct_samples_and_max_steps(tmp_path: Path) -> None:
    sampler = FakeSampler("oracle", answers={QUESTION: "84"}, accuracy=1.0)
    value(tmp_path, sampler, ValueSettings(k=2, include_correct=True, max_steps=1))
    rows = {row["sample_index"]: row for row in read_values(tmp_path)}
    assert step_values(rows[1]) == [
        (1.0, 1.0, "rollouts"),
        (None, None, "not_valued"),
        (None, None, "not_valued"),
    ]
    assert step_values(rows[0])[0] == (1.0, 1.0, "rollouts")


def test_soft_values_do_not_depend_on_the_batch_size(tmp_path: Path) -> None:
    answers = {QUESTION: "84"}
    value(
        tmp_path / "a", FakeSampler("oracle", answers=answers, accuracy=0.5), ValueSettings(k=5), 1
    )
    value(
        tmp_path / "b", FakeSampler("oracle", answers=answers, accuracy=0.5), ValueSettings(k=5), 16
    )
    first, second = read_values(tmp_path / "a"), read_values(tmp_path / "b")
    assert first == second
    assert 0.0 < first[0]["steps"][0]["soft"] < 1.0  # type: ignore[index]


class FailingSampler:
    """The fake that dies after `calls` batches, as a killed run does."""

    continues_final_message = True

    def __init__(self, calls: int) -> None:
        self.inner = FakeSampler("oracle", answers={QUESTION: "84"}, accuracy=0.5)
        self.model_id = self.inner.model_id
        self.calls = calls

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]:
        if self.calls == 0:
            raise KeyboardInterrupt
        self.calls -= 1
        return self.inner.generate(conversations, params)


def test_an_interrupted_run_resumes_with_each_rollout_once(tmp_path: Path) -> None:
    settings = ValueSettings(k=5, include_correct=True)
    value(
        tmp_path / "whole", FakeSampler("oracle", answers={QUESTION: "84"}, accuracy=0.5), settings
    )
    with pytest.raises(KeyboardInterrupt):
        value(tmp_path / "cut", FailingSampler(calls=2), settings)
    with closing(RolloutStore.open(tmp_path / "cut")) as rollouts:
        # K = 5 with batches of 4: the first prefix's rollouts came in two batches, 4 + 1
        assert len(rollouts.rollouts()) == 5
    with make_run(tmp_path / "cut") as store:
        _, pending = plan_values(store, settings, SamplingParams(seed=7))
        assert len(pending) == 20 - 5
    value(tmp_path / "cut", FailingSampler(calls=100), settings)
    with (
        closing(RolloutStore.open(tmp_path / "whole")) as a,
        closing(RolloutStore.open(tmp_path / "cut")) as b,
    ):
        assert a.rollouts() == b.rollouts()
    assert read_values(tmp_path / "whole") == read_values(tmp_path / "cut")


class NoContinuation:
    model_id = "server:model"

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]:
        raise AssertionError("must not be called")


def test_a_backend_that_cannot_continue_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SamplerError, match="server:model cannot continue a partial assistant"):
        value(tmp_path, NoContinuation(), ValueSettings())
