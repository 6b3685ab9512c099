"""Pass rates, difficulty levels and profiles."""

from __future__ import annotations

import pytest

from graded import make_profile, make_samples
from reasonloop.errors import ConfigError
from reasonloop.profile.difficulty import (
    LEVELS,
    DifficultyCuts,
    PassRate,
    ProblemDifficulty,
    difficulty_level,
    pass_rates,
)


@pytest.mark.parametrize(
    ("rate", "cuts", "level"),
    [
        (0.0, DifficultyCuts(), "unsolved"),
        (1 / 8, DifficultyCuts(), "hard"),
        (1 / 3, DifficultyCuts(), "hard"),  # cuts are inclusive upper bounds
        (0.34, DifficultyCuts(), "medium"),
        (2 / 3, DifficultyCuts(), "medium"),
        (0.67, DifficultyCuts(), "easy"),
        (1.0, DifficultyCuts(), "easy"),
        (0.25, DifficultyCuts(hard=0.2, medium=0.5), "medium"),
        (0.6, DifficultyCuts(hard=0.2, medium=0.5), "easy"),
        (0.5, DifficultyCuts(hard=0.5, medium=0.5), "hard"),
    ],
)
def test_difficulty_level(rate: float, cuts: DifficultyCuts, level: str) -> None:
    assert difficulty_level(rate, cuts) == level


@pytest.mark.parametrize(("hard", "medium"), [(0.0, 0.5), (0.6, 0.5), (0.3, 1.0), (-0.1, 0.5)])
def test_cuts_are_checked(hard: float, medium: float) -> None:
    with pytest.raises(ConfigError, match="cuts"):
        DifficultyCuts(hard=hard, medium=medium)


@pytest.mark.parametrize("rate", [-0.1, 1.5])
def test_level_rejects_rates_outside_unit_interval(rate: float) -> None:
    with pytest.raises(ValueError):
        difficulty_level(rate)


def test_pass_rates() -> None:
    rates = pass_rates({"a": make_samples("a", "1100"), "b": make_samples("b", "0")})
    assert rates == {"a": PassRate(n=4, c=2, rate=0.5), "b": PassRate(n=1, c=0, rate=0.0)}


def test_pass_rate_of_no_samples_is_an_error() -> None:
    with pytest.raises(ValueError, match="'a'"):
        pass_rates({"a": []})


def test_profile_rows_levels_and_overall() -> None:
    profile = make_profile(
        {"e1": "1111", "m1": "1100", "h1": "1000", "h2": "100000", "u1": "0000", "u2": "00"}
    )
    assert profile.rows[0] == ProblemDifficulty("e1", n=4, c=4, rate=1.0, level="easy")
    assert [r.problem_id for r in profile.rows] == sorted(["e1", "m1", "h1", "h2", "u1", "u2"])
    assert profile.counts == {"unsolved": 2, "hard": 2, "medium": 1, "easy": 1}
    assert [s.level for s in profile.levels] == list(LEVELS)
    hard = profile.levels[1]
    assert (hard.problems, hard.samples) == (2, 10)
    assert hard.share == pytest.approx(2 / 6)
    assert hard.mean_rate == pytest.approx((1 / 4 + 1 / 6) / 2)
    assert profile.samples == 24
    assert profile.mean_rate == pytest.approx((1 + 0.5 + 0.25 + 1 / 6) / 6)
    assert profile.level_of("m1") == "medium"


def test_profile_to_dict_is_plain_data() -> None:
    data = make_profile({"a": "10", "b": "00"}).to_dict()
    assert data["overall"] == {"problems": 2, "samples": 4, "mean_rate": 0.25}
    assert data["problems"][0] == {
        "problem_id": "a",
        "n": 2,
        "c": 1,
        "rate": 0.5,
        "level": "medium",
    }
    assert [level["level"] for level in data["levels"]] == list(LEVELS)
