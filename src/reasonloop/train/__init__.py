"""Thin calls into TRL: SFT, DPO and GRPO on datasets from `reasonloop.build`.

Each `train_*` takes a model ("default", a HF directory or hub id, or a `.gguf` file), the
dataset rows, an output directory and a config, and saves a plain HF model directory (LoRA
merged) with its tokenizer and a `reasonloop_train.json` record. torch, transformers and trl
are imported only when a trainer is made.
"""

from __future__ import annotations

from reasonloop.train.common import (
    CONFIGS,
    DEFAULT_MODEL,
    SUMMARY_FILE,
    DPOTrainConfig,
    GRPOTrainConfig,
    ModelSource,
    SFTTrainConfig,
    TrainConfig,
    TrainResult,
    resolve_model,
    train_config_from_dict,
)
from reasonloop.train.dpo import make_dpo_trainer, train_dpo
from reasonloop.train.grpo import make_grpo_trainer, train_grpo
from reasonloop.train.sft import make_sft_trainer, train_sft

__all__ = [
    "CONFIGS",
    "DEFAULT_MODEL",
    "SUMMARY_FILE",
    "DPOTrainConfig",
    "GRPOTrainConfig",
    "ModelSource",
    "SFTTrainConfig",
    "TrainConfig",
    "TrainResult",
    "make_dpo_trainer",
    "make_grpo_trainer",
    "make_sft_trainer",
    "resolve_model",
    "train_config_from_dict",
    "train_dpo",
    "train_grpo",
    "train_sft",
]
