"""The significance call on constructed paired outcomes; McNemar against scipy's binomial test."""

from __future__ import annotations

import json

import pytest

from reasonloop.profile.significance import (
    BOOTSTRAP,
    MCNEMAR,
    PairedComparison,
    mcnemar_exact,
    paired_bootstrap,
)


def outcomes(pattern: str) -> dict[str, bool]:
    """'1' correct, '0' wrong, one character per problem."""
    return {f"p{i}": c == "1" for i, c in enumerate(pattern)}


@pytest.mark.parametrize(
    ("before", "after", "improved", "worsened", "significant"),
    [
        # The 6-problem run: one problem flipped, "+16.7 pts", which is noise.
        ("100000", "110000", 1, 0, False),
        ("0" * 30, "1" * 10 + "0" * 20, 10, 0, True),  # ten flips one way: p = 2 / 2^10
        ("1" * 5 + "0" * 25, "0" * 5 + "1" * 5 + "0" * 20, 5, 5, False),  # churn, no change
        ("1" * 20, "1" * 20, 0, 0, False),  # nothing changed: p = 1
        ("1" * 5 + "0" * 25, "0" * 5 + "1" * 13 + "0" * 12, 13, 5, False),  # 13 vs 5: p ~ 0.096
        ("0" * 40, "1" * 14 + "0" * 26, 14, 0, True),
    ],
)
def test_mcnemar_calls_only_real_changes_significant(
    before: str, after: str, improved: int, worsened: int, significant: bool
) -> None:
    result = mcnemar_exact(outcomes(before), outcomes(after))
    assert (result.improved, result.worsened, result.significant) == (
        improved,
        worsened,
        significant,
    )
    assert result.test == MCNEMAR
    assert result.n == len(before)


@pytest.mark.parametrize(("improved", "worsened"), [(1, 0), (3, 1), (7, 2), (10, 10), (0, 9)])
def test_mcnemar_p_value_is_the_exact_binomial_test(improved: int, worsened: int) -> None:
    stats = pytest.importorskip("scipy.stats")
    before = outcomes("0" * improved + "1" * worsened + "11")
    after = outcomes("1" * improved + "0" * worsened + "11")
    expected = stats.binomtest(improved, improved + worsened, 0.5).pvalue
    assert mcnemar_exact(before, after).p_value == pytest.approx(expected)


def test_only_shared_problems_are_compared() -> None:
    result = mcnemar_exact({"a": False, "b": True}, {"a": True, "c": False})
    assert (result.n, result.before, result.after) == (1, 0.0, 1.0)
    with pytest.raises(ValueError, match="share no problem"):
        mcnemar_exact({"a": True}, {"b": True})


@pytest.mark.parametrize(
    ("before", "after", "significant"),
    [
        ([0.2] * 30, [0.6] * 30, True),  # every problem's pass rate rose
        ([0.2, 0.6] * 15, [0.6, 0.2] * 15, False),  # as many rose as fell
        ([0.5] * 30, [0.5] * 30, False),
        ([0.25] * 4, [0.5] + [0.25] * 3, False),  # one problem of four moved
    ],
)
def test_paired_bootstrap(before: list[float], after: list[float], significant: bool) -> None:
    ids = [f"p{i}" for i in range(len(before))]
    result = paired_bootstrap(
        dict(zip(ids, before, strict=True)), dict(zip(ids, after, strict=True)), resamples=2000
    )
    assert result.significant is significant
    assert result.test == BOOTSTRAP
    again = paired_bootstrap(
        dict(zip(ids, before, strict=True)), dict(zip(ids, after, strict=True)), resamples=2000
    )
    assert again == result  # seeded


def test_round_trip_and_verdict() -> None:
    result = mcnemar_exact(outcomes("100000"), outcomes("110000"))
    assert PairedComparison.from_dict(result.to_dict()) == result
    assert result.verdict.startswith("not significant at 0.05 (exact McNemar")


def test_a_bootstrap_p_value_below_its_resolution_reads_less_than_one_over_b() -> None:
    # Every problem improved: no resample crosses zero, so the estimate is 0 out of B = 1000,
    # which says p < 1/B, not p = 0.
    ids = [f"p{i}" for i in range(30)]
    result = paired_bootstrap(dict.fromkeys(ids, 0.2), dict.fromkeys(ids, 0.6), resamples=1000)
    assert result.p_value == 0.0 and result.significant
    assert result.p_text == "< 0.001"
    assert "p < 0.001" in result.verdict and "p = 0" not in result.verdict
    as_json = json.loads(json.dumps(result.to_dict()))
    assert as_json["p_value"] == "< 0.001" and as_json["resamples"] == 1000
    assert PairedComparison.from_dict(as_json) == result


def test_a_resolved_bootstrap_p_value_is_a_number() -> None:
    ids = [f"p{i}" for i in range(8)]
    result = paired_bootstrap(
        dict(zip(ids, [0.2, 0.6] * 4, strict=True)), dict.fromkeys(ids, 0.4), resamples=1000
    )
    assert isinstance(result.to_dict()["p_value"], float)
    assert result.p_text == f"{result.p_value:.3g}"
