"""The train stage: thin calls into TRL (SFT, DPO, GRPO, an outcome reward model `orm`) and
transformers (a process reward model, `prm`) on datasets from `reasonloop.dataset`.

`train(method, model, rows, output_dir, config)` is the one entry point; the model is anything
`reasonloop.backends.resolve_model_source` takes ("default", a HF directory, a `.gguf` file or
a hub id). Each run saves a plain HF model directory (LoRA merged) with its tokenizer and a
`reasonloop_train.json` record. torch, transformers and trl are imported only when a trainer
is made.

- `config`: the options of each method. `prepare`: model, tokenizer, precision, LoRA and
  arguments for TRL. `result`: saving and the record. `sft`, `dpo`, `grpo`, `prm`, `orm`: the
  trainers.
"""

from __future__ import annotations

from reasonloop.train.config import (
    CONFIGS,
    TRAIN_METHODS,
    DPOTrainConfig,
    GRPOTrainConfig,
    ORMTrainConfig,
    PRMTrainConfig,
    SFTTrainConfig,
    TrainConfig,
    TrainMethod,
    train_config_from_dict,
)
from reasonloop.train.dpo import make_dpo_trainer
from reasonloop.train.fit import train, train_dpo, train_grpo, train_prm, train_sft
from reasonloop.train.grpo import make_grpo_trainer
from reasonloop.train.orm import make_orm_trainer
from reasonloop.train.prm import make_prm_trainer
from reasonloop.train.result import SUMMARY_FILE, TrainResult, read_train_record
from reasonloop.train.sft import make_sft_trainer

__all__ = [
    "CONFIGS",
    "SUMMARY_FILE",
    "TRAIN_METHODS",
    "DPOTrainConfig",
    "GRPOTrainConfig",
    "ORMTrainConfig",
    "PRMTrainConfig",
    "SFTTrainConfig",
    "TrainConfig",
    "TrainMethod",
    "TrainResult",
    "make_dpo_trainer",
    "make_grpo_trainer",
    "make_orm_trainer",
    "make_prm_trainer",
    "make_sft_trainer",
    "read_train_record",
    "train",
    "train_config_from_dict",
    "train_dpo",
    "train_grpo",
    "train_prm",
    "train_sft",
]
