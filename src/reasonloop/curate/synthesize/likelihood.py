"""The likelihood dev score: how probable the model finds the gold answer after a prompt.

For each dev problem the score is the mean log-probability per token of the answer sentence
"The answer is <gold>." as the start of the assistant's reply. A demonstration that teaches the
model something about the dev problems raises it; it needs one forward pass per prompt and no
generation, and it is informative even for a model that answers almost nothing right.
torch and transformers are imported only when a scorer is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tqdm import tqdm

from reasonloop.backends.base import Conversation
from reasonloop.curate.synthesize.one_shot import with_prefix
from reasonloop.prompts import PromptTemplate
from reasonloop.tasks.problem import Problem


def answer_sentence(gold: str) -> str:
    """The completion whose probability is measured (the default template's final sentence)."""
    return f"The answer is {gold}."


class LikelihoodScorer:
    """Mean per-token log-probability of each dev problem's answer sentence, averaged over dev.

    `model` is "default", a local HF directory, a `.gguf` file or a cached hub id.
    """

    def __init__(
        self,
        model: str,
        template: PromptTemplate,
        *,
        max_prompt_tokens: int = 1024,
        progress: bool = False,
    ) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        directory = _model_directory(model)
        self.tokenizer: Any = AutoTokenizer.from_pretrained(directory)
        self.model: Any = AutoModelForCausalLM.from_pretrained(directory, dtype=torch.float32)
        self.model.requires_grad_(False)
        self.template = template
        self.max_prompt_tokens = max_prompt_tokens
        self.progress = progress

    def score(self, prefixes: Sequence[Conversation], dev: Sequence[Problem]) -> list[float]:
        scores: list[float] = []
        for prefix in tqdm(
            prefixes, desc="score one-shot prompts", unit="prompt", disable=not self.progress
        ):
            pairs = [(with_prefix(prefix, p, self.template), answer_sentence(p.gold)) for p in dev]
            values = self.answer_logprobs(pairs)
            scores.append(sum(values) / len(values))
        return scores

    def answer_logprobs(self, pairs: Sequence[tuple[Conversation, str]]) -> list[float]:
        """Mean log-probability per token of each answer as the start of the assistant turn.

        One right-padded batch per call; padding never attends (mask) nor is scored.
        """
        import torch

        rows = [self._encode(conversation, answer) for conversation, answer in pairs]
        width = max(len(prompt) + len(answer) for prompt, answer in rows)
        ids = torch.zeros((len(rows), width), dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, (prompt, answer) in enumerate(rows):
            ids[i, : len(prompt) + len(answer)] = torch.tensor(prompt + answer)
            mask[i, : len(prompt) + len(answer)] = 1
        with torch.no_grad():
            logprobs = torch.log_softmax(self.model(ids, attention_mask=mask).logits.float(), -1)
        values: list[float] = []
        for i, (prompt, answer) in enumerate(rows):
            # the token at position t is predicted by the logits at t - 1
            positions = torch.arange(len(prompt) - 1, len(prompt) + len(answer) - 1)
            values.append(float(logprobs[i, positions, torch.tensor(answer)].mean()))
        return values

    def _encode(self, conversation: Conversation, answer: str) -> tuple[list[int], list[int]]:
        prompt = self.tokenizer.apply_chat_template(
            conversation, add_generation_prompt=True, tokenize=True
        )
        if not isinstance(prompt, list):  # newer tokenizers return a BatchEncoding
            prompt = list(prompt["input_ids"])
        answer_ids = list(self.tokenizer(answer, add_special_tokens=False)["input_ids"])
        return list(prompt)[-self.max_prompt_tokens :], answer_ids


def _model_directory(model: str) -> str:
    # The one resolver: "default" and GGUF files are converted once into the user's cache.
    from reasonloop.backends.hf_models import default_cache_dir, prepare_model_dir

    return prepare_model_dir(model, default_cache_dir() / "converted")
