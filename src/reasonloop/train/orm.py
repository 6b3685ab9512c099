"""An outcome reward model: TRL's `RewardTrainer` on a run's correct-vs-wrong pairs.

The rows are the DPO pairs `reasonloop build dpo RUN` makes from graded samples (`prompt`,
`chosen` = a correct response, `rejected` = a wrong one to the same prompt): TRL's preference
format, which its reward trainer reads as it is. The base model gets a one-output head
(`AutoModelForSequenceClassification`, `num_labels=1`) and learns to score the chosen response
above the rejected one (Bradley-Terry loss). The saved directory is a plain HF sequence
classifier; `reasonloop rm-eval --reward orm --reward-option model=DIR` scores with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reasonloop.backends.hf_models import default_cache_dir, prepare_model_dir
from reasonloop.backends.source import resolve_model_source
from reasonloop.train import dpo
from reasonloop.train.config import ORMTrainConfig
from reasonloop.train.prepare import (
    check_rows,
    load_chat_tokenizer,
    lora_config,
    quiet_trainer,
    trainer_arguments,
)

COLUMNS = dpo.COLUMNS  # the same preference rows: prompt, chosen, rejected


def make_orm_trainer(
    model: str,
    dataset_rows: Sequence[Mapping[str, Any]],
    output_dir: str | Path,
    config: ORMTrainConfig,
) -> Any:
    """A ready `trl.RewardTrainer` that turns `model` into an outcome reward model.

    TRL loads the model as a one-label sequence classifier from a plain HF directory, so the
    default model and GGUF files are converted once first (into reasonloop's cache).
    """
    from trl import RewardConfig, RewardTrainer  # type: ignore[attr-defined]

    from reasonloop.dataset.io import to_hf_dataset

    check_rows(dataset_rows, COLUMNS, "orm")
    tokenizer = load_chat_tokenizer(resolve_model_source(model))
    directory = prepare_model_dir(model, default_cache_dir() / "converted")
    args = RewardConfig(
        **trainer_arguments(config, output_dir, RewardConfig),
        max_length=config.max_length,
        center_rewards_coefficient=config.center_rewards_coefficient,
        model_init_kwargs={"dtype": "float32"},
    )
    peft_config = lora_config(config)
    if peft_config is not None:
        peft_config.task_type = "SEQ_CLS"  # the score head trains in full beside the adapters
    trainer = RewardTrainer(
        model=directory,
        args=args,
        train_dataset=to_hf_dataset([{c: row[c] for c in COLUMNS} for row in dataset_rows]),
        processing_class=tokenizer,
        peft_config=peft_config,
    )
    return quiet_trainer(trainer, config)
