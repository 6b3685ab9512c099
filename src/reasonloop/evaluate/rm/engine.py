"""Token log-probabilities from the CPU engine (CTranslate2), for the rewards that read a model.

The default backend samples with this engine (int8), so scoring a run's responses on it asks
the very policy that wrote them, and it scores several times faster than float32 transformers
on a CPU. A model is converted once, as the sampler converts it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reasonloop.backends.base import Conversation


class EngineScorer:
    """`model` ("default" or a HF directory) on the CTranslate2 engine, scoring token ids."""

    def __init__(self, model: str, *, threads: int = 0, compute_type: str = "int8") -> None:
        import ctranslate2

        from reasonloop.backends.cpus import available_cpus
        from reasonloop.backends.ctranslate2 import convert_model, is_converted, local_model_dir
        from reasonloop.backends.hf_models import load_hf_tokenizer
        from reasonloop.backends.source import ModelSource

        path = local_model_dir(model)
        if not is_converted(path):
            path = Path(convert_model(path, None, quantization=compute_type).path)
        self.tokenizer: Any = load_hf_tokenizer(ModelSource(str(path)), local_files_only=True)
        self.engine: Any = ctranslate2.Generator(
            str(path),
            device="cpu",
            compute_type=compute_type,
            intra_threads=threads or available_cpus(),
        )

    def prompt_ids(self, conversation: Conversation) -> list[int]:
        """The conversation as the sampler encodes it, ready for the assistant's reply."""
        from reasonloop.backends.transformers import encode_prompt

        return encode_prompt(self.tokenizer, conversation)

    def text_ids(self, text: str) -> list[int]:
        return list(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def token_logprobs(self, sequences: Sequence[list[int]]) -> list[list[float]]:
        """log P(token t | tokens before it) for t = 1 .. len - 1 of each sequence."""
        tokens = [self.tokenizer.convert_ids_to_tokens(ids) for ids in sequences]
        results = self.engine.score_batch(tokens, max_input_length=0)
        return [list(result.log_probs) for result in results]
