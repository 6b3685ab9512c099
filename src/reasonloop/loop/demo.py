"""The main job on the embedded default: SmolLM2-135M-Instruct learns 2-digit addition.

The numbers below were chosen by measurement on a 2-core CPU (see the README): enough
samples per problem that most problems get a verified solution, short token budgets
because correct answers here are short, and a learning rate that moves a 135M model in
a few dozen steps without wrecking it.
"""

from __future__ import annotations

from reasonloop.loop.config import (
    EvalConfig,
    LoopConfig,
    SamplingConfig,
    TrainStageConfig,
)


def demo_config() -> LoopConfig:
    """The config `reasonloop demo` runs (also written to the run directory as YAML)."""
    return LoopConfig(
        model="default",
        task="arithmetic:digits=2",
        n_train=120,
        n_test=100,
        seed=0,
        iterations=2,
        template="default",
        sampling=SamplingConfig(
            k=8, rationalize=4, temperature=0.8, max_new_tokens=32, batch_size=32
        ),
        train=TrainStageConfig(
            method="sft",
            options={"epochs": 3.0, "learning_rate": 5e-5, "batch_size": 8},
        ),
        eval=EvalConfig(max_new_tokens=32, k=4, temperature=0.8, batch_size=32),
    )
