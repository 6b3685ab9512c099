"""The rollout store: every continuation drawn from a step prefix, in `RUN/values/rollouts.sqlite`.

A rollout is keyed by (problem, sample index, prefix end, rollout index). The prefix is named
by its end offset in the response, not by its step number, so the same prefix under another
split rule is the same prefix and its rollouts are reused. Each batch is written in one
transaction as it lands, and an insert never replaces a stored rollout, so a killed run
resumes with each rollout drawn and stored exactly once.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reasonloop.errors import RunDirError
from reasonloop.verify.verdict import Status

VALUES_DIR = "values"
DB_NAME = "rollouts.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS rollouts (
    problem_id TEXT NOT NULL,
    sample_index INTEGER NOT NULL,
    prefix_end INTEGER NOT NULL,
    rollout INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    continuation TEXT NOT NULL,
    correct INTEGER NOT NULL,
    status TEXT NOT NULL,
    answer TEXT,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    finish_reason TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (problem_id, sample_index, prefix_end, rollout)
);
"""

RolloutKey = tuple[str, int, int, int]  # (problem id, sample index, prefix end, rollout)


@dataclass(frozen=True)
class Rollout:
    """One graded continuation of one step prefix (the verdict is on prefix + continuation)."""

    problem_id: str
    sample_index: int
    prefix_end: int
    rollout: int
    seed: int
    continuation: str
    correct: bool
    status: Status
    answer: str | None
    prompt_tokens: int
    completion_tokens: int
    finish_reason: str

    @property
    def key(self) -> RolloutKey:
        return (self.problem_id, self.sample_index, self.prefix_end, self.rollout)


class RolloutStore:
    """The rollouts of one run directory; one connection shared behind a lock (close it with
    `contextlib.closing`)."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._connection = connection
        self._lock = threading.Lock()

    @classmethod
    def open(cls, run_dir: str | Path) -> RolloutStore:
        """Open (or create) `run_dir/values/rollouts.sqlite`."""
        directory = Path(run_dir) / VALUES_DIR
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / DB_NAME
        try:
            connection = sqlite3.connect(path, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.executescript(_SCHEMA)
        except sqlite3.DatabaseError as error:
            raise RunDirError(f"{path} is not a readable rollout database ({error})") from error
        return cls(path, connection)

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def put(self, rollouts: Iterable[Rollout]) -> int:
        """Store rollouts in one transaction; returns how many were new (none is replaced)."""
        rows = [_row(r) for r in rollouts]
        with self._lock, self._connection:
            before = self._connection.total_changes
            self._connection.executemany(
                "INSERT OR IGNORE INTO rollouts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows
            )
            return self._connection.total_changes - before

    def keys(self) -> set[RolloutKey]:
        """The keys of every stored rollout."""
        query = "SELECT problem_id, sample_index, prefix_end, rollout FROM rollouts"
        with self._lock:
            return {(p, s, e, r) for p, s, e, r in self._connection.execute(query)}

    def rollouts(self) -> list[Rollout]:
        """Every stored rollout, in key order."""
        query = (
            "SELECT problem_id, sample_index, prefix_end, rollout, seed, continuation, correct, "
            "status, answer, prompt_tokens, completion_tokens, finish_reason FROM rollouts "
            "ORDER BY problem_id, sample_index, prefix_end, rollout"
        )
        with self._lock:
            rows = self._connection.execute(query).fetchall()
        return [_rollout(row) for row in rows]


def _row(rollout: Rollout) -> tuple[object, ...]:
    return (
        *rollout.key,
        rollout.seed,
        rollout.continuation,
        int(rollout.correct),
        rollout.status.value,
        rollout.answer,
        rollout.prompt_tokens,
        rollout.completion_tokens,
        rollout.finish_reason,
        time.time(),
    )


def _rollout(row: tuple[Any, ...]) -> Rollout:
    pid, index, end, number, seed, text, correct, status, answer, prompt, completion, finish = row
    return Rollout(
        problem_id=str(pid),
        sample_index=int(index),
        prefix_end=int(end),
        rollout=int(number),
        seed=int(seed),
        continuation=str(text),
        correct=bool(correct),
        status=Status(status),
        answer=None if answer is None else str(answer),
        prompt_tokens=int(prompt),
        completion_tokens=int(completion),
        finish_reason=str(finish),
    )
