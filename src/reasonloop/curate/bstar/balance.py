"""B-STaR's balance score (Zeng et al., ICLR 2025): how well one sampling temperature and one
reward threshold together balance exploration (many different correct responses) against
exploitation (the reward keeping correct ones and dropping wrong ones).

For a query i whose responses scoring at least the threshold tau are, once deduplicated,
n_i responses of which n'_i are correct:

    bs_i = min(n'_i / n*, 1) * (n'_i / n_i)

The first factor rewards reaching n* distinct correct responses (exploration; more than n*
earns nothing more), the second the share of correct ones among those kept (exploitation). A
query with nothing selected scores 0, and the balance score is the mean over the queries. The
loop chooses the temperature and threshold with the highest balance on a dev subset of the
training problems before each iteration (`curate.bstar.sweep`).

This follows the paper's definition. The paper's released code optimises a different
statistic; we follow the paper, and a test pins hand-computed cases of its formula.

Pure functions only: scores come in with the responses (`ScoredResponse`), so the same sweep
serves the verifier's 0/1 score today and the paper's combined PRM score (`combined_score`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Queries = Mapping[str, Sequence["ScoredResponse"]]  # problem id -> its scored responses


@dataclass(frozen=True)
class ScoredResponse:
    """One response to a dev query: its text (what deduplication compares), whether the
    verifier accepts it (the truth), and the reward's score (what the threshold cuts)."""

    response: str
    correct: bool
    score: float


@dataclass(frozen=True)
class GridPoint:
    """The balance score of one (temperature, threshold) pair over the dev queries."""

    temperature: float
    tau: float
    balance: float


def verifier_score(correct: bool) -> float:
    """The reward of a response when the verifier is the only judge: 1 correct, 0 not."""
    return 1.0 if correct else 0.0


def combined_score(prm_min: float, correct: bool) -> float:
    """The paper's reward with a process reward model: the lowest step score of the response
    divided by 5, plus the outcome (1 correct, 0 not), so the outcome dominates and the PRM
    orders responses within it.

    >>> combined_score(0.5, True), combined_score(1.0, False)
    (1.1, 0.2)
    """
    return prm_min / 5 + verifier_score(correct)


def deduplicate(responses: Sequence[ScoredResponse]) -> list[ScoredResponse]:
    """The responses with repeats dropped (the first kept); texts that differ only in white
    space are repeats. A model that says the same thing eight times has explored once.

    >>> len(deduplicate([ScoredResponse("1 + 1 = 2", True, 1.0),
    ...                  ScoredResponse("1 +  1 = 2 ", True, 1.0)]))
    1
    """
    seen: set[str] = set()
    kept: list[ScoredResponse] = []
    for response in responses:
        key = " ".join(response.response.split())
        if key not in seen:
            seen.add(key)
            kept.append(response)
    return kept


def query_balance(responses: Sequence[ScoredResponse], tau: float, n_star: int) -> float:
    """bs_i of one query: its deduplicated responses scoring at least `tau` are selected.

    Two distinct correct responses and one wrong one selected, n* = 4: min(2/4, 1) * 2/3.

    >>> rs = [ScoredResponse("a", True, 1.0), ScoredResponse("b", True, 1.0),
    ...       ScoredResponse("c", False, 0.0)]
    >>> round(query_balance(rs, tau=0.0, n_star=4), 4), query_balance(rs, tau=1.0, n_star=4)
    (0.3333, 0.5)
    """
    if n_star < 1:
        raise ValueError(f"n* must be at least 1, got {n_star}")
    selected = deduplicate([r for r in responses if r.score >= tau])
    if not selected:
        return 0.0  # nothing kept: the query teaches nothing this round
    n_correct = sum(r.correct for r in selected)
    return min(n_correct / n_star, 1.0) * n_correct / len(selected)


def balance_score(queries: Queries, tau: float, n_star: int) -> float:
    """The mean of `query_balance` over the queries (each query counts once, however many
    responses it has)."""
    if not queries:
        raise ValueError("the balance score of no queries is undefined")
    return sum(query_balance(rs, tau, n_star) for rs in queries.values()) / len(queries)


def threshold_grid(scores: Sequence[float], most: int = 21) -> list[float]:
    """The thresholds worth trying: every distinct score (each gives a different selection;
    a threshold between two scores selects what the higher one does), or `most` of them
    evenly spread by rank when there are more (a PRM score is nearly continuous).

    >>> threshold_grid([1.0, 0.0, 1.0])
    [0.0, 1.0]
    >>> threshold_grid([i / 100 for i in range(101)], most=3)
    [0.0, 0.5, 1.0]
    """
    distinct = sorted(set(scores))
    if len(distinct) <= most:
        return distinct
    if most < 2:
        raise ValueError(f"need room for at least 2 thresholds, got {most}")
    step = (len(distinct) - 1) / (most - 1)
    return [distinct[round(i * step)] for i in range(most)]


def sweep_balance(by_temperature: Mapping[float, Queries], n_star: int) -> list[GridPoint]:
    """The balance score at every (temperature, threshold) pair: the surface B-STaR maximises.

    All temperatures share one threshold grid, made of the scores seen at any of them, so
    the grid is a full T x tau table.

    >>> right, wrong = ScoredResponse("a", True, 1.0), ScoredResponse("b", False, 0.0)
    >>> [(p.temperature, p.tau, p.balance) for p in sweep_balance({0.5: {"q": [right, wrong]}}, 1)]
    [(0.5, 0.0, 0.5), (0.5, 1.0, 1.0)]
    """
    scores = [r.score for queries in by_temperature.values() for rs in queries.values() for r in rs]
    taus = threshold_grid(scores)
    return [
        GridPoint(temperature, tau, balance_score(queries, tau, n_star))
        for temperature, queries in sorted(by_temperature.items())
        for tau in taus
    ]


def choose_point(grid: Sequence[GridPoint]) -> GridPoint:
    """The grid point of highest balance. A tie goes to the higher threshold (as good a
    balance from fewer, better-scored responses), then to the higher temperature (as good a
    balance with more diverse samples: the exploration the method exists to keep).

    >>> choose_point([GridPoint(0.5, 1.0, 0.4), GridPoint(0.9, 1.0, 0.4),
    ...               GridPoint(0.9, 0.0, 0.4), GridPoint(0.7, 1.0, 0.3)])
    GridPoint(temperature=0.9, tau=1.0, balance=0.4)
    """
    if not grid:
        raise ValueError("cannot choose from an empty grid")
    return max(grid, key=lambda p: (p.balance, p.tau, p.temperature))
