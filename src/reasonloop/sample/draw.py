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
from typing import TYPE_CHECKING

from tqdm import tqdm

from reasonloop.backends.base import Sampler, SamplerError, SamplingParams
from reasonloop.errors import ConfigError
from reasonloop.prompts import PromptTemplate
from reasonloop.sample.grading import GradingThread, PendingBatch, WorkItem
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
    template: PromptTemplate,
    round: int = 0,
    batch_size: int = 16,
    max_new_tokens: Mapping[str, int] | None = None,
    progress: bool = True,
    grade_workers: int | None = None,
    judge: ModelJudge | None = None,
) -> SampleSummary:
    """Sample `k` responses per problem (or `k[problem.id]`), grade them and store them.

    Pairs already in the store are skipped, so calling again after a crash resumes. Round 0
    uses sample indices 0..k-1; a later round `r` uses k indices starting after the largest
    index of the earlier rounds. `max_new_tokens` overrides `params.max_new_tokens` per
    problem; batches never mix budgets. A `judge` grades what the rule cannot decide; if it
    fails, the samples graded before are already stored.
    """
    _check_options(k, batch_size, round)
    started = time.perf_counter()
    store.add_problems(problems)
    work = plan_work(problems, k, round=round, sample_rounds=store.sample_rounds())
    n_wanted = sum(_k_for(k, p.id) for p in problems)
    conversations = {p.id: template.render(p) for p in problems}
    budgets = {p.id: _budget_for(p.id, params, max_new_tokens) for p in problems}
    bar = tqdm(total=len(work), unit="sample", disable=not progress, smoothing=0.1)
    grader = GradingThread(store, bar, workers=grade_workers, started=started, judge=judge)
    generate_seconds = 0.0
    try:
        for batch in batch_work(work, batch_size, budgets):
            budget = budgets[batch[0].problem.id]
            batch_params = replace(params, max_new_tokens=budget, seed=seed_batch(params, batch))
            prompts = [conversations[item.problem.id] for item in batch]
            t0 = time.perf_counter()
            completions = sampler.generate(prompts, batch_params)
            generate_seconds += time.perf_counter() - t0
            if len(completions) != len(batch):
                raise SamplerError(
                    f"{sampler.model_id} returned {len(completions)} completions "
                    f"for {len(batch)} conversations"
                )
            grader.submit(PendingBatch(batch, prompts, completions, budget, round))
            grader.raise_if_failed()
    finally:
        # Whatever was generated is graded and written even on Ctrl-C or a sampler error.
        grader.finish()
        bar.close()
    grader.raise_if_failed()
    tally = grader.tally
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
