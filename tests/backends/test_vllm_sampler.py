"""The vLLM backend: option mapping here, a real engine run where vllm and a GPU exist."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from reasonloop.backends import SamplerError, SamplingParams, load_sampler
from reasonloop.backends.vllm import build_sampling_options
from tiny_model import build_tiny_model

VLLM_INSTALLED = importlib.util.find_spec("vllm") is not None


@pytest.mark.parametrize(
    ("params", "seed", "expected"),
    [
        (
            SamplingParams(max_new_tokens=64, temperature=0.7, top_p=0.9, seed=5),
            11,
            {"n": 1, "max_tokens": 64, "temperature": 0.7, "top_p": 0.9, "seed": 11},
        ),
        (
            SamplingParams(max_new_tokens=8, temperature=0.0),
            0,
            {"n": 1, "max_tokens": 8, "temperature": 0.0, "top_p": 1.0, "seed": 0},
        ),
        (
            SamplingParams(max_new_tokens=8, temperature=-1.0),
            3,
            {"n": 1, "max_tokens": 8, "temperature": 0.0, "top_p": 1.0, "seed": 3},
        ),
    ],
)
def test_build_sampling_options(
    params: SamplingParams, seed: int, expected: dict[str, object]
) -> None:
    assert build_sampling_options(params, seed) == expected


@pytest.mark.skipif(VLLM_INSTALLED, reason="vllm is installed")
def test_missing_vllm_says_how_to_install() -> None:
    with pytest.raises(SamplerError, match=r"pip install 'reasonloop\[vllm\]'"):
        load_sampler("vllm", "some/model")


@pytest.mark.vllm
@pytest.mark.gpu
def test_generates_with_a_tiny_model(tmp_path: Path) -> None:
    pytest.importorskip("vllm")
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("vllm needs a CUDA device")
    model_dir = build_tiny_model(tmp_path / "tiny", hidden_size=256, num_attention_heads=4)
    sampler = load_sampler(
        "vllm", model_dir, gpu_memory_utilization=0.2, max_model_len=512, enforce_eager=True
    )
    conversations = [[{"role": "user", "content": "What is 47 + 38?"}]] * 4 + [
        [{"role": "user", "content": "Hi"}]
    ]
    params = SamplingParams(max_new_tokens=8, temperature=1.0, seed=0)
    completions = sampler.generate(conversations, params)
    assert len(completions) == 5
    assert len({c.text for c in completions[:4]}) > 1  # per-request seeds differ
    assert completions[0].prompt_tokens > completions[4].prompt_tokens
    for completion in completions:
        assert completion.finish_reason in ("stop", "length")
        assert 1 <= completion.completion_tokens <= 8
    greedy = sampler.generate(conversations[:2], SamplingParams(8, temperature=0.0))
    assert greedy[0].text == greedy[1].text


def test_a_call_mixing_new_turns_and_continuations_is_refused() -> None:
    from reasonloop.backends.vllm import chat_template_options

    new_turn = [{"role": "user", "content": "What is 2 + 2?"}]
    continuation = [*new_turn, {"role": "assistant", "content": "2 + 2 = 4.\n\n"}]
    assert chat_template_options([continuation, continuation])["continue_final_message"]
    with pytest.raises(SamplerError, match="continuations .step prefixes. in calls of their own"):
        chat_template_options([new_turn, continuation])
