"""sample_problems: k per problem, resume, rounds, budgets, interrupts - on the fake backend."""

from __future__ import annotations

import _thread
import io
import re
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from fingerprints import fake_fingerprint
from reasonloop.backends.base import Completion, Conversation, SamplerError, SamplingParams
from reasonloop.backends.fake import FakeSampler
from reasonloop.errors import ConfigError
from reasonloop.prompts import DEFAULT_TEMPLATE
from reasonloop.sample.draw import SampleSummary, batch_work, plan_work, sample_problems, seed_batch
from reasonloop.sample.grading import PendingBatch, WorkItem, grade_batches
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.store import RunStore
from reasonloop.tasks import Problem, generate_task

PARAMS = SamplingParams(max_new_tokens=64, temperature=0.8, seed=0)
PROBLEMS = generate_task("arithmetic", 6, seed=0, digits=2)


class RecordingSampler(FakeSampler):
    """The real fake backend, remembering each batch's size and params; can fail on batch N."""

    def __init__(
        self,
        *,
        accuracy: float = 0.5,
        fail_on: int | None = None,
        error: type[BaseException] | None = None,
    ) -> None:
        super().__init__("arithmetic", accuracy=accuracy)
        self.calls: list[tuple[int, SamplingParams]] = []
        self.fail_on = fail_on
        self.error = error or KeyboardInterrupt

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]:
        if self.fail_on is not None and len(self.calls) == self.fail_on:
            raise self.error("stopped on purpose")
        self.calls.append((len(conversations), params))
        return super().generate(conversations, params)


class ShortSampler(FakeSampler):
    """A broken backend that drops the last completion of every batch."""

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]:
        return super().generate(conversations, params)[:-1]


class CtrlCSampler(FakeSampler):
    """Ctrl-C arrives while batch `on` generates; the batch finishes only once the user was
    told that the run is stopping (or after 10 s, and then `told_at_once` stays False)."""

    def __init__(self, on: int, told: threading.Event) -> None:
        super().__init__("arithmetic", accuracy=1.0)
        self.calls = 0
        self.on = on
        self.told = told
        self.told_at_once = False

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]:
        self.calls += 1
        if self.calls == self.on:
            _thread.interrupt_main()  # what Ctrl-C does to the main thread
            self.told_at_once = self.told.wait(10)
        return super().generate(conversations, params)


class WatchedStream(io.StringIO):
    """stderr that sets `event` once a line containing `word` is written."""

    def __init__(self, word: str, event: threading.Event) -> None:
        super().__init__()
        self.word, self.event = word, event

    def write(self, text: str) -> int:
        if self.word in text:
            self.event.set()
        return super().write(text)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RunStore]:
    with RunStore.open(tmp_path / "run", fake_fingerprint()) as opened:
        yield opened


def run(
    store: RunStore,
    sampler: FakeSampler,
    batch_size: int = 4,
    progress: bool = False,
    **options: Any,
) -> SampleSummary:
    settings = DrawSettings(DEFAULT_TEMPLATE, batch_size=batch_size, progress=progress)
    options = {"k": 3, **options}
    return sample_problems(PROBLEMS, sampler, PARAMS, store, settings=settings, **options)


@pytest.mark.parametrize(("accuracy", "expected_correct"), [(1.0, 18), (0.0, 0)])
def test_samples_k_per_problem_graded_by_the_verifier(
    store: RunStore, accuracy: float, expected_correct: int
) -> None:
    summary = run(store, RecordingSampler(accuracy=accuracy))
    assert summary.n_new == 18 and summary.n_skipped == 0
    assert summary.n_correct == expected_correct
    stored = store.samples()
    assert {(s.problem_id, s.sample_index) for s in stored} == {
        (p.id, i) for p in PROBLEMS for i in range(3)
    }
    assert sum(s.correct for s in stored) == expected_correct
    assert {s.status for s in stored} == {"correct" if accuracy else "incorrect"}
    assert all(s.max_new_tokens == 64 and s.completion_tokens > 0 for s in stored)
    assert stored[0].prompt == DEFAULT_TEMPLATE.render(PROBLEMS[0])
    assert [p.id for p in store.problems()] == [p.id for p in PROBLEMS]


def test_summary_counts_tokens_and_statuses(store: RunStore) -> None:
    summary = run(store, RecordingSampler())
    stored = store.samples()
    assert summary.tokens == sum(s.completion_tokens for s in stored)
    assert summary.prompt_tokens == sum(s.prompt_tokens for s in stored)
    assert sum(summary.status_counts.values()) == 18
    assert summary.tokens_per_s > 0
    assert 0.0 <= summary.accuracy <= 1.0


def test_second_call_resumes_without_duplicates(store: RunStore) -> None:
    run(store, RecordingSampler(), k=2)
    sampler = RecordingSampler()
    summary = run(store, sampler, k=3)
    assert (summary.n_new, summary.n_skipped) == (6, 12)
    assert store.count() == 18
    again = RecordingSampler()
    assert run(store, again).n_new == 0
    assert again.calls == []


def test_per_problem_k_mapping(store: RunStore) -> None:
    k = {PROBLEMS[0].id: 5, PROBLEMS[1].id: 1}
    summary = run(store, RecordingSampler(), k=k)
    assert summary.n_new == 6
    grouped = store.samples_by_problem()
    assert {pid: len(s) for pid, s in grouped.items()} == {PROBLEMS[0].id: 5, PROBLEMS[1].id: 1}


def test_later_round_continues_indices_and_resumes_stably(store: RunStore) -> None:
    run(store, RecordingSampler(), k=2)
    k = {PROBLEMS[0].id: 4}
    budgets = {PROBLEMS[0].id: 128}
    with pytest.raises(KeyboardInterrupt):
        run(store, RecordingSampler(fail_on=1), k=k, round=1, batch_size=2, max_new_tokens=budgets)
    assert [s.sample_index for s in store.samples(round=1)] == [2, 3]
    run(store, RecordingSampler(), k=k, round=1, batch_size=2, max_new_tokens=budgets)
    later = store.samples(round=1)
    assert [s.sample_index for s in later] == [2, 3, 4, 5]
    assert {s.max_new_tokens for s in later} == {128}
    assert store.count(round=0) == 12


def test_batches_never_mix_budgets(store: RunStore) -> None:
    budgets = {p.id: (32 if i % 2 else 96) for i, p in enumerate(PROBLEMS)}
    sampler = RecordingSampler()
    run(store, sampler, max_new_tokens=budgets, batch_size=5)
    assert sorted({params.max_new_tokens for _, params in sampler.calls}) == [32, 96]
    assert sum(size for size, _ in sampler.calls) == 18
    assert all(size <= 5 for size, _ in sampler.calls)
    for sample in store.samples():
        assert sample.max_new_tokens == budgets[sample.problem_id]


def test_each_batch_gets_its_own_seed(store: RunStore) -> None:
    sampler = RecordingSampler()
    run(store, sampler, batch_size=2)
    seeds = [params.seed for _, params in sampler.calls]
    assert len(set(seeds)) == len(seeds) == 9


def test_interrupt_keeps_every_finished_batch(store: RunStore) -> None:
    with pytest.raises(KeyboardInterrupt):
        run(store, RecordingSampler(fail_on=3), batch_size=4)
    assert store.count() == 12
    summary = run(store, RecordingSampler(), batch_size=4)
    assert (summary.n_new, summary.n_skipped) == (6, 12)


def test_backend_error_keeps_finished_batches(store: RunStore) -> None:
    with pytest.raises(SamplerError, match="stopped on purpose"):
        run(store, RecordingSampler(fail_on=2, error=SamplerError))
    assert store.count() == 8


def test_wrong_number_of_completions_is_an_error(store: RunStore) -> None:
    with pytest.raises(SamplerError, match="returned 3 completions for 4"):
        run(store, ShortSampler("arithmetic"))
    assert store.count() == 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"k": -1}, "k must be >= 0"),
        ({"k": {"p": -2}}, "k must be >= 0"),
        ({"batch_size": 0}, "batch size"),
        ({"round": -1}, "round must be"),
    ],
)
def test_bad_options_are_config_errors(
    store: RunStore, options: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        run(store, RecordingSampler(), **options)


PA, PB = Problem("a", "What is 1 + 1?", "2"), Problem("b", "What is 2 + 2?", "4")


@pytest.mark.parametrize(
    ("k", "round", "stored", "expected"),
    [
        (2, 0, {}, [("a", 0), ("a", 1), ("b", 0), ("b", 1)]),
        (2, 0, {("a", 1): 0}, [("a", 0), ("b", 0), ("b", 1)]),
        ({"b": 1}, 0, {}, [("b", 0)]),
        (2, 1, {("a", 0): 0, ("a", 1): 0, ("b", 0): 0}, [("a", 2), ("a", 3), ("b", 1), ("b", 2)]),
        (2, 1, {("a", 0): 0, ("a", 1): 0, ("a", 2): 1}, [("a", 3), ("b", 0), ("b", 1)]),
        (1, 2, {("a", 5): 1, ("a", 7): 2}, [("a", 6), ("b", 0)]),
    ],
)
def test_plan_work(
    k: int | dict[str, int],
    round: int,
    stored: dict[tuple[str, int], int],
    expected: list[tuple[str, int]],
) -> None:
    work = plan_work([PA, PB], k, round=round, sample_rounds=stored)
    assert [(w.problem.id, w.sample_index) for w in work] == expected


def test_batch_work_groups_by_budget_in_order() -> None:
    work = [WorkItem(p, i) for p in (PA, PB) for i in range(3)]
    batches = batch_work(work, 2, {"a": 10, "b": 20})
    assert [[(w.problem.id, w.sample_index) for w in b] for b in batches] == [
        [("a", 0), ("a", 1)],
        [("a", 2)],
        [("b", 0), ("b", 1)],
        [("b", 2)],
    ]


def test_seed_batch_is_stable_and_depends_on_run_seed() -> None:
    batch = [WorkItem(PA, 3)]
    assert seed_batch(PARAMS, batch) == seed_batch(PARAMS, batch)
    other = SamplingParams(seed=1)
    assert seed_batch(other, batch) != seed_batch(PARAMS, batch)
    assert 0 <= seed_batch(PARAMS, batch) < 2**31


def test_grade_batches_keeps_each_verdict_with_its_sample() -> None:
    def completion(text: str) -> Completion:
        return Completion(text, 3, len(text.split()), "stop", 0.1)

    half = Problem("c", "What is 1 / 2?", "1/2")
    first = PendingBatch(
        [WorkItem(PA, 0), WorkItem(PB, 0)],
        [[], []],
        [completion("The answer is 2."), completion("The answer is 5.")],
        32,
        0,
    )
    second = PendingBatch(
        [WorkItem(half, 4)], [[]], [completion("So \\boxed{\\frac{1}{2}}")], 64, 1
    )
    graded = grade_batches([first, second], workers=0)
    assert [(s.problem_id, s.correct, s.status) for s in graded] == [
        ("a", True, "correct"),
        ("b", False, "incorrect"),
        ("c", True, "correct"),
    ]
    assert [(s.sample_index, s.round, s.max_new_tokens) for s in graded] == [
        (0, 0, 32),
        (0, 0, 32),
        (4, 1, 64),
    ]
    assert graded[1].answer == "5" and graded[1].reason


def test_progress_bar_shows_rate_tokens_and_accuracy(
    store: RunStore, capsys: pytest.CaptureFixture[str]
) -> None:
    run(store, RecordingSampler(accuracy=1.0), progress=True)
    err = capsys.readouterr().err
    assert "18/18" in err and "sample/s" in err and "tok/s" in err and "acc 1.00" in err
    # The bar says what it draws into, and how long is left.
    name = "/".join(store.run_dir.parts[-3:])
    assert re.search(rf"sample {re.escape(name)}: 100%.*18/18 \[\d\d:\d\d<\d\d:\d\d", err)


@pytest.fixture
def ctrl_c_raises() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt, as in a terminal: a shell starts background jobs
    (`pytest ... &`) with SIGINT ignored, and then `interrupt_main` does nothing."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("ctrl_c_raises")
def test_ctrl_c_is_answered_at_once_and_the_batch_in_flight_is_kept(
    store: RunStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    told = threading.Event()
    stderr = WatchedStream("stopping", told)
    monkeypatch.setattr(sys, "stderr", stderr)
    sampler = CtrlCSampler(on=2, told=told)
    with pytest.raises(KeyboardInterrupt):
        run(store, sampler)  # 18 samples in batches of 4: Ctrl-C during the second
    assert sampler.told_at_once, "the stopping message came only after the batch"
    assert "finishing the 4 samples in flight" in stderr.getvalue()
    assert sampler.calls == 2  # no batch started after Ctrl-C
    assert store.count() == 8  # the first batch and the one in flight
