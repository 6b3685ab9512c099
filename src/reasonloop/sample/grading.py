"""The grading thread of `sample_problems`: verify and write batches while the model generates."""

from __future__ import annotations

import queue
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from reasonloop.backends.base import Completion, Conversation
from reasonloop.sample.graders import grade_responses
from reasonloop.sample.record import GradedSample
from reasonloop.sample.store import RunStore
from reasonloop.tasks.problem import Problem
from reasonloop.verify.verdict import Verdict

if TYPE_CHECKING:
    from reasonloop.verify.judge import ModelJudge


@dataclass(frozen=True)
class WorkItem:
    """One sample still to draw: a problem and the index the sample will have."""

    problem: Problem
    sample_index: int


@dataclass(frozen=True)
class PendingBatch:
    """A generated batch waiting for its verdicts: items, prompts and completions align."""

    items: Sequence[WorkItem]
    prompts: Sequence[Conversation]
    completions: Sequence[Completion]
    max_new_tokens: int
    round: int


@dataclass
class Tally:
    """Running totals of what the grading thread wrote (only that thread mutates it)."""

    n_new: int = 0
    n_correct: int = 0
    n_judged: int = 0  # samples a model judge graded (the rule could not decide them)
    completion_tokens: int = 0
    prompt_tokens: int = 0
    status_counts: Counter[str] = field(default_factory=Counter)

    def add(self, samples: Sequence[GradedSample], n_inserted: int) -> None:
        self.n_new += n_inserted
        self.n_correct += sum(s.correct for s in samples)
        self.n_judged += sum(s.decided_by == "judge" for s in samples)
        self.completion_tokens += sum(s.completion_tokens for s in samples)
        self.prompt_tokens += sum(s.prompt_tokens for s in samples)
        self.status_counts.update(s.status.value for s in samples)


def grade_batches(
    batches: Sequence[PendingBatch], workers: int | None, judge: ModelJudge | None = None
) -> list[GradedSample]:
    """Verify every completion of `batches` against its problem's gold, in one verifier call.

    One call for several batches pays the verifier's worker start-up once, which lets a
    grading thread that fell behind catch up. A `judge` decides what the rule could not.
    """
    pairs = [
        (completion.text, item.problem.gold)
        for batch in batches
        for item, completion in zip(batch.items, batch.completions, strict=True)
    ]
    # Each problem's grader: the verifier, or reasoning-gym's scorer for its non-math tasks.
    problems = [item.problem for batch in batches for item in batch.items]
    verdicts = grade_responses([text for text, _ in pairs], problems, workers=workers)
    if judge is not None:
        from reasonloop.verify.judge import apply_judge

        questions = [item.problem.question for batch in batches for item in batch.items]
        verdicts = apply_judge(pairs, verdicts, judge, questions=questions)
    graded = iter(verdicts)
    return [
        build_graded_sample(item, prompt, completion, next(graded), batch)
        for batch in batches
        for item, prompt, completion in zip(
            batch.items, batch.prompts, batch.completions, strict=True
        )
    ]


def build_graded_sample(
    item: WorkItem,
    prompt: Conversation,
    completion: Completion,
    verdict: Verdict,
    batch: PendingBatch,
) -> GradedSample:
    return GradedSample(
        problem_id=item.problem.id,
        sample_index=item.sample_index,
        prompt=prompt,
        response=completion.text,
        correct=verdict.correct,
        status=verdict.status,
        answer=verdict.answer,
        prompt_tokens=completion.prompt_tokens,
        completion_tokens=completion.completion_tokens,
        finish_reason=completion.finish_reason,
        latency_s=completion.latency_s,
        round=batch.round,
        reason=verdict.reason,
        max_new_tokens=batch.max_new_tokens,
        decided_by=verdict.decided_by,
    )


class GradingThread:
    """Grades and stores submitted batches in order, on its own thread.

    An error in grading or writing is kept and re-raised in the caller by `raise_if_failed`;
    batches that arrive after it are dropped, since the run is about to stop.
    """

    def __init__(
        self,
        store: RunStore,
        bar: tqdm[Any],
        *,
        workers: int | None,
        started: float,
        judge: ModelJudge | None = None,
    ) -> None:
        self.tally = Tally()
        self.error: BaseException | None = None
        self._store = store
        self._bar = bar
        self._workers = workers
        self._judge = judge
        self._started = started
        self._queue: queue.Queue[PendingBatch | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="reasonloop-grader", daemon=True)
        self._thread.start()

    def submit(self, batch: PendingBatch) -> None:
        # Unbounded on purpose: generation never waits for grading.
        self._queue.put(batch)

    def finish(self) -> None:
        """Grade and write everything submitted so far, then stop the thread."""
        self._queue.put(None)
        self._thread.join()

    def raise_if_failed(self) -> None:
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        stopping = False
        while not stopping:
            batches, stopping = self._take_waiting()
            if self.error is not None or not batches:
                continue
            try:
                self._write(batches)
            except BaseException as error:  # handed to the main thread by raise_if_failed
                self.error = error

    def _take_waiting(self) -> tuple[list[PendingBatch], bool]:
        """Block for one batch, then take every batch already waiting; True once told to stop."""
        batches: list[PendingBatch] = []
        item = self._queue.get()
        while item is not None:
            batches.append(item)
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return batches, False
        return batches, True

    def _write(self, batches: list[PendingBatch]) -> None:
        # With a judge, batch by batch: a judge that fails leaves the earlier batches written.
        groups = [[batch] for batch in batches] if self._judge is not None else [batches]
        for group in groups:
            samples = grade_batches(group, self._workers, self._judge)
            # Still one transaction per generated batch, so each batch lands or not as a whole.
            start = 0
            for batch in group:
                written = samples[start : start + len(batch.items)]
                start += len(batch.items)
                self.tally.add(written, self._store.put_samples(written))
                self._show_progress(len(written))

    def _show_progress(self, n_written: int) -> None:
        elapsed = max(time.perf_counter() - self._started, 1e-9)
        accuracy = self.tally.n_correct / max(self.tally.n_new, 1)
        self._bar.set_postfix_str(
            f"{self.tally.completion_tokens / elapsed:.0f} tok/s, acc {accuracy:.2f}",
            refresh=False,
        )
        self._bar.update(n_written)
