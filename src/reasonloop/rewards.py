"""Reward functions with TRL's signature, built on the verifier.

`math_reward(completions, solution, **kwargs) -> list[float | None]`: 1.0 for a correct final
answer, 0.0 otherwise, None where the gold cannot be parsed (TRL skips None rewards).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reasonloop.verify import Status, verify_batch


def math_reward(
    completions: Sequence[Any], solution: Sequence[str], **kwargs: Any
) -> list[float | None]:
    """Grade completions (strings, or conversations whose last assistant turn is graded).

    >>> math_reward(["so the answer is $\\\\boxed{4}$"], ["4"])
    [1.0]
    """
    if len(completions) != len(solution):
        raise ValueError(
            f"math_reward got {len(completions)} completions but {len(solution)} solutions"
        )
    responses = [completion_text(completion) for completion in completions]
    verdicts = verify_batch(zip(responses, [str(s) for s in solution], strict=True))
    return [
        None if verdict.status is Status.UNPARSEABLE_GOLD else float(verdict.correct)
        for verdict in verdicts
    ]


def completion_text(completion: Any) -> str:
    """The text of a completion: a string, or the last assistant message's content."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        return _content_text(completion.get("content", ""))
    if isinstance(completion, Sequence):
        for message in reversed(completion):
            if isinstance(message, dict) and message.get("role", "assistant") == "assistant":
                return _content_text(message.get("content", ""))
    return ""


def _content_text(content: Any) -> str:
    """Message content is a string or a list of typed parts ({"type": "text", "text": ...})."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""
