"""First-pit selection, table-driven: ties, no drop, a drop at the first step."""

from __future__ import annotations

import pytest

from reasonloop.steps.pits import FirstPit, find_first_pit

CASES = [
    # (values a step, the last one the verdict; value before the first step) -> pit
    ([1.0, 0.0, 0.0], None, FirstPit(1, "pit")),  # hard values: the first step at 0
    ([1.0, 1.0, 0.0, 0.0, 0.0], 1.0, FirstPit(2, "pit")),  # ties: the first of them
    ([0.8, 0.4, 0.0, 0.0, 0.0], None, FirstPit(2, "pit")),  # soft: a fall is not yet the pit
    ([0.6, 0.2, 0.4, 0.2, 0.0], None, FirstPit(None, "drops_only_at_the_answer")),
    ([1.0, 0.6, 0.2], 1.0, FirstPit(None, "drops_only_at_the_answer")),  # never to 0 before
    ([1.0, 1.0, 1.0, 0.0], 1.0, FirstPit(None, "drops_only_at_the_answer")),  # final line only
    ([0.0], 1.0, FirstPit(None, "drops_only_at_the_answer")),  # one step: it is the answer
    ([0.0, 0.0, 0.0], 1.0, FirstPit(0, "pit")),  # a drop at the first step
    ([0.0, 0.0, 0.0], 0.5, FirstPit(0, "pit")),  # (soft start)
    ([0.0, 0.0, 0.0], None, FirstPit(None, "never_rises")),  # no value ever above 0
    ([0.0, 0.0, 0.0], 0.0, FirstPit(None, "never_rises")),  # the problem out of reach
    ([0.0, 1.0, 0.0], None, FirstPit(None, "never_rises")),  # at 0 first: nothing before it
    ([1.0, 0.0, None, None], 1.0, FirstPit(1, "pit")),  # --max-steps: the verdict unvalued
    ([1.0, 1.0, None, None], 1.0, FirstPit(None, "never_drops")),
    ([None, None, None], 1.0, FirstPit(None, "not_valued")),
    ([], None, FirstPit(None, "not_valued")),
]


@pytest.mark.parametrize(("values", "start", "expected"), CASES)
def test_first_pit(values: list[float | None], start: float | None, expected: FirstPit) -> None:
    assert find_first_pit(values, start) == expected
