"""Model replies cached on disk, so a killed synthesis run resumes without asking again.

One JSONL file of {"key", "reply"} records, appended and flushed per reply: a kill loses at
most the reply in flight, and a torn last line is ignored on reading. The key hashes the model
id, the conversation and the sampling parameters, so a changed prompt is a new question.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from reasonloop.backends.base import Conversation, Sampler, SamplingParams


def reply_key(model_id: str, conversation: Conversation, params: SamplingParams) -> str:
    """sha256 of the canonical JSON of what determines a reply."""
    record = {"model": model_id, "conversation": conversation, "params": params.to_dict()}
    text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ReplyCache:
    """Replies by key, backed by a JSONL file (or memory only when `path` is None)."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = None if path is None else Path(path)
        self._replies: dict[str, str] = {}
        self.hits = 0
        if self.path is not None and self.path.is_file():
            self._replies = _read(self.path)

    def __len__(self) -> int:
        return len(self._replies)

    def generate(
        self, sampler: Sampler, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[str]:
        """Replies to `conversations`: cached ones looked up, the others generated and stored."""
        keys = [reply_key(sampler.model_id, c, params) for c in conversations]
        missing = [i for i, key in enumerate(keys) if key not in self._replies]
        self.hits += len(keys) - len(missing)
        if missing:
            completions = sampler.generate([conversations[i] for i in missing], params)
            self._store([(keys[i], c.text) for i, c in zip(missing, completions, strict=True)])
        return [self._replies[key] for key in keys]

    def _store(self, items: Sequence[tuple[str, str]]) -> None:
        self._replies.update(items)
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            for key, reply in items:
                handle.write(json.dumps({"key": key, "reply": reply}, ensure_ascii=False) + "\n")
            handle.flush()


def _read(path: Path) -> dict[str, str]:
    replies: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line torn by a kill mid-write
            if isinstance(record, dict) and isinstance(record.get("reply"), str):
                replies[str(record.get("key"))] = record["reply"]
    return replies
