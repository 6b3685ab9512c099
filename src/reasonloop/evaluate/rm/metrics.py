"""RewardMATH's metrics of a reward on one-correct-vs-many sets, and their random baselines.

A problem's set holds correct and incorrect responses with the reward's score for each. The
comparison is one correct response against all the incorrect ones (Kim et al., "Evaluating
Robustness of Reward Models for Mathematical Reasoning", arXiv 2410.01729):

- accuracy: the correct response scores strictly above every incorrect one (a tie fails: a
  reward that cannot tell them apart has not picked the correct one);
- reciprocal rank: 1 / rank of the correct response among itself and the incorrect ones, ties
  ranked against it (so a constant reward ranks it last, not first);
- pairwise accuracy: the share of (correct, incorrect) pairs the reward orders correctly, the
  1-vs-1 view RewardBench takes, shown beside the others to make the difference visible.

A set with several correct responses (a labelled file may have them) counts each correct one
against all the incorrect ones and averages, so with one correct response the definitions are
RewardMATH's exactly. Other correct responses are never its rivals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class ProblemMetrics:
    """One problem's accuracy and reciprocal rank (means over its correct responses), and its
    pairs: `pairs_won` of `pairs` (correct, incorrect) pairs ordered correctly."""

    accuracy: float
    reciprocal_rank: float
    pairs_won: int
    pairs: int
    incorrect: int


def rank_of(correct_score: float, incorrect_scores: Sequence[float]) -> int:
    """The rank of a correct response among the incorrect ones, ties counted against it.

    >>> rank_of(0.9, [0.1, 0.5]), rank_of(0.5, [0.1, 0.5]), rank_of(0.0, [0.1, 0.5])
    (1, 2, 3)
    """
    return 1 + sum(score >= correct_score for score in incorrect_scores)


def measure_problem(scores: Sequence[float], correct: Sequence[bool]) -> ProblemMetrics:
    """The metrics of one problem's scored responses (`correct[i]` labels `scores[i]`).

    >>> m = measure_problem([0.9, 0.2, 0.9, 0.1], [True, False, False, False])
    >>> m.accuracy, m.reciprocal_rank, m.pairs_won, m.pairs
    (0.0, 0.5, 2, 3)
    """
    if len(scores) != len(correct):
        raise ValueError(f"{len(scores)} scores for {len(correct)} labels")
    rights = [s for s, ok in zip(scores, correct, strict=True) if ok]
    wrongs = [s for s, ok in zip(scores, correct, strict=True) if not ok]
    if not rights or not wrongs:
        raise ValueError("a problem needs a correct and an incorrect response")
    ranks = [rank_of(score, wrongs) for score in rights]
    won = sum(right > wrong for right in rights for wrong in wrongs)
    return ProblemMetrics(
        accuracy=sum(rank == 1 for rank in ranks) / len(ranks),
        reciprocal_rank=sum(1.0 / rank for rank in ranks) / len(ranks),
        pairs_won=won,
        pairs=len(rights) * len(wrongs),
        incorrect=len(wrongs),
    )


def random_accuracy(incorrect: int) -> Fraction:
    """The accuracy of a reward that orders the responses at random: 1 / (incorrect + 1).

    >>> random_accuracy(9)
    Fraction(1, 10)
    """
    _check_incorrect(incorrect)
    return Fraction(1, incorrect + 1)


def random_reciprocal_rank(incorrect: int) -> Fraction:
    """The expected reciprocal rank at random: each rank 1..n is equally likely, so it is the
    harmonic number H_n over n, with n = incorrect + 1 (RewardMATH's 1 + 9: about 0.2929).

    >>> random_reciprocal_rank(1), round(float(random_reciprocal_rank(9)), 4)
    (Fraction(3, 4), 0.2929)
    """
    _check_incorrect(incorrect)
    n = incorrect + 1
    return sum((Fraction(1, rank) for rank in range(1, n + 1)), Fraction(0)) / n


def _check_incorrect(incorrect: int) -> None:
    if incorrect < 1:
        raise ValueError(f"a set needs at least one incorrect response, got {incorrect}")
