"""verify_batch: many pairs, hard ones in killable worker processes.

Plain-number pairs (the GSM8K case) are graded inline in the caller. Every other pair goes to a
worker process; a worker that runs past its case's time bound is killed, the case gets status
timeout, and a fresh worker takes its place. A worker serves one call at a time (idle ones are
cached between calls, see `workers`), so concurrent callers (threads, or asyncio through
`asyncio.to_thread`) never share one.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Iterable
from multiprocessing.connection import wait

from reasonloop.verify.extract import MODES
from reasonloop.verify.grade import verify, verify_plain
from reasonloop.verify.verdict import Status, Verdict
from reasonloop.verify.workers import (
    READY,
    GradeJob,
    Reply,
    Worker,
    check_in,
    check_out,
    kill_worker,
    start_worker,
)

KILL_GRACE_S = 0.25  # a worker gets this long past the case's bound before it is killed
START_TIMEOUT_S = 60.0
MAX_WORKERS = 8
MAX_FAILED_STARTS = 3
POLL_S = 0.05


def verify_batch(
    pairs: Iterable[tuple[str, str]],
    *,
    workers: int | None = None,
    timeout: float = 1.0,
    mode: str = "default",
) -> list[Verdict]:
    """Grade (response, gold) pairs; verdicts come back in input order.

    Plain-number pairs are graded inline; the rest go to up to `workers` processes (default
    min(cpu count, 8)); `workers=0` grades everything inline (cooperative deadline only).
    Blocking; from asyncio use `await asyncio.to_thread(verify_batch, pairs)`.
    """
    if mode not in MODES:
        raise ValueError(f"unknown verify mode {mode!r}; use one of {', '.join(MODES)}")
    pairs = list(pairs)
    verdicts: list[Verdict | None] = [verify_plain(r, g, mode) for r, g in pairs]
    hard = [i for i, verdict in enumerate(verdicts) if verdict is None]
    if hard and workers == 0:
        for i in hard:
            verdicts[i] = verify(pairs[i][0], pairs[i][1], mode=mode, timeout=timeout)
    elif hard:
        count = min(workers or min(os.cpu_count() or 1, MAX_WORKERS), len(hard))
        jobs = [GradeJob(i, pairs[i][0], pairs[i][1], mode, timeout) for i in hard]
        for index, verdict in _run_pool(jobs, count).items():
            verdicts[index] = verdict
    return [v if v is not None else _lost() for v in verdicts]


def _lost() -> Verdict:
    return Verdict(False, Status.TIMEOUT, None, "no verdict came back from the worker")


def _run_pool(jobs: list[GradeJob], count: int) -> dict[int, Verdict]:
    queue = deque(jobs)
    results: dict[int, Verdict] = {}
    pool = check_out(count)
    failed_starts = 0
    try:
        while len(results) < len(jobs):
            if failed_starts >= MAX_FAILED_STARTS:  # no usable workers here: grade inline
                for job in jobs:
                    if job.index not in results:
                        results[job.index] = verify(
                            job.response, job.gold, mode=job.mode, timeout=job.timeout
                        )
                break
            _dispatch(pool, queue)
            _collect(pool, results)
            for slot, worker in enumerate(pool):
                if _must_replace(worker):
                    failed_starts += not worker.ready
                    _abandon(worker, results)
                    pool[slot] = start_worker()
    finally:
        check_in(pool)
    return results


def _dispatch(pool: list[Worker], queue: deque[GradeJob]) -> None:
    for worker in pool:
        if worker.ready and worker.job is None and queue:
            worker.job = queue.popleft()
            worker.kill_at = time.monotonic() + worker.job.timeout + KILL_GRACE_S
            worker.connection.send(worker.job)


def _collect(pool: list[Worker], results: dict[int, Verdict]) -> None:
    """Wait (at most until the next kill deadline) and take in what the workers sent."""
    now = time.monotonic()
    deadlines = [w.kill_at - now for w in pool if w.job is not None]
    wait_s = min(deadlines) if deadlines else POLL_S
    ready = wait([w.connection for w in pool], timeout=max(0.0, min(wait_s, POLL_S * 20)))
    for worker in pool:
        if worker.connection not in ready:
            continue
        try:
            message = worker.connection.recv()
        except (EOFError, OSError):
            worker.dead = True
            continue
        if message == READY:
            worker.ready = True
        elif isinstance(message, Reply) and worker.job is not None:
            results[message.index] = message.verdict
            worker.job = None


def _must_replace(worker: Worker) -> bool:
    now = time.monotonic()
    overdue = worker.job is not None and now > worker.kill_at
    stuck = not worker.ready and now - worker.started > START_TIMEOUT_S
    return overdue or stuck or worker.dead or not worker.process.is_alive()


def _abandon(worker: Worker, results: dict[int, Verdict]) -> None:
    """Kill a worker; the case it held (if any) gets status timeout."""
    kill_worker(worker)
    if worker.job is not None:
        reason = f"grading ran past {worker.job.timeout:g}s; the worker was killed"
        if time.monotonic() <= worker.kill_at:
            reason = "the worker died while grading (resource limit)"
        results[worker.job.index] = Verdict(False, Status.TIMEOUT, None, reason)
