"""Draw k responses per problem into a run store, grading each batch while the next generates.

The work is a list of (problem, sample index) pairs not yet in the store, cut into batches.
The main thread only generates; a grading thread verifies each finished batch and writes it in
one transaction, so a slow verdict never holds up the model, and a killed run loses at most the
batches not yet written.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from reasonloop.backends.base import (
    Completion,
    Conversation,
    Sampler,
    SamplerError,
    SamplingParams,
)
from reasonloop.backends.seeds import sample_seed
from reasonloop.errors import ConfigError
from reasonloop.prompts import PromptTemplate
from reasonloop.sample.grading import GradingThread, PendingBatch, Tally, WorkItem
from reasonloop.sample.store import RunStore
from reasonloop.tasks.problem import Problem

if TYPE_CHECKING:
    from reasonloop.sample.fingerprint import SamplerSpec
    from reasonloop.scale.executor import ExecutorConfig
    from reasonloop.verify.judge import ModelJudge


@dataclass(frozen=True)
class SampleSummary:
    """What one `sample_problems` call did. `tokens` counts generated (completion) tokens."""

    n_new: int
    n_skipped: int
    n_correct: int
    tokens: int
    prompt_tokens: int
    seconds: float
    generate_seconds: float
    status_counts: Mapping[str, int] = field(default_factory=dict)
    n_judged: int = 0  # new samples a model judge graded (the rule could not decide them)

    @property
    def accuracy(self) -> float:
        """Fraction of the new samples graded correct (0.0 when there were none)."""
        return self.n_correct / self.n_new if self.n_new else 0.0

    @property
    def samples_per_s(self) -> float:
        return self.n_new / self.seconds if self.seconds > 0 else 0.0

    @property
    def tokens_per_s(self) -> float:
        return self.tokens / self.seconds if self.seconds > 0 else 0.0


def sample_problems(
    problems: Sequence[Problem],
    sampler: Sampler,
    params: SamplingParams,
    store: RunStore,
    *,
    k: int | Mapping[str, int],
    template: PromptTemplate,
    round: int = 0,
    batch_size: int = 16,
    max_new_tokens: Mapping[str, int] | None = None,
    progress: bool = True,
    grade_workers: int | None = None,
    judge: ModelJudge | None = None,
    executor: ExecutorConfig | None = None,
    spec: SamplerSpec | None = None,
) -> SampleSummary:
    """Sample `k` responses per problem (or `k[problem.id]`), grade them and store them.

    Pairs already in the store are skipped, so calling again after a crash resumes. Round 0
    uses sample indices 0..k-1; a later round `r` uses k indices starting after the largest
    index of the earlier rounds. `max_new_tokens` overrides `params.max_new_tokens` per
    problem; batches never mix budgets. A `judge` grades what the rule cannot decide; if it
    fails, the samples graded before are already stored. An `executor` of kind `ray` draws
    the batches on Ray actors built from `spec` (the same batches and seeds, so the same
    samples); this process stays the single writer of the store either way.
    """
    _check_options(k, batch_size, round)
    started = time.perf_counter()
    store.add_problems(problems)
    work = plan_work(problems, k, round=round, sample_rounds=store.sample_rounds())
    n_wanted = sum(_k_for(k, p.id) for p in problems)
    jobs = plan_jobs(problems, work, params, template, batch_size, max_new_tokens, round=round)
    bar = tqdm(
        total=len(work),
        desc=f"sample {label_run_dir(store.run_dir)}",
        unit="sample",
        disable=not progress,
        smoothing=0.1,
    )
    if executor is not None and executor.is_ray:
        from reasonloop.scale.ray_sample import draw_on_ray

        if spec is None:
            raise ConfigError("the ray executor builds the backend on its actors: pass its spec")
        tally, generate_seconds = draw_on_ray(
            jobs, spec, executor, store, bar, round=round, grade_workers=grade_workers, judge=judge
        )
    else:
        tally, generate_seconds = _draw_here(
            jobs, sampler, store, bar, round, started, grade_workers, judge
        )
    return SampleSummary(
        n_new=tally.n_new,
        n_skipped=n_wanted - len(work),
        n_correct=tally.n_correct,
        tokens=tally.completion_tokens,
        prompt_tokens=tally.prompt_tokens,
        seconds=time.perf_counter() - started,
        generate_seconds=generate_seconds,
        status_counts=dict(Counter(tally.status_counts)),
        n_judged=tally.n_judged,
    )


def _draw_here(
    jobs: Sequence[BatchJob],
    sampler: Sampler,
    store: RunStore,
    bar: tqdm[Any],
    round: int,
    started: float,
    grade_workers: int | None,
    judge: ModelJudge | None,
) -> tuple[Tally, float]:
    """Generate in this thread while a grading thread verifies and writes each batch."""
    grader = GradingThread(store, bar, workers=grade_workers, started=started, judge=judge)
    generate_seconds = 0.0
    try:
        for job in jobs:
            t0 = time.perf_counter()
            completions = sampler.generate(job.prompts, job.params)
            generate_seconds += time.perf_counter() - t0
            check_completions(sampler.model_id, completions, job)
            grader.submit(job.generated(completions, round))
            grader.raise_if_failed()
    finally:
        # Whatever was generated is graded and written even on Ctrl-C or a sampler error.
        grader.finish()
        bar.close()
    grader.raise_if_failed()
    return grader.tally, generate_seconds


@dataclass(frozen=True)
class BatchJob:
    """One batch to generate: its work items, their prompts, and the batch's own params
    (token budget and seed), so the batch samples the same wherever it runs."""

    items: Sequence[WorkItem]
    prompts: Sequence[Conversation]
    params: SamplingParams

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
    budgets = {p.id: _budget_for(p.id, params, max_new_tokens) for p in problems}
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
        for index in range(base, base + _k_for(k, problem.id)):
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


def label_run_dir(run_dir: Path) -> str:
    """A progress bar's name for a run directory: its last three path parts, which tell a
    loop's stages apart ("demo/iter-1/samples", "iter-0/eval/greedy").

    >>> label_run_dir(Path("/home/me/runs/demo/iter-1/samples"))
    'demo/iter-1/samples'
    """
    return "/".join(run_dir.parts[-3:])


def _k_for(k: int | Mapping[str, int], problem_id: str) -> int:
    return k if isinstance(k, int) else int(k.get(problem_id, 0))


def _budget_for(
    problem_id: str, params: SamplingParams, max_new_tokens: Mapping[str, int] | None
) -> int:
    if max_new_tokens is None:
        return params.max_new_tokens
    return int(max_new_tokens.get(problem_id, params.max_new_tokens))


def _check_options(k: int | Mapping[str, int], batch_size: int, round: int) -> None:
    counts = [k] if isinstance(k, int) else list(k.values())
    if any(c < 0 for c in counts):
        raise ConfigError(f"k must be >= 0 samples per problem, got {k}")
    if batch_size < 1:
        raise ConfigError(f"batch size must be >= 1, got {batch_size}")
    if round < 0:
        raise ConfigError(f"round must be >= 0, got {round}")
