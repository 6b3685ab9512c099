"""Best-of-N over every N-subset: the closed form against brute-force enumeration, the oracle
against pass@k, majority vote against `vote_majority`, Spearman's rho against scipy."""

from __future__ import annotations

import itertools
import random

import pytest

from graded import make_samples
from reasonloop.evaluate.best_of_n import (
    best_of_n,
    majority_accuracy,
    pick_accuracy,
    rank_correlation,
)
from reasonloop.profile.metrics import estimate_pass_at_k, vote_majority


def brute_force_pick(scores: list[float], correct: list[bool], n: int) -> float:
    """Mean over every n-subset of the correct share among its top-scored samples (a tie
    picked at random)."""
    total = 0.0
    subsets = list(itertools.combinations(range(len(scores)), n))
    for subset in subsets:
        best = max(scores[i] for i in subset)
        top = [correct[i] for i in subset if scores[i] == best]
        total += sum(top) / len(top)
    return total / len(subsets)


@pytest.mark.parametrize("seed", range(12))
def test_the_pick_matches_enumerating_every_subset(seed: int) -> None:
    rng = random.Random(seed)
    k = rng.randint(2, 9)
    scores = [float(rng.randint(0, 4)) for _ in range(k)]  # few values: many ties
    correct = [rng.random() < 0.4 for _ in range(k)]
    for n in range(1, k + 1):
        assert pick_accuracy(scores, correct, n) == pytest.approx(
            brute_force_pick(scores, correct, n)
        )


@pytest.mark.parametrize(
    ("scores", "correct", "n", "expected"),
    [
        ([1.0, 1.0, 1.0, 1.0], [True, False, False, False], 4, 0.25),  # constant: pass@1
        ([0.0, 1.0, 2.0, 3.0], [False, False, False, True], 1, 0.25),
        ([0.0, 1.0, 2.0, 3.0], [False, False, False, True], 2, 0.5),  # in 3 of 6 pairs
        ([None, 1.0], [True, False], 2, 0.0),  # an unscored sample is never preferred
    ],
)
def test_known_picks(
    scores: list[float | None], correct: list[bool], n: int, expected: float
) -> None:
    assert pick_accuracy(scores, correct, n) == pytest.approx(expected)


def test_majority_matches_vote_majority_on_every_subset() -> None:
    answers = ["4", "5", None, "4", "5", "5", "7"]
    gold = "5"
    groups_of = {"4": 0, "5": 1, "7": 2}
    groups = [None if a is None else groups_of[a] for a in answers]
    right = {0: False, 1: True, 2: False}
    for n in range(1, len(answers) + 1):
        subsets = list(itertools.combinations(range(len(answers)), n))
        hits = 0
        for subset in subsets:
            vote = vote_majority([answers[i] for i in subset], lambda a, b: a == b)
            hits += vote is not None and vote[0] == gold
        assert majority_accuracy(groups, right, n) == pytest.approx(hits / len(subsets))


def test_best_of_n_on_graded_samples() -> None:
    samples = {
        "a": make_samples("a", "0101", answers="3434"),
        "b": make_samples("b", "0000", answers="12__"),
        "c": make_samples("c", "111", answers="555"),  # fewer than 4: left out
    }
    oracle_like = {(pid, s.sample_index): float(s.correct) for pid in samples for s in samples[pid]}
    constant = {key: 0.0 for key in oracle_like}
    report = best_of_n(
        samples, {"knows": oracle_like, "flat": constant}, [1, 2, 4], equivalent=str.__eq__
    )
    assert report.problems == 2 and report.skipped == 1
    for n in (1, 2, 4):
        oracle = (estimate_pass_at_k(4, 2, n) + 0.0) / 2
        assert report.baselines["oracle"][n].value == pytest.approx(oracle)
        assert report.by_reward["knows"][n].value == pytest.approx(oracle)
        assert report.by_reward["flat"][n].value == pytest.approx(0.25)  # mean pass@1
    # problem a: "3" and "4" tie 2-2 over all four samples; the first voted ("3", wrong) wins
    assert report.baselines["majority"][4].value == 0.0
    assert report.to_dict()["rewards"]["knows"]["4"]["value"] == pytest.approx(0.5)


def test_best_of_n_needs_enough_samples() -> None:
    from reasonloop.errors import DataError

    with pytest.raises(DataError, match="needs 8 samples per problem; the run has at most 4"):
        best_of_n({"a": make_samples("a", "0101")}, {}, [1, 8])


def test_rank_correlation_matches_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    rng = random.Random(3)
    for _ in range(20):
        xs = [float(rng.randint(0, 5)) for _ in range(6)]
        ys = [float(rng.randint(0, 5)) for _ in range(6)]
        expected = stats.spearmanr(xs, ys).statistic
        got = rank_correlation(xs, ys)
        if got is None:
            assert len(set(xs)) == 1 or len(set(ys)) == 1
        else:
            assert got == pytest.approx(expected)
