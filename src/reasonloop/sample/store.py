"""The run store: problems and graded samples in one SQLite file, safe to kill and resume.

A run directory holds `run.json` (the `RunFingerprint` of what produced the samples: model,
backend, prompt template, sampling parameters, problem source) and `samples.sqlite`. Every batch of
samples is written in one transaction, so a killed run loses at most the batch in flight, and a
re-run skips every (problem, sample index) already stored.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import closing
from pathlib import Path
from types import TracebackType
from typing import Any

from reasonloop.errors import RunDirError
from reasonloop.files import ignore_in_git, write_json
from reasonloop.sample.fingerprint import (
    RunFingerprint,
    canonicalize_fingerprint,
    diff_fingerprints,
)
from reasonloop.sample.record import GradedSample
from reasonloop.tasks.problem import Problem
from reasonloop.verify.verdict import Status

DB_NAME = "samples.sqlite"
RUN_JSON = "run.json"
SCHEMA_VERSION = 2  # 2: run.json holds a typed RunFingerprint

_SCHEMA = """
CREATE TABLE IF NOT EXISTS problems (
    id TEXT PRIMARY KEY,
    question TEXT NOT NULL,
    gold TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    meta TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS samples (
    problem_id TEXT NOT NULL,
    sample_index INTEGER NOT NULL,
    round INTEGER NOT NULL DEFAULT 0,
    prompt TEXT NOT NULL,
    response TEXT NOT NULL,
    correct INTEGER NOT NULL,
    status TEXT NOT NULL,
    answer TEXT,
    reason TEXT NOT NULL DEFAULT '',
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    finish_reason TEXT NOT NULL,
    latency_s REAL NOT NULL,
    max_new_tokens INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    decided_by TEXT NOT NULL DEFAULT 'rule',
    PRIMARY KEY (problem_id, sample_index)
);
CREATE INDEX IF NOT EXISTS samples_round ON samples (round);
"""

_SAMPLE_COLUMNS = (
    "problem_id, sample_index, round, prompt, response, correct, status, answer, reason, "
    "prompt_tokens, completion_tokens, finish_reason, latency_s, max_new_tokens, decided_by"
)


class RunStore:
    """Problems and graded samples of one run directory.

    Open it with `RunStore.open` (to write) or `RunStore.open_existing` (to read). One
    connection is shared behind a lock, so one writer thread and any reader threads may use it.
    """

    def __init__(
        self, run_dir: Path, connection: sqlite3.Connection, fingerprint: RunFingerprint | None
    ):
        self.run_dir = run_dir
        self.fingerprint = fingerprint  # None: a run.json from an older reasonloop, or none
        self._connection = connection
        self._lock = threading.Lock()

    @classmethod
    def open(
        cls, run_dir: str | Path, fingerprint: RunFingerprint, *, force: bool = False
    ) -> RunStore:
        """Open (or create) `run_dir` for `fingerprint`.

        A directory made with a different fingerprint identity is refused with a `RunDirError`
        naming the differing keys; with `force=True` its database and run.json are renamed to
        `*.bak-<timestamp>` (nothing is deleted) and the run starts fresh. A directory that
        holds no sample yet is taken over by `fingerprint` whatever made it.
        """
        run_dir = Path(run_dir)
        if run_dir.exists() and not run_dir.is_dir():
            raise RunDirError(f"{run_dir} is a file, not a run directory; choose another --out")
        run_dir.mkdir(parents=True, exist_ok=True)
        ignore_in_git(run_dir)
        stored = _read_run_json(run_dir)
        wanted = json.loads(canonicalize_fingerprint(fingerprint.identity()))
        has_db = (run_dir / DB_NAME).exists()
        if stored != wanted and not _holds_samples(run_dir):
            # Nothing was drawn yet (e.g. the first attempt's backend failed before its first
            # batch): an empty run is not a configuration to protect, so it starts afresh.
            _remove_database(run_dir)
        elif stored is None and has_db:
            _refuse_or_archive(run_dir, force, f"{run_dir} has {DB_NAME} but no {RUN_JSON}")
        elif stored is not None and stored != wanted:
            keys = ", ".join(diff_fingerprints(stored, wanted))
            _refuse_or_archive(
                run_dir, force, f"{run_dir} was made with a different configuration ({keys} differ)"
            )
        _write_run_json(run_dir, fingerprint)
        return cls(run_dir, _connect(run_dir / DB_NAME), fingerprint)

    @classmethod
    def open_existing(cls, run_dir: str | Path) -> RunStore:
        """Open a run directory that must already exist, whatever its fingerprint."""
        run_dir = Path(run_dir)
        if not (run_dir / DB_NAME).is_file():
            raise RunDirError(
                f"{run_dir} is not a run directory (no {DB_NAME}); "
                "create one with `reasonloop sample --out DIR`"
            )
        return cls(run_dir, _connect(run_dir / DB_NAME), read_fingerprint(run_dir))

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # problems ---------------------------------------------------------------------------------

    def add_problems(self, problems: Iterable[Problem]) -> int:
        """Store problems not stored yet; returns how many were new.

        A problem id already stored with a different question or gold is a `RunDirError`: the
        samples under that id would no longer match their problem.
        """
        rows = [_problem_row(p) for p in problems]
        with self._lock, self._connection:
            known = {
                row[0]: (row[1], row[2])
                for row in self._connection.execute("SELECT id, question, gold FROM problems")
            }
            for pid, question, gold, _, _ in rows:
                if pid in known and known[pid] != (question, gold):
                    raise RunDirError(
                        f"problem {pid!r} is stored in {self.run_dir} with a different question "
                        "or gold; use a new --out for a changed problem set"
                    )
            new = [row for row in rows if row[0] not in known]
            self._connection.executemany("INSERT OR IGNORE INTO problems VALUES (?,?,?,?,?)", new)
        return len({row[0] for row in new})

    def problems(self) -> list[Problem]:
        """Every stored problem, in insertion order."""
        with self._lock:
            rows = self._connection.execute(
                "SELECT id, question, gold, source, meta FROM problems ORDER BY rowid"
            ).fetchall()
        return [Problem(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]

    # samples ----------------------------------------------------------------------------------

    def put_samples(self, samples: Iterable[GradedSample]) -> int:
        """Write samples in one transaction; returns how many were new.

        (problem_id, sample_index) pairs already stored are left as they are, so replaying a
        batch after a crash never duplicates a sample.
        """
        now = time.time()
        rows = [(*_sample_row(s), now) for s in samples]
        with self._lock, self._connection:
            before = self._connection.total_changes
            self._connection.executemany(
                f"INSERT OR IGNORE INTO samples ({_SAMPLE_COLUMNS}, created_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                rows,
            )
            return self._connection.total_changes - before

    def done_keys(self) -> set[tuple[str, int]]:
        """(problem_id, sample_index) of every stored sample."""
        with self._lock:
            rows = self._connection.execute("SELECT problem_id, sample_index FROM samples")
            return {(pid, idx) for pid, idx in rows}

    def sample_rounds(self) -> dict[tuple[str, int], int]:
        """(problem_id, sample_index) -> round, for every stored sample."""
        with self._lock:
            rows = self._connection.execute("SELECT problem_id, sample_index, round FROM samples")
            return {(pid, idx): rnd for pid, idx, rnd in rows}

    def samples(self, round: int | None = None) -> list[GradedSample]:
        """Stored samples (of one round, or all), ordered by problem then sample index."""
        where, args = ("WHERE round = ?", (round,)) if round is not None else ("", ())
        with self._lock:
            rows = self._connection.execute(
                f"SELECT {_SAMPLE_COLUMNS} FROM samples {where} ORDER BY problem_id, sample_index",
                args,
            ).fetchall()
        return [_sample_from_row(row) for row in rows]

    def samples_by_problem(self, round: int | None = None) -> dict[str, list[GradedSample]]:
        """Stored samples grouped by problem id."""
        grouped: dict[str, list[GradedSample]] = {}
        for sample in self.samples(round):
            grouped.setdefault(sample.problem_id, []).append(sample)
        return grouped

    def count(self, round: int | None = None) -> int:
        """How many samples are stored (in one round, or in all)."""
        where, args = ("WHERE round = ?", (round,)) if round is not None else ("", ())
        with self._lock:
            query = f"SELECT COUNT(*) FROM samples {where}"
            (n,) = self._connection.execute(query, args).fetchone()
        return int(n)

    def iter_rows(self) -> Iterator[dict[str, Any]]:
        """One flat dict per sample joined with its problem (its meta as `metadata`), for export."""
        query = (
            "SELECT s.problem_id, s.sample_index, s.round, p.question, p.gold, p.source, "
            "s.prompt, s.response, s.correct, s.status, s.answer, s.reason, s.prompt_tokens, "
            "s.completion_tokens, s.finish_reason, s.latency_s, s.max_new_tokens, s.created_at, "
            "p.meta AS metadata FROM samples s LEFT JOIN problems p ON p.id = s.problem_id "
            "ORDER BY s.problem_id, s.sample_index"
        )
        with self._lock:
            cursor = self._connection.execute(query)
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        for row in rows:
            record = dict(zip(names, row, strict=True))
            record["prompt"] = json.loads(record["prompt"])
            record["correct"] = bool(record["correct"])
            # the problem's meta: a generator's metadata (reasoning-gym's difficulty parameters)
            record["metadata"] = json.loads(record["metadata"] or "{}")
            yield record


def _connect(path: Path) -> sqlite3.Connection:
    try:
        connection = sqlite3.connect(path, check_same_thread=False, isolation_level="DEFERRED")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.executescript(_SCHEMA)
        _add_decided_by(connection)
        connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    except sqlite3.DatabaseError as error:
        raise RunDirError(f"{path} is not a readable run database ({error})") from error
    return connection


def _add_decided_by(connection: sqlite3.Connection) -> None:
    """Runs stored before the model judge existed were all graded by the rule."""
    columns = {row[1] for row in connection.execute("PRAGMA table_info(samples)")}
    if "decided_by" not in columns:
        connection.execute("ALTER TABLE samples ADD COLUMN decided_by TEXT NOT NULL DEFAULT 'rule'")
        connection.commit()


def read_fingerprint(run_dir: Path) -> RunFingerprint | None:
    """The `RunFingerprint` in `run_dir/run.json`; None when there is none or it predates it."""
    path = run_dir / RUN_JSON
    if not path.is_file():
        return None
    try:
        return RunFingerprint.from_dict(json.loads(path.read_text(encoding="utf-8"))["fingerprint"])
    except (ValueError, KeyError, TypeError):
        return None


def _read_run_json(run_dir: Path) -> dict[str, Any] | None:
    """The identity recorded in run.json (a run.json of an older reasonloop: its fingerprint)."""
    path = run_dir / RUN_JSON
    if not path.exists():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        fingerprint: dict[str, Any] = record["fingerprint"]
    except (ValueError, KeyError, TypeError) as error:
        raise RunDirError(f"{path} is damaged ({error}); use a new --out or --force") from error
    try:
        return RunFingerprint.from_dict(fingerprint).identity()
    except ValueError:
        return fingerprint  # never equal to a typed identity: refused, naming what differs


def _write_run_json(run_dir: Path, fingerprint: RunFingerprint) -> None:
    record = {
        "fingerprint": fingerprint.to_dict(),
        "identity_sha256": fingerprint.identity_sha256(),
        "schema_version": SCHEMA_VERSION,
    }
    write_json(run_dir / RUN_JSON, record)  # atomic: a kill never leaves half a run.json


def _holds_samples(run_dir: Path) -> bool:
    """Whether `run_dir`'s database holds at least one sample (a damaged one counts as yes,
    so it is refused or archived, never deleted)."""
    path = run_dir / DB_NAME
    if not path.exists():
        return False
    try:
        with closing(sqlite3.connect(path)) as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            if "samples" not in tables:
                return False
            return connection.execute("SELECT 1 FROM samples LIMIT 1").fetchone() is not None
    except sqlite3.DatabaseError:
        return True


def _remove_database(run_dir: Path) -> None:
    for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm"):
        (run_dir / name).unlink(missing_ok=True)


def _refuse_or_archive(run_dir: Path, force: bool, why: str) -> None:
    if not force:
        raise RunDirError(f"{why}; use a new --out, or --force to archive the old samples")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    # The -wal and -shm files travel with the database so the archived copy stays consistent.
    for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", RUN_JSON):
        path = run_dir / name
        if path.exists():
            base, _, suffix = name.partition("-")
            archived = f"{base}.bak-{stamp}" + (f"-{suffix}" if suffix else "")
            path.rename(run_dir / archived)


def _problem_row(problem: Problem) -> tuple[str, str, str, str, str]:
    meta = json.dumps(dict(problem.meta), sort_keys=True, ensure_ascii=False, default=str)
    return (problem.id, problem.question, problem.gold, problem.source, meta)


def _sample_row(sample: GradedSample) -> tuple[Any, ...]:
    return (
        sample.problem_id,
        sample.sample_index,
        sample.round,
        json.dumps(sample.prompt, ensure_ascii=False),
        sample.response,
        int(sample.correct),
        sample.status.value,
        sample.answer,
        sample.reason,
        sample.prompt_tokens,
        sample.completion_tokens,
        sample.finish_reason,
        sample.latency_s,
        sample.max_new_tokens,
        sample.decided_by,
    )


def _sample_from_row(row: tuple[Any, ...]) -> GradedSample:
    pid, idx, rnd, prompt, response, correct, status, answer, reason, *costs = row
    prompt_tokens, completion_tokens, finish_reason, latency_s, max_new_tokens, decided_by = costs
    return GradedSample(
        problem_id=pid,
        sample_index=idx,
        prompt=json.loads(prompt),
        response=response,
        correct=bool(correct),
        status=Status(status),
        answer=answer,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        finish_reason=finish_reason,
        latency_s=latency_s,
        round=rnd,
        reason=reason,
        max_new_tokens=max_new_tokens,
        decided_by=decided_by,
    )
