"""The main job on the embedded default: SmolLM2-135M-Instruct learns 2-digit addition.

The numbers below come from runs on the 2-core CPU. The model solves about 1% of these
problems, so plain rejection sampling finds almost nothing to learn from (3 correct of 960
samples in one run); STaR rationalization (the gold as a hint, the verified answers kept
under the hint-free prompt) is what gives the first round its data. Token budgets are short
because correct answers here are short, and every sampled token costs ~0.2 s per batch step
on this CPU.
"""

from __future__ import annotations

from reasonloop.loop.config import (
    BackendConfig,
    BuildConfig,
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
        n_train=100,
        n_test=200,
        seed=0,
        iterations=2,
        template="default",
        # The CPU engine (int8): each model sampled, the trained ones too, is converted once.
        backend=BackendConfig(name="ctranslate2"),
        sampling=SamplingConfig(
            k=4, rationalize=4, temperature=0.8, max_new_tokens=16, batch_size=64
        ),
        build=BuildConfig(max_per_problem=2),
        train=TrainStageConfig(
            method="sft",
            options={"epochs": 2.0, "learning_rate": 5e-5, "batch_size": 8},
        ),
        eval=EvalConfig(max_new_tokens=16, k=4, temperature=0.8, batch_size=64),
    )
