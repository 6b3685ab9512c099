"""Values kept on disk by a key made from their content: the judge's decisions, reward scores
and a PRM's step scores are cached this way.

One SQLite file in WAL mode, so several processes of one run (and later runs) share it; values
are written a batch at a time as they are made, so a run that dies keeps every value it made.
A key is the sha256 of what determines the value (`content_key`), so the same question asked
from another file, run or process finds its answer.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from reasonloop.errors import ConfigError

_SCHEMA = "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value TEXT, created REAL)"
_CHUNK = 500  # SQLite caps the number of parameters of one statement


def content_key(*parts: object) -> str:
    """The sha256 of the canonical JSON of `parts` (anything JSON can write).

    >>> content_key("judge", "1/2", "0.5") == content_key("judge", "1/2", "0.5")
    True
    >>> content_key("a", None) == content_key("a", "")
    False
    """
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class KeyedStore:
    """A persistent map from keys to JSON values; `what` names it in errors ("judge cache")."""

    def __init__(self, path: str | Path, what: str = "cache") -> None:
        self.path = Path(path)
        self.what = what
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30.0, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(_SCHEMA)
            self._db.commit()
        except (OSError, sqlite3.Error) as error:
            raise ConfigError(
                f"cannot open the {what} {self.path} ({error}); pass another path, "
                "or set REASONLOOP_CACHE_DIR to a writable directory"
            ) from error
        self._lock = threading.Lock()

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Sent to another process (a Ray actor) as its path, and opened again there.
        return (type(self), (self.path,))

    def get_many(self, keys: Sequence[str]) -> dict[str, Any]:
        """The stored value of each key that has one."""
        unique = sorted(set(keys))
        found: dict[str, Any] = {}
        with self._lock:
            for start in range(0, len(unique), _CHUNK):
                chunk = unique[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT key, value FROM entries WHERE key IN ({marks})"
                for key, value in self._db.execute(query, chunk):
                    found[key] = json.loads(value)
        return found

    def put_many(self, entries: Iterable[tuple[str, Any]]) -> None:
        """Store (key, value) pairs, committed at once (a value already there is replaced)."""
        now = time.time()
        rows = [(key, json.dumps(value, ensure_ascii=False), now) for key, value in entries]
        if not rows:
            return
        with self._lock:
            self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", rows)
            self._db.commit()

    def __len__(self) -> int:
        with self._lock:
            (count,) = self._db.execute("SELECT COUNT(*) FROM entries").fetchone()
        return int(count)

    def close(self) -> None:
        with self._lock:
            self._db.close()
