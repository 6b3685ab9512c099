"""Pass rates by the difficulty a generator gave its problems, beside the pass-rate levels.

A reasoning-gym problem carries `meta["difficulty_level"]` (1-5, from where its difficulty
parameters sit in their ranges: `reasonloop.tasks.gym.difficulty_level_of`). Grouping a run's
pass rates by task and level shows whether the generator's notion of hard is the model's;
profile.json keeps the groups (`RunProfile.generator_levels`), DAST-P resampling weighs
problems by their level (`curate.resample`), and the report plots accuracy per level.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from reasonloop.profile.difficulty import DifficultyProfile
from reasonloop.tasks.problem import Problem

LOWEST, HIGHEST = 1, 5  # the range `difficulty_level_of` gives


@dataclass(frozen=True)
class GeneratorLevel:
    """The problems one task's generator put at one level: how many, their mean pass rate."""

    task: str
    level: int
    problems: int
    mean_rate: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GeneratorLevel:
        return cls(
            str(data["task"]), int(data["level"]), int(data["problems"]), float(data["mean_rate"])
        )


def generator_level_of(problem: Problem) -> int | None:
    """The problem's generator level (1-5), None when its generator gave none.

    >>> generator_level_of(Problem("p", "q", "1", meta={"difficulty_level": 3}))
    3
    """
    level = problem.meta.get("difficulty_level")
    if isinstance(level, int) and not isinstance(level, bool) and LOWEST <= level <= HIGHEST:
        return level
    return None


def generator_task_of(problem: Problem) -> str:
    """The generator a problem came from: its reasoning-gym task, else its source."""
    return str(problem.meta.get("rg_task") or problem.source or "problems")


def summarize_generator_levels(
    profile: DifficultyProfile, problems: Sequence[Problem]
) -> tuple[GeneratorLevel, ...]:
    """Mean pass rate per (task, generator level), by task then lowest level first; empty when
    no problem has a level."""
    return group_by_generator_level({row.problem_id: row.rate for row in profile.rows}, problems)


def group_by_generator_level(
    rates: Mapping[str, float], problems: Sequence[Problem]
) -> tuple[GeneratorLevel, ...]:
    """Mean of `rates` ({problem id: pass rate, or 1.0/0.0 for a greedy outcome}) per (task,
    generator level); problems without a rate or a level are left out.

    >>> problems = [Problem(p, "q", "1", "gcd", {"difficulty_level": 2}) for p in "ab"]
    >>> group_by_generator_level({"a": 1.0, "b": 0.0}, problems)
    (GeneratorLevel(task='gcd', level=2, problems=2, mean_rate=0.5),)
    """
    groups: dict[tuple[str, int], list[float]] = {}
    for problem in problems:
        level = generator_level_of(problem)
        if level is not None and problem.id in rates:
            groups.setdefault((generator_task_of(problem), level), []).append(rates[problem.id])
    return tuple(
        GeneratorLevel(task, level, len(group), sum(group) / len(group))
        for (task, level), group in sorted(groups.items())
    )
