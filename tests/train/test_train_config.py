"""Configs and log parsing: the parts of `reasonloop.train` without torch."""

from __future__ import annotations

import sys
from typing import Any

import pytest

import reasonloop.train as train_package
from reasonloop.errors import ConfigError
from reasonloop.train import (
    DPOTrainConfig,
    GRPOTrainConfig,
    SFTTrainConfig,
    train,
    train_config_from_dict,
)
from reasonloop.train.result import collect_losses


def test_public_api_is_pinned() -> None:
    assert sorted(train_package.__all__) == sorted(
        [
            "CONFIGS",
            "SUMMARY_FILE",
            "TRAIN_METHODS",
            "DPOTrainConfig",
            "GRPOTrainConfig",
            "ORMTrainConfig",
            "PRMTrainConfig",
            "SFTTrainConfig",
            "TrainConfig",
            "TrainMethod",
            "TrainResult",
            "make_dpo_trainer",
            "make_grpo_trainer",
            "make_orm_trainer",
            "make_prm_trainer",
            "make_sft_trainer",
            "read_train_record",
            "train",
            "train_config_from_dict",
            "train_dpo",
            "train_grpo",
            "train_prm",
            "train_sft",
        ]
    )


def test_importing_train_loads_no_torch() -> None:
    import subprocess

    code = "import sys, reasonloop.train; print(sorted({'torch', 'trl'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        ("sft", {}, SFTTrainConfig()),
        (
            "sft",
            {"learning_rate": 1e-4, "lora": True},
            SFTTrainConfig(learning_rate=1e-4, lora=True),
        ),
        ("dpo", {"beta": 0.2}, DPOTrainConfig(beta=0.2)),
        ("grpo", {"num_generations": 8}, GRPOTrainConfig(num_generations=8)),
    ],
)
def test_configs_from_mappings(kind: str, data: dict[str, Any], expected: object) -> None:
    assert train_config_from_dict(kind, data) == expected


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("sft", {"beta": 0.1}, r"unknown sft training option\(s\): beta"),
        ("ppo", {}, "unknown trainer 'ppo'"),
        ("sft", {"batch_size": 0}, "batch_size must be at least 1"),
        ("sft", {"max_steps": 0}, "max_steps must be at least 1"),
        ("dpo", {"learning_rate": 0}, "must be positive"),
        ("grpo", {"num_generations": 1}, "num_generations must be at least 2"),
        ("grpo", {"batch_size": 6, "num_generations": 4}, r"\(6\) must be a multiple of"),
    ],
)
def test_bad_configs_are_named(kind: str, data: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        train_config_from_dict(kind, data)


def test_defaults_suit_a_small_model() -> None:
    sft, dpo, grpo = SFTTrainConfig(), DPOTrainConfig(), GRPOTrainConfig()
    assert (sft.batch_size, sft.gradient_accumulation_steps, sft.max_length) == (8, 1, 256)
    assert 1e-5 <= sft.learning_rate <= 5e-5
    assert dpo.learning_rate < sft.learning_rate and grpo.learning_rate < sft.learning_rate
    assert grpo.batch_size % grpo.num_generations == 0


@pytest.mark.parametrize(
    ("history", "losses"),
    [
        ([], []),
        ([{"loss": 2.0, "step": 1}, {"loss": 1.5, "step": 2}], [(1, 2.0), (2, 1.5)]),
        ([{"loss": 2.0, "step": 1}, {"train_loss": 2.0, "step": 1}], [(1, 2.0)]),
        ([{"reward": 0.5, "step": 1}, {"loss": "0.25", "step": 3}], [(3, 0.25)]),
    ],
)
def test_collect_losses(history: list[dict[str, Any]], losses: list[tuple[int, float]]) -> None:
    assert collect_losses(history) == losses


@pytest.mark.parametrize(
    ("method", "config", "message"),
    [
        ("ppo", None, "unknown trainer 'ppo'"),
        ("sft", {"beta": 0.1}, r"unknown sft training option\(s\): beta"),
        ("sft", DPOTrainConfig(), "'sft' training needs a SFTTrainConfig"),
    ],
)
def test_train_entry_checks_method_and_config_first(
    method: str, config: object, message: str
) -> None:
    # Checked before any model or dataset is touched (the rows here are not even valid).
    with pytest.raises(ConfigError, match=message):
        train(method, "no-such-model", [], "/nonexistent/out", config)  # type: ignore[arg-type]
