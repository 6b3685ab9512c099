"""A graded sample: what the run store keeps and what the dataset builders read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from reasonloop.backends.base import Conversation, FinishReason
from reasonloop.verify.verdict import Status


@dataclass(frozen=True)
class GradedSample:
    """One response to one problem, with the verifier's verdict on it.

    `round` counts sampling passes over the same problems (0 = the first pass; difficulty-aware
    resampling adds later rounds with more samples and a longer token budget).
    """

    problem_id: str
    sample_index: int
    prompt: Conversation
    response: str
    correct: bool
    status: Status
    answer: str | None
    prompt_tokens: int
    completion_tokens: int
    finish_reason: FinishReason
    latency_s: float
    round: int = 0
    reason: str = ""  # the verifier's short explanation of the verdict
    max_new_tokens: int = 0  # the token budget it was sampled with (0 = unknown)
    decided_by: Literal["rule", "judge"] = "rule"  # the rule verifier, or a model judge

    def __post_init__(self) -> None:
        # The verifier's vocabulary stays typed through the store: "correct" read back from
        # SQLite (or written by hand) becomes Status.CORRECT, and an unknown status is an error.
        if not isinstance(self.status, Status):
            object.__setattr__(self, "status", Status(self.status))
