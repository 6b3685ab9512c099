"""The one-shot filter: keep rules, the accuracy score, the likelihood ranking (tiny model)."""

from __future__ import annotations

import pytest

from reasonloop.backends.fake import FakeSampler
from reasonloop.curate.synthesize import AccuracyScorer, ReplyCache, select_kept
from reasonloop.curate.synthesize.one_shot import demonstration, score_one_shot, with_prefix
from reasonloop.curate.synthesize.records import SynthesizedProblem
from reasonloop.errors import ConfigError
from reasonloop.prompts import DEFAULT_TEMPLATE, PromptTemplate
from reasonloop.tasks.problem import Problem

DEV = [Problem(f"d{i}", f"What is {10 + i} + {20 + i}?", str(30 + 2 * i)) for i in range(4)]
DEMOS = [
    SynthesizedProblem(f"s{i}", "t", f"What is {50 + i} + {17 * i}?", text, "0", {})
    for i, text in enumerate(
        [
            "Add the ones, then the tens. The answer is 67.",
            "The answer is 68.",
            "I like turtles. The answer is 86.",
        ]
    )
]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("gain", [False, True, False, True, False]),
        ("top:0.2", [False, True, False, False, False]),
        ("top:0.4", [False, True, False, True, False]),
        ("top:1", [True, True, True, True, True]),
    ],
)
def test_keep_rules(rule: str, expected: list[bool]) -> None:
    assert select_kept([0.2, 0.9, 0.1, 0.5, 0.3], 0.3, rule) == expected


@pytest.mark.parametrize("rule", ["best", "top:0", "top:2", "top:x"])
def test_unknown_keep_rules_are_refused(rule: str) -> None:
    with pytest.raises(ConfigError, match="keep rule"):
        select_kept([0.1], 0.0, rule)


def test_demonstration_goes_between_system_and_question() -> None:
    template = PromptTemplate(system="Be careful.", user="Q: {question}")
    prompt = with_prefix(demonstration(DEMOS[0], template), DEV[0], template)
    assert [turn["role"] for turn in prompt] == ["system", "user", "assistant", "user"]
    assert prompt[1]["content"] == f"Q: {DEMOS[0].question}"
    assert prompt[-1]["content"] == f"Q: {DEV[0].question}"


def test_accuracy_score_counts_verified_answers() -> None:
    # oracle answers the questions it knows: zero-shot it knows half of the dev set
    answers = {p.question: p.gold for p in DEV[:2]}
    scorer = AccuracyScorer(
        FakeSampler("oracle", answers=answers), DEFAULT_TEMPLATE, ReplyCache(None)
    )
    scores = score_one_shot(DEMOS, DEV, scorer, DEFAULT_TEMPLATE)
    assert [s.baseline for s in scores] == [0.5, 0.5, 0.5]
    assert [s.score for s in scores] == [0.5, 0.5, 0.5]
    assert not any(s.kept for s in scores)


def test_likelihood_ranking_on_a_tiny_model(tiny_model_dir: str) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from reasonloop.curate.synthesize.likelihood import LikelihoodScorer, answer_sentence

    torch.set_num_threads(1)
    scorer = LikelihoodScorer(tiny_model_dir, DEFAULT_TEMPLATE)
    scores = score_one_shot(DEMOS, DEV, scorer, DEFAULT_TEMPLATE, keep="top:0.3")

    # an independent computation: full-sequence log-softmax, answer tokens picked by position
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)

    def reference(prefix: list[dict[str, str]]) -> float:
        values = []
        for problem in DEV:
            conversation = with_prefix(prefix, problem, DEFAULT_TEMPLATE)
            text = tokenizer.apply_chat_template(
                conversation, add_generation_prompt=True, tokenize=False
            )
            prompt = tokenizer(text, add_special_tokens=False)["input_ids"]
            answer = tokenizer(answer_sentence(problem.gold), add_special_tokens=False)["input_ids"]
            with torch.no_grad():
                logits = model(torch.tensor([prompt + answer])).logits[0]
            logprobs = torch.log_softmax(logits, dim=-1)
            picked = [logprobs[len(prompt) + i - 1, t] for i, t in enumerate(answer)]
            values.append(float(sum(picked) / len(picked)))
        return sum(values) / len(values)

    expected = [reference(demonstration(d, DEFAULT_TEMPLATE)) for d in DEMOS]
    assert [s.score for s in scores] == pytest.approx(expected, abs=1e-4)
    assert scores[0].baseline == pytest.approx(reference([]), abs=1e-4)
    assert len(set(round(s.score, 4) for s in scores)) == 3  # the demonstrations are told apart
    best = max(range(3), key=lambda i: expected[i])
    assert [s.kept for s in scores] == [i == best for i in range(3)]
