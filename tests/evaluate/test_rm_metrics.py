"""RewardMATH's metrics: known scores give known accuracy, MRR and pairwise accuracy (ties
included), and the random baselines match both the closed form and brute-force enumeration."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest

from reasonloop.evaluate.rm.measure import ProblemResult, summarize
from reasonloop.evaluate.rm.metrics import (
    measure_problem,
    random_accuracy,
    random_reciprocal_rank,
    rank_of,
)

C, W = True, False


@pytest.mark.parametrize(
    ("scores", "correct", "accuracy", "rr", "won", "pairs"),
    [
        # the correct one strictly on top: accuracy 1, rank 1
        ([3.0, 1.0, 2.0], [C, W, W], 1.0, 1.0, 2, 2),
        # a tie with one incorrect response fails and ranks the correct one below it
        ([2.0, 2.0, 1.0], [C, W, W], 0.0, 0.5, 1, 2),
        # a constant reward: every incorrect one ties it, so it ranks last
        ([0.0] * 10, [C] + [W] * 9, 0.0, 0.1, 0, 9),
        # the correct one last among 1 + 9
        ([0.0] + [1.0] * 9, [C] + [W] * 9, 0.0, 0.1, 0, 9),
        # third of four (two incorrect above), order of the rows does not matter
        ([5.0, 0.5, 6.0, 0.1], [W, C, W, W], 0.0, 1 / 3, 1, 3),
        # two correct responses: each against the incorrect ones only (never each other)
        ([3.0, 1.0, 2.0], [C, C, W], 0.5, 0.75, 1, 2),
    ],
)
def test_known_scores_give_known_metrics(
    scores: list[float], correct: list[bool], accuracy: float, rr: float, won: int, pairs: int
) -> None:
    metrics = measure_problem(scores, correct)
    assert metrics.accuracy == pytest.approx(accuracy)
    assert metrics.reciprocal_rank == pytest.approx(rr)
    assert (metrics.pairs_won, metrics.pairs) == (won, pairs)


def test_a_problem_needs_both_labels() -> None:
    with pytest.raises(ValueError, match="correct and an incorrect"):
        measure_problem([1.0, 2.0], [C, C])
    with pytest.raises(ValueError, match="2 scores for 1 labels"):
        measure_problem([1.0, 2.0], [C])


def test_rank_counts_ties_against_the_correct_response() -> None:
    assert [rank_of(1.0, [1.0, 1.0, 0.0]), rank_of(1.5, [1.0, 1.0, 0.0])] == [3, 1]


def test_random_baselines_of_one_plus_nine_are_the_closed_form() -> None:
    assert random_accuracy(9) == Fraction(1, 10)
    harmonic_10 = sum(Fraction(1, k) for k in range(1, 11))
    assert random_reciprocal_rank(9) == harmonic_10 / 10 == Fraction(7381, 25200)
    assert float(random_reciprocal_rank(9)) == pytest.approx(0.2929, abs=5e-5)


@pytest.mark.parametrize("incorrect", [1, 2, 3, 5])
def test_random_baselines_equal_the_mean_over_every_ordering(incorrect: int) -> None:
    # An independent reference: every distinct ranking of 1 + n responses is equally likely
    # under a random reward; average the metrics over all of them.
    n = incorrect + 1
    correct = [C] + [W] * incorrect
    orderings = list(itertools.permutations(range(n)))
    measured = [measure_problem([float(s) for s in order], correct) for order in orderings]
    mean_accuracy = Fraction(sum(int(m.accuracy) for m in measured), len(measured))
    mean_rr = sum((Fraction(1, round(1 / m.reciprocal_rank)) for m in measured), Fraction(0))
    assert mean_accuracy == random_accuracy(incorrect)
    assert mean_rr / len(measured) == random_reciprocal_rank(incorrect)


def test_random_baselines_need_an_incorrect_response() -> None:
    with pytest.raises(ValueError, match="at least one incorrect"):
        random_accuracy(0)


def result(problem_id: str, scores: list[float], correct: list[bool]) -> ProblemResult:
    return ProblemResult(
        problem_id,
        tuple(scores),
        tuple(correct),
        tuple(range(len(scores))),
        measure_problem(scores, correct),
    )


def test_summary_means_over_problems_and_pools_pairs() -> None:
    report = summarize(
        [
            result("a", [3.0, 1.0, 2.0], [C, W, W]),  # acc 1, rr 1, 2/2 pairs
            result("b", [1.0, 2.0, 2.0, 0.0], [C, W, W, W]),  # acc 0, rr 1/3, 1/3 pairs
        ],
        "test",
        "set.jsonl",
        {"no correct response": 2},
    )
    assert report.accuracy.value == 0.5 and report.problems == 2
    assert report.mrr == pytest.approx((1 + 1 / 3) / 2)
    assert report.pairwise_accuracy == pytest.approx(3 / 5)
    assert report.random_accuracy == pytest.approx((1 / 3 + 1 / 4) / 2)
    assert report.random_mrr == pytest.approx(((1 + 1 / 2 + 1 / 3) / 3 + (25 / 12) / 4) / 2)
    data = report.to_dict()
    assert data["skipped"] == 2 and data["per_problem"][1] == {
        "problem_id": "b",
        "scores": [1.0, 2.0, 2.0, 0.0],
        "correct": [True, False, False, False],
    }
