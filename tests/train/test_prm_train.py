"""The process reward model trainer on a tiny local model and stepwise rows made from
PRMBench's own step labels: loss and validation logged, weights moved, the head read back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasonloop.errors import ConfigError, DataError
from reasonloop.evaluate.prmbench import read_prmbench, stepwise_rows
from reasonloop.rewards.step_encoding import encode_steps
from reasonloop.train import SUMMARY_FILE, PRMTrainConfig, train_prm
from reasonloop.train.prm import (
    IGNORE,
    PRM_CARD_FILE,
    featurize,
    soft_cross_entropy,
    split_by_prompt,
)

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "prmbench"
TRAIN_FILE = DATA / "classified" / "prm800k_train_p1_first400_4o_counterfactual.jsonl"

pytestmark = [
    pytest.mark.skipif(not TRAIN_FILE.is_file(), reason="needs ../shared/data/prmbench"),
    # peft 0.21 reads a property that transformers 5.x renamed.
    pytest.mark.filterwarnings(
        "ignore:`is_gradient_checkpointing` is deprecated and will be removed in v6:FutureWarning"
    ),
]


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return stepwise_rows(read_prmbench(TRAIN_FILE, limit=8))


@pytest.fixture(scope="module")
def tokenizer(tiny_base: str) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_base)


def test_a_label_sits_on_the_separator_after_each_step(tokenizer: Any) -> None:
    steps = ["We have $3p+e=1.24$.", "So $p=0.29$."]
    encoded = encode_steps(tokenizer, "What is p?", steps, "\n")
    newline = tokenizer("\n", add_special_tokens=False)["input_ids"]
    assert len(encoded.step_ends) == 2
    for end in encoded.step_ends:
        assert encoded.input_ids[end - len(newline) + 1 : end + 1] == newline
    # The step's own tokens come right before its separator, unmerged with it.
    step_ids = tokenizer(steps[1], add_special_tokens=False)["input_ids"]
    last = encoded.step_ends[1] - len(newline)
    assert encoded.input_ids[last - len(step_ids) + 1 : last + 1] == step_ids


def test_features_carry_hard_or_soft_targets_at_step_ends(
    tokenizer: Any, rows: list[dict[str, Any]]
) -> None:
    row = {**rows[1], "soft_labels": [0.9, 0.25] + [0.0] * (len(rows[1]["labels"]) - 2)}
    for column, expected in (
        (None, [float(x) for x in row["labels"]]),
        ("soft_labels", row["soft_labels"]),
    ):
        config = PRMTrainConfig(soft_labels=column, max_length=4096)
        [example] = featurize([row], tokenizer, config)
        assert [x for x in example["labels"] if x != IGNORE] == expected


def test_steps_past_max_length_lose_their_labels(
    tokenizer: Any, rows: list[dict[str, Any]]
) -> None:
    full = featurize(rows[:1], tokenizer, PRMTrainConfig(max_length=4096))[0]
    ends = [i for i, x in enumerate(full["labels"]) if x != IGNORE]
    cut = featurize(rows[:1], tokenizer, PRMTrainConfig(max_length=ends[1] + 1))[0]
    assert sum(x != IGNORE for x in cut["labels"]) == 2
    with pytest.raises(DataError, match="raise max_length"):
        featurize(rows[:1], tokenizer, PRMTrainConfig(max_length=ends[0]))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"prompt": "q", "completions": ["a", "b"], "labels": [True]}, "same length"),
        ({"prompt": "q", "completions": ["a"], "labels": [1.5]}, r"in \[0, 1\]"),
    ],
)
def test_bad_rows_name_the_problem(tokenizer: Any, row: dict[str, Any], message: str) -> None:
    with pytest.raises(DataError, match=message):
        featurize([row], tokenizer, PRMTrainConfig())


def test_soft_cross_entropy_is_the_two_class_loss_at_labelled_positions() -> None:
    import torch

    logits = torch.tensor([[[0.0, 0.0], [2.0, -1.0], [0.5, 0.5]]])
    labels = torch.tensor([[IGNORE, 1.0, 0.25]])
    loss = soft_cross_entropy({"logits": logits}, labels)
    log_p = torch.log_softmax(logits, dim=-1)[0]
    expected = -(log_p[1, 1] + 0.25 * log_p[2, 1] + 0.75 * log_p[2, 0]) / 2
    assert torch.isclose(loss, expected)


def test_validation_split_keeps_a_problem_on_one_side(rows: list[dict[str, Any]]) -> None:
    train, held = split_by_prompt(rows, 0.3)
    assert held and train and len(train) + len(held) == len(rows)
    assert not {r["prompt"] for r in train} & {r["prompt"] for r in held}


def test_prm_trains_logs_validation_and_saves_its_card(
    tiny_base: str, tmp_path: Path, rows: list[dict[str, Any]]
) -> None:
    import torch
    from transformers import AutoModelForTokenClassification

    config = PRMTrainConfig(
        max_steps=2, batch_size=4, learning_rate=1e-2, eval_fraction=0.3, eval_every=1
    )
    result = train_prm(tiny_base, rows, tmp_path / "prm", config)
    assert result.steps == 2 and len(result.losses) == 2
    assert all(torch.isfinite(torch.tensor(loss)) for _, loss in result.losses)
    record = json.loads((tmp_path / "prm" / SUMMARY_FILE).read_text())
    evals = [e for e in record["log_history"] if "eval_loss" in e]
    assert [e["step"] for e in evals] == [1, 2]
    assert all(0.0 <= e["eval_step_accuracy"] <= 1.0 for e in evals)
    card = json.loads((tmp_path / "prm" / PRM_CARD_FILE).read_text())
    assert card["step_separator"] == "\n" and card["labels"] == {"0": "wrong", "1": "right"}
    model = AutoModelForTokenClassification.from_pretrained(tmp_path / "prm")
    assert model.config.num_labels == 2 and model.config.id2label == {0: "wrong", 1: "right"}


def test_top_layers_trains_only_the_last_layers_and_the_head(
    tiny_base: str, tmp_path: Path, rows: list[dict[str, Any]]
) -> None:
    from reasonloop.train.prm import make_prm_trainer

    config = PRMTrainConfig(max_steps=1, top_layers=1, eval_fraction=0)
    trainer = make_prm_trainer(tiny_base, rows[:4], tmp_path, config)
    trained = {name for name, p in trainer.model.named_parameters() if p.requires_grad}
    assert trained and all(
        name.startswith(("model.layers.1.", "model.norm", "score")) for name in trained
    )
    assert any(name.startswith("score") for name in trained)


def test_lora_prm_merges_into_a_plain_model(
    tiny_base: str, tmp_path: Path, rows: list[dict[str, Any]]
) -> None:
    config = PRMTrainConfig(max_steps=1, batch_size=4, lora=True, lora_rank=4, eval_fraction=0)
    train_prm(tiny_base, rows, tmp_path / "prm", config)
    assert (tmp_path / "prm" / "model.safetensors").is_file()
    assert not (tmp_path / "prm" / "adapter_config.json").exists()


def test_top_layers_with_lora_is_refused() -> None:
    with pytest.raises(ConfigError, match="without LoRA"):
        PRMTrainConfig(top_layers=2, lora=True)


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (
            ["--method", "prm", "--top-layers", "2", "--soft-labels", "values"],
            {"top_layers": 2, "soft_labels": "values"},
        ),
        (
            ["grpo", "--prm", "PRM", "--prm-credit", "sum", "--no-verifier-reward"],
            {"prm": "PRM", "prm_credit": "sum", "prm_verifiable": False},
        ),
    ],
)
def test_cli_flags_reach_the_config(flags: list[str], expected: dict[str, Any]) -> None:
    from reasonloop.cli.main import build_parser
    from reasonloop.cli.train import config_from_args, method_from_args

    args = build_parser().parse_args(["train", *flags, "--model", "m", "--data", "d", "-o", "o"])
    args.kind = method_from_args(args)
    config = config_from_args(args)
    assert {name: getattr(config, name) for name in expected} == expected


def test_the_trainer_is_named_once() -> None:
    from reasonloop.cli.main import build_parser
    from reasonloop.cli.train import method_from_args

    parse = build_parser().parse_args
    with pytest.raises(ConfigError, match="two trainers"):
        method_from_args(
            parse(["train", "sft", "--method", "prm", "--model", "m", "--data", "d", "-o", "o"])
        )
    with pytest.raises(ConfigError, match="name the trainer"):
        method_from_args(parse(["train", "--model", "m", "--data", "d", "-o", "o"]))


@pytest.mark.parametrize("method", ["prm", "orm"])
def test_the_loop_refuses_a_reward_model_as_its_trainer(method: str) -> None:
    from reasonloop.loop.config import load_config

    with pytest.raises(ConfigError, match="trains a reward model"):
        load_config(None, {"train.method": method})
