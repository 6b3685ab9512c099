"""Step values by Monte-Carlo rollouts: from each step prefix of a sample, K continuations
drawn with the run's backend and sampling settings and graded with the run's verifier.

A prefix's hard value is 1 when any of its K rollouts reaches the gold (the Best-of-K policy
of Setlur et al., 2024), its soft value the share that does. Rollouts are written to
`RUN/values/rollouts.sqlite` batch by batch as they land (a killed run resumes where it
stopped); the values are written to `RUN/values/values.jsonl` (one line a sample) and the
settings that made them to `RUN/values/values.json`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal

from tqdm import tqdm

from reasonloop.backends.base import Sampler, SamplerError, SamplingParams, check_continues
from reasonloop.errors import DataError, RunDirError
from reasonloop.files import read_jsonl, write_json, write_jsonl
from reasonloop.sample.draw import label_run_dir
from reasonloop.sample.graders import grade_responses
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.store import RunStore
from reasonloop.steps.plan import (
    PendingRollout,
    SamplePlan,
    ValueSettings,
    batch_rollouts,
    plan_rollouts,
    plan_samples,
)
from reasonloop.steps.rollouts import VALUES_DIR, Rollout, RolloutStore
from reasonloop.tasks.problem import Problem

ValueSource = Literal["rollouts", "verdict", "not_valued"]


@dataclass(frozen=True)
class StepValue:
    """One step's value: `hard` (any rollout correct) and `soft` (share correct) over
    `n_rollouts`; the last step's value is the response's verdict (`source == "verdict"`)."""

    start: int
    end: int
    hard: float | None
    soft: float | None
    n_rollouts: int
    source: ValueSource


@dataclass(frozen=True)
class ValuesCost:
    """What valuing will cost: rollouts still to draw and the most tokens they may generate."""

    n_samples: int
    n_prefixes: int
    n_rollouts: int
    max_tokens: int


@dataclass(frozen=True)
class ValuesSummary:
    n_samples: int
    n_new: int
    n_correct: int
    tokens: int
    seconds: float


def estimate_cost(plans: Sequence[SamplePlan], pending: Sequence[PendingRollout]) -> ValuesCost:
    """The cost of drawing `pending` for `plans` (tokens: each rollout's whole budget)."""
    n_prefixes = len({(p.key[:3]) for p in pending})
    tokens = sum(p.max_new_tokens for p in pending)
    return ValuesCost(len(plans), n_prefixes, len(pending), tokens)


def plan_values(
    store: RunStore, settings: ValueSettings, params: SamplingParams
) -> tuple[list[SamplePlan], list[PendingRollout]]:
    """The samples of `store` to value and the rollouts still missing from its rollout store."""
    plans = plan_samples(store.samples(), settings, params.max_new_tokens)
    with closing(RolloutStore.open(store.run_dir)) as rollouts:
        stored = rollouts.keys()
    return plans, plan_rollouts(plans, settings.k, params.seed, stored)


def value_samples(
    store: RunStore,
    sampler: Sampler,
    params: SamplingParams,
    draw: DrawSettings,
    settings: ValueSettings,
) -> ValuesSummary:
    """Draw the missing rollouts of `store`'s samples, then write their step values."""
    check_continues(sampler, "valuing steps")
    started = time.perf_counter()
    plans, pending = plan_values(store, settings, params)
    problems = {p.id: p for p in store.problems()}
    bar = tqdm(
        total=len(pending),
        desc=f"values {label_run_dir(store.run_dir)}",
        unit="rollout",
        disable=not draw.progress,
    )
    n_new = n_correct = tokens = 0
    with closing(RolloutStore.open(store.run_dir)) as rollouts, bar:
        for batch in batch_rollouts(pending, draw.batch_size):
            drawn = draw_rollouts(sampler, params, batch, problems, draw.grade_workers)
            n_new += rollouts.put(drawn)
            n_correct += sum(r.correct for r in drawn)
            tokens += sum(r.completion_tokens for r in drawn)
            bar.update(len(batch))
        stored = rollouts.rollouts()
    write_values(store, plans, stored, settings)
    return ValuesSummary(len(plans), n_new, n_correct, tokens, time.perf_counter() - started)


def draw_rollouts(
    sampler: Sampler,
    params: SamplingParams,
    batch: Sequence[PendingRollout],
    problems: Mapping[str, Problem],
    workers: int | None,
) -> list[Rollout]:
    """Continue each prefix of `batch` once (each with its own seed) and grade prefix +
    continuation against the gold with the problem's grader."""
    # Per-rollout seeds where the backend honours them; the batch's seed (its first rollout's)
    # for one that seeds a call as a whole (the CPU engine), so no two batches share a stream.
    batch_params = replace(
        params,
        max_new_tokens=batch[0].max_new_tokens,
        seed=batch[0].seed,
        seeds=tuple(p.seed for p in batch),
    )
    completions = sampler.generate([p.conversation() for p in batch], batch_params)
    if len(completions) != len(batch):
        raise SamplerError(
            f"{sampler.model_id} returned {len(completions)} completions for {len(batch)} prefixes"
        )
    texts = [p.prefix + c.text for p, c in zip(batch, completions, strict=True)]
    verdicts = grade_responses(
        texts, [problems[p.sample.problem_id] for p in batch], workers=workers
    )
    return [
        Rollout(
            *item.key,
            seed=item.seed,
            continuation=completion.text,
            correct=verdict.correct,
            status=verdict.status,
            answer=verdict.answer,
            prompt_tokens=completion.prompt_tokens,
            completion_tokens=completion.completion_tokens,
            finish_reason=completion.finish_reason,
        )
        for item, completion, verdict in zip(batch, completions, verdicts, strict=True)
    ]


def compute_step_values(
    plan: SamplePlan, correct: Mapping[int, Sequence[bool]], k: int
) -> list[StepValue]:
    """The values of `plan`'s steps from the verdicts of each prefix's rollouts (by prefix
    end); only the first `k` rollouts of a prefix count, so a run that once drew more agrees
    with one that drew exactly `k`.

    >>> from reasonloop.sample.record import GradedSample
    >>> from reasonloop.steps.plan import ValueSettings, plan_samples
    >>> from reasonloop.verify.verdict import Status
    >>> wrong = GradedSample("p", 0, [], "a\\nb", False, Status.INCORRECT, "1", 1, 3, "stop", 0.0)
    >>> [plan] = plan_samples([wrong], ValueSettings(), 64)
    >>> [(v.hard, v.soft, v.source) for v in compute_step_values(plan, {2: [True, False]}, 2)]
    [(1.0, 0.5, 'rollouts'), (0.0, 0.0, 'verdict')]
    """
    values = []
    last = len(plan.split.steps) - 1
    for index, step in enumerate(plan.split.steps):
        if index < plan.n_rolled:
            verdicts = list(correct.get(step.end, ()))[:k]
            hard = float(any(verdicts)) if verdicts else None
            soft = sum(verdicts) / len(verdicts) if verdicts else None
            values.append(StepValue(step.start, step.end, hard, soft, len(verdicts), "rollouts"))
        elif index == last and index < plan.n_valued:
            verdict = float(plan.sample.correct)
            values.append(StepValue(step.start, step.end, verdict, verdict, 0, "verdict"))
        else:
            values.append(StepValue(step.start, step.end, None, None, 0, "not_valued"))
    return values


def write_values(
    store: RunStore,
    plans: Sequence[SamplePlan],
    rollouts: Sequence[Rollout],
    settings: ValueSettings,
) -> None:
    """Write values.jsonl (one row a sample: its steps with offsets and values) and
    values.json (the settings, the split rule among them)."""
    correct: dict[tuple[str, int], dict[int, list[bool]]] = {}
    for rollout in rollouts:  # in key order: rollout 0, 1, ... of each prefix
        by_prefix = correct.setdefault((rollout.problem_id, rollout.sample_index), {})
        by_prefix.setdefault(rollout.prefix_end, []).append(rollout.correct)
    rows = []
    for plan in plans:
        sample = plan.sample
        values = compute_step_values(
            plan, correct.get((sample.problem_id, sample.sample_index), {}), settings.k
        )
        rows.append(
            {
                "problem_id": sample.problem_id,
                "sample_index": sample.sample_index,
                "correct": sample.correct,
                "split_rule": settings.split_rule,
                "steps": [{**asdict(v), "text": plan.split.text(i)} for i, v in enumerate(values)],
            }
        )
    directory = store.run_dir / VALUES_DIR
    write_jsonl(directory / "values.jsonl", rows)
    write_json(directory / "values.json", asdict(settings))


@dataclass(frozen=True)
class ValuedSample:
    """One line of values.jsonl: a sample's steps (their text beside their values)."""

    problem_id: str
    sample_index: int
    correct: bool
    split_rule: str
    steps: tuple[StepValue, ...]
    texts: tuple[str, ...]

    def values(self, kind: Literal["hard", "soft"] = "hard") -> list[float | None]:
        """Each step's hard or soft value (None where a step was not valued)."""
        return [step.hard if kind == "hard" else step.soft for step in self.steps]


def read_values(run_dir: str | Path) -> list[ValuedSample]:
    """The values `reasonloop values` wrote for `run_dir` (RUN/values/values.jsonl)."""
    path = Path(run_dir) / VALUES_DIR / "values.jsonl"
    if not path.is_file():
        raise RunDirError(
            f"{run_dir} has no step values ({path} is missing); run `reasonloop values "
            f"{run_dir}` first"
        )
    return [_valued_sample(row, path) for row in read_jsonl(path)]


def _valued_sample(row: Mapping[str, Any], path: Path) -> ValuedSample:
    try:
        steps = [dict(step) for step in row["steps"]]
        texts = tuple(str(step.pop("text")) for step in steps)
        return ValuedSample(
            str(row["problem_id"]),
            int(row["sample_index"]),
            bool(row["correct"]),
            str(row["split_rule"]),
            tuple(StepValue(**step) for step in steps),
            texts,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise DataError(
            f"{path}: a line is not a values row ({error!r}); rerun `values`"
        ) from error
