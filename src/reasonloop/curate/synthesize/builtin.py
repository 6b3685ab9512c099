"""The offline instructor for the built-in procedural tasks (arithmetic, linear, fractions)
and reasoning-gym tasks (`rg:`; see `builtin_gym`).

The embedded model is far too weak to analyse its own errors, so for built-in tasks a program
does it: `builtin_analysis` explains each wrong answer from the problem's structure, the
explanation's type is the error type, and `builtin_generate` writes new problems whose
structure exercises that type, with worked solutions. Same pipeline, filters and output as a
model instructor; this is what the demo and CI use.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction

from reasonloop.curate.synthesize.builtin_analysis import Finding, diagnose
from reasonloop.curate.synthesize.builtin_generate import make_problem, write_solution
from reasonloop.curate.synthesize.builtin_gym import draw_gym_problems, gym_findings, is_gym_problem
from reasonloop.curate.synthesize.builtin_tasks import (
    format_number,
    parse_answer,
    parse_question,
    task_of,
    write_question,
)
from reasonloop.curate.synthesize.error_types import normalize_keyphrase
from reasonloop.curate.synthesize.instructor import SynthesisRequest
from reasonloop.curate.synthesize.records import BadCase, CaseKeyphrases, SynthesizedProblem

# Requests for one type after which problems are made one digit longer: short problems run
# out first under the near-duplicate filter (few distinct 2-digit sums exist).
ATTEMPTS_BEFORE_LONGER = 3


class BuiltinInstructor:
    """Programmatic analyst and generator; deterministic for a given `seed`."""

    name = "builtin"

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.malformed: Counter[str] = Counter()
        self.unknown_problems = 0  # bad cases that are not built-in task problems
        self._types: dict[str, str] = {}  # keyphrase -> error type, as the analyst wrote it

    def describe_errors(self, cases: Sequence[BadCase]) -> list[CaseKeyphrases]:
        described: list[CaseKeyphrases] = []
        for case in cases:
            findings = self.findings(case)
            if findings is None:
                self.unknown_problems += 1
                continue
            self._types.update((normalize_keyphrase(f.keyphrase), f.type) for f in findings)
            phrases = tuple(dict.fromkeys(f.keyphrase for f in findings))
            described.append(CaseKeyphrases(case.problem.id, phrases))
        return described

    def findings(self, case: BadCase) -> list[Finding] | None:
        """One finding per wrong response, or None when the problem is not a built-in one."""
        if is_gym_problem(case.problem):
            return gym_findings(case)
        structure = parse_question(case.problem.question)
        if structure is None:
            return None
        return [diagnose(structure, parse_answer(answer)) for answer in case.wrong_answers]

    def propose_types(self, keyphrases: Sequence[str]) -> Mapping[str, Sequence[str]]:
        groups: dict[str, list[str]] = {}
        for phrase, error_type in self.assign_types((), keyphrases).items():
            groups.setdefault(error_type, []).append(phrase)
        return groups

    def assign_types(self, types: Sequence[str], keyphrases: Sequence[str]) -> Mapping[str, str]:
        # The analyst wrote each of its keyphrases under a type; phrases it did not write are
        # left out (the pipeline groups them deterministically).
        return {phrase: self._types[phrase] for phrase in keyphrases if phrase in self._types}

    def synthesize(self, request: SynthesisRequest) -> list[SynthesizedProblem]:
        if any(is_gym_problem(case.problem) for case in request.examples):
            return draw_gym_problems(
                request.examples,
                request.n,
                attempt=request.attempt,
                seed=self.seed,
                instructor=self.name,
            )
        name = request.error_type.name
        rng = random.Random(f"{self.seed}\x1f{name}\x1f{request.attempt}")
        extra = 1 if request.attempt >= ATTEMPTS_BEFORE_LONGER else 0
        seeds = [s for s in (parse_question(c.problem.question) for c in request.examples) if s]
        problems: list[SynthesizedProblem] = []
        for index in range(request.n if seeds else 0):
            structure = make_problem(name, seeds[index % len(seeds)], rng, extra)
            problems.append(
                SynthesizedProblem(
                    id=f"builtin-{request.attempt}-{index}",
                    error_type=name,
                    question=write_question(structure),
                    solution=write_solution(structure),
                    answer=format_number(Fraction(structure.value)),
                    meta={"task": task_of(structure), "instructor": self.name},
                )
            )
        return problems
