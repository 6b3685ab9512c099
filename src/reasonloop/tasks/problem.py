"""The unit of work: a question with a checkable gold answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One problem. `id` is stable across runs (it keys the run store)."""

    id: str
    question: str
    gold: str
    source: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question": self.question,
            "gold": self.gold,
            "source": self.source,
            "meta": dict(self.meta),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Problem:
        """Read back `to_dict()`.

        >>> Problem.from_dict(Problem("p1", "What is 2 + 2?", "4").to_dict()).gold
        '4'
        """
        return cls(
            str(data["id"]),
            str(data["question"]),
            str(data["gold"]),
            str(data.get("source", "")),
            dict(data.get("meta") or {}),
        )
