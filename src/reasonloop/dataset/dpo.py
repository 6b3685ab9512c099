"""Preference pairs for DPO: a correct response (chosen) against a wrong one (rejected).

Rejected responses are taken in this order: wrong answers (status `incorrect`) first, then
responses with no extractable answer (`no_answer`). A pair whose rejected side merely failed
to state an answer teaches formatting; a pair against a wrong answer teaches reasoning, so
those are spent first. Within each kind the order is seeded-random (`random`, `shortest`) or
stored order (`all`).

Pairings (each enumerates distinct (chosen, rejected) pairs, capped per problem):

- ``random``: chosen in seeded-random order; pairs rotate through both lists so each response
  is reused as evenly as possible.
- ``shortest``: like ``random`` but the shortest correct responses are chosen first, which
  counters DPO's pull towards longer answers.
- ``all``: every combination in stored order (chosen-major); use `max_pairs_per_problem=None`
  to keep them all.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from typing import Any

from reasonloop.dataset.pool import ResponsePool, assistant_turn, copy_prompt, pool_responses
from reasonloop.errors import ConfigError
from reasonloop.sample.record import GradedSample
from reasonloop.tasks.problem import Problem
from reasonloop.verify.verdict import Status

PAIRINGS = ("random", "shortest", "all")


def build_dpo_pairs(
    problems: Sequence[Problem],
    samples_by_problem: Mapping[str, Sequence[GradedSample]],
    *,
    max_pairs_per_problem: int | None = 4,
    pairing: str = "random",
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Prompt / chosen / rejected rows for problems with both a correct and a wrong response."""
    if max_pairs_per_problem is not None and max_pairs_per_problem < 1:
        raise ConfigError(f"max_pairs_per_problem must be at least 1, got {max_pairs_per_problem}")
    if pairing not in PAIRINGS:
        raise ConfigError(f"pairing must be one of {', '.join(PAIRINGS)}, got {pairing!r}")
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for problem in problems:
        pool = pool_responses(problem.id, samples_by_problem.get(problem.id, ()))
        if pool is None or not pool.correct or not pool.wrong:
            continue
        for chosen, rejected in _pair(pool, pairing, max_pairs_per_problem, rng):
            rows.append(
                {
                    "prompt": copy_prompt(chosen.prompt),
                    "chosen": assistant_turn(chosen.response),
                    "rejected": assistant_turn(rejected.response),
                    "problem_id": problem.id,
                }
            )
    return rows


def _pair(
    pool: ResponsePool, pairing: str, cap: int | None, rng: random.Random
) -> list[tuple[GradedSample, GradedSample]]:
    chosen, rejected = list(pool.correct), list(pool.wrong)
    total = len(chosen) * len(rejected)
    count = total if cap is None else min(cap, total)
    if pairing == "all":
        return [(chosen[k // len(rejected)], rejected[k % len(rejected)]) for k in range(count)]
    rng.shuffle(chosen)
    if pairing == "shortest":
        chosen.sort(key=lambda s: len(s.response))  # stable: ties keep their random order
    wrong_answers = [s for s in rejected if s.status is Status.INCORRECT]
    no_answers = [s for s in rejected if s.status is not Status.INCORRECT]
    rng.shuffle(wrong_answers)
    rng.shuffle(no_answers)
    rejected = wrong_answers + no_answers
    return [(chosen[a], rejected[b]) for a, b in rotate_pairs(len(chosen), len(rejected), count)]


def rotate_pairs(n_chosen: int, n_rejected: int, count: int) -> list[tuple[int, int]]:
    """The first `count` of all n_chosen * n_rejected index pairs, each index reused evenly.

    Pair k is (k mod C, (k + k // lcm(C, R)) mod R): within each block of lcm(C, R) pairs both
    indices cycle, and the shift per block makes all C * R pairs distinct.

    >>> rotate_pairs(2, 2, 4)
    [(0, 0), (1, 1), (0, 1), (1, 0)]
    """
    block = math.lcm(n_chosen, n_rejected)
    return [(k % n_chosen, (k + k // block) % n_rejected) for k in range(count)]
