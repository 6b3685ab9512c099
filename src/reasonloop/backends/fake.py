"""A deterministic fake model, shipped for tests of the pipeline (no torch, no network).

Behaviours, chosen by `model`:

- ``echo``: reply with the last user message.
- ``oracle``: look the question up in `answers` (question -> gold) and answer it, right with
  probability `accuracy` (default 1.0).
- ``arithmetic``: compute "What is A op B?" questions, right with probability `accuracy`
  (default 0.5); `answers` is consulted first when given.

Wrong answers are the right one nudged by a small offset, so a verifier marks them incorrect.
Each reply is drawn from an RNG keyed by (model, conversation, seed, occurrence), where the
occurrence counts how often this sampler has seen the same conversation and seed: passing a
conversation k times gives k different but reproducible samples. Greedy decoding
(temperature 0) drops the occurrence, so it gives the same reply every time, like a real model.
With per-sample seeds (`SamplingParams.seeds`) a sampled reply is keyed by (model,
conversation, its seed) alone, so it does not depend on the batch it was drawn in.
Token counts are whitespace tokens.

A conversation that ends with an assistant turn asks for a continuation of that turn (a step
prefix being valued): the fake answers the question from where the prefix stands. A prefix
whose equations ("A op B = C", one operator each) all hold is continued to the right answer
with probability `accuracy`; a prefix holding a false equation is continued to a wrong one, so
a test can place a known wrong step. The continuation is the new text only.
"""

from __future__ import annotations

import hashlib
import random
import re
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from reasonloop.backends.base import (
    Completion,
    Conversation,
    FinishReason,
    SamplerError,
    SamplingParams,
)
from reasonloop.backends.landing import Landed

BEHAVIOURS = ("echo", "oracle", "arithmetic")
NO_ANSWER = "I am not sure how to solve this."

_OPERATORS = {
    "+": "+",
    "plus": "+",
    "-": "-",
    "minus": "-",
    "*": "*",
    "x": "*",
    "×": "*",
    "times": "*",
    "multiplied by": "*",
    "/": "/",
    "÷": "/",
    "divided by": "/",
}
_OPERATOR_PATTERN = "|".join(re.escape(op) for op in sorted(_OPERATORS, key=len, reverse=True))
_ARITHMETIC_QUESTION = re.compile(
    rf"what\s+is\s+(-?\d+)\s*({_OPERATOR_PATTERN})\s*(-?\d+)\s*\?", re.IGNORECASE
)
_NUMBER = re.compile(r"-?\d+(?:/\d+|\.\d+)?")
_EQUATION = re.compile(
    rf"(-?\d+)\s*({_OPERATOR_PATTERN})\s*(-?\d+)\s*=\s*(-?\d+(?:/\d+)?)(?![\d.]\d)", re.IGNORECASE
)


class FakeSampler:
    """A deterministic stand-in for a model; see the module docstring for the behaviours.

    >>> sampler = FakeSampler("arithmetic", accuracy=1.0)
    >>> conversation = [{"role": "user", "content": "What is 47 + 38?"}]
    >>> sampler.generate([conversation], SamplingParams())[0].text
    '47 + 38 = 85. The answer is 85.'
    """

    continues_final_message = True  # a trailing assistant turn is continued (base.py)

    def __init__(
        self,
        model: str = "echo",
        *,
        answers: Mapping[str, str] | None = None,
        accuracy: float | None = None,
        seconds_per_call: float = 0.0,
        seconds_per_sample: float = 0.0,
    ) -> None:
        model = model or "echo"
        if model not in BEHAVIOURS:
            raise SamplerError(
                f"unknown fake model {model!r}; choose one of: {', '.join(BEHAVIOURS)}"
            )
        if model == "oracle" and answers is None:
            raise SamplerError("the fake 'oracle' model needs answers={question: gold, ...}")
        if accuracy is not None and not 0.0 <= accuracy <= 1.0:
            raise SamplerError(f"fake accuracy must be within [0, 1], got {accuracy}")
        self.behaviour = model
        self.model_id = f"fake:{model}"
        self.answers = dict(answers or {})
        default_accuracy = 0.5 if model == "arithmetic" else 1.0
        self.accuracy = default_accuracy if accuracy is None else accuracy
        self._seen: Counter[tuple[str, int]] = Counter()
        # A pause per generate call, as a real model takes time (tests interrupt runs mid-way);
        # with a pause per sample, the samples of a call are made one after another and each
        # is reported as it is made (`generate_landing`, backends/landing.py).
        self.seconds_per_call = seconds_per_call
        self.seconds_per_sample = seconds_per_sample
        self.lands_each_sample = seconds_per_sample > 0

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]:
        return self.generate_landing(conversations, params, None)

    def generate_landing(
        self, conversations: Sequence[Conversation], params: SamplingParams, landed: Landed | None
    ) -> list[Completion]:
        """`generate`, handing each sample to `landed` as soon as it is made."""
        time.sleep(self.seconds_per_call)
        seeds = params.seeds or (None,) * len(conversations)
        if len(seeds) != len(conversations):
            raise SamplerError(f"{len(seeds)} seeds for {len(conversations)} conversations")
        completions: list[Completion] = []
        for index, (conversation, seed) in enumerate(zip(conversations, seeds, strict=True)):
            time.sleep(self.seconds_per_sample)
            completions.append(self._complete(conversation, params, seed))
            if landed is not None:
                landed([index], completions[-1:])
        return completions

    def _complete(
        self, conversation: Conversation, params: SamplingParams, seed: int | None
    ) -> Completion:
        message = last_user_message(conversation)
        if seed is not None and not params.greedy:
            # A per-sample seed alone decides the reply: batching cannot change it.
            rng = random.Random(_digest(self.model_id, repr(conversation), "sample", str(seed)))
        else:
            key = (repr(conversation), params.seed)
            occurrence = 0 if params.greedy else self._seen[key]
            self._seen[key] += 1
            rng = random.Random(_digest(self.model_id, *map(str, key), str(occurrence)))
        if conversation and conversation[-1].get("role") == "assistant":
            words = self._continue(conversation[-1].get("content", ""), message, rng).split()
        else:
            words = self._reply(message, rng).split()
        finish_reason: FinishReason = "length" if len(words) > params.max_new_tokens else "stop"
        words = words[: params.max_new_tokens]
        prompt_tokens = sum(len(turn.get("content", "").split()) for turn in conversation)
        return Completion(
            text=" ".join(words),
            prompt_tokens=prompt_tokens,
            completion_tokens=len(words),
            finish_reason=finish_reason,
            latency_s=0.0,
        )

    def _reply(self, message: str, rng: random.Random) -> str:
        if self.behaviour == "echo":
            return message
        gold = lookup_answer(self.answers, message)
        if gold is not None:
            answer = gold if rng.random() < self.accuracy else perturb_answer(gold, rng)
            return f"Let me think step by step. The answer is {answer}."
        if self.behaviour == "arithmetic":
            return reply_arithmetic(message, self.accuracy, rng)
        return NO_ANSWER

    def _continue(self, prefix: str, message: str, rng: random.Random) -> str:
        gold = lookup_answer(self.answers, message)
        if gold is None and self.behaviour == "arithmetic":
            solved = solve_arithmetic(message)
            gold = None if solved is None else solved[1]
        if gold is None:
            return NO_ANSWER
        right = equations_hold(prefix) and rng.random() < self.accuracy
        return f"The answer is {gold if right else perturb_answer(gold, rng)}."


def equations_hold(text: str) -> bool:
    """Whether every one-operator equation "A op B = C" in `text` is true.

    >>> equations_hold("First 12 + 30 = 42. Then 42 * 2 = 84.")
    True
    >>> equations_hold("First 12 + 30 = 42. Then 42 * 2 = 85.")
    False
    """
    for left, operator, right, claimed in _EQUATION.findall(text):
        solved = solve_arithmetic(f"What is {left} {operator} {right}?")
        if solved is not None and Fraction(solved[1]) != Fraction(claimed):
            return False
    return True


def last_user_message(conversation: Conversation) -> str:
    """The content of the last user turn ('' when there is none)."""
    for turn in reversed(conversation):
        if turn.get("role") == "user":
            return turn.get("content", "")
    return ""


def lookup_answer(answers: Mapping[str, str], message: str) -> str | None:
    """The gold of the longest known question contained in `message` (prompts wrap questions)."""
    if message in answers:
        return answers[message]
    found = [question for question in answers if question and question in message]
    return answers[max(found, key=len)] if found else None


def solve_arithmetic(message: str) -> tuple[str, str] | None:
    """The last "What is A op B?" in `message` as (expression, result), or None.

    >>> solve_arithmetic("Question: What is 7 times 6?")
    ('7 * 6', '42')
    >>> solve_arithmetic("What is 1 / 4?")
    ('1 / 4', '1/4')
    """
    matches = list(_ARITHMETIC_QUESTION.finditer(message))
    if not matches:
        return None
    left_text, operator_text, right_text = matches[-1].groups()
    left, right = Fraction(int(left_text)), Fraction(int(right_text))
    operator = _OPERATORS[operator_text.lower()]
    if operator == "/" and right == 0:
        return None
    value = {
        "+": lambda: left + right,
        "-": lambda: left - right,
        "*": lambda: left * right,
        "/": lambda: left / right,
    }[operator]()
    return f"{left_text} {operator} {right_text}", format_fraction(value)


def reply_arithmetic(message: str, accuracy: float, rng: random.Random) -> str:
    """A worked answer to an arithmetic question, right with probability `accuracy`."""
    solved = solve_arithmetic(message)
    if solved is None:
        return NO_ANSWER
    expression, result = solved
    answer = result if rng.random() < accuracy else perturb_answer(result, rng)
    return f"{expression} = {answer}. The answer is {answer}."


def perturb_answer(answer: str, rng: random.Random) -> str:
    """A wrong answer near `answer`: numbers move by 1-9, other text gets a suffix.

    >>> perturb_answer("1,000", random.Random(0)) != "1000"
    True
    """
    number = answer.strip().replace(",", "")
    if not _NUMBER.fullmatch(number):
        return f"{answer} (not)"
    offset = rng.randint(1, 9) * rng.choice((-1, 1))
    if "." in number:
        return str(Decimal(number) + offset)
    return format_fraction(Fraction(number) + offset)


def format_fraction(value: Fraction) -> str:
    """'3' for whole numbers, '3/4' otherwise."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator}"


def _digest(*parts: str) -> int:
    # hashlib, not hash(): str hashes are salted per process and would break reproducibility.
    joined = "\x1f".join(parts).encode()
    return int.from_bytes(hashlib.sha256(joined).digest()[:8], "big")
