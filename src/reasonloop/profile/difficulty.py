"""Per-problem pass rates and difficulty levels.

A problem's difficulty is read off the model's own samples: its pass rate c/n. Problems the
model never solves are "unsolved", rarely solves "hard", and so on. The curate stage spends
extra samples by these levels (`reasonloop.curate.resample`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from reasonloop.errors import ConfigError
from reasonloop.sample.record import GradedSample

DifficultyLevel = Literal["unsolved", "hard", "medium", "easy"]
# Hardest first: the order of tables, and of the plots' stacks (hardest at the bottom).
LEVELS: tuple[DifficultyLevel, ...] = get_args(DifficultyLevel)


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
    level: DifficultyLevel


@dataclass(frozen=True)
class LevelSummary:
    """The problems of one level: how many, their share, mean pass rate, samples drawn."""

    level: DifficultyLevel
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

    def level_of(self, problem_id: str) -> DifficultyLevel:
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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DifficultyProfile:
        """Read back `to_dict()` (e.g. the difficulty part of a run's profile.json)."""
        try:
            cuts = DifficultyCuts(hard=data["cuts"]["hard"], medium=data["cuts"]["medium"])
            rows = tuple(
                ProblemDifficulty(r["problem_id"], r["n"], r["c"], r["rate"], _level(r["level"]))
                for r in data["problems"]
            )
        except (KeyError, TypeError) as error:
            raise ValueError(f"not a difficulty profile (missing {error})") from error
        levels = tuple(_summarize_level(level, rows) for level in LEVELS)
        return cls(rows=rows, levels=levels, cuts=cuts)


def _level(name: str) -> DifficultyLevel:
    for level in LEVELS:
        if name == level:
            return level
    raise ValueError(f"unknown difficulty level {name!r}; levels are {', '.join(LEVELS)}")


def pass_rates(samples_by_problem: Mapping[str, Sequence[GradedSample]]) -> dict[str, PassRate]:
    """Pass rate of every problem; a problem without samples is an error, not a rate of 0."""
    rates: dict[str, PassRate] = {}
    for problem_id, samples in samples_by_problem.items():
        if not samples:
            raise ValueError(f"problem {problem_id!r} has no samples; its pass rate is undefined")
        c = sum(s.correct for s in samples)
        rates[problem_id] = PassRate(n=len(samples), c=c, rate=c / len(samples))
    return rates


def difficulty_level(rate: float, cuts: DifficultyCuts | None = None) -> DifficultyLevel:
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


def _summarize_level(level: DifficultyLevel, rows: Sequence[ProblemDifficulty]) -> LevelSummary:
    members = [r for r in rows if r.level == level]
    return LevelSummary(
        level=level,
        problems=len(members),
        share=len(members) / len(rows) if rows else 0.0,
        mean_rate=sum(r.rate for r in members) / len(members) if members else 0.0,
        samples=sum(r.n for r in members),
    )
