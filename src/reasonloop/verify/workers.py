"""Killable grading worker processes, and a small cache of idle ones.

Starting a worker costs about a second (a fresh interpreter imports the verifier), so workers
that finish a batch alive are parked in a cache and the next call checks them out again. The
cache is only touched under a lock, and a worker belongs to one caller at a time, so
concurrent callers never share a worker. A worker past its bound is killed, never reused.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from reasonloop.verify.grade import verify
from reasonloop.verify.verdict import Verdict

MAX_IDLE_WORKERS = 8

READY = "ready"  # a worker sends this once mpmath is loaded; None tells it to stop


@dataclass(frozen=True)
class GradeJob:
    """One pair to grade, sent to a worker (pickled across the pipe)."""

    index: int
    response: str
    gold: str
    mode: str
    timeout: float


@dataclass(frozen=True)
class Reply:
    """The verdict for the job at `index`, sent back by the worker."""

    index: int
    verdict: Verdict


@dataclass
class Worker:
    """One worker process and what it is doing."""

    process: Any
    connection: Connection
    owner_pid: int
    ready: bool = False
    job: GradeJob | None = None
    kill_at: float = 0.0
    dead: bool = False
    started: float = field(default_factory=time.monotonic)


_idle: list[Worker] = []
_idle_lock = threading.Lock()


def serve(connection: Connection) -> None:
    """Worker loop: grade jobs until told to stop (None) or the parent is gone."""
    # Ctrl-C reaches the whole process group; the parent handles it (and stops its workers),
    # so a worker ignores it rather than printing a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from reasonloop.verify.numeric import mp

    mp()  # import mpmath before saying ready, so no case pays for it
    connection.send(READY)
    while True:
        try:
            job: GradeJob | None = connection.recv()
        except EOFError:  # the parent exited without saying stop
            return
        if job is None:
            return
        verdict = verify(job.response, job.gold, mode=job.mode, timeout=job.timeout)
        connection.send(Reply(job.index, verdict))


def check_out(count: int) -> list[Worker]:
    """`count` workers: idle cached ones first, fresh ones for the rest."""
    taken: list[Worker] = []
    with _idle_lock:
        while _idle and len(taken) < count:
            worker = _idle.pop()
            if worker.owner_pid == os.getpid() and worker.process.is_alive():
                taken.append(worker)
            else:
                _discard(worker)
    return taken + [start_worker() for _ in range(count - len(taken))]


def check_in(workers: list[Worker]) -> None:
    """Park healthy idle workers for the next call; stop the rest.

    A worker still starting is parked too: stopping it would make every later call start
    (and wait on) another, for as long as calls end before a fresh worker is ready.
    """
    with _idle_lock:
        for worker in workers:
            healthy = worker.job is None and not worker.dead
            if healthy and worker.process.is_alive() and len(_idle) < MAX_IDLE_WORKERS:
                _idle.append(worker)
            else:
                stop_worker(worker)


def start_worker() -> Worker:
    process, parent = start_serving(serve)
    return Worker(process, parent, os.getpid())


def start_serving(target: Callable[[Connection], None]) -> tuple[Any, Connection]:
    """Start a daemon process running `target(connection)`; return it and our end of the pipe.

    forkserver where the platform has it (a fork of a threaded parent can deadlock), else spawn;
    reasoning-gym's scoring workers start the same way.
    """
    methods = multiprocessing.get_all_start_methods()
    context: Any = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    parent, child = context.Pipe()
    process = context.Process(target=target, args=(child,), daemon=True)
    with main_file_hidden_if_missing():
        process.start()
    child.close()
    return process, parent


@contextlib.contextmanager
def main_file_hidden_if_missing() -> Iterator[None]:
    """A new worker runs the caller's `__main__` file again before it serves; a script read
    from stdin (`python - < script.py`) has a `__file__` ("<stdin>") that names no file, so
    every worker would die printing a traceback. While such a worker starts, `__main__` has
    no `__file__`, and the worker starts without it (the verifier needs nothing from it)."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    named = getattr(getattr(main, "__spec__", None), "name", None)  # `python -m`: imported
    if main is None or path is None or named is not None or os.path.isfile(path):
        yield
        return
    del main.__file__
    try:
        yield
    finally:
        main.__file__ = path


def kill_worker(worker: Worker) -> None:
    """Kill at once (the case it holds is abandoned)."""
    worker.process.kill()
    worker.process.join(timeout=5)
    worker.connection.close()


def stop_worker(worker: Worker) -> None:
    """Ask politely, then kill."""
    try:
        worker.connection.send(None)
    except (BrokenPipeError, OSError):
        pass
    worker.process.join(timeout=1)
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join(timeout=5)
    worker.connection.close()


def _discard(worker: Worker) -> None:
    if worker.owner_pid == os.getpid():
        stop_worker(worker)
