"""The model whose LoRA gradients become features: the base (LoRA at init) or a warm-up.

LESS's features come from a short LoRA warm-up on a small random share of the pool: the
gradient of an example at the warmed-up adapter, preconditioned with the warm-up
optimizer's Adam moments. The warm-up runs through TRL's SFTTrainer (`reasonloop.train`),
then the adapter and the optimizer's moments are saved next to the features, so a resumed
run reuses them instead of training again (a new warm-up would give different features).

ClusterUCB clusters the pool by gradient features computed once, at the base model with
freshly initialised adapters: they do not depend on the warm-up, so one clustering serves
every later selection (new target, new warm-up, next loop iteration).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reasonloop.errors import DataError

MOMENTS = "adam_moments.pt"


@dataclass(frozen=True)
class LoraShape:
    """The adapters features are taken from; LoRA init is seeded by `seed`."""

    rank: int = 8
    alpha: int = 16
    seed: int = 0


@dataclass(frozen=True)
class WarmupConfig:
    """The LoRA warm-up: LESS trains on 5% of the pool (4 epochs at rank 128 on a GPU)."""

    share: float = 0.05
    epochs: float = 1.0
    learning_rate: float = 2e-4
    batch_size: int = 4
    show_progress: bool = False


@dataclass(frozen=True)
class AdamState:
    """Per-parameter first and second moments (in `Checkpoint.names` order) and the rule."""

    exp_avg: tuple[Any, ...]
    exp_avg_sq: tuple[Any, ...]
    beta1: float
    beta2: float
    eps: float


@dataclass(frozen=True)
class Checkpoint:
    """A LoRA-wrapped model ready for per-example gradients; `adam` is None at the base."""

    model: Any
    tokenizer: Any
    names: tuple[str, ...]
    adam: AdamState | None


def model_directory(model: str, cache_dir: Path) -> str:
    """A plain HF directory for `model` (the shared resolver; GGUF files converted once)."""
    from reasonloop.backends.hf_models import prepare_model_dir

    return prepare_model_dir(model, cache_dir / "model")


def load_base(model: str, shape: LoraShape) -> Checkpoint:
    """`model` with freshly initialised adapters (B = 0), for clustering features."""
    import torch
    from peft import get_peft_model

    from reasonloop.train.prepare import load_chat_tokenizer, lora_config

    base, source = _load(model)
    torch.manual_seed(shape.seed)
    wrapped = get_peft_model(base, lora_config(_train_config(shape, 128)))
    return _checkpoint(wrapped, load_chat_tokenizer(source), None)


def warm_up(
    model: str,
    rows: Sequence[Mapping[str, Any]],
    directory: Path,
    shape: LoraShape,
    config: WarmupConfig,
    max_length: int,
) -> Path:
    """Train the warm-up adapter on `rows` (prompt/completion) once; its saved directory."""
    if (directory / MOMENTS).is_file():
        return directory
    import torch

    from reasonloop.train.sft import make_sft_trainer

    work = Path(tempfile.mkdtemp(prefix=".warmup-", dir=directory.parent))
    try:
        train_config = _train_config(shape, max_length, config)
        trainer = make_sft_trainer(model, rows, work / "trainer", train_config)
        trainer.train()
        peft_model = trainer.accelerator.unwrap_model(trainer.model)
        peft_model.save_pretrained(work / "adapter")
        torch.save(adam_state_dict(peft_model, trainer.optimizer), work / "adapter" / MOMENTS)
        (work / "adapter").rename(directory)  # atomic: a killed warm-up leaves no adapter
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return directory


def load_warm(model: str, directory: Path) -> Checkpoint:
    """The warmed-up adapter on `model`, with the warm-up optimizer's Adam moments."""
    import torch
    from peft import PeftModel

    from reasonloop.train.prepare import load_chat_tokenizer

    base, source = _load(model)
    wrapped = PeftModel.from_pretrained(base, str(directory), is_trainable=True)
    checkpoint = _checkpoint(wrapped, load_chat_tokenizer(source), None)
    saved = torch.load(directory / MOMENTS, weights_only=True)
    missing = [name for name in checkpoint.names if name not in saved["exp_avg"]]
    if missing:
        raise DataError(f"{directory / MOMENTS} has no Adam moments for {missing[0]}")
    adam = AdamState(
        exp_avg=tuple(saved["exp_avg"][name] for name in checkpoint.names),
        exp_avg_sq=tuple(saved["exp_avg_sq"][name] for name in checkpoint.names),
        beta1=float(saved["beta1"]),
        beta2=float(saved["beta2"]),
        eps=float(saved["eps"]),
    )
    return Checkpoint(checkpoint.model, checkpoint.tokenizer, checkpoint.names, adam)


def adam_state_dict(model: Any, optimizer: Any) -> dict[str, Any]:
    """The Adam(W) moments of `model`'s trainable parameters, by parameter name."""
    group = optimizer.param_groups[0]
    state = optimizer.state
    exp_avg, exp_avg_sq = {}, {}
    for name, parameter in model.named_parameters():
        if parameter.requires_grad:
            if parameter not in state or "exp_avg" not in state[parameter]:
                raise DataError(f"the warm-up optimizer has no Adam state for {name}")
            exp_avg[name] = state[parameter]["exp_avg"].detach().clone()
            exp_avg_sq[name] = state[parameter]["exp_avg_sq"].detach().clone()
    beta1, beta2 = group["betas"]
    return {
        "exp_avg": exp_avg,
        "exp_avg_sq": exp_avg_sq,
        "beta1": beta1,
        "beta2": beta2,
        "eps": group["eps"],
    }


def _load(model: str) -> tuple[Any, Any]:
    from reasonloop.backends.hf_models import load_hf_model
    from reasonloop.backends.source import resolve_model_source

    source = resolve_model_source(model)
    return load_hf_model(source), source


def _checkpoint(wrapped: Any, tokenizer: Any, adam: AdamState | None) -> Checkpoint:
    wrapped.eval()  # no dropout: a feature must not depend on when it was computed
    names = tuple(name for name, p in wrapped.named_parameters() if p.requires_grad)
    return Checkpoint(wrapped, tokenizer, names, adam)


def _train_config(shape: LoraShape, max_length: int, warmup: WarmupConfig | None = None) -> Any:
    from reasonloop.train.config import SFTTrainConfig

    warmup = warmup or WarmupConfig()
    return SFTTrainConfig(
        epochs=warmup.epochs,
        learning_rate=warmup.learning_rate,
        batch_size=warmup.batch_size,
        max_length=max_length,
        seed=shape.seed,
        lora=True,
        lora_rank=shape.rank,
        lora_alpha=shape.alpha,
        show_progress=warmup.show_progress,
    )
