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

    `model` is a local HF model directory or "default" (the embedded model, converted once).
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
        for prefix in tqdm(prefixes, unit="prompt", disable=not self.progress):
            values = [
                self.answer_logprob(with_prefix(prefix, p, self.template), answer_sentence(p.gold))
                for p in dev
            ]
            scores.append(sum(values) / len(values))
        return scores

    def answer_logprob(self, conversation: Conversation, answer: str) -> float:
        """Mean log-probability per token of `answer` as the start of the assistant turn."""
        import torch

        prompt_ids = self.tokenizer.apply_chat_template(
            conversation, add_generation_prompt=True, tokenize=True
        )
        if not isinstance(prompt_ids, list):  # newer tokenizers return a BatchEncoding
            prompt_ids = list(prompt_ids["input_ids"])
        prompt_ids = prompt_ids[-self.max_prompt_tokens :]
        answer_ids = self.tokenizer(answer, add_special_tokens=False)["input_ids"]
        ids = torch.tensor([prompt_ids + answer_ids])
        with torch.no_grad():
            logits = self.model(ids).logits[0, len(prompt_ids) - 1 : -1]
        logprobs = torch.log_softmax(logits.float(), dim=-1)
        picked = logprobs[torch.arange(len(answer_ids)), torch.tensor(answer_ids)]
        return float(picked.mean())


def _model_directory(model: str) -> str:
    if model == "default":
        from reasonloop.backends.hf_models import prepare_default_model

        return prepare_default_model()
    return model
