"""The model whose LoRA gradients become features: the base (LoRA at init) or a warm-up.

LESS's features come from a short LoRA warm-up on a small random share of the pool: the
gradient of an example at the warmed-up adapter, preconditioned with the warm-up
optimizer's Adam moments. The warm-up runs through TRL's SFTTrainer (`reasonloop.train`),
then the adapter and the optimizer's moments are saved next to the features, so a resumed
run reuses them instead of training again (a new warm-up would give different features).
LESS keeps a checkpoint at the end of each warm-up epoch and sums the influences computed at
each; `WarmupConfig.checkpoints` keeps that many, evenly spaced over the optimizer steps.

ClusterUCB clusters the pool by gradient features computed once, at the base model with
freshly initialised adapters: they do not depend on the warm-up, so one clustering serves
every later selection from the same pool and model (new target, new warm-up, budget or K).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from reasonloop.curate.select.points import MOMENTS, POINTS
from reasonloop.curate.select.points import adam_state_dict as adam_state_dict  # its old home
from reasonloop.errors import DataError


@dataclass(frozen=True)
class LoraShape:
    """The adapters features are taken from; LoRA init is seeded by `seed`."""

    rank: int = 8
    alpha: int = 16
    seed: int = 0


@dataclass(frozen=True)
class WarmupConfig:
    """The LoRA warm-up: LESS trains on 5% of the pool (4 epochs at rank 128 on a GPU) and
    keeps a checkpoint at the end of each epoch; here `checkpoints` evenly spaced over the
    optimizer steps, the last at the end of training."""

    share: float = 0.05
    epochs: float = 1.0
    learning_rate: float = 2e-4
    batch_size: int = 4
    show_progress: bool = False
    checkpoints: int = 1


def warmup_identity(config: WarmupConfig) -> dict[str, Any]:
    """What a warm-up's cache key holds: `config` less its progress switch, and less
    `checkpoints` when it is 1, so caches written before checkpoints existed stay valid.

    >>> sorted(warmup_identity(WarmupConfig()))
    ['batch_size', 'epochs', 'learning_rate', 'share']
    """
    data = asdict(config)
    del data["show_progress"]
    if config.checkpoints == 1:
        del data["checkpoints"]
    return data


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


@dataclass(frozen=True)
class WarmPoint:
    """One warm-up checkpoint: its adapter weights (in `Checkpoint.names` order), its Adam
    moments, and the mean learning rate of the optimizer steps since the checkpoint before
    (None for a lone checkpoint, whose weight is 1 whatever its rate)."""

    weights: tuple[Any, ...]
    adam: AdamState
    learning_rate: float | None


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
    with _quiet_peft():
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
    """Train the warm-up adapter on `rows` (prompt/completion) once; its saved directory.

    With one checkpoint the directory is the adapter with its Adam moments; with C it holds
    `checkpoint-1` ... `checkpoint-C`, each such an adapter, and `checkpoints.json`. All is
    written in a scratch directory renamed into place at the end (atomic: a killed warm-up
    leaves nothing that looks complete).
    """
    if (directory / (MOMENTS if config.checkpoints == 1 else POINTS)).is_file():
        return directory
    from reasonloop.curate.select.warmup_saver import CheckpointSaver
    from reasonloop.train.sft import make_sft_trainer

    work = Path(tempfile.mkdtemp(prefix=".warmup-", dir=directory.parent))
    try:
        train_config = _train_config(shape, max_length, config)
        with _quiet_peft():
            trainer = make_sft_trainer(model, rows, work / "trainer", train_config)
        saver = CheckpointSaver(trainer, work / "adapter", config.checkpoints)
        trainer.add_callback(saver)
        trainer.train()
        saver.save_last()
        (work / "adapter").rename(directory)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return directory


def load_warm(model: str, directory: Path) -> Checkpoint:
    """The warmed-up adapter in `directory` on `model`, with its Adam moments."""
    from peft import PeftModel

    from reasonloop.train.prepare import load_chat_tokenizer

    base, source = _load(model)
    with _quiet_peft():
        wrapped = PeftModel.from_pretrained(base, str(directory), is_trainable=True)
    checkpoint = _checkpoint(wrapped, load_chat_tokenizer(source), None)
    adam = _read_moments(directory, checkpoint.names)
    return Checkpoint(checkpoint.model, checkpoint.tokenizer, checkpoint.names, adam)


def load_warm_points(model: str, directory: Path) -> tuple[Checkpoint, tuple[WarmPoint, ...]]:
    """The warm-up's model (one copy) and each checkpoint's weights, moments and rate.

    `use_point` puts a checkpoint's weights into the model: C checkpoints cost one model in
    memory plus C small sets of adapter weights.
    """
    if not (directory / POINTS).is_file():
        checkpoint = load_warm(model, directory)
        assert checkpoint.adam is not None
        return checkpoint, (WarmPoint(_adapter_weights(checkpoint), checkpoint.adam, None),)
    from peft.utils import load_peft_weights, set_peft_model_state_dict

    entries = json.loads((directory / POINTS).read_text(encoding="utf-8"))["checkpoints"]
    checkpoint = load_warm(model, directory / entries[0]["directory"])
    points = []
    for entry in entries:
        path = directory / entry["directory"]
        set_peft_model_state_dict(checkpoint.model, load_peft_weights(str(path)))
        adam = _read_moments(path, checkpoint.names)
        rate = float(entry["learning_rate"])
        points.append(WarmPoint(_adapter_weights(checkpoint), adam, rate))
    return checkpoint, tuple(points)


def use_point(checkpoint: Checkpoint, point: WarmPoint) -> Checkpoint:
    """`checkpoint`'s model with `point`'s adapter weights copied in, and `point`'s moments.

    The model is shared, not copied: it holds the weights of the point used last.
    """
    import torch

    parameters = dict(checkpoint.model.named_parameters())
    with torch.no_grad():
        for name, value in zip(checkpoint.names, point.weights, strict=True):
            parameters[name].copy_(value)
    return Checkpoint(checkpoint.model, checkpoint.tokenizer, checkpoint.names, point.adam)


def _read_moments(directory: Path, names: Sequence[str]) -> AdamState:
    import torch

    saved = torch.load(directory / MOMENTS, weights_only=True)
    missing = [name for name in names if name not in saved["exp_avg"]]
    if missing:
        raise DataError(f"{directory / MOMENTS} has no Adam moments for {missing[0]}")
    return AdamState(
        exp_avg=tuple(saved["exp_avg"][name] for name in names),
        exp_avg_sq=tuple(saved["exp_avg_sq"][name] for name in names),
        beta1=float(saved["beta1"]),
        beta2=float(saved["beta2"]),
        eps=float(saved["eps"]),
    )


def _adapter_weights(checkpoint: Checkpoint) -> tuple[Any, ...]:
    parameters = dict(checkpoint.model.named_parameters())
    return tuple(parameters[name].detach().clone() for name in checkpoint.names)


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


@contextmanager
def _quiet_peft() -> Iterator[None]:
    """peft reads transformers' deprecated `is_gradient_checkpointing` when it wraps a model;
    the FutureWarning it raises says nothing to a user of `select`."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="`is_gradient_checkpointing` is deprecated")
        yield
