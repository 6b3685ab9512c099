"""STaR rationalization: solutions for the problems that no sample solved.

For each such problem the model is asked again with the gold answer given as a hint. The
responses that the verifier accepts are kept as training data, attached to the problem's
ordinary hint-free prompt, so the model learns to reach the answer without being told it
(Zelikman et al., 2022). A verified response that talks about the hint, or that shows no
working that computes the answer (it merely restates the hint), is dropped and counted
(`curate.working`): it would teach the model to cite a hint that will never be there, or to
state a number without reasoning.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from reasonloop.backends.base import Sampler, SamplingParams
from reasonloop.curate.working import screen_rationale
from reasonloop.prompts import PromptTemplate
from reasonloop.sample.draw import sample_problems
from reasonloop.sample.fingerprint import RunFingerprint, SamplerSpec
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.record import GradedSample
from reasonloop.sample.store import RunStore
from reasonloop.tasks import Problem

if TYPE_CHECKING:
    pass

HINT = "\n(Hint: the correct answer is {gold}.)"


def unsolved_problems(
    problems: Sequence[Problem], samples_by_problem: Mapping[str, Sequence[GradedSample]]
) -> list[Problem]:
    """The problems none of whose samples is correct."""
    return [p for p in problems if not any(s.correct for s in samples_by_problem.get(p.id, ()))]


def with_hint(problem: Problem) -> Problem:
    """
    >>> with_hint(Problem("p", "What is 2 + 3?", "5")).question
    'What is 2 + 3?\\n(Hint: the correct answer is 5.)'
    """
    return replace(problem, question=problem.question + HINT.format(gold=problem.gold))


def rationalize(
    problems: Sequence[Problem],
    sampler: Sampler,
    spec: SamplerSpec,
    params: SamplingParams,
    run_dir: Path,
    settings: DrawSettings,
    *,
    k: int,
) -> dict[str, list[GradedSample]]:
    """`k` hinted samples per problem into `run_dir`; the verified ones, hint-free.

    Pass the unsolved problems (`unsolved_problems`). Resumable like any run directory; drawn
    with `settings` (its judge aside: a rationale counts only where the rule verifies it).
    """
    fingerprint = RunFingerprint.for_sampler(
        "rationale", sampler, spec, settings.template, params, hint=HINT
    )
    with RunStore.open(run_dir, fingerprint) as store:
        hinted = [with_hint(p) for p in problems]
        sample_problems(
            hinted,
            sampler,
            params,
            store,
            k=k,
            settings=replace(settings, judge=None),
        )
    return read_rationales(problems, settings.template, run_dir)


def read_rationales(
    problems: Sequence[Problem], template: PromptTemplate, run_dir: Path
) -> dict[str, list[GradedSample]]:
    """The accepted rationales stored in `run_dir`, each with its hint-free prompt."""
    stored = _stored(problems, run_dir)
    prompts = {p.id: template.render(p) for p in problems}
    golds = {p.id: p.gold for p in problems}
    return {
        pid: [replace(s, prompt=prompts[pid]) for s in group if usable(s, golds[pid])]
        for pid, group in stored.items()
    }


def count_dropped_rationales(problems: Sequence[Problem], run_dir: Path) -> dict[str, int]:
    """How many verified rationales in `run_dir` were dropped, per reason."""
    golds = {p.id: p.gold for p in problems}
    reasons = Counter(
        screen_rationale(s.response, golds[pid])
        for pid, group in _stored(problems, run_dir).items()
        for s in group
        if s.correct
    )
    return {reason: n for reason, n in reasons.items() if reason is not None}


def usable(sample: GradedSample, gold: str) -> bool:
    """A verified rationale that shows working and does not talk about the hint."""
    return sample.correct and screen_rationale(sample.response, gold) is None


def _stored(problems: Sequence[Problem], run_dir: Path) -> dict[str, list[GradedSample]]:
    if not (run_dir / "samples.sqlite").is_file():
        return {}
    wanted = {p.id for p in problems}
    with RunStore.open_existing(run_dir) as store:
        return {pid: g for pid, g in store.samples_by_problem().items() if pid in wanted}
