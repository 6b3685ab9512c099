"""Draw k responses per problem into a run store, grading each batch while the next generates.

The work is a list of (problem, sample index) pairs not yet in the store, cut into batches.
The main thread only generates; a grading thread verifies each finished batch and writes it in
one transaction, so a slow verdict never holds up the model, and a killed run loses at most the
batches not yet written.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from reasonloop.backends.base import (
    Completion,
    Sampler,
    SamplingParams,
)
from reasonloop.sample.grading import GradingThread, Tally
from reasonloop.sample.interrupt import generate_keeping_on_ctrl_c
from reasonloop.sample.plan import (
    BatchJob,
    DrawSettings,
    check_completions,
    check_options,
    k_for,
    plan_jobs,
    plan_work,
)
from reasonloop.sample.plan import batch_work as batch_work  # tests and callers import them here
from reasonloop.sample.plan import seed_batch as seed_batch
from reasonloop.sample.store import RunStore
from reasonloop.tasks.problem import Problem

if TYPE_CHECKING:
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
    settings: DrawSettings,
    round: int = 0,
    max_new_tokens: Mapping[str, int] | None = None,
) -> SampleSummary:
    """Sample `k` responses per problem (or `k[problem.id]`), grade them and store them.

    Pairs already in the store are skipped, so calling again after a crash resumes. Round 0
    uses sample indices 0..k-1; a later round `r` uses k indices starting after the largest
    index of the earlier rounds. `max_new_tokens` overrides `params.max_new_tokens` per
    problem; batches never mix budgets. The `settings` say how to draw (`DrawSettings`): a
    judge there grades what the rule cannot decide (if it fails, the samples graded before
    are already stored); a runner there draws the batches elsewhere (Ray actors: the same
    batches and seeds, so the same samples), this process staying the single writer of the
    store either way.
    """
    check_options(k, settings.batch_size, round)
    started = time.perf_counter()
    store.add_problems(problems)
    work = plan_work(problems, k, round=round, sample_rounds=store.sample_rounds())
    n_wanted = sum(k_for(k, p.id) for p in problems)
    jobs = plan_jobs(
        problems, work, params, settings.template, settings.batch_size, max_new_tokens, round=round
    )
    bar = tqdm(
        total=len(work),
        desc=f"sample {label_run_dir(store.run_dir)}",
        unit="sample",
        disable=not settings.progress,
        smoothing=0.1,
    )
    if settings.runner is not None:
        tally, generate_seconds = settings.runner(jobs, store, bar, settings, round)
    else:
        tally, generate_seconds = _draw_here(
            jobs, sampler, store, bar, round, started, settings.grade_workers, settings.judge
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
    """Generate in this thread while a grading thread verifies and writes each batch.

    Ctrl-C is heard at once; what the batch in flight finishes is kept (sample/interrupt.py).
    """
    grader = GradingThread(store, bar, workers=grade_workers, started=started, judge=judge)
    generate_seconds = 0.0

    def say(message: str) -> None:
        bar.write(message, file=sys.stderr)

    try:
        for job in jobs:
            t0 = time.perf_counter()
            keep = partial(_keep, grader, job, sampler.model_id, round)
            stopping = generate_keeping_on_ctrl_c(sampler, job.prompts, job.params, say, keep)
            generate_seconds += time.perf_counter() - t0
            if stopping:
                raise KeyboardInterrupt
            grader.raise_if_failed()
    finally:
        # Whatever was generated is graded and written even on Ctrl-C or a sampler error.
        grader.finish()
        bar.close()
    grader.raise_if_failed()
    return grader.tally, generate_seconds


def _keep(
    grader: GradingThread,
    job: BatchJob,
    model_id: str,
    round: int,
    indices: Sequence[int],
    completions: Sequence[Completion],
) -> None:
    """Hand the completions of `job`'s items at `indices` (all of them, or those a Ctrl-C
    kept as they finished) to the grading thread, which writes them as one transaction."""
    part = job if len(indices) == len(job.items) else job.part(indices)
    check_completions(model_id, completions, part)
    grader.submit(part.generated(completions, round))


def label_run_dir(run_dir: Path) -> str:
    """A progress bar's name for a run directory: its last three path parts, which tell a
    loop's stages apart ("demo/iter-1/samples", "iter-0/eval/greedy").

    >>> label_run_dir(Path("/home/me/runs/demo/iter-1/samples"))
    'demo/iter-1/samples'
    """
    return "/".join(run_dir.parts[-3:])
