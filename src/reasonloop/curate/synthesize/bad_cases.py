"""Bad cases: the problems of a run the model rarely or never solves, with its wrong responses.

The run's samples are profiled (pass rate and difficulty level per problem); problems at the
chosen levels (unsolved and hard by default) that have at least one wrong-answer response are
bad cases. A response with no final answer is a bad case too: "gave no final answer" is an
error an instructor can describe.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reasonloop.curate.synthesize.records import BadCase
from reasonloop.errors import ConfigError
from reasonloop.profile.difficulty import profile_difficulty
from reasonloop.sample.record import GradedSample
from reasonloop.sample.store import RunStore
from reasonloop.tasks.problem import Problem
from reasonloop.verify import Status

BAD_LEVELS: tuple[str, ...] = ("unsolved", "hard")
_WRONG = (Status.INCORRECT, Status.NO_ANSWER)


def collect_bad_cases(
    store: RunStore, *, levels: Sequence[str] = BAD_LEVELS, max_responses: int = 3
) -> list[BadCase]:
    """The bad cases of a run, in problem order (see the module docstring)."""
    samples = store.samples_by_problem()
    if not samples:
        raise ConfigError(f"{store.run_dir} holds no samples; run `reasonloop sample` first")
    return select_bad_cases(store.problems(), samples, levels=levels, max_responses=max_responses)


def select_bad_cases(
    problems: Sequence[Problem],
    samples_by_problem: Mapping[str, Sequence[GradedSample]],
    *,
    levels: Sequence[str] = BAD_LEVELS,
    max_responses: int = 3,
) -> list[BadCase]:
    """Bad cases from problems and their graded samples (problems without samples are skipped)."""
    sampled = {pid: list(s) for pid, s in samples_by_problem.items() if s}
    rows = {row.problem_id: row for row in profile_difficulty(sampled).rows}
    cases: list[BadCase] = []
    for problem in problems:
        row = rows.get(problem.id)
        if row is None or row.level not in levels:
            continue
        wrong = _distinct_wrong(sampled[problem.id])[:max_responses]
        if wrong:
            cases.append(
                BadCase(
                    problem=problem,
                    level=row.level,
                    pass_rate=row.rate,
                    wrong_responses=tuple(s.response for s in wrong),
                    wrong_answers=tuple(s.answer for s in wrong),
                )
            )
    return cases


def _distinct_wrong(samples: Sequence[GradedSample]) -> list[GradedSample]:
    ordered = sorted(samples, key=lambda s: (s.round, s.sample_index))
    seen: set[str] = set()
    kept: list[GradedSample] = []
    for sample in ordered:
        key = " ".join(sample.response.split())
        if not sample.correct and sample.status in _WRONG and key not in seen:
            seen.add(key)
            kept.append(sample)
    return kept
