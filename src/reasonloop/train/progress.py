"""A labelled training progress bar: steps done, time left, the last logged loss.

The Trainer's own bar has no label and prints every log line as a dict, one per step; this
one says what is training ("train sft") and keeps the loss on the bar. Once the first steps
are timed it also prints, once, the training's expected time in minutes (the first step is
not timed: it pays for warming up). Imported only when a trainer is made (it needs
transformers).
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from typing import Any

from tqdm import tqdm
from transformers import TrainerCallback


class TrainingBar(TrainerCallback):  # type: ignore[misc]
    """One tqdm bar over the optimizer steps, labelled `label`, with the latest loss; after
    `timed_steps` steps past the first, one line with the time the rest will take."""

    def __init__(
        self, label: str, timed_steps: int = 2, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self.label = label
        self.bar: tqdm[Any] | None = None
        self.timed_steps = timed_steps
        self.clock = clock
        self._first_step_done: float | None = None
        self._told = False

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if state.is_world_process_zero:
            self.bar = tqdm(total=state.max_steps, desc=self.label, unit="step", dynamic_ncols=True)

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self.bar is None:
            return
        self.bar.update(state.global_step - self.bar.n)
        now = self.clock()
        if state.global_step == 1:
            self._first_step_done = now
        elif (
            not self._told
            and self._first_step_done is not None
            and state.global_step >= 1 + self.timed_steps
        ):
            self._told = True
            per_step = (now - self._first_step_done) / (state.global_step - 1)
            if state.max_steps > state.global_step:
                line = describe_time_left(self.label, per_step, state.global_step, state.max_steps)
                self.bar.write(line, file=sys.stderr)

    def on_log(
        self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        if self.bar is not None and logs and "loss" in logs:
            self.bar.set_postfix_str(f"loss {float(logs['loss']):.4f}", refresh=False)

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def describe_time_left(label: str, seconds_per_step: float, done: int, total: int) -> str:
    """The line a training prints once its first steps are timed.

    >>> describe_time_left("train sft", 4.2, 3, 60)
    'train sft: about 4 min for the 57 steps left (4.2 s a step, timed on steps 2-3)'
    """
    minutes = math.ceil(seconds_per_step * (total - done) / 60)
    return (
        f"{label}: about {minutes} min for the {total - done} steps left "
        f"({seconds_per_step:.1f} s a step, timed on steps 2-{done})"
    )
