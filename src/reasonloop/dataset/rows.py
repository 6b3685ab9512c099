"""`build_rows(kind, ...)`: the one entry point of the build stage, for the CLI and the loop;
`build_step_rows` for the kinds built from step values as well (`reasonloop values`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, get_args

from reasonloop.backends.base import Conversation
from reasonloop.dataset.dpo import build_dpo_pairs
from reasonloop.dataset.grpo import build_grpo_prompts
from reasonloop.dataset.prm import StepRows, build_prm_rows
from reasonloop.dataset.sft import build_sft_dataset
from reasonloop.dataset.step_dpo import StepPairs, ValueKind, build_step_dpo_pairs
from reasonloop.dataset.verl import to_verl_rows
from reasonloop.errors import ConfigError, EmptyDatasetError
from reasonloop.sample.record import GradedSample
from reasonloop.steps.values import ValuedSample
from reasonloop.tasks.problem import Problem

DatasetKind = Literal["sft", "dpo", "grpo", "verl", "step-dpo", "prm"]
DATASET_KINDS: tuple[DatasetKind, ...] = get_args(DatasetKind)
StepKind = Literal["step-dpo", "prm"]  # the kinds built from step values
STEP_KINDS: tuple[StepKind, ...] = get_args(StepKind)

# Why a dataset can come out empty, per kind, so the error says what the run lacks.
EMPTY_BECAUSE: Mapping[DatasetKind, str] = {
    "sft": "no problem has a verified-correct, untruncated response",
    "dpo": "no problem has both a correct and a wrong response",
    "grpo": "no problem has a pass rate strictly between 0 and 1 (see --include-unseen)",
    "verl": "no problem has a pass rate strictly between 0 and 1 (see --include-unseen)",
    "step-dpo": "no wrong response has a first pit and a correct response to pair with",
    "prm": "no sample has a valued step",
}


def build_rows(
    kind: DatasetKind,
    problems: Sequence[Problem],
    samples_by_problem: Mapping[str, Sequence[GradedSample]],
    *,
    max_per_problem: int = 4,
    balance: str = "difficulty",
    pairing: str = "random",
    seed: int = 0,
    include_unseen: bool = False,
    render: Callable[[Problem], Conversation] | None = None,
    data_source: str = "reasonloop/math",
    rank: Mapping[tuple[str, str], float] | None = None,
) -> list[dict[str, Any]]:
    """The rows of dataset `kind`; an empty dataset is an `EmptyDatasetError` saying why.

    `max_per_problem` caps SFT responses or DPO pairs per problem; `include_unseen` and
    `render` add GRPO/verl prompts for problems without samples; `rank` picks the SFT
    responses a capped problem keeps (the best-scored).
    """
    if kind in STEP_KINDS:
        raise ConfigError(f"{kind} rows are built from step values: call build_step_rows")
    if kind == "sft":
        rows = build_sft_dataset(
            problems,
            samples_by_problem,
            max_per_problem=max_per_problem,
            balance=balance,
            seed=seed,
            rank=rank,
        )
    elif kind == "dpo":
        rows = build_dpo_pairs(
            problems,
            samples_by_problem,
            max_pairs_per_problem=max_per_problem,
            pairing=pairing,
            seed=seed,
        )
    else:
        rows = build_grpo_prompts(
            problems, samples_by_problem, include_unseen=include_unseen, render=render
        )
        if kind == "verl":
            rows = to_verl_rows(rows, data_source)
    if not rows:
        raise EmptyDatasetError(f"no {kind} rows: {EMPTY_BECAUSE[kind]}")
    return rows


def build_step_rows(
    kind: StepKind,
    problems: Sequence[Problem],
    samples_by_problem: Mapping[str, Sequence[GradedSample]],
    valued: Sequence[ValuedSample],
    *,
    max_per_problem: int | None = 4,
    value: ValueKind = "hard",
    seed: int = 0,
) -> StepPairs | StepRows:
    """The rows of step kind `kind` with what was left out, counted by reason; no rows is an
    `EmptyDatasetError` that says why and gives the counts."""
    built: StepPairs | StepRows
    if kind == "step-dpo":
        built = build_step_dpo_pairs(
            problems,
            samples_by_problem,
            valued,
            value=value,
            max_pairs_per_problem=max_per_problem,
            seed=seed,
        )
    else:
        built = build_prm_rows(problems, valued)
    if not built.rows:
        counts = ", ".join(f"{n} {reason}" for reason, n in sorted(built.skipped.items()))
        raise EmptyDatasetError(
            f"no {kind} rows: {EMPTY_BECAUSE[kind]} (left out: {counts or 'nothing was valued'})"
        )
    return built
