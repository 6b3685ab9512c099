"""What a loop run will do, counted before it starts: the samples to draw and the training steps.

Counts first, a time once one is measured: how long a sample takes depends on the machine, the
backend and the model, so the loop prints the counts before its first stage, a time for the
whole run once the first batch of the base model's held-out evaluation is timed
(`loop.warmup`), and the time left once that evaluation is done (`describe_time_left`; later
models answer at about the same rate, as they have the same size). The training's time is
printed by its bar once its first steps are timed (`train.progress`).
The counts are upper bounds where the run decides as it goes: only unsolved problems get hinted
samples, and only verified samples become training rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reasonloop.loop.config import LoopConfig, trainer_of


@dataclass(frozen=True)
class Workload:
    """The samples and training steps of a whole loop run (see the module doc)."""

    iterations: int
    train_samples: int  # iterations x n_train x k
    hinted_samples: int  # at most iterations x n_train x rationalize (unsolved problems only)
    eval_samples: int  # (iterations + 1) x n_test greedy, + 2 x n_test x eval.k sampled
    train_steps: int  # at most, over all iterations
    dev_samples: int = 0  # B-STaR: iterations x temperatures x dev_size x bstar.k
    # step-dpo: values.k rollouts per step prefix of each wrong sample; at most `rollouts`
    # (None: unbounded before sampling, as values.max_steps is null); 0: no step values
    rollouts_per_step: int = 0
    rollouts: int | None = None

    @property
    def samples(self) -> int:
        return self.train_samples + self.hinted_samples + self.eval_samples + self.dev_samples

    def describe(self) -> str:
        """One line for the start of a run.

        >>> Workload(2, 1600, 800, 300, 100).describe()[:70]
        'up to 2,700 samples to draw (1,600 training, up to 800 hinted, 300 hel'
        """
        return (
            f"up to {self.samples:,} samples to draw ({self.train_samples:,} training, up to "
            f"{self.hinted_samples:,} hinted, {self.eval_samples:,} held-out"
            + (f", {self.dev_samples:,} B-STaR dev" if self.dev_samples else "")
            + ")"
            + self._describe_rollouts()
            + f" and {self.iterations} trainings of up to {self.train_steps:,} steps in all; a "
            "time estimate follows the first batch of the base model's evaluation"
        )

    def _describe_rollouts(self) -> str:
        """The step values' rollouts (step-dpo), which come on top of the samples.

        >>> Workload(1, 80, 0, 20, 10, rollouts_per_step=5, rollouts=1600)._describe_rollouts()
        ', up to 1,600 step-value rollouts (5 from each step prefix of a wrong sample)'
        """
        if not self.rollouts_per_step:
            return ""
        each = f"{self.rollouts_per_step} from each step prefix of a wrong sample"
        if self.rollouts is None:
            return f", then step-value rollouts ({each}; counted once the samples are in)"
        return f", up to {self.rollouts:,} step-value rollouts ({each})"


def count_workload(config: LoopConfig, n_train: int, n_test: int) -> Workload:
    """The run's workload from the config and the problem counts.

    >>> w = count_workload(LoopConfig(), n_train=200, n_test=100)  # 2 iterations, k 8, 4 hints
    >>> (w.train_samples, w.hinted_samples, w.eval_samples, w.samples)
    (3200, 1600, 300, 5100)
    """
    s, iterations = config.sampling, config.iterations
    sampled_evals = 2 if iterations > 0 else 1  # the base and the final model, k each
    return Workload(
        iterations=iterations,
        train_samples=iterations * n_train * s.k,
        hinted_samples=iterations * n_train * s.rationalize,
        eval_samples=(iterations + 1) * n_test + sampled_evals * n_test * config.eval.k,
        train_steps=iterations * count_train_steps(config, n_train),
        dev_samples=iterations * count_dev_samples(config, n_train),
        rollouts_per_step=config.values.k if config.train.method == "step-dpo" else 0,
        rollouts=count_rollouts(config, n_train),
    )


def count_rollouts(config: LoopConfig, n_train: int) -> int | None:
    """Step-DPO's value rollouts at most (every training sample wrong, each cut at
    values.max_steps steps); None when max_steps is null (or no step values are drawn).

    >>> from reasonloop.loop.config import load_config
    >>> step_dpo = {"train.method": "step-dpo", "values.max_steps": 4, "iterations": 1}
    >>> count_rollouts(load_config(None, step_dpo), n_train=10)  # 10 x k 8 x 4 steps x K 5
    1600
    """
    v = config.values
    if config.train.method != "step-dpo" or v.max_steps is None:
        return None
    return config.iterations * n_train * config.sampling.k * v.max_steps * v.k


def count_dev_samples(config: LoopConfig, n_train: int) -> int:
    """The samples one iteration's B-STaR stage draws (0 at a fixed temperature).

    >>> from reasonloop.loop.config import load_config
    >>> count_dev_samples(load_config(None, {"sampling.temperature": "auto"}), n_train=200)
    2048
    """
    if config.sampling.temperature != "auto":
        return 0
    b = config.bstar
    return len(b.temperatures) * min(b.dev_size, n_train) * b.k


def count_train_steps(config: LoopConfig, n_train: int) -> int:
    """At most how many optimizer steps one iteration's training takes: `max_steps` when set,
    else epochs over the most rows the build stage can make."""
    from reasonloop.train.config import train_config_from_dict

    train = train_config_from_dict(trainer_of(config.train.method), config.train.options)
    if train.max_steps is not None:
        return train.max_steps
    pairs = config.build.max_pairs_per_problem
    per_problem = {"sft": config.build.max_per_problem, "dpo": pairs, "step-dpo": pairs}
    rows = n_train * per_problem.get(config.train.method, 1)
    per_step = train.batch_size * train.gradient_accumulation_steps
    return math.ceil(train.epochs * rows / per_step)


def describe_time_left(workload: Workload, drawn: int, seconds: float) -> str:
    """The sampling time left at the rate of the `drawn` samples that took `seconds`.

    >>> describe_time_left(Workload(2, 1600, 800, 300, 100), drawn=100, seconds=50.0)[:50]
    'about 22 min of sampling left at the 2.0 samples/s'
    """
    rate = drawn / max(seconds, 1e-9)
    left = max(workload.samples - drawn, 0) / rate
    return (
        f"about {math.ceil(left / 60)} min of sampling left at the {rate:.1f} samples/s "
        "measured (an upper bound: hinted samples are drawn for unsolved problems only), "
        f"plus training (up to {workload.train_steps:,} steps)"
    )
