"""A time for the whole run before the base evaluation: its first batch, timed.

The base model's held-out evaluation starts with one batch of greedy answers, drawn into the
evaluation's own store and timed; the rest of the evaluation then resumes after it, so the
measurement costs nothing (the batches that follow are the ones the evaluation would have
drawn anyway). How fast that batch came gives the run's sampling time, printed before the rest
of the evaluation; the training's time is printed by its bar once its first steps are timed.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path

from reasonloop.loop.context import LoopRun
from reasonloop.loop.workload import Workload
from reasonloop.tasks import Problem


@dataclass(frozen=True)
class WarmUp:
    """`samples` greedy held-out answers drawn in `seconds` (the model already loaded)."""

    samples: int
    seconds: float

    @property
    def samples_per_s(self) -> float:
        return self.samples / max(self.seconds, 1e-9)

    def describe(self, workload: Workload) -> str:
        """The run's sampling time at this rate, and where the rate comes from.

        >>> WarmUp(16, 8.0).describe(Workload(2, 1600, 800, 300, 100))[:66]
        'about 23 min of sampling in all at the 2.0 samples/s timed on the '
        """
        minutes = math.ceil(workload.samples / self.samples_per_s / 60)
        return (
            f"about {minutes} min of sampling in all at the {self.samples_per_s:.1f} samples/s "
            f"timed on the base model's first {self.samples} held-out answers (an upper bound: "
            "hinted samples are drawn for unsolved problems only), plus training (up to "
            f"{workload.train_steps:,} steps; its time follows its first steps)"
        )


def time_first_batch(run: LoopRun, model: str, test: list[Problem], eval_dir: Path) -> WarmUp:
    """Draw and time the base evaluation's first batch of greedy answers into `eval_dir`,
    where the evaluation then finds them (see the module doc)."""
    first = test[: run.config.eval.batch_size]
    run.sampler(model)  # loaded before the clock starts: loading is not sampling
    started = time.perf_counter()
    run.evaluate(model, first, eval_dir, sampled=False)
    return WarmUp(len(first), time.perf_counter() - started)
