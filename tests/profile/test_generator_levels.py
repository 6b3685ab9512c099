"""Pass rates grouped by a generator's own difficulty levels (`meta["difficulty_level"]`)."""

from __future__ import annotations

from graded import make_profile
from reasonloop.profile.generator_levels import GeneratorLevel, summarize_generator_levels
from reasonloop.tasks import Problem


def problem(pid: str, level: object) -> Problem:
    meta = {} if level is None else {"difficulty_level": level}
    return Problem(pid, "q", "1", "rg", meta)


def test_pass_rates_by_generator_level() -> None:
    profile = make_profile({"a": "11", "b": "10", "c": "00", "d": "1", "e": "0"})
    problems = [problem("a", 1), problem("b", 1), problem("c", 5), problem("d", None)]
    problems.append(problem("e", "hard"))  # not a generator level: left out
    assert summarize_generator_levels(profile, problems) == (
        GeneratorLevel("rg", 1, 2, 0.75),
        GeneratorLevel("rg", 5, 1, 0.0),
    )


def test_no_levels_without_generator_levels() -> None:
    profile = make_profile({"a": "1"})
    assert summarize_generator_levels(profile, [problem("a", None)]) == ()
