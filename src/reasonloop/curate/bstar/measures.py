"""Exploration and exploitation of one temperature's dev samples, as B-STaR monitors them.

Exploration: pass@k (does any of a query's k responses solve it) and the number of distinct
correct responses per query (different correct reasoning, not the same text again; for a math
problem every correct final answer is the gold one, so distinct responses, not distinct
answers, are what can differ). Exploitation: best-of-k, the share of queries whose
highest-scored response is correct (how well the reward picks). With the verifier's 0/1
score as the reward, best-of-k equals pass@k: the verifier is the truth it is measured
against; a process reward model's score makes the two differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reasonloop.curate.bstar.balance import Queries, ScoredResponse, deduplicate
from reasonloop.profile.metrics import estimate_pass_at_k


@dataclass(frozen=True)
class TemperatureMeasures:
    """One temperature's dev samples: how many, how many correct, and the means over queries
    of pass@k (k = the samples per query), distinct correct responses, and best-of-k."""

    temperature: float
    samples: int
    correct: int
    pass_at_k: float
    distinct_correct: float
    best_of_k: float


def measure_temperature(temperature: float, queries: Queries) -> TemperatureMeasures:
    """The exploration and exploitation measures of `queries` sampled at `temperature`.

    >>> q = {"a": [ScoredResponse("x", True, 1.0), ScoredResponse("y", True, 1.0)],
    ...      "b": [ScoredResponse("z", False, 0.0), ScoredResponse("z", False, 0.0)]}
    >>> m = measure_temperature(0.7, q)
    >>> (m.samples, m.correct, m.pass_at_k, m.distinct_correct, m.best_of_k)
    (4, 2, 0.5, 1.0, 0.5)
    """
    if not queries or any(not rs for rs in queries.values()):
        raise ValueError("every query needs at least one response to be measured")
    n = len(queries)
    groups = list(queries.values())
    return TemperatureMeasures(
        temperature=temperature,
        samples=sum(len(rs) for rs in groups),
        correct=sum(r.correct for rs in groups for r in rs),
        pass_at_k=sum(_pass_at_all(rs) for rs in groups) / n,
        distinct_correct=sum(len(deduplicate([r for r in rs if r.correct])) for rs in groups) / n,
        best_of_k=sum(best_of(rs).correct for rs in groups) / n,
    )


def best_of(responses: Sequence[ScoredResponse]) -> ScoredResponse:
    """The highest-scored response; a tie goes to the one drawn first (the reward cannot tell
    them apart, and the draw order is the sampler's, not the verifier's).

    >>> best_of([ScoredResponse("x", False, 0.5), ScoredResponse("y", True, 0.5)]).response
    'x'
    """
    return max(responses, key=lambda r: r.score)  # max keeps the first of equal keys


def _pass_at_all(responses: Sequence[ScoredResponse]) -> float:
    n = len(responses)
    return estimate_pass_at_k(n, sum(r.correct for r in responses), n)
