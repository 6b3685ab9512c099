"""SFT, DPO and GRPO through TRL on a tiny local model: loss logged, weights moved, dir reloads."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reasonloop.errors import ConfigError, DataError
from reasonloop.train import (
    SUMMARY_FILE,
    DPOTrainConfig,
    GRPOTrainConfig,
    SFTTrainConfig,
    TrainResult,
    make_sft_trainer,
    train_dpo,
    train_grpo,
    train_sft,
)
from reasonloop.train.result import read_train_record

# TRL 1.16's DPO trainer and peft 0.21 read a property that transformers 5.x renamed.
pytestmark = pytest.mark.filterwarnings(
    "ignore:`is_gradient_checkpointing` is deprecated and will be removed in v6:FutureWarning"
)


def user(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


def assistant(text: str) -> list[dict[str, str]]:
    return [{"role": "assistant", "content": text}]


SFT_ROWS = [
    {
        "prompt": user(f"What is {a} + 1?"),
        "completion": assistant(f"The answer is {a + 1}."),
        "problem_id": f"p{a}",  # extra columns, as the builders write them, pass through
    }
    for a in range(8)
]
DPO_ROWS = [
    {
        "prompt": user(f"What is {a} + 1?"),
        "chosen": assistant(f"{a} + 1 = {a + 1}. The answer is {a + 1}."),
        "rejected": assistant(f"The answer is {a + 2}."),
        "problem_id": f"p{a}",
    }
    for a in range(8)
]
GRPO_ROWS = [
    {"prompt": user(f"What is {a} + 1?"), "solution": str(a % 3), "problem_id": f"p{a}"}
    for a in range(8)
]


def weights(model_dir: str) -> dict[str, Any]:
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(model_dir)
    return {name: tensor.clone() for name, tensor in model.state_dict().items()}


def assert_trained(result: TrainResult, base_dir: str, steps: int, trainer: str) -> None:
    """Loss logged at every step, weights moved, and the output is a plain HF model dir."""
    import torch
    from transformers import AutoTokenizer

    assert result.steps == steps
    assert [step for step, _ in result.losses] == list(range(1, steps + 1))
    assert all(torch.isfinite(torch.tensor(loss)) for _, loss in result.losses)
    before, after = weights(base_dir), weights(result.output_dir)
    assert before.keys() == after.keys()
    assert any(not torch.equal(before[name], after[name]) for name in before)
    output = Path(result.output_dir)
    assert (output / "config.json").is_file() and (output / "model.safetensors").is_file()
    assert not (output / "adapter_config.json").exists()  # LoRA is merged, not saved apart
    assert AutoTokenizer.from_pretrained(output).chat_template
    summary = json.loads((output / SUMMARY_FILE).read_text(encoding="utf-8"))
    assert summary["trainer"] == trainer and summary["steps"] == steps


@pytest.mark.parametrize("lora", [False, True], ids=["full", "lora"])
def test_sft_trains_and_saves(tiny_base: str, tmp_path: Path, lora: bool) -> None:
    config = SFTTrainConfig(max_steps=2, batch_size=4, learning_rate=1e-2, lora=lora, lora_rank=4)
    result = train_sft(tiny_base, SFT_ROWS, tmp_path / "sft", config)
    assert_trained(result, tiny_base, steps=2, trainer="sft")


def test_sft_loss_covers_the_completion_only(tiny_base: str, tmp_path: Path) -> None:
    from transformers import AutoTokenizer

    trainer = make_sft_trainer(tiny_base, SFT_ROWS[:1], tmp_path, SFTTrainConfig(max_steps=1))
    example = trainer.train_dataset[0]
    tokenizer = AutoTokenizer.from_pretrained(tiny_base)
    prompt = tokenizer.apply_chat_template(
        SFT_ROWS[0]["prompt"], tokenize=False, add_generation_prompt=True
    )
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    ids, labels, cut = example["input_ids"], example["labels"], len(prompt_ids)
    assert ids[:cut] == prompt_ids
    assert labels == [-100] * cut + ids[cut:]  # no loss on the prompt, all on the completion
    assert tokenizer.decode(ids[cut:]).startswith("The answer is 1.<|im_end|>")


@pytest.mark.parametrize("lora", [False, True], ids=["full", "lora"])
def test_dpo_trains_and_saves(tiny_base: str, tmp_path: Path, lora: bool) -> None:
    config = DPOTrainConfig(max_steps=2, batch_size=4, learning_rate=1e-2, lora=lora, lora_rank=4)
    result = train_dpo(tiny_base, DPO_ROWS, tmp_path / "dpo", config)
    assert_trained(result, tiny_base, steps=2, trainer="dpo")
    assert result.losses[0][1] == pytest.approx(0.6931, abs=1e-3)  # log 2: policy == reference


@pytest.fixture(scope="module")
def answerer(tiny_base: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The tiny model taught to reply "The answer is N." with N in 0..2, so GRPO's groups
    get mixed rewards from the verifier (random weights never state an answer)."""
    rows = [
        {"prompt": user(f"What is {a} + 1?"), "completion": assistant(f"The answer is {a % 3}.")}
        for a in range(24)
    ]
    config = SFTTrainConfig(max_steps=24, batch_size=8, learning_rate=1e-2)
    return train_sft(tiny_base, rows, tmp_path_factory.mktemp("answerer"), config).output_dir


def test_grpo_trains_and_saves(answerer: str, tmp_path: Path) -> None:
    config = GRPOTrainConfig(
        max_steps=2, batch_size=8, num_generations=4, max_completion_length=8, learning_rate=1e-3
    )
    result = train_grpo(answerer, GRPO_ROWS, tmp_path / "grpo", config)
    assert_trained(result, answerer, steps=2, trainer="grpo")
    history = json.loads((tmp_path / "grpo" / SUMMARY_FILE).read_text())["log_history"]
    rewards = [entry["reward"] for entry in history if "reward" in entry]
    assert len(rewards) == 2 and any(0.0 < reward < 1.0 for reward in rewards)
    assert result.signal is not None and result.signal > 0.0 and result.warning is None


def test_grpo_without_any_learning_signal_says_so(tiny_base: str, tmp_path: Path) -> None:
    # Random weights never state an answer: every reward is 0, no group can teach anything.
    config = GRPOTrainConfig(
        max_steps=2, batch_size=8, num_generations=4, max_completion_length=8, learning_rate=1e-3
    )
    result = train_grpo(tiny_base, GRPO_ROWS, tmp_path / "grpo", config)
    assert result.signal == 0.0
    assert result.warning is not None and "no GRPO group had a learning signal" in result.warning
    assert read_train_record(tmp_path / "grpo")[0].signal == 0.0


@pytest.mark.parametrize(
    ("train", "rows", "message"),
    [
        (train_sft, [], "sft dataset is empty"),
        (train_sft, [{"prompt": user("q")}], "sft row 0 has no completion"),
        (train_sft, [{"text": "hello"}], "sft row 0 has no prompt, completion"),
        (train_dpo, DPO_ROWS[:1] + [{"prompt": user("q"), "chosen": []}], "row 1 has no rejected"),
        (train_grpo, [{"prompt": user("q")}], "grpo row 0 has no solution"),
    ],
)
def test_bad_rows_are_named(
    tmp_path: Path, train: Callable[..., TrainResult], rows: list[dict[str, Any]], message: str
) -> None:
    with pytest.raises(DataError, match=message):
        train("default", rows, tmp_path)


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("./no/such/model", "does not exist"),
        ("/no/such/file.gguf", "does not exist"),
        ("{tmp}", "has no config.json"),
    ],
)
def test_bad_model_paths_are_named(tmp_path: Path, model: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        train_sft(model.format(tmp=tmp_path), SFT_ROWS, tmp_path / "out")


@pytest.mark.slow
def test_default_gguf_model_becomes_a_regular_checkpoint(tmp_path: Path) -> None:
    """The embedded SmolLM2 GGUF, fine-tuned 2 steps on 4 rows, saves as config + safetensors."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    config = SFTTrainConfig(max_steps=2, batch_size=2, max_length=64)
    result = train_sft("default", SFT_ROWS[:4], tmp_path / "smol", config)
    assert result.steps == 2 and len(result.losses) == 2
    output = Path(result.output_dir)
    assert (output / "config.json").is_file() and (output / "model.safetensors").is_file()
    assert not list(output.glob("*.gguf"))
    model = AutoModelForCausalLM.from_pretrained(output)
    tokenizer = AutoTokenizer.from_pretrained(output)
    assert model.config.model_type == "llama"
    assert tokenizer.apply_chat_template(user("hi"), tokenize=False).startswith("<|im_start|>")
