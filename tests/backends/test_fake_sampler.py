"""The fake backend: deterministic, varied across samples, right about as often as asked."""

from __future__ import annotations

import random
import re
from dataclasses import replace

import pytest

from reasonloop.backends import FakeSampler, Sampler, SamplerError, SamplingParams, load_sampler
from reasonloop.backends.fake import perturb_answer, solve_arithmetic


def ask(question: str) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": "Solve the problem."},
        {"role": "user", "content": question},
    ]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("What is 47 + 38?", ("47 + 38", "85")),
        ("what is 9 - 12 ?", ("9 - 12", "-3")),
        ("Question: What is 7 times 6? Think first.", ("7 * 6", "42")),
        ("What is 6 × 7?", ("6 * 7", "42")),
        ("What is 3 x 4?", ("3 * 4", "12")),
        ("What is 10 divided by 4?", ("10 / 4", "5/2")),
        ("What is 12 / 3?", ("12 / 3", "4")),
        ("What is -5 * -5?", ("-5 * -5", "25")),
        ("What is 1 + 1? No wait, what is 2 + 2?", ("2 + 2", "4")),
        ("What is 5 / 0?", None),
        ("How many apples are left?", None),
    ],
)
def test_solve_arithmetic(message: str, expected: tuple[str, str] | None) -> None:
    assert solve_arithmetic(message) == expected


@pytest.mark.parametrize(
    ("model", "options", "question", "expected_text"),
    [
        ("echo", {}, "hello there  world", "hello there world"),
        ("arithmetic", {"accuracy": 1.0}, "What is 47 + 38?", "47 + 38 = 85. The answer is 85."),
        ("arithmetic", {"accuracy": 1.0}, "Name a colour.", "I am not sure how to solve this."),
        ("oracle", {"answers": {"How many legs?": "4"}}, "Q: How many legs? A:", None),
        ("oracle", {"answers": {"x": "1"}}, "Unknown question", "I am not sure how to solve this."),
        (
            "arithmetic",
            {"answers": {"Capital of France?": "Paris"}, "accuracy": 1.0},
            "Capital of France?",
            "Let me think step by step. The answer is Paris.",
        ),
    ],
)
def test_replies(
    model: str, options: dict[str, object], question: str, expected_text: str | None
) -> None:
    sampler = FakeSampler(model, **options)  # type: ignore[arg-type]
    (completion,) = sampler.generate([ask(question)], SamplingParams())
    expected = expected_text or "Let me think step by step. The answer is 4."
    assert completion.text == expected
    assert completion.completion_tokens == len(expected.split())
    assert completion.prompt_tokens == len(question.split()) + 3
    assert completion.finish_reason == "stop"
    assert sampler.model_id == f"fake:{model}"


def test_is_a_sampler_and_loads_by_name() -> None:
    sampler = load_sampler("fake", "arithmetic", accuracy=0.25)
    assert isinstance(sampler, Sampler)
    assert isinstance(sampler, FakeSampler)
    assert sampler.accuracy == 0.25


def test_samples_differ_but_reproduce() -> None:
    conversations = [ask(f"What is {n} + 38?") for n in range(10) for _ in range(8)]
    params = SamplingParams(seed=3)
    first = [c.text for c in FakeSampler("arithmetic").generate(conversations, params)]
    again = [c.text for c in FakeSampler("arithmetic").generate(conversations, params)]
    other_seed = FakeSampler("arithmetic").generate(conversations, SamplingParams(seed=4))
    assert first == again
    assert first != [c.text for c in other_seed]
    right = sum(
        text.endswith(f"is {n + 38}.") for text, n in zip(first, _repeat_n(10, 8), strict=True)
    )
    assert 20 <= right <= 60  # accuracy 0.5 over 80 samples
    assert len(set(first[:8])) > 1  # the 8 samples of one question are not all the same


def _repeat_n(n: int, k: int) -> list[int]:
    return [i for i in range(n) for _ in range(k)]


def test_successive_calls_continue_the_sample_stream() -> None:
    conversation = ask("What is 123 + 456?")
    params = SamplingParams(seed=0)
    in_one_call = FakeSampler("arithmetic").generate([conversation] * 6, params)
    sampler = FakeSampler("arithmetic")
    in_three_calls = [c for _ in range(3) for c in sampler.generate([conversation] * 2, params)]
    assert in_one_call == in_three_calls


def test_greedy_repeats_itself() -> None:
    sampler = FakeSampler("arithmetic")
    texts = {c.text for c in sampler.generate([ask("What is 5 + 5?")] * 8, SamplingParams(0))}
    texts |= {c.text for c in sampler.generate([ask("What is 5 + 5?")], SamplingParams(0))}
    assert len(texts) == 1


@pytest.mark.parametrize("accuracy", [0.0, 1.0])
def test_accuracy_extremes(accuracy: float) -> None:
    completions = FakeSampler("arithmetic", accuracy=accuracy).generate(
        [ask("What is 2 * 21?")] * 20, SamplingParams()
    )
    right = [c.text.endswith("The answer is 42.") for c in completions]
    assert right == [accuracy == 1.0] * 20


def test_max_new_tokens_truncates() -> None:
    (completion,) = FakeSampler("echo").generate(
        [ask("one two three four five")], SamplingParams(max_new_tokens=3)
    )
    assert completion.text == "one two three"
    assert completion.completion_tokens == 3
    assert completion.finish_reason == "length"


@pytest.mark.parametrize(
    ("model", "options", "message"),
    [
        ("gpt-7", {}, "unknown fake model 'gpt-7'"),
        ("oracle", {}, "needs answers="),
        ("arithmetic", {"accuracy": 1.5}, "within [0, 1]"),
    ],
)
def test_bad_setup(model: str, options: dict[str, object], message: str) -> None:
    with pytest.raises(SamplerError, match=message.replace("[", r"\[").replace("]", r"\]")):
        FakeSampler(model, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("gold", "wrong_pattern"),
    [
        ("42", r"-?\d+"),
        ("1,234", r"\d+"),
        ("2.5", r"-?\d+\.\d"),
        ("3/4", r"-?\d+/4"),
        ("Paris", r"Paris \(not\)"),
    ],
)
def test_perturb_answer_is_wrong(gold: str, wrong_pattern: str) -> None:
    for seed in range(20):
        wrong = perturb_answer(gold, random.Random(seed))
        assert wrong not in (gold, gold.replace(",", ""))
        assert re.fullmatch(wrong_pattern, wrong)


def test_per_sample_seeds_make_a_reply_independent_of_its_batch() -> None:
    questions = [[{"role": "user", "content": f"What is {a} + 17?"}] for a in range(10, 30)]
    params = SamplingParams(max_new_tokens=64, temperature=0.8, seeds=tuple(range(20)))
    batched = [c.text for c in FakeSampler("arithmetic").generate(questions, params)]
    alone = [
        FakeSampler("arithmetic").generate([q], replace(params, seeds=(i,)))[0].text
        for i, q in enumerate(questions)
    ]
    assert batched == alone
    assert len(set(batched)) > 1
    copies = FakeSampler("arithmetic").generate(
        questions[:1] * 8, replace(params, seeds=tuple(range(8)))
    )
    assert len({c.text for c in copies}) > 1
