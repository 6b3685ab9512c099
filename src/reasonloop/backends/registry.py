"""Backend names mapped lazily to classes, so torch / vllm / httpx load only when asked for."""

from __future__ import annotations

import importlib
from typing import Any

from reasonloop.backends.base import Sampler, SamplerError

# name -> "module:Class"; each class takes `model: str` plus backend keyword options.
BACKENDS: dict[str, str] = {
    "fake": "reasonloop.backends.fake:FakeSampler",
    "transformers": "reasonloop.backends.transformers:TransformersSampler",
    "ctranslate2": "reasonloop.backends.ctranslate2:CTranslate2Sampler",
    "default": "reasonloop.backends.default:DefaultSampler",
    "openai": "reasonloop.backends.openai:OpenAISampler",
    "vllm": "reasonloop.backends.vllm:VLLMSampler",
}

# The backends whose model argument is a model source (`backends.source`): checked before the
# backend (and torch) loads, so a typo fails at once.
MODEL_SOURCE_BACKENDS = frozenset({"transformers", "ctranslate2", "default", "vllm"})

# What to install when a backend's import fails.
EXTRAS: dict[str, str] = {
    "transformers": "pip install 'reasonloop[hf]'",
    "ctranslate2": "pip install 'reasonloop[hf]'",
    "default": "pip install 'reasonloop[hf]'",
    "vllm": "pip install 'reasonloop[vllm]'",
    "openai": "nothing extra (the standard library is enough)",
}


def load_sampler(backend: str, model: str = "", **options: Any) -> Sampler:
    """Build the sampler called `backend` for `model`.

    >>> load_sampler("fake", "echo").model_id
    'fake:echo'
    """
    if backend not in BACKENDS:
        known = ", ".join(sorted(BACKENDS))
        raise SamplerError(f"unknown sampling backend {backend!r}; known backends: {known}")
    module_name, class_name = BACKENDS[backend].split(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        hint = EXTRAS.get(backend, "the backend's extra")
        raise SamplerError(
            f"backend {backend!r} needs a package that is not installed ({error.name}); "
            f"install it with: {hint}"
        ) from error
    sampler: Sampler = getattr(module, class_name)(model, **options)
    return sampler
