"""Rows in, rows out: every response of a file scored step by step, with its aggregations.

A row names its steps in one of three ways, tried in order: `completions` (a list of steps:
TRL's stepwise rows, kept as they are), `response` (a sampled response: a run's samples or
their export, split into steps by `reasonloop.steps.split_steps`) or `completion` (TRL's
prompt-completion rows, split the same way). The prompt is `prompt` (a question or a
conversation), else `question`. Each scored row gains `step_scores` (P(right) per step) and
one key per aggregation (`min`, `product`, `mean`, `last`, `geometric_mean`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from reasonloop.errors import DataError
from reasonloop.rewards.aggregate import AGGREGATIONS, aggregate_all
from reasonloop.rewards.rule import completion_text
from reasonloop.steps.split import SplitRule, split_steps

# What to score: the prompt (a question, or a conversation) and the steps of one response.
ScoreRequest = tuple[Any, tuple[str, ...]]


class StepScorer(Protocol):
    """Anything that gives one score in [0, 1] (P(the step is right)) per step of each
    request, in request order: a trained PRM (`PRMScorer`), or a baseline of `prm-eval`."""

    def score_steps(self, requests: Sequence[ScoreRequest]) -> list[list[float]]: ...


def row_request(row: Mapping[str, Any], index: int, rule: SplitRule = "default") -> ScoreRequest:
    """The prompt and steps of one row (see the module docstring for the columns read)."""
    prompt = row.get("prompt", row.get("question"))
    if prompt is None:
        raise DataError(f"row {index} has no `prompt` or `question` column to score against")
    if isinstance(row.get("completions"), list):
        steps = tuple(str(step) for step in row["completions"])
    elif "response" in row or "completion" in row:
        text = row["response"] if "response" in row else completion_text(row["completion"])
        split = split_steps(str(text), rule)
        steps = tuple(split.text(i) for i in range(len(split.steps)))
    else:
        raise DataError(
            f"row {index} has no steps to score: it needs `completions` (a list of steps), "
            "`response` or `completion`"
        )
    if not steps:
        raise DataError(f"row {index} has an empty response; nothing to score")
    return prompt, steps


def score_rows(
    scorer: StepScorer, rows: Sequence[Mapping[str, Any]], rule: SplitRule = "default"
) -> list[dict[str, Any]]:
    """Each row with `step_scores` and its aggregations added (one batch through `scorer`)."""
    for index, row in enumerate(rows):
        taken = [key for key in AGGREGATIONS if key in row]
        if taken and "step_scores" not in row:
            raise DataError(
                f"row {index} already has a column named {taken[0]!r}, which scoring would "
                "overwrite; rename it first"
            )
    requests = [row_request(row, index, rule) for index, row in enumerate(rows)]
    scores = scorer.score_steps(requests)
    return [
        {**row, "step_scores": step_scores, **aggregate_all(step_scores)}
        for row, step_scores in zip(rows, scores, strict=True)
    ]


def score_samples(
    scorer: StepScorer,
    samples: Sequence[Any],
    how: str = "min",
    rule: SplitRule = "default",
) -> dict[tuple[str, str], float]:
    """One aggregated score per (problem id, response) of graded samples (their `prompt` and
    `response`), e.g. to keep the best-scored correct responses (`build sft --rank prm:min`)."""
    from reasonloop.rewards.aggregate import aggregate

    distinct = {(s.problem_id, s.response): s for s in samples}
    keys = list(distinct)
    rows = [{"prompt": distinct[k].prompt, "response": k[1]} for k in keys]
    requests = [row_request(row, index, rule) for index, row in enumerate(rows)]
    scores = scorer.score_steps(requests)
    return {key: aggregate(s, how) for key, s in zip(keys, scores, strict=True)}
