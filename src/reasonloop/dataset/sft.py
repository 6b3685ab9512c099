"""Rejection-sampling SFT data (STaR / RFT): the model's own verified-correct responses.

Balance rule (`balance="difficulty"`): a problem with pass rate r keeps up to
`ceil(max_per_problem * (1 - r))` distinct correct responses, and at least one. With the
default cap of 4, a problem solved 1 time in 8 keeps 4 responses, one solved half the time
keeps 2, and one always solved keeps 1. Easy problems yield many near-identical correct
responses; without the rule they would fill the dataset and the few hard-won solutions to
hard problems would be drowned out. `balance="none"` keeps up to `max_per_problem` for all.

Which correct responses a capped problem keeps is a seeded random choice, or, with `rank`
(a score per (problem id, response), e.g. a PRM's min-step score from
`reasonloop.rewards.step_scores.score_samples`), the best-scored ones.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from typing import Any

from reasonloop.dataset.pool import assistant_turn, copy_prompt, pool_responses
from reasonloop.errors import ConfigError
from reasonloop.profile.difficulty import pass_rates
from reasonloop.sample.record import GradedSample
from reasonloop.tasks.problem import Problem

BALANCES = ("difficulty", "none")


def build_sft_dataset(
    problems: Sequence[Problem],
    samples_by_problem: Mapping[str, Sequence[GradedSample]],
    *,
    max_per_problem: int = 4,
    balance: str = "difficulty",
    seed: int = 0,
    rank: Mapping[tuple[str, str], float] | None = None,
) -> list[dict[str, Any]]:
    """Prompt-completion rows from distinct correct, untruncated responses, in problem order.

    Which responses a capped problem keeps is a seeded random choice, so reruns agree, or the
    `cap` best by `rank` (ties keep the earlier response).
    """
    if max_per_problem < 1:
        raise ConfigError(f"max_per_problem must be at least 1, got {max_per_problem}")
    if balance not in BALANCES:
        raise ConfigError(f"balance must be one of {', '.join(BALANCES)}, got {balance!r}")
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for problem in problems:
        samples = samples_by_problem.get(problem.id, ())
        pool = pool_responses(problem.id, samples)
        if pool is None or not pool.correct:
            continue
        rate = pass_rates({problem.id: samples})[problem.id].rate
        cap = sft_cap(max_per_problem, rate) if balance == "difficulty" else max_per_problem
        if rank is None:
            kept = sorted(rng.sample(range(len(pool.correct)), min(cap, len(pool.correct))))
        else:
            kept = best_ranked(problem.id, pool.correct, rank, cap)
        for index in kept:
            sample = pool.correct[index]
            rows.append(
                {
                    "prompt": copy_prompt(sample.prompt),
                    "completion": assistant_turn(sample.response),
                    "problem_id": problem.id,
                }
            )
    return rows


def best_ranked(
    problem_id: str,
    samples: Sequence[GradedSample],
    rank: Mapping[tuple[str, str], float],
    cap: int,
) -> list[int]:
    """The indices of the `cap` best-scored samples, in their original order; a sample without
    a score is an error (the scores must cover every correct response)."""
    missing = [s for s in samples if (problem_id, s.response) not in rank]
    if missing:
        raise ConfigError(f"no rank score for a correct response of problem {problem_id!r}")
    order = sorted(range(len(samples)), key=lambda i: -rank[(problem_id, samples[i].response)])
    return sorted(order[:cap])


def sft_cap(max_per_problem: int, pass_rate: float) -> int:
    """How many correct responses a problem with this pass rate keeps.

    >>> [sft_cap(4, rate) for rate in (0.125, 0.5, 0.75, 1.0)]
    [4, 2, 1, 1]
    """
    return max(1, math.ceil(max_per_problem * (1.0 - pass_rate) - 1e-9))
