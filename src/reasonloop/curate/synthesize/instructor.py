"""The instructor interface: the model (or program) that analyses errors and writes problems.

Two kinds exist: `ModelInstructor` (any reasonloop backend, prompts from data files, strict
JSON replies) and `BuiltinInstructor` (offline, for the built-in procedural tasks). The
pipeline calls the same four steps on either.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from reasonloop.curate.synthesize.records import (
    BadCase,
    CaseKeyphrases,
    ErrorType,
    SynthesizedProblem,
)


@dataclass(frozen=True)
class SynthesisRequest:
    """Ask for `n` new problems of one error type.

    `examples` are bad cases of that type, `accepted` synthesized problems already kept for it
    (self-instruct style), `attempt` counts earlier requests for the same type (an instructor
    may vary or harden what it writes as attempts grow).
    """

    error_type: ErrorType
    examples: tuple[BadCase, ...]
    accepted: tuple[SynthesizedProblem, ...]
    n: int
    attempt: int


class Instructor(Protocol):
    """Error analyst and problem writer.

    Replies that cannot be used are counted in `malformed` (by step) and skipped; an
    instructor never raises on a bad reply.
    """

    name: str
    malformed: Counter[str]

    def describe_errors(self, cases: Sequence[BadCase]) -> list[CaseKeyphrases]:
        """Keyphrases for each bad case (cases the instructor could not describe are left out)."""
        ...

    def propose_types(self, keyphrases: Sequence[str]) -> Mapping[str, Sequence[str]]:
        """Seed clusters: error type name -> the keyphrases of `keyphrases` it covers."""
        ...

    def assign_types(self, types: Sequence[str], keyphrases: Sequence[str]) -> Mapping[str, str]:
        """keyphrase -> an existing type name, or a new one when none fits."""
        ...

    def synthesize(self, request: SynthesisRequest) -> list[SynthesizedProblem]:
        """New problems for the request (ids are placeholders; the pipeline numbers them)."""
        ...
