"""Direct preference optimisation on prompt / chosen / rejected rows through TRL's `DPOTrainer`."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reasonloop.backends.hf_models import load_hf_model
from reasonloop.backends.source import resolve_model_source
from reasonloop.train.config import DPOTrainConfig
from reasonloop.train.prepare import (
    check_rows,
    load_chat_tokenizer,
    lora_config,
    quiet_trainer,
    trainer_arguments,
)

COLUMNS = ("prompt", "chosen", "rejected")


def make_dpo_trainer(
    model: str,
    dataset_rows: Sequence[Mapping[str, Any]],
    output_dir: str | Path,
    config: DPOTrainConfig,
) -> Any:
    """A ready `trl.DPOTrainer`; the reference model is the starting model.

    With full fine-tuning the reference is a frozen copy made here (TRL would reload it from
    the model's path, which fails for GGUF files); with LoRA it is the base model with the
    adapters switched off, so no copy is held.
    """
    from trl import DPOConfig, DPOTrainer  # type: ignore[attr-defined]

    from reasonloop.dataset.io import to_hf_dataset

    check_rows(dataset_rows, COLUMNS, "dpo")
    source = resolve_model_source(model)
    tokenizer = load_chat_tokenizer(source)
    policy = load_hf_model(source)
    peft_config = lora_config(config)
    args = DPOConfig(
        **trainer_arguments(config, output_dir, DPOConfig),
        max_length=config.max_length,
        beta=config.beta,
    )
    trainer = DPOTrainer(
        model=policy,
        ref_model=None if peft_config is not None else copy.deepcopy(policy),
        args=args,
        train_dataset=to_hf_dataset(dataset_rows),
        processing_class=tokenizer,
        peft_config=peft_config,
    )
    return quiet_trainer(trainer, config)
