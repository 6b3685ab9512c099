"""Judge decisions on disk, keyed by (judge identity, normalized gold, answer and question).

A `KeyedStore` (SQLite in WAL mode), so several processes of one run (and later runs) share
it; a decision is written as soon as its batch comes back, so a judge that dies mid-run loses
nothing it already said. Only the key's inputs are normalized, never the stored reply.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reasonloop.keyed_store import KeyedStore, content_key
from reasonloop.verify.judge.reply import Decision

CACHE_FILE = "judge-cache.sqlite"


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
    shown = "" if question is None else normalize_key_text(question)
    return content_key(judge, normalize_key_text(gold), normalize_key_text(answer), shown)


def default_cache_path() -> Path:
    """`judge-cache.sqlite` in reasonloop's cache directory (where the default model lives)."""
    from reasonloop.backends.hf_models import default_cache_dir

    return default_cache_dir() / CACHE_FILE


class JudgeCache:
    """A persistent map from cache_key(...) to the judge's decision and raw reply."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.store = KeyedStore(path if path is not None else default_cache_path(), "judge cache")
        self.path = self.store.path

    def __reduce__(self) -> tuple[type[JudgeCache], tuple[Path]]:
        # Sent to another process (a Ray grading actor) as its path, and opened again there.
        return (JudgeCache, (self.path,))

    def get_many(self, keys: Sequence[str]) -> dict[str, CachedDecision]:
        return {
            key: CachedDecision(value["decision"], value["reply"])
            for key, value in self.store.get_many(keys).items()
        }

    def put_many(self, entries: Iterable[tuple[str, str, str, str, Decision, str]]) -> None:
        """Store (key, judge, gold, answer, decision, reply) rows, committed at once."""
        self.store.put_many(
            (key, {"judge": judge, "gold": gold, "answer": answer, "decision": d, "reply": r})
            for key, judge, gold, answer, d, r in entries
        )

    def __len__(self) -> int:
        return len(self.store)

    def close(self) -> None:
        self.store.close()
