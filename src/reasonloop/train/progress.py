"""A labelled training progress bar: steps done, time left, the last logged loss.

The Trainer's own bar has no label and prints every log line as a dict, one per step; this
one says what is training ("train sft") and keeps the loss on the bar. Imported only when a
trainer is made (it needs transformers).
"""

from __future__ import annotations

from typing import Any

from tqdm import tqdm
from transformers import TrainerCallback


class TrainingBar(TrainerCallback):  # type: ignore[misc]
    """One tqdm bar over the optimizer steps, labelled `label`, with the latest loss."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: tqdm[Any] | None = None

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if state.is_world_process_zero:
            self.bar = tqdm(total=state.max_steps, desc=self.label, unit="step", dynamic_ncols=True)

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self.bar is not None:
            self.bar.update(state.global_step - self.bar.n)

    def on_log(
        self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        if self.bar is not None and logs and "loss" in logs:
            self.bar.set_postfix_str(f"loss {float(logs['loss']):.4f}", refresh=False)

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
