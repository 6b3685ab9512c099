"""Sample with a local Hugging Face model through `model.generate` (CPU or one GPU).

Prompts are rendered with the tokenizer's chat template, sorted by length so batches hold
prompts of similar size, generated with left padding, and put back in the caller's order.
Token counts are exact: padding is never counted; a completion that ends on EOS counts the
EOS token (as vLLM and OpenAI-style servers do), and its text leaves it out.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch
from transformers import GenerationConfig, LogitsProcessorList

from reasonloop.backends.base import (
    Completion,
    Conversation,
    FinishReason,
    SamplerError,
    SamplingParams,
)
from reasonloop.backends.cpus import cpu_supports_bfloat16
from reasonloop.backends.hf_models import (
    cached_gguf_dir,
    load_hf_model,
    load_hf_tokenizer,
    prepare_default_model,
)
from reasonloop.backends.row_sampling import SeededRowSampler
from reasonloop.backends.source import ModelSource, ModelSourceError, resolve_model_source

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


class TransformersSampler:
    """A Hugging Face causal LM, loaded from a local directory, a `.gguf` file or the HF cache.

    `model` and `tokenizer` are public so a training step can reuse the loaded weights.
    Hub ids are read from the local cache only unless `local_files_only=False`
    (without network, a download attempt spends about a minute on retries before failing).
    `num_threads` sets torch's CPU thread count for the whole process.
    """

    continues_final_message = True  # a trailing assistant turn is continued (base.py)

    def __init__(
        self,
        model: str,
        *,
        device: str | None = None,
        batch_size: int = 16,
        dtype: str = "auto",
        gguf_file: str | None = None,
        trust_remote_code: bool = False,
        local_files_only: bool = True,
        num_threads: int | None = None,
    ) -> None:
        if batch_size < 1:
            raise SamplerError(f"batch_size must be at least 1, got {batch_size}")
        if num_threads is not None:
            # Process-wide. On a busy CPU, fewer threads than cores can be several times faster.
            torch.set_num_threads(num_threads)
        source = resolve_gguf_option(resolve_model_source(model), gguf_file)
        if source.gguf_file is not None:
            # transformers de-quantizes a GGUF on every load: load a converted copy instead.
            converted = prepare_default_model() if source.is_default else cached_gguf_dir(source)
            source = resolve_model_source(converted)
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.batch_size = batch_size
        self.model_id = f"transformers:{model}"
        options: dict[str, Any] = {
            "trust_remote_code": trust_remote_code,
            "local_files_only": local_files_only,
        }
        self.tokenizer = load_hf_tokenizer(source, **options)
        self.tokenizer.padding_side = "left"
        self.model = load_hf_model(source, dtype=pick_dtype(dtype, self.device), **options)
        self.model.to(self.device)
        self.model.eval()
        self.eos_token_ids = collect_eos_token_ids(self.model, self.tokenizer)
        self._calls = 0

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]:
        prompts = [encode_prompt(self.tokenizer, conversation) for conversation in conversations]
        # Longest first: similar lengths share a batch (less padding), and an out-of-memory
        # error, if any, shows up in the first batch.
        order = sorted(range(len(prompts)), key=lambda index: -len(prompts[index]))
        completions: dict[int, Completion] = {}
        # Per-sample seeds: each row draws from its own generator (row_sampling.py).
        seeds_by_index = None if params.greedy or params.seeds is None else list(params.seeds)
        if seeds_by_index is not None and len(seeds_by_index) != len(prompts):
            raise SamplerError(f"{len(seeds_by_index)} seeds for {len(prompts)} conversations")
        self.model.eval()  # a training step may have shared the model and left it in train mode
        with torch.random.fork_rng(devices=self._rng_devices()):
            # Successive calls with the same seed must not repeat the same samples.
            torch.manual_seed(params.seed * 1_000_003 + self._calls)
            self._calls += 1
            for batch in split_batches(order, self.batch_size):
                batch_prompts = [prompts[index] for index in batch]
                seeds = None if seeds_by_index is None else [seeds_by_index[i] for i in batch]
                for index, completion in zip(
                    batch, self._generate_batch(batch_prompts, params, seeds), strict=True
                ):
                    completions[index] = completion
        return [completions[index] for index in range(len(prompts))]

    def _generate_batch(
        self, prompts: list[list[int]], params: SamplingParams, seeds: list[int] | None = None
    ) -> list[Completion]:
        started = time.perf_counter()
        inputs = self.tokenizer.pad({"input_ids": prompts}, padding=True, return_tensors="pt").to(
            self.device
        )
        processors = LogitsProcessorList()
        decoding = params
        if seeds is not None:
            device = torch.device(self.device)
            processors.append(SeededRowSampler(seeds, params.temperature, params.top_p, device))
            decoding = replace(params, temperature=0.0)  # greedy over the drawn token
        with torch.inference_mode():
            output = self.model.generate(
                input_ids=inputs["input_ids"],
                attention_mask=inputs["attention_mask"],
                generation_config=build_generation_config(
                    decoding, self.eos_token_ids, self.tokenizer.pad_token_id
                ),
                logits_processor=processors,
            )
        new_tokens = output[:, inputs["input_ids"].shape[1] :].tolist()
        # Each completion is charged its share of the batch's wall time.
        latency = (time.perf_counter() - started) / len(prompts)
        return [
            self._to_completion(prompt, tokens, params, latency)
            for prompt, tokens in zip(prompts, new_tokens, strict=True)
        ]

    def _to_completion(
        self, prompt: list[int], tokens: list[int], params: SamplingParams, latency: float
    ) -> Completion:
        end = find_eos(tokens, self.eos_token_ids)
        finish_reason: FinishReason = "length" if end is None else "stop"
        text_tokens = tokens if end is None else tokens[:end]
        return Completion(
            text=self.tokenizer.decode(text_tokens, skip_special_tokens=True),
            prompt_tokens=len(prompt),
            completion_tokens=len(tokens) if end is None else end + 1,
            finish_reason=finish_reason,
            latency_s=latency,
        )

    def _rng_devices(self) -> list[int]:
        device = torch.device(self.device)
        return [device.index or 0] if device.type == "cuda" else []


def resolve_gguf_option(source: ModelSource, gguf_file: str | None) -> ModelSource:
    """`source` with the `gguf_file` option applied: a GGUF file inside a model directory."""
    if gguf_file is None:
        return source
    if not (Path(source.path) / gguf_file).is_file():
        raise ModelSourceError(f"GGUF file {gguf_file!r} does not exist in {source.path!r}")
    return replace(source, gguf_file=gguf_file)


def pick_dtype(dtype: str, device: str) -> Any:
    """For "auto" on CPU: bfloat16 where the CPU computes in it natively (faster generation,
    see benchmarks/sampling_bench.py), else float32 (there half precision is emulated, slow)."""
    if dtype == "auto":
        if torch.device(device).type != "cpu":
            return "auto"
        return torch.bfloat16 if cpu_supports_bfloat16() else torch.float32
    if dtype not in DTYPES:
        raise SamplerError(f"unknown dtype {dtype!r}; choose auto, {', '.join(DTYPES)}")
    return DTYPES[dtype]


def collect_eos_token_ids(model: Any, tokenizer: Any) -> list[int]:
    """Every token that ends a turn: the generation config's EOS ids and the tokenizer's."""
    configured = model.generation_config.eos_token_id
    ids = configured if isinstance(configured, list) else [configured]
    ids = [*ids, tokenizer.eos_token_id]
    unique = sorted({token for token in ids if token is not None})
    if not unique:
        raise SamplerError("the model has no end-of-sequence token; cannot tell when to stop")
    return unique


def encode_prompt(tokenizer: Any, conversation: Conversation) -> list[int]:
    """Token ids of the conversation, ready for the assistant's reply; when it ends with an
    assistant turn (a step prefix), ready to continue that turn's text."""
    continuing = bool(conversation) and conversation[-1].get("role") == "assistant"
    if tokenizer.chat_template:
        text = tokenizer.apply_chat_template(
            conversation,
            add_generation_prompt=not continuing,
            continue_final_message=continuing,
            tokenize=False,
        )
        if continuing:
            # Some templates trim the turn's trailing white space (a step's separator); the
            # model must continue from the prefix as written.
            prefix = conversation[-1]["content"]
            if not text.endswith(prefix):
                text += prefix[len(prefix.rstrip()) :]
        # The template writes the special tokens itself (a BOS when the model wants one).
        return list(tokenizer(text, add_special_tokens=False)["input_ids"])
    return list(tokenizer(render_plain_prompt(conversation))["input_ids"])


def render_plain_prompt(conversation: Conversation) -> str:
    """A "role: content" transcript, for tokenizers without a chat template; a trailing
    assistant turn is left open, to be continued.

    >>> render_plain_prompt([{"role": "user", "content": "What is 2 + 2?"}])
    'user: What is 2 + 2?\\nassistant:'
    >>> render_plain_prompt([{"role": "user", "content": "2 + 2?"},
    ...                      {"role": "assistant", "content": "2 + 2 = 4."}])
    'user: 2 + 2?\\nassistant: 2 + 2 = 4.'
    """
    lines = [f"{turn['role']}: {turn['content']}" for turn in conversation]
    if conversation and conversation[-1].get("role") == "assistant":
        return "\n".join(lines)
    return "\n".join([*lines, "assistant:"])


def build_generation_config(
    params: SamplingParams, eos_token_ids: list[int], pad_token_id: int
) -> GenerationConfig:
    """Plain temperature / top-p sampling (no top-k), or greedy when temperature is 0."""
    sampling: dict[str, Any] = {"do_sample": False, "temperature": 1.0, "top_p": 1.0}
    if not params.greedy:
        # top_k=0 turns off the top-50 cut that HF applies by default and vLLM/OpenAI do not.
        sampling = {"do_sample": True, "temperature": params.temperature, "top_p": params.top_p}
        sampling["top_k"] = 0
    return GenerationConfig(  # type: ignore[no-untyped-call]
        max_new_tokens=params.max_new_tokens,
        eos_token_id=eos_token_ids,
        pad_token_id=pad_token_id,
        **sampling,
    )


def find_eos(tokens: list[int], eos_token_ids: list[int]) -> int | None:
    """Index of the first EOS token, or None when the completion ran out of tokens.

    >>> find_eos([5, 6, 2, 2], [2])
    2
    """
    for index, token in enumerate(tokens):
        if token in eos_token_ids:
            return index
    return None


def split_batches(items: list[int], size: int) -> Iterator[list[int]]:
    """Consecutive slices of at most `size` items.

    >>> list(split_batches([1, 2, 3], 2))
    [[1, 2], [3]]
    """
    for start in range(0, len(items), size):
        yield items[start : start + size]
