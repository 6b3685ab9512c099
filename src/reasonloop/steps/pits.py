"""First pits: the step of an incorrect response where its value collapses.

Setlur et al. (2024) credit each step of a wrong response with its advantage, the change in
value it causes; the first step whose value is the lowest the response reaches is where its
chances collapse (the "first pit"), and the response's prefix through that step is what
per-step DPO rejects. With hard (Best-of-K) values that is the first step from which no
rollout reaches the gold; with soft values, the first step at the response's lowest share.

Some wrong responses locate no error, and make no pair (counted by reason):

- ``drops_only_at_the_answer``: every step before the last keeps a higher value; the last
  step (the response's own verdict) is the first at the lowest value, so the error sits in the
  final answer line, and a "prefix through the pit" is the whole response.
- ``never_drops``: the valued steps never fall below the first, and the last step (the
  verdict) is not among them (`--max-steps` stopped short of it).
- ``never_rises``: the values stand at zero from the first step on and nothing stood above them
  before it (the problem's own value, when known): nothing says where the response went wrong.
- ``not_valued``: no step of the sample has a value (e.g. it was never valued).

The value before the first step (`start`) is the problem's value under the sampling policy,
known from the run's samples of the problem; without it a pit at the first step cannot be told
from a problem that was out of reach from the start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

PitReason = Literal["pit", "drops_only_at_the_answer", "never_drops", "never_rises", "not_valued"]
NO_PIT_REASONS: tuple[PitReason, ...] = (
    "drops_only_at_the_answer",
    "never_drops",
    "never_rises",
    "not_valued",
)


@dataclass(frozen=True)
class FirstPit:
    """Where a response's value collapses: step `index` (None with any other `reason`)."""

    index: int | None
    reason: PitReason


def find_first_pit(values: Sequence[float | None], start: float | None = None) -> FirstPit:
    """The first step at the lowest of `values` (one a step, None where a step has no value),
    given `start`, the value before the first step (None: unknown).

    The last value, when present, is the response's verdict; a pit there is no pit.

    >>> find_first_pit([1.0, 0.0, 0.0, 0.0])
    FirstPit(index=1, reason='pit')
    >>> find_first_pit([1.0, 1.0, 0.0]).reason
    'drops_only_at_the_answer'
    >>> find_first_pit([0.0, 0.0], start=0.5)
    FirstPit(index=0, reason='pit')
    >>> find_first_pit([0.0, 0.0]).reason
    'never_rises'
    """
    valued = [(i, v) for i, v in enumerate(values) if v is not None]
    if not valued:
        return FirstPit(None, "not_valued")
    lowest = min(v for _, v in valued)
    index = next(i for i, v in valued if v == lowest)  # the first of tied lowest values
    before = [v for i, v in valued if i < index]
    if start is not None:
        before.append(start)
    if not before or max(before) <= lowest:  # the lowest value is the first one
        return FirstPit(None, "never_drops" if lowest > 0 else "never_rises")
    if index == len(values) - 1:
        return FirstPit(None, "drops_only_at_the_answer")
    return FirstPit(index, "pit")
