"""Rewards: TRL-signature reward functions, and the scores they are built from.

- `rule`: the verifier's reward (`math_reward`, `HybridMathReward`, verl's `compute_score`).
- `aggregate`: one number per response from its step scores (min, product, mean, last,
  geometric mean).
- `step_scores`: rows in, rows out: each response scored step by step by a `StepScorer`.
- `prm`: `PRMScorer`, step scores from a trained process reward model, cached by content.
- `pure`: `PRMReward`, a GRPO reward from PRM step scores with PURE's min-form credit.

`from reasonloop.rewards import math_reward` (and the other rule names) keeps working: they
are re-exported here. Only `rule` is imported eagerly; it needs no torch.
"""

from __future__ import annotations

from reasonloop.rewards.rule import (
    GYM_COLUMN,
    HybridMathReward,
    completion_text,
    compute_score,
    gym_problem_column,
    math_reward,
    to_rewards,
)

__all__ = [
    "GYM_COLUMN",
    "HybridMathReward",
    "completion_text",
    "compute_score",
    "gym_problem_column",
    "math_reward",
    "to_rewards",
]
