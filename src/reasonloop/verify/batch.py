"""verify_batch: many pairs, hard ones in killable worker processes.

Plain-number pairs (the GSM8K case) are graded inline in the caller. Every other pair goes to a
worker process; a worker that runs past its case's time bound is killed, the case gets status
timeout, and a fresh worker takes its place. Each call owns its workers, so concurrent callers
(threads, or asyncio through `asyncio.to_thread`) never share state.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from reasonloop.verify.core import verify, verify_plain
from reasonloop.verify.extract import MODES
from reasonloop.verify.verdict import Status, Verdict

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

    `workers=0` grades everything inline (cooperative deadline only); by default up to
    min(cpu count, 8) worker processes take the cases that are not plain numbers.
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
        tasks = [(i, pairs[i][0], pairs[i][1]) for i in hard]
        for index, verdict in _run_pool(tasks, count, timeout, mode).items():
            verdicts[index] = verdict
    return [v if v is not None else _lost() for v in verdicts]


def _lost() -> Verdict:
    return Verdict(False, Status.TIMEOUT, None, "no verdict came back from the worker")


@dataclass
class _Worker:
    process: Any
    connection: Connection
    ready: bool = False
    task: tuple[int, str, str] | None = None
    kill_at: float = 0.0
    dead: bool = False
    started: float = field(default_factory=time.monotonic)


def _serve(connection: Connection, mode: str, timeout: float) -> None:
    """Worker loop: grade cases until told to stop (None)."""
    from reasonloop.verify.evaluate import mp

    mp()  # import mpmath before saying ready, so no case pays for it
    connection.send("ready")
    while True:
        task = connection.recv()
        if task is None:
            return
        index, response, gold = task
        verdict = verify(response, gold, mode=mode, timeout=timeout)
        connection.send((index, verdict.correct, verdict.status.value, verdict.answer,
                         verdict.reason))  # fmt: skip


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _start(context: Any, mode: str, timeout: float) -> _Worker:
    parent, child = context.Pipe()
    process = context.Process(target=_serve, args=(child, mode, timeout), daemon=True)
    process.start()
    child.close()
    return _Worker(process, parent)


def _run_pool(
    tasks: list[tuple[int, str, str]], count: int, timeout: float, mode: str
) -> dict[int, Verdict]:
    context = _context()
    queue = deque(tasks)
    results: dict[int, Verdict] = {}
    pool = [_start(context, mode, timeout) for _ in range(count)]
    failed_starts = 0
    try:
        while len(results) < len(tasks):
            if failed_starts >= MAX_FAILED_STARTS:  # no usable workers here: grade inline
                for index, response, gold in _unfinished(tasks, results, pool, queue):
                    results[index] = verify(response, gold, mode=mode, timeout=timeout)
                break
            _dispatch(pool, queue, timeout)
            _collect(pool, results)
            for slot, worker in enumerate(pool):
                if _must_replace(worker):
                    failed_starts += not worker.ready
                    _kill(worker, results, timeout)
                    pool[slot] = _start(context, mode, timeout)
    finally:
        _shutdown(pool)
    return results


def _unfinished(
    tasks: list[tuple[int, str, str]],
    results: dict[int, Verdict],
    pool: list[_Worker],
    queue: deque[tuple[int, str, str]],
) -> list[tuple[int, str, str]]:
    return [task for task in tasks if task[0] not in results]


def _dispatch(pool: list[_Worker], queue: deque[tuple[int, str, str]], timeout: float) -> None:
    for worker in pool:
        if worker.ready and worker.task is None and queue:
            worker.task = queue.popleft()
            worker.kill_at = time.monotonic() + timeout + KILL_GRACE_S
            worker.connection.send(worker.task)


def _collect(pool: list[_Worker], results: dict[int, Verdict]) -> None:
    """Wait (at most until the next kill deadline) and take in what the workers sent."""
    now = time.monotonic()
    deadlines = [w.kill_at - now for w in pool if w.task is not None]
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
        if message == "ready":
            worker.ready = True
        elif worker.task is not None:
            index, correct, status, answer, reason = message
            results[index] = Verdict(correct, Status(status), answer, reason)
            worker.task = None


def _must_replace(worker: _Worker) -> bool:
    now = time.monotonic()
    overdue = worker.task is not None and now > worker.kill_at
    stuck = not worker.ready and now - worker.started > START_TIMEOUT_S
    return overdue or stuck or worker.dead or not worker.process.is_alive()


def _kill(worker: _Worker, results: dict[int, Verdict], timeout: float) -> None:
    """Kill a worker; its case (if any) gets status timeout."""
    worker.process.kill()
    worker.process.join(timeout=5)
    worker.connection.close()
    if worker.task is not None:
        overdue = time.monotonic() > worker.kill_at
        reason = f"grading ran past {timeout:g}s; the worker was killed"
        if not overdue:
            reason = "the worker died while grading (resource limit)"
        results[worker.task[0]] = Verdict(False, Status.TIMEOUT, None, reason)


def _shutdown(pool: list[_Worker]) -> None:
    for worker in pool:
        try:
            worker.connection.send(None)
        except (BrokenPipeError, OSError):
            pass
    for worker in pool:
        worker.process.join(timeout=1)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(timeout=5)
        worker.connection.close()
