"""Step-labelled rows for a process reward model, in TRL's stepwise-supervision format.

One row a valued sample: `prompt` (the problem's question, a string as in TRL's stepwise
datasets such as trl-lib/math_shepherd), `completions` (the response's steps, in order) and
`labels` (one bool a step: Math-Shepherd's hard label, the step's value > 0, i.e. some rollout
from its prefix reached the gold). The soft values (the share of rollouts that did) ride along
as floats in `soft_labels`, with `problem_id`, `sample_index` and `correct` for tracing.

Only valued steps are labelled: a sample valued up to `--max-steps` keeps the steps through its
last valued one (a PRM reads a label after each step, and an unlabelled step has none to read).
A sample with no valued step makes no row and is counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reasonloop.errors import DataError
from reasonloop.steps.values import ValuedSample
from reasonloop.tasks.problem import Problem

COLUMNS = ("prompt", "completions", "labels")


@dataclass(frozen=True)
class StepRows:
    """The rows, and the valued samples that made none, counted by reason."""

    rows: list[dict[str, Any]]
    skipped: dict[str, int]

    def summary(self) -> dict[str, Any]:
        labels = [label for row in self.rows for label in row["labels"]]
        return {
            "rows": len(self.rows),
            "steps": len(labels),
            "positive_steps": sum(labels),
            "skipped": dict(sorted(self.skipped.items())),
        }


def build_prm_rows(problems: Sequence[Problem], valued: Sequence[ValuedSample]) -> StepRows:
    """A stepwise-supervision row for each valued sample of `problems` (in values order)."""
    questions = {problem.id: problem.question for problem in problems}
    rows: list[dict[str, Any]] = []
    skipped: Counter[str] = Counter()
    for sample in valued:
        if sample.problem_id not in questions:
            raise DataError(
                f"the values name problem {sample.problem_id!r}, which the run does not hold"
            )
        row = prm_row(questions[sample.problem_id], sample)
        if row is None:
            skipped["not_valued"] += 1
        else:
            rows.append(row)
    return StepRows(rows, dict(skipped))


def prm_row(question: str, sample: ValuedSample) -> dict[str, Any] | None:
    """The row of one valued sample, through its last valued step; None if none is valued.

    >>> from reasonloop.steps.values import StepValue
    >>> steps = (StepValue(0, 5, 1.0, 0.5, 2, "rollouts"), StepValue(5, 9, 0.0, 0.0, 0, "verdict"))
    >>> row = prm_row("2 + 2?", ValuedSample("p", 0, False, "lines", steps, ("2+2=4", "So 5")))
    >>> row["completions"], row["labels"], row["soft_labels"]
    (['2+2=4', 'So 5'], [True, False], [0.5, 0.0])
    """
    # Not-valued steps sit at the end (`max_steps`): the row ends before the first of them.
    n = next((i for i, step in enumerate(sample.steps) if step.hard is None), len(sample.steps))
    if n == 0:
        return None
    steps = sample.steps[:n]
    return {
        "prompt": question,
        "completions": list(sample.texts[:n]),
        "labels": [bool(step.hard) for step in steps],
        "soft_labels": [step.soft for step in steps],
        "problem_id": sample.problem_id,
        "sample_index": sample.sample_index,
        "correct": sample.correct,
    }
