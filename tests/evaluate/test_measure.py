"""evaluate() end to end with the fake backend, through the real runner, store and verifier."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fingerprints import fake_fingerprint
from reasonloop.backends.base import SamplingParams
from reasonloop.backends.fake import FakeSampler
from reasonloop.errors import ConfigError
from reasonloop.evaluate.measure import (
    DEFAULT_TEMPERATURE,
    EvalReport,
    evaluate,
    permissive_accuracy,
    resolve_eval_params,
)
from reasonloop.profile.difficulty import profile_difficulty
from reasonloop.prompts import DEFAULT_TEMPLATE
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.record import GradedSample
from reasonloop.sample.store import RunStore
from reasonloop.tasks.procedural import generate_task

PROBLEMS = generate_task("arithmetic", 12, digits=2)


def run_eval(accuracy: float, k: int = 1, **options: object) -> EvalReport:
    sampler = FakeSampler("arithmetic", accuracy=accuracy)
    return evaluate(PROBLEMS, sampler, DrawSettings(DEFAULT_TEMPLATE), k=k, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("k", "params", "temperature"),
    [
        (1, None, 0.0),
        (4, None, DEFAULT_TEMPERATURE),
        (1, SamplingParams(temperature=0.7), 0.7),
        (3, SamplingParams(temperature=1.0), 1.0),
    ],
)
def test_resolve_eval_params(k: int, params: SamplingParams | None, temperature: float) -> None:
    assert resolve_eval_params(k, params).temperature == temperature


@pytest.mark.parametrize(
    ("k", "params", "match"),
    [(4, SamplingParams(temperature=0.0), "temperature"), (0, None, "k >= 1")],
)
def test_resolve_eval_params_refuses(k: int, params: SamplingParams | None, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        resolve_eval_params(k, params)


@pytest.mark.parametrize(
    ("accuracy", "expected", "status"), [(1.0, 1.0, "correct"), (0.0, 0.0, "incorrect")]
)
def test_greedy_eval_of_a_perfect_and_a_hopeless_model(
    accuracy: float, expected: float, status: str
) -> None:
    report = run_eval(accuracy)
    assert report.params.greedy
    assert report.accuracy.value == expected
    assert report.accuracy.n == len(PROBLEMS)
    assert report.accuracy.low <= expected <= report.accuracy.high
    assert 0.0 < report.accuracy.high - report.accuracy.low < 0.5
    assert report.pass_at_k == {1: expected}
    assert report.maj_at_k == {1: expected}
    assert report.status_counts == {status: len(PROBLEMS)}
    assert report.run_dir is None
    assert report.mean_completion_tokens > 0
    assert report.truncated == 0.0


def test_sampled_eval_reports_the_feasible_ks() -> None:
    report = run_eval(0.5, k=4, ks=(1, 2, 4, 8))
    assert not report.params.greedy
    # The interval is over problems, with 4 samples each, not over 4 x 12 independent trials.
    assert (report.accuracy.n, report.accuracy.per_problem) == (len(PROBLEMS), 4)
    assert sorted(report.pass_at_k) == sorted(report.maj_at_k) == [1, 2, 4]
    assert sorted(report.pass_at_k_ci) == sorted(report.maj_at_k_ci) == [1, 2, 4]
    for k, estimate in report.pass_at_k_ci.items():
        assert estimate.value == report.pass_at_k[k]
        assert estimate.low <= estimate.value <= estimate.high
    assert EvalReport.from_dict(report.to_dict()) == report
    # pass@1 is the mean per-problem pass rate; with equal n that is the sample accuracy.
    assert report.pass_at_k[1] == pytest.approx(report.accuracy.value)
    assert report.pass_at_k[1] <= report.pass_at_k[2] <= report.pass_at_k[4]
    assert 0.2 < report.accuracy.value < 0.8
    # Wrong answers scatter while the right one repeats: voting beats a single sample.
    assert report.maj_at_k[4] >= report.pass_at_k[1]


def test_truncation_is_counted() -> None:
    report = run_eval(1.0, params=SamplingParams(temperature=0.0, max_new_tokens=3))
    assert report.truncated == 1.0
    assert report.accuracy.value == 0.0


def test_store_dir_keeps_samples_and_resumes(tmp_path: Path) -> None:
    first = run_eval(0.5, k=2, store_dir=tmp_path / "eval")
    assert first.run_dir == str(tmp_path / "eval")
    second = run_eval(0.5, k=2, store_dir=tmp_path / "eval")
    assert second == first
    with RunStore.open_existing(tmp_path / "eval") as store:
        assert store.count() == 2 * len(PROBLEMS)
    # A larger k tops up the same directory; the first 2 samples are reused.
    third = run_eval(0.5, k=3, store_dir=tmp_path / "eval")
    assert third.accuracy.per_problem == 3
    with RunStore.open_existing(tmp_path / "eval") as store:
        assert store.count() == 3 * len(PROBLEMS)


def test_store_dir_with_another_configuration_is_refused(tmp_path: Path) -> None:
    run_eval(1.0, store_dir=tmp_path / "eval")
    with pytest.raises(Exception, match="different configuration"):
        run_eval(1.0, store_dir=tmp_path / "eval", params=SamplingParams(temperature=0.5))


def test_metrics_split_by_difficulty_level(tmp_path: Path) -> None:
    sampler = FakeSampler("arithmetic", accuracy=0.5)
    with RunStore.open(tmp_path / "run", fake_fingerprint()) as store:
        from reasonloop.sample.draw import sample_problems

        sample_problems(
            PROBLEMS,
            sampler,
            SamplingParams(),
            store,
            k=6,
            settings=DrawSettings(DEFAULT_TEMPLATE),
        )
        profile = profile_difficulty(store.samples_by_problem())
    report = run_eval(0.5, k=2, profile=profile)
    assert sum(level.problems for level in report.by_level.values()) == len(PROBLEMS)
    assert set(report.by_level) <= {"unsolved", "hard", "medium", "easy"}
    for level in report.by_level.values():
        assert set(level.pass_at_k) == {1, 2}


def test_report_to_dict_is_json() -> None:
    data = json.loads(json.dumps(run_eval(1.0, k=2, ks=(1, 2)).to_dict()))
    assert data["pass_at_k"] == {"1": 1.0, "2": 1.0}
    assert (data["accuracy"]["n"], data["accuracy"]["per_problem"]) == (len(PROBLEMS), 2)
    assert data["params"]["temperature"] == DEFAULT_TEMPERATURE


def test_nothing_to_evaluate() -> None:
    with pytest.raises(ConfigError, match="empty"):
        evaluate([], FakeSampler("arithmetic"), DrawSettings(DEFAULT_TEMPLATE))


def make_sample(problem_id: str, index: int, response: str, correct: bool) -> GradedSample:
    return GradedSample(
        problem_id=problem_id,
        sample_index=index,
        prompt=[{"role": "user", "content": "q"}],
        response=response,
        correct=correct,
        status="correct" if correct else "no_answer",
        answer=None,
        prompt_tokens=1,
        completion_tokens=1,
        finish_reason="stop",
        latency_s=0.0,
    )


def test_permissive_accuracy_counts_a_right_value_in_any_format() -> None:
    # Real base-model replies: a bare sum states the value but no answer in a form the
    # default rule reads; permissive extraction takes the last number.
    by_problem = {
        "a": [make_sample("a", 0, "72 and 79 together make 151", False)] * 2,
        "b": [make_sample("b", 0, "The answer is 12.", True)] * 2,
        "c": [make_sample("c", 0, "So 40", False), make_sample("c", 1, "I do not know.", False)],
    }
    golds = {"a": "151", "b": "12", "c": "40"}
    estimate = permissive_accuracy(by_problem, golds, k=2)
    assert estimate.value == pytest.approx((1 + 1 + 0.5) / 3)
    assert (estimate.n, estimate.per_problem) == (3, 2)


def test_eval_reports_permissive_beside_strict() -> None:
    report = run_eval(0.5)
    assert report.permissive_accuracy is not None
    assert report.permissive_accuracy.value >= report.accuracy.value
    assert EvalReport.from_dict(report.to_dict()) == report
