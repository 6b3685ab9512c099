"""The one-shot filter: keep the synthesized examples that help the target model.

Each synthesized problem, with its worked solution, is put in front of every dev problem as a
one-shot demonstration; the target model's dev score with it is compared with its zero-shot
score. Two scores exist:

- `AccuracyScorer` (SEI's): greedy answers from any backend, graded by each dev problem's
  grader (the verifier, or reasoning-gym's scorer for its word tasks); the dev score is the
  share answered correctly;
- `LikelihoodScorer`: the mean log-probability the model gives to "The answer is <gold>." after
  the prompt (a transformers model). It needs no generation and still ranks demonstrations
  when the model answers almost nothing right, which is where a weak model starts.

Keep rules: `gain` keeps the examples that beat zero-shot, `top:F` the best fraction F
(SEI keeps the top 20%).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

from tqdm import tqdm

from reasonloop.backends.base import Conversation, Sampler, SamplingParams
from reasonloop.curate.synthesize.cache import ReplyCache
from reasonloop.curate.synthesize.records import OneShotScore, SynthesizedProblem
from reasonloop.errors import ConfigError
from reasonloop.prompts import PromptTemplate
from reasonloop.sample.graders import grade_responses
from reasonloop.tasks.problem import Problem

KEEP_RULES = ("gain", "top:F")


class DemoScorer(Protocol):
    """Dev score of a model for each prompt prefix (`[]` is zero-shot)."""

    def score(self, prefixes: Sequence[Conversation], dev: Sequence[Problem]) -> list[float]: ...


def demonstration(problem: SynthesizedProblem, template: PromptTemplate) -> Conversation:
    """The user turn and assistant turn a synthesized problem contributes as a demonstration."""
    user = template.render(problem.as_problem())[-1]
    return [dict(user), {"role": "assistant", "content": problem.solution}]


def with_prefix(prefix: Conversation, problem: Problem, template: PromptTemplate) -> Conversation:
    """The prompt for `problem` with `prefix` turns after the system message (if any)."""
    rendered = template.render(problem)
    system, question = rendered[:-1], rendered[-1]
    return [*system, *[dict(turn) for turn in prefix], question]


def score_one_shot(
    problems: Sequence[SynthesizedProblem],
    dev: Sequence[Problem],
    scorer: DemoScorer,
    template: PromptTemplate,
    *,
    keep: str = "gain",
) -> list[OneShotScore]:
    """Score every problem as a demonstration against the zero-shot baseline, then apply `keep`."""
    if not dev:
        raise ConfigError("the one-shot filter needs at least one dev problem")
    prefixes: list[Conversation] = [[]] + [demonstration(p, template) for p in problems]
    scores = scorer.score(prefixes, dev)
    baseline, demo_scores = scores[0], scores[1:]
    kept = select_kept(demo_scores, baseline, keep)
    return [
        OneShotScore(p.id, s, baseline, k)
        for p, s, k in zip(problems, demo_scores, kept, strict=True)
    ]


def select_kept(scores: Sequence[float], baseline: float, rule: str) -> list[bool]:
    """Which scores the rule keeps.

    >>> select_kept([0.2, 0.5, 0.1, 0.4], 0.3, "gain")
    [False, True, False, True]
    >>> select_kept([0.2, 0.5, 0.1, 0.4], 0.3, "top:0.25")
    [False, True, False, False]
    """
    if rule == "gain":
        return [s > baseline for s in scores]
    name, _, value = rule.partition(":")
    try:
        fraction = float(value)
    except ValueError:
        fraction = -1.0
    if name != "top" or not 0.0 < fraction <= 1.0:
        raise ConfigError(f"unknown keep rule {rule!r}; use 'gain' or 'top:F' with 0 < F <= 1")
    n_keep = math.ceil(fraction * len(scores))
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    chosen = set(order[:n_keep])
    return [i in chosen for i in range(len(scores))]


class AccuracyScorer:
    """Share of dev problems the model answers correctly (greedy, verified) after a prefix."""

    def __init__(
        self,
        sampler: Sampler,
        template: PromptTemplate,
        cache: ReplyCache,
        *,
        max_new_tokens: int = 128,
        batch_size: int = 16,
        progress: bool = False,
    ) -> None:
        self.sampler, self.template, self.cache = sampler, template, cache
        self.params = SamplingParams(max_new_tokens=max_new_tokens, temperature=0.0)
        self.batch_size, self.progress = batch_size, progress

    def score(self, prefixes: Sequence[Conversation], dev: Sequence[Problem]) -> list[float]:
        pairs = [(prefix, problem) for prefix in prefixes for problem in dev]
        correct: list[bool] = []
        for start in tqdm(
            range(0, len(pairs), self.batch_size),
            desc="score one-shot prompts",
            unit="batch",
            disable=not self.progress,
        ):
            batch = pairs[start : start + self.batch_size]
            prompts = [with_prefix(prefix, problem, self.template) for prefix, problem in batch]
            replies = self.cache.generate(self.sampler, prompts, self.params)
            verdicts = grade_responses(replies, [problem for _, problem in batch], workers=0)
            correct += [verdict.correct for verdict in verdicts]
        n = len(dev)
        return [sum(correct[i * n : (i + 1) * n]) / n for i in range(len(prefixes))]
