"""Best-of-N: the accuracy of the response a reward picks among N samples of a problem.

For each N, three answers to "how good is the best of N samples":

- `reward`: the sample the reward scores highest is the answer (ties picked at random);
- `oracle`: any correct sample counts (unbiased pass@N): the ceiling of any picker;
- `majority`: the most voted final answer (votes grouped by mathematical equivalence).

A problem with K >= N samples is measured over every N-subset of its samples, not over its
first N only: the reward's pick from a random subset is the best-ranked sample in it, so with
the K samples ranked by score the chance that the sample at rank r (0 = best) is picked is
C(K-1-r, N-1) / C(K, N). Tied samples are exchangeable, so a tie block's correct share is what
a random tie-break picks. This is to Best-of-N what the unbiased estimator is to pass@k, and
is exact. Majority vote is exact where there are at most `MAX_EXACT_SUBSETS` subsets and
averaged over that many seeded random subsets otherwise. Intervals are Wilson's over problems.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reasonloop.profile.metrics import (
    Equivalence,
    Estimate,
    clustered_estimate,
    estimate_pass_at_k,
)
from reasonloop.sample.record import GradedSample

if TYPE_CHECKING:
    from reasonloop.evaluate.rm.rewards import Reward
    from reasonloop.evaluate.rm.scoring import ScoreCache

MAX_EXACT_SUBSETS = 2000
PICKERS = ("oracle", "majority")


@dataclass(frozen=True)
class BestOfNReport:
    """Accuracy per N of each reward's pick (`by_reward[name][n]`), the oracle and majority
    vote (`baselines["oracle"][n]`), over `problems` problems of `samples` samples each."""

    ns: tuple[int, ...]
    problems: int
    samples: int
    by_reward: Mapping[str, Mapping[int, Estimate]]
    baselines: Mapping[str, Mapping[int, Estimate]]
    skipped: int = 0  # problems with fewer samples than the largest N
    unscored: Mapping[str, int] = field(default_factory=dict)  # samples a reward failed on

    def to_dict(self) -> dict[str, Any]:
        def table(values: Mapping[int, Estimate]) -> dict[str, Any]:
            return {str(n): e.to_dict() for n, e in values.items()}

        return {
            "ns": list(self.ns),
            "problems": self.problems,
            "samples_per_problem": self.samples,
            "skipped": self.skipped,
            "unscored": dict(self.unscored),
            "rewards": {name: table(values) for name, values in self.by_reward.items()},
            **{name: table(values) for name, values in self.baselines.items()},
        }


def pick_accuracy(scores: Sequence[float | None], correct: Sequence[bool], n: int) -> float:
    """The expected correctness of the top-scored sample of a random n-subset.

    A sample the reward could not score (None) ranks below every scored one.

    >>> pick_accuracy([0.9, 0.1, 0.5], [False, True, True], n=2)  # best is wrong: 2 of 3 pairs
    0.3333333333333333
    >>> pick_accuracy([1.0, 1.0], [True, False], n=1), pick_accuracy([1.0, 1.0], [True, False], 2)
    (0.5, 0.5)
    """
    k = len(scores)
    if not 1 <= n <= k:
        raise ValueError(f"need 1 <= n <= {k} samples, got n={n}")
    ranked = sorted(
        zip(scores, correct, strict=True),
        key=lambda pair: -math.inf if pair[0] is None else pair[0],
        reverse=True,
    )
    total = math.comb(k, n)
    expected = 0.0
    position = 0
    for _, block in itertools.groupby(ranked, key=lambda pair: pair[0]):
        members = [ok for _, ok in block]
        # P(the subset's best falls in this block): its best member is the block's r-th.
        chance = sum(math.comb(k - 1 - r, n - 1) for r in range(position, position + len(members)))
        expected += chance / total * (sum(members) / len(members))
        position += len(members)
    return expected


def majority_accuracy(
    groups: Sequence[int | None], group_correct: Mapping[int, bool], n: int, seed: int = 0
) -> float:
    """The expected correctness of the majority answer of a random n-subset.

    `groups[i]` is sample i's answer group (None: no answer, no vote); a tie goes to the group
    voted first in sample order (as `vote_majority`); no vote at all is wrong.
    """
    k = len(groups)
    if math.comb(k, n) <= MAX_EXACT_SUBSETS:
        subsets: Any = itertools.combinations(range(k), n)
        count = math.comb(k, n)
    else:
        rng = random.Random(seed)
        subsets = (sorted(rng.sample(range(k), n)) for _ in range(MAX_EXACT_SUBSETS))
        count = MAX_EXACT_SUBSETS
    hits = 0
    for subset in subsets:
        winner = _vote([groups[i] for i in subset])
        hits += winner is not None and group_correct[winner]
    return hits / count


def _vote(groups: Sequence[int | None]) -> int | None:
    counts: dict[int, int] = {}
    for group in groups:
        if group is not None:
            counts[group] = counts.get(group, 0) + 1
    # dicts keep insertion order and max keeps the first of equal counts: the first voted wins
    return max(counts, key=lambda g: counts[g]) if counts else None


def answer_groups(
    samples: Sequence[GradedSample], equivalent: Equivalence | None = None
) -> tuple[list[int | None], dict[int, bool]]:
    """Each sample's answer group (equivalent answers together) and each group's verdict
    (its first sample's: equivalent answers share one)."""
    if equivalent is None:
        from reasonloop.verify import is_equivalent

        equivalent = is_equivalent
    heads: list[tuple[str, bool]] = []
    groups: list[int | None] = []
    for sample in samples:
        if sample.answer is None:
            groups.append(None)
            continue
        found = next(
            (
                i
                for i, (head, _) in enumerate(heads)
                if head == sample.answer or equivalent(sample.answer, head)
            ),
            None,
        )
        if found is None:
            heads.append((sample.answer, sample.correct))
            found = len(heads) - 1
        groups.append(found)
    return groups, {i: ok for i, (_, ok) in enumerate(heads)}


def best_of_n(
    samples_by_problem: Mapping[str, Sequence[GradedSample]],
    scores: Mapping[str, Mapping[tuple[str, int], float | None]],
    ns: Sequence[int],
    *,
    equivalent: Equivalence | None = None,
    seed: int = 0,
) -> BestOfNReport:
    """Best-of-N accuracy of each reward (`scores[name][(problem_id, sample_index)]`), the
    oracle and majority vote, over the problems that have at least max(ns) samples."""
    ns = tuple(sorted(set(ns)))
    if not ns or ns[0] < 1:
        raise ValueError(f"N must be positive, got {list(ns)}")
    usable = {pid: s for pid, s in samples_by_problem.items() if len(s) >= ns[-1]}
    if not usable:
        from reasonloop.errors import DataError

        most = max((len(s) for s in samples_by_problem.values()), default=0)
        raise DataError(
            f"best-of-{ns[-1]} needs {ns[-1]} samples per problem; the run has at most {most}; "
            "sample more (`reasonloop sample -k`) or pass smaller --n"
        )
    per_reward: dict[str, dict[int, list[float]]] = {name: {n: [] for n in ns} for name in scores}
    per_baseline: dict[str, dict[int, list[float]]] = {p: {n: [] for n in ns} for p in PICKERS}
    unscored = {name: 0 for name in scores}
    for problem_id, samples in usable.items():
        ordered = sorted(samples, key=lambda s: (s.round, s.sample_index))
        correct = [s.correct for s in ordered]
        groups, group_correct = answer_groups(ordered, equivalent)
        for name, table in scores.items():
            values = [table.get((problem_id, s.sample_index)) for s in ordered]
            unscored[name] += sum(v is None for v in values)
            for n in ns:
                per_reward[name][n].append(pick_accuracy(values, correct, n))
        for n in ns:
            per_baseline["oracle"][n].append(estimate_pass_at_k(len(ordered), sum(correct), n))
            per_baseline["majority"][n].append(majority_accuracy(groups, group_correct, n, seed))
    fewest = min(len(s) for s in usable.values())

    def estimates(values: dict[int, list[float]]) -> dict[int, Estimate]:
        return {n: clustered_estimate(v, samples_per_problem=1) for n, v in values.items()}

    return BestOfNReport(
        ns=ns,
        problems=len(usable),
        samples=fewest,
        by_reward={name: estimates(v) for name, v in per_reward.items()},
        baselines={name: estimates(v) for name, v in per_baseline.items()},
        skipped=len(samples_by_problem) - len(usable),
        unscored=unscored,
    )


def rank_correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rho (ties get their average rank); None with fewer than 2 values or a
    constant side, where no order exists to agree with.

    >>> rank_correlation([0.1, 0.5, 0.3], [10, 30, 20]), rank_correlation([1, 2, 3], [3, 2, 1])
    (1.0, -1.0)
    """
    if len(xs) != len(ys):
        raise ValueError(f"{len(xs)} values against {len(ys)}")
    a, b = _average_ranks(xs), _average_ranks(ys)
    if len(a) < 2:
        return None
    mean_a, mean_b = sum(a) / len(a), sum(b) / len(b)
    cov = sum((x - mean_a) * (y - mean_b) for x, y in zip(a, b, strict=True))
    spread = math.sqrt(sum((x - mean_a) ** 2 for x in a) * sum((y - mean_b) ** 2 for y in b))
    return None if spread == 0 else cov / spread


def _average_ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for i in order[start : end + 1]:
            ranks[i] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def score_samples(
    samples_by_problem: Mapping[str, Sequence[GradedSample]],
    questions: Mapping[str, str],
    reward: Reward,
    *,
    cache: ScoreCache | None = None,
    batch_size: int = 16,
    progress: bool = False,
) -> dict[tuple[str, int], float | None]:
    """Every sample's score by `reward`, keyed by (problem_id, sample_index)."""
    from reasonloop.evaluate.rm.scoring import ScoreRequest, score_responses

    keys = [(pid, s.sample_index) for pid, samples in samples_by_problem.items() for s in samples]
    requests = [
        ScoreRequest(s.response, s.prompt, questions.get(pid))
        for pid, samples in samples_by_problem.items()
        for s in samples
    ]
    label = f"best-of-n {reward.identity.partition('|')[0]}"
    scores = score_responses(
        reward, requests, cache=cache, batch_size=batch_size, progress=progress, label=label
    )
    return dict(zip(keys, scores.values, strict=True))


def best_of_n_of_run(
    run_dir: str | Path,
    rewards: Mapping[str, Reward],
    ns: Sequence[int],
    *,
    cache: ScoreCache | None = None,
    batch_size: int = 16,
    progress: bool = False,
    max_samples: int | None = None,
) -> BestOfNReport:
    """`best_of_n` on a run directory's samples (each problem's first `max_samples` when
    given, in sampling order), each reward's scores cached in `cache`."""
    from reasonloop.sample.store import RunStore

    with RunStore.open_existing(run_dir) as store:
        questions = {p.id: p.question for p in store.problems()}
        samples = {
            pid: sorted(found, key=lambda s: (s.round, s.sample_index))[:max_samples]
            for pid, found in store.samples_by_problem().items()
        }
    scores = {
        name: score_samples(
            samples, questions, reward, cache=cache, batch_size=batch_size, progress=progress
        )
        for name, reward in rewards.items()
    }
    return best_of_n(samples, scores, ns)
