"""What error-driven synthesis reads and writes, one frozen record per idea.

A bad case (a problem the model gets wrong, with its wrong responses) is described by error
keyphrases; keyphrases are grouped into error types; each type gets synthesized problems; each
synthesized problem gets a one-shot score and a keep/drop decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reasonloop.tasks.problem import Problem


@dataclass(frozen=True)
class BadCase:
    """A problem the target model answered wrong, with up to a few of its wrong responses.

    `wrong_answers` holds the verifier's extracted answer of each wrong response (None when
    the response had no final answer), in the same order as `wrong_responses`.
    """

    problem: Problem
    level: str
    pass_rate: float
    wrong_responses: tuple[str, ...]
    wrong_answers: tuple[str | None, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "problem": self.problem.to_dict(),
            "level": self.level,
            "pass_rate": self.pass_rate,
            "wrong_responses": list(self.wrong_responses),
            "wrong_answers": list(self.wrong_answers),
        }


@dataclass(frozen=True)
class CaseKeyphrases:
    """The error keyphrases an instructor wrote for one bad case."""

    problem_id: str
    keyphrases: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"problem_id": self.problem_id, "keyphrases": list(self.keyphrases)}


@dataclass(frozen=True)
class ErrorType:
    """A named group of keyphrases, and the bad cases tagged with it."""

    name: str
    keyphrases: tuple[str, ...]
    problem_ids: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return len(self.problem_ids)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "count": self.count,
            "keyphrases": list(self.keyphrases),
            "problem_ids": list(self.problem_ids),
        }


@dataclass(frozen=True)
class SynthesizedProblem:
    """A new problem written for one error type: question, worked solution, final answer."""

    id: str
    error_type: str
    question: str
    solution: str
    answer: str
    meta: Mapping[str, Any]

    def as_problem(self) -> Problem:
        return Problem(self.id, self.question, self.answer, "synthesized", dict(self.meta))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "error_type": self.error_type,
            "question": self.question,
            "solution": self.solution,
            "answer": self.answer,
            "meta": dict(self.meta),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SynthesizedProblem:
        return cls(
            id=str(data["id"]),
            error_type=str(data["error_type"]),
            question=str(data["question"]),
            solution=str(data["solution"]),
            answer=str(data["answer"]),
            meta=dict(data.get("meta", {})),
        )


@dataclass(frozen=True)
class OneShotScore:
    """How a synthesized problem did as a one-shot demonstration on the dev set.

    `score` is the dev-set score with the demonstration, `baseline` the zero-shot score on the
    same dev set; `kept` is the filter's decision.
    """

    problem_id: str
    score: float
    baseline: float
    kept: bool

    @property
    def gain(self) -> float:
        return self.score - self.baseline

    def to_dict(self) -> dict[str, Any]:
        return {
            "problem_id": self.problem_id,
            "score": self.score,
            "baseline": self.baseline,
            "gain": self.gain,
            "kept": self.kept,
        }
