"""rm-eval: score every response of a set with a reward and measure how it ranks them.

`rm_eval(rm_set, reward)` returns an `RMEvalReport`: RewardMATH's accuracy (with a Wilson
interval over problems) and MRR, the 1-vs-1 pairwise accuracy, the exact random baselines of
this set's sizes, and each problem's scores in the order of its responses. A problem where the
reward failed on a response is left out of the metrics and counted in `skipped`, beside the
problems the set itself skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reasonloop.evaluate.rm.metrics import (
    ProblemMetrics,
    measure_problem,
    random_accuracy,
    random_reciprocal_rank,
)
from reasonloop.evaluate.rm.rewards import Reward
from reasonloop.evaluate.rm.scoring import ScoreCache, ScoreRequest, Scores, score_responses
from reasonloop.evaluate.rm.sets import RMProblem, RMSet
from reasonloop.profile.metrics import Estimate, clustered_estimate
from reasonloop.prompts import PromptTemplate

REWARD_FAILED = "a response the reward could not score"


@dataclass(frozen=True)
class ProblemResult:
    """One problem's scores (in the order of its responses), labels and metrics."""

    problem_id: str
    scores: tuple[float, ...]
    correct: tuple[bool, ...]
    rows: tuple[int, ...]
    metrics: ProblemMetrics


@dataclass(frozen=True)
class RMEvalReport:
    """What rm-eval measured for one reward on one set."""

    reward: str
    source: str
    accuracy: Estimate
    mrr: float
    pairwise_accuracy: float
    random_accuracy: float
    random_mrr: float
    per_problem: tuple[ProblemResult, ...]
    skipped: Mapping[str, int] = field(default_factory=dict)
    failed_scores: int = 0
    cached_scores: int = 0
    first_error: str | None = None

    @property
    def problems(self) -> int:
        return len(self.per_problem)

    def to_dict(self) -> dict[str, Any]:
        return {
            "reward": self.reward,
            "source": self.source,
            "accuracy": self.accuracy.value,
            "accuracy_ci": [self.accuracy.low, self.accuracy.high],
            "mrr": self.mrr,
            "pairwise_accuracy": self.pairwise_accuracy,
            "random_accuracy": self.random_accuracy,
            "random_mrr": self.random_mrr,
            "problems": self.problems,
            "skipped": sum(self.skipped.values()),
            "skipped_by_reason": dict(self.skipped),
            "failed_scores": self.failed_scores,
            "cached_scores": self.cached_scores,
            "first_error": self.first_error,
            "per_problem": [
                {"problem_id": p.problem_id, "scores": list(p.scores), "correct": list(p.correct)}
                for p in self.per_problem
            ],
        }


def set_requests(rm_set: RMSet, template: PromptTemplate | None = None) -> list[ScoreRequest]:
    """One request per response of the set, in order; a file's question becomes the prompt
    through `template` (the default prompt template when None)."""
    return [
        ScoreRequest(response, problem_prompt(problem, template), problem.question)
        for problem in rm_set.problems
        for response in problem.responses
    ]


def problem_prompt(problem: RMProblem, template: PromptTemplate | None) -> Any:
    """The conversation the responses answered: the run's, else the question in `template`."""
    if problem.prompt is not None:
        return problem.prompt
    if problem.question is None:
        return None
    from reasonloop.prompts import DEFAULT_TEMPLATE
    from reasonloop.tasks.problem import Problem

    return (template or DEFAULT_TEMPLATE).render(Problem(problem.problem_id, problem.question, ""))


def rm_eval(
    rm_set: RMSet,
    reward: Reward,
    *,
    cache: ScoreCache | None = None,
    template: PromptTemplate | None = None,
    batch_size: int = 16,
    progress: bool = False,
) -> RMEvalReport:
    """Score the set's responses with `reward` and measure its ranking of them."""
    scores = score_responses(
        reward,
        set_requests(rm_set, template),
        cache=cache,
        batch_size=batch_size,
        progress=progress,
        label=f"rm-eval {reward.identity.partition('|')[0]}",
    )
    results: list[ProblemResult] = []
    skipped = dict(rm_set.skipped)
    position = 0
    for problem in rm_set.problems:
        values = scores.values[position : position + len(problem.responses)]
        position += len(problem.responses)
        if any(v is None for v in values):
            skipped[REWARD_FAILED] = skipped.get(REWARD_FAILED, 0) + 1
            continue
        finite = tuple(float(v) for v in values if v is not None)
        metrics = measure_problem(finite, problem.correct)
        results.append(
            ProblemResult(problem.problem_id, finite, problem.correct, problem.rows, metrics)
        )
    return summarize(results, reward.identity, rm_set.source, skipped, scores)


def summarize(
    results: Sequence[ProblemResult],
    reward: str,
    source: str,
    skipped: Mapping[str, int],
    scores: Scores | None = None,
) -> RMEvalReport:
    """The report of measured problems: means over problems; pairs pooled (each pair one
    1-vs-1 comparison, as RewardBench counts them). `scores` says how the scoring went."""
    from reasonloop.errors import DataError

    scores = scores or Scores([], failed=0, cached=0)
    if not results:
        raise DataError(
            f"the reward scored no problem of {source} completely ({scores.failed} scores "
            f"failed; first error: {scores.first_error}); the scores it made are kept in the cache"
        )
    metrics = [r.metrics for r in results]
    pairs = sum(m.pairs for m in metrics)
    return RMEvalReport(
        reward=reward,
        source=source,
        accuracy=clustered_estimate([m.accuracy for m in metrics], samples_per_problem=1),
        mrr=sum(m.reciprocal_rank for m in metrics) / len(metrics),
        pairwise_accuracy=sum(m.pairs_won for m in metrics) / pairs,
        random_accuracy=float(sum(random_accuracy(m.incorrect) for m in metrics) / len(metrics)),
        random_mrr=float(sum(random_reciprocal_rank(m.incorrect) for m in metrics) / len(metrics)),
        per_problem=tuple(results),
        skipped=dict(skipped),
        failed_scores=scores.failed,
        cached_scores=scores.cached,
        first_error=scores.first_error,
    )
