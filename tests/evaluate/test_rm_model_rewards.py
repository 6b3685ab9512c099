"""The rewards that read a model, on the tiny local model: the CPU engine's mean log-probability
equals transformers' (float32), the judge's score is log P(Yes) - log P(No) computed directly,
and an empty response is a counted failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from reasonloop.evaluate.rm.model_rewards import judge_conversation
from reasonloop.evaluate.rm.rewards import load_reward
from reasonloop.evaluate.rm.scoring import ScoreRequest, score_responses

PROMPTS = [
    [{"role": "user", "content": "What is 47 + 38?"}],
    [{"role": "system", "content": "Solve it."}, {"role": "user", "content": "What is 2 + 2?"}],
]
RESPONSES = ["47 + 38 = 85. The answer is 85.", "The answer is 4."]


@pytest.fixture(autouse=True)
def engine_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # The engine converts the model once into reasonloop's cache: a test one, not the user's.
    cache = tmp_path_factory.getbasetemp() / "reasonloop-cache"
    monkeypatch.setenv("REASONLOOP_CACHE_DIR", str(cache))


def test_engine_logprob_equals_transformers(tiny_model_dir: str) -> None:
    engine = load_reward("logprob", {"model": tiny_model_dir, "compute_type": "float32"})
    reference = load_reward("logprob", {"model": tiny_model_dir, "engine": "transformers"})
    got = engine(RESPONSES, prompts=PROMPTS)
    expected = reference(RESPONSES, prompts=PROMPTS)
    assert got == pytest.approx(expected, abs=1e-3)
    assert all(value is not None and value < 0 for value in got)
    assert engine.identity != reference.identity  # their scores are cached apart


def test_judge_score_is_the_log_odds_of_yes(tiny_model_dir: str) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    judge = load_reward("judge", {"model": tiny_model_dir, "compute_type": "float32"})
    [score] = judge([RESPONSES[0]], question=["What is 47 + 38?"])
    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    conversation = judge_conversation("What is 47 + 38?", RESPONSES[0])
    text = tokenizer.apply_chat_template(conversation, add_generation_prompt=True, tokenize=False)
    ids = tokenizer(text, add_special_tokens=False, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        logprobs = torch.log_softmax(model(ids).logits[0, -1], -1)
    yes, no = (tokenizer(w, add_special_tokens=False)["input_ids"][0] for w in ("Yes", "No"))
    assert score == pytest.approx(float(logprobs[yes] - logprobs[no]), abs=1e-3)


def test_judge_conversation_fills_each_placeholder_once() -> None:
    [system, user] = judge_conversation("{response}?", "it is {question}")
    assert "Problem: {response}?" in user["content"]
    assert "Solution: it is {question}" in user["content"] and "Yes or No" in system["content"]


def test_an_empty_response_is_a_counted_failure(tiny_model_dir: str, tmp_path: Path) -> None:
    reward = load_reward("logprob", {"model": tiny_model_dir, "compute_type": "float32"})
    requests = [ScoreRequest("", PROMPTS[0]), ScoreRequest(RESPONSES[1], PROMPTS[1])]
    scores = score_responses(reward, requests)
    assert scores.values[0] is None and scores.values[1] is not None and scores.failed == 1


def test_model_rewards_need_the_prompt_or_question(tiny_model_dir: str) -> None:
    from reasonloop.errors import ConfigError

    with pytest.raises(ConfigError, match="reads each response's prompt"):
        load_reward("logprob", {"model": tiny_model_dir})(["x"], prompts=[None])
    with pytest.raises(ConfigError, match="reads each response's question"):
        load_reward("judge", {"model": tiny_model_dir})(["x"])


@pytest.mark.slow  # trains a tiny PRM (a few seconds on a quiet machine)
def test_prm_reward_aggregates_the_prm_step_scores(tiny_model_dir: str, tmp_path: Path) -> None:
    from reasonloop.rewards.aggregate import aggregate
    from reasonloop.rewards.prm import PRMScorer
    from reasonloop.rewards.step_scores import row_request
    from reasonloop.train import PRMTrainConfig, train_prm

    rows = [
        {"prompt": p, "completions": ["47 + 38 = 85.", "The answer is 85."], "labels": [True, ok]}
        for p, ok in zip(PROMPTS * 2, [True, False, True, False], strict=True)
    ]
    config = PRMTrainConfig(max_steps=1, batch_size=4, eval_fraction=0, learning_rate=1e-2)
    model = train_prm(tiny_model_dir, rows, tmp_path / "prm", config).output_dir
    responses = ["47 + 38 = 85.\nThe answer is 85.", "", "The answer is 4."]
    prompts = [PROMPTS[0], PROMPTS[0], PROMPTS[1]]
    for how in ("min", "mean"):
        reward = load_reward("prm", {"model": model, "aggregate": how})
        scores = reward(responses, prompts=prompts)
        steps = PRMScorer(model, cache=False).score_steps(
            [
                row_request({"prompt": p, "response": r}, 0)
                for p, r in zip(prompts, responses, strict=True)
                if r
            ]
        )
        assert scores[1] is None  # an empty response: nothing to score, a counted failure
        assert [scores[0], scores[2]] == pytest.approx([aggregate(s, how) for s in steps])
    # every aggregation of one PRM shares one loaded model and scores each response once
    from reasonloop.evaluate.rm.model_rewards import _PRM_SCORERS

    scorer, memo = _PRM_SCORERS[(model, 8)]
    assert len(memo) == 2  # the two non-empty responses, scored for "min" and reused for "mean"


def test_prm_reward_options() -> None:
    from reasonloop.errors import ConfigError

    with pytest.raises(ConfigError, match="reward prm needs its model"):
        load_reward("prm")
    with pytest.raises(ConfigError, match="aggregate must be one of min, product"):
        load_reward("prm", {"model": "x", "aggregate": "max"})
