"""A model's greedy responses to requests, in batches, with a labelled progress bar."""

from __future__ import annotations

from collections.abc import Sequence

from tqdm import tqdm

from reasonloop.backends.base import Conversation, Sampler, SamplingParams
from reasonloop.safety.benign import BenignRequest
from reasonloop.safety.judge import judge_refusal

BATCH = 8


def respond(
    sampler: Sampler,
    conversations: Sequence[Conversation],
    params: SamplingParams,
    *,
    label: str,
    progress: bool = True,
) -> list[str]:
    """One response per conversation, in order; the bar counts responses under `label`."""
    texts: list[str] = []
    with tqdm(total=len(conversations), desc=label, unit="response", disable=not progress) as bar:
        for start in range(0, len(conversations), BATCH):
            batch = list(conversations[start : start + BATCH])
            texts += [c.text for c in sampler.generate(batch, params)]
            bar.update(len(batch))
    return texts


def answer_benign(
    sampler: Sampler,
    requests: Sequence[BenignRequest],
    params: SamplingParams,
    *,
    progress: bool = True,
) -> list[tuple[BenignRequest, str]]:
    """The model's own answers to benign requests, kept where the refusal judge calls them
    compliance (a refusal or partial refusal of a benign request is what we train away)."""
    conversations = [[{"role": "user", "content": r.text}] for r in requests]
    answers = respond(sampler, conversations, params, label="benign answers", progress=progress)
    return [
        (request, answer)
        for request, answer in zip(requests, answers, strict=True)
        if judge_refusal(answer).label == "compliance"
    ]
