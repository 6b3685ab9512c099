"""The difficulty-aware resampling plan."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graded import make_profile
from reasonloop.curate.resample import plan_resampling
from reasonloop.errors import ConfigError
from reasonloop.profile.difficulty import LEVELS

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


# Generator levels (reasoning-gym's difficulty parameters, 1-5) within one pass-rate level.
HARD_PAIR = {"h1": "1000", "h2": "1000"}


@pytest.mark.parametrize(
    ("levels", "generator_weight", "budget", "expected"),
    [
        ({"h1": 5, "h2": 1}, 1.0, 3, {"h1": 2, "h2": 1}),  # factors 2 : 1
        ({"h1": 5, "h2": 1}, 1.0, 30, {"h1": 20, "h2": 10}),
        ({"h1": 3, "h2": 1}, 2.0, 30, {"h1": 20, "h2": 10}),  # 1 + 2 * 0.5 = 2
        ({"h1": 5, "h2": 1}, 0.0, 30, {"h1": 15, "h2": 15}),  # off: pass rates only
        ({"h1": 5}, 1.0, 30, {"h1": 20, "h2": 10}),  # no level: factor 1
        ({}, 1.0, 30, {"h1": 15, "h2": 15}),
    ],
)
def test_plan_resamples_hard_generator_levels_more(
    levels: dict[str, int], generator_weight: float, budget: int, expected: dict[str, int]
) -> None:
    plan = plan_resampling(
        make_profile(HARD_PAIR),
        budget=budget,
        base_max_new_tokens=64,
        generator_levels=levels,
        generator_weight=generator_weight,
    )
    assert plan.extra_k == expected


def test_generator_levels_do_not_outweigh_pass_rate_levels() -> None:
    # an easy problem (weight 0) gets nothing at any generator level; a medium problem at
    # level 5 (1 x 2) still weighs less than a hard one at level 1 (3 x 1)
    profile = make_profile({"e1": "1111", "m1": "1100", "h1": "1000"})
    levels = {"e1": 5, "m1": 5, "h1": 1}
    plan = plan_resampling(profile, budget=50, base_max_new_tokens=64, generator_levels=levels)
    assert plan.extra_k == {"h1": 30, "m1": 20}


def test_negative_generator_weight_is_refused() -> None:
    with pytest.raises(ConfigError, match="generator-level weight"):
        plan_resampling(
            make_profile(HARD_PAIR), budget=1, base_max_new_tokens=64, generator_weight=-1
        )
