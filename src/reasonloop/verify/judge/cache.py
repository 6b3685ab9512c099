"""Judge decisions on disk, keyed by (judge identity, normalized gold, answer and question).

SQLite in WAL mode, so several processes of one run (and later runs) share it; a decision is
written as soon as its batch comes back, so a judge that dies mid-run loses nothing it already
said. Only the key's inputs are normalized, never the stored reply.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reasonloop.errors import ConfigError
from reasonloop.verify.judge.reply import Decision

CACHE_FILE = "judge-cache.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    key TEXT PRIMARY KEY,
    judge TEXT NOT NULL,
    gold TEXT NOT NULL,
    answer TEXT NOT NULL,
    decision TEXT NOT NULL,
    reply TEXT NOT NULL,
    created REAL NOT NULL
)
"""


@dataclass(frozen=True)
class CachedDecision:
    decision: Decision
    reply: str


def normalize_key_text(text: str) -> str:
    """Whitespace collapsed and `$...$` delimiters dropped: the same answer, written alike.

    >>> normalize_key_text("  $\\\\frac{1}{2}$ ")
    '\\\\frac{1}{2}'
    """
    collapsed = " ".join(text.split())
    while len(collapsed) >= 2 and collapsed[0] == collapsed[-1] == "$":
        collapsed = collapsed[1:-1].strip()
    return collapsed


def cache_key(judge: str, gold: str, answer: str, question: str | None) -> str:
    """A stable key; the question counts only for templates that show it (pass None else)."""
    parts = [judge, normalize_key_text(gold), normalize_key_text(answer)]
    parts.append("" if question is None else normalize_key_text(question))
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


def default_cache_path() -> Path:
    """`judge-cache.sqlite` in reasonloop's cache directory (where the default model lives)."""
    from reasonloop.backends.hf_models import default_cache_dir

    return default_cache_dir() / CACHE_FILE


class JudgeCache:
    """A persistent map from cache_key(...) to the judge's decision and raw reply."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_cache_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30.0, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(_SCHEMA)
            self._db.commit()
        except (OSError, sqlite3.Error) as error:
            raise ConfigError(
                f"cannot open the judge cache {self.path} ({error}); pass another path, "
                "or set REASONLOOP_CACHE_DIR to a writable directory"
            ) from error
        self._lock = threading.Lock()

    def __reduce__(self) -> tuple[type[JudgeCache], tuple[Path]]:
        # Sent to another process (a Ray grading actor) as its path, and opened again there.
        return (JudgeCache, (self.path,))

    def get_many(self, keys: Sequence[str]) -> dict[str, CachedDecision]:
        found: dict[str, CachedDecision] = {}
        with self._lock:
            for start in range(0, len(keys), 500):  # SQLite caps the number of parameters
                chunk = list(keys[start : start + 500])
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, decision, reply FROM decisions WHERE key IN ({marks})", chunk
                )
                for key, decision, reply in rows:
                    found[key] = CachedDecision(decision, reply)
        return found

    def put_many(self, entries: Iterable[tuple[str, str, str, str, Decision, str]]) -> None:
        """Store (key, judge, gold, answer, decision, reply) rows, committed at once."""
        now = time.time()
        rows = [(*entry, now) for entry in entries]
        with self._lock:
            self._db.executemany(
                "INSERT OR REPLACE INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?)", rows
            )
            self._db.commit()

    def __len__(self) -> int:
        with self._lock:
            (count,) = self._db.execute("SELECT COUNT(*) FROM decisions").fetchone()
        return int(count)

    def close(self) -> None:
        with self._lock:
            self._db.close()
