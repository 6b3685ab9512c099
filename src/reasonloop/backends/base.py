"""The sampler interface: one batch method, shared by every backend."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal, Protocol, runtime_checkable

from reasonloop.errors import ReasonloopError

# A chat conversation, as the OpenAI API and HF chat templates take it:
# [{"role": "system", "content": ...}, {"role": "user", "content": ...}].
Message = dict[str, str]
Conversation = list[Message]

# "stop": the model ended its turn (EOS or a stop string); "length": it ran out of tokens.
FinishReason = Literal["stop", "length"]


@dataclass(frozen=True)
class SamplingParams:
    """How to sample. `temperature == 0` means greedy decoding.

    `seeds`, when set, holds one seed per conversation of a `generate` call: a backend that
    honours them draws each sample from its own seed, so a sample does not depend on which
    batch it was drawn in (`sample_problems` sets them; see backends/seeds.py for which
    backends honour them). `seed` is the run's (or the batch's) seed.
    """

    max_new_tokens: int = 256
    temperature: float = 0.8
    top_p: float = 1.0
    seed: int = 0
    seeds: tuple[int, ...] | None = None

    @property
    def greedy(self) -> bool:
        return self.temperature <= 0.0

    def to_dict(self) -> dict[str, Any]:
        """The run-level settings; per-call `seeds` are left out (they are not a setting)."""
        data = asdict(self)
        del data["seeds"]
        return data


@dataclass(frozen=True)
class Completion:
    """One sampled response and what it cost."""

    text: str
    prompt_tokens: int
    completion_tokens: int
    finish_reason: FinishReason
    latency_s: float


class SamplerError(ReasonloopError):
    """A backend could not be set up or could not answer (missing extra, dead server, ...)."""


@runtime_checkable
class Sampler(Protocol):
    """A model that answers conversations.

    `generate` returns exactly one completion per conversation, in order. Callers that want
    k samples per problem pass the conversation k times.
    """

    model_id: str

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]: ...


def check_continues(sampler: Sampler, why: str) -> None:
    """A SamplerError unless `sampler` continues a conversation's final assistant turn.

    A backend that can sets `continues_final_message = True`: given a conversation that ends
    with an assistant turn, it writes only the text that follows that turn's content (a step
    prefix). One that cannot would answer afresh, silently, so it is refused up front.
    """
    if not getattr(sampler, "continues_final_message", False):
        raise SamplerError(
            f"{sampler.model_id} cannot continue a partial assistant message, which {why} "
            "needs; use a backend that can (default, ctranslate2, transformers, vllm, fake; "
            "openai with --backend-option continue_final_message=true for a vLLM server)"
        )
