"""One problem's graded responses, sorted into what the dataset builders can use.

The builders agree on these rules, so they live here once:

- Only `correct`, `incorrect` and `no_answer` verdicts are evidence about the response. A
  `timeout` says nothing about it, and `unparseable_gold` says the problem itself is broken,
  so neither kind of sample is ever trained on.
- A correct response cut off by the token budget (`finish_reason == "length"`) is not a
  demonstration: training on it would teach the model to stop mid-thought. It still counts
  towards the pass rate (the verifier found the answer).
- Responses are distinct after whitespace normalisation; the first occurrence (lowest round,
  then sample index) is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reasonloop.backends.base import Conversation
from reasonloop.sample.record import GradedSample
from reasonloop.verify.verdict import Status

# Statuses that say the response is wrong; unparseable golds and timeouts say nothing about it.
WRONG_STATUSES = frozenset({Status.INCORRECT, Status.NO_ANSWER})


@dataclass(frozen=True)
class ResponsePool:
    """The usable responses to one problem.

    `wrong` lists wrong-answer responses (status `incorrect`) before responses with no answer,
    the order in which DPO takes its rejected responses.
    """

    problem_id: str
    prompt: Conversation
    correct: tuple[GradedSample, ...]
    wrong: tuple[GradedSample, ...]


def normalize_response(text: str) -> str:
    """The response with runs of whitespace collapsed, the key for deduplication.

    >>> normalize_response("  The answer\\n is  4. ")
    'The answer is 4.'
    """
    return " ".join(text.split())


def pool_responses(problem_id: str, samples: Sequence[GradedSample]) -> ResponsePool | None:
    """Sort one problem's samples into a pool; None when it has no sample to learn from."""
    ordered = sorted(samples, key=lambda s: (s.round, s.sample_index))
    usable = [s for s in ordered if s.status is Status.CORRECT or s.status in WRONG_STATUSES]
    if not usable:
        return None
    correct = [s for s in usable if s.correct and s.finish_reason != "length"]
    wrong_answers = [s for s in usable if not s.correct and s.status is Status.INCORRECT]
    no_answers = [s for s in usable if not s.correct and s.status is Status.NO_ANSWER]
    return ResponsePool(
        problem_id=problem_id,
        prompt=usable[0].prompt,
        correct=tuple(_distinct(correct)),
        wrong=tuple(_distinct(wrong_answers + no_answers)),
    )


def assistant_turn(response: str) -> Conversation:
    """A response as TRL's conversational completion: one assistant message."""
    return [{"role": "assistant", "content": response}]


def copy_prompt(prompt: Conversation) -> Conversation:
    """A fresh copy, so rows never share message dicts with the samples they came from."""
    return [dict(message) for message in prompt]


def _distinct(samples: Iterable[GradedSample]) -> list[GradedSample]:
    seen: set[str] = set()
    kept: list[GradedSample] = []
    for sample in samples:
        key = normalize_response(sample.response)
        if key and key not in seen:
            seen.add(key)
            kept.append(sample)
    return kept
