"""The baseline rewards: chance and length. Neither reads the problem's answer or a model.

A reward that beats them has learned something beyond "pick one" and "pick the short one";
length matters because wrong responses of a small model are often the rambling ones.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from reasonloop.rewards import completion_text


class RandomReward:
    """A uniform score in [0, 1) drawn from a hash of (seed, prompt, response).

    The score depends on the content only, not on the order of the calls, so a rerun (or a
    Best-of-N subset) gives each response the same score, and a seed gives another draw.

    >>> reward = RandomReward(seed=1)
    >>> reward(["a", "b"]) == reward(["a", "b"]) != RandomReward(seed=2)(["a", "b"])
    True
    """

    __name__ = "random_reward"

    def __init__(self, *, seed: int = 0) -> None:
        self.seed = seed
        self.identity = f"random|seed={seed}"

    def __call__(self, completions: Sequence[Any], **kwargs: Any) -> list[float | None]:
        prompts = kwargs.get("prompts") or [None] * len(completions)
        return [
            self._draw(str(prompt), completion_text(completion))
            for prompt, completion in zip(prompts, completions, strict=True)
        ]

    def _draw(self, prompt: str, response: str) -> float:
        text = f"{self.seed}\0{prompt}\0{response}".encode()
        return int.from_bytes(hashlib.sha256(text).digest()[:8], "big") / 2.0**64


class LengthReward:
    """Minus the response's length, so the shortest response scores highest.

    `unit` is `chars` (default) or `words` (white-space separated).

    >>> LengthReward()(["The answer is 4.", "4"])
    [-16.0, -1.0]
    """

    __name__ = "length_reward"
    UNITS = ("chars", "words")

    def __init__(self, *, unit: str = "chars") -> None:
        from reasonloop.errors import ConfigError

        if unit not in self.UNITS:
            raise ConfigError(f"reward length: unit must be one of {', '.join(self.UNITS)}")
        self.unit = unit
        self.identity = f"length|{unit}"

    def __call__(self, completions: Sequence[Any], **kwargs: Any) -> list[float | None]:
        texts = [completion_text(c) for c in completions]
        if self.unit == "words":
            return [-float(len(text.split())) for text in texts]
        return [-float(len(text)) for text in texts]
