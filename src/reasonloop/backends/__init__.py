"""Sampling backends behind one small interface, and where models come from.

Heavy backends (transformers, vllm) are not imported here; ask for them by name through
`load_sampler`, which imports them only then. `resolve_model_source` is the one resolver of
model names ("default", a HF directory, a .gguf file, a hub id) for sampling and training.
"""

from reasonloop.backends.base import (
    Completion,
    Conversation,
    Message,
    Sampler,
    SamplerError,
    SamplingParams,
)
from reasonloop.backends.fake import FakeSampler
from reasonloop.backends.hf_models import prepare_default_model, prepare_model_dir
from reasonloop.backends.registry import BACKENDS, load_sampler
from reasonloop.backends.source import (
    DEFAULT_MODEL,
    ModelSource,
    ModelSourceError,
    locate_default_model,
    resolve_model_source,
)

__all__ = [
    "BACKENDS",
    "DEFAULT_MODEL",
    "Completion",
    "Conversation",
    "FakeSampler",
    "Message",
    "ModelSource",
    "ModelSourceError",
    "Sampler",
    "SamplerError",
    "SamplingParams",
    "load_sampler",
    "locate_default_model",
    "prepare_default_model",
    "prepare_model_dir",
    "resolve_model_source",
]
