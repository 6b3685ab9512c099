"""STaR rationalization: solutions for the problems that no sample solved.

For each such problem the model is asked again with the gold answer given as a hint. The
responses that the verifier accepts are kept as training data, attached to the problem's
ordinary hint-free prompt, so the model learns to reach the answer without being told it
(Zelikman et al., 2022). A response that talks about the hint is dropped: it would teach
the model to cite a hint that will never be there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from reasonloop.backends.base import Sampler, SamplingParams
from reasonloop.loop.config import LoopConfig, sample_fingerprint
from reasonloop.prompts import PromptTemplate
from reasonloop.sample.draw import sample_problems
from reasonloop.sample.record import GradedSample
from reasonloop.sample.store import RunStore
from reasonloop.tasks import Problem

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
    template: PromptTemplate,
    config: LoopConfig,
    run_dir: Path,
    *,
    progress: bool,
) -> dict[str, list[GradedSample]]:
    """`sampling.rationalize` hinted samples per problem; the verified ones, hint-free."""
    s = config.sampling
    params = SamplingParams(s.max_new_tokens, s.temperature, s.top_p, seed=config.seed)
    fingerprint = {
        **sample_fingerprint(config, sampler.model_id, template.fingerprint()),
        "kind": "rationale",
        "hint": HINT,
    }
    options: dict[str, Any] = {"template": template, "batch_size": s.batch_size}
    with RunStore.open(run_dir, fingerprint) as store:
        hinted = [with_hint(p) for p in problems]
        sample_problems(
            hinted, sampler, params, store, k=s.rationalize, progress=progress, **options
        )
    return read_rationales(problems, template, run_dir)


def read_rationales(
    problems: Sequence[Problem], template: PromptTemplate, run_dir: Path
) -> dict[str, list[GradedSample]]:
    """The accepted rationales stored in `run_dir`, each with its hint-free prompt."""
    if not (run_dir / "samples.sqlite").is_file():
        return {}
    with RunStore.open_existing(run_dir) as store:
        stored = store.samples_by_problem()
    prompts = {p.id: template.render(p) for p in problems}
    return {
        pid: [replace(s, prompt=prompts[pid]) for s in group if usable(s)]
        for pid, group in stored.items()
        if pid in prompts
    }


def usable(sample: GradedSample) -> bool:
    return sample.correct and "hint" not in sample.response.lower()
