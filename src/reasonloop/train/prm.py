"""A process reward model: a two-class head read at the separator after each step.

TRL 1.16 has no PRM trainer (neither in `trl` nor in `trl.experimental`), so this is
transformers' token classification with its `Trainer`: the base model gets a two-class head
(`AutoModelForTokenClassification`), each row becomes one token sequence

    prompt (chat-formatted) | step 1 | separator | step 2 | separator | ...

and only the last separator token after each step carries a label; every other position is
-100 and adds nothing to the loss. Rows are TRL's stepwise-supervision format (`prompt`,
`completions` = the steps, `labels` = one bool per step); with `soft_labels` a column of floats
in [0, 1] (Math-Shepherd step values) is the target instead, so one loss, cross-entropy
against the target probability, serves hard labels (0 or 1) and soft ones alike.

The saved directory is a plain HF token-classification model with `reasonloop_prm.json`
beside it: the separator and what the two classes mean, which the scorer reads back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reasonloop.backends.hf_models import load_hf_tokenizer, prepare_model_dir
from reasonloop.backends.source import resolve_model_source
from reasonloop.errors import ConfigError, DataError
from reasonloop.files import write_json
from reasonloop.rewards.step_encoding import encode_steps
from reasonloop.train.config import PRMTrainConfig
from reasonloop.train.prepare import check_rows, quiet_trainer, trainer_arguments

COLUMNS = ("prompt", "completions", "labels")
PRM_CARD_FILE = "reasonloop_prm.json"
# Class 1 is "the step is right": a step's score is the softmax probability of class 1.
LABEL_NAMES = {0: "wrong", 1: "right"}
IGNORE = -100.0


def step_targets(row: Mapping[str, Any], soft_labels: str | None, index: int) -> list[float]:
    """The target probability of "right" for each step of `row` (hard: 0.0 / 1.0)."""
    steps, labels = row["completions"], row[soft_labels] if soft_labels else row["labels"]
    if not isinstance(steps, list) or not isinstance(labels, list) or len(steps) != len(labels):
        column = soft_labels or "labels"
        raise DataError(
            f"prm row {index}: `completions` and `{column}` must be lists of the same length "
            "(one label per step)"
        )
    targets = [float(label) for label in labels]
    if any(not 0.0 <= target <= 1.0 for target in targets):
        raise DataError(f"prm row {index}: step labels must lie in [0, 1], got {labels}")
    return targets


def featurize(
    rows: Sequence[Mapping[str, Any]], tokenizer: Any, config: PRMTrainConfig
) -> list[dict[str, Any]]:
    """One training example per row: ids cut at `max_length`, a target at each step end.

    Steps whose separator falls past `max_length` lose their labels; a row left with none is
    dropped (all dropped is an error naming the fix).
    """
    examples = []
    for index, row in enumerate(rows):
        targets = step_targets(row, config.soft_labels, index)
        encoded = encode_steps(tokenizer, row["prompt"], row["completions"], config.step_separator)
        ids = encoded.input_ids[: config.max_length]
        labels = [IGNORE] * len(ids)
        for end, target in zip(encoded.step_ends, targets, strict=True):
            if end < len(ids):
                labels[end] = target
        if any(label != IGNORE for label in labels):
            examples.append({"input_ids": ids, "labels": labels})
    if not examples:
        raise DataError(
            f"no prm row has a step within max_length={config.max_length} tokens; "
            "raise max_length (--max-length)"
        )
    return examples


def split_by_prompt(
    rows: Sequence[Mapping[str, Any]], fraction: float
) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """Train and validation rows; every row of one prompt lands on the same side (the
    original and the modified solution of a problem must not be split apart).

    >>> rows = [{"prompt": f"q{i % 10}"} for i in range(40)]
    >>> train, held = split_by_prompt(rows, 0.2)
    >>> len(train) + len(held), {r["prompt"] for r in train} & {r["prompt"] for r in held}
    (40, set())
    """
    if fraction <= 0:
        return list(rows), []
    train: list[Mapping[str, Any]] = []
    held: list[Mapping[str, Any]] = []
    for row in rows:
        digest = hashlib.sha256(repr(row["prompt"]).encode("utf-8")).digest()
        (held if int.from_bytes(digest[:4], "big") / 2**32 < fraction else train).append(row)
    if not train or not held:
        return list(rows), []  # too few prompts to hold any out
    return train, held


def soft_cross_entropy(outputs: Any, labels: Any, num_items_in_batch: Any = None) -> Any:
    """Cross-entropy of the two-class head against the target probability at each step end,
    summed over the batch's labelled positions and divided by their count (the Trainer
    passes the count over all accumulated batches)."""
    import torch

    logits = outputs["logits"] if isinstance(outputs, dict) else outputs.logits
    mask = labels != IGNORE
    log_probs = torch.log_softmax(logits[mask].float(), dim=-1)
    target = labels[mask].float()
    loss = -(target * log_probs[:, 1] + (1 - target) * log_probs[:, 0]).sum()
    count = num_items_in_batch if num_items_in_batch is not None else mask.sum()
    return loss / torch.clamp(torch.as_tensor(count, device=loss.device), min=1)


def right_probability(logits: Any, labels: Any) -> Any:
    """Keep only P(right) per position for the metrics (the full logits are not needed)."""
    import torch

    return torch.softmax(logits.float(), dim=-1)[..., 1]


def step_accuracy(prediction: Any) -> dict[str, float]:
    """The share of labelled steps whose P(right) falls on the target's side of 0.5."""
    import numpy as np

    probs, labels = np.asarray(prediction.predictions), np.asarray(prediction.label_ids)
    mask = labels != IGNORE
    agree = (probs[mask] >= 0.5) == (labels[mask] >= 0.5)
    return {"step_accuracy": float(agree.mean()) if agree.size else 0.0}


class StepCollator:
    """Pads ids with the pad token and labels with -100 (float labels, for soft targets)."""

    def __init__(self, pad_id: int) -> None:
        self.pad_id = pad_id

    def __call__(self, examples: Sequence[Mapping[str, list[Any]]]) -> dict[str, Any]:
        import torch

        width = max(len(example["input_ids"]) for example in examples)
        ids, mask, labels = [], [], []
        for example in examples:
            pad = width - len(example["input_ids"])
            ids.append(list(example["input_ids"]) + [self.pad_id] * pad)
            mask.append([1] * len(example["input_ids"]) + [0] * pad)
            labels.append(list(example["labels"]) + [IGNORE] * pad)
        return {
            "input_ids": torch.tensor(ids),
            "attention_mask": torch.tensor(mask),
            "labels": torch.tensor(labels, dtype=torch.float32),
        }


def make_prm_trainer(
    model: str,
    dataset_rows: Sequence[Mapping[str, Any]],
    output_dir: str | Path,
    config: PRMTrainConfig,
) -> Any:
    """A ready transformers `Trainer` for a token-classification PRM on stepwise rows.

    With `eval_fraction > 0` a share of the prompts is held out: validation loss and
    `step_accuracy` are logged during training (into the run's record).
    """
    from transformers import Trainer, TrainingArguments

    from reasonloop.dataset.io import to_hf_dataset

    check_rows(dataset_rows, COLUMNS, "prm")
    model_dir = prepare_model_dir(model, output_dir)
    tokenizer = load_hf_tokenizer(resolve_model_source(model_dir))
    train_rows, held_rows = split_by_prompt(dataset_rows, config.eval_fraction)
    train_set = to_hf_dataset(featurize(train_rows, tokenizer, config))
    held_set = to_hf_dataset(featurize(held_rows, tokenizer, config)) if held_rows else None
    evaluation: dict[str, Any] = {"eval_strategy": "no"}
    if held_set is not None:
        evaluation = {
            "eval_strategy": "steps",
            "eval_steps": config.eval_every if config.eval_every < 1 else int(config.eval_every),
            "per_device_eval_batch_size": config.batch_size,
        }
    args = TrainingArguments(
        **trainer_arguments(config, output_dir, TrainingArguments),
        **evaluation,
        remove_unused_columns=False,
    )
    trainer = Trainer(
        model=load_prm_model(model_dir, tokenizer, config),
        args=args,
        train_dataset=train_set,
        eval_dataset=held_set,
        data_collator=StepCollator(tokenizer.pad_token_id),
        processing_class=tokenizer,
        compute_loss_func=soft_cross_entropy,
        compute_metrics=step_accuracy,
        preprocess_logits_for_metrics=right_probability,
    )
    return quiet_trainer(trainer, config)


def load_prm_model(model_dir: str, tokenizer: Any, config: PRMTrainConfig) -> Any:
    """The base model with a fresh two-class token head (LoRA-wrapped when asked)."""
    from transformers import AutoModelForTokenClassification
    from transformers.utils import logging

    # transformers reports the dropped LM head and the new head as a table on the console;
    # both are the point here, so the report is left out.
    verbosity = logging.get_verbosity()
    logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    try:
        model = AutoModelForTokenClassification.from_pretrained(
            model_dir,
            num_labels=2,
            id2label=LABEL_NAMES,
            label2id={name: index for index, name in LABEL_NAMES.items()},
            dtype="float32",
        )
    finally:
        logging.set_verbosity(verbosity)
    model.config.pad_token_id = tokenizer.pad_token_id
    if config.top_layers is not None:
        freeze_below(model, config.top_layers)
    if not config.lora:
        return model
    from peft import LoraConfig, get_peft_model

    # The new head is trained whole beside the adapters (no adapter on it).
    head = "score" if hasattr(model, "score") else "classifier"
    lora = LoraConfig(
        r=config.lora_rank,
        lora_alpha=config.lora_alpha,
        lora_dropout=config.lora_dropout,
        target_modules="all-linear",
        exclude_modules=[head],
        modules_to_save=[head],
        task_type="TOKEN_CLS",
    )
    return get_peft_model(model, lora)


def freeze_below(model: Any, top_layers: int) -> None:
    """Train only the last `top_layers` transformer layers, the final norm and the head."""
    layers = getattr(model.base_model, "layers", None)
    if layers is None:
        raise ConfigError(
            f"top_layers needs a model with `.layers` ({type(model).__name__} has none); "
            "leave top_layers unset"
        )
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    trained = [model.score if hasattr(model, "score") else model.classifier]
    if top_layers:
        trained += [*layers[len(layers) - top_layers :], getattr(model.base_model, "norm", None)]
    for module in trained:
        for parameter in module.parameters() if module is not None else ():
            parameter.requires_grad_(True)


def write_prm_card(output_dir: str | Path, base_model: str, config: PRMTrainConfig) -> None:
    """What a scorer needs besides the weights: the separator and the meaning of the classes."""
    write_json(
        Path(output_dir) / PRM_CARD_FILE,
        {
            "kind": "process reward model",
            "base_model": base_model,
            "step_separator": config.step_separator,
            "labels": {str(index): name for index, name in LABEL_NAMES.items()},
            "score": "P(right): softmax of the two-class head at the separator's last token",
            "soft_labels": config.soft_labels,
            "max_length": config.max_length,
        },
    )
