"""Which cluster to draw the next example from, under a budget of influence computations.

ClusterUCB treats each cluster of the pool as an arm whose reward is the influence of an
example drawn from it. The budget B counts influence computations (one gradient each), so
the bandit never evaluates more than B examples:

1. Cold start: max(floor(cold_start * |c|), 1) random examples from every cluster (stopping
   early if that alone would exceed B), so every arm has a first estimate.
2. Then, one example at a time: among clusters with unseen examples, those never drawn from
   come first; otherwise the arm with the highest mean(R_c) + beta * std(R_c) (the seed's
   rule, beta = 1) or, with `rule="ucb1"`, mean(R_c) + beta * sqrt(2 ln t / n_c).
   Ties go to the lower cluster id, so a run is reproducible from its seed.

One reading of "std" is ours: a cluster with a single reward has no spread of its own. Its
population std is 0, which reads as certainty: one unlucky cold-start draw from a small
cluster (gradient clusters of a few rows, where the top-p rows tend to sit) then shuts it out
for good, and which small clusters got lucky decided most of the selection. By default such a
cluster borrows the spread of every reward seen so far until its second draw
(`single_draw_std="pooled"`); `"zero"` keeps the literal population std.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from reasonloop.errors import ConfigError

Rule = Literal["ucb", "ucb1"]
RULES: tuple[Rule, ...] = ("ucb", "ucb1")
SingleDrawStd = Literal["pooled", "zero"]
SINGLE_DRAW_STDS: tuple[SingleDrawStd, ...] = ("pooled", "zero")

# Influence of a batch of pool indices; batches let the caller show progress and cache.
ScoreFn = Callable[[Sequence[int]], Sequence[float]]


@dataclass(frozen=True)
class BanditConfig:
    """Options of the cluster bandit (defaults: the seed paper's)."""

    cold_start: float = 0.05
    beta: float = 1.0
    rule: Rule = "ucb"
    single_draw_std: SingleDrawStd = "pooled"
    seed: int = 0

    def __post_init__(self) -> None:
        if not 0.0 <= self.cold_start <= 1.0:
            raise ConfigError(f"cold_start must be in [0, 1], got {self.cold_start}")
        if self.beta < 0:
            raise ConfigError(f"beta must be non-negative, got {self.beta}")
        if self.rule not in RULES:
            raise ConfigError(f"rule must be one of {', '.join(RULES)}, got {self.rule!r}")
        if self.single_draw_std not in SINGLE_DRAW_STDS:
            raise ConfigError(
                f"single_draw_std must be one of {', '.join(SINGLE_DRAW_STDS)}, "
                f"got {self.single_draw_std!r}"
            )


@dataclass(frozen=True)
class Draws:
    """The examples the bandit evaluated, in draw order, with their influence."""

    indices: tuple[int, ...]
    scores: tuple[float, ...]


def run_bandit(
    labels: Sequence[int], budget: int, score: ScoreFn, config: BanditConfig = BanditConfig()
) -> Draws:
    """Spend at most `budget` influence computations across the clusters named by `labels`."""
    if budget < 1:
        raise ConfigError(f"the budget must allow at least one gradient, got {budget}")
    rng = random.Random(config.seed)
    unseen = _shuffled_members(labels, rng)
    rewards: dict[int, list[float]] = {cluster: [] for cluster in unseen}
    indices: list[int] = []
    scores: list[float] = []

    def draw(cluster_batch: Sequence[tuple[int, int]]) -> None:
        batch = [index for _, index in cluster_batch]
        for (cluster, index), value in zip(cluster_batch, score(batch), strict=True):
            rewards[cluster].append(float(value))
            indices.append(index)
            scores.append(float(value))

    cold: list[tuple[int, int]] = []
    for cluster, members in unseen.items():
        take = max(math.floor(config.cold_start * len(members)), 1)
        cold += [(cluster, members.pop()) for _ in range(min(take, budget - len(cold)))]
    draw(cold)
    while len(indices) < budget:
        valid = [cluster for cluster, members in unseen.items() if members]
        if not valid:
            break  # the whole pool has been evaluated
        cluster = _choose(valid, rewards, len(indices), config)
        draw([(cluster, unseen[cluster].pop())])
    return Draws(tuple(indices), tuple(scores))


def _shuffled_members(labels: Sequence[int], rng: random.Random) -> dict[int, list[int]]:
    """Cluster -> its pool indices in random order (popped from the end as they are drawn)."""
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(int(label), []).append(index)
    for cluster in sorted(members):
        rng.shuffle(members[cluster])
    return dict(sorted(members.items()))


def _choose(
    valid: Sequence[int], rewards: dict[int, list[float]], drawn: int, config: BanditConfig
) -> int:
    fresh = [cluster for cluster in valid if not rewards[cluster]]
    if fresh:
        return fresh[0]
    seen = [value for history in rewards.values() for value in history]
    pooled = population_std(seen) if config.single_draw_std == "pooled" else 0.0

    def value(cluster: int) -> tuple[float, int]:
        return upper_bound(rewards[cluster], drawn, config, pooled), -cluster

    return max(valid, key=value)


def upper_bound(
    history: Sequence[float], drawn: int, config: BanditConfig, single_draw_std: float = 0.0
) -> float:
    """The arm's optimistic value: mean + beta * std, or UCB1's mean + beta * sqrt(2 ln t / n).
    `single_draw_std` stands in for the std of an arm with one reward.

    >>> round(upper_bound([0.1, 0.3], 10, BanditConfig()), 6)  # mean 0.2, std 0.1
    0.3
    >>> round(upper_bound([0.2], 10, BanditConfig(), single_draw_std=0.05), 6)
    0.25
    """
    mean = statistics.fmean(history)
    if config.rule == "ucb1":
        return mean + config.beta * math.sqrt(2 * math.log(max(drawn, 1)) / len(history))
    spread = single_draw_std if len(history) == 1 else population_std(history)
    return mean + config.beta * spread


def population_std(values: Sequence[float]) -> float:
    """The population standard deviation in plain floats (`statistics.pstdev` computes it
    exactly, with fractions: too slow for a bandit that asks it at every draw).

    >>> round(population_std([0.1, 0.3]), 12), population_std([2.0])
    (0.1, 0.0)
    """
    mean = statistics.fmean(values)
    return math.sqrt(statistics.fmean([(value - mean) ** 2 for value in values]))
