"""The warm-up's checkpoints: a `TrainerCallback` that saves C of them while TRL trains.

LESS saves the adapter and the Adam moments at the end of each warm-up epoch and weights the
influence computed at each by that epoch's mean learning rate. Here the C checkpoints are
evenly spaced over the optimizer steps (checkpoint c after step floor(c x steps / C), the last
at the end of training), and each records the mean rate of the steps since the one before,
read from the optimizer right after it stepped (the rate that step used; the scheduler moves
it on just after). Imported only when a warm-up trains (transformers is heavy).
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

from transformers import TrainerCallback

from reasonloop.curate.select.points import POINTS, save_point
from reasonloop.errors import ConfigError, DataError


class CheckpointSaver(TrainerCallback):  # type: ignore[misc]
    """Saves `count` checkpoints of `trainer` under `root` (state: rates seen, points saved).

    One checkpoint is `root` itself (the layout of a single warm-up adapter); several are
    `root/checkpoint-1` ... `root/checkpoint-C`, listed with their rates in `checkpoints.json`.
    """

    def __init__(self, trainer: Any, root: Path, count: int) -> None:
        self.trainer, self.root, self.count = trainer, root, count
        self.rates: list[float] = []  # the learning rate of each optimizer step so far
        self.points: list[dict[str, Any]] = []
        self.stops: tuple[int, ...] = ()

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        steps = state.max_steps
        if self.count > steps:
            raise ConfigError(
                f"warm-up checkpoints ({self.count}) exceed the warm-up's {steps} optimizer "
                "steps; lower checkpoints or warm up longer (a larger share or more epochs)"
            )
        self.stops = tuple(c * steps // self.count for c in range(1, self.count))

    def on_optimizer_step(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self.rates.append(float(kwargs["optimizer"].param_groups[0]["lr"]))

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if state.global_step in self.stops:
            self._save(state.global_step)

    def save_last(self) -> None:
        """The checkpoint at the end of training and, with several, the list of them all."""
        self._save(self.trainer.state.global_step)
        if len(self.points) != self.count:
            raise DataError(f"the warm-up saved {len(self.points)} of {self.count} checkpoints")
        if self.count > 1:
            text = json.dumps({"checkpoints": self.points}, indent=2)
            (self.root / POINTS).write_text(text, encoding="utf-8")

    def _save(self, step: int) -> None:
        number = len(self.points) + 1
        path = self.root if self.count == 1 else self.root / f"checkpoint-{number}"
        since = self.points[-1]["step"] if self.points else 0
        rate = statistics.fmean(self.rates[since:step]) if step > since else 0.0
        save_point(self.trainer, path)
        self.points.append({"directory": path.name, "step": step, "learning_rate": rate})
