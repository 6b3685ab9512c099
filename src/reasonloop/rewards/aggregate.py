"""One number per response from its step scores: the aggregations of the PRM literature.

A step score is P(the step is right) in [0, 1]. `min` and `product` call a response as good
as its worst step (one wrong step sinks it); `mean` and `geometric_mean` average them
(`geometric_mean` is the product's per-step rate, so long responses are not punished for
length alone); `last` trusts the final step's score, which for a prefix-value PRM
(Math-Shepherd labels) already speaks for the whole response.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Literal, get_args

Aggregation = Literal["min", "product", "mean", "last", "geometric_mean"]
AGGREGATIONS: tuple[Aggregation, ...] = get_args(Aggregation)
# log(0) is -inf: a zero step score counts as this small a probability in the geometric mean.
_FLOOR = 1e-12


def _product(scores: Sequence[float]) -> float:
    return math.prod(scores)


def _mean(scores: Sequence[float]) -> float:
    return math.fsum(scores) / len(scores)


def _geometric_mean(scores: Sequence[float]) -> float:
    return math.exp(math.fsum(math.log(max(s, _FLOOR)) for s in scores) / len(scores))


_FUNCTIONS: dict[str, Callable[[Sequence[float]], float]] = {
    "min": min,
    "product": _product,
    "mean": _mean,
    "last": lambda scores: scores[-1],
    "geometric_mean": _geometric_mean,
}


def aggregate(scores: Sequence[float], how: Aggregation | str) -> float:
    """The response's score from its step scores.

    >>> aggregate([0.9, 0.5, 0.8], "min"), aggregate([0.5, 0.5], "product")
    (0.5, 0.25)
    >>> round(aggregate([0.25, 1.0], "geometric_mean"), 3), aggregate([0.2, 0.7], "last")
    (0.5, 0.7)
    """
    if how not in _FUNCTIONS:
        raise ValueError(f"unknown aggregation {how!r}; choose one of {', '.join(AGGREGATIONS)}")
    if not scores:
        raise ValueError("a response without steps has no score to aggregate")
    return float(_FUNCTIONS[how](scores))


def aggregate_all(scores: Sequence[float]) -> dict[str, float]:
    """Every aggregation of `scores`, by name (the keys `score --prm` adds to a row)."""
    return {how: aggregate(scores, how) for how in AGGREGATIONS}
