"""How a process reward model reads a response: the prompt, then each step followed by the
separator, with the index of each step's last separator token.

Training (`reasonloop.train.prm`) and scoring (`reasonloop.rewards.prm`) encode through this one
function, so a step's score is read at the same place it was trained.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reasonloop.errors import DataError


@dataclass(frozen=True)
class EncodedSteps:
    """A prompt and its steps as token ids, and where each step's separator ends."""

    input_ids: list[int]
    step_ends: list[int]  # the index in input_ids of the last separator token of each step


def prompt_text(tokenizer: Any, prompt: Any) -> str:
    """The prompt as the model reads it: a conversation (or a bare question, made the user's
    turn) through the chat template with the assistant's turn opened; plain text without one."""
    if not getattr(tokenizer, "chat_template", None):
        return prompt if isinstance(prompt, str) else str(prompt)
    messages = [{"role": "user", "content": prompt}] if isinstance(prompt, str) else list(prompt)
    return str(tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True))


def encode_steps(tokenizer: Any, prompt: Any, steps: Sequence[str], separator: str) -> EncodedSteps:
    """Token ids of `prompt` and `steps`, each step followed by the separator.

    Each piece is tokenized on its own, so the separator's tokens never merge with a step's
    last characters and sit at the same place in training and scoring.
    """
    separator_ids = _ids(tokenizer, separator)
    if not separator_ids:
        raise DataError(f"the step separator {separator!r} has no tokens; choose another")
    ids = _ids(tokenizer, prompt_text(tokenizer, prompt))
    ends: list[int] = []
    for step in steps:
        ids += _ids(tokenizer, step) + separator_ids
        ends.append(len(ids) - 1)
    return EncodedSteps(ids, ends)


def _ids(tokenizer: Any, text: str) -> list[int]:
    return list(tokenizer(text, add_special_tokens=False)["input_ids"])
