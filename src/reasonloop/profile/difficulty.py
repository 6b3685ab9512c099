"""Per-problem pass rates, difficulty levels, and a difficulty-aware resampling plan.

A problem's difficulty is read off the model's own samples: its pass rate c/n. Problems the
model never solves are "unsolved", rarely solves "hard", and so on. The resampling plan
(in the spirit of DAST's difficulty-aware sampling) spends an extra sample budget where it
buys the most training signal: hard problems first, then unsolved ones, with a longer token
budget for both since hard problems need longer reasoning.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from reasonloop.errors import ConfigError
from reasonloop.sample.record import GradedSample

LEVELS: tuple[str, ...] = ("unsolved", "hard", "medium", "easy")

DEFAULT_WEIGHTS: Mapping[str, float] = {"unsolved": 2, "hard": 3, "medium": 1, "easy": 0}


@dataclass(frozen=True)
class PassRate:
    """`c` correct out of `n` samples; `rate = c / n`."""

    n: int
    c: int
    rate: float


@dataclass(frozen=True)
class DifficultyCuts:
    """Upper pass-rate bounds of the hard and medium levels (inclusive)."""

    hard: float = 1 / 3
    medium: float = 2 / 3

    def __post_init__(self) -> None:
        if not 0.0 < self.hard <= self.medium < 1.0:
            raise ConfigError(
                f"difficulty cuts need 0 < hard <= medium < 1, got hard={self.hard}, "
                f"medium={self.medium}"
            )


@dataclass(frozen=True)
class ProblemDifficulty:
    """One row of a profile."""

    problem_id: str
    n: int
    c: int
    rate: float
    level: str


@dataclass(frozen=True)
class LevelSummary:
    """The problems of one level: how many, their share, mean pass rate, samples drawn."""

    level: str
    problems: int
    share: float
    mean_rate: float
    samples: int


@dataclass(frozen=True)
class DifficultyProfile:
    """Per-problem rows (sorted by id), a summary per level, and overall numbers."""

    rows: tuple[ProblemDifficulty, ...]
    levels: tuple[LevelSummary, ...]
    cuts: DifficultyCuts = field(default_factory=DifficultyCuts)

    @property
    def counts(self) -> dict[str, int]:
        return {s.level: s.problems for s in self.levels}

    @property
    def mean_rate(self) -> float:
        """Mean per-problem pass rate (every problem weighs the same)."""
        return sum(r.rate for r in self.rows) / len(self.rows) if self.rows else 0.0

    @property
    def samples(self) -> int:
        return sum(r.n for r in self.rows)

    def level_of(self, problem_id: str) -> str:
        for row in self.rows:
            if row.problem_id == problem_id:
                return row.level
        raise KeyError(problem_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "cuts": {"hard": self.cuts.hard, "medium": self.cuts.medium},
            "overall": {
                "problems": len(self.rows),
                "samples": self.samples,
                "mean_rate": self.mean_rate,
            },
            "levels": [vars(s) for s in self.levels],
            "problems": [vars(r) for r in self.rows],
        }


@dataclass(frozen=True)
class ResamplePlan:
    """Extra samples and the token budget for them, per problem (only problems that get any)."""

    extra_k: dict[str, int]
    max_new_tokens: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.extra_k.values())


def profile_from_dict(data: Mapping[str, Any]) -> DifficultyProfile:
    """Read back `DifficultyProfile.to_dict()` (e.g. a run's profile.json)."""
    try:
        cuts = DifficultyCuts(hard=data["cuts"]["hard"], medium=data["cuts"]["medium"])
        rows = tuple(
            ProblemDifficulty(r["problem_id"], r["n"], r["c"], r["rate"], r["level"])
            for r in data["problems"]
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"not a difficulty profile (missing {error})") from error
    levels = tuple(_summarize_level(level, rows) for level in LEVELS)
    return DifficultyProfile(rows=rows, levels=levels, cuts=cuts)


def pass_rates(samples_by_problem: Mapping[str, Sequence[GradedSample]]) -> dict[str, PassRate]:
    """Pass rate of every problem; a problem without samples is an error, not a rate of 0."""
    rates: dict[str, PassRate] = {}
    for problem_id, samples in samples_by_problem.items():
        if not samples:
            raise ValueError(f"problem {problem_id!r} has no samples; its pass rate is undefined")
        c = sum(s.correct for s in samples)
        rates[problem_id] = PassRate(n=len(samples), c=c, rate=c / len(samples))
    return rates


def difficulty_level(rate: float, cuts: DifficultyCuts | None = None) -> str:
    """The level of a pass rate: 0 is unsolved, then hard / medium up to each cut, then easy.

    >>> [difficulty_level(r) for r in (0.0, 0.25, 0.5, 1.0)]
    ['unsolved', 'hard', 'medium', 'easy']
    """
    cuts = cuts or DifficultyCuts()
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"a pass rate is in [0, 1], got {rate}")
    if rate == 0.0:
        return "unsolved"
    if rate <= cuts.hard:
        return "hard"
    if rate <= cuts.medium:
        return "medium"
    return "easy"


def profile_difficulty(
    samples_by_problem: Mapping[str, Sequence[GradedSample]],
    cuts: DifficultyCuts | None = None,
) -> DifficultyProfile:
    """Pass rate and level of every problem, and a summary per level (all levels listed)."""
    cuts = cuts or DifficultyCuts()
    rates = pass_rates(samples_by_problem)
    rows = tuple(
        ProblemDifficulty(pid, r.n, r.c, r.rate, difficulty_level(r.rate, cuts))
        for pid, r in sorted(rates.items())
    )
    levels = tuple(_summarize_level(level, rows) for level in LEVELS)
    return DifficultyProfile(rows=rows, levels=levels, cuts=cuts)


def _summarize_level(level: str, rows: Sequence[ProblemDifficulty]) -> LevelSummary:
    members = [r for r in rows if r.level == level]
    return LevelSummary(
        level=level,
        problems=len(members),
        share=len(members) / len(rows) if rows else 0.0,
        mean_rate=sum(r.rate for r in members) / len(members) if members else 0.0,
        samples=sum(r.n for r in members),
    )


def plan_resampling(
    profile: DifficultyProfile,
    *,
    budget: int,
    base_max_new_tokens: int,
    long_factor: float = 2.0,
    weights: Mapping[str, float] | None = None,
) -> ResamplePlan:
    """Share `budget` extra samples among problems in proportion to their level's weight.

    Each problem gets floor(budget * w / W) samples (W: the sum of all problems' weights);
    the leftover goes one by one to the highest weights first (ties: lower pass rate, then
    id). Hard and unsolved problems get `long_factor` times the token budget. The plan never
    exceeds `budget`.
    """
    weights = _check_weights(weights if weights is not None else DEFAULT_WEIGHTS)
    if budget < 0:
        raise ConfigError(f"the resampling budget must be >= 0, got {budget}")
    if base_max_new_tokens < 1 or long_factor < 1.0:
        raise ConfigError(
            f"need base_max_new_tokens >= 1 and long_factor >= 1, got "
            f"{base_max_new_tokens} and {long_factor}"
        )
    # Exact fractions, so that rounding can never hand out more than the budget.
    weighted = [
        (row, Fraction(weights[row.level])) for row in profile.rows if weights[row.level] > 0
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
        row.problem_id: long_tokens if row.level in ("hard", "unsolved") else base_max_new_tokens
        for row, _ in weighted
        if extra[row.problem_id] > 0
    }
    return ResamplePlan(
        extra_k={pid: k for pid, k in extra.items() if k > 0}, max_new_tokens=tokens
    )


def _check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    unknown = set(weights) - set(LEVELS)
    if unknown:
        raise ConfigError(f"unknown difficulty levels in weights: {sorted(unknown)}; use {LEVELS}")
    if any(w < 0 for w in weights.values()):
        raise ConfigError(f"resampling weights must be >= 0, got {dict(weights)}")
    # A level left out gets no extra samples.
    return {level: float(weights.get(level, 0.0)) for level in LEVELS}
