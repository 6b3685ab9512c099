"""Safety SFT rows: refusals of harmful requests, answered benign look-alikes, and math.

TRL's conversational prompt-completion rows, each with `kind` (`refusal`, `benign`, `math`),
`id`, `source`, `category` and the refusal `format`. The mix follows Zhang et al. (arXiv
2505.15404): refusal targets in one of three formats (see `safety/targets.py`), and a share
of math reasoning rows so that safety training does not teach refusing everything.

`math_share` is the share of math rows in the whole set: with n safety rows (refusals plus
benign answers) and share s, round(n * s / (1 - s)) math rows are added, drawn without
replacement from the math pool in a seeded order (fewer if the pool is smaller, and the
build says so).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reasonloop.backends.base import Conversation
from reasonloop.errors import ConfigError, EmptyDatasetError
from reasonloop.prompts import DEFAULT_TEMPLATE, PromptTemplate
from reasonloop.safety.benign import BenignRequest
from reasonloop.safety.requests import HarmfulRequest
from reasonloop.safety.targets import SafetyFormat, refusal_target
from reasonloop.tasks.problem import Problem
from reasonloop.tasks.procedural import generate_task

# The study trains on about 1,000 safety examples.
DEFAULT_REFUSALS = 1000


@dataclass(frozen=True)
class SafetyMix:
    """What goes into a safety dataset besides the refusal format."""

    fmt: SafetyFormat = "short-cot"
    math_share: float = 0.0
    max_refusals: int = DEFAULT_REFUSALS
    seed: int = 0

    def __post_init__(self) -> None:
        if not 0.0 <= self.math_share < 1.0:
            raise ConfigError(f"math share must be in [0, 1), got {self.math_share}")
        if self.max_refusals < 1:
            raise ConfigError(f"the refusal count must be at least 1, got {self.max_refusals}")


def refusal_rows(requests: Sequence[HarmfulRequest], mix: SafetyMix) -> list[dict[str, Any]]:
    """Up to `mix.max_refusals` requests (a seeded choice, kept in input order), each with
    its refusal target in `mix.fmt`."""
    chosen = _choose(len(requests), mix.max_refusals, mix.seed)
    return [
        _row(
            [{"role": "user", "content": requests[i].text}],
            refusal_target(requests[i], mix.fmt),
            kind="refusal",
            id=requests[i].id,
            source=requests[i].source,
            category=requests[i].category,
            format=mix.fmt,
        )
        for i in chosen
    ]


def benign_rows(answered: Sequence[tuple[BenignRequest, str]]) -> list[dict[str, Any]]:
    """Benign look-alikes with the answers a model gave (callers keep only compliant ones)."""
    return [
        _row(
            [{"role": "user", "content": request.text}],
            answer,
            kind="benign",
            id=request.id,
            source=request.source,
            category=request.category,
        )
        for request, answer in answered
    ]


def math_count(safety_rows: int, share: float) -> int:
    """Math rows that make `share` of the whole set.

    >>> math_count(900, 0.1), math_count(900, 0.5), math_count(900, 0.0)
    (100, 900, 0)
    """
    return round(safety_rows * share / (1.0 - share))


def arithmetic_math_rows(
    n: int, *, seed: int = 0, template: PromptTemplate = DEFAULT_TEMPLATE
) -> list[dict[str, Any]]:
    """`n` rows of the built-in arithmetic task (2 digits, + - *) with their gold solutions,
    written out as one line of working and the answer line the template asks for."""
    problems = generate_task("arithmetic", n, seed=seed, digits=2, ops="+-*")
    return [
        _row(
            template.render(p),
            arithmetic_solution(p),
            kind="math",
            id=p.id,
            source="arithmetic",
            category="math",
        )
        for p in problems
    ]


_EXPRESSION = re.compile(r"What is (\d+ [-+*] \d+)\?")


def arithmetic_solution(problem: Problem) -> str:
    """The worked gold solution of an arithmetic question.

    >>> arithmetic_solution(Problem("p", "What is 52 + 10?", "62"))
    '52 + 10 = 62.\\nThe answer is 62.'
    """
    match = _EXPRESSION.fullmatch(problem.question)
    if match is None:
        raise ConfigError(f"problem {problem.id} is not a built-in arithmetic question")
    return f"{match.group(1)} = {problem.gold}.\nThe answer is {problem.gold}."


def math_rows_from_sft(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """A run's SFT rows (verified-correct samples) as math rows of the safety set."""
    return [
        {
            "prompt": row["prompt"],
            "completion": row["completion"],
            "kind": "math",
            "id": row["problem_id"],
            "source": "run",
            "category": "math",
        }
        for row in rows
    ]


def mix_rows(
    safety: Sequence[dict[str, Any]], math_pool: Sequence[dict[str, Any]], mix: SafetyMix
) -> tuple[list[dict[str, Any]], int]:
    """Safety rows plus the math share, shuffled by seed; also the math rows wanted."""
    wanted = math_count(len(safety), mix.math_share)
    chosen = [math_pool[i] for i in _choose(len(math_pool), wanted, mix.seed)]
    rows = [*safety, *chosen]
    random.Random(mix.seed).shuffle(rows)
    return rows, wanted


def _choose(n: int, k: int, seed: int) -> list[int]:
    if k >= n:
        return list(range(n))
    return sorted(random.Random(seed).sample(range(n), k))


def _row(prompt: Conversation, completion: str, **fields: str) -> dict[str, Any]:
    return {
        "prompt": prompt,
        "completion": [{"role": "assistant", "content": completion}],
        **fields,
    }


@dataclass(frozen=True)
class SafetyDataset:
    """The rows, and what they came from (for the build's summary line)."""

    rows: list[dict[str, Any]]
    refusals: int
    benign: int
    math: int
    math_wanted: int


def build_safety_dataset(
    train: Sequence[HarmfulRequest],
    mix: SafetyMix,
    math_pool: Sequence[dict[str, Any]],
    answered: Sequence[tuple[BenignRequest, str]] = (),
) -> SafetyDataset:
    """Refusals of `train` in `mix.fmt`, benign `answered` rows, and `mix.math_share` math
    rows from `math_pool`, shuffled by `mix.seed`. No refusal row is an EmptyDatasetError."""
    refusals = refusal_rows(train, mix)
    if not refusals:
        raise EmptyDatasetError("no safety rows: the split has no training requests")
    safety = [*refusals, *benign_rows(answered)]
    rows, wanted = mix_rows(safety, math_pool, mix)
    return SafetyDataset(rows, len(refusals), len(answered), len(rows) - len(safety), wanted)
