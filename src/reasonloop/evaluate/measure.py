"""Evaluate a model on problems: accuracy with a confidence interval, pass@k and maj@k.

Sampling goes through `sample_problems` into a run store, so an evaluation is resumable (a
killed one picks up where it stopped) and inspectable (`reasonloop export` reads its samples).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reasonloop.backends.base import Sampler, SamplingParams
from reasonloop.errors import ConfigError
from reasonloop.profile.difficulty import LEVELS, DifficultyProfile
from reasonloop.profile.metrics import (
    Estimate,
    clustered_estimate,
    feasible_ks,
    majority_hits,
    pass_at_k,
    pass_at_k_per_problem,
)
from reasonloop.sample.draw import sample_problems
from reasonloop.sample.fingerprint import RunFingerprint, SamplerSpec
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.record import GradedSample
from reasonloop.sample.store import RunStore
from reasonloop.tasks.problem import Problem

if TYPE_CHECKING:
    pass

DEFAULT_KS: tuple[int, ...] = (1, 2, 4, 8, 16, 32, 64, 128)

# Sampled evaluation (k > 1) needs a temperature; this is the one used when none is given.
DEFAULT_TEMPERATURE = 0.8


@dataclass(frozen=True)
class LevelReport:
    """The metrics of the problems of one difficulty level."""

    problems: int
    accuracy: Estimate
    pass_at_k: dict[int, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "problems": self.problems,
            "accuracy": self.accuracy.to_dict(),
            "pass_at_k": {str(k): v for k, v in self.pass_at_k.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LevelReport:
        return cls(
            problems=int(data["problems"]),
            accuracy=Estimate.from_dict(data["accuracy"]),
            pass_at_k=_int_keys(data["pass_at_k"]),
        )


@dataclass(frozen=True)
class EvalReport:
    """What `evaluate` measured.

    `accuracy` is the fraction of correct samples (pass@1 for k > 1). Its interval, and those
    of `pass_at_k_ci` and `maj_at_k_ci`, are over problems: samples of one problem are
    correlated, so they are not counted as independent trials (`clustered_estimate`).
    """

    model_id: str
    problems: int
    k: int
    params: SamplingParams
    accuracy: Estimate
    pass_at_k: dict[int, float]
    maj_at_k: dict[int, float]
    status_counts: dict[str, int]
    mean_completion_tokens: float
    truncated: float  # share of samples that hit the token budget
    by_level: dict[str, LevelReport] = field(default_factory=dict)
    run_dir: str | None = None
    judged: int = 0  # samples a model judge graded (the rule could not decide them)
    pass_at_k_ci: dict[int, Estimate] = field(default_factory=dict)
    maj_at_k_ci: dict[int, Estimate] = field(default_factory=dict)
    # The same samples graded in permissive mode (the last number counts): beside `accuracy`,
    # it shows how much of a change is the answer's format rather than its value.
    permissive_accuracy: Estimate | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: int keys become strings."""
        return {
            "model_id": self.model_id,
            "problems": self.problems,
            "k": self.k,
            "params": self.params.to_dict(),
            "accuracy": self.accuracy.to_dict(),
            "pass_at_k": {str(k): v for k, v in self.pass_at_k.items()},
            "maj_at_k": {str(k): v for k, v in self.maj_at_k.items()},
            "status_counts": dict(self.status_counts),
            "mean_completion_tokens": self.mean_completion_tokens,
            "truncated": self.truncated,
            "by_level": {level: r.to_dict() for level, r in self.by_level.items()},
            "run_dir": self.run_dir,
            "judged": self.judged,
            "pass_at_k_ci": {str(k): e.to_dict() for k, e in self.pass_at_k_ci.items()},
            "maj_at_k_ci": {str(k): e.to_dict() for k, e in self.maj_at_k_ci.items()},
            "permissive_accuracy": (
                None if self.permissive_accuracy is None else self.permissive_accuracy.to_dict()
            ),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EvalReport:
        """Read back `to_dict()` (e.g. an eval.json); a missing key is a `ValueError`."""
        try:
            return cls(
                model_id=str(data["model_id"]),
                problems=int(data["problems"]),
                k=int(data["k"]),
                params=SamplingParams(**data["params"]),
                accuracy=Estimate.from_dict(data["accuracy"]),
                pass_at_k=_int_keys(data["pass_at_k"]),
                maj_at_k=_int_keys(data["maj_at_k"]),
                status_counts={str(k): int(v) for k, v in data["status_counts"].items()},
                mean_completion_tokens=float(data["mean_completion_tokens"]),
                truncated=float(data["truncated"]),
                by_level={
                    str(level): LevelReport.from_dict(r) for level, r in data["by_level"].items()
                },
                run_dir=data.get("run_dir"),
                judged=int(data.get("judged", 0)),
                pass_at_k_ci=_estimates(data.get("pass_at_k_ci", {})),
                maj_at_k_ci=_estimates(data.get("maj_at_k_ci", {})),
                permissive_accuracy=_optional_estimate(data.get("permissive_accuracy")),
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"not an evaluation report (missing {error})") from error


def _int_keys(values: Mapping[str, Any]) -> dict[int, float]:
    """JSON object keys are strings; k is an int."""
    return {int(k): float(v) for k, v in values.items()}


def _estimates(values: Mapping[str, Any]) -> dict[int, Estimate]:
    return {int(k): Estimate.from_dict(v) for k, v in values.items()}


def _optional_estimate(data: Mapping[str, Any] | None) -> Estimate | None:
    return None if data is None else Estimate.from_dict(data)


def resolve_eval_params(k: int, params: SamplingParams | None) -> SamplingParams:
    """Greedy decoding for k = 1 unless told otherwise, sampling for k > 1.

    k > 1 with temperature 0 is refused: k identical greedy samples make pass@k meaningless.
    """
    if k < 1:
        raise ConfigError(f"evaluation needs k >= 1 samples per problem, got {k}")
    if params is None:
        return SamplingParams(temperature=0.0 if k == 1 else DEFAULT_TEMPERATURE)
    if k > 1 and params.greedy:
        raise ConfigError(
            f"k={k} samples with temperature 0 would all be the same greedy answer; "
            "set a temperature > 0 (e.g. --temperature 0.8) or use k=1"
        )
    return params


def evaluate(
    problems: Sequence[Problem],
    sampler: Sampler,
    settings: DrawSettings,
    *,
    k: int = 1,
    params: SamplingParams | None = None,
    store_dir: str | Path | None = None,
    ks: Sequence[int] = DEFAULT_KS,
    profile: DifficultyProfile | None = None,
    force: bool = False,
    spec: SamplerSpec | None = None,
    problem_source: Mapping[str, Any] | None = None,
) -> EvalReport:
    """Sample k responses per problem, grade them, and measure.

    pass@k and maj@k are reported for the `ks` that are <= k. With `profile`, the metrics are
    also split by difficulty level (problems the profile does not know are left out of that
    split). Without `store_dir` the samples go to a temporary directory that is removed after.
    `spec` (how `sampler` was built) and `problem_source` are recorded in the run's
    fingerprint, so the run can be reopened; the token budget is part of its identity.
    The samples are drawn with `settings` (`sample_problems`); a judge there grades what the
    rule cannot decide (counted in the report's `judged`).
    """
    if not problems:
        raise ConfigError("nothing to evaluate: the problem list is empty")
    params = resolve_eval_params(k, params)
    fingerprint = RunFingerprint.for_sampler(
        "eval",
        sampler,
        spec or SamplerSpec.describing(sampler),
        settings.template,
        params,
        problems=problem_source or {},
        max_new_tokens=params.max_new_tokens,
    )
    with _eval_dir(store_dir) as run_dir, RunStore.open(run_dir, fingerprint, force=force) as store:
        sample_problems(
            problems,
            sampler,
            params,
            store,
            k=k,
            settings=settings,
        )
        stored = store.samples_by_problem(round=0)
    by_problem = {p.id: first_samples(stored.get(p.id, []), k) for p in problems}
    report = summarize_samples(
        by_problem,
        model_id=sampler.model_id,
        k=k,
        params=params,
        ks=ks,
        profile=profile,
        run_dir=None if store_dir is None else str(store_dir),
    )
    golds = {p.id: p.gold for p in problems}
    graded_by = {p.id: p for p in problems}
    permissive = permissive_accuracy(by_problem, golds, k, problems=graded_by)
    return replace(report, permissive_accuracy=permissive)


def permissive_accuracy(
    by_problem: Mapping[str, Sequence[GradedSample]],
    golds: Mapping[str, str],
    k: int,
    problems: Mapping[str, Problem] | None = None,
) -> Estimate:
    """The samples' accuracy when graded in permissive mode, its interval over problems.

    Permissive mode also reads the last number of a response that states no final answer in
    a recognised form, so it counts a right value in any format. With `problems` (by id), a
    problem graded by reasoning-gym's scorer is graded by it (it has no permissive reading).
    """
    from reasonloop.sample.graders import grade_responses

    groups = [group for group in by_problem.values() if group]
    samples = [s for group in groups for s in group]
    graded = [
        problems[s.problem_id] if problems else Problem(s.problem_id, "", golds[s.problem_id])
        for s in samples
    ]
    responses = [s.response for s in samples]
    verdicts = iter(grade_responses(responses, graded, mode="permissive"))
    rates = [sum(next(verdicts).correct for _ in group) / len(group) for group in groups]
    return clustered_estimate(rates, k)


@contextmanager
def _eval_dir(store_dir: str | Path | None) -> Iterator[Path]:
    if store_dir is not None:
        yield Path(store_dir)
        return
    with tempfile.TemporaryDirectory(prefix="reasonloop-eval-") as temporary:
        yield Path(temporary)


def first_samples(samples: Sequence[GradedSample], k: int) -> list[GradedSample]:
    """The first k samples by index: a store made with a larger k holds more than asked for."""
    return sorted(samples, key=lambda s: s.sample_index)[:k]


def summarize_samples(
    by_problem: Mapping[str, Sequence[GradedSample]],
    *,
    model_id: str,
    k: int,
    params: SamplingParams,
    ks: Sequence[int] = DEFAULT_KS,
    profile: DifficultyProfile | None = None,
    run_dir: str | None = None,
) -> EvalReport:
    """Measure graded samples (k per problem) into an `EvalReport`."""
    samples = [s for group in by_problem.values() for s in group]
    usable_ks = feasible_ks(by_problem, [x for x in ks if x <= k])
    pass_ci = {x: clustered_estimate(pass_at_k_per_problem(by_problem, x), k) for x in usable_ks}
    maj_ci = {x: clustered_estimate(majority_hits(by_problem, x), k) for x in usable_ks}
    return EvalReport(
        model_id=model_id,
        problems=len(by_problem),
        k=k,
        params=params,
        accuracy=sample_accuracy(by_problem, k),
        pass_at_k={x: e.value for x, e in pass_ci.items()},
        maj_at_k={x: e.value for x, e in maj_ci.items()},
        status_counts=dict(Counter(s.status.value for s in samples)),
        mean_completion_tokens=_mean([s.completion_tokens for s in samples]),
        truncated=_mean([s.finish_reason == "length" for s in samples]),
        by_level=split_by_level(by_problem, profile, usable_ks) if profile else {},
        run_dir=run_dir,
        judged=sum(s.decided_by == "judge" for s in samples),
        pass_at_k_ci=pass_ci,
        maj_at_k_ci=maj_ci,
    )


def sample_accuracy(by_problem: Mapping[str, Sequence[GradedSample]], k: int) -> Estimate:
    """The mean per-problem fraction of correct samples (pass@1), its interval over problems.

    With k samples for every problem this is the fraction of correct samples.
    """
    rates = [sum(s.correct for s in group) / len(group) for group in by_problem.values() if group]
    return clustered_estimate(rates, k)


def split_by_level(
    by_problem: Mapping[str, Sequence[GradedSample]],
    profile: DifficultyProfile,
    ks: Sequence[int],
) -> dict[str, LevelReport]:
    """Accuracy and pass@k per difficulty level; levels without problems are left out."""
    levels = {row.problem_id: row.level for row in profile.rows}
    reports: dict[str, LevelReport] = {}
    for level in LEVELS:
        members = {pid: s for pid, s in by_problem.items() if levels.get(pid) == level}
        if not members:
            continue
        reports[level] = LevelReport(
            problems=len(members),
            accuracy=sample_accuracy(members, max(len(s) for s in members.values())),
            pass_at_k=pass_at_k(members, feasible_ks(members, ks)) if ks else {},
        )
    return reports


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
