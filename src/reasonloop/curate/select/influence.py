"""Influence of pool examples on a target: cosines with the target's gradient features.

Features are unit vectors, so a dot product is a cosine. Following LESS, the influence of
an example is its mean cosine with the target examples of one subtask, maxed over
subtasks (an example that helps one subtask a lot is worth keeping even if it does nothing
for the others), and summed over checkpoints when several are used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


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


def sum_over_checkpoints(scores: Sequence[Any]) -> Any:
    """Influences from several checkpoints, summed (LESS weights them by learning rate)."""
    import numpy as np

    return np.sum(np.stack([np.asarray(s, dtype=np.float64) for s in scores]), axis=0)
