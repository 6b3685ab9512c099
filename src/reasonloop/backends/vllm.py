"""Sample with vLLM's offline engine (`vllm.LLM(...).chat(...)`) on local GPUs.

vLLM is imported when the sampler is built, so this module loads without it. The engine
applies the model's chat template and batches internally; we pass every conversation at
once, each with its own seed so k copies of one prompt are k different samples.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from reasonloop.backends.base import Completion, Conversation, SamplerError, SamplingParams
from reasonloop.backends.seeds import request_seeds

INSTALL_HINT = "pip install 'reasonloop[vllm]'"


class VLLMSampler:
    """A model served in-process by vLLM; `engine_options` go to `vllm.LLM`.

    Useful options: `tensor_parallel_size`, `gpu_memory_utilization`, `max_model_len`,
    `dtype`, `enforce_eager`. `llm` is public for callers that need the engine itself.
    """

    continues_final_message = True  # a trailing assistant turn is continued (base.py)

    def __init__(self, model: str, **engine_options: Any) -> None:
        if not model:
            raise SamplerError("the vllm backend needs a model: a local path or a hub id")
        try:
            import vllm
        except ImportError as error:
            raise SamplerError(
                f"the vllm backend needs the 'vllm' package ({error}); "
                f"install it with: {INSTALL_HINT}"
            ) from error
        self._vllm = vllm
        self.model_id = f"vllm:{model}"
        try:
            self.llm = vllm.LLM(model=model, **engine_options)
        except (OSError, ValueError) as error:
            raise SamplerError(f"vLLM cannot load model {model!r}: {error}") from error
        self._calls = 0

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]:
        if not conversations:
            return []
        seeds = request_seeds(params.seeds, params.seed, self._calls, len(conversations))
        self._calls += 1
        per_request = [
            self._vllm.SamplingParams(**build_sampling_options(params, seed)) for seed in seeds
        ]
        started = time.perf_counter()
        outputs = self.llm.chat(
            [list(conversation) for conversation in conversations],
            sampling_params=per_request,
            use_tqdm=False,
            **chat_template_options(conversations),
        )
        # Each completion is charged its share of the engine's wall time.
        latency = (time.perf_counter() - started) / len(conversations)
        return [to_completion(output, latency) for output in outputs]


def chat_template_options(conversations: Sequence[Conversation]) -> dict[str, bool]:
    """How `LLM.chat` renders a call: open a new assistant turn, or continue the final one
    (a step prefix). One setting holds for a whole call, so a call mixing both is refused.

    >>> chat_template_options([[{"role": "user", "content": "2 + 2?"}]])
    {'add_generation_prompt': True, 'continue_final_message': False}
    >>> chat_template_options([[{"role": "user", "content": "2 + 2?"},
    ...                         {"role": "assistant", "content": "2 + 2 = 4."}]])
    {'add_generation_prompt': False, 'continue_final_message': True}
    """
    continuing = {bool(c) and c[-1].get("role") == "assistant" for c in conversations}
    if len(continuing) > 1:
        raise SamplerError(
            "a vLLM call continues the final assistant turn of all its conversations or of "
            "none; send continuations (step prefixes) in calls of their own"
        )
    continues = continuing.pop()
    return {"add_generation_prompt": not continues, "continue_final_message": continues}


def build_sampling_options(params: SamplingParams, seed: int) -> dict[str, Any]:
    """Keyword arguments for `vllm.SamplingParams` (temperature 0 is greedy in vLLM too).

    >>> build_sampling_options(SamplingParams(max_new_tokens=8, temperature=0.0), seed=1)
    {'n': 1, 'max_tokens': 8, 'temperature': 0.0, 'top_p': 1.0, 'seed': 1}
    """
    return {
        "n": 1,
        "max_tokens": params.max_new_tokens,
        "temperature": max(params.temperature, 0.0),
        "top_p": params.top_p,
        "seed": seed,
    }


def to_completion(output: Any, latency_s: float) -> Completion:
    """A Completion from a `vllm.RequestOutput` (its first and only sample)."""
    sample = output.outputs[0]
    return Completion(
        text=sample.text,
        prompt_tokens=len(output.prompt_token_ids or []),
        completion_tokens=len(sample.token_ids),
        finish_reason="length" if sample.finish_reason == "length" else "stop",
        latency_s=latency_s,
    )
