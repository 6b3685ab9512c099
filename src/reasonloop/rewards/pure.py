"""A GRPO reward from a process reward model, with PURE's min-form credit.

PURE (Cheng et al., "Stop Summation: Min-Form Credit Assignment Is All Process Reward Model
Needs for Reasoning", NeurIPS 2025): RL on a PRM's step rewards collapses when the return
is their sum, because the policy learns to write more (or safer-looking) steps, each worth a
little reward. PURE takes the minimum of the future step rewards instead, approximated by
re-weighting the step rewards with a softmax of their negatives at temperature 0.1:

    min-form value = sum_i softmax(-r / T)_i * r_i    (T = 0.1: close to min_i r_i)
    sum-form value = sum_i r_i                          (the baseline that gets gamed)

where r_i is the PRM's P(step i is right). Either may add the verifiable reward (the rule
verifier's 1.0 / 0.0), as PURE does against reward hacking.

TRL's GRPO gives one advantage per sequence, not one per token: every token of a response
gets the same credit, the value of the whole response. PURE's token-level returns (each
token credited with the minimum over the steps from its own onward) are lost: a right step
before the first wrong one is blamed as much as the wrong step itself. What is kept is the
min-form value of the whole response, which is the return of its first token; the property
PURE needs against hacking holds for it: extra steps cannot raise a minimum.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal, get_args

from reasonloop.errors import ConfigError
from reasonloop.rewards.rule import completion_text, math_reward
from reasonloop.rewards.step_scores import StepScorer
from reasonloop.steps.split import split_steps

Credit = Literal["min", "sum"]
CREDITS: tuple[Credit, ...] = get_args(Credit)
TEMPERATURE = 0.1  # PURE's choice: the softmax is then nearly the minimum


def min_form(rewards: Sequence[float], temperature: float = TEMPERATURE) -> float:
    """PURE's soft minimum: step rewards weighted by softmax(-r / T).

    >>> round(min_form([0.9, 0.1, 0.8]), 3)
    0.101
    >>> round(min_form([0.5, 0.5]), 3)
    0.5
    """
    if not rewards:
        raise ValueError("a response without steps has no min-form value")
    low = min(rewards)  # shifted by the minimum so exp() cannot overflow
    weights = [math.exp(-(r - low) / temperature) for r in rewards]
    return math.fsum(w * r for w, r in zip(weights, rewards, strict=True)) / math.fsum(weights)


def sum_form(rewards: Sequence[float]) -> float:
    """The sum of the step rewards: grows with every extra step that looks right.

    >>> sum_form([0.9, 0.1, 0.8])
    1.8
    """
    return math.fsum(rewards)


class PRMReward:
    """A TRL reward: the PRM's step scores of each completion, credited by `credit`, plus
    the verifiable reward when `verifiable`. `last_steps` holds the step counts of the last
    call (for logging how long responses grow)."""

    def __init__(
        self,
        scorer: StepScorer,
        *,
        credit: Credit = "min",
        verifiable: bool = True,
        temperature: float = TEMPERATURE,
    ) -> None:
        if credit not in CREDITS:
            raise ConfigError(f"credit must be one of {', '.join(CREDITS)}, got {credit!r}")
        self.scorer = scorer
        self.credit = credit
        self.verifiable = verifiable
        self.temperature = temperature
        self.last_steps: list[int] = []
        # TRL logs each reward under its function's name.
        self.__name__ = f"prm_{credit}" + ("_plus_verifier" if verifiable else "")

    def __call__(
        self,
        completions: Sequence[Any],
        solution: Sequence[str] | None = None,
        prompts: Sequence[Any] | None = None,
        **kwargs: Any,
    ) -> list[float | None]:
        texts = [completion_text(c) for c in completions]
        steps = [_steps(text) for text in texts]
        questions = list(prompts) if prompts is not None else [""] * len(texts)
        scores = self.scorer.score_steps(list(zip(questions, steps, strict=True)))
        self.last_steps = [len(s) for s in steps]
        values = [self.value(step_scores) for step_scores in scores]
        if not self.verifiable:
            return list(values)
        if solution is None:
            raise ConfigError("the verifiable part of the PRM reward needs a `solution` column")
        checks = math_reward(completions, solution)
        return [None if c is None else v + c for v, c in zip(values, checks, strict=True)]

    def value(self, step_scores: Sequence[float]) -> float:
        if self.credit == "min":
            return min_form(step_scores, self.temperature)
        return sum_form(step_scores)


def _steps(text: str) -> tuple[str, ...]:
    split = split_steps(text)
    steps = tuple(split.text(i) for i in range(len(split.steps)))
    return steps or ("",)  # an empty completion is one empty step, scored like any other


def steps_per_response(completions: Sequence[Any], **kwargs: Any) -> list[float | None]:
    """The number of steps of each completion, as a TRL "reward" of weight 0: GRPO then logs
    it over training (`rewards/steps_per_response/mean`) without training on it, which is how
    a sum-form reward being gamed by more steps shows."""
    return [float(len(_steps(completion_text(c)))) for c in completions]
