"""Influence of pool examples on a target: cosines with the target's gradient features.

Features are unit vectors, so a dot product is a cosine. Following LESS, the influence of
an example is its mean cosine with the target examples of one subtask, maxed over
subtasks (an example that helps one subtask a lot is worth keeping even if it does nothing
for the others), and summed over warm-up checkpoints when several are used (weighted by
learning rate: `sum_over_checkpoints`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reasonloop.errors import DataError


def influence_scores(pool: Any, target: Any, subtasks: Sequence[str] | None = None) -> Any:
    """(n,) influences of `pool` (n, d) rows on `target` (m, d) rows grouped by `subtasks`.

    >>> import numpy as np
    >>> pool = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> target = np.array([[1.0, 0.0], [0.6, 0.8]])
    >>> influence_scores(pool, target).round(2).tolist()
    [0.8, 0.4]
    >>> influence_scores(pool, target, ["a", "b"]).round(2).tolist()
    [1.0, 0.8]
    """
    import numpy as np

    cosines = np.asarray(pool, dtype=np.float64) @ np.asarray(target, dtype=np.float64).T
    groups = list(subtasks) if subtasks is not None else ["target"] * cosines.shape[1]
    names = sorted(set(groups))
    per_subtask = [
        cosines[:, [i for i, g in enumerate(groups) if g == name]].mean(axis=1) for name in names
    ]
    return np.max(np.stack(per_subtask), axis=0)


def sum_over_checkpoints(scores: Sequence[Any], learning_rates: Sequence[float | None]) -> Any:
    """Influences at several warm-up checkpoints, summed with learning-rate weights.

    LESS sums eta_c x influence_c, eta_c being the mean learning rate of the warm-up steps
    that led to checkpoint c: steps with a larger rate moved the model further along that
    checkpoint's gradients. The weights here are eta_c / sum(eta), LESS's divided by one
    positive factor shared by every example, so no ranking changes (the top-p, the bandit's
    mean + std), while an influence stays a weighted mean of cosines in [-1, 1] whatever C:
    UCB1's exploration term assumes rewards on that scale (raw rates of ~1e-4 would make it
    explore only), and a lone checkpoint's influence is exactly its cosine score.

    >>> sum_over_checkpoints([[0.5, 1.0], [0.1, -1.0]], [3e-4, 1e-4]).round(3).tolist()
    [0.4, 0.5]
    >>> sum_over_checkpoints([[0.5, 1.0]], [None]).tolist()
    [0.5, 1.0]
    """
    import numpy as np

    stacked = np.stack([np.asarray(s, dtype=np.float64) for s in scores])
    if len(stacked) == 1:
        return stacked[0]
    rates = np.asarray(learning_rates, dtype=np.float64)
    if not np.all(rates > 0):
        raise DataError(f"checkpoint learning rates must be positive to weight, got {rates}")
    return (rates / rates.sum()) @ stacked
