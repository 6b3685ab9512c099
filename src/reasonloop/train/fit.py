"""`train(method, ...)`: the one entry point of the train stage, for the CLI and the loop."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reasonloop.errors import ConfigError
from reasonloop.train.config import (
    CONFIGS,
    DPOTrainConfig,
    GRPOTrainConfig,
    SFTTrainConfig,
    TrainConfig,
    TrainMethod,
    train_config_from_dict,
)
from reasonloop.train.result import TrainResult


def train(
    method: TrainMethod | str,
    model: str,
    rows: Sequence[Mapping[str, Any]],
    output_dir: str | Path,
    config: TrainConfig | Mapping[str, Any] | None = None,
) -> TrainResult:
    """Fine-tune `model` on `rows` with TRL's `method` trainer and save it to `output_dir`.

    `config` is the method's config, or a mapping of its options (unknown ones are an error).
    `model` is anything `reasonloop.backends.resolve_model_source` takes.
    """
    if method not in CONFIGS:
        raise ConfigError(f"unknown trainer {method!r}; choose one of {', '.join(CONFIGS)}")
    if config is None or isinstance(config, Mapping):
        config = train_config_from_dict(method, config or {})
    if method not in CONFIGS or type(config) is not CONFIGS[method]:
        raise ConfigError(
            f"{method!r} training needs a {CONFIGS.get(method, TrainConfig).__name__}"
        )
    if isinstance(config, SFTTrainConfig):
        from reasonloop.train.sft import train_sft

        return train_sft(model, rows, output_dir, config)
    if isinstance(config, DPOTrainConfig):
        from reasonloop.train.dpo import train_dpo

        return train_dpo(model, rows, output_dir, config)
    from reasonloop.train.grpo import train_grpo

    assert isinstance(config, GRPOTrainConfig)
    return train_grpo(model, rows, output_dir, config)
