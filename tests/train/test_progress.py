"""The training bar prints, once, how long the steps left will take, timed on the steps after
the first (which pays for warming up); driven here with the Trainer's own state."""

from __future__ import annotations

import pytest

pytest.importorskip("transformers")

from transformers import TrainerControl, TrainerState, TrainingArguments  # noqa: E402

from reasonloop.train.progress import TrainingBar  # noqa: E402


class Clock:
    """Seconds at the end of each step, as a trainer on a loaded CPU might take them."""

    def __init__(self, ends: list[float]) -> None:
        self.ends = iter(ends)

    def __call__(self) -> float:
        return next(self.ends)


@pytest.mark.parametrize(
    ("max_steps", "ends", "expected"),
    [
        # step 1 took 30 s (warm-up), then 6 s a step: 57 steps left at 6 s
        (60, [30.0, 36.0, 42.0] + [0.0] * 57, "about 6 min for the 57 steps left (6.0 s a step"),
        (200, [5.0, 5.5, 6.0] + [0.0] * 197, "about 2 min for the 197 steps left (0.5 s a step"),
        (3, [1.0, 2.0, 3.0], None),  # done when timed: nothing left to estimate
        (2, [1.0, 2.0], None),  # too short to time
    ],
)
def test_the_time_left_is_printed_once_after_the_timed_steps(
    max_steps: int, ends: list[float], expected: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    bar = TrainingBar("train sft", clock=Clock(ends))
    args, control = TrainingArguments(output_dir="unused", report_to="none"), TrainerControl()
    state = TrainerState(max_steps=max_steps)
    bar.on_train_begin(args, state, control)
    for step in range(1, max_steps + 1):
        state.global_step = step
        bar.on_step_end(args, state, control)
    bar.on_train_end(args, state, control)
    lines = [line for line in capsys.readouterr().err.splitlines() if "steps left" in line]
    if expected is None:
        assert lines == []
    else:
        assert len(lines) == 1 and lines[0].startswith(f"train sft: {expected}")
