"""`train orm`: TRL's RewardTrainer on correct-vs-wrong pairs gives an outcome reward model
that rm-eval's `orm` reward scores with (tiny local model: loss logged, weights moved, and
the trained model prefers the chosen responses it was trained on)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasonloop.evaluate.rm.rewards import load_reward
from reasonloop.train import SUMMARY_FILE, ORMTrainConfig, train

# TRL 1.16's trainers and peft read a property that transformers 5.x renamed.
pytestmark = [
    pytest.mark.filterwarnings(
        "ignore:`is_gradient_checkpointing` is deprecated and will be removed in v6:FutureWarning"
    ),
    pytest.mark.slow,  # trains a tiny reward model (12 steps)
]


def turn(role: str, text: str) -> list[dict[str, str]]:
    return [{"role": role, "content": text}]


# The shape `reasonloop build dpo RUN` writes: a correct response chosen over a wrong one.
PAIRS = [
    {
        "prompt": turn("user", f"What is {a} + 1?"),
        "chosen": turn("assistant", f"{a} + 1 = {a + 1}. The answer is {a + 1}."),
        "rejected": turn("assistant", f"The answer is {a + 2}."),
        "problem_id": f"p{a}",
    }
    for a in range(8)
]


def encoder_weights(directory: str, kind: Any) -> dict[str, Any]:
    model = kind.from_pretrained(directory)
    return {k: v.clone() for k, v in model.state_dict().items() if k.startswith("model.")}


@pytest.fixture(scope="module")
def orm_dir(tiny_base: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    config = ORMTrainConfig(max_steps=12, batch_size=4, learning_rate=1e-2)
    result = train("orm", tiny_base, PAIRS, tmp_path_factory.mktemp("orm") / "orm", config)
    assert result.steps == 12 and len(result.losses) == 12
    assert result.losses[-1][1] < result.losses[0][1]
    return result.output_dir


def test_orm_trains_a_one_output_sequence_classifier(tiny_base: str, orm_dir: str) -> None:
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSequenceClassification

    assert AutoConfig.from_pretrained(orm_dir).num_labels == 1
    before = encoder_weights(tiny_base, AutoModelForCausalLM)
    after = encoder_weights(orm_dir, AutoModelForSequenceClassification)
    assert before.keys() == after.keys()
    assert any(not torch.equal(before[k], after[k]) for k in before)
    assert json.loads((Path(orm_dir) / SUMMARY_FILE).read_text())["trainer"] == "orm"


def test_the_orm_reward_prefers_what_it_was_trained_to_prefer(orm_dir: str) -> None:
    reward = load_reward("orm", {"model": orm_dir})
    prompts = [row["prompt"] for row in PAIRS]
    chosen = reward([row["chosen"][0]["content"] for row in PAIRS], prompts=prompts)
    rejected = reward([row["rejected"][0]["content"] for row in PAIRS], prompts=prompts)
    assert all(isinstance(s, float) for s in chosen + rejected)
    assert sum(c > r for c, r in zip(chosen, rejected, strict=True)) >= 7  # type: ignore[operator]
    assert reward.identity.startswith("orm|") and orm_dir in reward.identity


def test_the_orm_reward_refuses_a_model_that_is_not_one(tiny_base: str) -> None:
    from reasonloop.errors import ConfigError

    reward = load_reward("orm", {"model": tiny_base})
    with pytest.raises(ConfigError, match="is not an outcome reward model"):
        reward(["x"], prompts=[turn("user", "q")])
