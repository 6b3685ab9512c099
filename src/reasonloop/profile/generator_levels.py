"""Pass rates by the difficulty a generator gave its problems, beside the pass-rate levels.

A reasoning-gym problem carries `meta["difficulty_level"]` (1-5, from where its difficulty
parameters sit in their ranges: `reasonloop.tasks.gym.difficulty_level_of`). Grouping a run's
pass rates by it shows whether the generator's notion of hard is the model's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reasonloop.profile.difficulty import DifficultyProfile
from reasonloop.tasks.problem import Problem


@dataclass(frozen=True)
class GeneratorLevel:
    """The problems a generator put at one level: how many, and their mean pass rate."""

    level: int
    problems: int
    mean_rate: float


def summarize_generator_levels(
    profile: DifficultyProfile, problems: Sequence[Problem]
) -> tuple[GeneratorLevel, ...]:
    """Mean pass rate per generator level, lowest first; empty when no problem has a level."""
    rates = {row.problem_id: row.rate for row in profile.rows}
    by_level: dict[int, list[float]] = {}
    for problem in problems:
        level = problem.meta.get("difficulty_level")
        if isinstance(level, int) and problem.id in rates:
            by_level.setdefault(level, []).append(rates[problem.id])
    return tuple(
        GeneratorLevel(level, len(group), sum(group) / len(group))
        for level, group in sorted(by_level.items())
    )
