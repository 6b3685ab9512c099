"""Sampling backends behind one small interface.

Heavy backends (transformers, vllm) are not imported here; ask for them by name through
`load_sampler`, which imports them only then.
"""

from reasonloop.backends.base import (
    Completion,
    Conversation,
    Message,
    Sampler,
    SamplerError,
    SamplingParams,
)
from reasonloop.backends.default import default_model_path, prepare_default_model
from reasonloop.backends.fake import FakeSampler
from reasonloop.backends.registry import BACKENDS, load_sampler

__all__ = [
    "BACKENDS",
    "Completion",
    "Conversation",
    "FakeSampler",
    "Message",
    "Sampler",
    "SamplerError",
    "SamplingParams",
    "default_model_path",
    "load_sampler",
    "prepare_default_model",
]
