"""What a loop stage's result depends on: its inputs, by content, not by path.

A stage's identity hashes its config sections, the content of the artifacts it reads (the
problem files, the training rows) and the weights of the model it samples or trains. The
ledger records it with the stage; a re-run skips a stage only when the identity is the same,
so changing `train.options` and re-running with `--force` retrains, and the new weights
change the identity of every evaluation and sampling stage after it: nothing downstream is
reused from the old model (a path such as iter-1/model stays the same; its content does not).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from reasonloop.backends.source import WEIGHTS_REMOVED
from reasonloop.files import hash_file, read_json, write_text_atomic

# The files that make a model what it is; logs and checkpoints beside them do not.
MODEL_FILES = (".safetensors", ".bin", ".gguf", ".json", ".model", ".txt")
MARKER = ".inputs"  # in a stage's directory: the identity of the inputs it holds results of


def stage_identity(**inputs: Any) -> str:
    """A sha256 of the inputs (plain JSON data; content hashes for artifacts).

    >>> stage_identity(a=1, b=[2]) == stage_identity(b=[2], a=1) != stage_identity(a=2, b=[2])
    True
    """
    text = json.dumps(inputs, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hash_model(model: str) -> str:
    """The content of a model: its weight, config and tokenizer files (a directory), the file
    itself (a .gguf), or the name (a hub id or 'default': fixed by the installed package).
    A directory whose weights a run removed is the model it was (`loop.retention`)."""
    path = Path(model)
    if path.is_file():
        return _hash_files((path,), _signature((path,)))
    if not path.is_dir():
        return f"name:{model}"
    if (path / WEIGHTS_REMOVED).is_file():
        return str(read_json(path / WEIGHTS_REMOVED)["weights"])
    files = tuple(
        sorted(
            p
            for p in path.iterdir()
            if p.is_file()
            and p.suffix in MODEL_FILES
            # how training went, not what it made
            and not p.name.startswith(("trainer_state", "training_args", "reasonloop_train"))
        )
    )
    return _hash_files(files, _signature(files))


def _signature(files: tuple[Path, ...]) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times: a rewritten file is hashed again."""
    return tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files)


@functools.lru_cache(maxsize=64)
def _hash_files(files: tuple[Path, ...], signature: tuple[tuple[str, int, int], ...]) -> str:
    # `signature` is part of the cache key only: a model is hashed once per process.
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode() + b"\0" + hash_file(file).encode())
    return digest.hexdigest()


def claim_stage_dir(directory: Path, identity: str) -> None:
    """Make `directory` hold results of the inputs `identity`.

    Results of other inputs (or of unknown ones: no marker) are moved aside to
    `<name>.bak-<timestamp>`, nothing is deleted; results of the same inputs are kept, so an
    interrupted stage resumes.
    """
    marker = directory / MARKER
    same = marker.is_file() and marker.read_text(encoding="utf-8") == identity
    if directory.exists() and not same and any(directory.iterdir()):
        stamp = time.strftime("%Y%m%d-%H%M%S")
        os.replace(directory, directory.with_name(f"{directory.name}.bak-{stamp}"))
    directory.mkdir(parents=True, exist_ok=True)
    write_text_atomic(marker, identity)
