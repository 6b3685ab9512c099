"""Prompt-only GRPO rows: the problems where the model's samples disagree.

GRPO learns from the spread of rewards within a group of responses to one prompt. A problem
the model always solves (pass rate 1) or never solves (pass rate 0) gives every response the
same reward, hence zero advantage and no gradient, so only problems with a pass rate strictly
between 0 and 1 are kept. Problems with no samples at all can be added with `include_unseen`.

When some problem is graded by reasoning-gym's scorer (an `rg:` task whose answers are not
numbers), every row also carries `gym_problem` (that problem as JSON, "" for the rows the
verifier grades), so the reward grades each completion as sampling graded it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reasonloop.backends.base import Conversation
from reasonloop.dataset.pool import copy_prompt, pool_responses
from reasonloop.errors import ConfigError
from reasonloop.profile.difficulty import pass_rates
from reasonloop.rewards import GYM_COLUMN, gym_problem_column
from reasonloop.sample.record import GradedSample
from reasonloop.tasks.problem import Problem


def build_grpo_prompts(
    problems: Sequence[Problem],
    samples_by_problem: Mapping[str, Sequence[GradedSample]],
    *,
    include_unseen: bool = False,
    render: Callable[[Problem], Conversation] | None = None,
) -> list[dict[str, Any]]:
    """Rows `{"prompt", "solution", "problem_id"}` (and `gym_problem` when reasoning-gym grades
    some of them); `solution` is the gold the reward checks.

    A sampled problem keeps the prompt it was sampled with. Unseen problems (only with
    `include_unseen`) need `render`, e.g. `PromptTemplate.render`, to build their prompt.
    """
    if include_unseen and render is None:
        raise ConfigError("include_unseen needs `render` (a prompt template) for unseen problems")
    rows: list[dict[str, Any]] = []
    kept: list[Problem] = []
    for problem in problems:
        samples = samples_by_problem.get(problem.id, ())
        prompt = _prompt_for(problem, samples, include_unseen, render)
        if prompt is not None:
            rows.append({"prompt": prompt, "solution": problem.gold, "problem_id": problem.id})
            kept.append(problem)
    cells = [gym_problem_column(problem) for problem in kept]
    if any(cells):  # one column for all rows: a dataset's columns are the first row's
        for row, cell in zip(rows, cells, strict=True):
            row[GYM_COLUMN] = cell
    return rows


def _prompt_for(
    problem: Problem,
    samples: Sequence[GradedSample],
    include_unseen: bool,
    render: Callable[[Problem], Conversation] | None,
) -> Conversation | None:
    if not samples:
        return copy_prompt(render(problem)) if include_unseen and render is not None else None
    pool = pool_responses(problem.id, samples)
    if pool is None:  # only timeouts or a broken gold: nothing known about this problem
        return None
    rate = pass_rates({problem.id: samples})[problem.id].rate
    return copy_prompt(pool.prompt) if 0.0 < rate < 1.0 else None
