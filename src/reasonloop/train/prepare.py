"""What a TRL trainer needs from us: the model and its chat tokenizer, precision, LoRA, arguments.

We call TRL's trainers and keep only what they do not decide for us: where the model comes
from (resolved by `reasonloop.backends.source`, like every model reasonloop loads), CPU-safe
precision, LoRA, and a quiet console.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from reasonloop.backends.hf_models import load_hf_tokenizer
from reasonloop.backends.source import ModelSource
from reasonloop.errors import ConfigError, DataError
from reasonloop.train.config import CONFIGS, TrainConfig


@dataclass(frozen=True)
class Precision:
    """How to train here: fp32 on CPU; bf16 mixed precision on a GPU that supports it."""

    use_cpu: bool
    bf16: bool


def select_precision() -> Precision:
    """fp32 on CPU (no bf16/fp16 there); bf16 autocast on a CUDA device that supports it."""
    import torch

    if not torch.cuda.is_available():
        return Precision(use_cpu=True, bf16=False)
    return Precision(use_cpu=False, bf16=torch.cuda.is_bf16_supported())


def load_chat_tokenizer(source: ModelSource) -> Any:
    """The tokenizer, with a pad token; it must have a chat template (rows are conversations)."""
    tokenizer = load_hf_tokenizer(source)
    if not getattr(tokenizer, "chat_template", None):
        raise ConfigError(
            f"the tokenizer of {source.describe()} has no chat template; "
            "conversational datasets need an instruct/chat model"
        )
    return tokenizer


def lora_config(config: TrainConfig) -> Any:
    """peft's LoraConfig for `config`, or None for full fine-tuning."""
    if not config.lora:
        return None
    from peft import LoraConfig

    return LoraConfig(
        r=config.lora_rank,
        lora_alpha=config.lora_alpha,
        lora_dropout=config.lora_dropout,
        target_modules="all-linear",
        task_type="CAUSAL_LM",
    )


def trainer_arguments(
    config: TrainConfig, output_dir: str | Path, args_class: type[Any]
) -> dict[str, Any]:
    """Keyword arguments every TRL config (`args_class`, a `TrainingArguments`) takes."""
    precision = select_precision()
    # transformers 5.x renamed gradient_checkpointing to activation_checkpointing (the old
    # name warns); TRL's configs default it to True, so it is always passed explicitly.
    checkpointing = "gradient_checkpointing"
    if "activation_checkpointing" in {f.name for f in fields(args_class)}:
        checkpointing = "activation_checkpointing"
    return {
        checkpointing: config.gradient_checkpointing,
        "output_dir": str(output_dir),
        "num_train_epochs": config.epochs,
        "max_steps": config.max_steps if config.max_steps is not None else -1,
        "per_device_train_batch_size": config.batch_size,
        "gradient_accumulation_steps": config.gradient_accumulation_steps,
        "learning_rate": config.learning_rate,
        "lr_scheduler_type": config.lr_scheduler,
        "warmup_steps": config.warmup_steps,
        "logging_steps": config.logging_steps,
        "seed": config.seed,
        "use_cpu": precision.use_cpu,
        "bf16": precision.bf16,
        "fp16": False,
        "report_to": "none",
        "push_to_hub": False,
        "save_strategy": "no",
        # The Trainer's own bar is unlabelled and prints each step's logs: ours replaces it.
        "disable_tqdm": True,
    }


def quiet_trainer(trainer: Any, config: TrainConfig) -> Any:
    """Drop the callback that prints every log line to stdout; with `show_progress`, show one
    labelled bar instead ("train sft": steps, time left, last loss)."""
    from transformers.trainer_callback import PrinterCallback

    trainer.remove_callback(PrinterCallback)
    if config.show_progress:
        from reasonloop.train.progress import TrainingBar

        method = next(name for name, kind in CONFIGS.items() if type(config) is kind)
        trainer.add_callback(TrainingBar(f"train {method}"))
    return trainer


def check_rows(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], kind: str) -> None:
    """Raise DataError unless `rows` is non-empty and every row has `columns`."""
    if not rows:
        raise DataError(f"the {kind} dataset is empty; nothing to train on")
    for index, row in enumerate(rows):
        missing = [column for column in columns if column not in row]
        if missing:
            raise DataError(
                f"{kind} row {index} has no {', '.join(missing)} column "
                f"(a {kind} dataset needs {', '.join(columns)})"
            )
