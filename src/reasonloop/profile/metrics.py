"""Evaluation metrics: pass@k, maj@k and accuracy with a confidence interval.

No bootstrap and no scipy: pass@k uses the unbiased estimator of Chen et al. (2021), the
interval is Wilson's score interval, whose normal quantile the standard library provides.
Samples of one problem are correlated, so intervals of sampled metrics are over problems:
Wilson's interval at the effective sample size that the spread of per-problem values gives
(Kish's design effect), never over the samples as if they were independent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

from reasonloop.sample.record import GradedSample

# (answer, other) -> same value? The verifier's `is_equivalent` by default.
Equivalence = Callable[[str, str], bool]


@dataclass(frozen=True)
class Estimate:
    """A proportion with a confidence interval: `low <= value <= high`.

    The interval is over `n` problems with `per_problem` samples each; with more than one
    sample per problem it accounts for their correlation (`clustered_estimate`).
    """

    value: float
    low: float
    high: float
    n: int
    per_problem: int = 1

    def to_dict(self) -> dict[str, float | int]:
        return {
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "n": self.n,
            "per_problem": self.per_problem,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Estimate:
        return cls(
            float(data["value"]),
            float(data["low"]),
            float(data["high"]),
            int(data["n"]),
            int(data.get("per_problem", 1)),
        )

    def describe(self) -> str:
        """What the interval is over, e.g. '10 problems x 4 samples, clustered by problem'.

        >>> Estimate(0.5, 0.2, 0.8, n=10, per_problem=4).describe()
        '10 problems x 4 samples, clustered by problem'
        """
        if self.per_problem == 1:
            return f"{self.n} problems"
        return f"{self.n} problems x {self.per_problem} samples, clustered by problem"


def estimate_pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k from `n` samples of which `c` are correct: 1 - C(n-c, k) / C(n, k).

    Computed as 1 - prod_{i=n-c+1}^{n} (1 - k/i), which never forms the huge binomials.

    >>> estimate_pass_at_k(n=4, c=1, k=2)
    0.5
    """
    if not 0 <= c <= n:
        raise ValueError(f"need 0 <= c <= n, got n={n}, c={c}")
    if not 1 <= k <= n:
        raise ValueError(f"need 1 <= k <= n, got n={n}, k={k}")
    if n - c < k:
        # Every draw of k samples contains a correct one.
        return 1.0
    failure = 1.0
    for i in range(n - c + 1, n + 1):
        failure *= 1.0 - k / i
    return 1.0 - failure


def pass_at_k(
    samples_by_problem: Mapping[str, Sequence[GradedSample]], ks: Sequence[int]
) -> dict[int, float]:
    """Mean unbiased pass@k over problems, for each k in `ks`.

    Every problem must have at least k samples: dropping the problems with fewer would bias
    the mean towards the problems that were sampled more (difficulty-aware resampling samples
    hard problems more), so that is a ValueError instead. `feasible_ks` picks the usable ks.
    """
    if not samples_by_problem:
        raise ValueError("pass@k of no problems is undefined")
    counts = [(len(s), sum(x.correct for x in s)) for s in samples_by_problem.values()]
    fewest = min(n for n, _ in counts)
    result: dict[int, float] = {}
    for k in ks:
        if k > fewest:
            raise ValueError(f"pass@{k} needs at least {k} samples per problem; some have {fewest}")
        result[k] = sum(estimate_pass_at_k(n, c, k) for n, c in counts) / len(counts)
    return result


def feasible_ks(
    samples_by_problem: Mapping[str, Sequence[GradedSample]], ks: Sequence[int]
) -> list[int]:
    """The ks every problem has enough samples for, sorted and without repeats."""
    if not samples_by_problem:
        return []
    fewest = min(len(s) for s in samples_by_problem.values())
    return sorted({k for k in ks if 1 <= k <= fewest})


def vote_majority(
    answers: Sequence[str | None], equivalent: Equivalence | None = None
) -> tuple[str, int] | None:
    """The most voted answer and its votes; None when no answer was given.

    Answers vote for the group of equivalent answers they belong to (the first answer of a
    group represents it); None answers do not vote. A tie goes to the group voted for first,
    so the result depends only on the order of `answers`.
    """
    same = equivalent or _default_equivalence()
    groups: list[list[str]] = []
    for answer in answers:
        if answer is None:
            continue
        for group in groups:
            if answer == group[0] or same(answer, group[0]):
                group.append(answer)
                break
        else:
            groups.append([answer])
    if not groups:
        return None
    # max keeps the first of equal keys, which is the earliest group: the tie rule above.
    winner = max(groups, key=len)
    return winner[0], len(winner)


def maj_at_k(
    answers: Sequence[Sequence[str | None]],
    golds: Sequence[str],
    k: int,
    equivalent: Equivalence | None = None,
) -> float:
    """Fraction of problems whose majority answer among the first k is equivalent to the gold.

    `answers[i]` are problem i's extracted answers in sample order, `golds[i]` its gold. A
    problem with no answer among its first k counts as wrong. Every problem needs k answers.
    """
    if len(answers) != len(golds):
        raise ValueError(f"{len(answers)} answer lists for {len(golds)} golds")
    if not answers:
        raise ValueError("maj@k of no problems is undefined")
    same = equivalent or _default_equivalence()
    hits = 0
    for problem_answers, gold in zip(answers, golds, strict=True):
        if len(problem_answers) < k:
            raise ValueError(
                f"maj@{k} needs {k} answers per problem; one has {len(problem_answers)}"
            )
        vote = vote_majority(problem_answers[:k], same)
        hits += vote is not None and same(vote[0], gold)
    return hits / len(answers)


def maj_at_k_of_samples(
    samples_by_problem: Mapping[str, Sequence[GradedSample]],
    k: int,
    equivalent: Equivalence | None = None,
) -> float:
    """maj@k from graded samples, without golds: the winning group's verdict decides.

    The first k samples by (round, sample_index) vote; the majority group is correct when its
    first sample was graded correct (equivalent answers share a verdict).
    """
    hits = majority_hits(samples_by_problem, k, equivalent)
    return sum(hits) / len(hits)


def majority_hits(
    samples_by_problem: Mapping[str, Sequence[GradedSample]],
    k: int,
    equivalent: Equivalence | None = None,
) -> list[bool]:
    """Per problem (in mapping order): is the majority answer of its first k samples correct?"""
    if not samples_by_problem:
        raise ValueError("maj@k of no problems is undefined")
    same = equivalent or _default_equivalence()
    hits: list[bool] = []
    for samples in samples_by_problem.values():
        if len(samples) < k:
            raise ValueError(f"maj@{k} needs {k} samples per problem; one has {len(samples)}")
        first_k = sorted(samples, key=lambda s: (s.round, s.sample_index))[:k]
        vote = vote_majority([s.answer for s in first_k], same)
        hits.append(vote is not None and next(s.correct for s in first_k if s.answer == vote[0]))
    return hits


def pass_at_k_per_problem(
    samples_by_problem: Mapping[str, Sequence[GradedSample]], k: int
) -> list[float]:
    """Each problem's unbiased pass@k (in mapping order); every problem needs k samples."""
    return [
        estimate_pass_at_k(len(s), sum(x.correct for x in s), k)
        for s in samples_by_problem.values()
    ]


def clustered_estimate(
    per_problem: Sequence[float], samples_per_problem: int, level: float = 0.95
) -> Estimate:
    """The mean of per-problem values in [0, 1] with an interval that respects clustering.

    A problem's samples are correlated (an easy problem is solved by most of them), so the
    samples are not independent trials and Wilson's interval over all of them is too narrow.
    Problems are the independent units: the variance of the mean is estimated from the spread
    of the per-problem values, turned into an effective number of trials (n_eff = p(1-p) /
    var, Kish's design effect) and given to Wilson's interval. n_eff is kept between the
    number of problems (every sample of a problem alike) and the number of samples (all
    independent); when every problem has the same value the spread says nothing, and the
    problems alone count. With one sample per problem this is Wilson's interval over problems.

    >>> e = clustered_estimate([1.0, 1.0, 0.0, 0.0], samples_per_problem=4)
    >>> round(e.value, 2), round(e.low, 3), round(e.high, 3), e.describe()
    (0.5, 0.15, 0.85, '4 problems x 4 samples, clustered by problem')
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence level must be in (0, 1), got {level}")
    if samples_per_problem < 1:
        raise ValueError(f"need at least one sample per problem, got {samples_per_problem}")
    n = len(per_problem)
    if n == 0:
        return Estimate(0.0, 0.0, 1.0, n=0, per_problem=samples_per_problem)
    p = sum(per_problem) / n
    spread = sum((x - p) ** 2 for x in per_problem) / (n - 1) if n > 1 else 0.0
    effective = float(n)
    if spread > 0.0:
        effective = min(max(p * (1.0 - p) / (spread / n), n), n * samples_per_problem)
    low, high = wilson_bounds(p, effective, level)
    return Estimate(p, low, high, n=n, per_problem=samples_per_problem)


def accuracy_with_ci(correct: Sequence[bool], level: float = 0.95) -> Estimate:
    """Fraction correct with its Wilson score interval at confidence `level`.

    Wilson's interval stays inside [0, 1] and is sensible at 0 or n successes, unlike the
    normal approximation.

    >>> e = accuracy_with_ci([True] * 8 + [False] * 2)
    >>> round(e.value, 2), round(e.low, 4), round(e.high, 4)
    (0.8, 0.4902, 0.9433)
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence level must be in (0, 1), got {level}")
    n = len(correct)
    if n == 0:
        return Estimate(value=0.0, low=0.0, high=1.0, n=0)
    low, high = wilson_interval(sum(correct), n, level)
    return Estimate(value=sum(correct) / n, low=low, high=high, n=n)


def wilson_interval(successes: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for `successes` out of `n` trials."""
    if not 0 <= successes <= n or n == 0:
        raise ValueError(f"need 0 <= successes <= n and n > 0, got {successes}/{n}")
    return wilson_bounds(successes / n, n, level)


def wilson_bounds(p: float, n: float, level: float = 0.95) -> tuple[float, float]:
    """Wilson's score interval for a proportion p from n trials; n need not be whole (an
    effective sample size from a design effect, as `clustered_estimate` passes).

    >>> [round(x, 4) for x in wilson_bounds(0.8, 10)]
    [0.4902, 0.9433]
    """
    z = NormalDist().inv_cdf(0.5 + level / 2.0)
    denominator = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / denominator
    # At p = 0 (or 1) the exact bound is 0 (or 1); the float formula misses it by ~1e-17.
    return (0.0 if p <= 0.0 else centre - half), (1.0 if p >= 1.0 else centre + half)


def _default_equivalence() -> Equivalence:
    # Imported here: the verifier pulls in its parsers only when votes are counted.
    from reasonloop.verify import is_equivalent

    return is_equivalent
