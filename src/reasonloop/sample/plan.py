"""Plan a draw: which (problem, sample index) pairs are missing, cut into batches, each with
its prompts, token budget and seeds. Pure and deterministic, so any executor (this process,
`sample.draw`; Ray actors, `scale.ray_sample`) that runs the same plan draws the same samples.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from reasonloop.backends.base import Completion, Conversation, SamplerError, SamplingParams
from reasonloop.backends.seeds import sample_seed
from reasonloop.errors import ConfigError
from reasonloop.prompts import PromptTemplate
from reasonloop.sample.grading import PendingBatch, Tally, WorkItem
from reasonloop.tasks.problem import Problem

if TYPE_CHECKING:
    from tqdm import tqdm

    from reasonloop.sample.store import RunStore
    from reasonloop.verify.judge import ModelJudge

    # Somewhere other than this process that generates and grades planned batches (Ray
    # actors: `scale.ray_sample.RayRunner`), called with (jobs, store, bar, settings, round);
    # the store is written here either way. It returns what was written and the seconds
    # spent generating.
    BatchRunner = Callable[
        [Sequence["BatchJob"], RunStore, tqdm[Any], "DrawSettings", int], tuple[Tally, float]
    ]


@dataclass(frozen=True)
class DrawSettings:
    """How a stage draws its samples, the same for every draw in it: built once (by the CLI
    command, the loop stage) and handed unchanged to `sample_problems` and the functions
    that call it (`resample_run`, `rationalize`, `evaluate`, `evaluate_heldout`).

    `template` renders the prompts; `batch_size` conversations go to the backend at once;
    `grade_workers` verifier processes grade (None: as many as useful); a `judge` grades what
    the rule cannot decide; `runner` is where the batches generate, chosen by the caller
    (None: in this process, with the sampler it passes).
    """

    template: PromptTemplate
    batch_size: int = 16
    progress: bool = False
    grade_workers: int | None = None
    judge: ModelJudge | None = None
    runner: BatchRunner | None = None


@dataclass(frozen=True)
class BatchJob:
    """One batch to generate: its work items, their prompts, and the batch's own params
    (token budget and seed), so the batch samples the same wherever it runs."""

    items: Sequence[WorkItem]
    prompts: Sequence[Conversation]
    params: SamplingParams

    def part(self, indices: Sequence[int]) -> BatchJob:
        """The items at `indices` alone (the samples a Ctrl-C kept as they finished)."""
        items = [self.items[i] for i in indices]
        return BatchJob(items, [self.prompts[i] for i in indices], self.params)

    def generated(self, completions: Sequence[Completion], round: int) -> PendingBatch:
        """This batch with its completions, waiting for verdicts."""
        budget = self.params.max_new_tokens
        return PendingBatch(self.items, self.prompts, completions, budget, round)


def plan_jobs(
    problems: Sequence[Problem],
    work: Sequence[WorkItem],
    params: SamplingParams,
    template: PromptTemplate,
    batch_size: int,
    max_new_tokens: Mapping[str, int] | None = None,
    *,
    round: int = 0,
) -> list[BatchJob]:
    """The batches of `work` with their prompts, budgets and seeds.

    Each sample gets its own seed from (run seed, problem, sample index, round), so on the
    backends that honour per-sample seeds neither the batching nor a resume changes a sample
    (backends/seeds.py); the batch's seed (`seed_batch`) serves the others.
    """
    conversations = {p.id: template.render(p) for p in problems}
    budgets = {p.id: budget_for(p.id, params, max_new_tokens) for p in problems}
    jobs: list[BatchJob] = []
    for batch in batch_work(work, batch_size, budgets):
        budget = budgets[batch[0].problem.id]
        seeds = tuple(
            sample_seed(params.seed, item.problem.id, item.sample_index, round) for item in batch
        )
        batch_params = replace(
            params, max_new_tokens=budget, seed=seed_batch(params, batch), seeds=seeds
        )
        prompts = [conversations[item.problem.id] for item in batch]
        jobs.append(BatchJob(batch, prompts, batch_params))
    return jobs


def check_completions(model_id: str, completions: Sequence[Completion], job: BatchJob) -> None:
    """A SamplerError when a backend returned another number of completions than asked for."""
    if len(completions) != len(job.items):
        raise SamplerError(
            f"{model_id} returned {len(completions)} completions for {len(job.items)} conversations"
        )


def plan_work(
    problems: Sequence[Problem],
    k: int | Mapping[str, int],
    *,
    round: int,
    sample_rounds: Mapping[tuple[str, int], int],
) -> list[WorkItem]:
    """The (problem, sample index) pairs of `round` not yet in `sample_rounds`, in problem order.

    The indices of round r start after the largest index stored for rounds before r, a base
    that a resumed round r does not move.

    >>> p = Problem("p", "What is 1 + 1?", "2")
    >>> [w.sample_index for w in plan_work([p], 3, round=1, sample_rounds={("p", 0): 0})]
    [1, 2, 3]
    """
    earlier: dict[str, int] = {}
    for (pid, index), rnd in sample_rounds.items():
        if rnd < round:
            earlier[pid] = max(earlier.get(pid, -1), index)
    work: list[WorkItem] = []
    for problem in problems:
        base = earlier.get(problem.id, -1) + 1
        for index in range(base, base + k_for(k, problem.id)):
            if (problem.id, index) not in sample_rounds:
                work.append(WorkItem(problem, index))
    return work


def batch_work(
    work: Sequence[WorkItem], batch_size: int, budgets: Mapping[str, int]
) -> list[list[WorkItem]]:
    """Cut `work` into batches of at most `batch_size`; a batch never mixes token budgets.

    Order is kept within a budget, so a problem's samples sit together (prefix caching).
    """
    by_budget: dict[int, list[WorkItem]] = {}
    for item in work:
        by_budget.setdefault(budgets[item.problem.id], []).append(item)
    batches: list[list[WorkItem]] = []
    for items in by_budget.values():
        batches += [items[i : i + batch_size] for i in range(0, len(items), batch_size)]
    return batches


def seed_batch(params: SamplingParams, batch: Sequence[WorkItem]) -> int:
    """A seed for one batch, derived from the run seed and the batch's first sample.

    Without it every batch would reuse `params.seed`, and a resumed or later round could
    replay the very samples it already has.
    """
    first = batch[0]
    text = f"{params.seed}\x1f{first.problem.id}\x1f{first.sample_index}"
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def k_for(k: int | Mapping[str, int], problem_id: str) -> int:
    """The number of samples wanted for `problem_id`: `k`, or its entry in `k`."""
    return k if isinstance(k, int) else int(k.get(problem_id, 0))


def budget_for(
    problem_id: str, params: SamplingParams, max_new_tokens: Mapping[str, int] | None
) -> int:
    """The token budget of `problem_id`'s samples: its entry in `max_new_tokens`, else
    `params.max_new_tokens`."""
    if max_new_tokens is None:
        return params.max_new_tokens
    return int(max_new_tokens.get(problem_id, params.max_new_tokens))


def check_options(k: int | Mapping[str, int], batch_size: int, round: int) -> None:
    """A ConfigError naming the option when k, the batch size or the round is out of range."""
    counts = [k] if isinstance(k, int) else list(k.values())
    if any(c < 0 for c in counts):
        raise ConfigError(f"k must be >= 0 samples per problem, got {k}")
    if batch_size < 1:
        raise ConfigError(f"batch size must be >= 1, got {batch_size}")
    if round < 0:
        raise ConfigError(f"round must be >= 0, got {round}")
