"""Score responses with a reward, each score cached on disk by its content.

The cache key is the reward's identity, the prompt (or question) and the response, so the same
response to the same problem is scored once across rm-eval, best-of-n and reruns, whichever
file or run it came from. Scores are written after every batch: a run stopped halfway (or a
reward that dies) keeps every score already made.

A reward may fail: return None or NaN, or raise (a batch that raises is asked again one
response at a time). Each failed score is counted (the first error is kept to show the user)
and never cached, so a rerun tries it again; a mistake in the
set-up itself (a `ReasonloopError`: no such model, no question column) stops at once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from reasonloop.backends.base import Conversation
from reasonloop.errors import ReasonloopError
from reasonloop.evaluate.rm.rewards import Reward
from reasonloop.keyed_store import KeyedStore, content_key

CACHE_FILE = "reward-scores.sqlite"
DEFAULT_BATCH_SIZE = 16


@dataclass(frozen=True)
class ScoreRequest:
    """One response to score, with what a reward may read: the prompt it answered and the
    problem's question (either may be unknown)."""

    response: str
    prompt: Conversation | None = None
    question: str | None = None


@dataclass(frozen=True)
class Scores:
    """One score per request (None where the reward failed), and how they came about."""

    values: list[float | None]
    failed: int
    cached: int
    first_error: str | None = None


def default_cache_path() -> Path:
    """`reward-scores.sqlite` in reasonloop's cache directory."""
    from reasonloop.backends.hf_models import default_cache_dir

    return default_cache_dir() / CACHE_FILE


class ScoreCache:
    """A persistent map from (reward identity, prompt, question, response) to a score."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.store = KeyedStore(path if path is not None else default_cache_path(), "score cache")
        self.path = self.store.path

    def get_many(self, keys: Sequence[str]) -> dict[str, float]:
        return {key: float(score) for key, score in self.store.get_many(keys).items()}

    def put_many(self, entries: Sequence[tuple[str, float]]) -> None:
        self.store.put_many(entries)

    def close(self) -> None:
        self.store.close()


def score_key(identity: str, request: ScoreRequest) -> str:
    """The cache key of one request under the reward called `identity`."""
    return content_key(identity, request.prompt, request.question, request.response)


def score_responses(
    reward: Reward,
    requests: Sequence[ScoreRequest],
    *,
    cache: ScoreCache | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: bool = False,
    label: str = "score responses",
) -> Scores:
    """Score `requests` with `reward` in batches, reading and filling `cache` (when given)."""
    keys = [score_key(reward.identity, r) for r in requests]
    known = cache.get_many(keys) if cache is not None else {}
    cached = sum(key in known for key in keys)
    pending = sorted({i for i, key in enumerate(keys) if key not in known})
    values: dict[int, float | None] = {}
    errors: list[str] = []
    for start in tqdm(
        range(0, len(pending), max(1, batch_size)),
        desc=label,
        unit="batch",
        disable=not progress,
    ):
        batch = pending[start : start + max(1, batch_size)]
        scores = _score_batch(reward, [requests[i] for i in batch], errors)
        values.update(zip(batch, scores, strict=True))
        if cache is not None:
            made = [(keys[i], s) for i, s in zip(batch, scores, strict=True) if s is not None]
            cache.put_many(made)
    result = [known[key] if key in known else values.get(i) for i, key in enumerate(keys)]
    failed = sum(score is None for score in result)
    return Scores(result, failed=failed, cached=cached, first_error=errors[0] if errors else None)


def _score_batch(
    reward: Reward, batch: Sequence[ScoreRequest], errors: list[str]
) -> list[float | None]:
    try:
        raw = reward(
            [r.response for r in batch],
            prompts=[r.prompt for r in batch],
            question=[r.question for r in batch],
        )
    except ReasonloopError:
        raise  # the set-up is wrong (no model, no question column): every batch would fail
    except Exception as error:  # the one guarded catch-all: a reward's own failure is counted
        if len(batch) > 1:
            # One bad response should not cost its batch-mates their scores: ask one by one.
            return [score for r in batch for score in _score_batch(reward, [r], errors)]
        errors.append(f"{type(error).__name__}: {error}")
        return [None]
    if len(raw) != len(batch):
        errors.append(f"the reward returned {len(raw)} scores for {len(batch)} responses")
        return [None] * len(batch)
    return [_finite(score, errors) for score in raw]


def _finite(score: Any, errors: list[str]) -> float | None:
    if score is None:
        errors.append("the reward returned None")
        return None
    try:
        value = float(score)
    except (TypeError, ValueError):
        errors.append(f"the reward returned {score!r}, not a number")
        return None
    if not math.isfinite(value):
        errors.append(f"the reward returned {value}")
        return None
    return value
