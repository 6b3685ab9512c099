"""Supervised fine-tuning on prompt-completion rows through TRL's `SFTTrainer`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reasonloop.backends.hf_models import load_hf_model
from reasonloop.backends.source import resolve_model_source
from reasonloop.train.config import SFTTrainConfig
from reasonloop.train.prepare import (
    check_rows,
    load_chat_tokenizer,
    lora_config,
    quiet_trainer,
    trainer_arguments,
)

COLUMNS = ("prompt", "completion")


def make_sft_trainer(
    model: str,
    dataset_rows: Sequence[Mapping[str, Any]],
    output_dir: str | Path,
    config: SFTTrainConfig,
) -> Any:
    """A ready `trl.SFTTrainer`.

    Rows are conversational prompt-completion pairs; TRL computes the loss on the completion
    tokens only (`completion_only_loss=True`), so the model is not trained to write prompts.
    """
    from trl import SFTConfig, SFTTrainer  # type: ignore[attr-defined]

    from reasonloop.dataset.io import to_hf_dataset

    check_rows(dataset_rows, COLUMNS, "sft")
    source = resolve_model_source(model)
    tokenizer = load_chat_tokenizer(source)
    args = SFTConfig(
        **trainer_arguments(config, output_dir, SFTConfig),
        max_length=config.max_length,
        completion_only_loss=True,
    )
    trainer = SFTTrainer(
        model=load_hf_model(source),
        args=args,
        train_dataset=to_hf_dataset(dataset_rows),
        processing_class=tokenizer,
        peft_config=lora_config(config),
    )
    return quiet_trainer(trainer, config)
