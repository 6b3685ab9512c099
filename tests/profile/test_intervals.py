"""Interval coverage on simulated clustered data: problems differ, their samples correlate.

Each simulated evaluation draws problems whose pass rates come from a Beta distribution and k
samples per problem; an interval covers when it holds the population mean pass rate. The
clustered interval must cover near its nominal 95%; Wilson's interval over all samples as if
independent must not (that is the defect this guards against). Seeded, so deterministic.
"""

from __future__ import annotations

import random

import pytest

from reasonloop.profile.metrics import clustered_estimate, wilson_interval

TRIALS = 600


def coverage(problems: int, k: int, a: float, b: float, seed: int) -> tuple[float, float]:
    """(clustered, naive) coverage of the true mean a / (a + b) over TRIALS evaluations."""
    rng = random.Random(seed)
    truth = a / (a + b)
    clustered = naive = 0
    for _ in range(TRIALS):
        rates = [rng.betavariate(a, b) for _ in range(problems)]
        hits = [sum(rng.random() < p for _ in range(k)) for p in rates]
        estimate = clustered_estimate([h / k for h in hits], k)
        clustered += estimate.low <= truth <= estimate.high
        low, high = wilson_interval(sum(hits), problems * k)
        naive += low <= truth <= high
    return clustered / TRIALS, naive / TRIALS


@pytest.mark.parametrize(
    ("problems", "k", "a", "b"),
    [
        (30, 8, 0.6, 1.4),  # strongly clustered: most problems always or never solved
        (20, 4, 1.0, 1.0),  # pass rates uniform over problems
        (40, 8, 2.0, 6.0),  # hard task, milder clustering
    ],
)
def test_clustered_interval_covers_near_nominal(problems: int, k: int, a: float, b: float) -> None:
    clustered, naive = coverage(problems, k, a, b, seed=problems * 100 + k)
    # 600 trials give a binomial standard error of ~0.9 points at 95%.
    assert 0.92 <= clustered <= 0.98
    assert naive < 0.88


@pytest.mark.parametrize(
    ("values", "k", "low", "high"),
    [
        ([1.0] * 10, 4, 0.7225, 1.0),  # every problem solved: the problems alone count
        ([0.0] * 10, 4, 0.0, 0.2775),
        ([1.0, 0.0] * 5, 1, 0.2366, 0.7634),  # one sample each: Wilson over 10 problems
    ],
)
def test_clustered_interval_edges(values: list[float], k: int, low: float, high: float) -> None:
    estimate = clustered_estimate(values, k)
    assert (round(estimate.low, 4), round(estimate.high, 4)) == (low, high)
    assert (estimate.n, estimate.per_problem) == (len(values), k)


def test_one_sample_per_problem_is_wilson_over_problems() -> None:
    estimate = clustered_estimate([1.0] * 7 + [0.0] * 3, 1)
    assert (estimate.low, estimate.high) == pytest.approx(wilson_interval(7, 10))


def test_more_samples_of_the_same_problems_narrow_little_when_they_agree() -> None:
    # Each problem's samples all agree: more of them add no information.
    agreeing = clustered_estimate([1.0] * 6 + [0.0] * 4, 8)
    single = clustered_estimate([1.0] * 6 + [0.0] * 4, 1)
    assert agreeing.high - agreeing.low == pytest.approx(single.high - single.low)
