"""Rollout batches: every pending rollout once, within the size, one budget a batch."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reasonloop.sample.record import GradedSample
from reasonloop.steps.plan import PendingRollout, batch_rollouts
from reasonloop.verify.verdict import Status

SAMPLES = [
    GradedSample("p", i, [], "a\nb\nc\nd", False, Status.INCORRECT, None, 1, 4, "stop", 0.0)
    for i in range(3)
]


@given(
    st.lists(
        st.tuples(
            st.integers(0, 2),
            st.sampled_from((2, 4, 6)),
            st.integers(0, 6),
            st.sampled_from((8, 16)),
        ),
        unique_by=lambda t: t[:3],
    ),
    st.integers(1, 9),
)
def test_batches_hold_every_rollout_once(keys: list[tuple[int, int, int, int]], size: int) -> None:
    pending = [PendingRollout(SAMPLES[s], end, r, 0, budget) for s, end, r, budget in keys]
    batches = batch_rollouts(pending, size)
    assert sorted(p.key for b in batches for p in b) == sorted(p.key for p in pending)
    assert all(0 < len(b) <= size for b in batches)
    assert all(len({p.max_new_tokens for p in b}) == 1 for b in batches)
