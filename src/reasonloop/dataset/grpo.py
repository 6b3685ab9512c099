"""Prompt-only GRPO rows: the problems where the model's samples disagree.

GRPO learns from the spread of rewards within a group of responses to one prompt. A problem
the model always solves (pass rate 1) or never solves (pass rate 0) gives every response the
same reward, hence zero advantage and no gradient, so only problems with a pass rate strictly
between 0 and 1 are kept. Problems with no samples at all can be added with `include_unseen`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reasonloop.backends.base import Conversation
from reasonloop.dataset.pool import copy_prompt, pool_responses
from reasonloop.errors import ConfigError
from reasonloop.profile.difficulty import pass_rates
from reasonloop.sample.record import GradedSample
from reasonloop.tasks.problem import Problem


def build_grpo_prompts(
    problems: Sequence[Problem],
    samples_by_problem: Mapping[str, Sequence[GradedSample]],
    *,
    include_unseen: bool = False,
    render: Callable[[Problem], Conversation] | None = None,
) -> list[dict[str, Any]]:
    """Rows `{"prompt", "solution", "problem_id"}`; `solution` is the gold the reward checks.

    A sampled problem keeps the prompt it was sampled with. Unseen problems (only with
    `include_unseen`) need `render`, e.g. `PromptTemplate.render`, to build their prompt.
    """
    if include_unseen and render is None:
        raise ConfigError("include_unseen needs `render` (a prompt template) for unseen problems")
    rows: list[dict[str, Any]] = []
    for problem in problems:
        samples = samples_by_problem.get(problem.id, ())
        prompt = _prompt_for(problem, samples, include_unseen, render)
        if prompt is not None:
            rows.append({"prompt": prompt, "solution": problem.gold, "problem_id": problem.id})
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
