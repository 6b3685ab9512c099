"""Small judge models for the tests: real Sampler implementations with scripted replies."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from reasonloop.backends.base import Completion, Conversation, SamplingParams

_FIELD = re.compile(r"^(Reference answer|Student answer): (.*)$", re.MULTILINE)


def fields(conversation: Conversation) -> dict[str, str]:
    """The reference and student answers an answer-only / with-question prompt shows."""
    return dict(_FIELD.findall(conversation[-1]["content"]))


class ScriptedJudge:
    """Replies `reply(reference, student)` to every judge prompt; counts what it was asked."""

    def __init__(self, reply: Callable[[str, str], str], model_id: str = "scripted") -> None:
        self.reply = reply
        self.model_id = model_id
        self.asked: list[tuple[str, str]] = []

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]:
        out = []
        for conversation in conversations:
            shown = fields(conversation)
            pair = (shown["Reference answer"], shown["Student answer"])
            self.asked.append(pair)
            out.append(Completion(self.reply(*pair), 10, 1, "stop", 0.0))
        return out


def always(text: str) -> ScriptedJudge:
    """A judge that says `text` whatever it is shown (e.g. a judge hacked into saying Yes)."""
    return ScriptedJudge(lambda reference, student: text, model_id=f"always-{text}")
