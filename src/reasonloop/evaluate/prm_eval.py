"""How well a step scorer finds wrong steps: PRMBench's two questions, per error type.

- **First wrong step**: the first step scored below `threshold` must be the first marked
  step of the modified solution (and no step may fall below it when none is marked). The
  first one is what counts because a PRM's job in search and RL is to say where a solution
  went wrong; later marks follow from the first.
- **Pairwise**: the original solution must score above the modified one, per aggregation
  (a tie counts half: a scorer that cannot tell them apart is a coin flip). Items without a
  marked step (both solutions right) are left out of this question.

The scorers beside a trained PRM: `oracle` (built from the labels: 1.0 before the first
marked step, 0.0 from it on, so it must score 100% on both questions: a check of this
harness), `random` (a uniform draw per step, seeded by the content) and `length` (a step's
score grows with its length alone). Scoring is batched through one `StepScorer` call.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from reasonloop.evaluate.prmbench import PRMBenchItem, prefix_labels
from reasonloop.rewards.aggregate import AGGREGATIONS, aggregate
from reasonloop.rewards.step_scores import ScoreRequest, StepScorer

# The `length` scorer's half-way point: about the median step of PRMBench's subset400
# (65 characters), so a typical step scores near 0.5.
LENGTH_SCALE = 64


@dataclass(frozen=True)
class OracleScorer:
    """The labels as scores: a step is right (1.0) until the first marked step of its item."""

    labels: Mapping[ScoreRequest, list[bool]]

    def score_steps(self, requests: Sequence[ScoreRequest]) -> list[list[float]]:
        return [[float(label) for label in self.labels[request]] for request in requests]


@dataclass(frozen=True)
class RandomScorer:
    """A uniform draw per step, the same for the same question and steps (seeded by them)."""

    seed: int = 0

    def score_steps(self, requests: Sequence[ScoreRequest]) -> list[list[float]]:
        scores = []
        for question, steps in requests:
            key = repr((self.seed, question, steps)).encode("utf-8")
            draw = random.Random(hashlib.sha256(key).digest())
            scores.append([draw.random() for _ in steps])
        return scores


@dataclass(frozen=True)
class LengthScorer:
    """A step's score from its length alone: c / (c + 64) for c characters (longer steps
    look more careful: the length bias a reward model must beat)."""

    def score_steps(self, requests: Sequence[ScoreRequest]) -> list[list[float]]:
        return [[len(step) / (len(step) + LENGTH_SCALE) for step in steps] for _, steps in requests]


def oracle_scorer(items: Sequence[PRMBenchItem]) -> OracleScorer:
    """The scorer that reads PRMBench's own marks (it must score 100%)."""
    labels: dict[ScoreRequest, list[bool]] = {}
    for item in items:
        labels[(item.question, item.original)] = prefix_labels(len(item.original), None)
        modified = (item.modified_question, item.modified)
        labels[modified] = prefix_labels(len(item.modified), item.first_error)
    return OracleScorer(labels)


@dataclass(frozen=True)
class Tally:
    """Counts for one group of items (all of them, or one error type)."""

    n: int = 0
    first_error_hits: int = 0
    pairs: int = 0
    pairwise_wins: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "first_error_accuracy": self.first_error_hits / self.n if self.n else None,
            "pairs": self.pairs,
            "pairwise_accuracy": {
                how: (self.pairwise_wins.get(how, 0.0) / self.pairs if self.pairs else None)
                for how in AGGREGATIONS
            },
        }


@dataclass(frozen=True)
class PRMEvalResult:
    """The figures `prm-eval` reports (`as_json()`: the keys of its `--json` file)."""

    scorer: str
    threshold: float
    overall: Tally
    by_error_type: dict[str, Tally]
    dropped_marks: int

    def as_json(self) -> dict[str, Any]:
        overall = self.overall.summary()
        return {
            "scorer": self.scorer,
            "threshold": self.threshold,
            "n": overall["n"],
            "pairs": overall["pairs"],
            "first_error_accuracy": overall["first_error_accuracy"],
            "pairwise_accuracy": overall["pairwise_accuracy"],
            "by_error_type": {name: t.summary() for name, t in self.by_error_type.items()},
            "dropped_marks": self.dropped_marks,
            "counts": {"overall": asdict(self.overall)},
        }


def first_below(scores: Sequence[float], threshold: float) -> int | None:
    """The index of the first step scored below `threshold`, None when none is.

    >>> first_below([0.9, 0.7, 0.2, 0.8], 0.5), first_below([0.9], 0.5)
    (2, None)
    """
    return next((index for index, score in enumerate(scores) if score < threshold), None)


def pairwise_credit(original: float, modified: float) -> float:
    """1 when the original solution scores above the modified one, 0.5 on a tie, else 0."""
    return 1.0 if original > modified else 0.5 if original == modified else 0.0


def evaluate_prm(
    items: Sequence[PRMBenchItem],
    scorer: StepScorer,
    *,
    name: str = "scorer",
    threshold: float = 0.5,
) -> PRMEvalResult:
    """Score every item's two solutions in one batch and tally both questions."""
    requests: list[ScoreRequest] = []
    for item in items:
        requests += [(item.question, item.original), (item.modified_question, item.modified)]
    scores = scorer.score_steps(requests)
    if len(scores) != len(requests):
        raise ValueError(f"{name} returned {len(scores)} score lists for {len(requests)} requests")
    overall: dict[str, Any] = _empty()
    groups: dict[str, dict[str, Any]] = {}
    for index, item in enumerate(items):
        original, modified = scores[2 * index], scores[2 * index + 1]
        _check_lengths(name, item, original, modified)
        for counts in (overall, groups.setdefault(item.error_type, _empty())):
            _count(counts, item, original, modified, threshold)
    return PRMEvalResult(
        scorer=name,
        threshold=threshold,
        overall=Tally(**overall),
        by_error_type={group: Tally(**counts) for group, counts in groups.items()},
        dropped_marks=sum(item.dropped_marks for item in items),
    )


def _empty() -> dict[str, Any]:
    return {"n": 0, "first_error_hits": 0, "pairs": 0, "pairwise_wins": {}}


def _count(
    counts: dict[str, Any],
    item: PRMBenchItem,
    original: Sequence[float],
    modified: Sequence[float],
    threshold: float,
) -> None:
    counts["n"] += 1
    counts["first_error_hits"] += first_below(modified, threshold) == item.first_error
    if item.first_error is None:
        return  # both solutions are right: no pair to order
    counts["pairs"] += 1
    wins = counts["pairwise_wins"]
    for how in AGGREGATIONS:
        credit = pairwise_credit(aggregate(original, how), aggregate(modified, how))
        wins[how] = wins.get(how, 0.0) + credit


def _check_lengths(
    name: str, item: PRMBenchItem, original: Sequence[float], modified: Sequence[float]
) -> None:
    if len(original) != len(item.original) or len(modified) != len(item.modified):
        raise ValueError(f"{name} did not return one score per step for item {item.item_id}")


BASELINES = ("oracle", "random", "length")


def make_scorer(
    spec: str, items: Sequence[PRMBenchItem], *, seed: int = 0, **prm_options: Any
) -> StepScorer:
    """`oracle`, `random` or `length`, or else the directory of a trained PRM
    (`prm_options` go to `reasonloop.rewards.prm.PRMScorer`)."""
    if spec == "oracle":
        return oracle_scorer(items)
    if spec == "random":
        return RandomScorer(seed)
    if spec == "length":
        return LengthScorer()
    from reasonloop.rewards.prm import PRMScorer

    return PRMScorer(spec, **prm_options)
