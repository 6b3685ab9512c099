"""Self-Error-Instruct on one run: bad cases -> keyphrases -> error types -> new problems ->
one-shot filter -> a kept set in TRL's SFT format.

Everything is written under the output directory (see `write_outputs`); the model calls behind
it are cached there, so re-running the same command resumes instead of asking again.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reasonloop.curate.synthesize.bad_cases import BAD_LEVELS, collect_bad_cases
from reasonloop.curate.synthesize.error_types import (
    group_with_instructor,
    tag_cases,
    unique_keyphrases,
)
from reasonloop.curate.synthesize.filters import (
    ROUGE_THRESHOLD,
    UNGRADABLE,
    WRONG_SOLUTION,
    NoveltyFilter,
)
from reasonloop.curate.synthesize.instructor import Instructor
from reasonloop.curate.synthesize.one_shot import DemoScorer, score_one_shot, select_kept
from reasonloop.curate.synthesize.records import (
    BadCase,
    CaseKeyphrases,
    ErrorType,
    OneShotScore,
    SynthesizedProblem,
)
from reasonloop.curate.synthesize.synthesis import (
    MAX_ATTEMPTS,
    allocate_quotas,
    synthesize_problems,
)
from reasonloop.dataset.pool import assistant_turn
from reasonloop.errors import ConfigError
from reasonloop.prompts import PromptTemplate
from reasonloop.sample.reopen import run_fingerprint
from reasonloop.sample.store import RunStore
from reasonloop.tasks.problem import Problem

ScorerFactory = Callable[[PromptTemplate], DemoScorer]


@dataclass(frozen=True)
class SynthesisConfig:
    """Knobs of one synthesis pass (defaults follow SEI where it states them)."""

    budget: int = 32
    levels: tuple[str, ...] = BAD_LEVELS
    rouge_threshold: float = ROUGE_THRESHOLD
    keep: str = "gain"
    dev_size: int = 16
    max_attempts: int = MAX_ATTEMPTS
    seed: int = 0

    def __post_init__(self) -> None:
        if self.budget < 1:
            raise ConfigError(f"--budget must be at least 1 problem, got {self.budget}")
        if self.dev_size < 1:
            raise ConfigError(f"the dev set needs at least 1 problem, got {self.dev_size}")
        select_kept([], 0.0, self.keep)  # an unknown keep rule fails here, before any work
        if not 0.0 < self.rouge_threshold <= 1.0:
            raise ConfigError(
                f"the ROUGE-L threshold must be in (0, 1], got {self.rouge_threshold}"
            )


@dataclass(frozen=True)
class SynthesisResult:
    """What one pass found, made and kept."""

    bad_cases: tuple[BadCase, ...]
    keyphrases: tuple[CaseKeyphrases, ...]
    types: tuple[ErrorType, ...]
    quotas: Mapping[str, int]
    problems: tuple[SynthesizedProblem, ...]
    scores: tuple[OneShotScore, ...]
    kept_rows: tuple[dict[str, Any], ...]
    dev: tuple[Problem, ...]
    dropped: Mapping[str, int] = field(default_factory=dict)
    malformed: Mapping[str, int] = field(default_factory=dict)

    @property
    def offered(self) -> int:
        """Candidate problems the instructor wrote (accepted or dropped by the filter)."""
        return len(self.problems) + sum(self.dropped.values())

    @property
    def gradable_share(self) -> float:
        """Share of candidates with an answer the verifier reads and a solution reaching it."""
        bad = self.dropped.get(UNGRADABLE, 0) + self.dropped.get(WRONG_SOLUTION, 0)
        return 1.0 - bad / self.offered if self.offered else 0.0

    @property
    def kept_share(self) -> float:
        """Share of accepted problems the one-shot filter kept."""
        return len(self.kept_rows) / len(self.problems) if self.problems else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "bad_cases": len(self.bad_cases),
            "keyphrases": len(unique_keyphrases(self.keyphrases)),
            "error_types": len(self.types),
            "quotas": dict(self.quotas),
            "offered": self.offered,
            "accepted": len(self.problems),
            "kept": len(self.kept_rows),
            "gradable_share": self.gradable_share,
            "kept_share": self.kept_share,
            "dropped": dict(self.dropped),
            "malformed_replies": dict(self.malformed),
            "dev_problems": len(self.dev),
            "zero_shot_dev_score": self.scores[0].baseline if self.scores else None,
        }


def synthesize_run(
    run_dir: str | Path,
    instructor: Instructor,
    make_scorer: ScorerFactory,
    config: SynthesisConfig | None = None,
    *,
    tests: Sequence[Problem] = (),
    progress: bool = False,
) -> SynthesisResult:
    """One SEI pass over the run in `run_dir` (nothing is written; see `write_outputs`)."""
    config = config or SynthesisConfig()
    with RunStore.open_existing(run_dir) as store:
        cases = collect_bad_cases(store, levels=config.levels)
        template = run_fingerprint(store).template
        dev = choose_dev(store, {c.problem.id for c in cases}, config.dev_size, config.seed)
    if not cases:
        raise ConfigError(
            f"{run_dir} has no bad cases at levels {', '.join(config.levels)}: nothing to learn "
            "from errors (sample more problems, or include more levels)"
        )
    described = instructor.describe_errors(cases)
    if not described:
        raise ConfigError(
            f"the instructor {instructor.name!r} described none of the {len(cases)} bad cases "
            f"(malformed replies: {dict(instructor.malformed) or 0}); the builtin instructor "
            "knows only the built-in tasks and reasoning-gym (rg:) tasks, use --instructor MODEL "
            "for others"
        )
    groups = group_with_instructor(instructor, unique_keyphrases(described))
    types = tag_cases(described, groups)
    quotas = allocate_quotas({t.name: t.count for t in types}, config.budget)
    novelty = NoveltyFilter.from_texts(
        [c.problem.question for c in cases], [t.question for t in tests], config.rouge_threshold
    )
    problems = synthesize_problems(
        instructor,
        types,
        cases,
        quotas,
        novelty,
        max_attempts=config.max_attempts,
        progress=progress,
    )
    scores = (
        score_one_shot(problems, dev, make_scorer(template), template, keep=config.keep)
        if problems
        else []
    )
    kept_ids = {s.problem_id for s in scores if s.kept}
    rows = tuple(sft_row(p, template) for p in problems if p.id in kept_ids)
    return SynthesisResult(
        bad_cases=tuple(cases),
        keyphrases=tuple(described),
        types=tuple(types),
        quotas=quotas,
        problems=tuple(problems),
        scores=tuple(scores),
        kept_rows=rows,
        dev=tuple(dev),
        dropped=dict(novelty.dropped),
        malformed=dict(Counter(instructor.malformed)),
    )


def choose_dev(store: RunStore, bad_ids: set[str], size: int, seed: int) -> list[Problem]:
    """A dev set of bad and good cases: half (rounded up) bad ones, the rest solved ones.

    A side with too few problems is filled from the other. The choice is seeded.
    """
    sampled = set(store.samples_by_problem())
    problems = [p for p in store.problems() if p.id in sampled]
    rng = random.Random(seed)
    bad = [p for p in problems if p.id in bad_ids]
    good = [p for p in problems if p.id not in bad_ids]
    rng.shuffle(bad)
    rng.shuffle(good)
    n_bad = min(len(bad), max(size - len(good), (size + 1) // 2))
    return bad[:n_bad] + good[: size - n_bad]


def sft_row(problem: SynthesizedProblem, template: PromptTemplate) -> dict[str, Any]:
    """A kept problem as `reasonloop build sft` writes rows: prompt / completion (+ ids)."""
    return {
        "prompt": template.render(problem.as_problem()),
        "completion": assistant_turn(problem.solution),
        "problem_id": problem.id,
        "error_type": problem.error_type,
    }
