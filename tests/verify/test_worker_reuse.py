"""Grading workers are reused across verify_batch calls, also one still starting at the end
of a call (stopping it made every later call start, and wait on, a fresh worker)."""

from __future__ import annotations

import pytest

import reasonloop.verify.batch as batch
import reasonloop.verify.workers as workers
from reasonloop.verify import verify_batch
from reasonloop.verify.workers import check_in, check_out, start_worker, stop_worker

HARD = (r"so the answer is $\frac{36}{2}$", "18")  # not a plain number: a worker grades it


def test_a_worker_still_starting_is_parked_for_the_next_call() -> None:
    worker = start_worker()
    assert not worker.ready  # the parent marks it ready only once it reads the worker's hello
    check_in([worker])
    taken = check_out(1)
    try:
        assert taken[0] is worker
    finally:
        for each in taken:
            stop_worker(each)


def test_a_lost_worker_is_replaced_once_not_on_every_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pairs = [HARD, (r"it is $\\frac{54}{3}$", "18"), ("The answer is 18.", "18")]
    verify_batch(pairs, workers=2)  # two workers, both ready and parked
    pool = check_out(2)
    stop_worker(pool.pop())  # one is lost (say, killed past its time bound)
    check_in(pool)
    starts: list[int] = []
    real_start = workers.start_worker

    def counting_start() -> object:
        starts.append(1)
        return real_start()

    monkeypatch.setattr(workers, "start_worker", counting_start)  # check_out starts these
    monkeypatch.setattr(batch, "start_worker", counting_start)  # and the pool replaces with these
    for _ in range(30):
        verdicts = verify_batch(pairs, workers=2)
        assert [v.correct for v in verdicts] == [True, True, True]
    # The replacement, started by the first call, serves the later ones once it is ready.
    assert len(starts) == 1
