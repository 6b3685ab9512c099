"""Pass rates, difficulty levels, profiles and the resampling plan."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reasonloop.errors import ConfigError
from reasonloop.profile.difficulty import (
    LEVELS,
    DifficultyCuts,
    DifficultyProfile,
    PassRate,
    ProblemDifficulty,
    difficulty_level,
    pass_rates,
    plan_resampling,
    profile_difficulty,
)
from reasonloop.sample.record import GradedSample


def make_samples(problem_id: str, verdicts: str) -> list[GradedSample]:
    return [
        GradedSample(
            problem_id=problem_id,
            sample_index=i,
            prompt=[{"role": "user", "content": "q"}],
            response="r",
            correct=v == "1",
            status="correct" if v == "1" else "incorrect",
            answer="1" if v == "1" else "0",
            prompt_tokens=1,
            completion_tokens=1,
            finish_reason="stop",
            latency_s=0.0,
        )
        for i, v in enumerate(verdicts)
    ]


def make_profile(verdicts: dict[str, str], cuts: DifficultyCuts | None = None) -> DifficultyProfile:
    return profile_difficulty({pid: make_samples(pid, v) for pid, v in verdicts.items()}, cuts)


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


MIXED = {"e1": "1111", "m1": "1100", "h1": "1000", "h2": "1000", "u1": "0000", "u2": "0000"}


@pytest.mark.parametrize("budget", [0, 1, 2, 5, 7, 9, 10, 11, 100, 1001])
def test_plan_spends_exactly_the_budget_and_favours_hard(budget: int) -> None:
    plan = plan_resampling(make_profile(MIXED), budget=budget, base_max_new_tokens=100)
    assert plan.total == budget
    assert "e1" not in plan.extra_k  # easy problems weigh 0
    extra = {pid: plan.extra_k.get(pid, 0) for pid in MIXED}
    assert extra["h1"] >= extra["u1"] >= extra["m1"]
    assert max(extra.values()) == extra["h1"]


def test_plan_shares_follow_the_weights() -> None:
    # weights: hard 3, unsolved 2, medium 1 -> W = 3 + 3 + 2 + 2 + 1 = 11
    plan = plan_resampling(make_profile(MIXED), budget=110, base_max_new_tokens=100)
    assert plan.extra_k == {"h1": 30, "h2": 30, "u1": 20, "u2": 20, "m1": 10}


def test_plan_gives_hard_and_unsolved_the_long_token_budget() -> None:
    plan = plan_resampling(make_profile(MIXED), budget=11, base_max_new_tokens=100, long_factor=2.5)
    assert plan.max_new_tokens == {"h1": 250, "h2": 250, "u1": 250, "u2": 250, "m1": 100}


def test_plan_leftover_goes_to_hard_first() -> None:
    plan = plan_resampling(make_profile(MIXED), budget=3, base_max_new_tokens=64)
    assert plan.extra_k == {"h1": 1, "h2": 1, "u1": 1}


def test_plan_with_custom_weights_and_nothing_to_do() -> None:
    profile = make_profile({"e1": "11", "e2": "11"})
    assert plan_resampling(profile, budget=10, base_max_new_tokens=64).extra_k == {}
    plan = plan_resampling(profile, budget=10, base_max_new_tokens=64, weights={"easy": 1})
    assert plan.extra_k == {"e1": 5, "e2": 5}
    assert plan.max_new_tokens == {"e1": 64, "e2": 64}


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"budget": -1}, "budget"),
        ({"weights": {"trivial": 1}}, "unknown difficulty levels"),
        ({"weights": {"hard": -1}}, ">= 0"),
        ({"long_factor": 0.5}, "long_factor"),
        ({"base_max_new_tokens": 0}, "base_max_new_tokens"),
    ],
)
def test_plan_rejects_bad_options(options: dict[str, object], match: str) -> None:
    arguments: dict[str, object] = {"budget": 10, "base_max_new_tokens": 64, **options}
    with pytest.raises(ConfigError, match=match):
        plan_resampling(make_profile(MIXED), **arguments)  # type: ignore[arg-type]


@given(
    verdicts=st.lists(st.text(alphabet="01", min_size=1, max_size=8), min_size=1, max_size=12),
    budget=st.integers(min_value=0, max_value=500),
    weights=st.fixed_dictionaries({level: st.integers(0, 5) for level in LEVELS}),
)
def test_plan_never_exceeds_the_budget(
    verdicts: list[str], budget: int, weights: dict[str, int]
) -> None:
    profile = make_profile({f"p{i}": v for i, v in enumerate(verdicts)})
    plan = plan_resampling(profile, budget=budget, base_max_new_tokens=32, weights=weights)
    assert plan.total <= budget
    assert all(k > 0 for k in plan.extra_k.values())
    assert set(plan.max_new_tokens) == set(plan.extra_k)
    if any(weights[row.level] for row in profile.rows):
        assert plan.total == budget
