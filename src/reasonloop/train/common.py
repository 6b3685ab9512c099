"""What the SFT, DPO and GRPO wrappers share: configs, model loading, precision, saving.

We call TRL's trainers and keep only what they do not decide for us: where the model comes
from (a HF directory, a hub id, a GGUF file, or the embedded default), CPU-safe precision,
LoRA, and saving a plain HF directory (LoRA merged) that the next sampling round can load.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from reasonloop.errors import ConfigError, DataError

DEFAULT_MODEL = "default"
DEFAULT_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
SUMMARY_FILE = "reasonloop_train.json"


@dataclass(frozen=True)
class TrainConfig:
    """Options every trainer takes. `max_steps` (when set) overrides `epochs`.

    The defaults suit a ~100M-parameter model on a few hundred short rows; with `lora=True`
    raise `learning_rate` about tenfold (adapters learn slower than full weights).
    """

    epochs: float = 1.0
    max_steps: int | None = None
    learning_rate: float = 2e-5
    batch_size: int = 8
    gradient_accumulation_steps: int = 1
    max_length: int = 256
    seed: int = 0
    logging_steps: int = 1
    lr_scheduler: str = "linear"
    warmup_steps: int = 0
    gradient_checkpointing: bool = False
    lora: bool = False
    lora_rank: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.0
    show_progress: bool = False

    def __post_init__(self) -> None:
        for name in ("batch_size", "gradient_accumulation_steps", "max_length", "logging_steps"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.max_steps is not None and self.max_steps < 1:
            raise ConfigError(f"max_steps must be at least 1 (or unset), got {self.max_steps}")
        if self.epochs <= 0 or self.learning_rate <= 0:
            raise ConfigError("epochs and learning_rate must be positive")
        if self.lora and self.lora_rank < 1:
            raise ConfigError(f"lora_rank must be at least 1, got {self.lora_rank}")


@dataclass(frozen=True)
class SFTTrainConfig(TrainConfig):
    """SFT on prompt-completion rows; the loss covers the completion only (TRL's default)."""


@dataclass(frozen=True)
class DPOTrainConfig(TrainConfig):
    """DPO: `beta` is the strength of the pull towards the reference (starting) model."""

    learning_rate: float = 5e-6
    beta: float = 0.1


@dataclass(frozen=True)
class GRPOTrainConfig(TrainConfig):
    """GRPO: `batch_size` counts completions, so it must hold whole groups of `num_generations`.

    `beta = 0` (TRL's default) drops the KL term and with it the reference model.
    """

    learning_rate: float = 1e-6
    num_generations: int = 4
    max_completion_length: int = 128
    temperature: float = 1.0
    beta: float = 0.0

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.num_generations < 2:
            raise ConfigError(f"num_generations must be at least 2, got {self.num_generations}")
        if (self.batch_size * self.gradient_accumulation_steps) % self.num_generations:
            raise ConfigError(
                f"batch_size * gradient_accumulation_steps "
                f"({self.batch_size * self.gradient_accumulation_steps}) must be a multiple of "
                f"num_generations ({self.num_generations})"
            )


CONFIGS: dict[str, type[TrainConfig]] = {
    "sft": SFTTrainConfig,
    "dpo": DPOTrainConfig,
    "grpo": GRPOTrainConfig,
}


@dataclass(frozen=True)
class TrainResult:
    """Where the trained model was saved, its logged (step, loss) pairs, steps and wall time."""

    output_dir: str
    losses: list[tuple[int, float]]
    steps: int
    seconds: float


@dataclass(frozen=True)
class ModelSource:
    """A loadable model: a directory or hub id, plus the GGUF file inside it when there is one."""

    path: str
    gguf_file: str | None = None

    def describe(self) -> str:
        return os.path.join(self.path, self.gguf_file) if self.gguf_file else self.path


@dataclass(frozen=True)
class Precision:
    """How to train here: fp32 on CPU; bf16 mixed precision on a GPU that supports it."""

    use_cpu: bool
    bf16: bool


def train_config_from_dict(kind: str, data: Mapping[str, Any]) -> TrainConfig:
    """The config of trainer `kind` from a mapping (e.g. YAML); unknown keys are an error."""
    if kind not in CONFIGS:
        raise ConfigError(f"unknown trainer {kind!r}; choose one of {', '.join(CONFIGS)}")
    config_class = CONFIGS[kind]
    known = {f.name for f in fields(config_class)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(
            f"unknown {kind} training option(s): {', '.join(unknown)}; "
            f"known: {', '.join(sorted(known))}"
        )
    return config_class(**data)


def resolve_model(model: str) -> ModelSource:
    """Where to load `model` from: "default", a `.gguf` file, a directory, or a hub id."""
    if model == DEFAULT_MODEL:
        from reasonloop.backends.default import default_model_path

        return ModelSource(*default_model_path())
    path = Path(model).expanduser()
    if model.endswith(".gguf"):
        if not path.is_file():
            raise ConfigError(f"model file {model} does not exist")
        return ModelSource(str(path.parent), path.name)
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ConfigError(f"model directory {model} has no config.json")
        return ModelSource(str(path))
    if _looks_like_path(model):
        raise ConfigError(f"model directory {model} does not exist")
    return ModelSource(model)  # a hub id, e.g. "HuggingFaceTB/SmolLM2-135M-Instruct"


def select_precision() -> Precision:
    """fp32 on CPU (no bf16/fp16 there); bf16 autocast on a CUDA device that supports it."""
    import torch

    if not torch.cuda.is_available():
        return Precision(use_cpu=True, bf16=False)
    return Precision(use_cpu=False, bf16=torch.cuda.is_bf16_supported())


def load_model(source: ModelSource) -> Any:
    """The causal LM in fp32 (mixed precision, when used, is autocast on top of fp32 weights)."""
    import torch
    from transformers import AutoModelForCausalLM

    kwargs: dict[str, Any] = {"dtype": torch.float32}
    if source.gguf_file:
        kwargs.update(gguf_file=source.gguf_file, **_dequantized_gguf())
    try:
        model = AutoModelForCausalLM.from_pretrained(source.path, **kwargs)
    except (OSError, ValueError) as error:
        raise ConfigError(f"cannot load model {source.describe()}: {error}") from error
    quantizer: Any = getattr(model, "hf_quantizer", None)
    if quantizer is not None and source.gguf_file:
        # The weights are plain fp32 tensors by now; the GGUF quantizer left behind would make
        # Trainer refuse the model as "purely quantized" and save_pretrained refuse to save it.
        quantizer.remove_quantization_config(model)
    return model


def _dequantized_gguf() -> dict[str, Any]:
    """transformers >= 5.x can keep GGUF weights packed (not trainable); ask for dense ones."""
    try:
        from transformers.utils.quantization_config import GgufConfig
    except ImportError:  # older transformers always de-quantize GGUF files
        return {}
    return {"quantization_config": GgufConfig(dequantize=True)}


def load_tokenizer(source: ModelSource) -> Any:
    """The tokenizer, with a pad token; it must have a chat template (rows are conversations)."""
    from transformers import AutoTokenizer

    kwargs: dict[str, Any] = {"gguf_file": source.gguf_file} if source.gguf_file else {}
    try:
        tokenizer = AutoTokenizer.from_pretrained(source.path, **kwargs)
    except (OSError, ValueError) as error:
        raise ConfigError(f"cannot load the tokenizer of {source.describe()}: {error}") from error
    if not getattr(tokenizer, "chat_template", None):
        raise ConfigError(
            f"the tokenizer of {source.describe()} has no chat template; "
            "conversational datasets need an instruct/chat model"
        )
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
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
        "disable_tqdm": not config.show_progress,
    }


def quiet_trainer(trainer: Any, config: TrainConfig) -> Any:
    """Without progress display, drop the callback that prints every log line to stdout."""
    if not config.show_progress:
        from transformers.trainer_callback import PrinterCallback

        trainer.remove_callback(PrinterCallback)
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
    )
    record = {**summary, **asdict(result), "log_history": history}
    (output / SUMMARY_FILE).write_text(json.dumps(record, indent=2, default=str), encoding="utf-8")
    return result


def save_model(model: Any, tokenizer: Any, output_dir: Path) -> None:
    """Merge LoRA adapters into the weights (if any) and save model and tokenizer."""
    if hasattr(model, "merge_and_unload"):
        model = model.merge_and_unload()
    output_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(output_dir)
    tokenizer.save_pretrained(output_dir)


def collect_losses(log_history: Sequence[Mapping[str, Any]]) -> list[tuple[int, float]]:
    """(step, loss) of every logging step; the end-of-training summary is left out.

    >>> collect_losses([{"loss": 2.5, "step": 1}, {"train_loss": 2.4, "step": 2}])
    [(1, 2.5)]
    """
    return [(int(e["step"]), float(e["loss"])) for e in log_history if "loss" in e and "step" in e]


def config_summary(kind: str, model: str, config: TrainConfig, rows: int) -> dict[str, Any]:
    """The inputs of a training run, as recorded next to the saved model."""
    return {"trainer": kind, "base_model": model, "rows": rows, "config": asdict(config)}


def _looks_like_path(model: str) -> bool:
    # Hub ids are "name" or "org/name"; a leading dot, tilde or slash, or more than one
    # slash, means a local path.
    return model.startswith((".", "~", "/")) or model.count("/") > 1
