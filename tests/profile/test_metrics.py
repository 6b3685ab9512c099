"""pass@k against the closed form, Wilson against known values, maj@k with the real verifier."""

from __future__ import annotations

import itertools
import math

import pytest

from graded import make_samples
from reasonloop.profile.metrics import (
    Estimate,
    accuracy_with_ci,
    estimate_pass_at_k,
    feasible_ks,
    maj_at_k,
    maj_at_k_of_samples,
    pass_at_k,
    vote_majority,
    wilson_interval,
)


def closed_form_pass_at_k(n: int, c: int, k: int) -> float:
    """The independent reference: exact binomials, one division at the end."""
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


GRID = [
    (n, c, k)
    for n, c, k in itertools.product(range(1, 41), range(0, 41), (1, 2, 3, 5, 8, 10, 16, 32))
    if c <= n and k <= n
]


@pytest.mark.parametrize(("n", "c", "k"), GRID[::97])
def test_pass_at_k_matches_closed_form(n: int, c: int, k: int) -> None:
    assert estimate_pass_at_k(n, c, k) == pytest.approx(closed_form_pass_at_k(n, c, k), abs=1e-12)


def test_pass_at_k_matches_closed_form_on_whole_grid() -> None:
    worst = max(abs(estimate_pass_at_k(*a) - closed_form_pass_at_k(*a)) for a in GRID)
    assert worst < 1e-12


@pytest.mark.parametrize(
    ("n", "c", "k", "expected"),
    [
        (4, 1, 2, 0.5),
        (10, 0, 5, 0.0),
        (10, 10, 1, 1.0),
        (10, 3, 1, 0.3),
        (10, 6, 5, 1.0),  # every 5 of 10 include one of 6 correct
        (200, 1, 1, 0.005),
        (1000, 1, 100, 0.1),
    ],
)
def test_pass_at_k_known_values(n: int, c: int, k: int, expected: float) -> None:
    assert estimate_pass_at_k(n, c, k) == pytest.approx(expected, abs=1e-12)


def test_pass_at_k_stays_finite_where_binomials_are_huge() -> None:
    # C(10000, 5000) has ~3000 digits; the float closed form would overflow.
    assert estimate_pass_at_k(10_000, 1, 5_000) == pytest.approx(0.5)


@pytest.mark.parametrize(("n", "c", "k"), [(3, 1, 4), (3, 1, 0), (3, 4, 1), (3, -1, 1)])
def test_estimate_pass_at_k_rejects_bad_arguments(n: int, c: int, k: int) -> None:
    with pytest.raises(ValueError):
        estimate_pass_at_k(n, c, k)


def test_pass_at_k_is_mean_over_problems() -> None:
    by_problem = {"a": make_samples("a", "1000"), "b": make_samples("b", "0000")}
    assert pass_at_k(by_problem, [1, 2, 4]) == pytest.approx({1: 0.125, 2: 0.25, 4: 0.5})


def test_pass_at_k_refuses_k_above_fewest_samples() -> None:
    by_problem = {"a": make_samples("a", "10"), "b": make_samples("b", "1000")}
    with pytest.raises(ValueError, match="pass@3"):
        pass_at_k(by_problem, [3])
    assert feasible_ks(by_problem, [8, 1, 2, 3, 1]) == [1, 2]


# Known Wilson 95% intervals (as printed by statsmodels' proportion_confint(method="wilson")).
@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        (8, 10, 0.4902, 0.9433),
        (5, 10, 0.2366, 0.7634),
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (1, 20, 0.0089, 0.2361),
    ],
)
def test_wilson_known_values(successes: int, n: int, low: float, high: float) -> None:
    estimate = accuracy_with_ci([True] * successes + [False] * (n - successes))
    assert estimate == Estimate(
        value=pytest.approx(successes / n),  # type: ignore[arg-type]
        low=pytest.approx(low, abs=5e-5),  # type: ignore[arg-type]
        high=pytest.approx(high, abs=5e-5),  # type: ignore[arg-type]
        n=n,
    )


def wilson_by_bisection(successes: int, n: int, z: float) -> tuple[float, float]:
    """Independent reference: the bounds are the p where |p_hat - p| = z * sqrt(p (1 - p) / n)."""
    p_hat = successes / n

    def excess(p: float) -> float:
        return (p_hat - p) ** 2 - z * z * p * (1 - p) / n

    def root(lo: float, hi: float) -> float:
        for _ in range(200):
            mid = (lo + hi) / 2
            if (excess(lo) > 0) == (excess(mid) > 0):
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2

    low = 0.0 if successes == 0 else root(0.0, p_hat)
    high = 1.0 if successes == n else root(p_hat, 1.0)
    return low, high


@pytest.mark.parametrize(
    ("level", "z"), [(0.90, 1.6448536269514722), (0.95, 1.959963984540054), (0.99, 2.5758293035489)]
)
@pytest.mark.parametrize(("successes", "n"), [(0, 3), (1, 3), (7, 50), (49, 50), (300, 1000)])
def test_wilson_matches_quadratic_roots(successes: int, n: int, level: float, z: float) -> None:
    assert wilson_interval(successes, n, level) == pytest.approx(
        wilson_by_bisection(successes, n, z), abs=1e-9
    )


def test_accuracy_of_nothing_is_uninformative() -> None:
    assert accuracy_with_ci([]) == Estimate(value=0.0, low=0.0, high=1.0, n=0)


@pytest.mark.parametrize("level", [0.0, 1.0, 95.0])
def test_accuracy_rejects_bad_level(level: float) -> None:
    with pytest.raises(ValueError, match="level"):
        accuracy_with_ci([True], level=level)


def same_text(a: str, b: str) -> bool:
    return a.strip() == b.strip()


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (["1", "2", "2"], ("2", 2)),
        (["1", "2"], ("1", 1)),  # tie: the group voted for first wins
        (["2", "1", "1", "2"], ("2", 2)),
        ([None, None, "3"], ("3", 1)),  # None does not vote
        ([None, None], None),
        ([], None),
        ([" 4", "4 ", "5", "5", "5"], ("5", 3)),
    ],
)
def test_vote_majority_with_given_equivalence(
    answers: list[str | None], expected: tuple[str, int] | None
) -> None:
    assert vote_majority(answers, same_text) == expected


# With the real verifier: equivalent forms of one value share their votes.
@pytest.mark.parametrize(
    ("answers", "winner", "votes"),
    [
        (["3", "1/2", "0.5", "3", "\\frac{1}{2}"], "1/2", 3),
        (["7", "7.0", "8", "8", "8"], "8", 3),
        (["7", "7.0", "8", "8"], "7", 2),  # a tie: the group voted for first wins
        (["1,000", "1000", "999"], "1,000", 2),
        ([None, "x", None], "x", 1),
    ],
)
def test_vote_majority_groups_equivalent_answers(
    answers: list[str | None], winner: str, votes: int
) -> None:
    assert vote_majority(answers) == (winner, votes)


@pytest.mark.parametrize(
    ("answers", "golds", "k", "expected"),
    [
        ([["0.5", "1/2", "3"], ["4", "5", "5"]], ["1/2", "4"], 3, 0.5),
        ([["0.5", "1/2", "3"], ["4", "5", "5"]], ["1/2", "4"], 1, 1.0),
        ([[None, None], ["2", "2"]], ["1", "2"], 2, 0.5),
        ([["12", "13", "13", "12.0"]], ["12"], 4, 1.0),
    ],
)
def test_maj_at_k(
    answers: list[list[str | None]], golds: list[str], k: int, expected: float
) -> None:
    assert maj_at_k(answers, golds, k) == expected


def test_maj_at_k_needs_k_answers_per_problem() -> None:
    with pytest.raises(ValueError, match="maj@3"):
        maj_at_k([["1", "2"]], ["1"], 3)


@pytest.mark.parametrize(
    ("verdicts", "answers", "k", "expected"),
    [
        ("0110", "3443", 4, 0.0),  # a 2-2 tie: 3 was voted for first, and 3 is wrong
        ("0110", "3443", 3, 1.0),
        ("1000", "4335", 4, 0.0),
        ("0000", "____", 4, 0.0),
        ("1010", "4_4_", 4, 1.0),
    ],
)
def test_maj_at_k_of_samples_uses_the_winners_verdict(
    verdicts: str, answers: str, k: int, expected: float
) -> None:
    assert maj_at_k_of_samples({"p": make_samples("p", verdicts, answers)}, k) == expected
