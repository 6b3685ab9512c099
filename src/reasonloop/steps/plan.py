"""Plan step values: which samples and step prefixes to value, and the rollouts still to draw.

Pure and deterministic: each (sample, prefix, rollout) has its own seed, so the plan of a
resumed run draws exactly the rollouts an uninterrupted run would have drawn.

Which steps get rollouts: every step but the last. The prefix through the last step is the
whole response, so its value is the response's own verdict and no rollout is spent on it.
`max_steps` values at most the first that many steps of a sample.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from reasonloop.backends.base import Conversation
from reasonloop.errors import ConfigError
from reasonloop.sample.record import GradedSample
from reasonloop.steps.rollouts import RolloutKey
from reasonloop.steps.split import SplitRule, StepSplit, split_steps

DEFAULT_K = 5


@dataclass(frozen=True)
class ValueSettings:
    """What to value and at what cost: K rollouts a prefix, the samples (incorrect ones, and
    correct ones when `include_correct`), at most `max_steps` steps a sample (None: all), the
    step split rule, and the token budget of a rollout (None: the sample's own budget)."""

    k: int = DEFAULT_K
    max_steps: int | None = None
    include_correct: bool = False
    split_rule: SplitRule = "default"
    max_new_tokens: int | None = None

    def __post_init__(self) -> None:
        if self.k < 1:
            raise ConfigError(f"k must be >= 1 rollouts per step prefix, got {self.k}")
        if self.max_steps is not None and self.max_steps < 1:
            raise ConfigError(f"max steps must be >= 1 (or unset for all), got {self.max_steps}")


@dataclass(frozen=True)
class SamplePlan:
    """One sample to value: its steps, how many are valued, how many of those by rollouts."""

    sample: GradedSample
    split: StepSplit
    n_valued: int
    n_rolled: int
    max_new_tokens: int


@dataclass(frozen=True)
class PendingRollout:
    """One rollout still to draw: a continuation of `sample`'s response up to `prefix_end`."""

    sample: GradedSample
    prefix_end: int
    rollout: int
    seed: int
    max_new_tokens: int

    @property
    def key(self) -> RolloutKey:
        return (self.sample.problem_id, self.sample.sample_index, self.prefix_end, self.rollout)

    @property
    def prefix(self) -> str:
        return self.sample.response[: self.prefix_end]

    def conversation(self) -> Conversation:
        """The sample's prompt with the prefix as a partial assistant turn, to be continued."""
        return [*self.sample.prompt, {"role": "assistant", "content": self.prefix}]


def plan_samples(
    samples: Sequence[GradedSample], settings: ValueSettings, default_budget: int
) -> list[SamplePlan]:
    """The samples to value (incorrect ones; correct ones too when asked), in store order.

    >>> from reasonloop.verify.verdict import Status
    >>> wrong = GradedSample("p", 0, [], "a\\nb\\nc", False, Status.INCORRECT, "1", 1, 3,
    ...                      "stop", 0.0)
    >>> plan = plan_samples([wrong], ValueSettings(max_steps=2), 64)[0]
    >>> (len(plan.split.steps), plan.n_valued, plan.n_rolled)
    (3, 2, 2)
    """
    plans = []
    for sample in samples:
        if sample.correct and not settings.include_correct:
            continue
        split = split_steps(sample.response, settings.split_rule)
        n_steps = len(split.steps)
        n_valued = n_steps if settings.max_steps is None else min(n_steps, settings.max_steps)
        budget = settings.max_new_tokens or sample.max_new_tokens or default_budget
        plans.append(SamplePlan(sample, split, n_valued, min(n_valued, n_steps - 1), budget))
    return plans


def plan_rollouts(
    plans: Sequence[SamplePlan], k: int, seed: int, stored: Collection[RolloutKey]
) -> list[PendingRollout]:
    """The rollouts of `plans` not in `stored`, a sample's prefixes in order, K a prefix."""
    pending = []
    for plan in plans:
        sample = plan.sample
        for step in plan.split.steps[: plan.n_rolled]:
            for rollout in range(k):
                key = (sample.problem_id, sample.sample_index, step.end, rollout)
                if key not in stored:
                    pending.append(
                        PendingRollout(
                            sample, step.end, rollout, rollout_seed(seed, *key), plan.max_new_tokens
                        )
                    )
    return pending


def batch_rollouts(
    pending: Sequence[PendingRollout], batch_size: int
) -> list[list[PendingRollout]]:
    """Cut `pending` into batches of at most `batch_size` rollouts that share a token budget,
    each prefix's rollouts kept together where they fit: an engine that draws the repeats of
    one prompt as hypotheses of one sequence (the CPU engine) encodes it once.

    >>> from reasonloop.verify.verdict import Status
    >>> s = GradedSample("p", 0, [], "a\\nb\\nc", False, Status.INCORRECT, "1", 1, 3, "stop", 0.0)
    >>> pending = [PendingRollout(s, end, r, 0, 8) for end in (2, 4) for r in range(3)]
    >>> [[(p.prefix_end, p.rollout) for p in batch] for batch in batch_rollouts(pending, 4)]
    [[(2, 0), (2, 1), (2, 2)], [(4, 0), (4, 1), (4, 2)]]
    >>> [len(batch) for batch in batch_rollouts(pending, 6)]
    [6]
    """
    if batch_size < 1:
        raise ConfigError(f"batch size must be >= 1, got {batch_size}")
    # One group a prefix, grouped by token budget (a batch is generated with one budget).
    by_budget: dict[int, dict[RolloutKey, list[PendingRollout]]] = {}
    for item in pending:
        groups = by_budget.setdefault(item.max_new_tokens, {})
        groups.setdefault((*item.key[:3], 0), []).append(item)
    batches: list[list[PendingRollout]] = []
    for groups in by_budget.values():
        batch: list[PendingRollout] = []
        for group in groups.values():
            if batch and len(batch) + len(group) > batch_size:
                batches.append(batch)
                batch = []
            for i in range(0, len(group), batch_size):
                batch += group[i : i + batch_size]
                if len(batch) >= batch_size:
                    batches.append(batch)
                    batch = []
        if batch:
            batches.append(batch)
    return batches


def rollout_seed(
    seed: int, problem_id: str, sample_index: int, prefix_end: int, rollout: int
) -> int:
    """The 31-bit seed of one rollout: a function of the run seed and the rollout's key.

    >>> rollout_seed(0, "p", 0, 10, 0) == rollout_seed(0, "p", 0, 10, 0)
    True
    >>> rollout_seed(0, "p", 0, 10, 0) != rollout_seed(0, "p", 0, 10, 1)
    True
    """
    # \x1f joins: a problem id may hold any printable character
    text = "\x1f".join(map(str, ("rollout", seed, problem_id, sample_index, prefix_end, rollout)))
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF
