"""Samples reported as they finish, before their batch returns: what a Ctrl-C keeps.

A backend that can (`lands_each_sample = True`) has `generate_landing(conversations, params,
landed)`: `generate`'s result, and on the way `landed(indices, completions)` for each group of
conversations whose completions are final (called from the backend's own threads). The
CTranslate2 engine reports a row of its batch (one prompt and its hypotheses) once every
hypothesis of it has ended, from the token steps its `generate_batch` callback gives.

The engine returns a row's hypotheses sorted by score (the mean log-probability of their
tokens, highest first); a row reported early comes in that order too. Were two scores to tie,
the early report could order those two samples otherwise than the final result: the same
samples of the same prompt, so a caller keeps one report of a row or the other, never both.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

from reasonloop.backends.base import Completion, Conversation, SamplingParams

# (indices of the call's conversations, their completions), as they become final.
Landed = Callable[[Sequence[int], Sequence[Completion]], None]


@runtime_checkable
class LandingSampler(Protocol):
    """A sampler that can report samples as they finish (when `lands_each_sample` is True)."""

    model_id: str
    lands_each_sample: bool

    def generate_landing(
        self, conversations: Sequence[Conversation], params: SamplingParams, landed: Landed | None
    ) -> list[Completion]: ...


def lands_each_sample(sampler: object) -> bool:
    """Whether `sampler` reports its samples as they finish (see the module doc)."""
    return isinstance(sampler, LandingSampler) and bool(sampler.lands_each_sample)


class RowSteps:
    """The `callback` of one `generate_batch` call: collects each row's token steps and calls
    `finished(row, hypotheses)` once all `hypotheses` of the row have ended (state: the steps
    so far; the engine's worker threads call it)."""

    def __init__(self, hypotheses: int, finished: Callable[[int, list[list[int]]], None]) -> None:
        self.hypotheses = hypotheses
        self.finished = finished
        self._tokens: dict[tuple[int, int], list[int]] = {}
        self._log_prob: dict[tuple[int, int], float] = {}
        self._ended: Counter[int] = Counter()
        self._lock = threading.Lock()

    def __call__(self, step: Any) -> bool:
        key = (step.batch_id, step.hypothesis_id)
        with self._lock:
            self._tokens.setdefault(key, []).append(step.token_id)
            # None where the engine scores nothing: one hypothesis a row, no order to keep
            self._log_prob[key] = self._log_prob.get(key, 0.0) + (step.log_prob or 0.0)
            self._ended[step.batch_id] += bool(step.is_last)
            done = step.is_last and self._ended[step.batch_id] == self.hypotheses
        if done:
            self.finished(step.batch_id, self.ordered(step.batch_id))
        return False  # True would stop the row

    def ordered(self, row: int) -> list[list[int]]:
        """The row's hypotheses as the engine returns them: highest mean log-probability first.

        >>> steps = RowSteps(2, lambda row, hypotheses: None)
        >>> steps._tokens = {(0, 0): [5, 6], (0, 1): [7]}
        >>> steps._log_prob = {(0, 0): -1.0, (0, 1): -0.9}
        >>> steps.ordered(0)
        [[5, 6], [7]]
        """
        keys = [(row, h) for h in range(self.hypotheses)]
        keys.sort(key=lambda key: -self._log_prob[key] / max(len(self._tokens[key]), 1))
        return [self._tokens[key] for key in keys]
