"""The outcome of comparing one response with one gold answer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Literal


class Status(str, Enum):
    """Why a verdict came out the way it did; reports count these."""

    CORRECT = "correct"
    INCORRECT = "incorrect"
    NO_ANSWER = "no_answer"
    UNPARSEABLE_GOLD = "unparseable_gold"
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class Verdict:
    """A graded response.

    `answer` is the final answer extracted from the response (None when none was found);
    `reason` is a short human-readable explanation. `bool(verdict)` is `verdict.correct`.
    `decided_by` is "rule" unless a model judge (`reasonloop.verify.judge`) made the call.
    """

    correct: bool
    status: Status
    answer: str | None
    reason: str
    decided_by: Literal["rule", "judge"] = "rule"

    def __bool__(self) -> bool:
        return self.correct

    def to_dict(self) -> dict[str, object]:
        return {
            "correct": self.correct,
            "status": self.status.value,
            "answer": self.answer,
            "reason": self.reason,
            "decided_by": self.decided_by,
        }
