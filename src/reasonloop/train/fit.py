"""`train(method, ...)`: the one entry point of the train stage, for the CLI and the loop."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reasonloop.backends.source import resolve_model_source
from reasonloop.errors import ConfigError
from reasonloop.train import dpo, grpo, orm, prm, sft
from reasonloop.train.config import (
    CONFIGS,
    DPOTrainConfig,
    GRPOTrainConfig,
    ORMTrainConfig,
    PRMTrainConfig,
    SFTTrainConfig,
    TrainConfig,
    TrainMethod,
    train_config_from_dict,
)
from reasonloop.train.prepare import check_rows
from reasonloop.train.result import TrainResult, config_summary, run_and_save

# The columns each method's rows need (TRL's conventions).
COLUMNS: dict[str, tuple[str, ...]] = {
    "sft": sft.COLUMNS,
    "dpo": dpo.COLUMNS,
    "grpo": grpo.COLUMNS,
    "prm": prm.COLUMNS,
    "orm": orm.COLUMNS,
}


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
    wanted = CONFIGS[method]
    if type(config) is not wanted:
        raise ConfigError(f"{method!r} training needs a {wanted.__name__}")
    # Checked before torch and TRL load (half a minute on a small CPU): a bad input fails now.
    check_rows(rows, COLUMNS[method], method)
    resolve_model_source(model)
    trainer = make_trainer(model, rows, output_dir, config)
    summary = config_summary(method, model, config, len(rows))
    result = run_and_save(trainer, trainer.processing_class, output_dir, summary)
    if isinstance(config, PRMTrainConfig):
        prm.write_prm_card(output_dir, model, config)
    return result


def make_trainer(
    model: str, rows: Sequence[Mapping[str, Any]], output_dir: str | Path, config: TrainConfig
) -> Any:
    """The ready TRL trainer for `config`'s method (torch and trl are imported here)."""
    if isinstance(config, SFTTrainConfig):
        from reasonloop.train.sft import make_sft_trainer

        return make_sft_trainer(model, rows, output_dir, config)
    if isinstance(config, DPOTrainConfig):
        from reasonloop.train.dpo import make_dpo_trainer

        return make_dpo_trainer(model, rows, output_dir, config)
    if isinstance(config, PRMTrainConfig):
        return prm.make_prm_trainer(model, rows, output_dir, config)
    if isinstance(config, ORMTrainConfig):
        return orm.make_orm_trainer(model, rows, output_dir, config)
    from reasonloop.train.grpo import make_grpo_trainer

    assert isinstance(config, GRPOTrainConfig)
    return make_grpo_trainer(model, rows, output_dir, config)


# The method-named entry points (`train("sft", ...)` and so on), for callers that pick the
# method in code.
def train_sft(
    model: str,
    rows: Sequence[Mapping[str, Any]],
    output_dir: str | Path,
    config: SFTTrainConfig | None = None,
) -> TrainResult:
    return train("sft", model, rows, output_dir, config)


def train_dpo(
    model: str,
    rows: Sequence[Mapping[str, Any]],
    output_dir: str | Path,
    config: DPOTrainConfig | None = None,
) -> TrainResult:
    return train("dpo", model, rows, output_dir, config)


def train_prm(
    model: str,
    rows: Sequence[Mapping[str, Any]],
    output_dir: str | Path,
    config: PRMTrainConfig | None = None,
) -> TrainResult:
    return train("prm", model, rows, output_dir, config)


def train_grpo(
    model: str,
    rows: Sequence[Mapping[str, Any]],
    output_dir: str | Path,
    config: GRPOTrainConfig | None = None,
) -> TrainResult:
    return train("grpo", model, rows, output_dir, config)
