"""A run's profile: difficulty levels plus pass@k and maj@k, the one shape of profile.json.

Problems from generators that grade their own difficulty (reasoning-gym tasks) add the mean
pass rate per generator level (`generator_levels`; empty otherwise).

`reasonloop profile RUN` and every loop iteration write this same artifact; the report and
`reasonloop eval --levels` read it back with `read_run_profile`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reasonloop.errors import DataError
from reasonloop.files import read_json, write_json
from reasonloop.profile.difficulty import (
    DifficultyCuts,
    DifficultyProfile,
    profile_difficulty,
)
from reasonloop.profile.generator_levels import GeneratorLevel, summarize_generator_levels
from reasonloop.profile.metrics import feasible_ks, maj_at_k_of_samples, pass_at_k
from reasonloop.sample.record import GradedSample
from reasonloop.tasks.problem import Problem

PROFILE_JSON = "profile.json"
KS: tuple[int, ...] = (1, 2, 4, 8, 16, 32, 64, 128)


@dataclass(frozen=True)
class RunProfile:
    """Difficulty of every problem, the sampling rounds seen, and pass@k / maj@k at the ks
    every problem has samples for."""

    difficulty: DifficultyProfile
    rounds: tuple[int, ...]
    pass_at_k: Mapping[int, float] = field(default_factory=dict)
    maj_at_k: Mapping[int, float] = field(default_factory=dict)
    generator_levels: tuple[GeneratorLevel, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.difficulty.to_dict(),
            "rounds": list(self.rounds),
            "pass_at_k": {str(k): v for k, v in self.pass_at_k.items()},
            "maj_at_k": {str(k): v for k, v in self.maj_at_k.items()},
            "generator_levels": [level.to_dict() for level in self.generator_levels],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunProfile:
        try:
            return cls(
                difficulty=DifficultyProfile.from_dict(data),
                rounds=tuple(int(r) for r in data["rounds"]),
                pass_at_k={int(k): float(v) for k, v in data["pass_at_k"].items()},
                maj_at_k={int(k): float(v) for k, v in data["maj_at_k"].items()},
                # profiles written before generator levels have none
                generator_levels=tuple(
                    GeneratorLevel.from_dict(row) for row in data.get("generator_levels", ())
                ),
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"not a run profile (missing {error})") from error


def profile_run(
    samples_by_problem: Mapping[str, Sequence[GradedSample]],
    cuts: DifficultyCuts | None = None,
    ks: Sequence[int] = KS,
    problems: Sequence[Problem] = (),
) -> RunProfile:
    """The profile of a run's graded samples (every problem needs at least one); `problems`
    (the run's) give the generator levels of those that have one."""
    usable = feasible_ks(samples_by_problem, ks)
    difficulty = profile_difficulty(samples_by_problem, cuts)
    return RunProfile(
        difficulty=difficulty,
        rounds=tuple(sorted({s.round for group in samples_by_problem.values() for s in group})),
        pass_at_k=pass_at_k(samples_by_problem, usable) if usable else {},
        maj_at_k={k: maj_at_k_of_samples(samples_by_problem, k) for k in usable},
        generator_levels=summarize_generator_levels(difficulty, problems),
    )


def write_run_profile(profile: RunProfile, path: str | Path) -> Path:
    return write_json(path, profile.to_dict())


def read_run_profile(path: str | Path) -> RunProfile:
    """A profile.json; a missing or unreadable one is a `DataError` naming the file."""
    path = Path(path)
    if not path.is_file():
        raise DataError(
            f"profile.json {path} does not exist; make it with `reasonloop profile RUN_DIR`"
        )
    try:
        return RunProfile.from_dict(read_json(path))
    except ValueError as error:
        raise DataError(f"{path} is not a profile.json ({error})") from error
