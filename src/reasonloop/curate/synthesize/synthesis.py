"""New problems per error type: quotas proportional to bad cases, requests, the filter.

Each type's quota is its share of the budget by bad-case count (largest remainders). The
instructor is asked for the missing problems a few at a time, shown a few of the type's bad
cases and a few problems already accepted for it; each reply goes through the novelty filter,
and a type whose requests stop yielding new problems is given up after `max_attempts`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from fractions import Fraction

from tqdm import tqdm

from reasonloop.curate.synthesize.filters import NoveltyFilter
from reasonloop.curate.synthesize.instructor import Instructor, SynthesisRequest
from reasonloop.curate.synthesize.records import BadCase, ErrorType, SynthesizedProblem
from reasonloop.errors import ConfigError

EXAMPLES_PER_REQUEST = 3
ACCEPTED_PER_REQUEST = 2
PROBLEMS_PER_REQUEST = 5
MAX_ATTEMPTS = 8


def allocate_quotas(counts: Mapping[str, int], budget: int) -> dict[str, int]:
    """Split `budget` among types in proportion to their counts (largest remainders).

    Ties in the remainder go to the larger count, then the name; the quotas sum to `budget`.

    >>> allocate_quotas({"carry": 5, "sign": 3, "digits": 2}, 7)
    {'carry': 4, 'sign': 2, 'digits': 1}
    """
    if budget < 0:
        raise ConfigError(f"the synthesis budget must be >= 0, got {budget}")
    if any(c < 0 for c in counts.values()):
        raise ConfigError(f"bad-case counts must be >= 0, got {dict(counts)}")
    total = sum(counts.values())
    if total == 0:
        return {name: 0 for name in counts}
    exact = {name: Fraction(budget * c, total) for name, c in counts.items()}
    quotas = {name: math.floor(share) for name, share in exact.items()}
    order = sorted(counts, key=lambda n: (-(exact[n] - quotas[n]), -counts[n], n))
    for name in order[: budget - sum(quotas.values())]:
        quotas[name] += 1
    return quotas


def synthesize_problems(
    instructor: Instructor,
    types: Sequence[ErrorType],
    cases: Sequence[BadCase],
    quotas: Mapping[str, int],
    novelty: NoveltyFilter,
    *,
    max_attempts: int = MAX_ATTEMPTS,
    progress: bool = False,
) -> list[SynthesizedProblem]:
    """Accepted problems for every type, numbered `synth-<type>-<n>` in acceptance order."""
    by_id = {case.problem.id: case for case in cases}
    accepted: list[SynthesizedProblem] = []
    bar = tqdm(
        total=sum(quotas.values()), desc="synthesize problems", unit="problem", disable=not progress
    )
    for error_type in types:
        examples = [by_id[pid] for pid in error_type.problem_ids if pid in by_id]
        kept = _fill_type(
            instructor, error_type, examples, quotas.get(error_type.name, 0), novelty, max_attempts
        )
        accepted += kept
        bar.update(len(kept))
    bar.close()
    return accepted


def _fill_type(
    instructor: Instructor,
    error_type: ErrorType,
    examples: Sequence[BadCase],
    quota: int,
    novelty: NoveltyFilter,
    max_attempts: int,
) -> list[SynthesizedProblem]:
    kept: list[SynthesizedProblem] = []
    for attempt in range(max_attempts):
        if len(kept) >= quota:
            break
        # Rotate through the type's bad cases so every request sees different examples.
        start = (attempt * EXAMPLES_PER_REQUEST) % max(1, len(examples))
        shown = (list(examples[start:]) + list(examples[:start]))[:EXAMPLES_PER_REQUEST]
        request = SynthesisRequest(
            error_type=error_type,
            examples=tuple(shown),
            accepted=tuple(kept[-ACCEPTED_PER_REQUEST:]),
            n=min(PROBLEMS_PER_REQUEST, quota - len(kept)),
            attempt=attempt,
        )
        for problem in instructor.synthesize(request):
            if len(kept) < quota and novelty.offer(problem):
                number = len(kept)
                kept.append(replace(problem, id=f"synth-{slug(error_type.name)}-{number:04d}"))
    return kept


def slug(name: str) -> str:
    """A file- and id-safe form of a type name.

    >>> slug("Dropped the carry (tens)")
    'dropped-the-carry-tens'
    """
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:48] or "type"
