"""Difficulty-aware resampling: extra, longer samples where they buy the most training signal.

The plan (in the spirit of DAST's difficulty-aware sampling) spends an extra sample budget by
difficulty level: hard problems first, then unsolved ones, with a longer token budget for both
since hard problems need longer reasoning. Where a generator graded its problems' difficulty
(reasoning-gym tasks: `meta["difficulty_level"]`, 1-5), a problem's weight also grows with
its generator level (`generator_factor`), so within a pass-rate level the problems the
generator made harder are resampled more. `resample_run` draws the plan into a run directory
as a later round; `reasonloop profile --resample-budget` and the loop both call it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from reasonloop.backends.base import Sampler, SamplingParams
from reasonloop.errors import ConfigError, RunDirError
from reasonloop.files import write_json
from reasonloop.profile.difficulty import (
    LEVELS,
    DifficultyCuts,
    DifficultyLevel,
    DifficultyProfile,
    profile_difficulty,
)
from reasonloop.profile.generator_levels import HIGHEST, LOWEST, generator_level_of
from reasonloop.sample.draw import SampleSummary, sample_problems
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.record import GradedSample
from reasonloop.sample.store import RunStore

PLAN_JSON = "resample_plan.json"

DEFAULT_WEIGHTS: Mapping[str, float] = {
    "unsolved": 2,
    "hard": 3,
    "medium": 1,
    "easy": 0,
}
# The levels whose extra samples get `long_factor` times the token budget.
LONG_LEVELS: frozenset[DifficultyLevel] = frozenset({"hard", "unsolved"})


@dataclass(frozen=True)
class ResamplePlan:
    """Extra samples and the token budget for them, per problem (only problems that get any)."""

    extra_k: dict[str, int]
    max_new_tokens: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.extra_k.values())

    def to_dict(self) -> dict[str, Any]:
        return {"extra_k": dict(self.extra_k), "max_new_tokens": dict(self.max_new_tokens)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ResamplePlan:
        return cls(
            extra_k={str(k): int(v) for k, v in data["extra_k"].items()},
            max_new_tokens={str(k): int(v) for k, v in data["max_new_tokens"].items()},
        )


def plan_resampling(
    profile: DifficultyProfile,
    *,
    budget: int,
    base_max_new_tokens: int,
    long_factor: float = 2.0,
    weights: Mapping[str, float] | None = None,
    generator_levels: Mapping[str, int] | None = None,
    generator_weight: float = 1.0,
) -> ResamplePlan:
    """Share `budget` extra samples among problems in proportion to their weight: their
    pass-rate level's weight, times `generator_factor` of their generator level where
    `generator_levels` ({problem id: 1-5}) gives one.

    Each problem gets floor(budget * w / W) samples (W: the sum of all problems' weights);
    the leftover goes one by one to the highest weights first (ties: lower pass rate, then
    id). Hard and unsolved problems get `long_factor` times the token budget. The plan never
    exceeds `budget`.
    """
    level_weights = _check_weights(weights if weights is not None else DEFAULT_WEIGHTS)
    if generator_weight < 0:
        raise ConfigError(f"the generator-level weight must be >= 0, got {generator_weight}")
    by_generator = generator_levels or {}
    if budget < 0:
        raise ConfigError(f"the resampling budget must be >= 0, got {budget}")
    if base_max_new_tokens < 1 or long_factor < 1.0:
        raise ConfigError(
            f"need base_max_new_tokens >= 1 and long_factor >= 1, got "
            f"{base_max_new_tokens} and {long_factor}"
        )
    # Exact fractions, so that rounding can never hand out more than the budget.
    weighted = [
        (
            row,
            Fraction(level_weights[row.level])
            * generator_factor(by_generator.get(row.problem_id), generator_weight),
        )
        for row in profile.rows
        if level_weights[row.level] > 0
    ]
    total_weight = sum(w for _, w in weighted)
    if budget == 0 or total_weight == 0:
        return ResamplePlan(extra_k={}, max_new_tokens={})
    extra = {row.problem_id: math.floor(budget * w / total_weight) for row, w in weighted}
    leftover = budget - sum(extra.values())
    order = sorted(weighted, key=lambda rw: (-rw[1], rw[0].rate, rw[0].problem_id))
    for row, _ in order[:leftover]:
        extra[row.problem_id] += 1
    long_tokens = max(base_max_new_tokens, round(base_max_new_tokens * long_factor))
    tokens = {
        row.problem_id: long_tokens if row.level in LONG_LEVELS else base_max_new_tokens
        for row, _ in weighted
        if extra[row.problem_id] > 0
    }
    return ResamplePlan(
        extra_k={pid: k for pid, k in extra.items() if k > 0}, max_new_tokens=tokens
    )


def generator_factor(level: int | None, generator_weight: float = 1.0) -> Fraction:
    """How much a generator level multiplies a problem's resampling weight: 1 at the lowest
    level, 1 + `generator_weight` at the highest, linear between; 1 without a level.

    >>> generator_factor(1), generator_factor(5), generator_factor(3, 2.0), generator_factor(None)
    (Fraction(1, 1), Fraction(2, 1), Fraction(2, 1), Fraction(1, 1))
    """
    if level is None:
        return Fraction(1)
    position = Fraction(level - LOWEST, HIGHEST - LOWEST)
    return 1 + Fraction(generator_weight) * position


def _check_weights(weights: Mapping[str, float]) -> dict[DifficultyLevel, float]:
    unknown = set(weights) - set(LEVELS)
    if unknown:
        raise ConfigError(f"unknown difficulty levels in weights: {sorted(unknown)}; use {LEVELS}")
    if any(w < 0 for w in weights.values()):
        raise ConfigError(f"resampling weights must be >= 0, got {dict(weights)}")
    # A level left out gets no extra samples.
    return {level: float(weights.get(level, 0.0)) for level in LEVELS}


@dataclass(frozen=True)
class ResampleResult:
    """What `resample_run` planned and drew (`drawn` is None when the plan was empty)."""

    round: int
    base_max_new_tokens: int
    long_factor: float
    plan: ResamplePlan
    drawn: SampleSummary | None
    generator_weight: float = 0.0  # 0 when no problem had a generator level

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "base_max_new_tokens": self.base_max_new_tokens,
            "long_factor": self.long_factor,
            "generator_weight": self.generator_weight,
            **self.plan.to_dict(),
        }


def resample_run(
    store: RunStore,
    sampler: Sampler,
    params: SamplingParams,
    settings: DrawSettings,
    *,
    budget: int,
    round: int = 1,
    cuts: DifficultyCuts | None = None,
    base_max_new_tokens: int | None = None,
    long_factor: float = 2.0,
    generator_weight: float = 1.0,
) -> ResampleResult:
    """Plan `budget` extra samples from the rounds before `round` and draw them into `store`.

    The base token budget is `base_max_new_tokens`, else the largest the earlier samples
    recorded. Problems with a generator level weigh more the higher it is (`generator_weight`,
    see `generator_factor`; 0 turns that off). The plan is also written to the run directory
    (resample_plan.json). Calling again resumes: samples of `round` already stored are not
    drawn twice. They are drawn with `settings`, as `sample_problems` draws.
    """
    if round < 1:
        raise ConfigError(f"--round must be >= 1 (round 0 is the first pass), got {round}")
    if params.greedy:
        raise ConfigError(
            f"{store.run_dir} was sampled greedily (temperature 0): more samples would repeat "
            "the same answers; resample a run made with a temperature > 0"
        )
    earlier: dict[str, list[GradedSample]] = {}
    for sample in store.samples():
        if sample.round < round:
            earlier.setdefault(sample.problem_id, []).append(sample)
    if not earlier:
        raise RunDirError(f"{store.run_dir} has no samples before round {round} to plan from")
    base = base_max_new_tokens or max(s.max_new_tokens for g in earlier.values() for s in g)
    if base < 1:
        raise ConfigError(
            "the earlier samples do not record their token budget; pass --max-new-tokens"
        )
    stored = store.problems()
    levels = {p.id: level for p in stored if (level := generator_level_of(p)) is not None}
    plan = plan_resampling(
        profile_difficulty(earlier, cuts),
        budget=budget,
        base_max_new_tokens=base,
        long_factor=long_factor,
        generator_levels=levels,
        generator_weight=generator_weight,
    )
    problems = [p for p in stored if p.id in plan.extra_k]
    drawn = None
    if problems:
        drawn = sample_problems(
            problems,
            sampler,
            replace(params, max_new_tokens=base),
            store,
            k=plan.extra_k,
            settings=settings,
            round=round,
            max_new_tokens=plan.max_new_tokens,
        )
    result = ResampleResult(
        round, base, long_factor, plan, drawn, generator_weight if levels else 0.0
    )
    write_json(store.run_dir / PLAN_JSON, result.to_dict())
    return result
