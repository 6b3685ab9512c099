"""Which trained models a loop run keeps on disk: the final one, or all of them.

Every iteration saves a full copy of the model it trained (about 0.5 GB for the default
model). The next iteration samples from it and trains on top of it; after that no stage of
the run reads it again. With `keep_models: final` (the default) its weight files and its CPU
engine copy are removed once the next iteration's training has finished, so a run holds at
most two models at a time and keeps one. The directory stays, with its config and tokenizer
and a record of the removed weights' content hash (`WEIGHTS_REMOVED`): the stages that read
the model keep their identity, so a re-run still reuses their results. A re-run that must
read the weights again (a changed `eval` section, say) first trains them again from the same
inputs. `keep_models: all` keeps every iteration's model.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from reasonloop.backends.source import WEIGHTS_REMOVED
from reasonloop.files import read_json, write_json
from reasonloop.loop.identity import hash_model

WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth")


@dataclass(frozen=True)
class Removed:
    """What removing one model's weights freed."""

    files: tuple[str, ...]
    bytes: int


def weights_removed(model_dir: str | Path) -> str | None:
    """The content hash of `model_dir`'s removed weights, or None when they are there."""
    record = Path(model_dir) / WEIGHTS_REMOVED
    return str(read_json(record)["weights"]) if record.is_file() else None


def remove_weights(model_dir: str | Path, engine_dir: str | Path | None = None) -> Removed:
    """Remove the weight files of `model_dir` (and its engine copy `engine_dir`), keeping a
    record of what they were. The record is written first: a run killed half-way leaves a
    directory that is known to need its weights trained again, never one that looks whole."""
    directory = Path(model_dir)
    if weights_removed(directory) is not None:
        return Removed((), 0)
    files = sorted(p for p in directory.iterdir() if p.is_file() and p.suffix in WEIGHT_SUFFIXES)
    size = sum(p.stat().st_size for p in files)
    record = {"weights": hash_model(str(directory)), "files": [p.name for p in files]}
    write_json(directory / WEIGHTS_REMOVED, {**record, "bytes": size})
    for file in files:
        file.unlink()
    if engine_dir is not None and Path(engine_dir).is_dir():
        size += sum(p.stat().st_size for p in Path(engine_dir).rglob("*") if p.is_file())
        shutil.rmtree(engine_dir)
    return Removed(tuple(p.name for p in files), size)


def mark_restored(model_dir: str | Path) -> None:
    """`model_dir` holds its weights again (trained anew): drop the record of their removal."""
    (Path(model_dir) / WEIGHTS_REMOVED).unlink(missing_ok=True)
