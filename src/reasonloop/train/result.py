"""What a training run leaves: a plain HF model directory (LoRA merged), its tokenizer, and a
`reasonloop_train.json` record of the inputs and the logged losses."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from reasonloop.files import read_json, write_json
from reasonloop.train.config import TrainConfig

SUMMARY_FILE = "reasonloop_train.json"


@dataclass(frozen=True)
class TrainResult:
    """Where the trained model was saved, its logged (step, loss) pairs, steps and wall time."""

    output_dir: str
    losses: list[tuple[int, float]]
    steps: int
    seconds: float
    # GRPO only: the share of prompt groups whose rewards differed (0.0: nothing to learn
    # from, every group's samples scored alike); None for the other methods.
    signal: float | None = None

    @property
    def warning(self) -> str | None:
        """A line to show the user when the training could not have learned anything."""
        if self.signal == 0.0:
            return (
                "warning: no GRPO group had a learning signal (every prompt's samples got the "
                "same reward, e.g. all 0), so the weights did not move toward anything; use "
                "easier problems, more generations per prompt or a stronger base model"
            )
        return None


def run_and_save(
    trainer: Any, tokenizer: Any, output_dir: str | Path, summary: Mapping[str, Any]
) -> TrainResult:
    """Train, save a plain HF model directory (LoRA merged) with tokenizer, and summarize."""
    start = time.perf_counter()
    trainer.train()
    seconds = time.perf_counter() - start
    output = Path(output_dir)
    save_model(trainer.accelerator.unwrap_model(trainer.model), tokenizer, output)
    history: list[dict[str, Any]] = list(trainer.state.log_history)
    result = TrainResult(
        output_dir=str(output),
        losses=collect_losses(history),
        steps=int(trainer.state.global_step),
        seconds=seconds,
        signal=learning_signal(history),
    )
    write_json(output / SUMMARY_FILE, {**summary, **asdict(result), "log_history": history})
    return result


def read_train_record(model_dir: str | Path) -> tuple[TrainResult, int]:
    """The `TrainResult` saved next to a trained model, and how many rows it was trained on."""
    record = read_json(Path(model_dir) / SUMMARY_FILE)
    result = TrainResult(
        output_dir=str(record["output_dir"]),
        losses=[(int(step), float(loss)) for step, loss in record["losses"]],
        steps=int(record["steps"]),
        seconds=float(record["seconds"]),
        signal=record.get("signal"),
    )
    return result, int(record["rows"])


def save_model(model: Any, tokenizer: Any, output_dir: Path) -> None:
    """Merge LoRA adapters into the weights (if any) and save model and tokenizer."""
    if hasattr(model, "merge_and_unload"):
        model = model.merge_and_unload()
    output_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(output_dir)
    tokenizer.save_pretrained(output_dir)


def learning_signal(log_history: Sequence[Mapping[str, Any]]) -> float | None:
    """The mean share of GRPO groups with differing rewards over the logged steps (TRL logs
    `frac_reward_zero_std`); None when the trainer logs no such thing.

    >>> learning_signal([{"frac_reward_zero_std": 1.0}, {"frac_reward_zero_std": 1.0}])
    0.0
    >>> learning_signal([{"loss": 1.0}]) is None
    True
    """
    zero = [float(e["frac_reward_zero_std"]) for e in log_history if "frac_reward_zero_std" in e]
    return 1.0 - sum(zero) / len(zero) if zero else None


def collect_losses(log_history: Sequence[Mapping[str, Any]]) -> list[tuple[int, float]]:
    """(step, loss) of every logging step; the end-of-training summary is left out.

    >>> collect_losses([{"loss": 2.5, "step": 1}, {"train_loss": 2.4, "step": 2}])
    [(1, 2.5)]
    """
    return [(int(e["step"]), float(e["loss"])) for e in log_history if "loss" in e and "step" in e]


def config_summary(kind: str, model: str, config: TrainConfig, rows: int) -> dict[str, Any]:
    """The inputs of a training run, as recorded next to the saved model."""
    return {"trainer": kind, "base_model": model, "rows": rows, "config": asdict(config)}
